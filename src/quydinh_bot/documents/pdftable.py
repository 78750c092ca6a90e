"""Rebuild a task table (STT | Nội dung công việc | Cơ quan phối hợp | Thời gian thực hiện)
that was flattened out of a PDF into one cell fragment per line.

The flattening loses the grid: cells are broken over several lines, several cells share a
line, page furniture is interleaved, the merged "lead body" cell of each section (cơ quan
chủ trì) is printed as a stray upper-case line somewhere near its section, and a few rows
or cells drift across page breaks.  The parser therefore works from general layout facts
rather than from the strings of one document:

* the partner and deadline columns are narrow, so their lines are short; text-cell lines
  are long except the last one, which usually ends with a full stop;
* deadline cells start with a small set of words (Trước, Sau, Thực hiện, ...), partner
  cells with the name of a body (Ban, Đảng ủy, Các, ...);
* row numbers run in sequence, so a number that breaks the sequence of the current
  section but continues an earlier one is a displaced row of that earlier section;
* a fragment that belongs to no row (an orphan) is given to the nearby row that lacks
  exactly that kind of cell, and a lead label to the section nearest to it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "TableRow",
    "TableSection",
    "TaskTable",
    "is_page_furniture",
    "furniture_mask",
    "join_cell_lines",
    "looks_like_task_table",
    "parse_task_table",
]


@dataclass
class TableRow:
    section: str            # roman numeral, "VI"
    number: str             # number within the section as printed: "2.1", "4", "" if unnumbered
    text: str               # the task text, lines re-joined with single spaces, nothing dropped
    partners: str           # the partner cell, lines re-joined ("" if empty)
    deadline: str           # the deadline cell, lines re-joined ("" if empty)
    is_group: bool = False  # a group heading row (followed by rows "k.1", "k.2", ...)


@dataclass
class TableSection:
    roman: str
    label: str              # the lead label as printed, upper-case, whitespace collapsed


@dataclass
class TaskTable:
    title: str
    sections: list[TableSection]
    rows: list[TableRow]    # in section order, then by number within a section


# --------------------------------------------------------------------------- lexicon

# Width of the narrow partner/deadline columns, in characters of one printed line.
NARROW = 26
# A text-cell line at least this long was broken by the column width, not by the cell end.
FULL = 60

_DEADLINE_START = re.compile(
    r"(?:Ngay sau|Đã hoàn thành|Chậm nhất|Thực hiện|Trước|Sau|Theo|Tháng|Năm|Trong)(?!\w)"
)
_PARTNER_START = re.compile(
    r"(?:Ban|Đảng ủy|đảng ủy|Các|các|Cán|UBKT|Văn phòng|Sở|Trường)(?!\w)"
)
# A partner cell that opens a line: capitalised body names only (continuations may be "các ...").
_PARTNER_OPEN = re.compile(r"(?:Ban|Đảng ủy|Các|Cán|UBKT|Văn phòng|Sở|Trường)(?!\w)")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(?:\s+(.*))?$")
_BARE_INT = re.compile(r"^\d{1,3}$")
_WS = re.compile(r"\s+")

_FURNITURE_PREFIXES = (
    "Số và ký hiệu:",
    "Ngày ban hành:",
    "Tài liệu này thuộc sở hữu",
)
_HEADER_LINES = ("Thời gian", "thực hiện")


def _clean(line: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", line)).strip()


def is_page_furniture(
    line: str, *, prev_line: str | None = None, next_line: str | None = None
) -> bool:
    """True for lines the PDF repeats on every page and that belong to no cell.

    A bare number is a page number only when it sits right before other furniture
    (the page footer/header); alone it is indistinguishable from a row number, so
    without ``next_line`` it is *not* furniture.  ``prev_line`` is accepted for symmetry.
    """
    del prev_line
    s = _clean(line)
    if not s:
        return False
    if s.startswith(_FURNITURE_PREFIXES):
        return True
    if s.startswith("STT ") and "Nội dung" in s:
        return True
    if s in _HEADER_LINES:
        return True
    if re.fullmatch(r"-{3,}", s):
        return True
    if _BARE_INT.match(s) and next_line is not None:
        return is_page_furniture(next_line)
    return False


def furniture_mask(lines: list[str]) -> list[bool]:
    """Per line: is it page furniture?  Uses the next non-blank line to spot page numbers."""
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    mask = [False] * len(lines)
    for k, i in enumerate(nonblank):
        nxt = lines[nonblank[k + 1]] if k + 1 < len(nonblank) else ""
        mask[i] = is_page_furniture(lines[i], next_line=nxt)
    return mask


def join_cell_lines(parts: list[str]) -> str:
    """Join the printed lines of one cell: single spaces, except after a code split at a
    hyphen ("02-" + "KH/BCĐ" -> "02-KH/BCĐ"); a spaced dash ("trị -") keeps its space."""
    out = ""
    for part in parts:
        part = _clean(part)
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += part
        else:
            out += " " + part
    return out


def _is_label(s: str) -> bool:
    """An upper-case line of several words: the merged lead-body cell of a section."""
    words = [w for w in s.split() if any(c.isalpha() for c in w)]
    if len(words) < 2:
        return False
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def _roman(n: int) -> str:
    vals = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for v, r in vals:
        while n >= v:
            out += r
            n -= v
    return out


def _roman_value(r: str) -> int | None:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50}
    if not r or any(c not in vals for c in r):
        return None
    total = 0
    for a, b in zip(r, r[1:] + " "):
        v = vals[a]
        total += -v if b in vals and vals[b] > v else v
    return total


_ROMAN_LINE = re.compile(r"^([IVXL]+)(?:\s+(.*))?$")


def looks_like_task_table(lines: list[str]) -> bool:
    """True for a PDF-flattened task table: a repeated "STT Nội dung công việc" header,
    roman section numerals alone on a line, and no markdown/TSV table syntax."""
    cleaned = [_clean(ln) for ln in lines]
    cleaned = [s for s in cleaned if s]
    if not cleaned:
        return False
    headers = sum(1 for s in cleaned if s.startswith("STT ") and "Nội dung" in s)
    romans = sum(1 for s in cleaned if re.fullmatch(r"[IVX]{1,5}", s))
    tabular = sum(1 for ln in lines if "\t" in ln or ln.lstrip().startswith("|"))
    return headers >= 1 and romans >= 2 and tabular <= len(cleaned) * 0.02


# --------------------------------------------------------------------------- parse state


@dataclass
class _Cells:
    """A row under construction, or an orphan group of cells that lost its row."""

    section: int
    number: str | None      # None for an orphan
    line: int               # source line index where it starts
    text: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    deadline: list[str] = field(default_factory=list)


@dataclass
class _Section:
    roman: str
    start: int              # position (row-start counter) of the section numeral
    end: int = -1
    top: int = 0            # last top-level number seen
    sub: int = 0            # last sub-number under `top`
    labels: list[str] = field(default_factory=list)


@dataclass
class _Label:
    text: str
    pos: int
    line: int
    forced: int | None = None  # printed on the numeral's line: belongs to that section


def _starts_deadline(s: str) -> bool:
    return bool(_DEADLINE_START.match(s))


def _split_combo(s: str) -> tuple[str, str] | None:
    """"Đảng ủy các xã, phường Trước 15/8/2025" -> (partners, deadline) when both parts fit
    the narrow columns."""
    for m in reversed(list(re.finditer(r"\s", s))):
        head, tail = s[: m.start()].strip(), s[m.end():].strip()
        if head and _starts_deadline(tail) and len(tail) <= NARROW and len(head) <= NARROW:
            return head, tail
    return None


def _is_narrow(s: str) -> bool:
    return len(s) <= NARROW or _split_combo(s) is not None


def _split_text_line(s: str) -> tuple[str, str, str]:
    """Split a line that may run text, partners and deadline together.

    The text cell ends with a full stop; what follows must fit the narrow columns."""
    # text. partners [deadline]
    for m in reversed(list(re.finditer(r"\.\s+", s))):
        rest = s[m.end():]
        if not _PARTNER_START.match(rest):
            continue
        combo = _split_combo(rest)
        if combo is not None:
            return s[: m.start() + 1].strip(), combo[0], combo[1]
        if len(rest.strip()) <= NARROW and not _starts_deadline(rest):
            return s[: m.start() + 1].strip(), rest.strip(), ""
    # text. deadline
    for m in reversed(list(re.finditer(r"\.\s+", s))):
        rest = s[m.end():].strip()
        if _starts_deadline(rest) and len(rest) <= NARROW:
            return s[: m.start() + 1].strip(), "", rest
    return s.strip(), "", ""


def _continues_text(prev: str, s: str) -> bool:
    """Is line ``s`` still part of the text cell whose previous line is ``prev``?"""
    if not _is_narrow(s):
        return True
    if prev.rstrip().endswith((".", "…")) or len(prev) < FULL:
        return False
    return not (_starts_deadline(s) or _PARTNER_OPEN.match(s))


class _Parser:
    def __init__(self, items: list[tuple[int, str]]):
        self.items = items
        self.sections: list[_Section] = []
        self.cells: list[_Cells] = []
        self.labels: list[_Label] = []
        self.pos = 0
        self.sink: _Cells | None = None
        self.state: str | None = None   # "start" | "text" | "partners" | "deadline"
        self.prev_text = ""

    # -- numbering ------------------------------------------------------------------

    @staticmethod
    def _expected(sec: _Section) -> set[str]:
        exp = {str(sec.top + 1), f"{sec.top + 1}.1"}
        if sec.top:
            exp.add(f"{sec.top}.{sec.sub + 1}")
        return exp

    def _accept_number(self, num: str) -> int | None:
        """Section index a row number belongs to: the current section if it continues its
        sequence, else the nearest earlier section whose next number it is (a displaced row)."""
        if not self.sections:
            return None
        for idx in range(len(self.sections) - 1, -1, -1):
            if num in self._expected(self.sections[idx]):
                return idx
        return None

    def _advance(self, sec: _Section, num: str) -> None:
        if "." in num:
            top, sub = (int(x) for x in num.split(".", 1))
            sec.top, sec.sub = top, sub
        else:
            sec.top, sec.sub = int(num), 0

    # -- cell feeding ---------------------------------------------------------------

    def _new_sink(self, line: int, number: str | None, section: int | None = None) -> _Cells:
        sec = len(self.sections) - 1 if section is None else section
        sink = _Cells(section=sec, number=number, line=line)
        self.cells.append(sink)
        self.sink, self.state, self.prev_text = sink, "start", ""
        return sink

    def _feed_text(self, s: str) -> None:
        assert self.sink is not None
        text, partners, deadline = _split_text_line(s)
        if text:
            self.sink.text.append(text)
        if partners:
            self.sink.partners.append(partners)
        if deadline:
            self.sink.deadline.append(deadline)
        self.state = "deadline" if deadline else "partners" if partners else "text"
        self.prev_text = text

    def _feed_cells(self, s: str) -> None:
        assert self.sink is not None
        if _starts_deadline(s):
            self.sink.deadline.append(s)
            self.state = "deadline"
            return
        combo = _split_combo(s)
        if combo is not None:
            self.sink.partners.append(combo[0])
            self.sink.deadline.append(combo[1])
            self.state = "deadline"
        else:
            self.sink.partners.append(s)
            self.state = "partners"

    def _deadline_follows(self, k: int) -> bool:
        """Does a deadline cell start later in the run of narrow lines after item k?"""
        for _, s in self.items[k + 1:]:
            if self._classify(s) != "content" or not _is_narrow(s):
                return False
            if _starts_deadline(s):
                return True
        return False

    def _feed(self, k: int, line: int, s: str) -> None:
        if self.sink is None:
            sec = self.sections[-1] if self.sections else None
            has_rows = any(c.number is not None and c.section == len(self.sections) - 1
                           for c in self.cells)
            number = "" if sec is not None and not has_rows else None
            self._new_sink(line, number)
        st = self.state
        if st == "start":
            if _is_narrow(s) and (_starts_deadline(s) or _PARTNER_OPEN.match(s)):
                self._feed_cells(s)
            else:
                self._feed_text(s)
        elif st == "text":
            if _continues_text(self.prev_text, s):
                self._feed_text(s)
            else:
                self._feed_cells(s)
        elif not _is_narrow(s):
            # a long line after the cells are done: text that lost its row
            self._new_sink(line, None)
            self._feed_text(s)
        elif st == "partners":
            self._feed_cells(s)  # more partners, or the deadline cell begins
        else:  # deadline
            if _PARTNER_OPEN.match(s) and self._deadline_follows(k):
                # a complete partner+deadline pair after a finished deadline: orphan cells
                self._new_sink(line, None)
                self._feed_cells(s)
            else:
                self.sink.deadline.append(s)  # type: ignore[union-attr]

    # -- main loop ------------------------------------------------------------------

    def _next_roman_ok(self, roman: str) -> bool:
        """Section numerals run I, II, III, ...; a fragment may start at any of them."""
        if not self.sections:
            value = _roman_value(roman)
            return value is not None and _roman(value) == roman
        return roman == _roman(_roman_value(self.sections[-1].roman) + 1)  # type: ignore[operator]

    def _classify(self, s: str) -> str:
        m = _ROMAN_LINE.match(s)
        if m and self._next_roman_ok(m.group(1)) and (
            m.group(2) is None or _is_label(m.group(2))
        ):
            return "section"
        if _is_label(s):
            return "label"
        return "content"

    def run(self) -> None:
        for k, (line, s) in enumerate(self.items):
            kind = self._classify(s)
            if kind == "section":
                m = _ROMAN_LINE.match(s)
                assert m
                if self.sections:
                    self.sections[-1].end = self.pos
                self.pos += 1
                self.sections.append(_Section(roman=m.group(1), start=self.pos))
                if m.group(2):
                    self.labels.append(
                        _Label(_clean(m.group(2)), self.pos, line, forced=len(self.sections) - 1)
                    )
                self.sink, self.state = None, None
                continue
            if kind == "label":
                self.labels.append(_Label(s, self.pos, line))
                continue
            m = _NUMBER.match(s)
            if m:
                num, rest = m.group(1), m.group(2)
                idx = self._accept_number(num)
                # A text line may itself start with a number ("2 cấp ..."): inside a text
                # cell that is still running, only the current section's next number counts.
                if (
                    idx is not None and idx != len(self.sections) - 1 and rest
                    and self.state == "text" and _continues_text(self.prev_text, s)
                    and not self.prev_text.rstrip().endswith(".")
                    and len(self.prev_text) >= FULL
                ):
                    idx = None
                if idx is not None:
                    self._advance(self.sections[idx], num)
                    self.pos += 1
                    self._new_sink(line, num, section=idx)
                    if rest:
                        self._feed(k, line, rest)
                    continue
            self._feed(k, line, s)
        if self.sections:
            self.sections[-1].end = self.pos


# --------------------------------------------------------------------------- assignment


def _monotone_match(src: list[int], dst: list[int]) -> list[int | None]:
    """Order-preserving matching of src positions to distinct dst positions minimising the
    total distance (orphans keep their relative order with the rows they came from)."""
    n, m = len(src), len(dst)
    if n == 0:
        return []
    if m < n:
        # cannot place all: match the best subset of src by running the problem reversed
        inv = _monotone_match(dst, src)
        out: list[int | None] = [None] * n
        for j, i in enumerate(inv):
            if i is not None:
                out[i] = j
        return out
    inf = float("inf")
    # best[i][j]: cost of placing src[:i] into dst[:j]
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            best[i][j] = min(best[i][j - 1], best[i - 1][j - 1] + abs(src[i - 1] - dst[j - 1]))
    out = [None] * n
    i, j = n, m
    while i > 0:
        if best[i][j] == best[i][j - 1] and j > i:
            j -= 1
        else:
            out[i - 1] = j - 1
            i, j = i - 1, j - 1
    return out


def _hungarian(cost: list[list[int]]) -> list[int]:
    """Minimum-cost assignment of n rows to distinct columns of an n x m matrix (n <= m)."""
    n, m = len(cost), len(cost[0]) if cost else 0
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    result = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            result[p[j] - 1] = j - 1
    return result


def _fold(s: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    return _WS.sub(" ", bare.replace("đ", "d").replace("Đ", "D").lower()).strip()


def _label_keys(label: str) -> list[str]:
    """Ways a row text may name the body of a lead label: its name, and its acronym
    ("HỘI ĐỒNG NHÂN DÂN" -> "HĐND")."""
    keys: list[str] = []
    head = re.split(r"\s+CHỦ TRÌ\b", label)[0]
    for body in head.split(","):
        body = re.sub(r"^(ĐẢNG ỦY|ĐẢNG ỦY)\s+", "", body.strip())
        body = re.sub(r"\s+TỈNH( ỦY| ỦY)?$", "", body)
        if not body:
            continue
        keys.append(_fold(body))
        words = body.split()
        if len(words) >= 3:
            keys.append("".join(w[0] for w in words))
    return keys


def _mentions(keys: list[str], texts: list[str]) -> bool:
    folded = " ".join(_fold(t) for t in texts)
    raw = " ".join(texts)
    for key in keys:
        if key.isupper():
            if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", raw):
                return True
        elif re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
            return True
    return False


def _assign_labels(parser: _Parser, rows: list[_Cells]) -> list[str]:
    """Give each section at most one label: nearest in row positions first, then the one
    whose body the section's row texts name, then nearest in lines."""
    secs = parser.sections
    out = [""] * len(secs)
    free = []
    for lab in parser.labels:
        if lab.forced is not None and not out[lab.forced]:
            out[lab.forced] = lab.text
        else:
            free.append(lab)
    open_secs = [i for i, s in enumerate(secs) if not out[i]]
    if not free or not open_secs:
        return out
    first_line = {i: min((c.line for c in rows if c.section == i), default=0) for i in open_secs}
    last_line = {i: max((c.line for c in rows if c.section == i), default=0) for i in open_secs}
    texts = {i: [" ".join(c.text) for c in rows if c.section == i] for i in open_secs}
    cost: list[list[int]] = []
    for lab in free:
        keys = _label_keys(lab.text)
        row_cost = []
        for i in open_secs:
            s = secs[i]
            d_pos = 0 if s.start <= lab.pos <= s.end else min(abs(lab.pos - s.start),
                                                              abs(lab.pos - s.end))
            lo, hi = first_line[i], last_line[i]
            d_line = 0 if lo <= lab.line <= hi else min(abs(lab.line - lo), abs(lab.line - hi))
            miss = 0 if _mentions(keys, texts[i]) else 1
            row_cost.append(d_pos * 10**8 + miss * 10**5 + min(d_line, 999))
        cost.append(row_cost)
    if len(free) > len(open_secs):  # more labels than sections: keep the cheapest ones
        order = sorted(range(len(free)), key=lambda r: min(cost[r]))[: len(open_secs)]
        order.sort()
        free = [free[r] for r in order]
        cost = [cost[r] for r in order]
    for r, col in enumerate(_hungarian(cost)):
        if col >= 0:
            out[open_secs[col]] = free[r].text
    return out


