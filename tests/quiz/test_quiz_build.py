"""build_quiz on the five real documents: every quality rule, checked twice — by rules.check
(what the builder enforces) and by independent assertions here."""
import re

import pytest

from quydinh_bot.language.text import fold
from quydinh_bot.parse.deadlines import parse_deadline
from quydinh_bot.quiz import QuizShortage, build_quiz
from quydinh_bot.quiz.phrases import evidence, figures, find_bodies
from quydinh_bot.quiz.rules import check, check_set

DOC_IDS = ["bc-btctu-2026-05", "ctr-01-2026", "ctr-26-2022", "da-tccsd-2025-2030", "kh-376-2025"]

MARKUP = re.compile(r"\*|_|`|<|>|#|\\|\[|\]|\{|\}")


def _plain(s: str) -> str:
    return re.sub(r"[^\w%/]+", " ", fold(s)).strip()


def _kind(option: str) -> str:
    """An independent classification of an option (a body for a body, a date for a date …)."""
    o = option.strip()
    if re.fullmatch(r"\d+(,\d+)?%", o):
        return "percent"
    if m := re.fullmatch(r"[\d.]+(,\d+)? (.+)", o):
        return "count:" + m.group(2).lower()
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", o):
        return "date"
    if re.fullmatch(r"\d+-[^\s]+/[^\s]+", o):
        return "docref"
    d = parse_deadline(o)
    if d and d.due:
        return "time"
    if find_bodies(o):
        return "body"
    return "?"


def _assert_item_ok(item, clause):
    assert check(item, clause) == [], (item.question, check(item, clause))
    q = item.question
    assert q.endswith("?") and q[0].isupper() and not MARKUP.search(q), q
    assert q.count("“") == q.count("”") and q.count("(") == q.count(")"), q
    assert item.type in {"lead", "deadline", "figure", "document", "blank", "truefalse"}
    assert item.difficulty in {"easy", "medium", "hard"}
    assert item.clause_id == clause.clause_id and item.citation == clause.citation
    assert item.citation in item.explanation
    ev = _plain(evidence(clause))
    if item.type == "truefalse":
        assert item.options == ["Đúng", "Sai"]
        assert (item.correct == 0) == (_plain(item.shown) == _plain(item.answer))
        assert _plain(item.shown) in _plain(q)
        return
    assert len(item.options) == 4
    assert len({_plain(o) for o in item.options}) == 4, item.options  # distinct after accent/case folding
    answer = item.options[item.correct]
    kinds = {_kind(o) for o in item.options}
    assert len(kinds) == 1 and "?" not in kinds, (item.options, kinds)  # all of one kind
    if item.kind == "body":
        named = {fold(m.canonical) for m in find_bodies(evidence(clause) + " " + (clause.lead or ""))}
        assert {fold(m.canonical) for m in find_bodies(answer)} <= named, (answer, clause.clause_id)
        for o in item.distractors:  # false for that clause: not its lead, partner or any body it names
            assert not ({fold(m.canonical) for m in find_bodies(o)} & named), (o, clause.clause_id)
    elif item.kind in ("percent",) or item.kind.startswith("count"):
        values = {g.value for g in figures(evidence(clause))}
        assert figures(answer)[0].value in values
        assert all(figures(o)[0].value not in values for o in item.distractors)
    elif item.kind == "time":
        assert clause.deadline and parse_deadline(answer).due == clause.deadline.due
        assert all(parse_deadline(o).due != clause.deadline.due for o in item.distractors)
    else:
        assert _plain(answer) in ev
        assert all(_plain(o) not in ev for o in item.distractors)
    assert _plain(answer) not in _plain(q)  # the question does not give the answer away


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_thirty_items_per_document_pass_every_rule(quiz_corpus, quiz_per_doc, doc_id):
    _, _, by_id = quiz_corpus
    items = quiz_per_doc[doc_id]
    assert len(items) == 30
    assert all(it.doc_id == doc_id for it in items)
    for it in items:
        _assert_item_ok(it, by_id[it.clause_id])
    assert check_set(items) == []
    assert len({_plain(it.question) for it in items}) == 30
    assert len({it.fact for it in items}) == 30  # no two items ask the same thing
    assert len({it.type for it in items}) >= 4  # a varied quiz, not 30 of one kind


