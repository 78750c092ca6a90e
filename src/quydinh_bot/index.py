"""The search index: clause store + dense FAISS index + BM25 lexical index, written atomically.

Layout under `index/`:
    current -> v-<hash>-<time>/      (a symlink, swapped atomically when a build completes)
        manifest.json                 corpus hash, pipeline hash, model, versions, counts
        clauses.jsonl                 the clause store (every field, for answers)
        documents.json                document metadata (titles, numbers, provinces)
        dense.faiss                   inner-product index over L2-normalised vectors
        bm25/                         bm25s index over folded pyvi tokens (+ their syllables)
        restorer.json                 accent-restoration n-grams from the corpus itself
A build never touches the live version: it writes a new directory, fsyncs it, then swaps
the symlink, so a crash half-way leaves the previous index in service.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import __version__
from .config import PACKAGE_DIR, Settings, get_settings
from .corpus import Corpus
from .corpus import load as load_corpus
from .documents import corpus_files
from .query import AccentRestorer
from .records import Clause
from .text import fold, folded_words, word_parts

INDEX_FORMAT = 1
# The modules whose output the index stores: changing any of them makes an index stale.
_PIPELINE_FILES = ["text.py", "documents.py", "clauses.py", "pdftable.py", "bodies.py", "deadlines.py",
                   "extract.py", "links.py", "records.py", "query.py", "index.py", "data/bodies.tsv",
                   "data/abbreviations.tsv", "shortforms.py", "data/shortforms.tsv", "data/provinces.tsv"]


class IndexError_(Exception):  # noqa: N801 - IndexError is a builtin
    """A missing, stale or foreign index; the message says what to run."""


@dataclass
class DocInfo:
    doc_id: str
    title: str
    kind: str
    number: str | None
    date: str | None
    issuer: str | None
    province: str | None


def corpus_hash(settings: Settings) -> str:
    h = hashlib.sha256()
    for p in corpus_files(settings):
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    if settings.metadata_file.exists():
        h.update(settings.metadata_file.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def pipeline_hash() -> str:
    h = hashlib.sha256(str(INDEX_FORMAT).encode())
    for name in _PIPELINE_FILES:
        p = PACKAGE_DIR / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


# --- what is indexed -----------------------------------------------------------------------

def lexical_text(c: Clause) -> str:
    """Words a lexical match may hit: the clause, its nearest heading, lead, partners, deadline."""
    parts = [c.text]
    if c.heading_path:
        parts.append(c.heading_path[-1])
    if c.lead:
        parts.append(c.lead)
    parts.extend(c.partners)
    if c.deadline:
        parts.append(c.deadline.text)
    return " . ".join(parts)


def dense_text(c: Clause) -> str:
    """What the embedding reads: the clause with up to two headings of context."""
    context = " › ".join(h for h in c.heading_path[-2:] if h)
    body = f"{context}: {c.text}" if context else c.text
    return body


def lex_tokens(text: str) -> list[str]:
    """Folded pyvi words plus their parts: 'tổ_chức' -> ['to_chuc', 'to', 'chuc'];
    '2020-2024' also gives '2020', '2024' so it matches '2020 - 2024'."""
    out: list[str] = []
    for w in folded_words(text):
        out.append(w)
        out.extend(word_parts(w))
    return out


def query_tokens(text: str, accented: bool, compounds: set[str]) -> list[str]:
    """Tokens of a question; unaccented questions rebuild compounds from the index vocabulary."""
    if accented:
        return lex_tokens(text)
    syl = [re.sub(r"[^a-z0-9./-]", "", s) for s in fold(text).split()]
    syl = [s for s in syl if s]
    out = list(syl)
    for n in (4, 3, 2):
        for i in range(len(syl) - n + 1):
            cand = "_".join(syl[i:i + n])
            if cand in compounds:
                out.append(cand)
    return out


def coverage_tokens(text: str) -> set[str]:
    """Whole words (and the ends of number ranges) as they are, plus '~syllable' for the parts
    of compound words: 'triển_khai' gives 'triển_khai', '~triển', '~khai', so a question about
    'khai thuế' is only weakly covered by a clause about 'triển khai'."""
    out: set[str] = set()
    for w in folded_words(text):
        out.add(w)
        if "_" in w:
            out.update(f"~{p}" for p in word_parts(w))
        else:
            out.update(word_parts(w))
    return out


# --- building ------------------------------------------------------------------------------

def _fsync_dir(path: Path) -> None:
    for root, _, files in os.walk(path):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_index(settings: Settings | None = None, corpus: Corpus | None = None, embedder=None,
                progress: bool = False) -> Path:
    """Build every part under a fresh directory, then point `index/current` at it."""
    import bm25s
    import faiss

    settings = settings or get_settings()
    corpus = corpus or load_corpus(settings)
    if embedder is None:
        from .embed import Embedder

        embedder = Embedder()
    clauses = corpus.clauses
    root = settings.index_dir
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    tmp = root / f".build-{os.getpid()}-{stamp}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        with open(tmp / "clauses.jsonl", "w", encoding="utf-8") as f:
            for c in clauses:
                f.write(json.dumps(c.to_store(), ensure_ascii=False) + "\n")
        docs = [DocInfo(d.doc_id, d.display_title, d.kind, d.number, d.date, d.issuer, d.province).__dict__
                for d in corpus.documents]
        (tmp / "documents.json").write_text(json.dumps(docs, ensure_ascii=False, indent=1), encoding="utf-8")
        # lexical
        tokens = [lex_tokens(lexical_text(c)) for c in clauses]
        # For coverage: the clause's words with their whole context (headings, document title).
        titles = {d.doc_id: d.display_title for d in corpus.documents}
        title_tokens = {k: coverage_tokens(v) for k, v in titles.items()}
        with open(tmp / "tokens.jsonl", "w", encoding="utf-8") as f:
            for c in clauses:
                own = coverage_tokens(lexical_text(c))
                ctx = coverage_tokens(" . ".join(c.heading_path[:-1])) | title_tokens.get(c.doc_id, set())
                marked = own | {f"^{t}" for t in ctx - own if not t.startswith("~")}
                f.write(json.dumps(sorted(marked), ensure_ascii=False) + "\n")
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=progress)
        retriever.save(str(tmp / "bm25"), show_progress=False)
        # dense
        vectors = embedder.encode_passages([dense_text(c) for c in clauses], progress=progress)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        faiss.write_index(index, str(tmp / "dense.faiss"))
        # accent restoration from the corpus's own words
        restorer = AccentRestorer.from_texts([c.text for c in clauses] + [c.lead or "" for c in clauses])
        (tmp / "restorer.json").write_text(json.dumps(restorer.table, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "format": INDEX_FORMAT, "package": __version__, "corpus_hash": corpus_hash(settings),
            "pipeline_hash": pipeline_hash(), "model": embedder.fingerprint, "dim": int(vectors.shape[1]),
            "clauses": len(clauses), "documents": len(corpus.documents), "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _fsync_dir(tmp)
        final = root / f"v-{manifest['corpus_hash'][:8]}-{stamp}-{os.getpid()}"
        os.replace(tmp, final)
        link_tmp = root / f".current-{os.getpid()}"
        if link_tmp.exists() or link_tmp.is_symlink():
            link_tmp.unlink()
        link_tmp.symlink_to(final.name)
        os.replace(link_tmp, root / "current")  # the atomic switch
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in root.glob("v-*"):
        if old.name != final.name:
            shutil.rmtree(old, ignore_errors=True)
    _load_cached.cache_clear()
    return final


# --- loading -------------------------------------------------------------------------------

@dataclass
class SearchIndex:
    path: Path
    manifest: dict
    clauses: list[Clause]
    documents: dict[str, DocInfo]
    dense: object  # faiss.Index
    bm25: object  # bm25s.BM25
    compounds: set[str]
    restorer: AccentRestorer
    idf: dict[str, float]
    token_sets: list[frozenset[str]]

    def by_id(self) -> dict[str, int]:
        return {c.clause_id: i for i, c in enumerate(self.clauses)}


def check_index(settings: Settings | None = None, model_fingerprint: str | None = None) -> dict:
    """The manifest of the live index, or an `IndexError_` saying why it cannot serve."""
    settings = settings or get_settings()
    current = settings.index_dir / "current"
    manifest_path = current / "manifest.json"
    if not manifest_path.exists():
        raise IndexError_("Chưa có chỉ mục tìm kiếm. Hãy chạy: quydinh-bot index")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_("Chỉ mục hỏng (manifest không đọc được). Hãy xây lại: quydinh-bot index") from exc
    if manifest.get("format") != INDEX_FORMAT:
        raise IndexError_("Chỉ mục do phiên bản khác tạo ra. Hãy xây lại: quydinh-bot index")
    if manifest.get("corpus_hash") != corpus_hash(settings):
        raise IndexError_("Chỉ mục đã cũ: kho văn bản đã thay đổi. Hãy xây lại: quydinh-bot index")
    if manifest.get("pipeline_hash") != pipeline_hash():
        raise IndexError_("Chỉ mục đã cũ: bộ tách điều khoản đã thay đổi. Hãy xây lại: quydinh-bot index")
    if model_fingerprint and manifest.get("model") != model_fingerprint:
        raise IndexError_(f"Chỉ mục được xây bằng mô hình khác ({manifest.get('model')}). Hãy xây lại: quydinh-bot index")
    return manifest


def load_index(settings: Settings | None = None, model_fingerprint: str | None = None) -> SearchIndex:
    settings = settings or get_settings()
    manifest = check_index(settings, model_fingerprint)
    return _load_cached(str((settings.index_dir / "current").resolve()), json.dumps(manifest, sort_keys=True))


@lru_cache(maxsize=2)
def _load_cached(path_str: str, manifest_json: str) -> SearchIndex:
    import bm25s
    import faiss

    path = Path(path_str)
    try:
        clauses = [Clause.from_dict(json.loads(line)) for line in
                   (path / "clauses.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        docs = {d["doc_id"]: DocInfo(**d) for d in json.loads((path / "documents.json").read_text(encoding="utf-8"))}
        dense = faiss.read_index(str(path / "dense.faiss"))
        bm25 = bm25s.BM25.load(str(path / "bm25"), load_corpus=False, show_progress=False)
        restorer = AccentRestorer(json.loads((path / "restorer.json").read_text(encoding="utf-8")))
        token_sets = [frozenset(json.loads(line)) for line in
                      (path / "tokens.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError, RuntimeError) as exc:
        raise IndexError_(f"Chỉ mục hỏng ({exc.__class__.__name__}). Hãy xây lại: quydinh-bot index") from exc
    if dense.ntotal != len(clauses):
        raise IndexError_("Chỉ mục không khớp với kho điều khoản. Hãy xây lại: quydinh-bot index")
    vocab = bm25.vocab_dict if hasattr(bm25, "vocab_dict") else {}
    compounds = {t for t in vocab if "_" in t}
    n_docs = len(clauses)
    df = np.asarray((bm25.scores["indptr"][1:] - bm25.scores["indptr"][:-1]) if isinstance(bm25.scores, dict) else [])
    idf: dict[str, float] = {}
    for tok, j in vocab.items():
        if 0 <= j < len(df) and tok:
            idf[tok] = float(np.log(1 + (n_docs - df[j] + 0.5) / (df[j] + 0.5)))
    if len(token_sets) != len(clauses):
        raise IndexError_("Chỉ mục không khớp với kho điều khoản. Hãy xây lại: quydinh-bot index")
    return SearchIndex(path, json.loads(manifest_json), clauses, docs, dense, bm25, compounds, restorer, idf, token_sets)
