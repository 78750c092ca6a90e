"""The task register as a file: CSV (UTF-8 with BOM, so Excel reads the Vietnamese right), XLSX
(openpyxl) and DOCX (python-docx), both laid out to be printed: A4 landscape, the header row
repeated on every page, the columns fitted to the page's width, rows as tall as their wrapped
text (a spreadsheet does not grow a row by itself, so its text would run into the next one).
Rows are the task dicts the views list (`register.tasks.Task.to_dict`), so the API, the CLI and the
bot export exactly what they show: with the task's status, province and document."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

# (heading, width in characters of the default font, key) — the widths add up to what an A4
# landscape page holds at about 70% (fit to width), so a row stays readable on paper
COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("STT", 5, "n"),
    ("Nội dung", 52, "text"),
    ("Cơ quan chủ trì", 22, "lead"),
    ("Cơ quan phối hợp", 26, "partners"),
    ("Thời hạn", 18, "deadline"),
    ("Hạn chót", 11, "due"),
    ("Tình trạng", 14, "status"),
    ("Tỉnh", 11, "province"),
    ("Văn bản", 18, "document"),
    ("Nguồn", 30, "citation"),
    ("Mã điều khoản", 20, "clause_id"),
)
HEADINGS = tuple(c[0] for c in COLUMNS)
FONT_SIZE = 10  # points, in the XLSX and the DOCX
LINE_POINTS = 13.0  # the height of one line of FONT_SIZE text in a spreadsheet row
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMATS = tuple(MEDIA_TYPES)
TITLE = "Sổ theo dõi nhiệm vụ"


def row_of(task: dict, n: int = 0) -> list[str]:
    """A task's cells, in COLUMNS order (the due date as ISO text)."""
    deadline = task.get("deadline") or {}
    mark = task.get("mark") or {}
    status = task.get("status_label") or task.get("status") or ""
    if mark.get("by"):
        status += f" ({mark['by']}, {str(mark.get('at') or '')[:10]})"
    return [str(n) if n else "", task.get("text") or "", task.get("lead") or "", "; ".join(task.get("partners") or []),
            deadline.get("text") or "", deadline.get("due") or "", status, task.get("province") or "",
            task.get("document") or task.get("doc_title") or "", task.get("citation") or "",
            task.get("clause_id") or ""]


def lines_needed(text: str, width: int) -> int:
    """Lines `text` wraps to in a column `width` characters wide (each paragraph on its own lines;
    a word longer than the line is cut). Errs long: a row a little too tall reads, one too short
    hides text."""
    per_line = max(1, int(width * 1.05) - 1)
    total = 0
    for para in (text or "").split("\n"):
        lines, used = 1, 0
        for word in para.split():
            need = len(word) + (1 if used else 0)
            if used and used + need > per_line:
                lines, used = lines + 1, 0
                need = len(word)
            while need > per_line:  # a long word is broken
                lines, need = lines + 1, need - per_line
            used += need
        total += lines
    return max(1, total)


def row_height(values: list[str]) -> float:
    """Points of a row whose cells wrap: the tallest cell's lines, plus a little padding."""
    lines = max(lines_needed(v, width) for v, (_, width, _) in zip(values, COLUMNS))
    return round(lines * LINE_POINTS + 3, 1)


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, @, or - before a non-space)."""
    if value[:1] in {"=", "+", "@", "\t", "\r"} or (value[:1] == "-" and value[1:2] not in {"", " "}):
        return "'" + value
    return value


def to_csv(tasks: Iterable[dict], today: date | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADINGS)
    for i, t in enumerate(tasks, 1):
        w.writerow([_csv_safe(v) for v in row_of(t, i)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _title(today: date | None) -> str:
    return TITLE + (f" (tính đến ngày {today:%d/%m/%Y})" if today else "")


def to_xlsx(tasks: Iterable[dict], today: date | None = None, title: str = "Nhiệm vụ") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(HEADINGS)
    for cell in ws[1]:
        cell.font = Font(bold=True, size=FONT_SIZE)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.border = border
    ws.row_dimensions[1].height = row_height(list(HEADINGS))
    due_col = next(i for i, c in enumerate(COLUMNS, 1) if c[2] == "due")
    font = Font(size=FONT_SIZE)
    for i, t in enumerate(tasks, 1):
        values: list = row_of(t, i)
        height = row_height(values)
        values[0] = i
        if values[due_col - 1]:
            values[due_col - 1] = date.fromisoformat(values[due_col - 1])
        ws.append(values)
        r = ws.max_row
        for cell in ws[r]:
            if cell.data_type == "f":  # text that starts with '=' stays text
                cell.data_type = "s"
            cell.alignment = wrap
            cell.font = font
            cell.border = border
        ws.cell(r, due_col).number_format = "DD/MM/YYYY"
        ws.row_dimensions[r].height = height
    for i, (_, width, _) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{ws.max_row}"
    # printing: A4 landscape, one page wide (as many tall as needed), the header row on every page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = _title(today)
    ws.oddFooter.center.text = "Trang &P / &N"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_docx(tasks: Iterable[dict], today: date | None = None) -> bytes:
    """A Word table of the same columns (without the clause id, which only a program needs), A4
    landscape, titled and dated in the page header, its heading row repeated on every page."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    columns = [c for c in COLUMNS if c[2] != "clause_id"]
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(12))
    section.top_margin = section.bottom_margin = Mm(15)
    header = section.header.paragraphs[0]
    header.text = _title(today)
    header.runs[0].bold = True
    style = doc.styles["Normal"]
    style.font.size = Pt(FONT_SIZE - 1)
    doc.add_heading(TITLE, level=1)
    rows = [row_of(t, i) for i, t in enumerate(tasks, 1)]
    doc.add_paragraph(f"{len(rows)} nhiệm vụ" + (f", tình trạng tính đến ngày {today:%d/%m/%Y}." if today else "."))
    keep = [i for i, c in enumerate(COLUMNS) if c[2] != "clause_id"]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    usable = 297 - 24
    total = sum(w for _, w, _ in columns)
    for cell, (name, width, _) in zip(table.rows[0].cells, columns):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
        cell.width = Mm(usable * width / total)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()  # the heading row repeats on every page
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, i in zip(cells, keep):
            value = values[i]
            if COLUMNS[i][2] == "due" and value:
                value = date.fromisoformat(value).strftime("%d/%m/%Y")
            cell.text = value
    for row in table.rows:
        for cell, (_, width, _) in zip(row.cells, columns):
            cell.width = Mm(usable * width / total)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def export(tasks: Iterable[dict], format: str, today: date | None = None) -> bytes:
    """The rows as a `format` ("csv", "xlsx" or "docx") file; `today` dates the title (the day the
    statuses are counted from)."""
    if format == "csv":
        return to_csv(tasks, today)
    if format == "xlsx":
        return to_xlsx(tasks, today)
    if format == "docx":
        return to_docx(tasks, today)
    raise ValueError(f"Định dạng không hỗ trợ '{format}' (dùng {', '.join(FORMATS)}).")

