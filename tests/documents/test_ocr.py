"""Scanned and mixed PDFs read through Tesseract's Vietnamese model (installed by setup.sh)."""
from pathlib import Path

import pytest
from scans import SCANNED_PLAN, mixed_pdf, scanned_pdf

from quydinh_bot import DocumentError
from quydinh_bot.documents import ocr
from quydinh_bot.documents.convert import convert
from quydinh_bot.documents.document import read_document
from quydinh_bot.documents.pdf import read_pdf
from quydinh_bot.parse.corpus import parse_document

needs_tesseract = pytest.mark.skipif(ocr.tesseract() is None, reason="tesseract with its Vietnamese model is not "
                                     "installed (setup.sh installs tesseract-ocr tesseract-ocr-vie with apt)")

TEXT_PAGE = ["CHƯƠNG TRÌNH CÔNG TÁC", "1. Tổ chức hội nghị sơ kết công tác xây dựng Đảng.",
             "Đơn vị chủ trì: Ban Tổ chức Tỉnh ủy. Thời hạn: trước 31/3/2026."]


def test_tesseract_tsv_becomes_lines_in_points():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t250\t300\t100\t50\t96.5\tSở\n"
           "5\t1\t1\t1\t1\t2\t375\t300\t200\t50\t91.0\tTài\n"
           "5\t1\t1\t1\t2\t1\t250\t400\t150\t50\t88.0\tchính\n"
           "5\t1\t1\t1\t2\t2\t420\t400\t50\t50\t-1\t \n")
    lines, confidences = ocr.parse_tsv(tsv, scale=300 / 72)
    assert [ln.text for ln in lines] == ["Sở Tài", "chính"]
    assert confidences == [96.5, 91.0, 88.0]
    assert lines[0].x0 == pytest.approx(60.0) and lines[0].bottom == pytest.approx(84.0)


def _task_rows(path: Path, text: str):
    doc = read_document(path.with_suffix(".txt"), {"id": "kh-77-2026", "kind": "kế hoạch"}, data=text.encode())
    return [c for c in parse_document(doc) if c.is_task]


@needs_tesseract
def test_a_scanned_pdf_is_read_by_ocr_with_its_task_rows(tmp_path):
    path = scanned_pdf(tmp_path / "ban-quet.pdf", [SCANNED_PLAN[:6], SCANNED_PLAN[6:]])
    seen: list[tuple[int, int]] = []
    notes: list[str] = []
    text = read_pdf(path.read_bytes(), path.name, progress=lambda d, t: seen.append((d, t)), notes=notes)
    assert seen == [(1, 2), (2, 2)] and notes == []
    for words in ("TỈNH ỦY LAI CHÂU", "Rà soát, phân loại hồ sơ lưu trữ", "Đơn vị chủ trì: Sở Tài chính",
                  "Số hóa tài liệu lưu trữ lịch sử", "trước 31/12/2026"):
        assert words in text, text
    tasks = _task_rows(path, text)
    finance = next(c for c in tasks if c.lead == "Sở Tài chính" and "phân loại hồ sơ" in c.text)
    assert finance.deadline is not None and finance.deadline.due == "2026-06-30"
    assert any(c.lead == "Văn phòng Tỉnh ủy" and c.deadline and c.deadline.due == "2026-12-31" for c in tasks)


@needs_tesseract
def test_a_mixed_pdf_keeps_its_text_page_and_reads_its_scanned_page(tmp_path):
    path = mixed_pdf(tmp_path / "hon-hop.pdf", TEXT_PAGE, SCANNED_PLAN[6:8])
    seen: list[tuple[int, int]] = []
    text = read_pdf(path.read_bytes(), path.name, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 1)]  # only the page without a text layer went through OCR
    first, second = text.index("Tổ chức hội nghị sơ kết"), text.index("Đơn vị chủ trì: Sở Tài chính")
    assert first < second and "trước 31/3/2026" in text and "trước 30/6/2026" in text
    assert any(c.lead == "Sở Tài chính" for c in _task_rows(path, text))


@needs_tesseract
def test_a_page_too_poor_to_trust_is_reported_not_indexed(tmp_path):
    path = mixed_pdf(tmp_path / "mo.pdf", TEXT_PAGE, SCANNED_PLAN[6:8], blur=6.5)
    notes: list[str] = []
    text = read_pdf(path.read_bytes(), path.name, notes=notes)
    assert "Tổ chức hội nghị sơ kết" in text and "Sở Tài chính" not in text
    assert len(notes) == 1 and "trang 2 (" in notes[0] and "không đưa vào chỉ mục" in notes[0]


@needs_tesseract
def test_a_scan_that_cannot_be_read_is_refused_in_one_vietnamese_line(tmp_path):
    blurred = scanned_pdf(tmp_path / "mo-het.pdf", [SCANNED_PLAN], blur=6.5)
    with pytest.raises(DocumentError, match="quét lại") as e:
        convert(blurred, blurred.read_bytes())  # through the readers' child process, as `add` reads it
    assert "\n" not in str(e.value) and "mo-het.pdf" in str(e.value)


@needs_tesseract
def test_ocr_notes_come_back_from_the_readers_child_process(tmp_path):
    path = mixed_pdf(tmp_path / "mo.pdf", TEXT_PAGE, SCANNED_PLAN[6:8], blur=6.5)
    notes: list[str] = []
    text = convert(path, path.read_bytes(), notes=notes)
    assert "Tổ chức hội nghị sơ kết" in text and len(notes) == 1 and "trang 2" in notes[0]


def test_without_tesseract_a_scan_is_refused_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    path = scanned_pdf(tmp_path / "ban-quet.pdf", [SCANNED_PLAN[:3]])
    with pytest.raises(DocumentError, match="setup.sh") as e:
        read_pdf(path.read_bytes(), path.name)
    assert "OCR" in str(e.value) and "\n" not in str(e.value)
