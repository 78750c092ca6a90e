"""Adding and removing documents: one call per change, never damaging what already works.

`add_files` converts each file to the parser's text form (readers per format: `read_text`,
`read_docx`, `read_pdf`; Word and PDF files in a limited child process, after the size and
decompression checks of `limits`, see `sandbox`), before the model is loaded or the corpus
lock taken; then it detects the metadata (`meta`), checks the text parses, and refuses with
one Vietnamese line anything unreadable, empty, too large, already present or of unknown
format, before anything is written. Then, under the corpus lock (`journal`):

1. the converted `.txt`, the original file (kept under `corpus/originals/`, for the record;
   only the `.txt` is read by the corpus) and the new `metadata.toml` are staged;
2. a journal names the moves and the corpus hash they lead to;
3. the index is built for that state — only the new document is parsed and embedded into a
   new part; the others' parts are named again from the live manifest, not read (see
   `index.indexed_documents`) — and swapped in atomically;
4. the journal is applied (renames), then removed.

A crash at any point leaves either the old corpus with the old index or (after step 3) a
journal that the next writer or reader finishes: the index in service always matches.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from quydinh_bot.config import Settings, get_settings
from quydinh_bot.documents.convert import SUFFIXES, convert, read_input
from quydinh_bot.documents.document import Document, DocumentError, load_corpus, make_id, read_document
from quydinh_bot.documents.limits import short_title
from quydinh_bot.documents.meta import FIELDS, detect, toml_entry, without_entry
from quydinh_bot.index import journal
from quydinh_bot.index.build import BuildStats, Indexed, build, clean_leftovers, digest_of, indexed_documents, text_key
from quydinh_bot.language.text import fold
from quydinh_bot.parse.clauses import ParseError
from quydinh_bot.parse.corpus import parse_document
from quydinh_bot.records import Clause

ORIGINALS = "originals"


@dataclass
class Added:
    doc_id: str
    file: str  # the converted text in corpus/
    original: str  # the file as received, under corpus/originals/
    source_format: str
    meta: dict[str, str]
    clauses: int
    tasks: int
    notes: list[str] = field(default_factory=list)  # what the reader left out and why (scanned pages too poor)

    def to_dict(self) -> dict:
        return {**self.__dict__, "notes": list(self.notes)}


@dataclass
class IngestResult:
    added: list[Added] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: list[str] = field(default_factory=list)  # documents parsed and embedded by this change
    index_path: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"added": [a.to_dict() for a in self.added], "removed": self.removed, "embedded": self.embedded,
                "index": self.index_path, "seconds": round(self.seconds, 2)}


@dataclass
class _Prepared:
    path: Path
    raw: bytes
    text: str
    meta: dict[str, str]
    file_name: str
    doc: Document
    parsed: list[Clause]  # the clauses of `doc`, handed to the index build
    fmt: str

    @property
    def clauses(self) -> int:
        return len(self.parsed)

    @property
    def tasks(self) -> int:
        return sum(c.is_task for c in self.parsed)


def _slug(s: str, n: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s))[:n].strip("-")


def _prepare(path: Path, overrides: dict[str, str], settings: Settings, taken_ids: set[str],
             known_raw: dict[str, str], known_text: dict[str, str],
             converted: tuple[bytes, str] | None = None) -> _Prepared:
    """`converted`: (bytes, text) already read and converted (outside the lock) by `add_files`."""
    data = converted[0] if converted else read_input(path, settings)
    raw_hash = hashlib.sha256(data).hexdigest()
    if raw_hash in known_raw:
        raise DocumentError(f"{path.name}: tệp này đã có trong kho (văn bản {known_raw[raw_hash]}).")
    text = converted[1] if converted else convert(path, data, settings)
    detected, body = detect(text)
    for k in FIELDS:  # a detected title (issuer…) is never a whole huge line
        if k != "id" and detected.get(k):
            detected[k] = short_title(detected[k], settings.max_title_chars)
    key = text_key(body)
    if key in known_text:
        raise DocumentError(f"{path.name}: nội dung này đã có trong kho (văn bản {known_text[key]}).")
    meta = {**detected, **overrides}
    if not meta.get("id"):
        meta["id"] = make_id(meta.get("kind", "văn bản"), meta.get("number"), meta.get("date"), path)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", meta["id"]):
        raise DocumentError(f"{path.name}: mã văn bản '{meta['id']}' không hợp lệ "
                            "(chỉ chữ thường không dấu, số, '-', '.', '_').")
    if meta["id"] in taken_ids:
        raise DocumentError(f"{path.name}: mã văn bản '{meta['id']}' đã có trong kho; đặt mã khác bằng --id.")
    file_name = f"{meta['id']}_{_slug(meta.get('title') or path.stem)}.txt".replace("_.txt", ".txt")
    body_bytes = body.encode("utf-8")
    doc = read_document(settings.corpus_dir / file_name, meta, data=body_bytes, settings=settings)
    # what read_document settled on (the text wins over detection) is what metadata.toml records
    for k, v in (("kind", doc.kind), ("number", doc.number), ("date", doc.date), ("issuer", doc.issuer),
                 ("province", doc.province), ("title", doc.title), ("parent_kind", doc.parent_kind)):
        if v and not meta.get(k):
            meta[k] = short_title(v, settings.max_title_chars)
    doc = read_document(doc.path, meta, data=body_bytes, settings=settings)  # exactly as the corpus will read it back
    # parsed once, as the corpus will read it back: these clauses are what the index gets
    # (`build(parsed=...)`), so the check and the index cannot disagree and nothing is parsed twice
    try:
        clauses = parse_document(doc)
    except ParseError as exc:
        raise DocumentError(f"{path.name}: không tách được điều khoản ({exc}).") from exc
    if not clauses:
        raise DocumentError(f"{path.name}: tài liệu rỗng, không có điều khoản nào.")
    return _Prepared(path, data, body, meta, file_name, doc, clauses, SUFFIXES[path.suffix.lower()])


def _existing(settings: Settings, model: str, sizes: set[int]) -> tuple[list, dict[str, str], dict[str, str]]:
    """The documents already there (as the live index lists them when it matches the corpus
    folder, else read), the raw-bytes hash -> id of those files and originals that are as large
    as a file being added (a file of another size cannot be the same), the content key -> id."""
    docs: list = indexed_documents(settings, model) or []
    if docs:
        known_text = {d.text_key: d.doc_id for d in docs}
        files = {d.file: d.doc_id for d in docs}
    else:
        docs = load_corpus(settings)
        known_text = {text_key(d.text): d.doc_id for d in docs}
        files = {d.path.name: d.doc_id for d in docs}
    known_raw: dict[str, str] = {}
    for name, doc_id in files.items():
        f = settings.corpus_dir / name
        if f.stat().st_size in sizes:
            known_raw[hashlib.sha256(f.read_bytes()).hexdigest()] = doc_id
    originals = settings.corpus_dir / ORIGINALS
    if originals.is_dir():
        ids = set(files.values())
        for f in originals.iterdir():
            doc_id = f.stem
            if f.is_file() and doc_id in ids and f.stat().st_size in sizes:
                known_raw[hashlib.sha256(f.read_bytes()).hexdigest()] = doc_id
    return docs, known_raw, known_text


def _name(doc) -> str:
    return doc.file if isinstance(doc, Indexed) else doc.path.name


def _commit(settings: Settings, docs: list, files: dict[str, bytes], metadata: bytes,
            moves: list[tuple[str, str]], deletes: list[str], embedder,
            parsed: dict[str, list[Clause]] | None = None) -> BuildStats:
    """Steps 2-4 of the module docstring (staged files already written); `parsed`: the clauses
    of the new documents, by id, already parsed by `_prepare`."""
    digest = digest_of(list(files.items()), metadata)
    journal.write_journal(settings, journal.Journal(digest, moves, deletes))
    stats = build(settings, documents=sorted(docs, key=_name), digest=digest, embedder=embedder, parsed=parsed)
    journal.apply(settings, journal.Journal(digest, moves, deletes))
    return stats


def _corpus_bytes(settings: Settings) -> dict[str, bytes]:
    from quydinh_bot.documents.document import corpus_files

    return {p.name: p.read_bytes() for p in corpus_files(settings)}


def _begin(settings: Settings) -> None:
    """Under the lock: finish or drop what a killed writer left, clear half-built index parts."""
    live = None
    try:
        manifest = (settings.index_dir / "current" / "manifest.json").read_text(encoding="utf-8")
        live = json.loads(manifest).get("corpus_hash")
    except (OSError, ValueError):
        pass
    journal.settle(settings, live)
    clean_leftovers(settings)


@contextlib.contextmanager
def _gc_paused():
    """The cyclic collector off for one add (on again after, if it was on). An add allocates a few
    hundred thousand objects (clauses, tokens, n-gram counts, pyvi's model on first use) and frees
    them with the reference counts alone; the collector scanning them over and over cost ~0.5 s of
    CPU per add of a 50-page plan, about an eighth of what the add does besides embedding."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def add_files(paths: list[Path | str], meta: dict[str, str] | None = None, settings: Settings | None = None,
              embedder=None) -> IngestResult:
    """Add documents to the corpus and the index; raises `DocumentError` (nothing changed) on a bad file."""
    with _gc_paused():
        return _add_files(paths, meta, settings, embedder)


