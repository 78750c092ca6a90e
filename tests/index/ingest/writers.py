"""Test-side writers: a corpus text (markdown-ish, TSV tables) -> a real .docx or PDF file,
as an office would have produced it, so the readers can be checked against the text version."""
from __future__ import annotations

import re
from pathlib import Path

_TOKEN = re.compile(r"(\\\*|\\-|\\\.|\*\*\*|\*\*|\*|<sup>\s*\d+\s*</sup>|</?i>|</?b>)")


def runs(line: str) -> list[tuple[str, bool, bool, bool]]:
    """'**Bold** and *italic*<sup>3</sup>' -> (text, bold, italic, superscript) runs."""
    out: list[tuple[str, bool, bool, bool]] = []
    bold = italic = False
    for tok in _TOKEN.split(line):
        if not tok:
            continue
        if tok in {"\\*", "\\-", "\\."}:
            out.append((tok[1], bold, italic, False))
        elif tok == "***":
            bold, italic = not bold, not italic
        elif tok in {"**", "<b>", "</b>"}:
            bold = not bold
        elif tok in {"*", "<i>", "</i>"}:
            italic = not italic
        elif tok.startswith("<sup>"):
            out.append((re.sub(r"\D", "", tok), bold, italic, True))
        else:
            out.append((tok, bold, italic, False))
    return out


def plain(cell: str) -> str:
    return "".join(t for t, *_ in runs(cell)).strip()


def blocks(text: str) -> list[tuple[str, object]]:
    """('para', [lines]) for blank-line separated prose, ('table', [rows]) for TSV runs;
    '---' page rules are dropped (a page break is layout, not text)."""
    out: list[tuple[str, object]] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        nonlocal para, table
        if para:
            out.append(("para", para))
        if table:
            out.append(("table", table))
        para, table = [], []

    for line in text.split("\n"):
        if "\t" in line:
            if para:
                flush()
            table.append(line.split("\t"))
            continue
        if table:
            flush()
        if re.fullmatch(r"\s*-{3,}\s*", line):
            flush()
            out.append(("break", None))
            continue
        if not line.strip():
            flush()
            continue
        para.append(line.rstrip())
    flush()
    return out


def write_docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    from docx.enum.text import WD_BREAK

    for kind, body in blocks(text):
        if kind == "break":
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        if kind == "table":
            width = max(len(r) for r in body)
            t = d.add_table(rows=0, cols=width)
            t.style = "Table Grid"
            for row in body:
                cells = t.add_row().cells
                for i in range(width):
                    cells[i].text = plain(row[i]) if i < len(row) else ""
            continue
        lines = body
        level = len(lines[0]) - len(lines[0].lstrip("#"))
        if level and len(lines) == 1:
            p = d.add_heading(level=min(level, 9))
            lines = [lines[0].lstrip("#").strip()]
        else:
            p = d.add_paragraph()
        joined = "\n".join(ln.lstrip("#").strip() if level else ln.strip() for ln in lines)
        for t, b, i, sup in runs(joined):  # emphasis may run over several lines
            for k, part in enumerate(t.split("\n")):
                if k:
                    p.add_run().add_break()
                if part:
                    r = p.add_run(part)
                    r.bold, r.italic = b or None, i or None
                    if sup:
                        r.font.superscript = True
    d.save(path)
    return path


def write_pdf(text: str, path: Path, title: str = "") -> Path:
    """A text PDF as an office prints it: DejaVu fonts (bold/italic faces), wrapped
    paragraphs, ruled tables, a running header and page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    base = Path("/usr/share/fonts/truetype/dejavu")
    faces = {"V": "DejaVuSans.ttf", "V-B": "DejaVuSans-Bold.ttf", "V-I": "DejaVuSans-Oblique.ttf",
             "V-BI": "DejaVuSans-BoldOblique.ttf"}
    for name, file in faces.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(base / file)))
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    registerFontFamily("V", normal="V", bold="V-B", italic="V-I", boldItalic="V-BI")
    body = ParagraphStyle("body", fontName="V", fontSize=10, leading=13, spaceAfter=8)
    cell = ParagraphStyle("cell", fontName="V", fontSize=8, leading=10)

    def markup(line: str) -> str:
        out = []
        for t, b, i, sup in runs(line):
            t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            if sup:
                t = f"<super>{t}</super>"
            if i:
                t = f"<i>{t}</i>"
            if b:
                t = f"<b>{t}</b>"
            out.append(t)
        return "".join(out)

    story = []
    for kind, content in blocks(text):
        if kind == "break":
            story.append(PageBreak())  # the original's page turns, where a footnote may run over
            continue
        if kind == "table":
            width = max(len(r) for r in content)
            rows = [[Paragraph(markup(plain(r[i])) if i < len(r) else "", cell) for i in range(width)] for r in content]
            widths = [1.4 * cm, 6.6 * cm] + [(17.0 - 8.0) / max(1, width - 2) * cm] * (width - 2)
            t = Table(rows, colWidths=widths[:width], repeatRows=0)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(t)
            continue
        joined = "\n".join(ln.lstrip("#").strip() for ln in content)
        story.append(Paragraph(markup(joined).replace("\n", "<br/>"), body))

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("V", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, title or "Tài liệu lưu hành nội bộ")
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(doc.page))
        canvas.restoreState()

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def as_word_table(text: str) -> str:
    """A task table flattened out of a PDF (plan 376) written back as the table it was:
    title, then a TSV grid (STT | Nội dung công việc | Cơ quan phối hợp | Thời gian thực hiện)
    with each section's lead as a merged-looking section row. Other texts are returned as is."""
    from quydinh_bot.documents import pdftable

    lines = text.split("\n")
    if not pdftable.looks_like_task_table(lines):
        return text
    table = pdftable.parse_task_table(lines)
    out = [table.title, "", "STT\tNội dung công việc\tCơ quan phối hợp\tThời gian thực hiện"]
    labels = {s.roman: s.label for s in table.sections}
    order = list(dict.fromkeys([s.roman for s in table.sections] + [r.section for r in table.rows]))
    for roman in order:
        out.append(f"{roman}\t{labels.get(roman, '')}\t\t")
        for r in (r for r in table.rows if r.section == roman):
            out.append(f"{r.number}\t{r.text}\t{r.partners}\t{r.deadline}")
    return "\n".join(out) + "\n"
