"""Text PDFs (pdfplumber) -> the markdown-ish text the clause parser reads.

Ruled tables are recovered with pdfplumber's table finder and handed to `tables.TableWriter`;
the rest of each page is read line by line (outside the tables), page headers, footers and
page numbers are dropped, wrapped lines are joined back into paragraphs (a paragraph ends at
a wider gap, a short last line or a new numbered item), and bold/italic fonts become `**`/`*`.
A task table that was not ruled falls back to the flattened-table parser (`pdftable`), which
reads the page lines as they are. Pages without a usable text layer (scans) are read by OCR
(`ocr.py`, Tesseract's Vietnamese model) into the same lines, so a scanned or mixed PDF goes
through the same paragraph, furniture and task-table reading; a page whose OCR is not trusted
is left out and reported (`notes`), never indexed silently.
"""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import ocr, pdftable
from .document import DocumentError
from .docx import emphasised
from .legacy import repair_font_text
from .tables import TableWriter

_PAGE_NUMBER = re.compile(r"^(?:[-–—\s]*\d{1,4}[-–—\s]*|Trang\s+\d+(?:\s*/\s*\d+)?|\d+\s*/\s*\d+)$", re.IGNORECASE)
_MARKER = re.compile(r"^(?:[-–•+]\s|\d{1,2}\.\s|\d{1,2}(?:\.\d{1,2})+\.?\s|[IVXL]+[.\-–]\s|[a-zđ]\)\s|\(\d{1,2}\)"
                     r"|<sup>|Phần thứ)")
_TERMINAL = tuple('.;:!?…)"”»')
_SENTENCE_END = tuple('.;:!?…"”»')
_BULLET = re.compile(r"^(?:[-–•+]\s)")
_PAGE_TEXT_CHARS = 10  # fewer printed characters on a page: no usable text layer, the page is OCR'd


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[tuple[str, bool, bool, bool]]
    starts: bool | None = None  # OCR'd lines: Tesseract's layout analysis opened a paragraph here

    @property
    def text(self) -> str:
        return "".join(s[0] for s in self.segments).strip()


def _flags(fontname: str) -> tuple[bool, bool]:
    f = fontname.lower()
    return any(w in f for w in ("bold", "black", "heavy", "semibold", ",b")), any(w in f for w in ("italic", "oblique"))


