"""Reading documents: bytes -> checked text + metadata (kind, number, date, issuer, province).

What the text states about itself wins; `corpus/metadata.toml` fills in what it does not.
Every failure is a `DocumentError` with a one-line Vietnamese message, never a traceback.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from quydinh_bot.config import Settings, get_settings
from quydinh_bot.language.text import fold, strip_markup

TEXT_SUFFIXES = {".txt", ".md", ".tsv"}
# The kinds a document names itself by: (kind, id prefix, number codes). The kind is the title word
# of the header ("KẾ HOẠCH"); the code is the first letters of the number ("15-KH/TU", "99/2025/NQ-HĐND").
# Longer kinds first: "chương trình hành động" before "chương trình". A công văn has no title word:
# its number carries the issuer's code ("…/SCT-CN") and its abstract starts with "V/v".
KIND_TABLE: list[tuple[str, str, tuple[str, ...]]] = [
    ("chương trình hành động", "ctrhd", ()),
    ("chương trình", "ctr", ("CTr",)),
    ("kế hoạch", "kh", ("KH",)),
    ("báo cáo", "bc", ("BC",)),
    ("đề án", "da", ("ĐA",)),
    ("phụ lục", "pl", ()),
    ("quyết định", "qd", ("QĐ",)),
    ("quy định", "qdi", ()),  # a Party Quy định is numbered "…-QĐ/TW" too: only its title word tells
    ("nghị quyết liên tịch", "nqlt", ("NQLT",)),
    ("nghị quyết", "nq", ("NQ",)),
    ("hướng dẫn", "hd", ("HD",)),
    ("chỉ thị", "ct", ("CT",)),
    ("kết luận", "kl", ("KL",)),
    ("thông báo", "tb", ("TB",)),
    ("quy chế", "qc", ("QC",)),
    ("tờ trình", "ttr", ("TTr",)),
    ("thông tri", "ttri", ()),  # a Party thông tri is numbered "…-TT/…" as a thông tư is: its title word tells
    ("thông tư liên tịch", "ttlt", ("TTLT",)),
    ("thông tư", "tt", ("TT",)),
    ("nghị định", "nd", ("NĐ",)),
    ("công văn", "cv", ()),
]
KINDS = [k for k, _, _ in KIND_TABLE]
_PREFIX = {k: prefix for k, prefix, _ in KIND_TABLE}
_ATTACHED = re.compile(
    r"\(\s*kèm theo\s+(?P<kind>chương trình hành động|chương trình|kế hoạch|đề án|quyết định|nghị quyết)\s+số\s+"
    r"(?P<number>\d+[\w/.\-Đđ]*)\s*,?\s*ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4})(?:\s+của\s+(?P<issuer>[^)]+))?",
    re.IGNORECASE,
)


class DocumentError(Exception):
    """A document that cannot be read; the message is shown to the user as is."""


@dataclass
class Document:
    doc_id: str
    path: Path
    text: str  # NFC as printed (tone placement untouched), \n line ends
    kind: str
    number: str | None
    date: str | None
    issuer: str | None
    province: str | None
    title: str
    parent_kind: str | None = None  # for an appendix: the kind of the document it belongs to
    sha256: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def cite_name(self) -> str:
        """How a person finds the document on paper: 'Kế hoạch số 376-KH/TU ngày 21/7/2025'."""
        kind = (self.parent_kind or self.kind).capitalize()
        if self.meta.get("cite_as"):
            base = self.meta["cite_as"]
        elif self.number:
            base = f"{kind} số {self.number}" + (f" ngày {self.date}" if self.date else "")
        else:
            where = f" {self.province}" if self.province else ""
            when = f" ({self.date})" if self.date else ""
            base = f"{kind} của {self.issuer or 'cơ quan ban hành'}{where}{when}"
        return base + (", Phụ lục" if self.parent_kind else "")

    @property
    def display_title(self) -> str:
        if self.parent_kind and self.number:
            return f"{self.title} kèm theo {self.parent_kind.capitalize()} số {self.number} ngày {self.date}"
        return self.title


def decode(data: bytes, name: str = "tệp") -> str:
    """Bytes -> text, refusing binary files and unknown encodings with a Vietnamese message."""
    if not data or not data.strip():
        raise DocumentError(f"{name}: tệp rỗng, không có nội dung để đọc.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{name}: tệp UTF-16 bị hỏng, không đọc được.") from exc
    if b"\x00" in data[:8192] or data.startswith((b"%PDF", b"PK\x03\x04", b"\x7fELF")):
        raise DocumentError(f"{name}: tệp nhị phân, không phải văn bản (hãy dùng lệnh nhập .docx/.pdf).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{name}: mã hóa không phải UTF-8, không đọc được văn bản.") from exc


def load_metadata(settings: Settings | None = None) -> dict[str, dict]:
    settings = settings or get_settings()
    path = settings.metadata_file
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError(f"{path.name}: tệp siêu dữ liệu sai cú pháp ({exc}).") from exc


def _first_heading(lines: list[str]) -> str:
    """The title block: the first lines up to the first blank line after some text."""
    block: list[str] = []
    for line in lines:
        clean = strip_markup(line.lstrip("#").strip())
        if clean in {"", "*"} or clean.startswith("Số "):
            if block:
                break
            continue
        if "\t" in line or re.match(r"^STT\b", clean):
            break
        block.append(clean)
        if len(block) >= 8:
            break
    return " ".join(block)


def _kind_of(title: str) -> str | None:
    key = fold(title)
    for kind in KINDS:
        if key.startswith(fold(kind)):
            return kind
    return None


def read_document(path: Path, meta: dict | None = None, data: bytes | None = None,
                  settings: Settings | None = None) -> Document:
    """Read one file; `meta` is its entry from metadata.toml (may be empty)."""
    meta = dict(meta or {})
    settings = settings or get_settings()
    if data is None:
        try:
            if path.stat().st_size > settings.max_document_bytes:
                raise DocumentError(f"{path.name}: tệp quá lớn (giới hạn {settings.max_document_bytes // 2**20} MiB).")
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"{path.name}: không mở được tệp ({exc.strerror}).") from exc
    if len(data) > settings.max_document_bytes:
        raise DocumentError(f"{path.name}: tệp quá lớn (giới hạn {settings.max_document_bytes // 2**20} MiB).")
    # NFC only: the words are kept as printed for display; comparisons go through text.normalize.
    text = unicodedata.normalize("NFC", decode(data, path.name)).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    head = _first_heading(lines)
    kind = meta.get("kind") or _kind_of(head) or "văn bản"
    # "(kèm theo Kế hoạch số 376-KH/TU, ngày 21/7/2025 của …)" states the number and date.
    attached = _ATTACHED.search(strip_markup(" ".join(lines)))
    number = meta.get("number") or (attached.group("number").rstrip(".,") if attached else None)
    date = meta.get("date") or (attached.group("date") if attached else None)
    if attached and meta.get("date") and attached.group("date") != meta.get("date"):
        date = attached.group("date")  # the text wins over the metadata file
    parent_kind = meta.get("parent_kind")
    if kind == "phụ lục" and attached and not parent_kind:
        parent_kind = attached.group("kind").lower()
    issuer = meta.get("issuer")
    if not issuer and attached and attached.group("issuer"):
        issuer = re.sub(r"\s+", " ", attached.group("issuer")).strip(" )*")
    province = meta.get("province")
    if not province:  # from the header block only, never from a body the text names
        from .meta import detect

        province = detect(text)[0].get("province")
    title = meta.get("title") or (head[:1].upper() + head[1:].lower() if head.isupper() else head) or path.stem
    doc_id = meta.get("id") or make_id(kind, number, date, path)
    return Document(
        doc_id=doc_id, path=path, text=text, kind=kind, number=number, date=date, issuer=issuer,
        province=province, title=title, parent_kind=parent_kind,
        sha256=hashlib.sha256(data).hexdigest(), meta=meta,
    )


def make_id(kind: str, number: str | None, date: str | None, path: Path, title: str | None = None) -> str:
    """A short id that never repeats the kind: "kh-2242-2026"; without a number, kind + the first
    words of the title + year ("kh-kiem-tra-cap-giay-chung-2026"), else the file name."""
    prefix = _PREFIX.get(kind, "vb")
    year = m.group(0) if (m := re.search(r"\d{4}$", date or "")) else ""
    if not year and number and (m := re.search(r"/(\d{4})/", number)):
        year = m.group(1)
    tail = f"-{year}" if year else ""
    if number:
        n = re.match(r"\d+", number)
        return f"{prefix}-{n.group(0) if n else _slug(number, 20)}{tail}"
    words = _slug(title or "", 200).split("-")
    kind_words = _slug(kind, 60).split("-")
    if words[:len(kind_words)] == kind_words:  # "Kế hoạch kiểm tra …": the kind is the prefix already
        words = words[len(kind_words):]
    words = [w for w in words if w][:5]
    if words:
        return f"{prefix}-{'-'.join(words)}{tail}"
    stem = _slug(path.stem, 60).split("-")
    if stem[:1] == [prefix] or (stem[:1] and stem[0] == fold(kind).replace(" ", "")):
        stem = stem[1:]  # "KH-2242_…docx" -> "kh-2242-…", not "kh-kh-2242-…"
    return f"{prefix}-" + "-".join(stem)[:40].strip("-")


def _slug(s: str, n: int) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(s))[:n].strip("-")


def corpus_files(settings: Settings | None = None) -> list[Path]:
    settings = settings or get_settings()
    return sorted(p for p in settings.corpus_dir.iterdir() if p.suffix in TEXT_SUFFIXES and p.is_file())


def load_corpus(settings: Settings | None = None) -> list[Document]:
    """All documents of the corpus folder, in file-name order, ids unique."""
    settings = settings or get_settings()
    meta = load_metadata(settings)
    docs = [read_document(p, meta.get(p.name), settings=settings) for p in corpus_files(settings)]
    seen: set[str] = set()
    for d in docs:
        if d.doc_id in seen:
            raise DocumentError(f"{d.path.name}: mã văn bản '{d.doc_id}' bị trùng; đặt 'id' khác trong metadata.toml.")
        seen.add(d.doc_id)
    return docs
