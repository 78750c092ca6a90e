"""Limits on what `add` reads, checked before the expensive work (settings in `config.Settings`).

Before a reader runs (in the parent, on the raw bytes, with bounded memory):

* `.txt`/`.md`: more bytes than 4 x `max_text_chars` cannot decode to an acceptable text;
* `.docx` (a zip): the number of entries, each entry's and the sum of the uncompressed sizes
  as the central directory declares them (Python's zipfile never inflates an entry beyond its
  declared size, so what python-docx can be made to read is bounded by these) and each large
  entry's compression ratio;
* `.pdf`: every stream that is not an image (content streams, forms, fonts, object and xref
  streams: what pdfminer decodes) is inflated once through a bounded decoder that stops past
  `max_pdf_stream_bytes`; the sum is capped too. Images are never decoded by the reader.

Then the reader runs in a child process (`sandbox`) with an address-space and CPU limit; the
PDF reader counts pages there before reading any. After conversion: `max_text_chars` and
`max_line_chars` (one paragraph is one line), before metadata detection, parsing and
embedding. Detected titles (and other metadata) are shortened to `max_title_chars`.
Every refusal is one Vietnamese sentence raised as `DocumentError`.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, fields

from .document import DocumentError

MIB = 2**20
_RATIO_FROM = 1 * MIB  # smaller entries may be as compressible as they like


@dataclass(frozen=True)
class Limits:
    """The settings the checks and the child process need (picklable, sent to the child)."""

    max_text_chars: int = 1_000_000
    max_line_chars: int = 20_000
    max_title_chars: int = 300
    max_pdf_pages: int = 300
    max_pdf_stream_bytes: int = 16 * MIB
    max_pdf_decoded_bytes: int = 64 * MIB
    max_zip_entries: int = 2000
    max_unpacked_bytes: int = 128 * MIB
    max_unpacked_entry_bytes: int = 64 * MIB
    max_compression_ratio: int = 100
    max_parse_memory_bytes: int = 1024 * MIB
    max_parse_seconds: int = 180

    @classmethod
    def of(cls, settings) -> "Limits":
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})


def _n(value: int) -> str:
    """12345678 -> '12.345.678' (Vietnamese digit grouping)."""
    return f"{value:,}".replace(",", ".")


def _mib(value: int) -> str:
    return f"{value / MIB:.0f} MiB" if value >= MIB else f"{value / MIB:.2f} MiB"


# --- text -----------------------------------------------------------------------------------

def check_text_bytes(data: bytes, name: str, limits: Limits) -> None:
    """A .txt/.md file too large to decode to at most `max_text_chars` characters (4 bytes/char at most)."""
    if len(data) > 4 * limits.max_text_chars:
        raise DocumentError(f"{name}: văn bản quá dài ({_mib(len(data))}; giới hạn {_n(limits.max_text_chars)} "
                            f"ký tự), hãy tách thành nhiều văn bản.")


def check_text(text: str, name: str, limits: Limits) -> None:
    """The converted text: total length and the longest line (a paragraph is one line)."""
    if len(text) > limits.max_text_chars:
        raise DocumentError(f"{name}: văn bản quá dài ({_n(len(text))} ký tự; giới hạn {_n(limits.max_text_chars)} "
                            f"ký tự), hãy tách thành nhiều văn bản.")
    at, line = max(enumerate(text.split("\n"), 1), key=lambda numbered: len(numbered[1]))
    longest = len(line)
    if longest > limits.max_line_chars:
        raise DocumentError(f"{name}: có đoạn văn quá dài ({_n(longest)} ký tự liền một dòng, dòng {at}; giới hạn "
                            f"{_n(limits.max_line_chars)} ký tự), hãy ngắt thành các đoạn ngắn hơn.")


def short_title(value: str, limit: int) -> str:
    """A title (or other detected field) of at most `limit` characters, cut at a word, '…' ended;
    returned unchanged when it fits."""
    if len(value) <= limit:
        return value
    cut = re.sub(r"\s+", " ", value).strip()[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


# --- zip (.docx) ----------------------------------------------------------------------------

def check_zip(data: bytes, name: str, limits: Limits, what: str = "tệp Word") -> None:
    """Sizes the central directory declares, before anything is inflated. A file that is not a
    zip at all is left to the reader (its own message)."""
    try:
        # the entry count, before ZipInfo objects are built (typeshed has no stubs for zipfile's private helpers)
        end = zipfile._EndRecData(io.BytesIO(data))  # type: ignore[attr-defined]
        count = end[zipfile._ECD_ENTRIES_TOTAL] if end else None  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - private helper; ZipFile below decides
        count = None
    if count is not None and count > limits.max_zip_entries:
        raise DocumentError(f"{name}: {what} có quá nhiều thành phần ({_n(count)}; giới hạn "
                            f"{_n(limits.max_zip_entries)}), có thể là tệp nén độc hại.")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    if len(infos) > limits.max_zip_entries:
        raise DocumentError(f"{name}: {what} có quá nhiều thành phần ({_n(len(infos))}; giới hạn "
                            f"{_n(limits.max_zip_entries)}), có thể là tệp nén độc hại.")
    total = 0
    for info in infos:
        entry = re.sub(r"[^\w./-]", "?", info.filename)[:60]
        if info.file_size > limits.max_unpacked_entry_bytes:
            raise DocumentError(f"{name}: thành phần '{entry}' của {what} khi giải nén quá lớn "
                                f"({_mib(info.file_size)}; giới hạn {_mib(limits.max_unpacked_entry_bytes)}), "
                                f"có thể là tệp nén độc hại.")
        if info.file_size > _RATIO_FROM and info.file_size > limits.max_compression_ratio * max(1, info.compress_size):
            ratio = info.file_size / max(1, info.compress_size)
            raise DocumentError(f"{name}: thành phần '{entry}' của {what} có tỉ lệ nén bất thường ({ratio:.0f} lần; "
                                f"giới hạn {limits.max_compression_ratio} lần), có thể là tệp nén độc hại.")
        total += info.file_size
    if total > limits.max_unpacked_bytes:
        raise DocumentError(f"{name}: {what} khi giải nén quá lớn ({_mib(total)}; giới hạn "
                            f"{_mib(limits.max_unpacked_bytes)}), có thể là tệp nén độc hại.")


# --- PDF streams ----------------------------------------------------------------------------

_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()%]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()%]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![\w])")


class _TooBig(Exception):
    pass


def _inflate(buf, cap: int) -> bytes:
    """zlib data -> at most `cap` bytes (else _TooBig); what precedes a corruption is kept, as
    pdfminer does."""
    d = zlib.decompressobj()
    out: list[bytes] = []
    n = 0
    data = buf
    try:
        while True:
            chunk = d.decompress(data, cap + 1 - n)
            n += len(chunk)
            if n > cap:
                raise _TooBig
            out.append(chunk)
            data = d.unconsumed_tail
            if d.eof or not data:
                break
    except zlib.error:
        pass
    return b"".join(out)


def _lzw(buf, cap: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for chunk in LZWDecoder(io.BytesIO(bytes(buf))).run():
            out += chunk
            if len(out) > cap:
                raise _TooBig
    except _TooBig:
        raise
    except Exception:  # noqa: BLE001 - a damaged stream: what was decoded
        pass
    return bytes(out)


def _runlength(buf, cap: int) -> bytes:
    out = bytearray()
    i, n = 0, len(buf)
    while i < n:
        c = buf[i]
        if c == 128:
            break
        if c < 128:
            out += buf[i + 1:i + 2 + c]
            i += 2 + c
        else:
            out += bytes(buf[i + 1:i + 2]) * (257 - c)
            i += 2
        if len(out) > cap:
            raise _TooBig
    return bytes(out)


def _decode(buf, filters: list[str], cap: int) -> int:
    """Size of a stream once its filters are applied (bounded), as far as they can be applied."""
    data = buf
    for f in filters:
        if f in {"FlateDecode", "Fl"}:
            data = _inflate(data, cap)
        elif f in {"LZWDecode", "LZW"}:
            data = _lzw(data, cap)
        elif f in {"RunLengthDecode", "RL"}:
            data = _runlength(data, cap)
        elif f in {"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85"}:  # output smaller than input
            from pdfminer.ascii85 import ascii85decode, asciihexdecode

            try:
                data = (asciihexdecode if "H" in f else ascii85decode)(bytes(data))
            except Exception:  # noqa: BLE001
                return len(data)
        else:  # DCT, JPX, JBIG2, CCITT, Crypt…: pdfminer leaves these as they are
            break
    if len(data) > cap:
        raise _TooBig
    return len(data)


def check_pdf(data: bytes, name: str, limits: Limits) -> None:
    """Every non-image stream inflated once, bounded: one over `max_pdf_stream_bytes`, or all
    together over `max_pdf_decoded_bytes`, is refused before pdfplumber sees the file."""
    mv = memoryview(data)
    total = 0
    done = 0
    for m in _STREAM.finditer(data):
        if m.start() < done:
            continue  # inside the previous stream's data
        start = m.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        done = end
        head_at = data.rfind(b"obj", max(0, m.start() - 65536), m.start())
        head = data[head_at if head_at >= 0 else max(0, m.start() - 4096):m.start() + 2]
        if _IMAGE.search(head):
            continue
        f = _FILTER.search(head)
        filters = [n.decode("latin-1") for n in _NAME.findall(f.group(1))] if f else []
        try:
            size = _decode(mv[start:end], filters, limits.max_pdf_stream_bytes)
        except _TooBig:
            raise DocumentError(f"{name}: tệp PDF có luồng dữ liệu giải nén quá lớn (hơn "
                                f"{_mib(limits.max_pdf_stream_bytes)}), có thể là tệp nén độc hại.") from None
        total += size
        if total > limits.max_pdf_decoded_bytes:
            raise DocumentError(f"{name}: tệp PDF khi giải nén quá lớn (hơn {_mib(limits.max_pdf_decoded_bytes)}), "
                                f"có thể là tệp nén độc hại.")


def too_many_pages(name: str, count: int | None, limit: int) -> DocumentError:
    shown = f"{_n(count)} trang" if count else f"hơn {_n(limit)} trang"
    return DocumentError(f"{name}: tệp PDF có quá nhiều trang ({shown}; giới hạn {_n(limit)} trang), "
                         f"hãy tách thành nhiều tệp.")
