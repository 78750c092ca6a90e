"""The real Application (python-telegram-bot, real HTTP) against a fake Bot API on loopback:
updates go in through getUpdates, and the tests read the calls the bot makes."""
from __future__ import annotations

import dataclasses
import json
import re
import time

import pytest
from bot_ids import GROUP, OTHER_GROUP, STRANGER, TODAY, USER
from fake_bot_api import BOT_ID, BOT_USERNAME

from helpers import html_balanced
from quydinh_bot.shells.telegram.format import MAX_MESSAGE, PAGE_SIZE, utf16_len
from quydinh_bot.shells.telegram.handlers import APOLOGY, COMMANDS, NOT_TEXT


def say(api, text, user=USER, n=1, **kw) -> list[dict]:
    """Send a message to the bot and return the sendMessage calls it makes: at least `n`, and
    any more that follow within a quarter of a second (the parts of a long answer)."""
    mark = api.mark()
    api.message(user, text, **kw)
    sent = api.wait_sent(n, since=mark)
    while True:
        time.sleep(0.25)
        more = [c.params for c in api.of("sendMessage", mark)]
        if len(more) == len(sent):
            return sent
        sent = more


def silent(api, mark, seconds=1.5) -> None:
    time.sleep(seconds)
    assert api.of("sendMessage", mark) == [], "the bot should not have answered"


def buttons(params) -> dict[str, str]:
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def test_startup_registers_vietnamese_commands(bot, fake_api):
    (call,) = fake_api.of("setMyCommands")
    registered = {c["command"]: c["description"] for c in call.params["commands"]}
    assert set(registered) == {"start", "help", "ai", "han", "viec", "sap_den_han", "qua_han", "nguon", "nhac_han",
                               "quiz", "quiz_dung"}
    assert registered == dict(COMMANDS)
    assert fake_api.of("getMe")


@pytest.mark.parametrize("question", ["Ai chủ trì số hóa tài liệu của các cơ quan, đơn vị, tổ chức?",
                                      "ai chu tri so hoa tai lieu"])
def test_question_answered_with_lead_and_citation(bot, fake_api, question):
    mark = fake_api.mark()
    (sent,) = say(fake_api, question)
    text = sent["text"]
    assert sent["parse_mode"] == "HTML"
    assert "Hoàn thành số hóa tài liệu" in text
    assert re.search(r"Chủ trì: <b>[^<]*Ủy ban nhân dân tỉnh</b>", text), text
    assert "31/8/2025" in text
    assert "<i>Nguồn: Kế hoạch số 376-KH/TU ngày 21/7/2025" in text
    assert set(buttons(sent)) == {"Xem thêm", "Nguồn đầy đủ", "Cùng cơ quan chủ trì"}
    assert all(len(d.encode()) <= 64 for d in buttons(sent).values())
    actions = fake_api.of("sendChatAction", mark)
    assert actions and actions[0].params["action"] == "typing"
    assert actions[0].at <= fake_api.of("sendMessage", mark)[0].at


