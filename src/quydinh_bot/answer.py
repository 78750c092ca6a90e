"""Grounded answers: the contract's JSON object and the short Vietnamese text the bot sends.

Every answer is built from one clause (or, for "which tasks" questions, the items of one
heading) and names its lead, partners, deadline and citation; nothing is generated beyond
the document's own words. When the search abstains, the answer says so plainly.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import replace
from datetime import date

from .figures import UNIT, asked_figure, figures
from .query import Query
from .records import Clause
from .register import TaskFilter, filter_tasks
from .register_questions import DocRef, RegisterQuestion, party_committee_of, read_register_question
from .search import Hit, Searcher, SearchResult
from .text import clean_question, has_words

NOT_FOUND = "Không tìm thấy điều khoản nào trong kho văn bản trả lời câu hỏi này"
NO_WORDS = (f"{NOT_FOUND} (câu hỏi chưa có từ nào để tra cứu: hãy hỏi cụ thể, ví dụ "
            "“Ai chủ trì số hóa tài liệu, hạn khi nào?”).")


def _bold(s: str) -> str:
    return f"**{s}**"


def _due(d: str | None) -> str:
    if not d:
        return ""
    y, m, dd = (int(x) for x in d.split("-"))
    return f"{dd:02d}/{m:02d}/{y}"


def _highlight_figures(text: str) -> str:
    """Bold the figures a 'how many' question asks about (percentages and counts)."""
    spans = figures(text)
    for m in reversed(spans):
        text = text[:m.start(1)] + _bold(m.group(1)) + text[m.end(1):]
    return text


def _asked_figure(text: str, q: Query, idf: dict[str, float]) -> str | None:
    """The figure the question asks for (figures.asked_figure), with its unit ('470 đồng chí', '3,2%')."""
    weights = {w: idf.get(w, 1.0) for w in q.content_words}
    best = asked_figure(text, weights, q.folded, q.extra.get("expansions"))
    if best is None:
        return None
    value = best.group(1)
    unit = UNIT.match(text, best.end(1))
    unit_text = unit.group(1) if unit and not value.endswith("%") else ""
    return _bold(value) + (f" {unit_text}" if unit_text and unit_text != "%" else ("%" if unit_text == "%" else ""))


def _asked_line(c: Clause, q: Query, idf: dict[str, float] | None = None) -> str | None:
    """The first line: the thing asked — the figure, the deadline or the responsible body."""
    if q.intent == "fact":
        fig = _asked_figure(c.text, q, idf or {})
        return f"Trả lời: {fig}" if fig else None
    if (q.intent == "deadline" or q.wants_deadline) and c.deadline:
        due = f" (hạn chót {_due(c.deadline.due)})" if c.deadline.due else ""
        return f"Trả lời: thời hạn {_bold(c.deadline.text)}{due}"
    if (q.intent == "lead" or q.wants_lead) and c.lead:
        return f"Trả lời: {_bold(c.lead)} chủ trì"
    return None


def clause_dict(c: Clause, searcher: Searcher) -> dict:
    """A clause in the contract's hit shape, with its document title (no score)."""
    d = c.to_dict()
    info = searcher.index.documents.get(c.doc_id)
    d["doc_title"] = info.title if info else c.doc_id
    return d


def hit_dict(h: Hit, searcher: Searcher) -> dict:
    d = clause_dict(h.clause, searcher)
    d["score"] = round(float(h.score) * 60, 4)  # RRF scale -> about 0..2; only the order matters
    return d


def _clause_lines(c: Clause, intent: str) -> list[str]:
    text = _highlight_figures(c.text) if intent == "fact" else c.text
    lines = [text]
    if c.lead:
        lines.append(f"Chủ trì: {_bold(c.lead) if intent == 'lead' else c.lead}")
    if c.partners:
        lines.append("Phối hợp: " + "; ".join(c.partners))
    if c.deadline:
        dl = c.deadline.text + (f" (hạn chót {_due(c.deadline.due)})" if c.deadline.due else "")
        lines.append(f"Thời hạn: {_bold(dl) if intent == 'deadline' else dl}")
    lines.append(f"Nguồn: {c.citation}")
    return lines


