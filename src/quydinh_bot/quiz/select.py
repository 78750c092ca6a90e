"""`build_quiz`: the one entry the CLI, the API and the bot share. It works from clauses and
document metadata only (no search index, no model): builds every candidate in scope, keeps those
that pass the rules, drops repeats and ambiguous questions, then samples n with a fixed seed,
taking types and documents in turn so that a quiz is varied."""
from __future__ import annotations

import os
import random
from collections import defaultdict

from quydinh_bot.language.text import fold
from quydinh_bot.records import Clause

from .builders import CLAUSE_BUILDERS, Context, build_pools, truefalse_item
from .items import DIFFICULTIES, TYPES, QuizItem
from .rules import check, fold_key

MAX_N = 200


class QuizShortage(ValueError):
    """Fewer valid items than asked: the message says how many exist, `available` holds them."""

    def __init__(self, message: str, available: list[QuizItem]):
        super().__init__(message)
        self.available = available


def _cite_names(clauses: list[Clause]) -> dict[str, str]:
    """How each document is cited, read off its clauses' citations (their common beginning)."""
    by_doc: dict[str, list[str]] = defaultdict(list)
    for c in clauses:
        if c.citation:
            by_doc[c.doc_id].append(c.citation)
    out = {}
    for doc, cites in by_doc.items():
        prefix = os.path.commonprefix(cites)
        if len(cites) > 1 and "," in prefix:
            prefix = prefix[: prefix.rfind(",")]
        out[doc] = prefix.strip(" ,")
    return out


def _in_section(c: Clause, section: str) -> bool:
    s = section.strip().strip(".")
    return c.number == s or c.number.startswith((s + ".", s + "("))


def _validate_list(values: list[str] | None, allowed: tuple[str, ...], what: str) -> list[str] | None:
    if not values:
        return None
    flat = [v.strip().lower() for raw in values for v in raw.split(",") if v.strip()]
    bad = [v for v in flat if v not in allowed]
    if bad:
        raise ValueError(f"{what} không hợp lệ: {', '.join(bad)}. Chọn trong: {', '.join(allowed)}.")
    return flat or None


def candidates(clauses: list[Clause], documents: list[dict], seed: int = 0) -> list[QuizItem]:
    """Every item the rules accept, for the given clauses (document facts included), in corpus order."""
    cites = _cite_names(clauses)
    docs = {d["doc_id"]: {**d, "cite_name": d.get("cite_name") or cites.get(d["doc_id"])} for d in documents}
    ctx = Context(documents=docs, pools=build_pools(clauses, documents), seed=seed)
    out: list[QuizItem] = []
    for c in clauses:
        for kind, builder in CLAUSE_BUILDERS.items():
            for item in builder(ctx, c):
                if check(item, c):
                    continue
                out.append(item)
                if kind in ("lead", "deadline", "figure"):
                    tf = truefalse_item(ctx, item)
                    if tf is not None and not check(tf, c):
                        out.append(tf)
    # a task quoted by a phrase that also starts another clause of the document is ambiguous
    starts: dict[str, list[str]] = defaultdict(list)
    for c in clauses:
        starts[c.doc_id].append(fold_key(c.text))
    roots = {c.clause_id: c.linked_id for c in clauses}
    out = [it for it in out if "phrase" not in it.extra or _unique_phrase(it, starts[it.doc_id], roots)]
    # a question asked twice with different answers is ambiguous: drop every copy
    answers: dict[str, set[str]] = defaultdict(set)
    for it in out:
        answers[fold_key(it.question)].add(fold_key(it.answer) + "|" + fold_key(it.shown))
    return [it for it in out if len(answers[fold_key(it.question)]) == 1]


def _unique_phrase(item: QuizItem, texts: list[str], linked: dict[str, str | None]) -> bool:
    """The quoted task names one task: no other clause of the document (bar its linked twin) begins so."""
    stem = fold_key(item.extra["phrase"].rstrip("…"))
    hits = sum(1 for t in texts if t.startswith(stem))
    return hits <= (2 if linked.get(item.clause_id) else 1)


