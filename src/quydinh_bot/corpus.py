"""The corpus as one object: documents read, split into clauses, extraction done.

This is the Python API the shells (CLI, HTTP API, Telegram bot, quiz) stand on for
everything that does not need the search index: the clause tree and the task register.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .clauses import parse_clauses
from .config import Settings, get_settings
from .documents import Document, DocumentError, load_corpus, read_document
from .extract import extract
from .links import link_tasks
from .records import Clause
from .register import TaskFilter, filter_tasks


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
              doc_id: str | None = None, task_filter: TaskFilter | None = None, sort: str = "document") -> list[Clause]:
        """The task register, filtered as in the API contract (`lead` accent-insensitive); see register.py."""
        f = task_filter or TaskFilter(lead=lead, due_before=due_before, due_after=due_after, doc_id=doc_id)
        return filter_tasks(self.doc_clauses(f.doc_id), f, sort=sort)

    def hit(self, c: Clause) -> dict:
        """A clause in the contract's shape, with its document title."""
        d = c.to_dict()
        d["doc_title"] = self.document(c.doc_id).display_title
        return d


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
