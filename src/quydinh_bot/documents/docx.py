"""Word files (.docx, python-docx) -> the markdown-ish text the clause parser reads.

Paragraphs keep their automatic numbering (rendered from the numbering definitions, since
Word stores "1.", "a)" or "-" outside the text), heading styles become `#` levels, bold and
italic runs become `**`/`*` (the parser uses them for titles and for deadlines such as
"(*thực hiện thường xuyên*)"), superscript footnote numbers become `<sup>n</sup>`, and tables
are read cell by cell (merged cells resolved) and handed to `tables.TableWriter`.
"""
from __future__ import annotations

import io
import re
import zipfile

from .document import DocumentError
from .legacy import repair_font_text
from .tables import PARAGRAPH, TableWriter

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, sym in _ROMAN:
        while n >= value:
            out, n = out + sym, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in {"upperLetter", "lowerLetter"}:
        s = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
        return s.upper() if fmt == "upperLetter" else s
    return str(n)


class _Numbering:
    """Word's list numbering: (numId, level) -> the label printed before a paragraph."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            lv: dict[int, tuple[int, str, str]] = {}
            for lvl in an.findall(qn("w:lvl")):
                def val(tag: str, default: str) -> str:
                    el = lvl.find(qn(tag))
                    return el.get(qn("w:val"), default) if el is not None else default
                lv[int(lvl.get(qn("w:ilvl"), "0"))] = (int(val("w:start", "1")), val("w:numFmt", "decimal"),
                                                       val("w:lvlText", "%1."))
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return "+" if text.strip() == "+" else "-"
        if fmt == "none":
            return ""
        counts = self.counters.setdefault(num_id, [None] * 10)
        before = counts[ilvl]
        counts[ilvl] = start if before is None else before + 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = None

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lstart, lfmt, _ = levels.get(k, (1, "decimal", ""))
            count = counts[k]
            return _format(count if count is not None else lstart, lfmt)
        return re.sub(r"%(\d)", sub, text)


class _Styles:
    """What a paragraph style resolves to, looked up once per style id: python-docx's
    `paragraph.style` scans every style of the document for the default on each call (1.4 s
    for a 40-page plan), and bold/italic walk the base styles."""

    def __init__(self, document) -> None:
        self.part = document.part
        self.cache: dict[str | None, tuple[str, bool, bool, object]] = {}

    def of(self, paragraph) -> tuple[str, bool, bool, object]:
        """(name, bold, italic, pPr) of the paragraph's style (the default style when none is set)."""
        style_id = paragraph._p.style
        found = self.cache.get(style_id)
        if found is None:
            from docx.enum.style import WD_STYLE_TYPE

            style = self.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
            found = (style.name if style is not None else "", _style_flag(style, "bold"), _style_flag(style, "italic"),
                     getattr(style.element, "pPr", None) if style is not None else None)
            self.cache[style_id] = found
        return found


def _num_pr(paragraph, style_ppr) -> tuple[str, int] | None:
    from docx.oxml.ns import qn

    for ppr in (paragraph._p.pPr, style_ppr):
        if ppr is None:
            continue
        num = ppr.find(qn("w:numPr"))
        if num is None:
            continue
        nid, lvl = num.find(qn("w:numId")), num.find(qn("w:ilvl"))
        if nid is not None and nid.get(qn("w:val")) not in {None, "0"}:
            return nid.get(qn("w:val")), int(lvl.get(qn("w:val"), "0")) if lvl is not None else 0
    return None


def _style_flag(style, name: str) -> bool:
    while style is not None:
        value = getattr(style.font, name)
        if value is not None:
            return bool(value)
        style = style.base_style
    return False


def _runs(paragraph):
    from docx.oxml.ns import qn
    from docx.text.run import Run

    for r in paragraph._p.iter(qn("w:r")):
        yield Run(r, paragraph)


