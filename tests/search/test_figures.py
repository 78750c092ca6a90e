"""The figure a 'how many' question asks for, in clauses that hold several (accented and unaccented questions)."""
import pytest

from quydinh_bot.language.text import fold
from quydinh_bot.search.figures import asked_figure, asked_unit, figures, segments, states_figure, states_unit


def ask(text: str, words: list[str], question: str, short=None) -> str | None:
    m = asked_figure(text, {w: 1.0 for w in words}, fold(question), short)
    return m.group(1) if m else None


ROSTER = "Cán bộ nữ: 99 đồng chí, chiếm 21,1%; dân tộc thiểu số: 177 đồng chí, chiếm 37,7%."


@pytest.mark.parametrize("question", ["cán bộ dân tộc thiểu số bao nhiêu người",
                                      "can bo dan toc thieu so bao nhieu nguoi"])
def test_label_before_colon_names_the_count(question):
    assert ask(ROSTER, ["dan_toc_thieu_so"], question) == "177"


@pytest.mark.parametrize("question", ["cán bộ nữ chiếm bao nhiêu phần trăm", "can bo nu chiem bn %"])
def test_a_share_question_takes_the_percentage(question):
    assert ask(ROSTER, ["nu"], question) == "21,1%"


def test_words_after_the_figure_name_it():
    text = ("Tỷ lệ kết nạp đảng viên mới đạt từ 3,2% trở lên; trong đó kết nạp tối thiểu 500 đảng viên là học sinh, "
            "sinh viên và 350 đảng viên trong doanh nghiệp.")
    assert ask(text, ["ket_nap", "dang_vien", "doanh_nghiep"], "chi tieu ket nap dang vien trong doanh nghiep") == "350"


def test_a_list_header_belongs_to_no_item_and_a_share_base_is_not_its_topic():
    text = ("Phân đầu quy hoạch cấp ủy các cấp: Cán bộ trẻ từ 15% trở lên, cán bộ nữ từ 25% trở lên, cán bộ có trình "
            "độ khoa học, công nghệ từ 10% trở lên trên tổng số cán bộ được quy hoạch cấp ủy các cấp.")
    asked = "quy hoạch cấp ủy các cấp cán bộ nữ tối thiểu bao nhiêu"
    assert ask(text, ["quy_hoach", "cap", "uy", "can_bo", "nu"], asked) == "25%"


def test_an_aside_is_its_own_segment_and_figures_named_in_the_question_are_not_answers():
    text = ("Toàn tỉnh còn 07 chi bộ thôn sinh hoạt ghép (trong đó: ghép 02 thôn là 06 chi bộ; "
            "ghép 03 thôn là 01 chi bộ).")
    assert ask(text, ["chi_bo", "thon", "sinh_hoat", "ghep"], "con bao nhieu chi bo thon sinh hoat ghep") == "07"
    ages = "Từ 18 - 30 tuổi là 8.941 chiếm 6,4%; từ 31 - 35 tuổi là 16.724 chiếm 11,9%."
    assert ask(ages, ["tuoi"], "đảng viên từ 18-30 tuổi chiếm bao nhiêu %") == "6,4%"


def test_level_asked_wins_over_another_level():
    text = "Tỷ lệ cán bộ trẻ tham gia cấp ủy cấp tỉnh đạt từ 5% trở lên; tham gia cấp ủy cấp xã đạt từ 20% trở lên."
    assert ask(text, ["can_bo", "tre", "tham_gia", "cap", "xa"], "can bo tre tham gia cap uy cap xa dat bn %") == "20%"


def test_short_form_in_the_clause_holds_its_expansion():
    text = "Toàn Đảng bộ có 735 TCCSĐ (trong đó 241 đảng bộ cơ sở), 4.147 chi bộ trực thuộc."
    short = {"tccsd": ["to_chuc", "co_so", "dang"]}
    assert ask(text, ["to_chuc", "co_so", "dang"], "tong so to chuc co so dang", short) == "735"


