"""Time expressions in questions -> due-date windows, accented or not, relative to a pinned today."""
from datetime import date

import pytest

from quydinh_bot.language.text import fold
from quydinh_bot.question.when import mask_year_ranges, parse_window

TODAY = date(2026, 1, 20)  # a Tuesday


@pytest.mark.parametrize("phrase,start,end", [
    ("đến hạn tháng 9/2025", "2025-09-01", "2025-09-30"),
    ("tháng 02 năm 2026", "2026-02-01", "2026-02-28"),
    ("t12/2025", "2025-12-01", "2025-12-31"),
    ("tháng 6", "2026-06-01", "2026-06-30"),  # no year: this year
    ("quý III/2025", "2025-07-01", "2025-09-30"),
    ("q4 2026", "2026-10-01", "2026-12-31"),
    ("quý 1 năm 2026", "2026-01-01", "2026-03-31"),
    ("trong năm 2023", "2023-01-01", "2023-12-31"),
    ("trong 30 ngày tới", "2026-01-20", "2026-02-19"),
    ("2 tuần tới", "2026-01-20", "2026-02-03"),
    ("tuần này", "2026-01-19", "2026-01-25"),
    ("tuần sau", "2026-01-26", "2026-02-01"),
    ("tháng này", "2026-01-01", "2026-01-31"),
    ("tháng tới", "2026-02-01", "2026-02-28"),
    ("quý này", "2026-01-01", "2026-03-31"),
    ("năm nay", "2026-01-01", "2026-12-31"),
    ("hôm nay", "2026-01-20", "2026-01-20"),
    ("trước ngày 31/8/2025", None, "2025-08-31"),
    ("trước tháng 9/2025", None, "2025-08-31"),
    ("từ ngày 1/7/2025", "2025-07-01", None),
    ("từ tháng 7 đến tháng 9/2025", "2025-07-01", "2025-09-30"),
    ("từ 1/7/2025 đến 15/8/2025", "2025-07-01", "2025-08-15"),
])
def test_windows(phrase, start, end):
    for text in (phrase, fold(phrase)):  # the same window typed with or without accents
        w = parse_window(fold(text), TODAY)
        assert w is not None, text
        assert (w.start.isoformat() if w.start else None, w.end.isoformat() if w.end else None) == (start, end), text


def test_no_window_and_term_ranges():
    assert parse_window(fold("Ban Tổ chức Tỉnh ủy chủ trì những việc gì"), TODAY) is None
    # a term of office is not a deadline
    assert parse_window(mask_year_ranges(fold("nhiệm kỳ 2025-2030")), TODAY) is None
    # the month's year is read once, not again as a whole year
    w = parse_window(fold("tháng 9/2025"), TODAY)
    assert w.label == "tháng 9/2025" and len(w.spans) == 1


def test_spans_point_into_the_question():
    q = fold("việc nào đến hạn quý III/2025 nhé")
    w = parse_window(q, TODAY)
    a, b = w.spans[0]
    assert q[a:b] == "quy iii/2025"


def test_half_years():
    w = parse_window(fold("6 tháng đầu năm 2026"), TODAY)
    assert (w.start.isoformat(), w.end.isoformat()) == ("2026-01-01", "2026-06-30")
    w = parse_window(fold("nửa cuối năm"), TODAY)
    assert (w.start.isoformat(), w.end.isoformat()) == ("2026-07-01", "2026-12-31")
