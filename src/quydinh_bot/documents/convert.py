"""A received file -> the text form the clause parser reads.

Readers per format (`plain`, `docx`, `pdf`); Word and PDF files are read in a limited child process
(`sandbox`) after the size and decompression checks of `limits`. Every refusal is a `DocumentError`
with one Vietnamese line."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from quydinh_bot.config import Settings, get_settings

from . import sandbox
from .document import DocumentError
from .limits import Limits, check_pdf, check_text, check_text_bytes, check_zip
from .plain import decode_text
from .word97 import OLE_MAGIC

SUFFIXES = {".txt": "văn bản", ".md": "văn bản", ".docx": "Word", ".doc": "Word 97-2003", ".pdf": "PDF"}

def convert(path: Path, data: bytes, settings: Settings | None = None, notes: list[str] | None = None) -> str:
    """A file's bytes -> the text form the clause parser reads (NFC, \\n line ends).

    The limits of `settings` (see `limits`) are checked before a reader runs and on its text;
    .docx and .pdf are read in a child process with memory and time limits (`sandbox`). What a
    reader reports instead of reading (scanned pages too poor to trust) is appended to `notes`."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(SUFFIXES)
        raise DocumentError(f"{path.name}: định dạng '{suffix or 'không có đuôi'}' không được hỗ trợ (dùng {known}).")
    limits = Limits.of(settings or get_settings())
    if suffix in {".txt", ".md"}:
        check_text_bytes(data, path.name, limits)
        text, _ = decode_text(data, path.name)
        check_text(text, path.name, limits)  # a Word or PDF text is checked in the child, before it is sent
    elif suffix == ".doc":
        if not data.startswith(OLE_MAGIC):
            raise DocumentError(f"{path.name}: không phải tệp Word 97-2003 (.doc) hợp lệ.")
        text = sandbox.read_in_child("doc", data, path.name, limits)
    elif suffix == ".docx":
        check_zip(data, path.name, limits)
        text = sandbox.read_in_child("docx", data, path.name, limits)
    else:
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise DocumentError(f"{path.name}: không phải tệp PDF hợp lệ.")
        check_pdf(data, path.name, limits)
        text = sandbox.read_in_child("pdf", data, path.name, limits, notes)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    if not re.search(r"\w", text):
        raise DocumentError(f"{path.name}: tài liệu rỗng, không có nội dung để đọc.")
    return text


def read_input(path: Path, settings: Settings) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        convert(path, b"x")  # raises the unknown-format message
    try:
        size = path.stat().st_size
        if size > settings.max_document_bytes:
            raise DocumentError(f"{path.name}: tệp quá lớn ({size / 2**20:.1f} MiB; giới hạn "
                                f"{settings.max_document_bytes / 2**20:.0f} MiB).")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DocumentError(f"{path}: không tìm thấy tệp.") from exc
    except IsADirectoryError as exc:
        raise DocumentError(f"{path}: là thư mục, không phải tệp.") from exc
    except OSError as exc:
        raise DocumentError(f"{path.name}: không mở được tệp ({exc.strerror}).") from exc
    if not data.strip():
        raise DocumentError(f"{path.name}: tệp rỗng, không có nội dung để đọc.")
    return data
