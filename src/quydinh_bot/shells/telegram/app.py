"""`build_application(assistant, settings)`: the python-telegram-bot Application with every
handler wired, and `run()` for `quydinh-bot bot` (long polling, or a webhook)."""
from __future__ import annotations

import hashlib
import logging
import re
from datetime import time
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from quydinh_bot import Assistant
from quydinh_bot.config import Settings
from quydinh_bot.shells.audit import AuditLog
from quydinh_bot.shells.ratelimit import RateLimiter

from . import handlers as h
from .access import AccessList
from .digest import DigestStore
from .retry import RetryingLimiter

log = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 30  # seconds a getUpdates long poll may wait
TAPS_PER_QUESTION = 4  # button taps (quiz answers, page turns) allowed a minute per question allowed


class BotConfigError(ValueError):
    """The bot cannot start with these settings; the message says what to set."""


def check_settings(settings: Settings, webhook: bool = False) -> None:
    """A clear Vietnamese refusal when the bot cannot start with these settings."""
    if not settings.telegram_token:
        raise BotConfigError("Chưa cấu hình QUYDINH_TELEGRAM_TOKEN (mã bot lấy từ @BotFather): bot không khởi động.")
    if webhook and not settings.telegram_webhook_url:
        raise BotConfigError("Chế độ webhook cần QUYDINH_TELEGRAM_WEBHOOK_URL (địa chỉ HTTPS công khai của bot).")


def first_run_note(settings: Settings) -> str | None:
    """With nobody allowed yet the bot still starts, as bot/HUONG_DAN.md says, to tell each person
    who writes to it their id (and a group its id) and nothing else: every sender is refused."""
    if settings.telegram_allowed_users or settings.telegram_allowed_chats:
        return None
    return ("Chưa cho phép ai (QUYDINH_TELEGRAM_ALLOWED_USERS và QUYDINH_TELEGRAM_ALLOWED_CHATS trống): bot chỉ trả "
            "lời mỗi người nhắn tới mã người dùng (trong nhóm: mã nhóm) của họ, không trả lời câu hỏi nào. "
            "Điền các mã đó vào danh sách rồi khởi động lại bot.")


def parse_time(value: str) -> time:
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value or "")
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise BotConfigError(f"QUYDINH_TELEGRAM_DIGEST_TIME phải có dạng HH:MM (đang là '{value}').")
    return time(int(m.group(1)), int(m.group(2)), tzinfo=h.VN_TZ)


def file_url(api_url: str) -> str:
    """The file download URL that goes with a Bot API URL (…/bot → …/file/bot)."""
    return api_url[: -len("/bot")] + "/file/bot" if api_url.endswith("/bot") else api_url.rstrip("/") + "/file/bot"


async def _post_init(app: Application) -> None:
    await app.bot.set_my_commands(h.BOT_COMMANDS)


def build_application(assistant: Assistant, settings: Settings) -> Application:
    """The Application holding `assistant`, with commands, buttons, the digest job, retries
    on 429/5xx/network errors and an error handler that apologises and carries on."""
    check_settings(settings)
    if note := first_run_note(settings):
        log.warning(note)
    core = h.BotCore(
        assistant=assistant, settings=settings,
        access=AccessList(settings.telegram_allowed_users, settings.telegram_allowed_chats),
        limiter=RateLimiter(settings.telegram_rate_limit_per_minute),
        taps=RateLimiter(settings.telegram_rate_limit_per_minute * TAPS_PER_QUESTION),
        store=DigestStore(settings.telegram_state_file),
        audit=AuditLog(settings.audit_log or None),
        digest_time=parse_time(settings.telegram_digest_time),
    )
    app = (ApplicationBuilder()
           .token(settings.telegram_token)
           .base_url(settings.telegram_api_url)
           .base_file_url(file_url(settings.telegram_api_url))
           .request(HTTPXRequest(connection_pool_size=8, connect_timeout=10, read_timeout=30, write_timeout=30))
           .get_updates_request(HTTPXRequest(connect_timeout=10, read_timeout=POLL_TIMEOUT + 10))
           .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                              tzinfo=h.VN_TZ))
           .rate_limiter(RetryingLimiter())
           .post_init(_post_init)
           .build())
    app.bot_data["core"] = core

    commands = {"start": h.cmd_start, "help": h.cmd_help, "ai": h.cmd_ai, "han": h.cmd_han, "viec": h.cmd_viec,
                "sap_den_han": h.cmd_sap_den_han, "qua_han": h.cmd_qua_han, "nguon": h.cmd_nguon,
                "nhac_han": h.cmd_nhac_han, "quiz": h.cmd_quiz, "quiz_dung": h.cmd_quiz_dung}
    assert set(commands) == {name for name, _ in h.COMMANDS}
    new = filters.UpdateType.MESSAGE  # edited messages are ignored: the answer to the first version stands
    for name, fn in commands.items():
        app.add_handler(CommandHandler(name, fn, filters=new))
    app.add_handler(MessageHandler(new & filters.COMMAND, h.on_unknown_command))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, h.on_text))
    app.add_handler(MessageHandler(new & ~filters.TEXT & ~filters.StatusUpdate.ALL, h.on_other))
    app.add_handler(CallbackQueryHandler(h.on_button, pattern=r"^[msl]:"))
    app.add_handler(CallbackQueryHandler(h.on_quiz_button, pattern=r"^z:"))
    app.add_handler(CallbackQueryHandler(h.on_page_button, pattern=r"^p:"))
    app.add_error_handler(h.on_error)
    if app.job_queue is None:  # PTB without its [job-queue] extra, which this package's dependency names
        raise RuntimeError("python-telegram-bot is installed without its job queue (python-telegram-bot[job-queue])")
    app.job_queue.run_repeating(h.send_digests, interval=max(0.2, settings.telegram_digest_check_seconds),
                                first=1, name="digest")
    return app


def webhook_path(settings: Settings) -> str:
    """The URL path Telegram posts updates to: derived from the token, so not guessable."""
    return hashlib.sha256(settings.telegram_token.encode()).hexdigest()[:24]


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token; requests without it are refused."""
    return hashlib.sha256(("webhook:" + settings.telegram_token).encode()).hexdigest()[:48]


def serve(app: Application, settings: Settings, webhook: bool = False, **run_kwargs: Any) -> None:
    """Run `app` until stopped: long polling, or a webhook behind the office's HTTPS proxy
    (`run_kwargs` go to PTB's run_polling / run_webhook, e.g. stop_signals)."""
    if not webhook:
        app.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=POLL_TIMEOUT, **run_kwargs)
        return
    check_settings(settings, webhook=True)
    path = webhook_path(settings)
    app.run_webhook(listen=settings.telegram_webhook_listen, port=settings.telegram_webhook_port, url_path=path,
                    webhook_url=settings.telegram_webhook_url.rstrip("/") + "/" + path,
                    secret_token=webhook_secret(settings), allowed_updates=ALLOWED_UPDATES, **run_kwargs)


def run(assistant: Assistant, settings: Settings, webhook: bool = False) -> None:
    """`quydinh-bot bot [--webhook]`."""
    check_settings(settings, webhook)
    serve(build_application(assistant, settings), settings, webhook)
