"""The corpus as one object: documents read, split into clauses, extraction done.

This is the Python API the shells (CLI, HTTP API, Telegram bot, quiz) stand on for
everything that does not need the search index: the clause tree and the task register.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .bodies import abbreviations
from .clauses import parse_clauses
from .config import Settings, get_settings
from .documents import Document, DocumentError, load_corpus, read_document
from .extract import extract
from .links import link_tasks
from .records import Clause
from .text import fold


def parse_document(doc: Document) -> list[Clause]:
    """Clauses of one document with lead, partners and deadline filled in."""
    clauses = extract(doc, parse_clauses(doc))
    link_tasks(clauses)
    return clauses


@dataclass
class Corpus:
    documents: list[Document]
    clauses: list[Clause]
    _by_id: dict[str, Clause] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {c.clause_id: c for c in self.clauses}

    def document(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.doc_id == doc_id:
                return d
        known = ", ".join(d.doc_id for d in self.documents)
        raise DocumentError(f"Không có văn bản mã '{doc_id}'. Các mã hiện có: {known}.")

    def clause(self, clause_id: str) -> Clause | None:
        return self._by_id.get(clause_id)

    def doc_clauses(self, doc_id: str | None = None) -> list[Clause]:
        if doc_id is not None:
            self.document(doc_id)
            return [c for c in self.clauses if c.doc_id == doc_id]
        return list(self.clauses)

    def tasks(self, lead: str | None = None, due_before: str | None = None, due_after: str | None = None,
              doc_id: str | None = None) -> list[Clause]:
        """The task register, filtered as in the API contract (`lead` accent-insensitive)."""
        before = _iso_date(due_before, "--due-before") if due_before else None
        after = _iso_date(due_after, "--due-after") if due_after else None
        keys = _lead_keys(lead) if lead else []
        out = []
        for c in self.doc_clauses(doc_id):
            if not c.is_task:
                continue
            if keys and not any(k in fold(c.lead or "") for k in keys):
                continue
            due = c.deadline.due if c.deadline else None
            if before and (not due or due > before):
                continue
            if after and (not due or due < after):
                continue
            out.append(c)
        return out

    def hit(self, c: Clause) -> dict:
        """A clause in the contract's shape, with its document title."""
        d = c.to_dict()
        d["doc_title"] = self.document(c.doc_id).display_title
        return d


def _iso_date(value: str, name: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            except ValueError:
                pass
    raise ValueError(f"{name}: ngày không hợp lệ '{value}' (dùng dạng 2025-08-31 hoặc 31/8/2025).")


def _lead_keys(lead: str) -> list[str]:
    """Folded forms of a lead filter, with abbreviations expanded ('BTC' -> 'ban to chuc')."""
    keys = {fold(lead)}
    expanded = lead
    for abbr, full in sorted(abbreviations().items(), key=lambda kv: -len(kv[0])):
        expanded = re.sub(rf"(?<!\w){re.escape(abbr)}(?!\w)", full, expanded, flags=re.IGNORECASE)
    keys.add(fold(expanded))
    return [k for k in keys if k]


def load(settings: Settings | None = None) -> Corpus:
    settings = settings or get_settings()
    docs = load_corpus(settings)
    clauses: list[Clause] = []
    for d in docs:
        clauses.extend(parse_document(d))
    return Corpus(docs, clauses)


def load_file(path: Path) -> Corpus:
    """A corpus of one file (for checking a new document before adding it)."""
    if not path.is_file():
        raise DocumentError(f"{path}: không tìm thấy tệp.")
    doc = read_document(path, {"id": "kiem-tra"})
    return Corpus([doc], parse_document(doc))
