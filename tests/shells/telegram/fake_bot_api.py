"""A fake Telegram Bot API on loopback (standard library HTTP server in a thread).

Updates queued by a test go out through `getUpdates` (long polling, honouring offset and
timeout); every method the bot calls is recorded with its decoded parameters, and a test can
make the next call of a method fail (429 with retry_after, 5xx, 400) to check the bot's resilience.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs

BOT_ID = 7000001
BOT_USERNAME = "quydinh_test_bot"
TOKEN = "123456:FAKE-TOKEN-for-tests"
_JSON_PARAMS = {"reply_markup", "commands", "entities", "reply_parameters", "link_preview_options",
                "allowed_updates", "scope"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeBotAPI:
    def __init__(self, token: str = TOKEN):
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict] = []
        self._failures: dict[str, list[tuple[int, dict]]] = {}
        self._cond = threading.Condition()
        self._update_id = 100
        self._message_id = 5000
        self._chat_types: dict[int, str] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def start(self) -> "FakeBotAPI":
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # --- what a test puts in --------------------------------------------------------------
    def _next_update_id(self) -> int:
        self._update_id += 1
        return self._update_id

    def _next_message_id(self) -> int:
        self._message_id += 1
        return self._message_id

    def push(self, update: dict) -> dict:
        with self._cond:
            update = {"update_id": self._next_update_id(), **update}
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def message(self, user_id: int, text: str | None = None, chat_id: int | None = None, chat_type: str = "private",
                edited: bool = False, reply_to: dict | None = None, **extra: Any) -> dict:
        """A message update as Telegram would send it (text, or e.g. sticker=… in extra)."""
        chat_id = user_id if chat_id is None else chat_id
        self._chat_types[chat_id] = chat_type
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Chi bộ thử nghiệm"
        msg: dict[str, Any] = {"message_id": self._next_message_id(), "date": int(time.time()), "chat": chat,
                               "from": {"id": user_id, "is_bot": False, "first_name": "Thư ký"}}
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            elif f"@{BOT_USERNAME}" in text:
                msg["entities"] = [{"type": "mention", "offset": text.index("@"), "length": len(BOT_USERNAME) + 1}]
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        if edited:
            msg["edit_date"] = int(time.time())
        msg.update(extra)
        return self.push({"edited_message" if edited else "message": msg})

    def callback(self, user_id: int, data: str, message: dict) -> dict:
        """A button press on `message` (a message dict the bot sent, as returned by `sent`)."""
        return self.push({"callback_query": {
            "id": f"cb{self._next_update_id()}", "chat_instance": "ci",
            "from": {"id": user_id, "is_bot": False, "first_name": "Thư ký"}, "message": message, "data": data}})

    def fail_next(self, method: str, status: int, description: str, parameters: dict | None = None) -> None:
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        with self._cond:
            self._failures.setdefault(method, []).append((status, body))

    # --- what a test reads back -----------------------------------------------------------
    def of(self, method: str, since: int = 0) -> list[Call]:
        with self._cond:
            return [c for c in self.calls[since:] if c.method == method]

    def mark(self) -> int:
        with self._cond:
            return len(self.calls)

    def wait(self, predicate: Callable[[list[Call]], bool], since: int = 0, timeout: float = 30.0) -> list[Call]:
        """The calls made after `since`, once `predicate` holds for them (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                calls = self.calls[since:]
                if predicate(calls):
                    return list(calls)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls were: {[(c.method, c.params) for c in calls]}")
                self._cond.wait(min(left, 0.2))

    def wait_sent(self, n: int = 1, since: int = 0, timeout: float = 30.0, method: str = "sendMessage") -> list[dict]:
        calls = self.wait(lambda cs: sum(c.method == method for c in cs) >= n, since, timeout)
        return [c.params for c in calls if c.method == method]

    # --- the server side ------------------------------------------------------------------
    def _sent_message(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        msg = {"message_id": self._next_message_id(), "date": int(time.time()),
               "chat": {"id": chat_id, "type": self._chat_types.get(chat_id, "private")},
               "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý", "username": BOT_USERNAME},
               "text": params.get("text", "")}
        if "reply_markup" in params:
            msg["reply_markup"] = params["reply_markup"]
        return msg

    def _answer(self, method: str, params: dict) -> tuple[int, dict]:
        with self._cond:
            failures = self._failures.get(method)
            if failures:
                self.calls.append(Call(method, params))
                self._cond.notify_all()
                return failures.pop(0)
        if method == "getUpdates":
            offset = int(params.get("offset", 0) or 0)
            wait = min(float(params.get("timeout", 0) or 0), 1.0)
            deadline = time.monotonic() + wait
            with self._cond:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                while not self._updates and time.monotonic() < deadline:
                    self._cond.wait(deadline - time.monotonic())
                result: Any = list(self._updates)
        elif method == "getMe":
            result = {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý", "username": BOT_USERNAME,
                      "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        elif method in ("sendMessage", "editMessageText"):
            result = self._sent_message(params)
        else:  # setMyCommands, sendChatAction, answerCallbackQuery, deleteWebhook, …
            result = True
        if method != "getUpdates":
            with self._cond:
                self.calls.append(Call(method, params))
                self._cond.notify_all()
        return 200, {"ok": True, "result": result}

    def _handler_class(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                    params = {k: json.loads(v) if k in _JSON_PARAMS else v for k, v in params.items()}
                status, body = api._answer(self.path[len(prefix):], params)
                self._reply(status, body)

            do_GET = do_POST

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the bot stopped polling meanwhile
                    pass

        return Handler