def test_done_of_planned_and_what_is_not_a_figure():
    got = [m.group(1) for m in figures("đã phát triển 1.340/3.850 đảng viên mới, đạt tỷ lệ 34,81%")]
    assert got == ["1.340/3.850", "34,81%"]
    assert figures("Năm 2026, Nghị quyết số 21-NQ/TW, đợt 19/5/2026, khóa 115") == []
    assert [m.group(1) for m in figures("người dân tộc thiểu số 55.477 đồng chí")] == ["55.477"]
    assert ask("Năm 2026 hoàn thành", [], "bao nhieu") is None


def test_segments_keep_share_with_its_count():
    text = ("Đảng viên là nữ 58.073 đồng chí, chiếm 41,3%; "
            "đảng viên là người dân tộc thiểu số 55.477 đồng chí, chiếm 39,4%")
    assert [text[a:b].strip() for a, b in segments(text)] == [
        "Đảng viên là nữ 58.073 đồng chí, chiếm 41,3%",
        "đảng viên là người dân tộc thiểu số 55.477 đồng chí, chiếm 39,4%"]


@pytest.mark.parametrize("text,value,phrase", [
    ("Phấn đấu hằng năm tỷ lệ kết nạp đảng viên đều đạt chỉ tiêu; trong đó, kết nạp khoảng trên 1.750 đảng viên "
     "trong các doanh nghiệp và trên 2.500 đảng viên trong học sinh, sinh viên.", "1.750",
     "Kết nạp khoảng trên 1.750 đảng viên trong các doanh nghiệp"),
    ("Tỷ lệ kết nạp đảng viên mới đạt từ 3,2% trở lên; trong đó kết nạp tối thiểu 500 đảng viên là học sinh, "
     "sinh viên và 350 đảng viên trong doanh nghiệp.", "500", "Kết nạp tối thiểu 500 đảng viên là học sinh, sinh viên"),
    (ROSTER, "21,1%", "Cán bộ nữ: 99 đồng chí, chiếm 21,1%"),
    ("Phân đầu quy hoạch cấp ủy các cấp: Cán bộ trẻ từ 15% trở lên, cán bộ nữ từ 25% trở lên, cán bộ có trình "
     "độ khoa học, công nghệ từ 10% trở lên.", "25%", "Phân đầu quy hoạch cấp ủy các cấp: … cán bộ nữ từ 25% trở lên"),
])
def test_the_figure_is_named_by_its_whole_phrase(text, value, phrase):
    from quydinh_bot.search.figures import figure_phrase

    m = next(f for f in figures(text) if f.group(1) == value)
    assert figure_phrase(text, m) == phrase


def test_a_long_phrase_is_shortened_at_whole_words_around_the_figure():
    from quydinh_bot.search.figures import PHRASE_LIMIT, figure_phrase

    text = "Các cấp ủy " + "tiếp tục lãnh đạo, chỉ đạo thực hiện tốt công tác " * 6 + "kết nạp 120 đảng viên " + \
        "bảo đảm chất lượng theo đúng quy định của Điều lệ Đảng và hướng dẫn của cấp trên " * 4
    out = figure_phrase(text, next(iter(figures(text))))
    assert "120 đảng viên" in out and out.startswith("… ") and out.endswith(" …")
    assert len(out) <= PHRASE_LIMIT + 4
    assert all(w in text for w in out.strip("… ").split())  # no word cut in half


@pytest.mark.parametrize("question,asks", [("chi tieu ket nap dang vien bao nhieu", True), ("ty le dang vien nu", True),
                                           ("may nguoi", True), ("chi tieu lam sach du lieu la gi", False),
                                           ("ai chu tri", False)])
def test_what_asks_for_a_number(question, asks):
    from quydinh_bot.search.figures import asks_number

    assert asks_number(question) is asks


def test_a_share_question_needs_a_percentage_a_count_question_any_figure():
    from quydinh_bot.search.figures import states_figure

    assert states_figure("ty le bao nhieu phan tram", "đạt 95% trở lên")
    assert not states_figure("bao nhieu phan tram", "kết nạp 120 đảng viên")
    assert states_figure("bao nhieu ngay", "Báo cáo kết quả đại hội", "Sau 05 ngày kể từ ngày bế mạc")
    assert not states_figure("bao nhieu tien", "Hướng dẫn mức đóng đảng phí của đảng viên")


