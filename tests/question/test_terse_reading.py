"""Phone-style questions about a document and how long it runs (accented and unaccented)."""
import pytest

from quydinh_bot.question.query import parse_query
from quydinh_bot.search.searcher import DURATION


@pytest.mark.parametrize("question", ["đề án tccsđ thực hiện trong bao lâu", "de an tccsd duoc thuc hien bao lau",
                                      "Đề án được thực hiện trong bao lâu?"])
def test_a_short_form_between_kind_and_verb_still_names_the_kind(question):
    assert parse_query(question).doc_kind == "đề án"


def test_an_ordinary_word_between_kind_and_verb_does_not():
    assert parse_query("de an cung co thuc hien").doc_kind is None
    assert parse_query("ke hoach 376 giao ai").doc_kind is None


def test_how_long_is_answered_by_a_duration():
    assert "duration" in parse_query("đề án tccsđ thực hiện trong bao lâu").asks
    assert "duration" in parse_query("de an thuc hien may nam").asks
    assert "duration" not in parse_query("trong báo cáo tháng 5 hạn nộp khi nào").asks  # not "trong bao…"
    assert DURATION.search("Đề án được thực hiện trong 5 năm, tương ứng nhiệm kỳ")
    assert not DURATION.search("trong năm 2026")


@pytest.mark.parametrize("question, amount", [
    ("mức đóng đảng phí của đảng viên đang làm việc", True),
    ("cho biet muc dong dang phi cua dv huu tri", True),
    ("muc tieu den 2030 tccsd dv xep loai htt nv tro len bn %", False),   # "mục tiêu" is a goal
    ("Mức độ hoàn thành nhiệm vụ năm 2025", False),
    ("huong dan muc dong dang phi doi voi dang vien gap kho khan", False),  # the task of guiding, not the amount
])
def test_a_question_that_opens_with_muc_asks_an_amount(question, amount):
    from quydinh_bot.search.searcher import ASKS_AMOUNT

    assert bool(ASKS_AMOUNT.search(parse_query(question).folded)) is amount