def _add_files(paths: list[Path | str], meta: dict[str, str] | None, settings: Settings | None,
               embedder) -> IngestResult:
    t0 = time.perf_counter()
    settings = settings or get_settings()
    sources = [Path(p) for p in paths]
    overrides = dict(meta or {})
    if not sources:
        raise DocumentError("Chưa chọn tệp nào để thêm.")
    if overrides.get("id") and len(sources) > 1:
        raise DocumentError("--id chỉ dùng khi thêm một tệp.")
    for k, v in overrides.items():
        if k != "id" and len(v) > settings.max_title_chars:
            raise DocumentError(f"Giá trị '{k}' quá dài ({len(v)} ký tự; giới hạn {settings.max_title_chars} ký tự).")
    # read and convert first (limits checked, readers in a child process): a bad or hostile file
    # is refused before the model is loaded and without holding the corpus lock
    converted = []
    notes: list[list[str]] = []
    for path in sources:
        data = read_input(path, settings)
        notes.append([])
        converted.append((data, convert(path, data, settings, notes[-1])))
    if embedder is None:
        from quydinh_bot.encoder.embed import Embedder

        embedder = Embedder(settings=settings)
    sizes = {len(data) for data, _ in converted}
    with journal.locked(settings):
        _begin(settings)
        docs, known_raw, known_text = _existing(settings, embedder.fingerprint, sizes)
        taken = {d.doc_id for d in docs}
        prepared: list[_Prepared] = []
        for path, conv in zip(sources, converted):
            p = _prepare(path, overrides, settings, taken, known_raw, known_text, conv)
            taken.add(p.meta["id"])
            known_raw[hashlib.sha256(p.raw).hexdigest()] = p.meta["id"]
            known_text[text_key(p.text)] = p.meta["id"]
            prepared.append(p)
        # nothing has been written so far; from here on the journal keeps corpus and index together
        stage = journal.begin(settings)
        toml_path = settings.metadata_file
        toml_text = toml_path.read_text(encoding="utf-8") if toml_path.exists() else ""
        files = _corpus_bytes(settings)
        moves: list[tuple[str, str]] = []
        rel = stage.relative_to(settings.corpus_dir)
        (stage / ORIGINALS).mkdir()
        for p in prepared:
            data = p.text.encode("utf-8")
            (stage / p.file_name).write_bytes(data)
            original = f"{p.meta['id']}{p.path.suffix.lower()}"
            (stage / ORIGINALS / original).write_bytes(p.raw)
            moves += [(str(rel / p.file_name), p.file_name),
                      (str(rel / ORIGINALS / original), f"{ORIGINALS}/{original}")]
            files[p.file_name] = data
            toml_text = toml_text.rstrip("\n") + "\n\n" + toml_entry(p.file_name, p.meta)
        metadata = toml_text.encode("utf-8")
        (stage / "metadata.toml").write_bytes(metadata)
        moves.append((str(rel / "metadata.toml"), "metadata.toml"))
        stats = _commit(settings, docs + [p.doc for p in prepared], files, metadata, moves, [], embedder,
                        {p.doc.doc_id: p.parsed for p in prepared})
    result = IngestResult(embedded=stats.embedded, index_path=str(stats.path))
    for p, noted in zip(prepared, notes):
        result.added.append(Added(p.meta["id"], p.file_name, f"{ORIGINALS}/{p.meta['id']}{p.path.suffix.lower()}",
                                  p.fmt, p.meta, p.clauses, p.tasks, noted))
    result.seconds = time.perf_counter() - t0
    return result


