"""Plain text of the real documents, for checking that gold snippets are verbatim.

Not part of the bot: a reader for the people who maintain eval/real/. It reads
  .docx  with python-docx (body paragraphs and tables in order, headers, nested tables),
  .pdf   with pdfplumber (page text; hard line breaks become spaces when normalised),
  .doc   (Word 97-2003) with antiword, the converter setup.sh installs (the gold was first checked
         with a small piece-table reader of our own, before antiword was on the machine; both gave
         every snippet).

  python eval/real/doctext.py FILE        # print the text
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path


def norm_space(s: str) -> str:
    """NFC, typographic spaces to ' ', whitespace collapsed: the form snippets are checked in."""
    s = unicodedata.normalize("NFC", s or "").replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------- Word 97-2003 (.doc)
_END = 0xFFFFFFFA  # sector numbers at or above this end a chain


def doc_text(path: Path) -> str:
    """A Word 97-2003 file's text through antiword (Debian's package, which setup.sh installs), the
    same maintained reader `add` uses; one paragraph per line."""
    import subprocess

    out = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, check=True)
    lines, block = [], []
    for line in out.stdout.decode("utf-8", "replace").splitlines() + [""]:
        if line.startswith("|"):  # a table row: antiword prints a cell's paragraphs over several rows
            block.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if block:  # so a table is read column by column, each cell's text together, as Word reads it
            lines += [row[i] for i in range(max(map(len, block))) for row in block if i < len(row) and row[i]]
            block = []
        lines.append(line)
    return unicodedata.normalize("NFC", "\n".join(lines))


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
