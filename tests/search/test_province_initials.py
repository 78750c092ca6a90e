"""A corpus province typed by its initials ('toàn tỉnh TN', 'LĐ'), accented and unaccented."""
import pytest

from quydinh_bot.question.query import parse_query
from quydinh_bot.search.searcher import other_years_only, province_initials, short_province

PROVINCES = {"Thái Nguyên", "Lâm Đồng", "Lai Châu", "Tuyên Quang", "Tây Ninh"}
SHORT_FORMS = {"btv", "ubkt"}  # folded short forms of the abbreviation table


def test_initials_only_when_one_province_has_them():
    got = province_initials(PROVINCES)
    assert got["ld"] == "Lâm Đồng" and got["lc"] == "Lai Châu" and got["tq"] == "Tuyên Quang"
    assert "tn" not in got  # Thái Nguyên and Tây Ninh


def _read(q, provinces: set[str]) -> None:
    short_province(q, province_initials(provinces), SHORT_FORMS)


@pytest.mark.parametrize("question", ["tổng số đv toàn tỉnh TN", "tong so dv toan tinh tn", "đảng viên TN bao nhiêu"])
def test_initials_name_the_corpus_province(question):
    q = parse_query(question)
    _read(q, {"Thái Nguyên", "Lâm Đồng"})
    assert q.province == "Thái Nguyên" and "tn" not in q.content_words


def test_lower_case_initials_need_tinh_and_ambiguous_ones_are_left():
    q = parse_query("doan tn cap xa")
    _read(q, {"Thái Nguyên", "Lâm Đồng"})
    assert q.province is None
    q = parse_query("toàn tỉnh TN")
    _read(q, PROVINCES)
    assert q.province is None


def test_a_clause_about_other_years_only():
    assert other_years_only("khen thưởng đảng viên tiêu biểu 5 năm liền (2021 - 2025).", 2026)
    assert not other_years_only("khen thưởng đảng viên năm 2026", 2026)
    assert not other_years_only("giai đoạn 2025-2030", 2026)  # a range that holds it
    assert not other_years_only("khen thưởng đảng viên", 2026)  # no year at all


def test_capitals_after_a_body_word_are_that_body_short_form():
    q = parse_query("Đoàn TN cấp xã làm gì")
    _read(q, {"Thái Nguyên", "Lâm Đồng"})
    assert q.province is None
