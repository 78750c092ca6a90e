"""Plain text of the real documents, for checking that gold snippets are verbatim.

Not part of the bot: a reader for the people who maintain eval/real/. It reads
  .docx  with python-docx (body paragraphs and tables in order, headers, nested tables),
  .pdf   with pdfplumber (page text; hard line breaks become spaces when normalised),
  .doc   (Word 97-2003) with the small reader below: the OLE2 compound file, the FIB and the
         piece table (CLX) give the document's characters exactly as Word stores them. No
         converter (antiword, catdoc, LibreOffice) was on the machine when the gold was written.

  python eval/real/doctext.py FILE        # print the text
"""
from __future__ import annotations

import re
import struct
import sys
import unicodedata
from pathlib import Path


def norm_space(s: str) -> str:
    """NFC, typographic spaces to ' ', whitespace collapsed: the form snippets are checked in."""
    s = unicodedata.normalize("NFC", s or "").replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- Word 97-2003 (.doc)
_END = 0xFFFFFFFA  # sector numbers at or above this end a chain


def _ole_streams(data: bytes) -> dict[str, bytes]:
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValueError("not an OLE2 compound file")
    sec_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    ss, mss = 1 << sec_shift, 1 << mini_shift
    n_fat, first_dir, _, mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = \
        struct.unpack_from("<IIIIIIII", data, 0x2C)
    difat = list(struct.unpack_from("<109I", data, 0x4C))
    s = first_difat
    while s < _END and n_difat:
        vals = struct.unpack_from("<%dI" % (ss // 4), data, 512 + s * ss)
        difat += vals[:-1]
        s, n_difat = vals[-1], n_difat - 1
    fat: list[int] = []
    for sec in difat[:n_fat]:
        fat += struct.unpack_from("<%dI" % (ss // 4), data, 512 + sec * ss)

    def read(start: int) -> bytes:
        out, s, seen = [], start, 0
        while s < _END and seen <= len(fat):
            out.append(data[512 + s * ss: 512 + (s + 1) * ss])
            s, seen = fat[s], seen + 1
        return b"".join(out)

    d = read(first_dir)
    entries = []
    for i in range(len(d) // 128):
        e = d[i * 128:(i + 1) * 128]
        name_len = struct.unpack_from("<H", e, 64)[0]
        start, size = struct.unpack_from("<IQ", e, 116)
        entries.append((e[:max(name_len - 2, 0)].decode("utf-16le", "replace"), e[66], start, size & 0xFFFFFFFF))
    root = entries[0]
    ministream = read(root[2]) if root[2] < _END else b""
    minifat: list[int] = []
    if n_minifat:
        mf = read(first_minifat)
        minifat = list(struct.unpack("<%dI" % (len(mf) // 4), mf))
    streams = {}
    for name, typ, start, size in entries:
        if typ != 2:  # stream objects only
            continue
        if size < mini_cutoff:
            buf, s = [], start
            while s < _END:
                buf.append(ministream[s * mss:(s + 1) * mss])
                s = minifat[s]
            streams[name] = b"".join(buf)[:size]
        else:
            streams[name] = read(start)[:size]
    return streams


def doc_text(path: Path) -> str:
    """The main document text of a Word 97-2003 file (paragraphs as lines, table cells ' | ')."""
    st = _ole_streams(Path(path).read_bytes())
    wd = st["WordDocument"]
    flags = struct.unpack_from("<H", wd, 0x0A)[0]
    table = st["1Table" if flags & 0x0200 else "0Table"]
    csw = struct.unpack_from("<H", wd, 32)[0]
    off = 34 + csw * 2
    cslw = struct.unpack_from("<H", wd, off)[0]
    off += 2 + cslw * 4 + 2  # past FibRgLw97 and cbRgFcLcb
    fc_clx, lcb_clx = struct.unpack_from("<II", wd, off + 33 * 8)  # fcClx / lcbClx
    clx = table[fc_clx:fc_clx + lcb_clx]
    i = 0
    while clx[i] == 1:  # Prc entries (formatting) before the piece table
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if clx[i] != 2:
        raise ValueError("no piece table")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from("<%dI" % (n + 1), plc, 0)
    parts = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, (n + 1) * 4 + k * 8 + 2)[0]
        length = cps[k + 1] - cps[k]
        if fc & 0x40000000:  # 8-bit ("compressed") piece
            fc = (fc & 0x3FFFFFFF) // 2
            parts.append(wd[fc:fc + length].decode("cp1252", "replace"))
        else:
            parts.append(wd[fc:fc + 2 * length].decode("utf-16le", "replace"))
    text = "".join(parts)
    text = re.sub("\x13[^\x14\x15]*\x14", "", text).replace("\x15", "").replace("\x13", "")  # field codes
    text = text.replace("\x07", " | ").replace("\x0b", "\n").replace("\x0c", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- .docx / .pdf
def docx_text(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    out: list[str] = []

    def table(t: Table) -> None:
        for row in t.rows:
            seen, cells = set(), []
            for c in row.cells:
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                cells.append("\n".join(p.text for p in c.paragraphs))
                for inner in c.tables:
                    table(inner)
            out.append(" | ".join(cells))

    for s in d.sections:
        out += [p.text for p in s.header.paragraphs]
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, d).text)
        elif tag == "tbl":
            table(Table(child, d))
    return unicodedata.normalize("NFC", "\n".join(out))


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in pdf.pages))


def text_of(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".pdf":
        return pdf_text(path)
    if suffix == ".doc":
        return doc_text(path)
    return Path(path).read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.stdout.write(text_of(Path(sys.argv[1])) + "\n")
