"""What a question is about (Question.topic_words, Question.vague) and a year typed alone: read from the
question's words, before any search."""
import pytest

from quydinh_bot.question.query import parse_query


@pytest.mark.parametrize("question", ["han", "hạn chót", "ai chu tri", "chủ trì", "bao nhiêu", "khi nào", "của",
                                      "ai chủ trì nhiệm vụ này", "Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "năm 2026",
                                      "tháng 9/2025", "kế hoạch", "văn bản", "việc gì"])
def test_no_topic_of_its_own(question):
    q = parse_query(question)
    assert q.topic_words == [] and q.vague


@pytest.mark.parametrize("question,topic", [("ai chu tri so hoa tai lieu", "lieu"),  # unaccented: syllables
                                            ("hạn tổng kết công tác kiểm tra", "tong_ket"),
                                            ("Tỉnh ủy giao gì cho Ban Tuyên giáo về báo chí", "bao_chi"),
                                            ("chỉ tiêu kết nạp đảng viên 2026", "ket_nap")])
def test_a_topic_word_is_kept(question, topic):
    q = parse_query(question)
    assert topic in q.topic_words and not q.vague


@pytest.mark.parametrize("question", ["Kế hoạch 376-KH/TU", "hạn kế hoạch 376-KH/TU", "Nghị định 100/2019/NĐ-CP"])
def test_a_named_document_is_something_to_look_up(question):
    assert not parse_query(question).vague


@pytest.mark.parametrize("question,year", [("chi tieu ket nap dang vien 2026", 2026), ("ke hoach 2026 co gi", 2026),
                                           ("nhiệm kỳ 2025-2030", None), ("giai đoạn 2025 - 2030", None),
                                           ("ngày 19/5/2026", None), ("từ 2025 đến 2026", None),
                                           ("quyết định số 2026", None), ("năm 2025 kết nạp", 2025)])
def test_a_year_typed_alone_is_the_year_asked(question, year):
    assert parse_query(question).year == year


@pytest.mark.parametrize("question", ["còn hạn khi nào?", "con han khi nao", "thế còn gì nữa", "xong rồi"])
def test_a_follow_up_without_its_subject_is_vague(question):
    assert parse_query(question).vague
