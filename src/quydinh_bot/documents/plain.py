"""`.txt`/`.md` files -> Unicode NFC text, whatever encoding the archive used.

UTF-8 (with or without BOM) and UTF-16 (BOM, or the tell-tale zero bytes without one) are
read as such; anything else is tried as Windows-1258, TCVN3 and VNI (see `legacy`) and the
reading that gives Vietnamese words wins. Binary files are refused.
"""
from __future__ import annotations

import unicodedata

from .document import DocumentError
from .legacy import decode_single_byte, vietnamese_score

_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x7fELF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > 0.3 * half:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _control_share(text: str) -> float:
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / max(1, len(sample))


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Bytes -> (NFC text with \\n line ends, encoding name), or a one-line `DocumentError`."""
    if not data.strip():
        raise DocumentError(f"{name}: tệp rỗng, không có nội dung để đọc.")
    encoding = ""
    text: str | None = None
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{name}: tệp UTF-16 bị hỏng, không đọc được.") from exc
    elif (t := _utf16_without_bom(data)) is not None:
        text, encoding = t, "utf-16"
    elif data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise DocumentError(f"{name}: tệp nhị phân, không phải văn bản.")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = decode_single_byte(data)
            if vietnamese_score(text) < 0.3:
                raise DocumentError(f"{name}: không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16, "
                                    f"Windows-1258, TCVN3 hay VNI), hoặc tệp không phải văn bản.") from None
    if _control_share(text) > 0.01:
        raise DocumentError(f"{name}: tệp nhị phân, không phải văn bản.")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise DocumentError(f"{name}: tệp rỗng, không có nội dung để đọc.")
    return text, encoding
