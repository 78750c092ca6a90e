import pytest

from quydinh_bot import Corpus
from quydinh_bot.quiz import build_quiz


@pytest.fixture(scope="session")
def quiz_corpus():
    """The real corpus as build_quiz takes it: clauses and document metadata dicts."""
    c = Corpus.load()
    documents = [{"doc_id": d.doc_id, "title": d.display_title, "kind": d.kind, "number": d.number, "date": d.date,
                  "issuer": d.issuer, "province": d.province} for d in c.documents]
    return c.clauses, documents, {cl.clause_id: cl for cl in c.clauses}


@pytest.fixture(scope="session")
def quiz_per_doc(quiz_corpus):
    """30 items per document, fixed seed (the acceptance set)."""
    clauses, documents, _ = quiz_corpus
    return {d: build_quiz(clauses, documents, doc_id=d, n=30, seed=2026) for d in (doc["doc_id"] for doc in documents)}