def emphasised(segments: list[tuple[str, bool, bool, bool]]) -> str:
    """(text, bold, italic, superscript) runs -> text with `**`, `*` and `<sup>` markers."""
    merged: list[list] = []
    for text, b, i, sup in segments:
        if not text:
            continue
        if text.isspace() and merged:
            merged[-1][0] += text
            continue
        if merged and merged[-1][1:] == [b, i, sup]:
            merged[-1][0] += text
        else:
            merged.append([text, b, i, sup])
    out: list[str] = []
    for text, b, i, sup in merged:
        lines = text.replace("*", "\\*").split("\n")  # a printed asterisk is not emphasis
        rendered = []
        for line in lines:
            core = line.strip()
            if not core:
                rendered.append(line)
                continue
            lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()):]
            if sup and re.fullmatch(r"\d{1,3}", core):
                core = f"<sup>{core}</sup>"
            elif b and i:
                core = f"***{core}***"
            elif b:
                core = f"**{core}**"
            elif i:
                core = f"*{core}*"
            rendered.append(lead + core + trail)
        out.append("\n".join(rendered))
    return "".join(out)


def _page_break(paragraph) -> bool:
    from docx.oxml.ns import qn

    return any(br.get(qn("w:type")) == "page" for br in paragraph._p.iter(qn("w:br")))


def _paragraph_text(paragraph, numbering: _Numbering, styles: _Styles) -> str:
    style, p_bold, p_italic, style_ppr = styles.of(paragraph)
    segments = []
    for run in _runs(paragraph):
        text = run.text.replace("\t", " ")
        b = run.bold if run.bold is not None else p_bold
        i = run.italic if run.italic is not None else p_italic
        segments.append((text, bool(b), bool(i), bool(run.font.superscript)))
    text = emphasised(segments)
    if not text.strip():
        return ""
    num = _num_pr(paragraph, style_ppr)
    if num is not None:
        label = numbering.label(*num)
        if label:
            text = f"{label} {text.lstrip()}"
    m = re.match(r"Heading (\d)", style or "")
    if m:
        text = "#" * int(m.group(1)) + " " + text
    elif style == "Title":
        text = "# " + text
    return text


def _table_rows(table) -> list[list[str]]:
    """Cell texts on the grid: a horizontally merged cell once (at its first column), a
    vertically merged one repeated on every row it spans."""
    from docx.table import _Cell

    rows: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        row: list[str] = []
        for tc in tr.tc_lst:
            col = len(row)
            if tc.vMerge == "continue":
                above = rows[-1][col] if rows and col < len(rows[-1]) else ""
                text = above
            else:
                text = _Cell(tc, table).text
            row.append(text.replace("\n", PARAGRAPH))  # the writer keeps a people cell's names apart
            row.extend([""] * (tc.grid_span - 1))
        rows.append(row)
    return rows


def read_docx(data: bytes, name: str) -> str:
    """A .docx file's bytes -> parser text; one-line Vietnamese errors for files Word would refuse."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"{name}: tệp Word có mật khẩu hoặc ở định dạng .doc cũ; "
                            "hãy lưu lại thành .docx không mật khẩu.")
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{name}: không phải tệp Word .docx hợp lệ (tệp hỏng hoặc sai định dạng).") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise DocumentError(f"{name}: không đọc được tệp Word ({exc.__class__.__name__}).") from exc
    numbering = _Numbering(document)
    styles = _Styles(document)
    writer = TableWriter()
    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            text = _paragraph_text(paragraph, numbering, styles)
            if text.strip():
                blocks.append(text)
            if _page_break(paragraph):
                blocks.append("-----")  # the parser joins a footnote split by a page break
        elif child.tag == qn("w:tbl"):
            lines = writer.lines(_table_rows(Table(child, document)))
            if lines:
                blocks.append("\n".join(lines))
    text = "\n\n".join(blocks).strip()
    if not text:
        raise DocumentError(f"{name}: tệp Word rỗng, không có nội dung để đọc.")
    fixed, _ = repair_font_text(text)  # typed in a TCVN3/VNI font: back to Unicode
    return fixed