def test_buttons(bot, fake_api):
    (answer,) = say(fake_api, "ai chu tri so hoa tai lieu")
    data = buttons(answer)
    answer_msg = {"message_id": 1, "date": 0, "chat": {"id": USER, "type": "private"}, "text": answer["text"],
                  "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý"}}

    mark = fake_api.mark()  # "Xem thêm": the next hits, each with its citation, a page at a time
    fake_api.callback(USER, data["Xem thêm"], answer_msg)
    (more,) = fake_api.wait_sent(1, mark)
    assert fake_api.of("answerCallbackQuery", mark)
    assert more["text"].startswith("<b>Các điều khoản liên quan khác</b> (19 điều khoản, trang 1/4)")
    assert re.findall(r"<b>(\d+)\.</b>", more["text"]) == ["2", "3", "4", "5", "6"]
    assert more["text"].count("Nguồn: ") == PAGE_SIZE and set(buttons(more)) == {"Sau ›"}
    mark = fake_api.mark()  # the next page: the same message edited, items 7-11, not 2-5 again
    fake_api.callback(USER, buttons(more)["Sau ›"], as_message(more))
    (page2,) = fake_api.wait_sent(1, mark, method="editMessageText")
    assert re.findall(r"<b>(\d+)\.</b>", page2["text"]) == ["7", "8", "9", "10", "11"]
    assert set(buttons(page2)) == {"‹ Trước", "Sau ›"} and not fake_api.of("sendMessage", mark)

    mark = fake_api.mark()  # "Nguồn đầy đủ": the message is edited to the clause with its heading path
    fake_api.callback(USER, data["Nguồn đầy đủ"], answer_msg)
    (edit,) = fake_api.wait_sent(1, mark, method="editMessageText")
    assert fake_api.of("answerCallbackQuery", mark)
    assert edit["message_id"] == "1" and "Phụ lục công việc" in edit["text"]
    assert "› " in edit["text"] and "Mã điều khoản: <code>kh-376-2025/" in edit["text"]
    assert set(buttons(edit)) == set(data)

    mark = fake_api.mark()  # "Cùng cơ quan chủ trì": other tasks of the same lead, soonest due first
    fake_api.callback(USER, data["Cùng cơ quan chủ trì"], answer_msg)
    sent = fake_api.wait_sent(1, mark)
    assert "Việc khác do Đảng ủy Ủy ban nhân dân tỉnh chủ trì" in sent[0]["text"]
    dues = [tuple(reversed(d.split("/"))) for d in re.findall(r"\d+\. <b>(\d\d/\d\d/\d{4})</b>", sent[0]["text"])]
    assert len(dues) >= 2 and dues == sorted(dues)
    assert "Hoàn thành số hóa tài liệu của các cơ quan" not in sent[0]["text"]

    mark = fake_api.mark()  # a button from before a restart
    fake_api.callback(USER, "s:unknown", answer_msg)
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "cũ" in cb["text"]


