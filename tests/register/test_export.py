"""The register's files (register/export.py) opened as a spreadsheet or Word would: page setup,
row heights that fit the wrapped text, the status/province/document columns."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from docx import Document
from openpyxl import load_workbook

from quydinh_bot.register.export import COLUMNS, HEADINGS, LINE_POINTS, export, lines_needed, row_height

LONG = ("Tham mưu Ban Thường vụ Tỉnh ủy lãnh đạo, chỉ đạo việc sắp xếp tổ chức bộ máy của hệ thống chính trị "
        "tinh gọn, hoạt động hiệu lực, hiệu quả theo Kết luận của Bộ Chính trị, bảo đảm đúng tiến độ ") * 3
TASKS = [
    {"clause_id": "kh-1-2025/1", "text": "Việc ngắn.", "lead": "Ban Tổ chức Tỉnh ủy", "partners": [],
     "deadline": {"text": "Trước 31/8/2025", "due": "2025-08-31", "kind": "date"}, "citation": "Kế hoạch số 1",
     "province": "Lai Châu", "document": "Kế hoạch 1-KH/TU", "status": "overdue", "status_label": "Quá hạn",
     "mark": None},
    {"clause_id": "kh-1-2025/2", "text": LONG, "lead": "Ban Tổ chức Tỉnh ủy", "partners": ["Văn phòng Tỉnh ủy"],
     "deadline": {"text": "thực hiện thường xuyên", "due": None, "kind": "recurring"}, "citation": "Kế hoạch số 1",
     "province": "Thái Nguyên", "document": "Chương trình 2-CTr/TU", "status": "done", "status_label": "Đã xong",
     "mark": {"status": "done", "by": "van.phong", "at": "2026-01-19T08:00:00+00:00", "note": ""}},
]
TODAY = date(2026, 1, 20)


def test_lines_needed_wraps_at_words():
    assert lines_needed("", 10) == 1 and lines_needed("một hai", 20) == 1
    assert lines_needed("một hai ba bốn năm sáu bảy tám", 10) >= 3
    assert lines_needed("a\nb\nc", 30) == 3
    assert lines_needed("x" * 100, 10) >= 10


def test_xlsx_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page():
    ws = load_workbook(io.BytesIO(export(TASKS, "xlsx", today=TODAY))).active
    assert [c.value for c in ws[1]] == list(HEADINGS)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0 and ws.print_title_rows == "$1:$1"
    assert "20/01/2026" in ws.oddHeader.center.text
    rows = {r[HEADINGS.index("Mã điều khoản")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    short, long_ = rows["kh-1-2025/1"], rows["kh-1-2025/2"]
    assert short[HEADINGS.index("Tỉnh")] == "Lai Châu" and short[HEADINGS.index("Tình trạng")] == "Quá hạn"
    assert long_[HEADINGS.index("Tình trạng")] == "Đã xong (van.phong, 2026-01-19)"
    assert short[HEADINGS.index("Hạn chót")].date() == date(2025, 8, 31)
    # every row as tall as its tallest wrapped cell: the long text needs many lines, the short one
    h_short, h_long = ws.row_dimensions[2].height, ws.row_dimensions[3].height
    text_width = dict((k, w) for _, w, k in COLUMNS)["text"]
    assert h_long >= lines_needed(LONG, text_width) * LINE_POINTS > 5 * LINE_POINTS
    assert h_short == row_height(["1", "Việc ngắn."]) == LINE_POINTS + 3  # one line
    for cell in ws[3]:
        assert cell.alignment.wrap_text


def test_docx_is_a4_landscape_with_a_dated_header_and_the_same_columns():
    data = export(TASKS, "docx", today=TODAY)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    header = section.header.paragraphs[0].text
    assert "Sổ theo dõi nhiệm vụ" in header and "20/01/2026" in header
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [h for h in HEADINGS if h != "Mã điều khoản"]
    cells = {c.text for row in table.rows[1:] for c in row.cells}
    assert {"Lai Châu", "Thái Nguyên", "Quá hạn", "31/08/2025", "Chương trình 2-CTr/TU"} <= cells
    assert "<w:tblHeader" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_csv_has_the_same_columns():
    rows = list(csv.reader(io.StringIO(export(TASKS, "csv").decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADINGS and rows[1][HEADINGS.index("Tỉnh")] == "Lai Châu"
