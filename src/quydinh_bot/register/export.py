"""The task register as a spreadsheet: CSV (UTF-8 with BOM, so Excel reads the Vietnamese
right) and XLSX (openpyxl, due dates as real dates). Rows are the contract's hit dicts, so the
API, the CLI and the bot export exactly what they list."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Iterable

COLUMNS = ("Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Hạn chót", "Nguồn", "Mã điều khoản")
WIDTHS = (70, 32, 40, 24, 12, 48, 30)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def row_of(task: dict) -> list[str]:
    deadline = task.get("deadline") or {}
    return [task.get("text") or "", task.get("lead") or "", "; ".join(task.get("partners") or []),
            deadline.get("text") or "", deadline.get("due") or "", task.get("citation") or "",
            task.get("clause_id") or ""]


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, @, or - before a non-space)."""
    if value[:1] in {"=", "+", "@", "\t", "\r"} or (value[:1] == "-" and value[1:2] not in {"", " "}):
        return "'" + value
    return value


def to_csv(tasks: Iterable[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for t in tasks:
        w.writerow([_csv_safe(v) for v in row_of(t)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(tasks: Iterable[dict], title: str = "Nhiệm vụ") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for t in tasks:
        values: list = row_of(t)
        if values[4]:
            values[4] = date.fromisoformat(values[4])
        ws.append(values)
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text that starts with '=' stays text
                cell.data_type = "s"
            cell.alignment = wrap
        ws.cell(ws.max_row, 5).number_format = "DD/MM/YYYY"
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(tasks: Iterable[dict], format: str) -> bytes:
    """The rows as a `format` ("csv" or "xlsx") file."""
    if format == "csv":
        return to_csv(tasks)
    if format == "xlsx":
        return to_xlsx(tasks)
    raise ValueError(f"Định dạng không hỗ trợ '{format}' (dùng csv, xlsx).")