def answer_text(result: SearchResult, searcher: Searcher) -> str:
    if not result.answered:
        why = f" ({result.reason})" if result.reason else ""
        return f"{NOT_FOUND}{why}."
    q, top = result.query, result.hits[0].clause
    if result.expanded_from:
        head = searcher.clause(result.expanded_from)
        items = result.extra.get("items", [])
        lines = [f"{head.text}:"]
        for i, c in enumerate(items, 1):
            extra = f" — Chủ trì: {c.lead}" if c.lead and c.lead_source in {"explicit", "section"} else ""
            lines.append(f"{i}. {c.text}{extra}")
        if head.deadline or (items and items[0].deadline and all(c.deadline == items[0].deadline for c in items)):
            dl = head.deadline or items[0].deadline
            lines.append(f"Thời hạn: {dl.text}")
        lines.append(f"Nguồn: {head.citation}")
        return "\n".join(lines)
    first = _asked_line(top, q, searcher.index.idf)
    return "\n".join(([first] if first else []) + _clause_lines(top, q.intent))


def to_contract(question: str, result: SearchResult, searcher: Searcher) -> dict:
    return {
        "question": question,
        "answered": result.answered,
        "intent": result.query.intent,
        "answer": answer_text(result, searcher),
        "hits": [hit_dict(h, searcher) for h in result.hits],
    }


# -- register questions: answered from the task register, as a count and a list -------------
REGISTER_DISPLAY = 10  # lines a person reads at a glance; the rest is counted
_STATUS_WORDS = {"overdue": "đã quá hạn", "upcoming": "sắp đến hạn", "undated": "chưa có hạn cụ thể"}
_KIND_WORDS = {"recurring": "thực hiện thường xuyên", "done": "đã hoàn thành"}


def _short(text: str, limit: int = 110) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _register_scope(rq: RegisterQuestion, today: date) -> str:
    """'do Ban Tổ chức Tỉnh ủy chủ trì trong Kế hoạch số 376-KH/TU, có hạn trong tháng 9/2025'."""
    f, parts = rq.filter, []
    if rq.lead:
        parts.append(f"do {rq.lead} chủ trì")
    if f.partner:
        parts.append(f"có {f.partner} phối hợp")
    if rq.doc_label:
        parts.append(f"trong {_short(rq.doc_label, 90)}")
    if rq.window:
        parts.append(f"có hạn {rq.window.label}" if rq.window.label.startswith(("trong", "trước", "từ", "sau"))
                     else f"có hạn trong {rq.window.label}")
    if f.kind:
        parts.append(_KIND_WORDS.get(f.kind, f"hạn loại {f.kind}"))
    if f.status:
        word = _STATUS_WORDS[f.status]
        if f.status == "upcoming" and not rq.window:
            word += f" (trong {f.within_days} ngày tới)"
        if f.status in {"overdue", "upcoming"}:
            word += f", tính đến ngày {today:%d/%m/%Y}"
        parts.append(word)
    return ", ".join(parts)


def _task_line(i: int, c: Clause) -> str:
    bits = [f"{i}. {_short(c.text)}", f"Chủ trì: {c.lead or '—'}"]
    if c.deadline:
        dated = re.search(r"\d{1,2}/\d{1,2}/\d{4}", c.deadline.text)
        due = f" (hạn chót {_due(c.deadline.due)})" if c.deadline.due and not dated else ""
        bits.append(f"Hạn: {c.deadline.text}{due}")
    else:
        bits.append("Hạn: chưa ghi")
    bits.append(c.citation)
    return " — ".join(bits)


