"""Task tables from Word or PDF -> the TSV lines the clause parser reads.

A table is a task table when its header names the columns the register needs; those are
recognised by their words, whatever the exact wording ("Cơ quan chủ trì", "Đơn vị chủ trì
thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện", "Thời hạn hoàn thành", "Tiến độ"…),
and written out in the parser's canonical column order. Other tables become plain lines.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from quydinh_bot.language.text import fold

CANONICAL = ["number", "text", "lead", "partners", "deadline", "note"]
HEADER = "TT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\tGhi chú"
# (folded words a header cell contains, column); checked in order, first hit wins
_HEADER_WORDS = [
    (("phoi hop",), "partners"),
    (("chu tri",), "lead"),
    (("co quan thuc hien",), "lead"),
    (("don vi thuc hien",), "lead"),
    (("trach nhiem",), "lead"),
    (("thoi gian",), "deadline"),
    (("thoi han",), "deadline"),
    (("tien do",), "deadline"),
    (("han hoan thanh",), "deadline"),
    (("ghi chu",), "note"),
    (("nguoi thuc hien", "nguoi chu tri", "can bo thuc hien", "nguoi phu trach", "phu trach"), "lead"),
    (("noi dung",), "text"),
    (("nhiem vu",), "text"),
    (("cong viec",), "text"),
    (("hoat dong",), "text"),
    # "Đơn vị thực hiện" / "Thực hiện" / "Tham mưu" after the task words: who does the row
    (("thuc hien", "tham muu", "don vi", "co quan"), "lead"),
]
# a lead column that lists people ("Người thực hiện"): the first named is in charge, the
# others (one per cell paragraph) help
_PEOPLE_WORDS = ("nguoi", "can bo", "ho ten", "ho va ten")
_NUMBER_HEADERS = {"tt", "stt", "so tt", "so thu tu"}


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column positions when `cells` is a task-table header (it must name a lead, a partner
    or a deadline column, and the task text), else None."""
    cols: dict[str, int] = {}
    if any(len(c or "") > 60 or re.fullmatch(r"\d+\.?", (c or "").strip()) for c in cells):
        return None  # a task row that happens to say "chủ trì, phối hợp", not a header
    for i, cell in enumerate(cells):
        f = re.sub(r"[^a-z0-9 ]", " ", fold(cell or ""))
        f = re.sub(r"\s+", " ", f).strip()
        if not f:
            continue
        if f.rstrip(".") in _NUMBER_HEADERS:
            cols.setdefault("number", i)
            continue
        for words, name in _HEADER_WORDS:
            if any(w in f for w in words):
                cols.setdefault(name, i)
                break
    if "text" in cols and ({"lead", "partners", "deadline"} & cols.keys()):
        return cols
    return None


def people_column(cells: list[str], cols: dict[str, int]) -> bool:
    """Whether the header's lead column names people ("Người thực hiện", "Cán bộ phụ trách")."""
    at = cols.get("lead")
    if at is None or at >= len(cells) or "partners" in cols:
        return False
    f = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", fold(cells[at] or ""))).strip()
    return any(w in f for w in _PEOPLE_WORDS)


PARAGRAPH = "\u2029"  # a reader's mark between the paragraphs of one cell (Word)


def _clean(cell: str | None) -> str:
    return re.sub(r"\s+", " ", (cell or "").replace("\t", " ").replace(PARAGRAPH, " ")).strip()


class TableWriter:
    """Keeps the last header across tables, so a table continued on the next page (without
    its header row) is still read with the right columns."""

    def __init__(self) -> None:
        self.columns: dict[str, int] | None = None
        self.width = 0
        self.last_lead = ""
        self.people = False  # the lead column lists people, one per cell paragraph

    def lines(self, rows: Sequence[Sequence[str | None]]) -> list[str]:
        out: list[str] = []
        rows = [r for r in rows if any(_clean(c) for c in r)]
        if not rows:
            return out
        first = [_clean(c) for c in rows[0]]
        if header_columns(first) is None and (self.columns is None or len(first) != self.width):
            self.columns = None  # not the continuation of the previous task table
        elif header_columns(first) is None:
            out.append(HEADER)  # continued from the previous page: same columns
        for row in rows:
            cells_in = [_clean(c) for c in row]
            cols = header_columns(cells_in)
            if cols is not None:
                self.columns, self.width = cols, len(row)
                self.people = people_column(cells_in, cols)
                out.append(HEADER)
                continue
            if self.columns is None:
                out.extend(c for c in cells_in if c)  # a layout table (letterhead): one line per cell
                continue
            if _is_column_numbering(row):
                continue  # the "(1) (2) (3) …" row under some headers
            cells = {name: cells_in[i] if i < len(cells_in) else "" for name, i in self.columns.items()}
            lead_at = self.columns.get("lead")
            if self.people and lead_at is not None and lead_at < len(row):
                names = [n for n in (_clean(x) for x in (row[lead_at] or "").split(PARAGRAPH)) if n]
                if len(names) > 1:  # "Đỗ Mạnh Cường / Vũ Việt Linh": the first leads, the others help
                    cells["lead"], cells["partners"] = names[0], "; ".join(names[1:])
            # "1.1 0" wrapped in a narrow cell
            cells["number"] = re.sub(r"\s+", "", cells.get("number", "")).rstrip(".")
            lead_at = self.columns.get("lead")
            if lead_at is not None and lead_at < len(row) and row[lead_at] is None \
                    and not re.fullmatch(r"[IVXL]+", cells["number"]):
                cells["lead"] = self.last_lead  # a lead cell merged down over several rows (PDF)
            if cells.get("lead"):
                self.last_lead = cells["lead"]
            out.append("\t".join(cells.get(name, "") for name in CANONICAL))
        return out


def _is_column_numbering(row: Sequence[str | None]) -> bool:
    cells = [_clean(c) for c in row if _clean(c)]
    return len(cells) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in cells)
