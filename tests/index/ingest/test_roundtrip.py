"""Each corpus document written out as a real .docx (task tables as Word tables) and as a text
PDF (reportlab: wrapped paragraphs, ruled tables, running header, page numbers) reads back to
the same clauses and the same task rows (lead, partners, deadline) as its text version."""
from pathlib import Path

import pytest

from ingest.writers import as_word_table, write_docx, write_pdf
from quydinh_bot.documents.document import load_corpus, read_document
from quydinh_bot.index.ingest import convert
from quydinh_bot.parse.corpus import parse_document

DOCS = {d.doc_id: d for d in load_corpus()}
FONTS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def signature(clauses):
    return [(c.number, c.kind, c.text, c.lead, tuple(c.partners), c.deadline.text if c.deadline else None,
             c.deadline.due if c.deadline else None, c.is_task, c.citation) for c in clauses]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("doc_id", sorted(DOCS))
def test_document_round_trip(doc_id, fmt, tmp_path):
    if fmt == "pdf" and not FONTS.exists():
        pytest.skip("DejaVu fonts (fonts-dejavu-core) are needed to print Vietnamese into the test PDF")
    doc = DOCS[doc_id]
    path = tmp_path / f"{doc_id}.{fmt}"
    (write_docx if fmt == "docx" else write_pdf)(as_word_table(doc.text), path)
    text = convert(path, path.read_bytes())
    again = read_document(doc.path, doc.meta, data=text.encode("utf-8"))
    want, got = signature(parse_document(doc)), signature(parse_document(again))
    assert got == want
    tasks = [c for c in parse_document(again) if c.is_task]
    assert tasks and all(c.lead for c in tasks)


def test_word_tables_are_real_tables(tmp_path):
    import docx

    path = write_docx(as_word_table(DOCS["ctr-26-2022"].text), tmp_path / "ctr.docx")
    assert len(docx.Document(path).tables) >= 2
    path = write_docx(as_word_table(DOCS["kh-376-2025"].text), tmp_path / "kh.docx")
    assert len(docx.Document(path).tables) == 1
