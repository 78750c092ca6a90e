"""The search index: clause store + dense FAISS index + BM25 lexical index, written atomically.

Layout under `index/`:
    current -> v-<hash>-<time>/      (a symlink, swapped atomically when a build completes)
        manifest.json                 corpus hash, pipeline hash, model, versions, counts
        clauses.jsonl                 the clause store (every field, for answers)
        documents.json                document metadata (titles, numbers, provinces)
        dense.faiss                   inner-product index over L2-normalised vectors
        bm25/                         bm25s index over folded pyvi tokens (+ their syllables)
        restorer.json                 accent-restoration n-grams from the corpus itself
        tokens.jsonl                  coverage words per clause
    cache/<key>/                      one document's clauses, tokens, vectors, n-gram counts
A build never touches the live version: it writes a new directory, fsyncs it, then swaps
the symlink, so a crash half-way leaves the previous index in service. The manifest records
a sha256 per file, verified when a version is loaded (`quydinh-bot index --check` too).
Only documents without a cache entry are parsed and embedded (see `build`).
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
from .documents import corpus_files
from .journal import fsync_path, recover
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
#
# Everything that depends on one document alone (its clauses, their lexical and coverage
# tokens, their vectors, its accent n-gram counts) is kept in `index/cache/<key>/`, where the
# key hashes the document's bytes, its metadata entry, the pipeline and the model. A build
# re-parses and re-embeds only documents without a cache entry and assembles the rest; the
# parts over the whole corpus (BM25, FAISS, restoration table) are rebuilt, which is cheap.

CACHE_DIR = "cache"


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


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest_of(entries: list[tuple[str, bytes]], metadata: bytes | None) -> str:
    """The corpus hash of file names + contents and metadata.toml, as `corpus_hash` computes it
    over the corpus folder (so a build can be made for a corpus state not yet on disk)."""
    h = hashlib.sha256()
    for name, data in sorted(entries):
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    if metadata is not None:
        h.update(metadata)
    return h.hexdigest()


def _doc_key(doc, model: str) -> str:
    meta = json.dumps(doc.meta, sort_keys=True, ensure_ascii=False)
    raw = f"{doc.sha256}|{doc.path.name}|{meta}|{pipeline_hash()}|{model}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass
class DocPart:
    """What the index keeps of one document, cached under its key."""

    info: dict
    clauses: list[Clause]
    lexical: list[list[str]]
    coverage: list[list[str]]
    vectors: np.ndarray
    text_grams: dict[str, dict[str, int]]
    lead_grams: dict[str, dict[str, int]]


def _make_part(doc, clauses: list[Clause], embedder, progress: bool) -> DocPart:
    info = DocInfo(doc.doc_id, doc.display_title, doc.kind, doc.number, doc.date, doc.issuer, doc.province).__dict__
    title_tokens = coverage_tokens(doc.display_title)
    coverage = []
    for c in clauses:
        own = coverage_tokens(lexical_text(c))
        ctx = coverage_tokens(" . ".join(c.heading_path[:-1])) | title_tokens
        coverage.append(sorted(own | {f"^{t}" for t in ctx - own if not t.startswith("~")}))
    vectors = (embedder.encode_passages([dense_text(c) for c in clauses], progress=progress) if clauses
               else np.zeros((0, 0), dtype=np.float32))
    return DocPart(info, clauses, [lex_tokens(lexical_text(c)) for c in clauses], coverage,
                   np.ascontiguousarray(vectors, dtype=np.float32),
                   AccentRestorer.counts([c.text for c in clauses]), AccentRestorer.counts([c.lead or "" for c in clauses]))


def _save_part(root: Path, key: str, part: DocPart) -> None:
    final = root / key
    if final.exists():
        return
    tmp = root / f".{key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with open(tmp / "part.json", "w", encoding="utf-8") as f:
        json.dump({"info": part.info, "clauses": [c.to_store() for c in part.clauses], "lexical": part.lexical,
                   "coverage": part.coverage, "text_grams": part.text_grams, "lead_grams": part.lead_grams},
                  f, ensure_ascii=False)
    np.save(tmp / "vectors.npy", part.vectors)
    _fsync_dir(tmp)
    try:
        os.replace(tmp, final)
    except OSError:  # another build wrote the same entry first
        shutil.rmtree(tmp, ignore_errors=True)


def _load_part(root: Path, key: str) -> DocPart | None:
    path = root / key
    try:
        d = json.loads((path / "part.json").read_text(encoding="utf-8"))
        vectors = np.load(path / "vectors.npy")
        clauses = [Clause.from_dict(c) for c in d["clauses"]]
    except (OSError, ValueError, KeyError):
        shutil.rmtree(path, ignore_errors=True)  # a damaged entry is rebuilt
        return None
    if len(clauses) != len(vectors) and len(clauses):
        shutil.rmtree(path, ignore_errors=True)
        return None
    return DocPart(d["info"], clauses, d["lexical"], d["coverage"], vectors, d["text_grams"], d["lead_grams"])


def _restorer_table(parts: list[DocPart]) -> dict[str, dict[str, int]]:
    """Every written form of each folded n-gram with its summed count, in first-seen order (texts
    of all documents, then leads), exactly as `AccentRestorer.from_texts` over the whole corpus;
    the restorer takes the commonest and weighs the rest against the neighbouring words."""
    merged: dict[str, dict[str, int]] = {}
    for grams in [p.text_grams for p in parts] + [p.lead_grams for p in parts]:
        for key, forms in grams.items():
            into = merged.get(key)
            if into is None:
                merged[key] = dict(forms)
                continue
            for form, n in forms.items():
                into[form] = into.get(form, 0) + n
    return merged


@dataclass
class BuildStats:
    path: Path
    documents: int
    clauses: int
    embedded: list[str]  # ids of the documents parsed and embedded in this build
    seconds: float


def build_index(settings: Settings | None = None, corpus: Corpus | None = None, embedder=None,
                progress: bool = False, documents: list | None = None, digest: str | None = None) -> Path:
    """Build every part under a fresh directory, then point `index/current` at it."""
    return build(settings, corpus, embedder, progress, documents, digest).path


def build(settings: Settings | None = None, corpus: Corpus | None = None, embedder=None,
          progress: bool = False, documents: list | None = None, digest: str | None = None) -> BuildStats:
    """`documents` (read, not parsed) and `digest` describe a corpus state not yet on disk
    (what `ingest` is about to commit); by default the corpus folder as it is."""
    import bm25s
    import faiss

    from .corpus import parse_document
    from .documents import load_corpus as read_documents

    t0 = time.perf_counter()
    settings = settings or get_settings()
    if corpus is not None:
        documents = corpus.documents
    elif documents is None:
        documents = read_documents(settings)
    if embedder is None:
        from .embed import Embedder

        embedder = Embedder()
    root = settings.index_dir
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    parts: list[DocPart] = []
    keys: list[str] = []
    embedded: list[str] = []
    for doc in documents:
        key = _doc_key(doc, embedder.fingerprint)
        part = _load_part(cache, key)
        if part is None:
            clauses = (corpus.doc_clauses(doc.doc_id) if corpus is not None else parse_document(doc))
            part = _make_part(doc, clauses, embedder, progress)
            _save_part(cache, key, part)
            embedded.append(doc.doc_id)
        parts.append(part)
        keys.append(key)
    clauses = [c for p in parts for c in p.clauses]
    if not clauses:
        raise IndexError_("Kho văn bản không có điều khoản nào để xây chỉ mục.")
    dims = {p.vectors.shape[1] for p in parts if len(p.clauses)}
    vectors = np.ascontiguousarray(np.concatenate([p.vectors for p in parts if len(p.clauses)]), dtype=np.float32)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    tmp = root / f".build-{os.getpid()}-{stamp}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        with open(tmp / "clauses.jsonl", "w", encoding="utf-8") as f:
            for c in clauses:
                f.write(json.dumps(c.to_store(), ensure_ascii=False) + "\n")
        (tmp / "documents.json").write_text(json.dumps([p.info for p in parts], ensure_ascii=False, indent=1),
                                            encoding="utf-8")
        with open(tmp / "tokens.jsonl", "w", encoding="utf-8") as f:
            for p in parts:
                for toks in p.coverage:
                    f.write(json.dumps(toks, ensure_ascii=False) + "\n")
        retriever = bm25s.BM25()
        retriever.index([t for p in parts for t in p.lexical], show_progress=progress)
        retriever.save(str(tmp / "bm25"), show_progress=False)
        index = faiss.IndexFlatIP(dims.pop() if len(dims) == 1 else vectors.shape[1])
        index.add(vectors)
        faiss.write_index(index, str(tmp / "dense.faiss"))
        (tmp / "restorer.json").write_text(json.dumps(_restorer_table(parts), ensure_ascii=False), encoding="utf-8")
        files = {str(f.relative_to(tmp)): _sha256_file(f) for f in sorted(tmp.rglob("*")) if f.is_file()}
        manifest = {
            "format": INDEX_FORMAT, "package": __version__,
            "corpus_hash": digest or corpus_hash(settings),
            "pipeline_hash": pipeline_hash(), "model": embedder.fingerprint, "dim": int(vectors.shape[1]),
            "clauses": len(clauses), "documents": len(parts), "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "parts": dict(zip([p.info["doc_id"] for p in parts], keys)), "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _fsync_dir(tmp)
        final = root / f"v-{manifest['corpus_hash'][:8]}-{stamp}-{os.getpid()}-{time.time_ns() % 10**6}"
        os.replace(tmp, final)
        link_tmp = root / f".current-{os.getpid()}"
        if link_tmp.exists() or link_tmp.is_symlink():
            link_tmp.unlink()
        link_tmp.symlink_to(final.name)
        os.replace(link_tmp, root / "current")  # the atomic switch
        fsync_path(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _collect_garbage(root, final, set(keys))
    _load_cached.cache_clear()
    return BuildStats(final, len(parts), len(clauses), embedded, time.perf_counter() - t0)


def _collect_garbage(root: Path, live: Path, keys: set[str]) -> None:
    """Old versions go, except the one just replaced (a process may still be reading it);
    cache entries of documents no longer in the corpus go too."""
    versions = sorted((p for p in root.glob("v-*") if p.is_dir() and p != live), key=lambda p: p.stat().st_mtime)
    for old in versions[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for entry in (root / CACHE_DIR).iterdir():
        if entry.name not in keys and not entry.name.startswith("."):
            shutil.rmtree(entry, ignore_errors=True)


def clean_leftovers(settings: Settings) -> None:
    """Half-written builds and cache entries of a process that was killed."""
    root = settings.index_dir
    if not root.exists():
        return
    for p in list(root.glob(".build-*")) + list(root.glob(".current-*")) + list((root / CACHE_DIR).glob(".*")):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


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


def check_index(settings: Settings | None = None, model_fingerprint: str | None = None,
                deep: bool = False) -> dict:
    """The manifest of the live index, or an `IndexError_` saying why it cannot serve.
    `deep` also verifies every file against the checksum the manifest recorded."""
    settings = settings or get_settings()
    current = (settings.index_dir / "current").resolve()  # resolved once: a swap meanwhile is harmless
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
        # an interrupted `add`/`remove` is finished or undone first (if no other one is running)
        if not recover(settings, manifest.get("corpus_hash")) or manifest.get("corpus_hash") != corpus_hash(settings):
            raise IndexError_("Chỉ mục đã cũ: kho văn bản đã thay đổi. Hãy xây lại: quydinh-bot index")
    if manifest.get("pipeline_hash") != pipeline_hash():
        raise IndexError_("Chỉ mục đã cũ: bộ tách điều khoản đã thay đổi. Hãy xây lại: quydinh-bot index")
    if model_fingerprint and manifest.get("model") != model_fingerprint:
        raise IndexError_(f"Chỉ mục được xây bằng mô hình khác ({manifest.get('model')}). Hãy xây lại: quydinh-bot index")
    if deep:
        verify_files(current, manifest)
    manifest["_path"] = str(current)
    return manifest


def verify_files(path: Path, manifest: dict) -> None:
    """Every file of an index version against the sha256 in its manifest."""
    files = manifest.get("files")
    if not files:
        raise IndexError_("Chỉ mục thiếu mã kiểm tra (bản cũ). Hãy xây lại: quydinh-bot index")
    for name, expected in files.items():
        f = path / name
        try:
            actual = _sha256_file(f)
        except OSError as exc:
            raise IndexError_(f"Chỉ mục hỏng: thiếu tệp {name}. Hãy xây lại: quydinh-bot index") from exc
        if actual != expected:
            raise IndexError_(f"Chỉ mục hỏng: tệp {name} sai mã kiểm tra. Hãy xây lại: quydinh-bot index")


def load_index(settings: Settings | None = None, model_fingerprint: str | None = None) -> SearchIndex:
    settings = settings or get_settings()
    manifest = check_index(settings, model_fingerprint)
    return _load_cached(manifest["_path"], json.dumps(manifest, sort_keys=True))


@lru_cache(maxsize=2)
def _load_cached(path_str: str, manifest_json: str) -> SearchIndex:
    import bm25s
    import faiss

    path = Path(path_str)
    verify_files(path, json.loads(manifest_json))  # once per version and process: cheap (see benchmarks)
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
