"""A task as the views show it (`Task`): its clause with the document it comes from, the
document's province and the task's status today. Every shell lists these, so a "Ban Tổ chức
Tỉnh ủy" of four provinces shows which province each task is, and an operator's mark shows
everywhere at once.

Also the words a person uses for a document or a province in a filter ("376", "kh-376-2025",
"Lai Châu", "tinh lai chau"), read against the documents the register holds.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from quydinh_bot.documents.document import KIND_TABLE
from quydinh_bot.language.text import fold
from quydinh_bot.records import Clause

from .marks import Mark
from .status import state_label, state_of

_KIND_OF_CODE = {code: kind for kind, _, codes in KIND_TABLE for code in codes}


@dataclass
class Task:
    """A task of the register as every view shows it: the clause, the document it comes from
    (title, a short name, its province: two provinces' "Ban Tổ chức Tỉnh ủy" are two bodies) and
    where it stands today (register/status.py), with the operator's mark if any."""

    clause: Clause
    doc_title: str
    document: str  # a short name of the document: "Kế hoạch 376-KH/TU", "Báo cáo 5/2026"
    province: str | None
    status: str  # done | overdue | upcoming | recurring | undated
    status_label: str  # the status in words: "Quá hạn", "Sắp đến hạn", "Thường xuyên"…
    mark: Mark | None = None

    @property
    def clause_id(self) -> str:
        return self.clause.clause_id

    def to_dict(self) -> dict[str, Any]:
        """The contract's hit fields (`Clause.to_dict`) and, added, province, document, status,
        status_label and mark (null when nobody marked the task)."""
        d = self.clause.to_dict(self.doc_title)
        d.update({"province": self.province, "document": self.document, "status": self.status,
                  "status_label": self.status_label, "mark": self.mark.to_dict() if self.mark else None})
        return d


@dataclass(frozen=True)
class TaskDocument:
    """What a task needs of its document: the index's DocInfo and the corpus's Document both give it."""

    doc_id: str
    title: str
    kind: str
    number: str | None = None
    date: str | None = None
    province: str | None = None

    @classmethod
    def of(cls, d: object) -> TaskDocument:
        """From any object (or dict, as `Assistant.documents()` gives) with doc_id, kind, number, date,
        province and a title (or display_title)."""
        get = d.get if isinstance(d, dict) else (lambda name, default=None: getattr(d, name, default))
        title = get("display_title") or get("title") or get("doc_id")
        return cls(str(get("doc_id")), str(title), get("kind") or "", get("number"), get("date"), get("province"))

    @property
    def label(self) -> str:
        """A short name a person recognises: 'Kế hoạch 376-KH/TU', 'Phụ lục Kế hoạch 376-KH/TU',
        'Báo cáo 5/2026'; the document id when nothing else is known."""
        kind = (self.kind or "").capitalize()
        if self.number:
            code = re.search(r"-([A-ZĐa-zđ]+)/", self.number)
            of_number = _KIND_OF_CODE.get(code.group(1)) if code else None
            if self.kind == "phụ lục" and of_number:  # the appendix of a plan carries the plan's number
                kind = f"Phụ lục {of_number.capitalize()}"
            return f"{kind} {self.number}".strip()
        if kind and self.date:
            return f"{kind} {self.date}"
        return kind or self.doc_id


def province_key(name: str | None) -> str:
    """A province name folded, without "tỉnh"/"thành phố": 'Tỉnh Lai Châu', 'lai chau' -> 'lai chau'."""
    key = fold(name or "")
    return re.sub(r"^(tinh|thanh pho|tp\.?)\s+", "", key).strip()


def find_document(text: str, documents: Iterable[TaskDocument]) -> str | None:
    """The document `text` names: its id, its number ('376-KH/TU') or the number's leading digits
    ('376'), when exactly one document has it; else None."""
    key = fold(text or "").strip()
    if not key:
        return None
    docs = list(documents)
    for d in docs:
        if key == fold(d.doc_id):
            return d.doc_id
    hits = [d.doc_id for d in docs if d.number and (key == fold(d.number) or key == fold(d.number).split("-")[0])]
    return hits[0] if len(hits) == 1 else None


def find_province(text: str, documents: Iterable[TaskDocument]) -> str | None:
    """The province of the register `text` names (as the documents spell it), or None."""
    key = province_key(text)
    return next((d.province for d in documents if d.province and province_key(d.province) == key), None) \
        if key else None


@dataclass(frozen=True)
class TaskScope:
    """What a short command argument names besides its subject: a province and/or a document."""

    rest: str  # the words left ("Ban Tổ chức Tỉnh ủy" of "Ban Tổ chức Tỉnh ủy Lai Châu")
    province: str | None = None
    doc_id: str | None = None


def read_scope(text: str, documents: Iterable[object]) -> TaskScope:
    """A province (as the documents spell it, "tỉnh" before it optional) and a document (its id,
    number or the number's digits: '376') taken out of a command's argument: "/viec BTC Tỉnh ủy
    Lai Châu", "/qua_han 376", "/sap_den_han 14 thai nguyen"."""
    docs = [d if isinstance(d, TaskDocument) else TaskDocument.of(d) for d in documents]
    words = (text or "").split()
    province = None
    for name in sorted({d.province for d in docs if d.province}, key=len, reverse=True):
        key = fold(name).split()
        folded = [fold(w).strip(",.;:") for w in words]
        at = next((i for i in range(len(words) - len(key) + 1) if folded[i:i + len(key)] == key), None)
        if at is not None:
            start = at - 1 if at and folded[at - 1] == "tinh" else at
            words = words[:start] + words[at + len(key):]
            province = name
            break
    doc_id = None
    for i, w in enumerate(words):
        if any(ch.isdigit() for ch in w) and (found := find_document(w.strip(",.;:"), docs)):
            doc_id = found
            del words[i]
            break
    return TaskScope(" ".join(words).strip(" ,;:-"), province, doc_id)


def task_of(c: Clause, doc: TaskDocument | None, today: date, mark: Mark | None = None) -> Task:
    state = state_of(c, today, mark)
    return Task(clause=c, doc_title=doc.title if doc else c.doc_id, document=doc.label if doc else c.doc_id,
                province=doc.province if doc else None, status=state,
                status_label=state_label(state, c, today, mark), mark=mark)


def tasks_of(clauses: Iterable[Clause], documents: Mapping[str, TaskDocument], today: date,
             marks: Mapping[str, Mark] | None = None) -> list[Task]:
    """The clauses as tasks of the register (in the order given)."""
    marks = marks or {}
    return [task_of(c, documents.get(c.doc_id), today, marks.get(c.clause_id)) for c in clauses]