def _order(items: list[QuizItem], rng: random.Random) -> list[QuizItem]:
    """Types in turn; within a type, documents in turn; an answer already used waits its turn."""
    by_type: dict[str, list[QuizItem]] = defaultdict(list)
    for it in items:
        by_type[it.type].append(it)
    queues = {}
    for t, its in by_type.items():
        rng.shuffle(its)
        by_doc: dict[str, list[QuizItem]] = defaultdict(list)
        for it in its:
            by_doc[it.doc_id].append(it)
        docs = sorted(by_doc)
        rng.shuffle(docs)
        merged = []
        while any(by_doc.values()):
            for d in docs:
                if by_doc[d]:
                    merged.append(by_doc[d].pop(0))
        queues[t] = merged
    types = [t for t in TYPES if t in queues]
    rng.shuffle(types)
    out: list[QuizItem] = []
    used_answers: set[str] = set()
    while any(queues.values()):
        for t in types:
            q = queues[t]
            if not q:
                continue
            pick = next((i for i, it in enumerate(q) if fold_key(it.answer) not in used_answers), 0)
            it = q.pop(pick)
            used_answers.add(fold_key(it.answer))
            out.append(it)
    return out


def build_quiz(clauses: list[Clause], documents: list[dict], *, doc_id: str | None = None,
               section: str | None = None, topic: str | None = None, n: int = 10,
               types: list[str] | None = None, difficulty: list[str] | str | None = None,
               seed: int = 0, pool: list[QuizItem] | None = None) -> list[QuizItem]:
    """n distinct, rule-checked items over the chosen scope, the same for the same arguments.

    `documents` are metadata dicts ({doc_id, title, kind, number, date, issuer, province}).
    Raises ValueError (Vietnamese) for an unknown document or section or a bad option, and
    `QuizShortage` (a ValueError) when fewer than n valid items exist: a quiz is not silently short.
    `pool` is `candidates(clauses, documents, seed)` computed earlier (a long-lived service keeps it).
    """
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_N:
        raise ValueError(f"Số câu hỏi phải từ 1 đến {MAX_N}.")
    types_ = _validate_list(types, TYPES, "Loại câu hỏi")
    diffs = _validate_list([difficulty] if isinstance(difficulty, str) else difficulty, DIFFICULTIES, "Mức độ")
    known = [d["doc_id"] for d in documents]
    scope = clauses
    if doc_id is not None:
        if doc_id not in known:
            raise ValueError(f"Không có văn bản mã '{doc_id}'. Các mã hiện có: {', '.join(known)}.")
        scope = [c for c in scope if c.doc_id == doc_id]
    if section:
        scope = [c for c in scope if _in_section(c, section)]
        if not scope:
            where = f" trong văn bản {doc_id}" if doc_id else ""
            raise ValueError(f"Không có mục '{section}'{where} (xem lệnh clauses để biết số mục).")
    if topic is not None and not topic.strip():
        raise ValueError("Chủ đề (--topic) đang để trống.")
    # pools come from the whole corpus (wrong options may come from anywhere in a document),
    # items only from the scope
    in_scope = {c.clause_id for c in scope}
    items = [it for it in (pool if pool is not None else candidates(clauses, documents, seed))
             if it.clause_id in in_scope]
    if topic:
        words = fold(topic).split()
        by_id = {c.clause_id: c for c in scope}
        items = [it for it in items if all(w in fold(" ".join([by_id[it.clause_id].text,
                                                                 *by_id[it.clause_id].heading_path, it.question]))
                                           for w in words)]
    if types_:
        items = [it for it in items if it.type in types_]
    if diffs:
        items = [it for it in items if it.difficulty in diffs]
    # one item per fact: the first in a seeded order
    rng = random.Random(seed)
    rng.shuffle(items)
    seen: set[str] = set()
    unique = []
    for it in items:
        if it.fact not in seen and fold_key(it.question) not in seen:
            seen |= {it.fact, fold_key(it.question)}
            unique.append(it)
    ordered = _order(unique, rng)
    if len(ordered) < n:
        raise QuizShortage(f"Chỉ tạo được {len(ordered)} câu hỏi hợp lệ cho phạm vi đã chọn (yêu cầu {n}); "
                           f"hãy giảm số câu hoặc mở rộng phạm vi.", ordered)
    return ordered[:n]
