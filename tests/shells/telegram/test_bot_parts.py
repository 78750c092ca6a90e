"""The bot's parts on their own: allow lists, rate limit, digest store, retries, settings checks, CLI."""
import asyncio
import dataclasses
from datetime import date

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter

from quydinh_bot.config import Settings
from quydinh_bot.shells import cli
from quydinh_bot.shells.audit import AuditLog
from quydinh_bot.shells.telegram.access import AccessList, refusal
from quydinh_bot.shells.telegram.app import BotConfigError, check_settings, file_url, first_run_note, parse_time
from quydinh_bot.shells.telegram.digest import DigestStore
from quydinh_bot.shells.telegram.retry import RetryingLimiter


def test_access_private_needs_listed_user_group_needs_listed_group():
    acl = AccessList(users=frozenset({1}), chats=frozenset({-100, 5}))
    assert acl.allows(1, 1, "private")
    assert acl.allows(5, 5, "private")  # a private chat id listed as a chat
    assert not acl.allows(2, 2, "private")
    assert acl.allows(2, -100, "supergroup")  # anyone in an allowed group
    assert not acl.allows(1, -200, "group")  # an allowed user in a group nobody allowed
    assert not acl.allows(None, None, None)


def test_refusal_shows_ids_only():
    text = refusal(42, -100, "group")
    assert "42" in text and "-100" in text and "quản trị viên" in text
    assert "-100" not in refusal(42, 42, "private")


def test_digest_store_survives_reopen(tmp_path):
    path = tmp_path / "state" / "telegram.sqlite3"
    store = DigestStore(path)
    store.subscribe(-100, True)
    store.subscribe(7, True)
    store.subscribe(7, False)
    assert DigestStore(path).due_today(date(2025, 8, 25)) == [-100]
    store.mark_sent(-100, date(2025, 8, 25))
    again = DigestStore(path)
    assert again.due_today(date(2025, 8, 25)) == []
    assert again.due_today(date(2025, 8, 26)) == [-100]
    assert again.is_subscribed(-100) and not again.is_subscribed(7) and not again.is_subscribed(8)


def _retry(results, **kw):
    calls = []

    async def callback():
        calls.append(1)
        r = results[len(calls) - 1]
        if isinstance(r, Exception):
            raise r
        return r

    limiter = RetryingLimiter(base_delay=0.01, **kw)
    return asyncio.run(limiter.process_request(callback, (), {}, "sendMessage", {}, None)), calls


def test_retry_on_429_and_network_errors():
    out, calls = _retry([RetryAfter(0), NetworkError("Bad Gateway"), {"ok": 1}])
    assert out == {"ok": 1} and len(calls) == 3


def test_no_retry_on_bad_request_and_give_up_after_attempts():
    with pytest.raises(BadRequest):
        _retry([BadRequest("can't parse entities"), {"ok": 1}])
    with pytest.raises(NetworkError):
        _retry([NetworkError("x")] * 3, attempts=3)


def test_settings_checks():
    base = Settings()
    with pytest.raises(BotConfigError, match="QUYDINH_TELEGRAM_TOKEN"):
        check_settings(dataclasses.replace(base, telegram_token=""))
    nobody = dataclasses.replace(base, telegram_token="1:x", telegram_allowed_users=frozenset(),
                                 telegram_allowed_chats=frozenset())
    check_settings(nobody)  # starts, to tell each sender their id (bot/HUONG_DAN.md, step 2)
    assert "ALLOWED_USERS" in (first_run_note(nobody) or "") and "mã người dùng" in (first_run_note(nobody) or "")
    some = dataclasses.replace(base, telegram_token="1:x", telegram_allowed_users=frozenset({1}))
    check_settings(some)
    assert first_run_note(some) is None
    assert parse_time("7:30").hour == 7 and parse_time("07:30").minute == 30
    with pytest.raises(BotConfigError):
        parse_time("25:00")
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_allowed_ids_parsed_from_environment(monkeypatch):
    monkeypatch.setenv("QUYDINH_TELEGRAM_ALLOWED_USERS", "12, 34")
    monkeypatch.setenv("QUYDINH_TELEGRAM_ALLOWED_CHATS", "-1001;")
    s = Settings()
    assert s.telegram_allowed_users == {12, 34} and s.telegram_allowed_chats == {-1001}
    monkeypatch.setenv("QUYDINH_TELEGRAM_ALLOWED_USERS", "12, abc")
    with pytest.raises(ValueError, match="abc"):
        Settings()


@pytest.mark.parametrize("env,argv", [({"QUYDINH_TELEGRAM_TOKEN": ""}, ["bot"]),
                                     ({"QUYDINH_TELEGRAM_TOKEN": "1:fake", "QUYDINH_TELEGRAM_WEBHOOK_URL": ""},
                                      ["bot", "--webhook"])])
def test_cli_bot_refuses_to_start_without_token_or_webhook_url(monkeypatch, capsys, env, argv):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: ") and "QUYDINH_TELEGRAM_" in err and len(err.splitlines()) == 1


def test_audit_log_off_writes_nothing(tmp_path):
    AuditLog(None).record("telegram", 1, "câu hỏi", ["a/1"])
    assert not list(tmp_path.iterdir())
    log = AuditLog(tmp_path / "a.jsonl")
    log.record("telegram", 1, "câu hỏi", ["a/1"])
    assert '"question": "câu hỏi"' in (tmp_path / "a.jsonl").read_text(encoding="utf-8")


def test_addressed_text_in_private_and_group_chats():
    from datetime import datetime

    from telegram import Chat, Message, MessageEntity, User

    from quydinh_bot.shells.telegram.handlers import addressed_text

    def msg(text, chat_type="supergroup", entities=(), reply_from=None):
        reply = None
        if reply_from is not None:
            reply = Message(9, datetime.now(), Chat(-1, chat_type), from_user=User(reply_from, "x", True), text="…")
        return Message(1, datetime.now(), Chat(-1 if chat_type != "private" else 5, chat_type), text=text,
                       entities=list(entities), reply_to_message=reply, from_user=User(5, "a", False))

    assert addressed_text(msg("ai chu tri", "private"), 77, "qd_bot") == "ai chu tri"
    assert addressed_text(msg("ai chu tri"), 77, "qd_bot") is None
    assert addressed_text(msg("ai chu tri", reply_from=77), 77, "qd_bot") == "ai chu tri"
    assert addressed_text(msg("ai chu tri", reply_from=78), 77, "qd_bot") is None
    # the mention's offset counts UTF-16 units: an emoji before it takes two
    text = "😀 @QD_bot ai chu tri"
    assert addressed_text(msg(text, entities=[MessageEntity("mention", 3, 7)]), 77, "qd_bot") == "😀   ai chu tri"
    assert addressed_text(msg("@qd_bot"), 77, "qd_bot") == ""
    other = msg("@other_bot ai chu tri", entities=[MessageEntity("mention", 0, 10)])
    assert addressed_text(other, 77, "qd_bot") is None
