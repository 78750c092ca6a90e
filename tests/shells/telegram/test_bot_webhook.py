"""Webhook mode: the real Application serves PTB's webhook (tornado) on loopback, registers it with
the fake Bot API, answers a posted update, and refuses a post without the secret header."""
import asyncio
import dataclasses
import json
import socket
import threading
import time
import urllib.error
import urllib.request

from bot_ids import USER

from quydinh_bot.shells.telegram.app import build_application, serve, webhook_path, webhook_secret


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    req = urllib.request.Request(url, json.dumps(update).encode(), headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_webhook_mode_answers_and_checks_the_secret(bot_settings, bot_assistant, fake_api):
    port = _free_port()
    settings = dataclasses.replace(bot_settings, telegram_webhook_url="https://bot.example.vn/tg",
                                   telegram_webhook_port=port)
    app = build_application(bot_assistant, settings)
    loop = asyncio.new_event_loop()

    def target():
        asyncio.set_event_loop(loop)
        serve(app, settings, webhook=True, stop_signals=None, close_loop=False)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        (hook,) = fake_api.wait_sent(1, method="setWebhook")
        assert hook["url"] == f"https://bot.example.vn/tg/{webhook_path(settings)}"
        assert hook["secret_token"] == webhook_secret(settings)
        url = f"http://127.0.0.1:{port}/{webhook_path(settings)}"
        update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()),
                                              "chat": {"id": USER, "type": "private"},
                                              "from": {"id": USER, "is_bot": False, "first_name": "Thư ký"},
                                              "text": "ai chu tri so hoa tai lieu"}}
        deadline = time.monotonic() + 30
        while True:  # the server may take a moment to listen
            try:
                status = _post(url, update, None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert status == 403
        mark = fake_api.mark()
        assert _post(url, dict(update, update_id=2), webhook_secret(settings)) == 200
        (sent,) = fake_api.wait_sent(1, since=mark)
        assert "Hoàn thành số hóa tài liệu" in sent["text"]
        assert [c for c in fake_api.of("sendMessage") if c.params is not sent] == []  # nothing for the 403
    finally:
        loop.call_soon_threadsafe(app.stop_running)
        thread.join(30)
        loop.close()
    assert not thread.is_alive()
