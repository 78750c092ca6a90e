"""Small builders shared by the tests: a Document from inline text, without touching disk."""
from __future__ import annotations

from pathlib import Path

from quydinh_bot.corpus import parse_document
from quydinh_bot.documents import read_document


def doc_from_text(text: str, **meta) -> "object":
    meta.setdefault("id", "test-doc")
    meta.setdefault("issuer", "Ban Tổ chức Tỉnh ủy")
    return read_document(Path("fixture.txt"), meta, data=text.encode("utf-8"))


def clauses_of(text: str, **meta):
    return parse_document(doc_from_text(text, **meta))


def by_number(clauses):
    return {c.number: c for c in clauses}
