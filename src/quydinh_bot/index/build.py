"""The search index: per-document parts + a small manifest per version, switched atomically.

Layout under `index/`:
    current -> v-<hash>-<time>/      (a symlink, swapped atomically when a build completes)
        manifest.json                 corpus hash, pipeline hash, model, counts, the parts in
                                      corpus order and the sha256 of every file of each part
    parts/<key>/                      one document's clauses, tokens, vectors, n-gram counts
                                      (`parts.py`), immutable, shared by every version naming it
Adding a document writes its part and a new manifest, nothing that grows with the corpus.
The structures over the whole corpus — the clause list, BM25 statistics and scores (`bm25.py`),
the FAISS inner-product index, the accent-restoration table (`grams.py`), the coverage words —
are assembled in memory when a version is loaded. A build never touches the live version: it
writes a new directory, fsyncs it, then swaps the symlink, so a crash half-way leaves the
previous index in service. Every part file is verified against the manifest when first
loaded by a process (`quydinh-bot index --check` too).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import unicodedata
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from quydinh_bot import __version__
from quydinh_bot.config import PACKAGE_DIR, Settings, get_settings
from quydinh_bot.documents.document import corpus_files
from quydinh_bot.files import fsync_path, fsync_tree, sha256_file
from quydinh_bot.index.accents import AccentRestorer
from quydinh_bot.language.text import fold, folded_words, word_parts
from quydinh_bot.parse.corpus import ParsedCorpus
from quydinh_bot.records import Clause

from . import parts
from .bm25 import BM25, TermCounts
from .grams import GramTable
from .journal import recover

if TYPE_CHECKING:
    import faiss

INDEX_FORMAT = 2
# The modules whose output the index stores: changing any of them makes an index stale.
_PIPELINE_FILES = ["language/text.py", "documents/document.py", "parse/clauses.py", "documents/pdftable.py",
                   "language/bodies.py", "parse/deadlines.py", "parse/extract.py", "parse/links.py", "records.py",
                   "question/query.py", "index/accents.py", "index/build.py", "index/parts.py", "index/grams.py",
                   "index/bm25.py", "data/bodies.tsv", "data/abbreviations.tsv", "question/shortforms.py",
                   "data/shortforms.tsv", "data/provinces.tsv"]


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
        h.update((PACKAGE_DIR / name).read_bytes())  # a file missing from this list is an error, not a skip
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


# Words of a passage the embedding reads (headings of context included); BM25 and coverage
# still read the whole clause. Chosen on the seed and real evals: at 128 every figure is as before
# but one terse question more right at rank 1; at 96 one terse question is newly declined (two others
# rise); at 80 dev and figure questions are lost. Checked on the probe, unchanged. It leaves out 6% of
# the 50-page plan's tokens (69 of its 852 passages are cut) and about 10% of its embedding CPU.
DENSE_WORDS = 128


def dense_text(c: Clause) -> str:
    """What the embedding reads: the clause with up to two headings of context, its first
    `DENSE_WORDS` words (a passage's gist is at its start; the rest only costs encoder time)."""
    context = " › ".join(h for h in c.heading_path[-2:] if h)
    body = f"{context}: {c.text}" if context else c.text
    return " ".join(body.split()[:DENSE_WORDS])


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


# --- building ---------------------------------------------------------------------------
#
# Everything that depends on one document alone (its clauses, their lexical and coverage
# tokens, their vectors, its accent n-gram counts) is a part under `index/parts/<key>/`, where
# the key hashes the document's bytes, its metadata entry, the pipeline and the model (see
# `parts.py`). A build parses and embeds only documents without a part, then writes a version:
# a manifest naming the parts and their files' checksums, nothing else. The structures over the
# whole corpus (BM25 statistics, FAISS, accent table, token sets) are assembled at load.


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


def doc_key(doc, model: str) -> str:
    """The key of a document's index part: its bytes, file name and metadata, the pipeline and the
    model (`model`: the embedder's fingerprint), so a part is reused exactly while all of them hold."""
    meta = json.dumps(doc.meta, sort_keys=True, ensure_ascii=False)
    raw = f"{doc.sha256}|{doc.path.name}|{meta}|{pipeline_hash()}|{model}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _make_part(key: str, doc, clauses: list[Clause], embedder, progress: bool) -> parts.Part:
    info = DocInfo(doc.doc_id, doc.display_title, doc.kind, doc.number, doc.date, doc.issuer, doc.province).__dict__
    title_tokens = coverage_tokens(doc.display_title)
    coverage = []
    for c in clauses:
        own = coverage_tokens(lexical_text(c))
        ctx = coverage_tokens(" . ".join(c.heading_path[:-1])) | title_tokens
        coverage.append(sorted(own | {f"^{t}" for t in ctx - own if not t.startswith("~")}))
    vectors = (embedder.encode_passages([dense_text(c) for c in clauses], progress=progress) if clauses
               else np.zeros((0, 0), dtype=np.float32))
    return parts.Part(key, info, clauses, np.ascontiguousarray(vectors, dtype=np.float32),
                      TermCounts.from_tokens([lex_tokens(lexical_text(c)) for c in clauses]),
                      parts.Coverage.from_sets(coverage),
                      GramTable.from_counts(AccentRestorer.counts([c.text for c in clauses])),
                      GramTable.from_counts(AccentRestorer.counts([c.lead or "" for c in clauses])))


@dataclass
class BuildStats:
    path: Path
    documents: int
    clauses: int
    embedded: list[str]  # ids of the documents parsed and embedded in this build
    seconds: float


def build_index(settings: Settings | None = None, corpus: ParsedCorpus | None = None, embedder=None,
                progress: bool = False, documents: list | None = None, digest: str | None = None) -> Path:
    """Build the missing parts and a version naming them, then point `index/current` at it."""
    return build(settings, corpus, embedder, progress, documents, digest).path


def build(settings: Settings | None = None, corpus: ParsedCorpus | None = None, embedder=None,
          progress: bool = False, documents: list | None = None, digest: str | None = None,
          verify: bool = False, parsed: dict[str, list[Clause]] | None = None) -> BuildStats:
    """`documents` (read, not parsed) and `digest` describe a corpus state not yet on disk
    (what `ingest` is about to commit); by default the corpus folder as it is. `parsed`: clauses
    of some of `documents` (by id) already parsed from exactly those documents (`ingest` checks
    a new document parses before it builds), used instead of parsing them again. Parts already
    on disk are trusted as written (their checksums are checked at load) unless `verify`:
    then a damaged one is made again (`quydinh-bot index`)."""
    from quydinh_bot.documents.document import load_corpus as read_documents
    from quydinh_bot.parse.corpus import parse_document

    t0 = time.perf_counter()
    settings = settings or get_settings()
    if corpus is not None:
        documents = corpus.documents
    elif documents is None:
        documents = read_documents(settings)
    if embedder is None:
        from quydinh_bot.encoder.embed import Embedder

        embedder = Embedder(settings=settings)
    root = settings.index_dir
    store = root / parts.PARTS_DIR
    store.mkdir(parents=True, exist_ok=True)
    listed: list[dict] = []
    files: dict[str, str] = {}
    embedded: list[str] = []
    n_clauses = 0
    dims: set[int] = set()
    known = {} if verify else _live_parts(root)
    entry: dict | None
    sums: dict[str, str] | None
    for doc in documents:
        if isinstance(doc, Indexed):
            key = doc.key
            if key not in known or not (store / key).is_dir():
                raise IndexError_("Chỉ mục đã đổi trong lúc cập nhật. Hãy thử lại.")
        else:
            key = doc_key(doc, embedder.fingerprint)
        if key in known and (store / key).is_dir():  # in the live version: nothing of it is read
            entry, dim, sums = known[key]
            count = int(entry["clauses"])
        else:
            entry = None
            sums = parts.read_checksums(store, key)
            if sums is not None and verify and not parts.intact(store, key, sums):
                shutil.rmtree(store / key, ignore_errors=True)  # damaged: made again
                sums = None
            if sums is None:
                if parsed and doc.doc_id in parsed:
                    clauses = parsed[doc.doc_id]
                else:
                    clauses = corpus.doc_clauses(doc.doc_id) if corpus is not None else parse_document(doc)
                part = _make_part(key, doc, clauses, embedder, progress)
                sums = parts.save(store, part)
                embedded.append(doc.doc_id)
                count, dim = len(clauses), (part.vectors.shape[1] if len(clauses) else None)
            else:
                count, dim = _part_shape(store, key)
        n_clauses += count
        if dim:
            dims.add(dim)
        if isinstance(doc, Indexed):
            about = {"file": doc.file, "sha256": doc.sha256, "text_key": doc.text_key}
        else:
            if entry is not None and entry.get("sha256") == doc.sha256 and "text_key" in entry:
                same_text = entry["text_key"]
            else:
                same_text = text_key(doc.text)
            about = {"file": doc.path.name, "sha256": doc.sha256, "text_key": same_text}
        listed.append({"doc_id": doc.doc_id, "key": key, "clauses": count, **about})
        files.update({f"{parts.PARTS_DIR}/{key}/{name}": digest for name, digest in sums.items()})
    if not n_clauses:
        raise IndexError_("Kho văn bản không có điều khoản nào để xây chỉ mục.")
    if len(dims) != 1:
        raise IndexError_("Các phần của chỉ mục có số chiều véc-tơ khác nhau. Hãy xây lại: quydinh-bot index")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    tmp = root / f".build-{os.getpid()}-{stamp}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        manifest = {
            "format": INDEX_FORMAT, "package": __version__,
            "corpus_hash": digest or corpus_hash(settings),
            "pipeline_hash": pipeline_hash(), "model": embedder.fingerprint, "dim": dims.pop(),
            "clauses": n_clauses, "documents": len(listed), "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "parts": listed, "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        fsync_tree(tmp)
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
    _collect_garbage(root, final)
    _load_cached.cache_clear()
    return BuildStats(final, len(listed), n_clauses, embedded, time.perf_counter() - t0)


def _live_parts(root: Path) -> dict[str, tuple[dict, int | None, dict[str, str]]]:
    """key -> (manifest entry, vector dimension, file checksums) of the parts the live version names."""
    try:
        manifest = json.loads((root / "current" / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != INDEX_FORMAT:
            return {}
        files = _files_by_part(manifest)
        return {p["key"]: (p, int(manifest["dim"]) if p["clauses"] else None, files[p["key"]])
                for p in manifest["parts"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def text_key(text: str) -> str:
    """A document's content whatever its line breaks, spacing or Unicode form (the duplicate check)."""
    return hashlib.sha256(" ".join(unicodedata.normalize("NFC", text).split()).encode()).hexdigest()


@dataclass
class Indexed:
    """A document as the live index lists it: what `add` needs of the documents already there
    (id, file, content hashes, part) without reading them again."""

    doc_id: str
    file: str
    key: str
    sha256: str
    text_key: str


def indexed_documents(settings: Settings, model: str) -> list[Indexed] | None:
    """The documents of the live index when it describes the corpus folder as it is (and was
    built by this pipeline and model); None when they must be read from the corpus."""
    try:
        manifest = json.loads((settings.index_dir / "current" / "manifest.json").read_text(encoding="utf-8"))
        if (manifest.get("format") != INDEX_FORMAT or manifest.get("pipeline_hash") != pipeline_hash()
                or manifest.get("model") != model or manifest.get("corpus_hash") != corpus_hash(settings)):
            return None
        return [Indexed(p["doc_id"], p["file"], p["key"], p["sha256"], p["text_key"]) for p in manifest["parts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _part_shape(store: Path, key: str) -> tuple[int, int | None]:
    """(clauses, vector dimension) of a stored part."""
    try:
        shape = parts.vector_shape(store, key)
    except (OSError, ValueError, KeyError) as exc:
        raise IndexError_(f"Chỉ mục hỏng: phần {key} không đọc được. Hãy xây lại: quydinh-bot index") from exc
    return (shape[0], shape[1]) if len(shape) == 2 and shape[0] else (0, None)


def _version_keys(version: Path) -> set[str]:
    try:
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        return {p["key"] for p in manifest.get("parts", []) if isinstance(p, dict)}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _collect_garbage(root: Path, live: Path) -> None:
    """Old versions go, except the one just replaced (a process may still be loading it);
    parts that neither of the two names go too, and what an older index format left."""
    versions = sorted((p for p in root.glob("v-*") if p.is_dir() and p != live), key=lambda p: p.stat().st_mtime)
    for old in versions[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    keep = _version_keys(live) | (_version_keys(versions[-1]) if versions else set())
    for entry in (root / parts.PARTS_DIR).iterdir():
        if entry.name not in keep and not entry.name.startswith("."):
            shutil.rmtree(entry, ignore_errors=True)
    shutil.rmtree(root / "cache", ignore_errors=True)  # format 1's per-document cache


def clean_leftovers(settings: Settings) -> None:
    """Half-written builds and parts of a process that was killed."""
    root = settings.index_dir
    if not root.exists():
        return
    for p in list(root.glob(".build-*")) + list(root.glob(".current-*")) + list((root / parts.PARTS_DIR).glob(".*")):
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
    dense: faiss.Index
    bm25: BM25
    compounds: set[str]
    restorer: AccentRestorer
    idf: dict[str, float]
    token_sets: Sequence[frozenset[str]]

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
        raise IndexError_(f"Chỉ mục được xây bằng mô hình khác ({manifest.get('model')}). "
                          "Hãy xây lại: quydinh-bot index")
    if deep:
        verify_files(current, manifest)
    manifest["_path"] = str(current)
    return manifest


def verify_files(path: Path, manifest: dict) -> None:
    """Every file of every part of an index version against the sha256 in its manifest."""
    files = manifest.get("files")
    if not files:
        raise IndexError_("Chỉ mục thiếu mã kiểm tra (bản cũ). Hãy xây lại: quydinh-bot index")
    _verify_under(path.parent, files)


def _verify_under(root: Path, files: dict[str, str]) -> None:
    for name, expected in files.items():
        try:
            actual = sha256_file(root / name)
        except OSError as exc:
            raise IndexError_(f"Chỉ mục hỏng: thiếu tệp {name}. Hãy xây lại: quydinh-bot index") from exc
        if actual != expected:
            raise IndexError_(f"Chỉ mục hỏng: tệp {name} sai mã kiểm tra. Hãy xây lại: quydinh-bot index")


def load_index(settings: Settings | None = None, model_fingerprint: str | None = None) -> SearchIndex:
    settings = settings or get_settings()
    manifest = check_index(settings, model_fingerprint)
    return _load_cached(manifest["_path"], json.dumps(manifest, sort_keys=True))


# Parts loaded by this process, by key (a key names one content for good): a new version after
# `add` reuses the parts the previous one loaded and verified, and reads only the new ones.
_loaded_parts: weakref.WeakValueDictionary[str, parts.Part] = weakref.WeakValueDictionary()


def clear_cache() -> None:
    """Forget the index versions and parts this process has loaded: the next `load_index` reads
    and verifies them again from disk (after files were changed behind the process's back)."""
    _load_cached.cache_clear()
    _loaded_parts.clear()


def _files_by_part(manifest: dict) -> dict[str, dict[str, str]]:
    """key -> {file name: sha256} from the manifest's flat list ("parts/<key>/<name>")."""
    out: dict[str, dict[str, str]] = {}
    for name, digest in manifest["files"].items():
        _, key, file = name.split("/", 2)
        out.setdefault(key, {})[file] = digest
    return out


def _load_part(root: Path, key: str, files: dict[str, str]) -> parts.Part:
    part = _loaded_parts.get(key)
    if part is not None and part.files == files:
        return part
    _verify_under(root, {f"{parts.PARTS_DIR}/{key}/{n}": d for n, d in files.items()})
    part = parts.load(root / parts.PARTS_DIR, key, files)
    _loaded_parts[key] = part
    return part


@lru_cache(maxsize=2)
def _load_cached(path_str: str, manifest_json: str) -> SearchIndex:
    import faiss

    from .grams import StoredRestorer

    path = Path(path_str)
    manifest = json.loads(manifest_json)
    root = path.parent
    if not manifest.get("files") or not isinstance(manifest.get("parts"), list):
        raise IndexError_("Chỉ mục thiếu mã kiểm tra (bản cũ). Hãy xây lại: quydinh-bot index")
    try:
        files = _files_by_part(manifest)
        loaded = [_load_part(root, p["key"], files[p["key"]]) for p in manifest["parts"]]
        clauses = [c for p in loaded for c in p.clauses]
        docs = {p.info["doc_id"]: DocInfo(**p.info) for p in loaded}
        dense = faiss.IndexFlatIP(int(manifest["dim"]))
        for p in loaded:  # part by part: no second copy of every vector
            if len(p.clauses):
                dense.add(np.ascontiguousarray(p.vectors, dtype=np.float32))
        bm25 = BM25([p.lexical for p in loaded])
        restorer = StoredRestorer([p.text_grams for p in loaded] + [p.lead_grams for p in loaded])
        token_sets = parts.TokenSets(loaded)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexError_(f"Chỉ mục hỏng ({exc.__class__.__name__}). Hãy xây lại: quydinh-bot index") from exc
    if dense.ntotal != len(clauses) or bm25.num_docs != len(clauses) or len(token_sets) != len(clauses):
        raise IndexError_("Chỉ mục không khớp với kho điều khoản. Hãy xây lại: quydinh-bot index")
    compounds = {t for t in bm25.vocab if "_" in t}
    return SearchIndex(path, manifest, clauses, docs, dense, bm25, compounds, restorer, bm25.idf(), token_sets)