def test_a_money_question_needs_an_amount_of_money_not_a_count():
    from quydinh_bot.search.figures import states_figure

    assert not states_figure("le phi kiem tra la bao nhieu tien", "Xét đề nghị của 28 đơn vị gồm các công ty")
    assert not states_figure("duoc chi bao nhieu tien", "Đoàn gồm 05 đồng chí")  # "đồng chí" is no money
    assert states_figure("duoc chi bao nhieu tien", "Chi làm bảng niêm yết danh sách cử tri: 1.500.000 đồng/bảng")
    assert states_figure("so tien ho tro", "hỗ trợ 1,5 triệu đồng mỗi hộ")
    assert states_figure("muc tien an", "500.000đ/người/ngày")
    # folded alike but no money asked: "tiến sĩ" is a count, "phương tiện" a thing
    assert states_figure("cap uy co bao nhieu tien si", "Tiến sĩ 08 đồng chí")
    assert states_figure("co bao nhieu phuong tien", "huy động 12 phương tiện")
    # what is paid asks money unless another unit is asked
    assert not states_figure("hoc phi lop boi duong la bao nhieu", "Lớp học 05 ngày, 40 học viên")
    assert states_figure("phu cap hang thang bao nhieu", "Phụ cấp 0,3 mức lương cơ sở: 702.000 đồng/tháng")
    assert states_figure("phu cap duoc huong toi da may thang", "Ba tháng đối với các chức danh")


def test_a_figure_in_words_is_a_figure():
    from quydinh_bot.search.figures import states_figure

    assert states_figure("can bao nhieu dang vien dong y", "có hai phần ba số đảng viên chính thức trở lên đồng ý")
    assert states_figure("toi da may thang", "Ba tháng đối với những người thuộc các chức danh")
    assert not states_figure("bao nhieu nguoi", "Ban thường vụ họp xét và đề nghị cấp ủy")


@pytest.mark.parametrize("question, unit", [
    ("giay chung nhan co thoi han bao nhieu nam", "time"), ("toi da may thang", "time"), ("sau bao lau", "time"),
    ("it nhat bao nhieu ngay", "time"), ("dang vien bao nhieu tuoi thi duoc mien", "tuoi"),
    ("mot nam hop may lan", "lan"), ("ngay 6/7 may gio co mat", ""), ("bao nhieu nguoi", ""), ("nam nao", "")])
def test_the_unit_a_question_asks(question, unit):
    assert asked_unit(question) == unit


@pytest.mark.parametrize("text, unit, stated", [
    ("Thời gian: 1,5 ngày (bắt đầu từ 13h30’ thứ Hai)", "time", True),
    ("Ba tháng đối với những người thuộc các chức danh", "time", True),
    ("Định kỳ hằng quý báo cáo", "time", True),
    ("Thời gian kiểm tra: 13h30’ ngày 29/4/2026 (Thứ Tư).", "time", False),  # a date and a clock time
    ("Hội nghị ngày 06 tháng 7 năm 2026", "time", False),
    ("thời gian dưới 12 tháng thì chi bộ xét", "tuoi", False),  # another unit
    ("công dân từ 18 tuổi trở lên", "tuoi", True),
    ("Đại hội lần thứ hai", "lan", False), ("họp 02 lần mỗi năm", "lan", True)])
def test_a_number_of_the_asked_unit_is_stated_or_not(text, unit, stated):
    assert states_unit(unit, text) is stated


def test_a_figure_of_another_unit_does_not_answer_a_question_that_names_its_unit():
    assert states_figure("bao nhieu thang", "Đợt 1 gồm 12 đơn vị") is False
    assert states_figure("bao nhieu thang", "trong 12 tháng")
    assert states_figure("bao nhieu don vi", "Đợt 1 gồm 12 đơn vị")  # no unit of its own asked: any count
