"""Every document parsed: documents read, split into clauses, extraction done and tasks linked.

What the index, the register and the quiz read; the shells hold it as `quydinh_bot.Corpus`, which
adds the task register and the changes to the corpus.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quydinh_bot.config import Settings
from quydinh_bot.documents.document import Document, DocumentError, load_corpus, read_document
from quydinh_bot.records import Clause

from .clauses import parse_clauses
from .extract import extract
from .links import link_tasks


def parse_document(doc: Document) -> list[Clause]:
    """Clauses of one document with lead, partners and deadline filled in."""
    clauses = extract(doc, parse_clauses(doc))
    link_tasks(clauses)
    return clauses


@dataclass
class ParsedCorpus:
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


def parse_corpus(settings: Settings) -> ParsedCorpus:
    docs = load_corpus(settings)
    clauses: list[Clause] = []
    for d in docs:
        clauses.extend(parse_document(d))
    return ParsedCorpus(docs, clauses)


def parse_file(path: Path, settings: Settings) -> ParsedCorpus:
    """A corpus of one file (for checking a new document before adding it)."""
    if not path.is_file():
        raise DocumentError(f"{path}: không tìm thấy tệp.")
    doc = read_document(path, {"id": "kiem-tra"}, settings=settings)
    return ParsedCorpus([doc], parse_document(doc))
