"""Hostile files built by the tests, in a second or so and without holding what they expand to:

* a .docx whose word/document.xml inflates to ~1 GiB (declared so in the central directory, and
  really so: a valid zip, CRC included), or declares less than it holds;
* a PDF whose FlateDecode content stream inflates to 64 MiB;
* a PDF of many (tiny, shared-content) pages.

The deflate data are pieces each ended by a full flush (which empties the compressor's window,
so no piece refers to another): one piece of 16 MiB of a repeated byte compresses to ~16 KB and
is written as many times as needed.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

CHUNK = 16 * 2**20


def _piece(data: bytes, final: bool = False) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def deflate_repeated(prefix: bytes, chunk: bytes, times: int, suffix: bytes):
    """(raw deflate bytes, crc32, adler32, size) of prefix + chunk * times + suffix."""
    body = _piece(chunk)
    raw = _piece(prefix) + body * times + _piece(suffix, final=True)
    crc = zlib.crc32(prefix)
    adler = zlib.adler32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
        adler = zlib.adler32(chunk, adler)
    crc, adler = zlib.crc32(suffix, crc), zlib.adler32(suffix, adler)
    return raw, crc, adler, len(prefix) + len(chunk) * times + len(suffix)


def _write_zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """entries: (name, raw deflate data, crc32, uncompressed size as declared, method)."""
    local, central = bytearray(), bytearray()
    for name, data, crc, size, method in entries:
        n = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                               len(n), 0, 0, 0, 0, 0, len(local)) + n
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(n), 0) + n
        local += data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def docx_bomb(path: Path, template: Path, size: int = 2**30, declared: int | None = None) -> Path:
    """`template` (a real .docx) with word/document.xml replaced by one paragraph of `size`
    bytes of 'A' (in 16 MiB pieces); `declared` sets what the central directory says instead."""
    prefix = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
              b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
    suffix = b"</w:t></w:r></w:p></w:body></w:document>"
    raw, crc, _, real = deflate_repeated(prefix, b"A" * CHUNK, max(1, size // CHUNK), suffix)
    entries = []
    with zipfile.ZipFile(template) as z:
        for info in z.infolist():
            if info.filename == "word/document.xml":
                entries.append((info.filename, raw, crc, real if declared is None else declared, 8))
            else:
                data = z.read(info.filename)
                entries.append((info.filename, _piece(data, final=True), zlib.crc32(data), len(data), 8))
    return _write_zip(path, entries)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_LINE = b"BT /F1 9 Tf 72 720 Td (Noi dung ke hoach cong tac nam 2026 cua Tinh uy) Tj ET\n"


def pdf_stream_bomb(path: Path, size: int = 64 * 2**20) -> Path:
    """One page whose FlateDecode content stream inflates to `size` bytes of text operators."""
    chunk = _LINE * (CHUNK // len(_LINE))
    raw, _, adler, _ = deflate_repeated(b"", chunk, max(1, size // len(chunk)), b"")
    stream = b"\x78\xda" + raw + struct.pack(">I", adler)
    return _write(path, [b"<< /Type /Catalog /Pages 2 0 R >>",
                         b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                         b"/Resources << /Font << /F1 5 0 R >> >> >>",
                         b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
                         _FONT])


def pdf_many_pages(path: Path, pages: int, declared: int | None = None) -> Path:
    """`pages` pages sharing one small text content stream; the root's /Count says `declared`."""
    content = _LINE * 3
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages if declared is None else declared),
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               _FONT]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    objects += [page] * pages
    return _write(path, objects)


def _write(path: Path, objects: list[bytes]) -> Path:
    path.write_bytes(_pdf(objects))
    return path
