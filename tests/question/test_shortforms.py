"""Phone-style questions: short forms, loose dates, provinces and the figure a question asks for."""
import pytest

from quydinh_bot.answer.render import highlight_figures
from quydinh_bot.question.query import find_province, parse_query
from quydinh_bot.question.shortforms import expand_shortforms, loose_dates


@pytest.mark.parametrize("typed, written", [
    ("bc kq dh dang bo quan su", "báo cáo kết quả đại hội dang bo quan su"),
    ("tổng số đv bn", "tổng số đảng viên bao nhiêu"),
    ("chỉ tiêu kết nạp ĐV?", "chỉ tiêu kết nạp đảng viên?"),
    ("kh 376 ai chu tri", "kế hoạch 376 ai chu tri"),
    ("co may cty xin huan luyen", "co may công ty xin huan luyen"),
])
def test_short_forms_are_written_out_accented_or_not(typed, written):
    assert expand_shortforms(typed) == written


def test_number_only_short_forms_need_a_number_after_them():
    # "da" is "đã" unless a number or an abbreviation follows; "ct" is "chỉ thị" only before a number
    assert expand_shortforms("da hoan thanh chua") == "da hoan thanh chua"
    assert expand_shortforms("da 02 cua tinh") == "đề án 02 cua tinh"
    assert expand_shortforms("da tccsd", {"TCCSD"}) == "đề án tccsd"
    assert expand_shortforms("ct 01-ct/tu") == "chỉ thị 01-ct/tu"
    assert expand_shortforms("ct gi") == "ct gi"


@pytest.mark.parametrize("typed, written", [
    ("bc q3 2026", "bc quý III/2026"),
    ("quy 4/2025", "quý IV/2025"),
    ("quý 2", "quý II"),
    ("t5 lam dong", "tháng 5 lam dong"),
    ("thang 9 nam 2025", "tháng 9/2025"),
    ("tháng 3 2026", "tháng 3/2026"),
])
def test_loose_dates_are_written_as_the_documents_write_them(typed, written):
    assert loose_dates(typed) == written


def test_loose_dates_leave_other_words_alone():
    assert loose_dates("quy dinh 04 va quy hoach") == "quy dinh 04 va quy hoach"
    assert loose_dates("t50 va q7") == "t50 va q7"


@pytest.mark.parametrize("question, intent", [
    ("ai lo tuyen truyen sap xep bo may", "lead"),
    ("cu can bo di hoc llct ai lam", "lead"),
    ("huy hieu dang dot 2/9 thang may", "deadline"),
    ("bc kq dai hoi sau may ngay", "deadline"),
    ("can bo dien btv ql bn nguoi", "fact"),
    ("lam dong dieu dong may can bo", "fact"),
    ("khắc phục hạn chế trong sinh hoạt chi bộ", "clause"),
])
def test_terse_intents(question, intent):
    assert parse_query(question).intent == intent


def test_month_without_year_is_read():
    q = parse_query("thang 9 co nhung viec gi")
    assert q.month_only == 9 and q.month is None
    assert parse_query("t5/2026 lam dong").month == (2026, 5)


@pytest.mark.parametrize("text, province", [
    ("tinh lao cai chi tieu ket nap", "Lào Cai"),
    ("Tỉnh Lào Cai chỉ tiêu kết nạp", "Lào Cai"),
    ("dai hoi dang bo tinh nghe an", "Nghệ An"),
    ("tong so tccsd thai nguyen", "Thái Nguyên"),
    ("học tập tư tưởng Hồ Chí Minh", None),  # a name that is also an ordinary phrase needs "tỉnh / thành phố"
    ("giu gin hoa binh", None),
    ("thanh pho ho chi minh", "Hồ Chí Minh"),
])
def test_province_named_in_a_question(text, province):
    assert find_province(text) == province


def test_figures_are_counts_not_years_dates_or_numbers_of_documents():
    text = "Năm 2026 theo Nghị quyết số 21-NQ/TW, đợt 19/5/2026, khóa 115: tổng số 470 đồng chí, đạt 3,2%"
    assert highlight_figures(text) == ("Năm 2026 theo Nghị quyết số 21-NQ/TW, đợt 19/5/2026, khóa 115: "
                                        "tổng số **470** đồng chí, đạt **3,2%**")