def as_message(sent: dict, chat_id: int = USER, chat_type: str = "private") -> dict:
    """The bot's message as a callback query carries it."""
    return {"message_id": 77, "date": 0, "chat": {"id": chat_id, "type": chat_type}, "text": sent["text"],
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý"}, "reply_markup": sent.get("reply_markup")}


def items_of(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+)\. ", page, flags=re.M)]


def turn(api, data: str, message: dict, user: int = USER) -> dict:
    """Press a page button; the message as the bot edited it (nothing new is sent)."""
    mark = api.mark()
    api.callback(user, data, message)
    (edit,) = api.wait_sent(1, mark, method="editMessageText")
    assert not api.of("sendMessage", mark)
    return edit


def test_commands(bot, fake_api):
    assert "/ai" in say(fake_api, "/start")[0]["text"]
    helped = say(fake_api, "/help")[0]["text"]
    assert "ai chu tri so hoa tai lieu" in helped and "/sap_den_han" in helped

    lead = say(fake_api, "/ai chỉ định đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XV")[0]["text"]
    assert "<b>Ban Tổ chức Tỉnh ủy</b>" in lead and "Nguồn: " in lead
    due = say(fake_api, "/han tong ket viec sap xep to chuc bo may theo nghi quyet 18")[0]["text"]
    assert re.search(r"Thời hạn: <b>[^<]*15/11/2025", due), due

    viec = say(fake_api, "/viec van phong tinh uy")[0]["text"]
    assert viec.startswith("<b>Việc do “van phong tinh uy” chủ trì")
    assert "Chủ trì: Văn phòng Tỉnh ủy" in viec

    soon = say(fake_api, "/sap_den_han 7")[0]["text"]
    assert "Việc đến hạn trong 7 ngày tới (từ 25/08/2025)" in soon
    dues = re.findall(r"\d+\. <b>(\d\d)/(\d\d)/(\d{4})</b>", soon)
    assert dues and all("2025-08-25" <= f"{y}-{m}-{d}" <= "2025-09-01" for d, m, y in dues)
    assert "Việc đến hạn trong 30 ngày tới" in say(fake_api, "/sap_den_han")[0]["text"]
    assert "từ 1 đến 3660" in say(fake_api, "/sap_den_han abc")[0]["text"]

    overdue = say(fake_api, "/qua_han")[0]["text"]
    assert "Việc đã quá hạn (tính đến 25/08/2025)" in overdue and "Tình trạng: Quá hạn" in overdue
    assert all(f"{y}-{m}-{d}" < TODAY for d, m, y in re.findall(r"\d+\. <b>(\d\d)/(\d\d)/(\d{4})</b>", overdue))

    source = say(fake_api, "/nguon kh-376-2025/VI.1.8")[0]["text"]
    assert "Thành lập các đoàn đại biểu" in source and "Chủ trì: Ban Tổ chức Tỉnh ủy" in source
    assert "Không có điều khoản mã" in say(fake_api, "/nguon khong-co/1")[0]["text"]
    assert "Cú pháp: /ai" in say(fake_api, "/ai")[0]["text"]
    assert "Không có lệnh /khong_co" in say(fake_api, "/khong_co")[0]["text"]

    assert "Đã bật nhắc hạn" in say(fake_api, "/nhac_han on")[0]["text"]
    assert "đang bật" in say(fake_api, "/nhac_han")[0]["text"]
    assert "Đã tắt" in say(fake_api, "/nhac_han off")[0]["text"]


def test_not_allowed_user_is_refused_without_document_text(bot, fake_api):
    for kwargs in ({"user": STRANGER}, {"user": USER, "chat_id": OTHER_GROUP, "chat_type": "supergroup"}):
        (sent,) = say(fake_api, f"@{BOT_USERNAME} ai chu tri so hoa tai lieu", **kwargs)
        assert "chưa được cấp quyền" in sent["text"] and str(kwargs["user"]) in sent["text"]
        if "chat_id" in kwargs:
            assert str(OTHER_GROUP) in sent["text"]
        assert "số hóa" not in sent["text"] and "Nguồn" not in sent["text"] and not buttons(sent)
    (sent,) = say(fake_api, "/viec ban to chuc", user=STRANGER)
    assert "chưa được cấp quyền" in sent["text"] and "Ban Tổ chức" not in sent["text"]

    mark = fake_api.mark()  # a stranger pressing a button of an answer they were forwarded
    (answer,) = say(fake_api, "ai chu tri so hoa tai lieu")
    msg = {"message_id": 1, "date": 0, "chat": {"id": STRANGER, "type": "private"}, "text": "x"}
    mark = fake_api.mark()
    fake_api.callback(STRANGER, buttons(answer)["Nguồn đầy đủ"], msg)
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "chưa được cấp quyền" in cb["text"]
    time.sleep(0.5)
    assert not fake_api.of("editMessageText", mark) and not fake_api.of("sendMessage", mark)


def test_group_answers_only_when_addressed(bot, fake_api):
    group = {"chat_id": GROUP, "chat_type": "supergroup"}
    mark = fake_api.mark()
    fake_api.message(USER, "ai chu tri so hoa tai lieu", **group)
    silent(fake_api, mark)
    (sent,) = say(fake_api, f"@{BOT_USERNAME} ai chu tri so hoa tai lieu", **group)
    assert "Hoàn thành số hóa tài liệu" in sent["text"]
    bot_msg = {"message_id": 9, "date": 0, "chat": {"id": GROUP, "type": "supergroup"}, "text": "…",
               "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý", "username": BOT_USERNAME}}
    (sent,) = say(fake_api, "con han khi nao?", reply_to=bot_msg, **group)
    # answered, declined or asked back (the reply alone names no task)
    assert any(s in sent["text"] for s in ("Nguồn", "Không tìm thấy", "Câu hỏi chưa đủ rõ"))
    (sent,) = say(fake_api, f"/ai@{BOT_USERNAME} số hóa tài liệu", **group)
    assert "Hoàn thành số hóa tài liệu" in sent["text"]


def test_clause_with_lt_and_amp_is_escaped(bot, fake_api):
    (sent,) = say(fake_api, "ai chu tri ra soat ho so dang vien co tuoi doi duoi 30")
    text = sent["text"]
    assert "tuổi đời &lt;30 &amp; tuổi đảng &lt;5 năm" in text
    assert 'chi bộ "Thôn Đồng Tâm" và chi bộ R&amp;D_2' in text
    assert "<30" not in text and "R&D" not in text and html_balanced(text)
    assert "<b>Ban Tổ chức Tỉnh ủy</b>" in text


@pytest.mark.parametrize("command,title", [("/qua_han", "Việc đã quá hạn (tính đến 25/08/2025)"),
                                           ("/viec ban to chuc tinh uy", "Việc do “ban to chuc tinh uy” chủ trì")])