# --------------------------------------------------------------------------- entry point


def _num_key(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in number.split(".")) if number else (0,)


def parse_task_table(lines: list[str]) -> TaskTable:
    """Parse a flattened task table into title, sections with lead labels, and rows."""
    mask = furniture_mask(lines)
    raw = [(i, _clean(ln)) for i, ln in enumerate(lines) if ln.strip() and not mask[i]]

    # the title block: "PHỤ LỤC ..." followed by a parenthesised line (possibly broken)
    title_parts: list[str] = []
    items: list[tuple[int, str]] = []
    k = 0
    while k < len(raw):
        i, s = raw[k]
        if not title_parts and s.startswith("PHỤ LỤC") and _is_label(s):
            title_parts.append(s)
            if k + 1 < len(raw) and raw[k + 1][1].startswith("("):
                k += 1
                title_parts.append(raw[k][1])
                while ")" not in raw[k][1] and k + 1 < len(raw):
                    k += 1
                    title_parts.append(raw[k][1])
            k += 1
            continue
        items.append((i, s))
        k += 1

    parser = _Parser(items)
    parser.run()

    rows = [c for c in parser.cells if c.number is not None]
    orphans = [c for c in parser.cells if c.number is None]

    # group headings: "k" followed by "k.1", "k.2", ... in the same section
    groups = {
        id(c) for c in rows
        if c.number and "." not in c.number
        and any(o.section == c.section and o.number and o.number.startswith(c.number + ".")
                for o in rows)
    }

    # orphans go to the rows that lack exactly their kind of cell, in document order
    def kind(c: _Cells) -> tuple[bool, bool, bool]:
        return bool(c.text), bool(c.partners), bool(c.deadline)

    leftovers: list[_Cells] = []
    for k_ in sorted({kind(o) for o in orphans}):
        group = [o for o in orphans if kind(o) == k_]
        has_text, has_partners, has_deadline = k_
        targets = [
            r for r in rows
            if not (has_text and r.text)
            and not ((has_partners or has_deadline) and (r.partners or r.deadline))
            and not ((has_partners or has_deadline) and id(r) in groups)
        ]
        match = _monotone_match([o.line for o in group], [r.line for r in targets])
        for o, j in zip(group, match):
            if j is None:
                leftovers.append(o)
                continue
            t = targets[j]
            t.text += o.text
            t.partners += o.partners
            t.deadline += o.deadline
    for o in leftovers:  # nothing lacks them: keep the words with the neighbouring row
        prev = max((r for r in rows if r.line < o.line), key=lambda r: r.line, default=None)
        if prev is None:
            prev = min(rows, key=lambda r: r.line, default=None)
        if prev is not None:
            prev.text += o.text
            prev.partners += o.partners
            prev.deadline += o.deadline

    labels = _assign_labels(parser, rows)
    sections = [TableSection(s.roman, labels[i]) for i, s in enumerate(parser.sections)]

    ordered = sorted(rows, key=lambda r: (r.section, _num_key(r.number or "")))
    table_rows = [
        TableRow(
            section=parser.sections[r.section].roman,
            number=r.number or "",
            text=join_cell_lines(r.text),
            partners=join_cell_lines(r.partners),
            deadline=join_cell_lines(r.deadline),
            is_group=id(r) in groups,
        )
        for r in ordered
    ]
    return TaskTable(title=join_cell_lines(title_parts), sections=sections, rows=table_rows)