def register_text(rq: RegisterQuestion, tasks: list[Clause], shown: int, today: date) -> str:
    """The count, then one line per task (text shortened, lead, deadline, citation), then the rest counted."""
    scope = _register_scope(rq, today)
    if rq.decline or not tasks:  # declined in the one wording every shell knows, with the reason
        reason = rq.decline or f"Kho văn bản không có nhiệm vụ nào {scope}".rstrip()
        return f"{NOT_FOUND} ({reason[:1].lower()}{reason[1:]})."
    head = f"Có {_bold(str(len(tasks)))} nhiệm vụ {scope}".rstrip() + (" (xếp theo hạn):" if len(tasks) > 1 else ":")
    lines = [head]
    if rq.ask in {"earliest", "latest"}:
        dated = [c for c in tasks if c.deadline and c.deadline.due]
        if dated:
            pick = dated[0] if rq.ask == "earliest" else dated[-1]
            word = "sớm nhất" if rq.ask == "earliest" else "muộn nhất"
            lines = [f"Nhiệm vụ có hạn {word} ({_due(pick.deadline.due)}): {pick.text} — Chủ trì: {pick.lead or '—'}"
                     f" — {pick.citation}", head]
    lines += [_task_line(i, c) for i, c in enumerate(tasks[:shown], 1)]
    if len(tasks) > shown:
        lines.append(f"và {len(tasks) - shown} nhiệm vụ khác.")
    return "\n".join(lines)


def register_filters(rq: RegisterQuestion) -> dict:
    """The contract's `filters`: lead, doc_id, due_after, due_before, status, and what else was read."""
    f = rq.filter
    return {"lead": f.lead, "doc_id": f.doc_id, "due_after": f.due_after, "due_before": f.due_before,
            "status": f.status, "partner": f.partner, "kind": f.kind, "doc_ids": f.doc_ids,
            "within_days": f.within_days if f.status == "upcoming" else None,
            "today": f.today.isoformat() if f.today else None, "ask": rq.ask}


