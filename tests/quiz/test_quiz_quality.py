"""Issue 22, item 7: the faults trainers found in quizzes, each a rule in rules.check that rejects the bad
item and keeps the good one (made-up clauses, so each case shows one fault), then the same on the corpus."""
import dataclasses
import re
import unicodedata

import pytest

from quydinh_bot.language.text import fold
from quydinh_bot.quiz import build_quiz, candidates
from quydinh_bot.quiz.builders import _quote
from quydinh_bot.quiz.items import QuizItem
from quydinh_bot.quiz.phrases import figures, not_work_reason
from quydinh_bot.quiz.rules import check
from quydinh_bot.records import Clause, Deadline

CITE = "Kế hoạch số 12-KH/TU ngày 21/7/2025, Phụ lục, mục VI.2.1"
OPTIONS = ["Ban Tổ chức Tỉnh ủy", "Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"]


def _clause(text: str, **kw) -> Clause:
    base = dict(doc_id="kh-12-2025", number="VI.2.1", kind="row", text=text, heading_path=["VI. BAN TỔ CHỨC TỈNH ỦY"],
                lead="Ban Tổ chức Tỉnh ủy", lead_source="section", is_task=True, citation=CITE)
    base.update(kw)
    return Clause(**base)


def _lead_item(c: Clause, phrase: str | None = None, options: list[str] | None = None) -> QuizItem:
    phrase = phrase or c.text.rstrip(".:")
    return QuizItem(question=f"Theo Kế hoạch số 12-KH/TU, cơ quan nào chủ trì nhiệm vụ “{phrase}”?",
                    options=options or list(OPTIONS), correct=0,
                    explanation=f"Căn cứ {CITE}: “{c.text.rstrip('.')}”. Chủ trì: {c.lead}.", type="lead",
                    difficulty="easy", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id, kind="body",
                    answer="Ban Tổ chức Tỉnh ủy", fact=f"lead:{c.clause_id}")


def _problems(item: QuizItem, clause: Clause, word: str) -> list[str]:
    return [p for p in check(item, clause) if word in p]


# --- 1. "who leads" only where work is assigned -------------------------------------------------

GOOD_TASK = "Đề xuất giao biên chế cho các cơ quan, đơn vị năm 2026."


def test_lead_question_kept_on_a_clause_that_assigns_work():
    c = _clause(GOOD_TASK)
    assert not_work_reason(c) is None
    assert check(_lead_item(c), c) == []
    # a lead the issuer holds by default is fine when the clause itself says so
    named = _clause("Giao Ban Tổ chức Tỉnh ủy đề xuất giao biên chế cho các cơ quan, đơn vị năm 2026.",
                    lead_source="issuer")
    assert not_work_reason(named) is None


@pytest.mark.parametrize("text, changes, why", [
    ("Đã kết nạp 1.234 đảng viên mới trong 6 tháng đầu năm.", {}, "số liệu, kết quả"),
    ("Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ đạt 95% trong năm 2025.", {}, "số liệu, kết quả"),
    ("Cử 02 đồng chí tham gia lớp bồi dưỡng kiến thức quốc phòng và an ninh.", {}, "số liệu, kết quả"),
    (GOOD_TASK, {"heading_path": ["I. KẾT QUẢ ĐẠT ĐƯỢC", "2.1. Công tác tổ chức bộ máy"]}, "phần kết quả"),
    (GOOD_TASK, {"lead_source": "issuer"}, "cơ quan ban hành (mặc định)"),
    ("Triển khai các cơ quan, đơn vị thực hiện:", {}, "mở đầu một danh sách"),
    ("Chương trình hành động này xác định những nhiệm vụ, giải pháp trọng tâm.", {}, "chính văn bản"),
])
def test_lead_question_rejected_on_statistics_results_or_issuer_default(text, changes, why):
    c = _clause(text, **changes)
    problems = _problems(_lead_item(c), c, "không giao việc")
    assert problems and why in problems[0], check(_lead_item(c), c)
    # a true/false statement about the lead falls under the same rule
    tf = dataclasses.replace(_lead_item(c), type="truefalse", options=["Đúng", "Sai"], shown="Ban Tổ chức Tỉnh ủy",
                             question=f"Đúng hay sai: Ban Tổ chức Tỉnh ủy chủ trì nhiệm vụ “{text.rstrip('.:')}”?")
    assert _problems(tf, c, "không giao việc")