def test_lists_are_paged_with_buttons_never_cutting_an_item(bot, fake_api, command, title):
    (first,) = say(fake_api, command)
    m = re.match(r"<b>" + re.escape(title) + r"[^<]*</b> \((\d+) việc, trang 1/(\d+)\)\n", first["text"])
    assert m, first["text"][:200]
    total, count = int(m[1]), int(m[2])
    assert count >= 2 and set(buttons(first)) == {"Sau ›"}
    pages, message = [first], first
    for page in range(2, count + 1):  # "Sau ›" to the end: each page edits the same message
        message = turn(fake_api, buttons(message)["Sau ›"], as_message(message))
        assert f"trang {page}/{count})" in message["text"]
        pages.append(message)
    assert set(buttons(pages[-1])) == {"‹ Trước"}
    back = turn(fake_api, buttons(pages[-1])["‹ Trước"], as_message(pages[-1]))
    assert back["text"] == pages[-2]["text"] and set(buttons(back)) == set(buttons(pages[-2]))
    texts = [p["text"] for p in pages]
    assert sum((items_of(t) for t in texts), []) == list(range(1, total + 1))  # every task once, in order
    for t in texts:
        assert utf16_len(t) <= MAX_MESSAGE and html_balanced(t) and 1 <= len(items_of(t)) <= PAGE_SIZE
        assert t.count("<code>") == len(items_of(t))  # each item whole: it ends with its citation and id
    dues = [f"{y}-{mo}-{d}" for t in texts for d, mo, y in re.findall(r"^\d+\. <b>(\d\d)/(\d\d)/(\d{4})</b>", t, re.M)]
    # nearest deadline first: upcoming soonest first, then overdue most recent first
    upcoming, overdue = [d for d in dues if d >= TODAY], [d for d in dues if d < TODAY]
    assert dues[:len(upcoming)] == upcoming == sorted(upcoming) and overdue == sorted(overdue, reverse=True)
    if command == "/qua_han":
        assert not upcoming and overdue
    assert all(len(d.encode()) <= 64 for p in pages for d in buttons(p).values())


def test_lists_show_and_filter_province_and_document(bot, fake_api):
    """"Ban Tổ chức Tỉnh ủy" leads tasks of four provinces: each item says its document and province,
    and a province or a document number after the command narrows the list."""
    every = say(fake_api, "/viec ban to chuc tinh uy")[0]["text"]
    assert re.search(r"Văn bản: [^\n]+ · (Lai Châu|Thái Nguyên|Lâm Đồng|Tuyên Quang)", every)
    (lai_chau,) = say(fake_api, "/viec ban to chuc tinh uy lai chau")
    assert lai_chau["text"].startswith("<b>Việc do “ban to chuc tinh uy” chủ trì · Lai Châu")
    assert "· Lai Châu" in lai_chau["text"] and not re.search("Thái Nguyên|Lâm Đồng|Tuyên Quang", lai_chau["text"])
    total = int(re.search(r"\((\d+) việc", lai_chau["text"])[1])
    assert total < int(re.search(r"\((\d+) việc", every)[1])
    (plan,) = say(fake_api, "/qua_han 376")
    assert "376-KH/TU" in plan["text"].split("\n")[0]
    assert all(cid.startswith("kh-376-2025/") for cid in re.findall(r"<code>([^<]+)</code>", plan["text"]))
    assert "Cú pháp: /qua_han" in say(fake_api, "/qua_han ha giang")[0]["text"]


def test_page_buttons_belong_to_their_chat(bot, fake_api):
    (first,) = say(fake_api, "/qua_han")
    data = buttons(first)["Sau ›"]
    mark = fake_api.mark()  # the button forwarded into another allowed chat: the list is not there
    fake_api.callback(USER, data, as_message(first, GROUP, "supergroup"))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "đã cũ" in cb["text"]
    mark = fake_api.mark()  # a stranger: refused, nothing shown
    fake_api.callback(STRANGER, data, as_message(first, STRANGER))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "chưa được cấp quyền" in cb["text"]
    mark = fake_api.mark()  # a token from before a restart
    fake_api.callback(USER, "p:unknown1:1", as_message(first))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "đã cũ" in cb["text"]
    time.sleep(0.3)
    assert not fake_api.of("editMessageText", mark)


