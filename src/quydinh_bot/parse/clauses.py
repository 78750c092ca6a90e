"""The clause parser: a document's text -> a tree of numbered clauses with their exact words.

It reads three layouts:
- markdown-ish prose (headings at any depth, bold/italic markers, `Phần thứ …`, `I.`/`I-`,
  `1.`, `1.1.`, `a)`, `(1)`, bullets `-`/`+`/`\\*`, footnotes `<sup>n</sup>`), where the
  hierarchy comes from the numbering, not from the inconsistent `#` levels;
- TSV assignment tables (TT / nội dung / chủ trì / phối hợp / thời gian / ghi chú) inside it;
- task tables flattened out of a PDF (delegated to `pdftable`).

It only splits and numbers; who leads, partners and deadlines are found by `extract`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from quydinh_bot.documents import pdftable, tables
from quydinh_bot.documents.document import Document
from quydinh_bot.language.text import fold, strip_markup
from quydinh_bot.records import Clause

_TERMINAL = tuple('.;:!?…)"”»')
_PART_ORD = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7}

_RE_FOOTNOTE = re.compile(r"^<sup>\s*(\d+)\s*</sup>\s*")
_RE_STAR = re.compile(r"^\\\*\s*")
_RE_PART = re.compile(r"^Phần\s+thứ\s+(\w+)", re.IGNORECASE)
_RE_APPENDIX = re.compile(r"^(PHỤ LỤC|BIỂU PHÂN CÔNG|BIỂU TỔNG HỢP|DANH MỤC|PHÂN CÔNG NHIỆM VỤ|BẢNG PHÂN CÔNG)\b")
_RE_ARTICLE = re.compile(r"^Điều\s+(\d{1,3})\s*[.:]\s*")
_RE_ROMAN = re.compile(r"^((?:X{0,3})(?:IX|IV|V?I{1,3}|V|X))\s*[.\-–]\s*(?=\S)")
_RE_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)")
_RE_ARABIC = re.compile(r"^(\d{1,2})\.\s+(?=\S)")
_RE_LETTER = re.compile(r"^([a-zđ])\)\s+(?=\S)")
_RE_ENUM = re.compile(r"^\((\d{1,2})\)\s*")
_RE_SUBBULLET = re.compile(r"^(?:[-–•]\s+)?\+\s+")
_RE_BULLET = re.compile(r"^[-–•]\s+")
PAGE_BREAK = re.compile(r"^\s*-{3,}\s*$")  # a `---` rule line: a page turn (the readers write "-----")
_RE_MONTH_HEAD = re.compile(r"^Tháng\s+\d{1,2}/\d{4}")

# Rank of each marker kind: a new marker closes every open clause of equal or higher rank.
RANK = {"part": 0, "appendix": 0, "section": 1, "roman": 1, "article": 1, "closing": 0, "item": 2, "letter": 6,
        "star": 7, "bullet": 8, "subbullet": 9, "enum": 10}


class ParseError(Exception):
    """A document whose structure cannot be parsed; the message is Vietnamese and one line."""


@dataclass
class _Para:
    raw: str
    line: int
    md_heading: bool = False
    page_break_before: bool = False


@dataclass
class _Marker:
    # part | appendix | roman | item | letter | star | bullet | subbullet | enum | footnote | paragraph | closing
    kind: str
    label: str  # "2.1", "I", "(3)", "3" (footnote), "" for paragraphs
    rank: int
    body_raw: str  # raw text after the marker


def _demark(raw: str) -> str:
    """Raw text without emphasis asterisks (escaped \\* kept) and without leading #."""
    s = raw.lstrip("#").strip()
    s = re.sub(r"(?<!\\)\*+", "", s)
    s = s.replace("\\-", "-").replace("\\.", ".")
    return s.strip()