def test_whole_corpus_forty_items(quiz_corpus):
    clauses, documents, by_id = quiz_corpus
    items = build_quiz(clauses, documents, n=40, seed=7)
    assert len(items) == 40
    for it in items:
        _assert_item_ok(it, by_id[it.clause_id])
    assert check_set(items) == []
    assert len({it.doc_id for it in items}) == 5
    assert {it.type for it in items} == {"lead", "deadline", "figure", "document", "blank", "truefalse"}
    assert {it.difficulty for it in items} == {"easy", "medium", "hard"}


def test_same_seed_same_quiz_other_seed_other_quiz(quiz_corpus):
    clauses, documents, _ = quiz_corpus
    a = [it.to_dict() for it in build_quiz(clauses, documents, doc_id="kh-376-2025", n=10, seed=3)]
    b = [it.to_dict() for it in build_quiz(clauses, documents, doc_id="kh-376-2025", n=10, seed=3)]
    c = [it.to_dict() for it in build_quiz(clauses, documents, doc_id="kh-376-2025", n=10, seed=4)]
    assert a == b and a != c


def test_filters(quiz_corpus):
    clauses, documents, _ = quiz_corpus
    leads = build_quiz(clauses, documents, types=["lead"], n=15, seed=1)
    assert {it.type for it in leads} == {"lead"}
    both = build_quiz(clauses, documents, types=["deadline,figure"], difficulty=["hard"], n=8, seed=1)
    assert {it.type for it in both} <= {"deadline", "figure"} and {it.difficulty for it in both} == {"hard"}
    sec = build_quiz(clauses, documents, doc_id="kh-376-2025", section="VI", n=5, seed=1)
    assert all(it.clause_id.startswith("kh-376-2025/VI.") for it in sec)
    topic = build_quiz(clauses, documents, topic="ket nap dang vien", n=3, seed=1)
    by_id = quiz_corpus[2]
    for it in topic:
        c = by_id[it.clause_id]
        assert all(w in fold(c.text + " " + " ".join(c.heading_path) + " " + it.question)
                   for w in ["ket", "nap", "dang", "vien"])


def test_contract_shape(quiz_corpus):
    clauses, documents, _ = quiz_corpus
    d = build_quiz(clauses, documents, n=1, seed=0)[0].to_dict()
    assert {"question", "options", "correct", "explanation", "type", "difficulty", "clause_id", "citation"} <= set(d)
    assert isinstance(d["correct"], int) and isinstance(d["options"], list)


@pytest.mark.parametrize("kwargs, message", [
    ({"doc_id": "khong-co"}, "Không có văn bản mã 'khong-co'"),
    ({"doc_id": "kh-376-2025", "section": "XCIX"}, "Không có mục 'XCIX'"),
    ({"n": 0}, "Số câu hỏi phải từ 1"),
    ({"n": 10_000}, "Số câu hỏi phải từ 1"),
    ({"types": ["lead", "essay"]}, "Loại câu hỏi không hợp lệ: essay"),
    ({"difficulty": "extreme"}, "Mức độ không hợp lệ: extreme"),
    ({"topic": "   "}, "Chủ đề"),
])
def test_bad_requests_raise_vietnamese_value_errors(quiz_corpus, kwargs, message):
    clauses, documents, _ = quiz_corpus
    with pytest.raises(ValueError, match=re.escape(message)):
        build_quiz(clauses, documents, **kwargs)


def test_shortage_says_how_many_exist(quiz_corpus):
    clauses, documents, _ = quiz_corpus
    with pytest.raises(QuizShortage) as exc:
        build_quiz(clauses, documents, doc_id="ctr-26-2022", types=["figure"], n=50)
    available = exc.value.available
    assert 0 < len(available) < 50
    assert f"Chỉ tạo được {len(available)} câu hỏi" in str(exc.value)
    assert len(build_quiz(clauses, documents, doc_id="ctr-26-2022", types=["figure"], n=len(available))) == \
        len(available)