def test_429_is_retried_after_retry_after(bot, fake_api):
    fake_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    mark = fake_api.mark()
    fake_api.message(USER, "/help")
    calls = fake_api.wait(lambda cs: sum(c.method == "sendMessage" for c in cs) >= 2, mark)
    first, second = [c for c in calls if c.method == "sendMessage"][:2]
    assert first.params["text"] == second.params["text"]
    assert second.at - first.at >= 1.0


def test_5xx_is_retried(bot, fake_api):
    fake_api.fail_next("sendMessage", 502, "Bad Gateway")
    fake_api.fail_next("sendMessage", 500, "Internal Server Error")
    sent = say(fake_api, "/help", n=3)
    assert len({s["text"] for s in sent}) == 1


def test_handler_exception_is_survived(bot, fake_api):
    fake_api.fail_next("sendMessage", 400, "Bad Request: can't parse entities")
    sent = say(fake_api, "ai chu tri so hoa tai lieu", n=2)
    assert sent[1]["text"] == APOLOGY
    (after,) = say(fake_api, "ai chu tri so hoa tai lieu")
    assert "Hoàn thành số hóa tài liệu" in after["text"]


def test_updates_it_cannot_handle(bot, fake_api):
    mark = fake_api.mark()
    fake_api.message(USER, "ai chu tri so hoa tai lieu", edited=True)
    silent(fake_api, mark)
    sticker = {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512, "is_animated": False,
               "is_video": False, "type": "regular"}
    assert say(fake_api, None, sticker=sticker)[0]["text"] == NOT_TEXT
    assert say(fake_api, None, photo=[{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]
               )[0]["text"] == NOT_TEXT
    assert say(fake_api, "")[0]["text"] == NOT_TEXT
    assert "rỗng" in say(fake_api, "   ")[0]["text"]
    assert "quá dài" in say(fake_api, "hỏi " * 1250)[0]["text"]
    assert "Hoàn thành số hóa tài liệu" in say(fake_api, "ai chu tri so hoa tai lieu")[0]["text"]


def test_rate_limit_per_user(bot_settings, start_bot, fake_api):
    start_bot(dataclasses.replace(bot_settings, telegram_rate_limit_per_minute=2))
    assert "Bạn gửi quá nhiều" not in say(fake_api, "/help")[0]["text"]
    assert "Bạn gửi quá nhiều" not in say(fake_api, "/start")[0]["text"]
    assert "Bạn gửi quá nhiều yêu cầu" in say(fake_api, "/help")[0]["text"]


def test_quiz_taps_and_stopping_spend_no_question_allowance(bot_settings, start_bot, fake_api):
    start_bot(dataclasses.replace(bot_settings, telegram_rate_limit_per_minute=2))
    (question,) = say(fake_api, "/quiz 3")  # the first of two a minute
    assert question["text"].startswith("<b>Câu 1/3</b>")
    for n in (2, 3):  # answer two questions: taps, counted apart
        mark = fake_api.mark()
        fake_api.callback(USER, next(iter(buttons(question).values())), as_message(question))
        (question,) = fake_api.wait_sent(1, mark)
        assert question["text"].startswith(f"<b>Câu {n}/3</b>"), question["text"]
    (stopped,) = say(fake_api, "/quiz_dung")
    assert stopped["text"].startswith("Đã dừng bộ câu hỏi")
    assert "Bạn gửi quá nhiều" not in say(fake_api, "/help")[0]["text"]  # the second question of the minute
    assert "Bạn gửi quá nhiều yêu cầu" in say(fake_api, "/help")[0]["text"]
    assert say(fake_api, "/quiz_dung")[0]["text"].startswith("Không có bộ câu hỏi")  # never refused


def test_first_run_with_nobody_allowed_tells_each_sender_their_id(bot_settings, start_bot, fake_api):
    """bot/HUONG_DAN.md, step 2: started before anyone is allowed, the bot answers only with ids."""
    start_bot(dataclasses.replace(bot_settings, telegram_allowed_users=frozenset(),
                                  telegram_allowed_chats=frozenset()))
    fake_api.wait(lambda cs: any(c.method == "setMyCommands" for c in cs))
    (sent,) = say(fake_api, "ai chu tri so hoa tai lieu")
    assert "chưa được cấp quyền" in sent["text"] and f"Mã người dùng của bạn: {USER}" in sent["text"]
    assert "số hóa" not in sent["text"] and "Nguồn" not in sent["text"] and not buttons(sent)
    (sent,) = say(fake_api, f"@{BOT_USERNAME} xin chào", chat_id=GROUP, chat_type="supergroup")
    assert f"mã nhóm này: {GROUP}" in sent["text"]
    for command in ("/qua_han", "/quiz", "/quiz_dung", "/nguon kh-376-2025/VI.1.8"):
        (sent,) = say(fake_api, command)
        assert "chưa được cấp quyền" in sent["text"] and "Ban Tổ chức" not in sent["text"]


def test_audit_log_only_when_enabled(bot_settings, start_bot, fake_api, tmp_path):
    log = tmp_path / "audit" / "bot.jsonl"
    runner = start_bot(dataclasses.replace(bot_settings, audit_log=str(log)))
    say(fake_api, "ai chu tri so hoa tai lieu")
    (line,) = log.read_text(encoding="utf-8").splitlines()
    rec = json.loads(line)
    assert rec["caller"] == str(USER) and rec["question"] == "ai chu tri so hoa tai lieu"
    assert rec["clause_ids"][0].startswith("kh-376-2025/") and rec["time"]
    runner.stop()

    start_bot(bot_settings)  # audit off: nothing written anywhere under the data dir
    say(fake_api, "ai chu tri so hoa tai lieu")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != log]
    assert all(p.name == "telegram.sqlite3" for p in written), written
    assert b"so hoa" not in (tmp_path / "telegram.sqlite3").read_bytes()