def classify(raw: str) -> _Marker:
    """What kind of clause a paragraph starts: the numbering decides, not the `#` level."""
    s = _demark(raw)
    if m := _RE_FOOTNOTE.match(s):
        return _Marker("footnote", m.group(1), 99, s[m.end():])
    if m := _RE_STAR.match(s):
        rest = s[m.end():]
        return _Marker("star", "*", RANK["star"], rest) if rest.strip() else _Marker("paragraph", "", 99, s)
    if m := _RE_PART.match(s):
        return _Marker("part", m.group(0), RANK["part"], s[m.end():])
    if _RE_APPENDIX.match(s):
        return _Marker("appendix", "", RANK["appendix"], s)
    if fold(s).startswith("noi nhan"):
        return _Marker("closing", "", RANK["closing"], s)
    if m := _RE_ARTICLE.match(s):  # "Điều 1:" of a decision or a regulation
        return _Marker("article", f"Điều {m.group(1)}", RANK["article"], s[m.end():])
    if m := _RE_ROMAN.match(s):
        return _Marker("roman", m.group(1), RANK["roman"], s[m.end():])
    if m := _RE_DOTTED.match(s):
        depth = m.group(1).count(".")
        return _Marker("item", m.group(1), RANK["item"] + depth, s[m.end():])
    if m := _RE_ARABIC.match(s):
        return _Marker("item", m.group(1), RANK["item"], s[m.end():])
    if m := _RE_LETTER.match(s):
        return _Marker("letter", m.group(1), RANK["letter"], s[m.end():])
    if m := _RE_ENUM.match(s):
        return _Marker("enum", f"({m.group(1)})", RANK["enum"], s[m.end():])
    if m := _RE_SUBBULLET.match(s):
        return _Marker("subbullet", "+", RANK["subbullet"], s[m.end():])
    if m := _RE_BULLET.match(s):
        return _Marker("bullet", "-", RANK["bullet"], s[m.end():])
    return _Marker("paragraph", "", 99, s)


def _starts_block(line: str) -> bool:
    s = _demark(line)
    return bool(line.lstrip().startswith("#") or _RE_FOOTNOTE.match(s) or classify(line).kind not in {"paragraph"})


def paragraphs(lines: list[str]) -> list[_Para | str | tuple[str, str, int]]:
    """Group lines into paragraphs; a wrapped line joins the one above, a marker starts anew.

    Returns `_Para` items, the string "PAGEBREAK" for `---` rules and ("TSV", line) rows."""
    out: list[_Para | str | tuple[str, str, int]] = []
    buf: list[str] = []
    start = 0
    md = False

    def flush() -> None:
        nonlocal buf, md
        if buf:
            out.append(_Para(" ".join(buf), start, md))
        buf, md = [], False

    for i, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        if PAGE_BREAK.match(line):
            flush()
            out.append("PAGEBREAK")
            continue
        if "\t" in line:
            flush()
            out.append(("TSV", line, i))
            continue
        if buf and _starts_block(line):
            flush()
        if not buf:
            start, md = i, line.lstrip().startswith("#")
        buf.append(line.strip())
    flush()
    return out


