"""What a question asks for, read from its words (question/query.py detect_intent, asked.asked_kinds,
register.read_register_question), on phrasings a person uses, of the seed documents and of documents the
reader was not written on."""
from datetime import date

import pytest

from quydinh_bot.language.text import fold
from quydinh_bot.question.asked import asked_kinds
from quydinh_bot.question.query import detect_intent
from quydinh_bot.question.register import DocRef, read_register_question


@pytest.mark.parametrize("question, intent", [
    ("boi duong chu tri cuoc hop bau cu cap xa bao nhieu", "fact"),  # "chủ trì" is what is paid for
    ("Ai chủ trì, bao nhiêu đơn vị tham gia?", "lead"),  # a who-word asks who
    ("Cấp nào ra quyết định phát thẻ đảng viên?", "lead"),
    ("Phòng nào được giao tổ chức huấn luyện?", "lead"),
    ("co may cty xin huan luyen dot nay", "fact"),
    ("cac buoc co quan gioi thieu nguoi ung cu", "list"),
    ("Ai chủ trì số hóa tài liệu, hạn khi nào?", "lead"),
    ("ai chu tri so hoa tai lieu", "lead"),
    ("Cơ quan nào chủ trì tổng kết công tác kiểm tra?", "lead"),
    ("Khi nào hoàn thành số hóa tài liệu?", "deadline"),
    ("Đề án được thực hiện trong bao lâu?", "deadline"),
    ("Lớp học bơi miễn phí mở vào thời gian nào?", "deadline"),  # any time asked (asked.asked_kinds)
    ("tang huy hieu dang dot 19/5 tham muu luc nao", "deadline"),
    ("huan luyen mat may ngay", "clause"),  # a duration is not a deadline
    ("Chỉ tiêu kết nạp đảng viên năm nay là bao nhiêu?", "fact"),
    ("Tháng 3/2026 có những nhiệm vụ nào?", "list"),
    ("Quy hoạch cán bộ lãnh đạo", "clause"),
])
def test_intent(question, intent):
    assert detect_intent(fold(question))[0] == intent


def test_a_room_is_a_place_a_department_that_acts_is_not():
    assert "place" in asked_kinds(fold("Lớp học ở phòng nào?"))
    assert "place" not in asked_kinds(fold("Phòng nào được giao tổ chức huấn luyện?"))
    assert "place" not in asked_kinds(fold("Hồ sơ nộp xong thì phòng nào chủ trì thẩm định?"))


@pytest.mark.parametrize("question", ["Nghị quyết áp dụng từ ngày nào?", "quy dinh nay bat dau ap dung khi nao"])
def test_applies_from_asks_effect(question):
    assert "effect" in asked_kinds(fold(question))


def test_what_a_plan_is_for_is_no_task_list():
    docs = [DocRef("kh-1", "12/KH-SCT", "kế hoạch", "Kế hoạch kiểm tra an toàn", "Lào Cai")]
    today = date(2026, 1, 20)
    assert read_register_question("kh kiem tra nay de lam gi", docs, today) is None
    assert read_register_question("kh kiem tra nay lam gi", docs, today) is not None


def test_tense_words_are_no_topic():
    from quydinh_bot.question.query import parse_query

    assert parse_query("Đoàn đã kiểm tra bao nhiêu đơn vị?").content_words == ["doan", "kiem_tra", "don_vi"]
    assert "se" not in parse_query("Ai sẽ chủ trì hội nghị?").content_words


def test_the_steps_asked_for_are_no_topic_word():
    from quydinh_bot.question.query import parse_query

    q = parse_query("cac buoc co quan gioi thieu nguoi ung cu")
    assert q.intent == "list" and "buoc" not in q.content_words