def test_digest_sent_once_across_restarts(bot_settings, start_bot, fake_api):
    settings = dataclasses.replace(bot_settings, telegram_digest_check_seconds=0.3)
    first = start_bot(settings)
    mark = fake_api.mark()
    fake_api.message(USER, "/nhac_han on", chat_id=GROUP, chat_type="supergroup")
    fake_api.wait(lambda cs: any("Nhắc hạn: việc đến hạn" in c.params.get("text", "") for c in cs), mark)
    time.sleep(1.0)  # the job ran several more times: still one digest (its pages, each a message, once)

    def digest_parts() -> list[dict]:
        return [c.params for c in fake_api.of("sendMessage", mark) if "Nhắc hạn: việc đến hạn" in c.params["text"]]

    parts = digest_parts()
    count = int(re.search(r"trang 1/(\d+)\)", parts[0]["text"])[1]) if len(parts) > 1 else 1
    assert len(parts) == count and all(p["chat_id"] == str(GROUP) and not p.get("reply_markup") for p in parts)
    text = "\n".join(p["text"] for p in parts)
    assert "Hoàn thành số hóa tài liệu của các cơ quan" in text
    assert all(utf16_len(p["text"]) <= MAX_MESSAGE and html_balanced(p["text"]) for p in parts)
    numbers = items_of(text)
    assert numbers == list(range(1, len(numbers) + 1))  # numbered on across the parts, no item cut
    dues = re.findall(r"\d+\. <b>(\d\d)/(\d\d)/(\d{4})</b>", text)
    assert dues and all(TODAY <= f"{y}-{m}-{d}" <= "2025-09-01" for d, m, y in dues)
    first.stop()
    start_bot(settings)  # a restart on the same day sends nothing again
    time.sleep(2.0)
    assert len(digest_parts()) == count


def test_digest_goes_on_when_a_chat_removed_the_bot(bot_settings, start_bot, fake_api):
    from quydinh_bot.shells.telegram.digest import DigestStore

    store = DigestStore(bot_settings.telegram_state_file)
    store.subscribe(GROUP, True)
    store.subscribe(USER, True)
    store.subscribe(STRANGER, True)  # subscribed once, since removed from the allow list: gets nothing
    fake_api.fail_next("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    settings = dataclasses.replace(bot_settings, telegram_digest_check_seconds=0.3)
    first = start_bot(settings)
    fake_api.wait(lambda cs: any(c.method == "sendMessage" and c.params["chat_id"] == str(USER) for c in cs))
    time.sleep(0.5)
    chats = [c.params["chat_id"] for c in fake_api.of("sendMessage")]
    assert chats[0] == str(GROUP) and set(chats[1:]) == {str(USER)}
    first.stop()
    start_bot(settings)
    time.sleep(1.5)
    assert len(fake_api.of("sendMessage")) == len(chats)