def _segments(chars: list[dict], size: float) -> list[tuple[str, bool, bool, bool]]:
    """Characters -> (text, bold, italic, superscript) runs; small raised digits are footnote marks."""
    out: list[tuple[str, bool, bool, bool]] = []
    prev = None
    for ch in chars:
        b, i = _flags(ch.get("fontname", ""))
        small = float(ch.get("size") or size) <= 0.85 * size
        sup = small and ch["text"].isdigit()
        if prev is not None and ch["text"] != " " and prev["text"] != " ":
            gap = ch["x0"] - prev["x1"]
            if gap > 0.2 * min(float(ch.get("size") or 10), float(prev.get("size") or 10)):
                out.append((" ", b, i, False))
        out.append((ch["text"], b, i, sup))
        prev = ch
    return out


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _furniture(pages_lines: list[list[_Line]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, line index) of running headers/footers and page numbers."""
    drop: set[tuple[int, int]] = set()
    edge: dict[tuple[int, int], str] = {}
    for p, lines in enumerate(pages_lines):
        h = heights[p]
        for k, ln in enumerate(lines):
            # furniture sits near the edge and apart from the text block (body lines are closer)
            apart = ((k + 1 >= len(lines) or lines[k + 1].top - ln.bottom > 0.8 * ln.size) if ln.top < 0.5 * h
                     else (k == 0 or ln.top - lines[k - 1].bottom > 0.8 * ln.size))
            if apart and (ln.top < 0.09 * h or ln.bottom > 0.91 * h):
                if _PAGE_NUMBER.match(ln.text):
                    drop.add((p, k))
                else:
                    # a short running header may carry the page number; body lines must repeat exactly
                    edge[(p, k)] = re.sub(r"\d+", "#", ln.text) if len(ln.text) <= 40 else ln.text
    if len(pages_lines) >= 2:
        counts = Counter(edge.values())
        for pos, key in edge.items():
            if counts[key] >= max(2, len(pages_lines) // 2):
                drop.add(pos)
    return drop


def _starts_paragraph(prev: _Line, ln: _Line, pitch: float, left: float, right: float) -> bool:
    """Whether `ln` opens a new paragraph after `prev`: the layout first (a scan's paragraphs, the line
    pitch, a page turn), then what a hard-broken paragraph never does (stop short before a capital, a
    bullet or a numbered item), except where a capital title or a comma runs on."""
    text, ptext = ln.text, prev.text
    if ln.page == prev.page and ln.starts is not None and prev.starts is not None:
        # a scan: Tesseract's paragraphs, and a line well short of the margin ends one (its
        # letterhead lines are not joined); a numbered item after a finished sentence is new
        new = (ln.starts or prev.x1 < right - 0.25 * (right - left)
               or (bool(_MARKER.match(text)) and ptext.endswith(_SENTENCE_END)))
    elif ln.page == prev.page:
        gap = ln.bottom - prev.bottom
        new = gap > 1.4 * pitch or gap < 0
    else:
        new = ptext.endswith(_TERMINAL) or not text[:1].islower()
    if new:
        return True
    short = prev.x1 < right - 0.12 * (right - left)
    if short and (ptext.endswith(_SENTENCE_END) or prev.size != ln.size):
        return True
    bare, pbare = text.strip("*\\ "), ptext.strip("*\\ ")
    # a title set in capitals over several lines ("PHỤ LỤC" / "DANH SÁCH CÁC NHIỆM VỤ …") is one heading
    capital_title = pbare.isupper() and all(w.isupper() for w in bare.split()[:2]) and not _MARKER.match(bare)
    # a heading never ends on a comma: "… Phó Vụ trưởng Vụ III," / "Ban Tổ chức Trung ương," runs on
    runs_on = capital_title or pbare.endswith(",")
    opened = text.lstrip("*\\")
    if ln.page == prev.page and prev.x1 < right - 0.2 * (right - left) and not runs_on \
            and (opened[:1].isupper() or _MARKER.match(opened)):
        # a hard-broken paragraph fills every line but its last, and no word is a fifth of a line:
        # a line that stops that short, before a capital, ended a heading ("1. Đối với chi bộ")
        return True
    if _BULLET.match(opened) and (ptext.endswith(_TERMINAL + (",",)) or short):
        return True  # a new item; a line wrapped before "- xã hội" does not end with punctuation
    # "(2) …" after a full line is an inline enumeration running on
    return bool(_MARKER.match(opened) and short)


def _paragraphs(lines: list[_Line]) -> list[str]:
    if not lines:
        return []
    # baselines (bottoms), not tops: a raised footnote mark must not shrink the gap above a line
    gaps = [b.bottom - a.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and 0 < b.bottom - a.bottom < 3 * a.size]
    pitch = statistics.median(gaps) if gaps else 14.0
    right = max(ln.x1 for ln in lines)
    left = min(ln.x0 for ln in lines)
    out: list[str] = []
    current: list[tuple[str, bool, bool, bool]] = []
    prev: _Line | None = None

    def close() -> None:
        text = emphasised(current).strip()
        words = [s for s in current if s[0].strip()]
        if words and all(s[1] for s in words) and len(text) < 300:
            text = "## " + text  # set in bold on its own: a heading (the parser keeps what follows apart)
        if out and prev_page[0] is not None and start_page[0] != prev_page[0]:
            out.append("-----")  # a page turn: the parser joins a footnote that runs over it
        out.append(text)

    start_page: list[int | None] = [None]
    prev_page: list[int | None] = [None]
    for ln in lines:
        new = prev is None or _starts_paragraph(prev, ln, pitch, left, right)
        if new and current:
            close()
            prev_page[0] = prev.page if prev else None
            current = []
        elif current:
            current.append((" ", current[-1][1], current[-1][2], False))
        if not current:
            start_page[0] = ln.page
        current.extend(ln.segments)
        prev = ln
    if current:
        close()
    return [p for p in out if p]


def _page_count(pdf, limit: int) -> int:
    """Pages of an open PDF, at most limit + 1 counted: the root's /Count when it says too many,
    else the page tree walked (nothing on a page is read)."""
    import itertools

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    try:
        declared = int(resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count")))
    except Exception:  # noqa: BLE001 - a missing or odd /Count: the walk decides
        declared = 0
    if declared > limit:
        return declared
    return sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), limit + 1))


def _ocr_lines(data: bytes, indexes: list[int], name: str, progress: Callable[[int, int], None] | None,
               notes: list[str] | None) -> tuple[dict[int, list[_Line]], list[ocr.OcrPage]]:
    """Lines of the scanned pages (trusted ones only) and the pages left out as too poor to trust."""
    pages = ocr.ocr_pages(data, indexes, name, progress=progress)
    heights = [ln.bottom - ln.top for p in pages.values() if p.trusted for ln in p.lines]
    # one size for every OCR'd line: the paragraph joiner reads a size change as a new paragraph
    size = round(0.8 * statistics.median(heights), 1) if heights else 10.0
    out: dict[int, list[_Line]] = {}
    poor = [p for _, p in sorted(pages.items()) if not p.blank and not p.trusted]
    for i, page in pages.items():
        if not page.trusted:
            continue
        lines = []
        for ln in page.lines:
            segments: list[tuple[str, bool, bool, bool]] = []
            for w in ln.words:
                if segments:
                    segments.append((" ", False, False, False))
                segments.append((w.text, False, False, False))
            lines.append(_Line(i, ln.top, ln.bottom, ln.x0, ln.x1, size, segments, ln.starts))
        out[i] = lines
    if poor and notes is not None:
        notes.append(ocr.poor_pages_note(poor))
    return out, poor


def read_pdf(data: bytes, name: str, max_pages: int | None = None,
             progress: Callable[[int, int], None] | None = None, notes: list[str] | None = None) -> str:
    """A PDF's bytes -> parser text; one-line Vietnamese errors for unreadable or encrypted files,
    scans that OCR cannot read, and (with `max_pages`) a file of more pages, counted before any
    page is read. Scanned pages are OCR'd (`progress(done, total)` after each); what is reported
    rather than indexed (pages too poor to trust) is appended to `notes`."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentError(f"{name}: không phải tệp PDF hợp lệ.")
    count = 0
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
        if max_pages is not None:
            count = _page_count(pdf, max_pages)
        pages = list(pdf.pages) if max_pages is None or count <= max_pages else []
    except Exception as exc:  # pdfminer raises many types for damaged or encrypted files
        msg = ("có mật khẩu" if "password" in f"{exc.__class__.__name__} {exc}".lower()
               or "encrypt" in str(exc).lower() else "hỏng")
        raise DocumentError(f"{name}: tệp PDF {msg}, không đọc được.") from exc
    if max_pages is not None and count > max_pages:
        pdf.close()
        from .limits import too_many_pages

        raise too_many_pages(name, count if count > max_pages + 1 else None, max_pages)
    try:
        # (page, top, kind, payload): a "table"'s rows (None for a merged cell) or a "line"
        items: list[tuple[int, float, str, _Line | list[list[str | None]]]] = []
        pages_lines: list[list[_Line]] = []
        heights: list[float] = []
        scanned: list[int] = []
        for p, page in enumerate(pages):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for t in tables:
                items.append((p, t.bbox[1], "table", t.extract()))
            text_page = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes))
            lines: list[_Line] = []
            for tl in text_page.extract_text_lines(return_chars=True, strip=True, y_tolerance=5):
                chars = [c for c in tl["chars"] if c["text"].strip() or c["text"] == " "]
                if not chars:
                    continue
                size = statistics.median(float(c.get("size") or 10) for c in chars)
                lines.append(_Line(p, tl["top"], tl["bottom"], tl["x0"], tl["x1"], round(size, 1),
                                   _segments(chars, size)))
            if sum(1 for c in page.chars if c["text"].strip()) < _PAGE_TEXT_CHARS and not tables:
                scanned.append(p)  # no usable text layer: read by OCR below
                lines = []
            pages_lines.append(lines)
            heights.append(float(page.height))
            page.close()  # what was needed is extracted: drop the page's layout (~5 MB for a dense page)
    except Exception as exc:
        raise DocumentError(f"{name}: tệp PDF hỏng, không đọc được ({exc.__class__.__name__}).") from exc
    finally:
        pdf.close()
    if scanned:
        read, poor = _ocr_lines(data, scanned, name, progress, notes)
        for p, lines in read.items():
            pages_lines[p] = lines
        if not any(pages_lines):
            if poor:
                raise DocumentError(f"{name}: bản quét không đủ rõ để nhận dạng chữ (OCR) tin cậy "
                                    f"(độ tin cậy cao nhất {max(pg.confidence for pg in poor):.0f}%, cần từ "
                                    f"{ocr.MIN_CONFIDENCE:.0f}%); hãy quét lại rõ hơn.")
            raise DocumentError(f"{name}: PDF không có lớp chữ và nhận dạng chữ (OCR) không đọc được chữ nào "
                                "(trang trắng hoặc chỉ có hình).")
    drop = _furniture(pages_lines, heights)
    kept = [ln for p, lines in enumerate(pages_lines) for k, ln in enumerate(lines) if (p, k) not in drop]
    if not any(kind == "table" for _, _, kind, _ in items):
        flat = [ln.text for ln in kept]
        if pdftable.looks_like_task_table(flat):
            return repair_font_text("\n".join(flat))[0]  # an unruled task table: the flattened-table parser reads it
    for ln in kept:
        items.append((ln.page, ln.top, "line", ln))
    items.sort(key=lambda it: (it[0], it[1], it[2] == "line"))
    writer = TableWriter()
    blocks: list[str] = []
    run: list[_Line] = []
    for _, _, _, payload in items:
        if isinstance(payload, _Line):  # kind "line"
            run.append(payload)
            continue
        blocks.extend(_paragraphs(run))
        run = []
        table_lines = writer.lines(payload)
        if table_lines:
            blocks.append("\n".join(table_lines))
    blocks.extend(_paragraphs(run))
    text = "\n\n".join(blocks).strip()
    if not text:
        raise DocumentError(f"{name}: tệp PDF rỗng, không có nội dung để đọc.")
    return repair_font_text(text)[0]