@dataclass
class _Builder:
    """Keeps the open-clause stack and numbers clauses as they arrive."""

    doc: Document
    clauses: list[Clause] = field(default_factory=list)
    stack: list[tuple[int, Clause]] = field(default_factory=list)
    counters: dict[tuple[str | None, str], int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    appendix_names: dict[str, str] = field(default_factory=dict)
    comps: dict[str, list[str]] = field(default_factory=dict)  # clause_id -> number components

    def _next(self, parent: Clause | None, key: str) -> int:
        k = (parent.clause_id if parent else None, key)
        self.counters[k] = self.counters.get(k, 0) + 1
        return self.counters[k]

    def add(self, kind: str, label: str, text: str, raw: str, parent: Clause | None, comp: str,
            cells: dict[str, str] | None = None, absolute: bool = False) -> Clause:
        """Append a clause numbered under `parent` (or at top level when `absolute`)."""
        parent_comps = self.comps.get(parent.clause_id, []) if parent and not absolute else []
        comps = list(parent_comps)
        if comps and "." in comp and comp.rsplit(".", 1)[0] == comps[-1]:
            comps[-1] = comp  # "1" then "1.1": the dotted label already carries its parent
        else:
            comps.append(comp)
        number = ".".join(comps)
        base, n = number, 1
        while number in self.used:  # a document that repeats a number keeps both clauses
            n += 1
            number = f"{base}~{n}"
        self.used.add(number)
        heading_path = []
        if parent:
            heading_path = list(parent.heading_path) + [_heading(parent)]
        clause = Clause(doc_id=self.doc.doc_id, number=number, kind=kind, text=text, label=label,
                        heading_path=heading_path, parent_id=parent.clause_id if parent else None,
                        order=len(self.clauses), raw=raw, cells=dict(cells or {}))
        self.comps[clause.clause_id] = comps
        self.clauses.append(clause)
        return clause

    def parent_for(self, rank: int) -> Clause | None:
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        return self.stack[-1][1] if self.stack else None

    def container(self) -> Clause | None:
        """Where an unnumbered paragraph belongs: the nearest open heading/item, not a bullet."""
        for rank, clause in reversed(self.stack):
            if rank < RANK["bullet"]:
                return clause
        return None


def _heading(c: Clause) -> str:
    text = c.text if len(c.text) <= 120 else c.text[:117].rstrip() + "…"
    if c.label and c.label not in {"-", "+", "*"} and c.kind not in {"row", "section"}:
        return f"{c.label}. {text}" if not c.label.startswith("(") else f"{c.label} {text}"
    if c.kind in {"row", "section", "group"} and c.label:
        return f"{c.label}. {text}"
    return text


def _is_heading_like(c: Clause, md_heading: bool) -> bool:
    return md_heading or c.kind in {"title", "part", "appendix", "closing", "section"} or (
        c.kind in {"roman", "item", "star", "letter", "article"} and len(c.text) < 90)


def parse_clauses(doc: Document) -> list[Clause]:
    """Split a document into clauses (extraction fields left empty)."""
    lines = doc.lines
    if pdftable.looks_like_task_table(lines):
        return _from_task_table(doc, pdftable.parse_task_table(lines))
    b = _Builder(doc)
    items = paragraphs(lines)
    if not any(isinstance(x, (_Para, tuple)) for x in items):
        raise ParseError(f"{doc.path.name}: văn bản không có nội dung để tách điều khoản.")
    last: Clause | None = None
    last_heading = False
    open_footnote: Clause | None = None
    after_break = False
    seen_marker = False
    tsv = _TsvState()
    for item in items:
        if isinstance(item, str):  # the only string item is "PAGEBREAK"
            after_break = True
            continue
        if isinstance(item, tuple):
            last = _tsv_row(b, tsv, item[1]) or last
            last_heading = False
            continue
        para: _Para = item
        marker = classify(para.raw)
        text = strip_markup(marker.body_raw)
        if marker.kind == "paragraph":
            # A page break can split a footnote: its rest comes back after the next `---`.
            if after_break and open_footnote is not None:
                _append(open_footnote, para.raw, text)
                open_footnote = None if open_footnote.text.endswith(_TERMINAL) else open_footnote
                after_break = False
                continue
            if last is not None and last.kind in {"part", "appendix"} and not last.text:
                _append(last, para.raw, text)  # "Phần thứ tư" on one line, its title on the next
                continue
            if last is not None and not last_heading and _continues(last, text):
                _append(last, para.raw, text)
                after_break = False
                continue
            if not seen_marker and _in_title_block(b, para.raw, text):
                title = b.clauses[0] if b.clauses else b.add("title", "", "", "", None, "tieu-de")
                _append(title, para.raw, text)
                last, last_heading = title, True
                continue
            parent = b.container()
            last = b.add("paragraph", "", text, para.raw, parent, f"d{b._next(parent, 'd')}")
            last_heading = para.md_heading
            after_break = False
            continue
        after_break = False
        if not seen_marker and marker.kind == "star":  # a stray "\*" above the title
            title = b.clauses[0] if b.clauses else b.add("title", "", "", "", None, "tieu-de")
            _append(title, para.raw, strip_markup(_demark(para.raw).lstrip("\\*")))
            last, last_heading = title, True
            continue
        if not seen_marker and marker.kind == "appendix" and doc.kind == "phụ lục" and not b.clauses:
            # an appendix filed on its own ("PHỤ LỤC CÔNG VIỆC (kèm theo …)"): its heading is its title
            last = b.add("title", "", text, para.raw, None, "tieu-de")
            last_heading = True
            continue
        if marker.kind == "footnote":
            n = marker.label
            cited = next((c for c in reversed(b.clauses) if re.search(rf"<sup>\s*{n}\s*</sup>", c.raw)), None)
            fn = b.add("footnote", n, text, para.raw, cited, f"cth{n}", absolute=True)
            fn.heading_path = (list(cited.heading_path) + [_heading(cited)]) if cited else []
            if cited:
                cited.footnote_ids.append(fn.clause_id)
            open_footnote = None if text.endswith(_TERMINAL) else fn
            last, last_heading = fn, False
            continue
        seen_marker = True
        parent = b.parent_for(marker.rank)
        kind = {"subbullet": "bullet", "roman": "heading", "part": "part"}.get(marker.kind, marker.kind)
        if marker.kind == "part":
            ordinal = _PART_ORD.get(fold(marker.label).split()[-1], 0)
            comp, label = f"P{ordinal or b._next(None, 'P')}", marker.label
            text = strip_markup(marker.body_raw)
        elif marker.kind == "appendix":
            k = b._next(None, "PL")
            comp, label = "PL" if k == 1 else f"PL{k}", ""
            b.appendix_names[comp] = _appendix_name(text)
        elif marker.kind == "closing":
            comp, label = "noi-nhan", ""
        elif marker.kind in {"star", "bullet", "subbullet"}:
            key = "n" if marker.kind == "star" else "y"
            comp, label = f"{key}{b._next(parent, key)}", marker.label
        elif marker.kind == "enum":
            comp, label = marker.label, marker.label
        elif marker.kind == "article":
            comp, label = "dieu" + marker.label.split()[-1], marker.label
        else:
            comp, label = marker.label, marker.label
        clause = b.add(kind, label, text, para.raw, parent, comp)
        b.stack.append((marker.rank, clause))
        last, last_heading = clause, _is_heading_like(clause, para.md_heading)
    clauses = _split_inline_enumerations(b)
    for i, c in enumerate(clauses):
        c.order = i
    _attach_citations(doc, clauses, b.appendix_names)
    return clauses


def _in_title_block(b: _Builder, raw: str, text: str) -> bool:
    """Before the first numbered heading: bold, upper-case or short lines form the title."""
    if not b.clauses or (len(b.clauses) == 1 and b.clauses[0].kind == "title"):
        stripped = raw.strip().lstrip("#").strip()
        bold = stripped.startswith("**") and stripped.rstrip().endswith("**")
        upper = text.upper() == text
        short = len(text) < 160 and not text.endswith(".")
        return bold or upper or short or not b.clauses
    return False


def _appendix_name(text: str) -> str:
    key = fold(text)
    if key.startswith("bieu phan cong"):
        return "Biểu phân công nhiệm vụ"
    if key.startswith("danh muc"):
        return "Danh mục"
    if key.startswith(("phan cong nhiem vu", "bang phan cong")):
        return "Phân công nhiệm vụ"
    return "Phụ lục"


def _continues(last: Clause, text: str) -> bool:
    """A paragraph that merely continues the previous one across a page or line break."""
    if not text or last.kind in {"title", "part", "appendix", "closing", "section", "row", "group"}:
        return False
    first = text[0]
    if first.islower():
        return True
    return not last.text.endswith(_TERMINAL) and len(last.text) > 80


def _append(c: Clause, raw: str, text: str) -> None:
    c.raw = f"{c.raw} {raw}".strip()
    c.text = f"{c.text} {text}".strip()


# --- inline enumerations -------------------------------------------------------------

_RE_INLINE_NUM = re.compile(r"\((\d{1,2})\)")


def _enum_chain(text: str) -> list[re.Match[str]]:
    """Positions of `(1) … (2) … (3)` in order; fewer than two means no enumeration."""
    chain: list[re.Match[str]] = []
    for m in _RE_INLINE_NUM.finditer(text):
        if int(m.group(1)) == len(chain) + 1:
            chain.append(m)
    return chain if len(chain) >= 2 else []


def _split_on_chain(text: str) -> tuple[str, list[tuple[str, str]]]:
    chain = _enum_chain(text)
    if not chain:
        return text, []
    prefix = text[: chain[0].start()].strip()
    parts = []
    for i, m in enumerate(chain):
        end = chain[i + 1].start() if i + 1 < len(chain) else len(text)
        parts.append((f"({m.group(1)})", text[m.end():end].strip()))
    return prefix, parts


def _split_inline_enumerations(b: _Builder) -> list[Clause]:
    """`Tham mưu: (1) … (2) …` inside one paragraph -> a parent clause and one child per item."""
    out: list[Clause] = []
    for c in b.clauses:
        out.append(c)
        if c.kind in {"enum", "title", "row", "section", "group"}:
            continue
        prefix, parts = _split_on_chain(c.text)
        if not parts:
            continue
        raw_prefix, raw_parts = _split_on_chain(c.raw)
        if len(raw_parts) != len(parts):
            raw_parts = [(lab, t) for lab, t in parts]
        c.text = prefix
        c.raw = raw_prefix
        for (label, text), (_, raw) in zip(parts, raw_parts):
            child = b.add("enum", label, text, raw, c, label)
            # footnote markers move with the words that cite them
            for fid in list(c.footnote_ids):
                n = fid.rsplit("cth", 1)[-1]
                if re.search(rf"<sup>\s*{n}\s*</sup>", raw):
                    child.footnote_ids.append(fid)
                    c.footnote_ids.remove(fid)
            b.clauses.pop()  # add() appended it at the end; keep document order instead
            out.append(child)
    return out


# --- TSV assignment tables -----------------------------------------------------------

@dataclass
class _TsvState:
    columns: dict[str, int] = field(default_factory=dict)
    section: Clause | None = None
    rows: dict[str, Clause] = field(default_factory=dict)  # numbered rows of the current section


_COLUMN_KEYS = [("chu tri", "lead"), ("phoi hop", "partners"), ("thoi gian", "deadline"),
                ("ghi chu", "note"), ("noi dung", "text"), ("tt", "number"), ("stt", "number")]


def _tsv_row(b: _Builder, state: _TsvState, line: str) -> Clause | None:
    cells = [strip_markup(c) for c in line.split("\t")]
    folded = [fold(c) for c in cells]
    by_meaning = tables.header_columns(cells)  # "Tên nhiệm vụ", "Người thực hiện", "Thời gian hoàn thành" …
    if by_meaning is not None:  # a (repeated) header row: remember the columns by what they mean
        state.columns = by_meaning
        return None
    if folded and folded[0] in {"tt", "stt"}:  # a header the meaning classes do not read: its words
        state.columns = {}
        for i, f in enumerate(folded):
            for key, name in _COLUMN_KEYS:
                hit = f == key if name == "number" else key in f
                if hit and name not in state.columns:
                    state.columns[name] = i
                    break
        return None
    cols = state.columns or {"number": 0, "text": 1, "lead": 2, "partners": 3, "deadline": 4, "note": 5}

    def cell(name: str) -> str:
        i = cols.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    number, text = cell("number"), cell("text")
    if not number and not text:
        return None
    table_parent = b.container()
    while table_parent is not None and table_parent.kind in {"section", "row"}:
        parent_id = table_parent.parent_id
        table_parent = next((c for c in b.clauses if c.clause_id == parent_id), None)
    if re.fullmatch(r"[IVXL]+", number) and not any(cell(n) for n in ("lead", "partners", "deadline")):
        section = b.add("section", number, text, line, table_parent, number)
        state.section = section
        state.rows = {}
        return section
    parent = state.section or table_parent
    head = number.rsplit(".", 1)[0] if "." in number else None
    if head and head in state.rows:  # "2.1" after "2": row 2 is the group heading of its sub-rows
        parent = state.rows[head]
        parent.kind = "group"
    row_cells = {k: cell(k) for k in ("lead", "partners", "deadline", "note") if cell(k)}
    row_text = text
    row = b.add("row", number, row_text, line, parent, number or f"r{b._next(parent, 'r')}", row_cells)
    if number:
        state.rows[number] = row
    return row


# --- PDF task tables ------------------------------------------------------------------

def _from_task_table(doc: Document, table: "pdftable.TaskTable") -> list[Clause]:
    b = _Builder(doc)
    if table.title:
        b.add("title", "", table.title, table.title, None, "tieu-de")
    sections: dict[str, Clause] = {}
    groups: dict[tuple[str, str], Clause] = {}
    order = [s.roman for s in table.sections] + [r.section for r in table.rows]
    labels = {s.roman: s.label for s in table.sections}
    for roman in dict.fromkeys(order):  # each section, then its rows, in reading order
        label = labels.get(roman, "")
        sections[roman] = b.add("section", roman, label, label, None, roman, {"lead_label": label} if label else {})
        for row in (r for r in table.rows if r.section == roman):
            parent = sections[roman]
            head = row.number.split(".")[0] if "." in row.number else None
            if head and (roman, head) in groups:
                parent = groups[(roman, head)]
            cells = {k: v for k, v in (("partners", row.partners), ("deadline", row.deadline)) if v}
            comp = row.number or f"r{b._next(parent, 'r')}"
            clause = b.add("group" if row.is_group else "row", row.number, row.text, row.text, parent, comp, cells)
            if row.is_group:
                groups[(roman, row.number)] = clause
    clauses = b.clauses
    _attach_citations(doc, clauses, {})
    return clauses


# --- citations ------------------------------------------------------------------------

_POSITIONAL = [(re.compile(r"^y(\d+)$"), "ý thứ {}"), (re.compile(r"^d(\d+)$"), "đoạn {}"),
               (re.compile(r"^n(\d+)$"), "nhóm {}"), (re.compile(r"^r(\d+)$"), "dòng {}")]


def citation_for(doc: Document, number: str, appendix_names: dict[str, str]) -> str:
    """'Kế hoạch số 376-KH/TU ngày 21/7/2025, Phụ lục, mục VI.2.1' — findable on paper."""
    base = doc.cite_name
    comps = number.split("~")[0].split(".")
    if comps == ["tieu-de"]:
        return f"{base}, phần đầu văn bản"
    if comps[0].startswith("cth"):
        return f"{base}, chú thích số {comps[0][3:]}"
    parts: list[str] = []
    if comps and re.fullmatch(r"P\d+", comps[0]):
        ordinal = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm"}.get(int(comps[0][1:]), comps[0][1:])
        parts.append("Phần thứ " + ordinal)
        comps = comps[1:]
    if comps and re.fullmatch(r"PL\d*", comps[0]):
        parts.append(appendix_names.get(comps[0], "Phụ lục"))
        comps = comps[1:]
    if comps and comps[0] == "noi-nhan":
        parts.append("phần Nơi nhận")
        comps = comps[1:]
    if comps and re.fullmatch(r"dieu\d+", comps[0]):
        parts.append("Điều " + comps[0][4:])
        comps = comps[1:]
    structural: list[str] = []
    positional: list[str] = []
    for c in comps:
        for rx, fmt in _POSITIONAL:
            if m := rx.match(c):
                positional.append(fmt.format(m.group(1)))
                break
        else:
            if positional:  # a numbered clause under a bullet: keep reading order
                positional.append(f"điểm {c}")
            else:
                structural.append(c)
    if structural:
        merged = ".".join(structural).replace(".(", "(")
        parts.append(f"mục {merged}")
    parts.extend(positional)
    return ", ".join([base] + parts) if parts else base


def _attach_citations(doc: Document, clauses: list[Clause], appendix_names: dict[str, str]) -> None:
    for c in clauses:
        c.citation = citation_for(doc, c.number, appendix_names)