def test_no_lead_question_on_the_corpus_reports_results(quiz_corpus):
    clauses, documents, by_id = quiz_corpus
    leads = [it for it in build_quiz(clauses, documents, types=["lead"], n=60, seed=11)]
    for it in leads:
        c = by_id[it.clause_id]
        assert not any(re.search(r"KẾT QUẢ|ĐÁNH GIÁ|Kết quả", h) for h in c.heading_path), (it.question, c.heading_path)
        assert c.lead_source in ("explicit", "section") or fold(c.lead) in fold(c.text), it.question
        assert not re.match(r"(\S+\s+){0,6}?đã\s", c.text.lower()), c.text
        assert not figures(c.text) or re.search(r"phấn đấu|ít nhất|tối thiểu|trở lên", c.text.lower()), c.text


# --- 2. the question does not give the answer away ----------------------------------------------

def test_lead_stem_must_not_hold_the_answers_distinctive_words():
    c = _clause("Báo cáo kết quả Đại hội Đảng bộ Công an tỉnh nhiệm kỳ 2025-2030.", lead="Đảng ủy Công an tỉnh")
    options = ["Đảng ủy Công an tỉnh", "Đảng ủy Quân sự tỉnh", "Văn phòng Tỉnh ủy", "Đảng ủy Ủy ban nhân dân tỉnh"]
    bad = dataclasses.replace(_lead_item(c, options=options), answer="Đảng ủy Công an tỉnh")
    assert any("“công an”" in p for p in _problems(bad, c, "để lộ đáp án"))
    other = _clause("Chuẩn bị nhân sự đại hội đảng bộ lực lượng vũ trang tỉnh nhiệm kỳ 2025-2030.",
                    lead="Đảng ủy Công an tỉnh")
    good = dataclasses.replace(_lead_item(other, options=options), answer="Đảng ủy Công an tỉnh")
    assert check(good, other) == []


def _deadline_item(c: Clause, answer: str, options: list[str], phrase: str) -> QuizItem:
    return QuizItem(question=f"Theo Kế hoạch số 12-KH/TU, nhiệm vụ “{phrase}” phải hoàn thành khi nào?",
                    options=options, correct=0,
                    explanation=f"Căn cứ {CITE}: “{c.text.rstrip('.')}”. Thời hạn: {answer}.",
                    type="deadline", difficulty="hard", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id,
                    kind="time", answer=answer, fact=f"deadline:{c.clause_id}")


def test_deadline_stem_must_not_hold_the_deadline():
    months = ["Tháng 6/2026", "Tháng 5/2026", "Tháng 7/2026", "Tháng 8/2026"]
    bad_text = "Tổng hợp báo cáo kết quả công tác tháng 06/2026 gửi Ban Thường vụ Tỉnh ủy."
    bad_c = _clause(bad_text, deadline=Deadline("Tháng 6/2026", "2026-06-30", "month"))
    bad = _deadline_item(bad_c, "Tháng 6/2026", months, bad_text.rstrip("."))
    assert _problems(bad, bad_c, "để lộ đáp án")  # written "06/2026" in the stem, "6/2026" in the option
    good_text = "Tổng hợp báo cáo kết quả công tác 6 tháng đầu năm gửi Ban Thường vụ Tỉnh ủy."
    good_c = _clause(good_text, deadline=Deadline("Tháng 6/2026", "2026-06-30", "month"))
    assert check(_deadline_item(good_c, "Tháng 6/2026", months, good_text.rstrip(".")), good_c) == []


def _figure_item(c: Clause, question: str, answer: str, options: list[str]) -> QuizItem:
    return QuizItem(question=question, options=options, correct=0,
                    explanation=f"Căn cứ {CITE}: “{c.text.rstrip('.')}”.", type="figure", difficulty="hard",
                    clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id,
                    kind="count:đảng viên" if "đảng viên" in answer else "percent", answer=answer,
                    fact=f"figure:{c.clause_id}:0")


def test_figure_blank_must_not_leave_the_figure_elsewhere_in_the_stem():
    text = "Phấn đấu hằng năm kết nạp từ 350 đảng viên mới trở lên, trong đó có 350 đảng viên là đoàn viên."
    c = _clause(text, lead=None, lead_source=None, is_task=False)
    options = ["350 đảng viên", "300 đảng viên", "400 đảng viên", "450 đảng viên"]
    bad = _figure_item(c, "Theo Kế hoạch số 12-KH/TU, hằng năm kết nạp từ bao nhiêu đảng viên mới trở lên, trong đó "
                          "có 350 đảng viên là đoàn viên?", "350 đảng viên", options)
    assert _problems(bad, c, "để lộ đáp án")
    c2 = _clause(text.replace("có 350", "có 120"), lead=None, lead_source=None, is_task=False)
    good = _figure_item(c2, "Theo Kế hoạch số 12-KH/TU, hằng năm kết nạp từ bao nhiêu đảng viên mới trở lên, trong "
                            "đó có 120 đảng viên là đoàn viên?", "350 đảng viên", options)
    assert check(good, c2) == []