def remove(doc_id: str, settings: Settings | None = None, embedder=None) -> IngestResult:
    """Take a document out of the corpus and the index (its original too)."""
    t0 = time.perf_counter()
    settings = settings or get_settings()
    if embedder is None:
        from quydinh_bot.encoder.embed import Embedder

        embedder = Embedder(settings=settings)
    with journal.locked(settings):
        _begin(settings)
        docs = indexed_documents(settings, embedder.fingerprint) or load_corpus(settings)
        target = next((d for d in docs if d.doc_id == doc_id), None)
        if target is None:
            known = ", ".join(d.doc_id for d in docs)
            raise DocumentError(f"Không có văn bản mã '{doc_id}'. Các mã hiện có: {known}.")
        if len(docs) == 1:
            raise DocumentError("Không thể xóa văn bản cuối cùng của kho.")
        stage = journal.begin(settings)
        toml_path = settings.metadata_file
        toml_text = toml_path.read_text(encoding="utf-8") if toml_path.exists() else ""
        metadata = without_entry(toml_text, _name(target)).encode("utf-8")
        (stage / "metadata.toml").write_bytes(metadata)
        moves = [(str(stage.relative_to(settings.corpus_dir) / "metadata.toml"), "metadata.toml")]
        files = _corpus_bytes(settings)
        files.pop(_name(target), None)
        deletes = [_name(target)]
        originals = settings.corpus_dir / ORIGINALS
        if originals.is_dir():
            deletes += [f"{ORIGINALS}/{f.name}" for f in originals.iterdir() if f.stem == doc_id]
        rest = [d for d in docs if d.doc_id != doc_id]
        stats = _commit(settings, rest, files, metadata, moves, deletes, embedder)
    return IngestResult(removed=[doc_id], embedded=stats.embedded, index_path=str(stats.path),
                        seconds=time.perf_counter() - t0)


def rebuild(settings: Settings | None = None, embedder=None, progress: bool = False) -> BuildStats:
    """`quydinh-bot index`: the whole corpus as it is on disk (cached documents reused)."""
    settings = settings or get_settings()
    with journal.locked(settings):
        _begin(settings)
        return build(settings, embedder=embedder, progress=progress, verify=True)


__all__ = ["Added", "IngestResult", "add_files", "remove", "rebuild", "convert"]
