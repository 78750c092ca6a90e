"""rules.check catches each kind of bad item (so the builder's filter and the tests can rely on it)."""
import dataclasses

import pytest

from quydinh_bot.quiz import build_quiz
from quydinh_bot.quiz.builders import difficulty_of, nearby_figures, nearby_times, similarity
from quydinh_bot.quiz.phrases import body_name, figures, task_phrase
from quydinh_bot.quiz.rules import check, check_set


@pytest.fixture(scope="module")
def lead_item(quiz_corpus):
    clauses, documents, by_id = quiz_corpus
    item = next(it for it in build_quiz(clauses, documents, doc_id="kh-376-2025", types=["lead"], n=20, seed=5)
                if by_id[it.clause_id].partners and body_name(by_id[it.clause_id].partners[0]))
    return item, by_id[item.clause_id]


def _with(item, **changes):
    return dataclasses.replace(item, **changes)


def _swap_distractor(item, value):
    options = list(item.options)
    wrong = next(i for i in range(4) if i != item.correct)
    options[wrong] = value
    return _with(item, options=options)


def test_good_item_passes(lead_item):
    item, clause = lead_item
    assert check(item, clause) == []


def test_each_broken_rule_is_reported(lead_item):
    item, clause = lead_item
    answer = item.options[item.correct]
    cases = {
        "dấu ?": _with(item, question=item.question.rstrip("?") + "."),
        "ký hiệu định dạng": _with(item, question="**" + item.question),
        "kết thúc lửng": _with(item, question=item.question[: item.question.index("“")] + "của?"),
        "trùng nhau": _swap_distractor(item, answer.upper()),
        "cũng đúng với điều khoản": _swap_distractor(item, clause.partners[0]),
        "khác loại": _swap_distractor(item, "Trước 31/8/2025"),
        "không có trong điều khoản": _with(item, options=[o if i != item.correct else "Sở Y tế"
                                                           for i, o in enumerate(item.options)], answer="Sở Y tế"),
        "cần 4 phương án": _with(item, options=item.options[:3]),
        "để lộ đáp án": _with(item, question=item.question.replace("cơ quan nào", answer)),
        "trích nguyên văn": _with(item, explanation="Xem văn bản."),
        "trích dẫn không khớp": _with(item, citation="Kế hoạch khác"),
    }
    for expected, bad in cases.items():
        problems = check(bad, clause)
        assert any(expected in p for p in problems), (expected, problems)


def test_check_set_finds_repeats(lead_item):
    item, _ = lead_item
    assert check_set([item]) == []
    assert check_set([item, _with(item, question=item.question.upper())])
    assert check_set([item, _with(item, question="Câu khác hẳn về cùng một việc?")])  # same fact


def test_truefalse_rules(quiz_corpus):
    clauses, documents, by_id = quiz_corpus
    tf = build_quiz(clauses, documents, types=["truefalse"], n=10, seed=3)
    for it in tf:
        c = by_id[it.clause_id]
        assert check(it, c) == []
        flipped = _with(it, correct=1 - it.correct)
        assert any("không khớp nhận định" in p for p in check(flipped, c))


def test_difficulty_is_measured_from_closeness():
    assert difficulty_of(0.1) == "easy" and difficulty_of(0.6) == "medium" and difficulty_of(0.95) == "hard"
    assert similarity("percent", "3,2%", "3,5%") > similarity("percent", "3,2%", "50%")
    assert similarity("time", "Trước 31/8/2025", "Trước 30/9/2025") > similarity("time", "Trước 31/8/2025",
                                                                                   "Trước 31/8/2026")


def test_nearby_values_keep_the_documents_wording():
    assert "Trước 30/9/2025" in nearby_times("Trước 31/8/2025", "date")
    assert "Tháng 02/2026" in nearby_times("Tháng 01/2026", "month")
    assert "Quý I/2023" in nearby_times("Quý IV/2022", "quarter")
    f = figures("thành lập mới ít nhất 08 tổ chức đảng")[0]
    assert f.text == "08 tổ chức đảng" and "06 tổ chức đảng" in nearby_figures(f)
    assert all(0 < figures(v)[0].value <= 100 for v in nearby_figures(figures("100% chi bộ")[0]))


def test_task_phrase_never_dangles():
    long = ("Rà soát đội ngũ cán bộ, cấp ủy viên cấp cơ sở, xác định nhu cầu đào tạo lý luận chính trị từ trung cấp "
            "trở lên, tham mưu cho Ban Thường vụ Tỉnh ủy xây dựng chương trình đào tạo toàn khóa và kế hoạch đào tạo.")
    phrase = task_phrase(long)
    # cut at 24 words would split "trung cấp"; the cut moves back to a whole word
    assert phrase == "Rà soát đội ngũ cán bộ, cấp ủy viên cấp cơ sở, xác định nhu cầu đào tạo lý luận chính trị…"
    assert task_phrase("Ban Tổ chức Tỉnh ủy:") is None