# --- 3. explanations: the clause's own words, never cut before the answer ------------------------

LONG = ("Tiếp tục thực hiện có hiệu quả các nhóm nhiệm vụ và giải pháp chủ yếu về nâng cao chất lượng sinh hoạt chi "
        "bộ, nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng, củng cố hệ thống chính trị ở cơ sở và "
        "nâng cao chất lượng đội ngũ cán bộ, đảng viên đáp ứng yêu cầu nhiệm vụ trong tình hình mới; rà soát, sắp xếp "
        "lại các tổ chức cơ sở đảng bảo đảm phù hợp với mô hình tổ chức mới, gắn với việc kiện toàn cấp ủy, tổ chức "
        "đảng ở các địa bàn, lĩnh vực theo Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương.")


def _blank_item(c: Clause, explanation: str) -> QuizItem:
    return QuizItem(question="Theo Kế hoạch số 12-KH/TU, cụm từ nào điền vào chỗ trống trong câu “… theo Nghị quyết "
                             "số (…) ngày 16/6/2022 của Ban Chấp hành Trung ương”?",
                    options=["21-NQ/TW", "19-NQ/TW", "20-NQ/TW", "22-NQ/TW"], correct=0, explanation=explanation,
                    type="blank", difficulty="hard", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id,
                    kind="docref", answer="21-NQ/TW", fact=f"blank:{c.clause_id}:1")


def test_explanation_is_shortened_around_the_answer_at_word_boundaries():
    c = _clause(LONG, lead=None, lead_source=None, is_task=False)
    at = LONG.index("21-NQ/TW")
    quote = _quote(LONG, (at, at + len("21-NQ/TW")))
    assert len(LONG.split()) > 60 and "21-NQ/TW" in quote
    assert quote.startswith("…") and f" {quote[1:].split()[0]} " in f" {LONG} "  # starts on a whole word
    assert check(_blank_item(c, f"Căn cứ {CITE}: “{quote}”."), c) == []
    # the old cut: the first 60 words, which stop before the answer
    head = " ".join(LONG.split()[:60]) + "…"
    assert _problems(_blank_item(c, f"Căn cứ {CITE}: “{head}”."), c, "trước phần chứa đáp án")
    # a cut that is not marked, or that splits a word
    unmarked = quote[1:]
    assert _problems(_blank_item(c, f"Căn cứ {CITE}: “{unmarked}”."), c, "không đánh dấu “…”")
    split = "…" + quote[3:]
    assert _problems(_blank_item(c, f"Căn cứ {CITE}: “{split}”."), c, "nguyên văn")


def test_every_corpus_explanation_quotes_the_clause_and_holds_the_answer(quiz_corpus):
    clauses, documents, by_id = quiz_corpus
    for it in build_quiz(clauses, documents, n=120, seed=5):
        quote = it.explanation.split("“", 1)[1].rsplit("”.", 1)[0] if "”." in it.explanation else ""
        words = quote.strip("…").split()
        text = " ".join(by_id[it.clause_id].text.split())
        if it.type == "truefalse":
            continue
        answer = it.options[it.correct]
        if it.kind in ("percent",) or it.kind.startswith("count"):
            assert figures(answer)[0].text.split()[0] in it.explanation, it.explanation
        else:
            assert fold(answer) in fold(it.explanation) or it.kind == "time", (answer, it.explanation)
        if fold(answer) in fold(text) and it.kind != "time":
            assert fold(answer) in fold(quote), (answer, quote)
        if words and " ".join(words) in text:
            assert quote.startswith("…") or text.startswith(words[0]), quote
            assert quote.endswith("…") or text.rstrip(" .;:").endswith(words[-1].rstrip(".;:")), quote


# --- 4. plausible distractors ---------------------------------------------------------------------

@pytest.mark.parametrize("wrong, why", [
    ("Ban Tổ chức Trung ương", "khác cấp"),  # a central body against a provincial one
    ("Ban Tổ Chức Tỉnh Uỷ", "trùng nhau"),  # the answer in other case and the old tone placement
    (unicodedata.normalize("NFD", "Ban Tổ chức Tỉnh ủy"), "trùng nhau"),  # the answer, decomposed
])
def test_lead_distractors_are_bodies_of_the_answers_level_and_distinct(wrong, why):
    c = _clause(GOOD_TASK)
    item = _lead_item(c)
    options = list(item.options)
    options[1] = wrong
    assert any(why in p for p in check(dataclasses.replace(item, options=options), c)), check(
        dataclasses.replace(item, options=options), c)
    assert check(item, c) == []