class Assistant:
    """The one object the shells hold: load once, answer many questions."""

    def __init__(self, searcher: Searcher | None = None, **kwargs):
        self.searcher = searcher or Searcher(**kwargs)
        self._reload_lock = threading.Lock()
        self._served_link: str | None = None  # `index/current` as last seen pointing at the served index

    def refresh(self) -> bool:
        """Serve a newer index if `index/current` now points at one (after `add`/`remove`/`index`).

        One `readlink` per call when nothing changed; the new Searcher is built completely (from the
        resolved, complete version directory) before it replaces the old one, so a request sees one
        index or the other, never a mixture or a half-written one. On any problem the old index
        keeps serving."""
        from .index import IndexError_

        link = self.searcher.settings.index_dir / "current"
        try:
            target = os.readlink(link)
            if target == self._served_link:
                return False
            live = link.resolve()
        except OSError:
            return False
        if live == self.searcher.index.path:
            self._served_link = target
            return False
        if not self._reload_lock.acquire(blocking=False):
            return False
        try:
            fresh = Searcher(self.searcher.settings, embedder=self.searcher._embedder)
        except (IndexError_, OSError, ValueError):
            return False  # e.g. an `add` between swapping the index and committing its files
        finally:
            self._reload_lock.release()
        self.searcher = fresh  # one reference assignment: atomic for concurrent readers
        self._served_link = target
        return True

    def stale(self) -> bool:
        """`index/current` may point at another index than the one served (one `readlink`): the
        cheap check a shell can make before calling `refresh`, which may take seconds."""
        try:
            return os.readlink(self.searcher.settings.index_dir / "current") != self._served_link
        except OSError:
            return False

    @property
    def version(self) -> str:
        """The index version being served: answers cached by a shell are keyed on it."""
        return self.searcher.index.path.name

    def ask(self, question: str, k: int = 5) -> dict:
        """The contract's answer to one question; a ValueError (Vietnamese) for one refused.

        Every check that bounds the work comes before the work: the raw length, then the cleaned
        question (`clean_question`: no control characters, no runs of combining marks), its
        length in characters and in the model's tokens (a question of emoji or CJK characters is
        one token per character, and 1,000 tokens cost seconds to encode)."""
        limit = self.settings.max_question_chars
        if not 1 <= k <= 50:
            raise ValueError("Số kết quả k phải từ 1 đến 50.")
        if len(question or "") > 4 * limit:  # nothing this long is read further
            raise ValueError(f"Câu hỏi quá dài (tối đa {limit} ký tự).")
        question = clean_question(question)
        if not question:
            raise ValueError("Câu hỏi rỗng: hãy nhập nội dung cần hỏi.")
        if len(question) > limit:
            raise ValueError(f"Câu hỏi quá dài (tối đa {limit} ký tự).")
        self.refresh()
        tokens = self.searcher.question_tokens(question)
        if tokens is not None and tokens > self.settings.max_question_tokens:
            raise ValueError(f"Câu hỏi quá dài (tối đa {limit} ký tự chữ Việt; câu này dài tương đương "
                             f"{tokens} từ tố, tối đa {self.settings.max_question_tokens}).")
        if not has_words(question):  # "?", "a", "1": nothing to look up, so no clause is offered
            return {"question": question, "answered": False, "intent": "clause", "answer": NO_WORDS, "hits": []}
        rq = self.register_question(question)
        if rq is not None:
            return self.register_answer(question, rq, k)
        searcher = self.searcher  # one index for the whole answer, even if a reload lands meanwhile
        result = searcher.search(question, k=k)
        return to_contract(question, result, searcher)

    # -- register questions ---------------------------------------------------------------
    def register_question(self, question: str) -> RegisterQuestion | None:
        """The register filter a question asks for ("what does body X lead", "what falls due in
        month M", "what is overdue"), or None for a question about a clause."""
        docs = [DocRef(d.doc_id, d.number, d.kind, d.title, d.province)
                for d in self.searcher.index.documents.values()]
        return read_register_question(question, docs, self.settings.today())

    def register_answer(self, question: str, rq: RegisterQuestion, k: int = 5) -> dict:
        """A register question answered from the register itself: every matching task, soonest due
        first (`hits` up to k, `total` all of them), with the filter that was understood."""
        today = rq.filter.today or self.settings.today()
        tasks = [] if rq.decline else self.task_clauses(rq.filter, sort="due")
        if not tasks and rq.lead and not rq.decline and (committee := party_committee_of(rq.lead)):
            # "Công an tỉnh chủ trì …": the register names the body's party committee as lead
            alt = replace(rq.filter, lead=committee)
            if alt_tasks := self.task_clauses(alt, sort="due"):
                rq = replace(rq, filter=alt, lead=committee)
                tasks = alt_tasks
        shown = min(k, REGISTER_DISPLAY)
        return {
            "question": question,
            "answered": bool(tasks),
            "intent": "register",
            "answer": register_text(rq, tasks, shown, today),
            "hits": [{**clause_dict(c, self.searcher), "score": 1.0} for c in tasks[:k]],
            "total": len(tasks),
            "filters": register_filters(rq),
        }

    # -- what the shells need beside questions, over the same loaded clauses -------------
    @property
    def settings(self):
        return self.searcher.settings

    def documents(self) -> list[dict]:
        """The documents of the index, with their clause and task counts."""
        self.refresh()
        counts: dict[str, list[int]] = {}
        for c in self.searcher.index.clauses:
            n = counts.setdefault(c.doc_id, [0, 0])
            n[0] += 1
            n[1] += c.is_task
        return [{**info.__dict__, "clauses": counts.get(doc_id, [0, 0])[0], "tasks": counts.get(doc_id, [0, 0])[1]}
                for doc_id, info in self.searcher.index.documents.items()]

    def task_clauses(self, task_filter: TaskFilter | None = None, sort: str = "due") -> list[Clause]:
        """The task register filtered (register.py): soonest due first unless `sort="document"`."""
        self.refresh()
        f = task_filter or TaskFilter()
        if f.doc_id and f.doc_id not in self.searcher.index.documents:
            known = ", ".join(self.searcher.index.documents)
            raise ValueError(f"Không có văn bản mã '{f.doc_id}'. Các mã hiện có: {known}.")
        if f.today is None:
            f.today = self.settings.today()
        return filter_tasks(self.searcher.index.clauses, f, sort=sort)

    def tasks(self, task_filter: TaskFilter | None = None, sort: str = "due") -> list[dict]:
        """`task_clauses` in the contract's hit shape."""
        return [clause_dict(c, self.searcher) for c in self.task_clauses(task_filter, sort)]

    def clause(self, clause_id: str) -> dict | None:
        c = self.searcher.clause(clause_id)
        return clause_dict(c, self.searcher) if c else None

    def clause_context(self, clause_id: str) -> dict | None:
        """A clause with what surrounds it on paper: heading path, parent, children, siblings,
        so that a citation opens in context. None for an unknown id."""
        c = self.searcher.clause(clause_id)
        if c is None:
            return None
        parent = self.searcher.clause(c.parent_id) if c.parent_id else None
        if parent is not None:
            siblings = [s for s in self.searcher.children(parent.clause_id) if s.clause_id != clause_id]
        else:  # top level of its document
            siblings = [s for s in self.searcher.index.clauses
                        if s.doc_id == c.doc_id and not s.parent_id and s.clause_id != clause_id]
        info = self.searcher.index.documents.get(c.doc_id)
        return {
            "clause": clause_dict(c, self.searcher),
            "heading_path": list(c.heading_path),
            "document": info.__dict__ if info else {"doc_id": c.doc_id},
            "parent": clause_dict(parent, self.searcher) if parent else None,
            "children": [clause_dict(x, self.searcher) for x in self.searcher.children(clause_id)],
            "siblings": [clause_dict(x, self.searcher) for x in siblings],
        }

    def quiz(self, *, doc_id: str | None = None, section: str | None = None, topic: str | None = None, n: int = 10,
             types: list[str] | None = None, difficulty: list[str] | None = None, seed: int = 0) -> list:
        """Quiz items (quiz/) over the loaded clauses; the candidate pool of a seed is built once
        (about 3 s) and kept, so the API and the bot answer repeated requests at once."""
        from .quiz import build_quiz, candidates

        documents = self.documents()  # refreshes first: a new index brings new candidates
        clauses = self.searcher.index.clauses
        pools = self.__dict__.setdefault("_quiz_pools", {})
        pool = pools.get((self.version, seed))
        if pool is None:
            pool = pools[(self.version, seed)] = candidates(clauses, documents, seed)
            while len(pools) > 4:
                pools.pop(next(iter(pools)))
        return build_quiz(clauses, documents, doc_id=doc_id, section=section, topic=topic, n=n, types=types,
                          difficulty=difficulty, seed=seed, pool=pool)

    # -- changing the corpus (admin) ------------------------------------------------------
    def add_documents(self, paths: list, meta: dict[str, str] | None = None) -> dict:
        """Add files (.txt/.md/.docx/.pdf) through ingest/ — only they are parsed and embedded, with
        this assistant's model — then serve the new index. DocumentError (Vietnamese) on a bad file."""
        from .ingest import add_files

        result = add_files(paths, meta, self.settings, embedder=self.searcher._embedder)
        self.refresh()
        return result.to_dict()

    def remove_document(self, doc_id: str) -> dict:
        """Take a document out of the corpus and the index, then serve the new index."""
        from .ingest import remove

        result = remove(doc_id, self.settings, embedder=self.searcher._embedder)
        self.refresh()
        return result.to_dict()
