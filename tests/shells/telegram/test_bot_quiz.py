"""`/quiz` end to end: the real Application against the fake Bot API, over the real corpus."""
from __future__ import annotations

import time

from bot_ids import GROUP, STRANGER, USER
from fake_bot_api import BOT_ID
from test_bot_e2e import buttons, say

from quydinh_bot.shells.telegram.format import escape
from quydinh_bot.shells.telegram.quiz import MAX_N, QuizSessions, parse_args, parse_callback


def _msg(sent: dict, chat_id: int = USER, chat_type: str = "private") -> dict:
    """The bot's message as a callback query carries it."""
    return {"message_id": 77, "date": 0, "chat": {"id": chat_id, "type": chat_type}, "text": sent["text"],
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý"}, "reply_markup": sent["reply_markup"]}


def _press(api, user, data, message):
    """Press a button; the calls the bot makes up to its next sendMessage (next question or score)."""
    mark = api.mark()
    api.callback(user, data, message)
    api.wait_sent(1, mark)
    time.sleep(0.2)
    return mark


def test_quiz_questions_answers_and_score(bot, bot_assistant, fake_api):
    (first,) = say(fake_api, "/quiz 3")
    assert first["text"].startswith("<b>Câu 1/3</b>")
    # the items the bot uses are those of its seed: the first quiz of this chat
    seed = QuizSessions().seed_for(USER)
    items = bot_assistant.quiz(n=3, seed=seed)
    assert escape(items[0].question) in first["text"]
    data = list(buttons(first).values())
    assert len(data) == len(items[0].options) and all(len(d.encode()) <= 64 for d in data)

    # a right answer
    mark = _press(fake_api, USER, data[items[0].correct], _msg(first))
    (cb,) = [c.params for c in fake_api.of("answerCallbackQuery", mark)]
    assert cb["text"] == "Đúng!"
    (edit,) = [c.params for c in fake_api.of("editMessageText", mark)]
    assert "✅ <b>Đúng!</b>" in edit["text"] and "❌" not in edit["text"]
    assert "Giải thích: " + escape(items[0].explanation) in edit["text"]
    assert f"<i>Nguồn: {escape(items[0].citation)}</i>" in edit["text"]
    assert not buttons(edit)
    (second,) = [c.params for c in fake_api.of("sendMessage", mark)]
    assert second["text"].startswith("<b>Câu 2/3</b>") and escape(items[1].question) in second["text"]

    # a wrong answer: the correct option is named
    wrong = next(i for i in range(len(items[1].options)) if i != items[1].correct)
    mark = _press(fake_api, USER, list(buttons(second).values())[wrong], _msg(second))
    (edit,) = [c.params for c in fake_api.of("editMessageText", mark)]
    assert "❌ <b>Chưa đúng.</b> Đáp án: <b>" in edit["text"]
    assert escape(items[1].options[items[1].correct]) in edit["text"].split("Đáp án: ")[1]
    assert escape(items[1].explanation) in edit["text"] and escape(items[1].citation) in edit["text"]
    (third,) = [c.params for c in fake_api.of("sendMessage", mark)]

    # pressing an answered question's button again changes nothing
    mark = fake_api.mark()
    fake_api.callback(USER, list(buttons(second).values())[0], _msg(second))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "đã được trả lời" in cb["text"]

    # the last answer, then the score
    mark = _press(fake_api, USER, list(buttons(third).values())[items[2].correct], _msg(third))
    (score,) = [c.params for c in fake_api.of("sendMessage", mark)]
    assert score["text"] == "Bạn trả lời đúng 2/3 câu."

    # the finished quiz's buttons: a short reply, nothing else
    mark = fake_api.mark()
    fake_api.callback(USER, list(buttons(third).values())[0], _msg(third))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "Bộ câu hỏi này đã kết thúc" in cb["text"]
    time.sleep(0.3)
    assert not fake_api.of("editMessageText", mark) and not fake_api.of("sendMessage", mark)


def test_quiz_restart_stop_and_bad_arguments(bot, fake_api):
    (old,) = say(fake_api, "/quiz 2 kh-376-2025")
    assert old["text"].startswith("<b>Câu 1/2</b>")
    (new,) = say(fake_api, "/quiz 2")  # a restart: the first quiz's buttons are stale
    mark = fake_api.mark()
    fake_api.callback(USER, list(buttons(old).values())[0], _msg(old))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "Bộ câu hỏi này đã kết thúc" in cb["text"]

    assert say(fake_api, "/quiz_dung")[0]["text"] == "Đã dừng bộ câu hỏi: bạn trả lời đúng 0/0 câu đã làm."
    mark = fake_api.mark()
    fake_api.callback(USER, list(buttons(new).values())[0], _msg(new))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "Bộ câu hỏi này đã kết thúc" in cb["text"]
    assert "Không có bộ câu hỏi nào đang làm" in say(fake_api, "/quiz_dung")[0]["text"]

    assert f"từ 1 đến {MAX_N}" in say(fake_api, "/quiz 50")[0]["text"]
    assert f"từ 1 đến {MAX_N}" in say(fake_api, "/quiz 0")[0]["text"]
    reply = say(fake_api, "/quiz 3 khong-co")[0]["text"]
    assert "Không có văn bản mã “khong-co”" in reply and "kh-376-2025" in reply
    assert "Cú pháp: /quiz" in say(fake_api, "/quiz 3 kh-376-2025 thua")[0]["text"]
    assert "Chỉ tạo được" in say(fake_api, f"/quiz {MAX_N} kh-99-2025")[0]["text"]
    assert "/quiz" in say(fake_api, "/help")[0]["text"]


def test_quiz_buttons_refuse_strangers(bot, fake_api):
    (question,) = say(fake_api, "/quiz 2")
    mark = fake_api.mark()  # a stranger pressing a button of a forwarded quiz
    fake_api.callback(STRANGER, list(buttons(question).values())[0], _msg(question, chat_id=STRANGER))
    (cb,) = fake_api.wait_sent(1, mark, method="answerCallbackQuery")
    assert "chưa được cấp quyền" in cb["text"]
    time.sleep(0.5)
    assert not fake_api.of("editMessageText", mark) and not fake_api.of("sendMessage", mark)
    (sent,) = say(fake_api, "/quiz 2", user=STRANGER)
    assert "chưa được cấp quyền" in sent["text"] and not buttons(sent)

    # in an allowed group anyone may answer the group's quiz
    group = {"chat_id": GROUP, "chat_type": "supergroup"}
    (gq,) = say(fake_api, "/quiz 1", **group)
    _press(fake_api, STRANGER, list(buttons(gq).values())[0], _msg(gq, GROUP, "supergroup"))
    (score,) = [c.params for c in fake_api.of("sendMessage", mark) if c.params["chat_id"] == str(GROUP)][1:]
    assert score["text"] in ("Bạn trả lời đúng 0/1 câu.", "Bạn trả lời đúng 1/1 câu.")


def test_parse_args_and_callback():
    docs = ["kh-376-2025", "ct-05-2025"]
    assert parse_args([], docs).n == 5 and parse_args([], docs).doc_id is None
    a = parse_args(["KH-376-2025", "7"], docs)
    assert (a.n, a.doc_id) == (7, "kh-376-2025")
    assert parse_callback("z:abc_DEF-1:3:2") == ("abc_DEF-1", 3, 2)
    assert parse_callback("z:abc:3") is None and parse_callback("s:abc") is None
    s = QuizSessions()
    assert s.seed_for(-100222) != s.seed_for(-100222)