def test_deadline_distractors_are_periods_of_the_answers_kind():
    text = "Tổng hợp báo cáo kết quả công tác 6 tháng đầu năm gửi Ban Thường vụ Tỉnh ủy."
    c = _clause(text, deadline=Deadline("Tháng 6/2026", "2026-06-30", "month"))
    good = _deadline_item(c, "Tháng 6/2026", ["Tháng 6/2026", "Tháng 5/2026", "Tháng 7/2026", "Tháng 8/2026"],
                          text.rstrip("."))
    assert check(good, c) == []
    bad = dataclasses.replace(good, options=["Tháng 6/2026", "Quý III/2026", "Tháng 7/2026", "Tháng 8/2026"])
    assert _problems(bad, c, "khác loại thời hạn")
    # a wrong option that is the answer with words taken away ("Năm 2025" of "Năm 2025, 2026")
    c2 = _clause(text, deadline=Deadline("Năm 2025, 2026", "2026-12-31", "year"))
    years = ["Năm 2025, 2026", "Năm 2027", "Năm 2028", "Năm 2029"]
    assert check(_deadline_item(c2, "Năm 2025, 2026", years, text.rstrip(".")), c2) == []
    part = _deadline_item(c2, "Năm 2025, 2026", [*years[:3], "Năm 2025"], text.rstrip("."))
    assert _problems(part, c2, "“Năm 2025”")  # (it also stands in the clause's deadline)


@pytest.mark.parametrize("wrong, ok", [
    ("85%", True), ("95%", True),
    ("37,7%", False),  # 52 points away
    ("92,55%", False),  # a decimal among round targets: found by its shape
])
def test_figure_distractors_have_the_answers_unit_magnitude_and_precision(wrong, ok):
    text = "Phấn đấu hằng năm có trên 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên."
    c = _clause(text, lead=None, lead_source=None, is_task=False)
    item = _figure_item(c, "Theo Kế hoạch số 12-KH/TU, hằng năm có trên bao nhiêu phần trăm tổ chức cơ sở đảng hoàn "
                           "thành tốt nhiệm vụ trở lên?", "90%", ["90%", "80%", "75%", wrong])
    assert (check(item, c) == []) is ok, check(item, c)


def test_count_distractors_of_another_magnitude_are_rejected():
    text = "Phấn đấu hằng năm kết nạp từ 350 đảng viên mới trở lên trong các doanh nghiệp."
    c = _clause(text, lead=None, lead_source=None, is_task=False)
    q = "Theo Kế hoạch số 12-KH/TU, hằng năm kết nạp từ bao nhiêu đảng viên mới trở lên trong các doanh nghiệp?"
    good = _figure_item(c, q, "350 đảng viên", ["350 đảng viên", "300 đảng viên", "400 đảng viên", "1.050 đảng viên"])
    assert check(good, c) == []  # 1.050 is three times 350: still of its magnitude
    bad = dataclasses.replace(good, options=["350 đảng viên", "300 đảng viên", "400 đảng viên", "3.500 đảng viên"])
    assert _problems(bad, c, "độ lớn")


def test_corpus_distractors_are_plausible(quiz_corpus):
    """Independent checks over the whole candidate pool: no option contains another; percentages keep the
    answer's precision and stay within 30 points; deadline options are one kind of period."""
    clauses, documents, _ = quiz_corpus
    for it in candidates(clauses, documents, seed=2026):
        if it.type == "truefalse":
            continue
        answer = it.options[it.correct]
        aw = f" {fold(answer)} "
        for o in it.distractors:
            ow = f" {fold(o)} "
            assert ow not in aw and aw not in ow, (answer, o)
            if it.kind == "percent":
                a, b = figures(answer)[0].value, figures(o)[0].value
                assert abs(a - b) <= 30 and (a == int(a)) == (b == int(b)), (answer, o)
        if it.kind == "time":
            kinds = {re.sub(r"\d+", "0", re.sub(r".*?(quý|tháng|năm|\d{1,2}/\d{1,2}/\d{4}).*", r"\1", o.lower()))
                     for o in it.options}
            assert len(kinds) == 1, it.options


# --- 5. seeds -----------------------------------------------------------------------------------

def test_same_seed_same_items(quiz_corpus):
    clauses, documents, _ = quiz_corpus
    a = [it.to_dict() for it in build_quiz(clauses, documents, n=15, seed=42)]
    assert a == [it.to_dict() for it in build_quiz(clauses, documents, n=15, seed=42)]
