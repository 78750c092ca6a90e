"""Small builders shared by the tests: a Document from inline text, without touching disk; a small corpus
indexed in a temporary folder."""
from __future__ import annotations

from pathlib import Path

from quydinh_bot.documents.document import read_document
from quydinh_bot.parse.corpus import parse_document


def doc_from_text(text: str, **meta) -> "object":
    meta.setdefault("id", "test-doc")
    meta.setdefault("issuer", "Ban Tổ chức Tỉnh ủy")
    return read_document(Path("fixture.txt"), meta, data=text.encode("utf-8"))


def clauses_of(text: str, **meta):
    return parse_document(doc_from_text(text, **meta))


def by_number(clauses):
    return {c.number: c for c in clauses}


class BagOfWordsEmbedder:
    """Deterministic bag-of-folded-words vectors: an index without a model, for tests whose answers
    do not depend on dense retrieval (register questions, the clause tree)."""

    fingerprint = "test-bag-of-words-1"
    dim = 256

    def _vec(self, text: str):
        import hashlib

        import numpy as np

        from quydinh_bot.language.text import fold

        v = np.zeros(self.dim, dtype=np.float32)
        for w in fold(text).split():
            v[int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_passages(self, texts, batch_size=32, progress=False):
        import numpy as np

        return np.stack([self._vec(t) for t in texts])

    def encode_query(self, text):
        return self._vec(text)


def html_balanced(html: str) -> bool:
    """Every opened tag is closed, in order (Telegram HTML messages and their split parts)."""
    import re

    stack = []
    for close, name in re.findall(r"<(/?)(\w+)[^>]*>", html):
        if close:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def build_small(base: Path, env, files: dict[str, str], meta: str, embedder=None):
    """A corpus of `files` (name -> text) and `meta` under `base`, indexed with `embedder` (bag of words by
    default); `env` is a pytest MonkeyPatch that points the settings at it. Returns the Settings."""
    from quydinh_bot.config import Settings
    from quydinh_bot.index.build import build_index

    corpus_dir, index_dir = base / "corpus", base / "index"
    corpus_dir.mkdir()
    for name, text in files.items():
        (corpus_dir / name).write_text(text, encoding="utf-8")
    (corpus_dir / "metadata.toml").write_text(meta, encoding="utf-8")
    env.setenv("QUYDINH_CORPUS_DIR", str(corpus_dir))
    env.setenv("QUYDINH_INDEX_DIR", str(index_dir))
    settings = Settings()
    build_index(settings, embedder=embedder or BagOfWordsEmbedder())
    return settings


def build_small_once(base: Path, files: dict[str, str], meta: str, embedder=None):
    """`build_small` for a module-scoped fixture, which cannot take the function-scoped `monkeypatch`:
    the settings are read while a MonkeyPatch of its own points at the corpus, then it is undone."""
    import pytest

    mp = pytest.MonkeyPatch()
    try:
        return build_small(base, mp, files, meta, embedder)
    finally:
        mp.undo()
