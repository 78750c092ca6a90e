"""What the answer says when it asks back or names a figure (answer/render.py), from a question read
without an index."""
from quydinh_bot.answer.render import NO_WORDS, _asked_line, ask_back
from quydinh_bot.question.query import parse_query
from quydinh_bot.records import Clause


def test_the_ask_back_names_what_to_add_by_what_is_asked():
    assert "cơ quan chủ trì" in ask_back(parse_query("ai chủ trì"))
    assert "thời hạn" in ask_back(parse_query("hạn chót"))
    assert "con số" in ask_back(parse_query("bao nhiêu"))
    assert "nội dung cần tra cứu" in ask_back(parse_query("của"))
    for text in (ask_back(parse_query("ai chủ trì")), NO_WORDS):
        assert text.startswith("Câu hỏi chưa") and "Ví dụ: “" in text and "Nguồn" not in text


def test_the_ask_back_repeats_what_was_understood():
    text = ask_back(parse_query("Ban Tổ chức Tỉnh ủy năm 2026"))
    assert "về Ban Tổ chức Tỉnh ủy, năm 2026" in text


def _clause(text: str) -> Clause:
    return Clause(doc_id="d", number="1", kind="item", text=text)


def test_the_first_line_names_the_figure_in_its_whole_phrase_never_cut_inside_it():
    c = _clause("Phấn đấu hằng năm tỷ lệ kết nạp đảng viên đều đạt chỉ tiêu; trong đó, kết nạp khoảng trên 1.750 "
                "đảng viên trong các doanh nghiệp và trên 2.500 đảng viên trong học sinh, sinh viên.")
    q = parse_query("kết nạp bao nhiêu đảng viên trong doanh nghiệp")
    line = _asked_line(c, q, {"ket_nap": 4.0, "dang_vien": 1.5, "doanh_nghiep": 3.0})
    assert line == "Trả lời: Kết nạp khoảng trên **1.750** đảng viên trong các doanh nghiệp"


def test_a_clause_without_the_figure_says_so_in_the_first_line():
    q = parse_query("tỷ lệ bí thư cấp ủy cơ sở có trình độ lý luận chính trị bao nhiêu")
    line = _asked_line(_clause("Nâng cao tỉ lệ bí thư cấp ủy cơ sở có trình độ lý luận chính trị."), q, {},
                       no_figure=True)
    assert line is not None and "không nêu con số" in line
