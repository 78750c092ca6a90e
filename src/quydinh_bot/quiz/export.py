"""Quiz exports in the forms trainers already use: JSON (the API contract), CSV (UTF-8 with BOM,
so Excel shows Vietnamese), Moodle GIFT, XLSX, a printable DOCX (questions, then the answer key
with citations on a new page) and a Markdown preview. Every exporter returns bytes; the caller
decides where they go."""
from __future__ import annotations

import csv
import io
import json
import re

from quydinh_bot.register.export import lines_needed

from .items import DIFFICULTY_LABELS, TYPE_LABELS, QuizItem

FORMATS = ("json", "csv", "gift", "xlsx", "docx", "md")
BINARY_FORMATS = ("xlsx", "docx")
LETTERS = "ABCD"
COLUMNS = ["STT", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C", "Phương án D", "Đáp án", "Giải thích",
           "Dạng câu hỏi", "Mức độ", "Mã điều khoản", "Nguồn"]
NOTICE = "Tài liệu thuộc sở hữu của các cơ quan Đảng. Việc phát tán, sử dụng trái phép bị nghiêm cấm."


def to_json(items: list[QuizItem]) -> bytes:
    return (json.dumps([it.to_dict() for it in items], ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def rows(items: list[QuizItem]) -> list[list[str]]:
    """One row per item, in COLUMNS order (CSV and XLSX)."""
    out = []
    for i, it in enumerate(items, 1):
        opts = list(it.options) + [""] * (4 - len(it.options))
        out.append([str(i), it.question, *opts, LETTERS[it.correct], it.explanation, TYPE_LABELS[it.type],
                    DIFFICULTY_LABELS[it.difficulty], it.clause_id, it.citation])
    return out


def to_csv(items: list[QuizItem]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows(rows(items))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Moodle GIFT: `~ = # { } :` (and the backslash itself) are escaped with a backslash;
    line breaks become spaces (a GIFT question is one block)."""
    return _GIFT_SPECIAL.sub(r"\\\1", re.sub(r"\s*\n\s*", " ", text))


def to_gift(items: list[QuizItem]) -> bytes:
    blocks = [f"// {NOTICE}", "// Nhập vào Moodle: Ngân hàng câu hỏi > Nhập > định dạng GIFT."]
    for i, it in enumerate(items, 1):
        meta = f"// {it.clause_id} | {it.type} | {it.difficulty} | {it.citation}"
        answers = "\n".join(("=" if j == it.correct else "~") + gift_escape(o) for j, o in enumerate(it.options))
        feedback = gift_escape(it.explanation)
        blocks.append(f"{meta}\n::Câu {i}::{gift_escape(it.question)} {{\n{answers}\n####{feedback}\n}}")
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def to_xlsx(items: list[QuizItem]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Câu hỏi"
    ws.append(COLUMNS)
    for r in rows(items):
        ws.append([int(r[0]), *r[1:]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [5, 60, 28, 28, 28, 28, 8, 60, 16, 12, 26, 40]
    for col, width in zip("ABCDEFGHIJKL", widths):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # a spreadsheet does not grow a row by itself: as tall as its longest wrapped cell
        lines = max(lines_needed(str(c.value or ""), w) for c, w in zip(row, widths))
        ws.row_dimensions[row[0].row].height = lines * 15 + 3
    ws.freeze_panes = "B2"
    # printing: A4 landscape, one page wide, the heading row on every page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = "Câu hỏi trắc nghiệm"
    ws.oddFooter.center.text = "Trang &P / &N"
    info = wb.create_sheet("Ghi chú")
    info.append([NOTICE])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_docx(items: list[QuizItem], title: str = "Câu hỏi trắc nghiệm") -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]  # A4 (python-docx's default template is US Letter), with a running header
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    section.header.paragraphs[0].text = f"{title} · {len(items)} câu"
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"{len(items)} câu. Chọn một phương án đúng cho mỗi câu.")
    for i, it in enumerate(items, 1):
        p = doc.add_paragraph()
        p.add_run(f"Câu {i}. ").bold = True
        p.add_run(it.question)
        for j, o in enumerate(it.options):
            doc.add_paragraph(f"{LETTERS[j]}. {o}", style="List Paragraph")
    doc.add_page_break()
    doc.add_heading("Đáp án", level=1)
    for i, it in enumerate(items, 1):
        p = doc.add_paragraph()
        p.add_run(f"Câu {i}: {LETTERS[it.correct]}. {it.options[it.correct]}").bold = True
        doc.add_paragraph(f"Giải thích: {it.explanation}")
        doc.add_paragraph(f"Nguồn: {it.citation} (mã {it.clause_id}). Dạng: {TYPE_LABELS[it.type]}; "
                          f"mức độ: {DIFFICULTY_LABELS[it.difficulty]}.")
    doc.add_paragraph(NOTICE).runs[0].italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_markdown(items: list[QuizItem], title: str = "Câu hỏi trắc nghiệm") -> bytes:
    """A readable preview: each question with its options, the right one marked, then why and where."""
    out = [f"# {title}", "", f"> {NOTICE}", ""]
    for i, it in enumerate(items, 1):
        out.append(f"**Câu {i}.** {it.question}  ")
        out.append(f"*{TYPE_LABELS[it.type]} · {DIFFICULTY_LABELS[it.difficulty]} · `{it.clause_id}`*")
        out.append("")
        for j, o in enumerate(it.options):
            out.append(f"- {LETTERS[j]}. {o}" + (" ✔" if j == it.correct else ""))
        out.append("")
        out.append(f"Giải thích: {it.explanation}")
        out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def export(items: list[QuizItem], fmt: str) -> bytes:
    """The items in one of FORMATS."""
    writers = {"json": to_json, "csv": to_csv, "gift": to_gift, "xlsx": to_xlsx, "docx": to_docx, "md": to_markdown}
    if fmt not in writers:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt}. Chọn trong: {', '.join(FORMATS)}.")
    return writers[fmt](items)
