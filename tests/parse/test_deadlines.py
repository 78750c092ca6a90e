import pytest

from quydinh_bot.parse.deadlines import is_deadline_phrase, parse_deadline


@pytest.mark.parametrize("text,due,kind", [
    ("Trước 31/8/2025", "2025-08-31", "date"),
    ("Trước  01/9/2025", "2025-09-01", "date"),
    ("Quý IV/2022", "2022-12-31", "quarter"),
    ("Quý III/2023", "2023-09-30", "quarter"),
    ("Tháng 03/2026", "2026-03-31", "month"),
    ("Tháng 7-9/2025", "2025-09-30", "month"),
    ("trong năm 2030", "2030-12-31", "year"),
    ("Năm 2025, 2026", "2026-12-31", "year"),
    ("Thực hiện thường xuyên", None, "recurring"),
    ("Thực hiện thường xuyên, hằng năm", None, "recurring"),
    ("Trong quý IV hằng năm", None, "recurring"),
    ("Sau khi có hướng dẫn của Trung ương", None, "conditional"),
    ("Ngay sau Đại hội Đảng bộ tỉnh", None, "conditional"),
    ("Đã hoàn thành", None, "done"),
    ("Thực hiện khi có văn bản chỉ đạo của Trung ương (Trong năm 2023)", "2023-12-31", "year"),
    ("Thực hiện thường xuyên (Hoàn thành các mục tiêu và tổng kết Đề án vào quý IV/2025)", "2025-12-31", "quarter"),
])
def test_parse_deadline(text, due, kind):
    d = parse_deadline(text)
    assert d.text == " ".join(text.split())
    assert (d.due, d.kind) == (due, kind)


def test_a_start_year_is_not_a_due_date():
    d = parse_deadline("Theo hướng dẫn của Trung ương, thực hiện từ năm 2023")
    assert d.due is None and d.kind == "conditional"


def test_impossible_dates_do_not_crash():
    assert parse_deadline("Trước 31/2/2025").due is None
    assert parse_deadline("") is None
    assert parse_deadline(None) is None


def test_deadline_phrases():
    assert is_deadline_phrase("thực hiện thường xuyên")
    assert is_deadline_phrase("hoàn thành trong năm 2030")
    assert not is_deadline_phrase("bổ sung")
    assert not is_deadline_phrase("quy hoạch lần đầu")
