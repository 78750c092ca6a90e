"""Time expressions in questions -> a window of due dates.

"đến hạn tháng 9/2025", "quý III/2025", "q3 2025", "trong năm 2026", "trong 30 ngày tới",
"tuần này", "tháng sau", "trước 31/8/2025", "từ tháng 6 đến tháng 9/2025": each becomes the
inclusive window [start, end] a task's `due` must fall in. Relative expressions are measured from
`today` (the clock, or QUYDINH_TODAY), so answers are reproducible. Works on folded text
(`text.fold`), so accented and unaccented questions read the same.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from quydinh_bot.parse.deadlines import month_end

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
                 "muoi": 10, "muoi lam": 15}
_NEXT = r"(?:toi|sau|ke tiep|tiep theo)"
_PREV = r"(?:truoc|vua qua|ngoai)"


@dataclass
class Window:
    """Due dates from `start` to `end` (both inclusive; None = open), and how the question said it."""

    start: date | None = None
    end: date | None = None
    label: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)  # where in the folded question

    def narrow(self, start: date | None, end: date | None, label: str, span: tuple[int, int]) -> None:
        if start and (self.start is None or start > self.start):
            self.start = start
        if end and (self.end is None or end < self.end):
            self.end = end
        self.label = f"{self.label}, {label}" if self.label else label
        self.spans.append(span)


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def quarter_window(y: int, q: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def _date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


_Handler = Callable[[re.Match, date], tuple[date | None, date | None, str] | None]
_RULES: list[tuple[re.Pattern[str], _Handler]] = []


def _rule(pattern: str):
    def register(fn: _Handler) -> _Handler:
        _RULES.append((re.compile(pattern), fn))
        return fn
    return register


@_rule(r"\btu\s+(?:ngay\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\s+den\s+(?:ngay\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b")
def _date_range(m, today):
    a, b = _date(*m.group(1, 2, 3)), _date(*m.group(4, 5, 6))
    return (a, b, f"từ {a:%d/%m/%Y} đến {b:%d/%m/%Y}") if a and b else None


@_rule(r"\btu\s+thang\s+(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\s+(?:den|toi)\s+(?:het\s+)?thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b")
def _month_range(m, today):
    m1, m2, y2 = int(m.group(1)), int(m.group(3)), int(m.group(4))
    y1 = int(m.group(2)) if m.group(2) else y2
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    return date(y1, m1, 1), month_end(y2, m2), f"từ tháng {m1}/{y1} đến tháng {m2}/{y2}"


@_rule(r"\b(truoc|sau|tu)\s+(?:ngay\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b")
def _before_after_date(m, today):
    d = _date(*m.group(2, 3, 4))
    if d is None:
        return None
    if m.group(1) == "truoc":
        return None, d, f"trước {d:%d/%m/%Y}"
    return d, None, f"từ {d:%d/%m/%Y}"


@_rule(r"\b(truoc|sau|tu)\s+thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b")
def _before_after_month(m, today):
    mo, y = int(m.group(2)), int(m.group(3))
    if not 1 <= mo <= 12:
        return None
    if m.group(1) == "truoc":
        return None, date(y, mo, 1) - timedelta(days=1), f"trước tháng {mo}/{y}"
    if m.group(1) == "sau":
        return month_end(y, mo) + timedelta(days=1), None, f"sau tháng {mo}/{y}"
    return date(y, mo, 1), None, f"từ tháng {mo}/{y}"


@_rule(r"\b(?:ngay\s+)?(\d{1,2})/(\d{1,2})/(\d{4})\b")
def _one_day(m, today):
    d = _date(*m.group(1, 2, 3))
    return (d, d, f"ngày {d:%d/%m/%Y}") if d else None


@_rule(r"\b(?:thang|t)\s*(\d{1,2})\s*(?:/|-|nam)\s*(\d{4})\b")
def _month(m, today):
    mo, y = int(m.group(1)), int(m.group(2))
    return (date(y, mo, 1), month_end(y, mo), f"tháng {mo}/{y}") if 1 <= mo <= 12 else None


@_rule(r"\b(?:quy|q)\s*(iv|iii|ii|i|[1-4])(?:\s*(?:/|-|nam|\s)\s*(\d{4}))?\b")
def _quarter(m, today):
    q = _ROMAN.get(m.group(1)) or int(m.group(1))
    y = int(m.group(2)) if m.group(2) else today.year
    a, b = quarter_window(y, q)
    return a, b, f"quý {('I', 'II', 'III', 'IV')[q - 1]}/{y}"


@_rule(r"\b(?:6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?\b|\bnua\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?\b")
def _half_year(m, today):
    half = m.group(1) or m.group(3)
    y = int(m.group(2) or m.group(4) or today.year)
    if half == "dau":
        return date(y, 1, 1), date(y, 6, 30), f"6 tháng đầu năm {y}"
    return date(y, 7, 1), date(y, 12, 31), f"6 tháng cuối năm {y}"


@_rule(r"\bthang\s+(\d{1,2})\b(?!\s*(?:/|-)\s*\d)")
def _month_this_year(m, today):
    mo = int(m.group(1))
    return (date(today.year, mo, 1), month_end(today.year, mo), f"tháng {mo}/{today.year}") if 1 <= mo <= 12 else None


@_rule(r"\b(?:trong\s+)?(\d{1,4}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)\s+(ngay|tuan|thang)\s+"
       r"(?:toi|sap toi|toi day|nua|ke tiep|tiep theo)\b")
def _next_n(m, today):
    n = _count(m.group(1))
    if n is None or n > 3660:
        return None
    unit = m.group(2)
    if unit == "thang":
        y, mo = add_months(today.year, today.month, n)
        end = date(y, mo, min(today.day, month_end(y, mo).day))
    else:
        end = today + timedelta(days=n * (7 if unit == "tuan" else 1))
    label = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng"}[unit]
    return today, end, f"trong {n} {label} tới"


@_rule(rf"\btuan\s+(nay|{_NEXT}|{_PREV})\b")
def _week(m, today):
    monday = today - timedelta(days=today.weekday())
    shift = 0 if m.group(1) == "nay" else (-7 if re.fullmatch(_PREV, m.group(1)) else 7)
    a = monday + timedelta(days=shift)
    return a, a + timedelta(days=6), {0: "tuần này", 7: "tuần tới", -7: "tuần trước"}[shift]


@_rule(rf"\bthang\s+(nay|{_NEXT}|{_PREV})\b")
def _this_month(m, today):
    shift = 0 if m.group(1) == "nay" else (-1 if re.fullmatch(_PREV, m.group(1)) else 1)
    y, mo = add_months(today.year, today.month, shift)
    return date(y, mo, 1), month_end(y, mo), f"tháng {mo}/{y}"


@_rule(rf"\bquy\s+(nay|{_NEXT}|{_PREV})\b")
def _this_quarter(m, today):
    shift = 0 if m.group(1) == "nay" else (-1 if re.fullmatch(_PREV, m.group(1)) else 1)
    k = today.year * 4 + (today.month - 1) // 3 + shift
    y, q = k // 4, k % 4 + 1
    a, b = quarter_window(y, q)
    return a, b, f"quý {('I', 'II', 'III', 'IV')[q - 1]}/{y}"


@_rule(rf"\bnam\s+(nay|{_NEXT}|{_PREV})\b")
def _this_year(m, today):
    y = today.year + (0 if m.group(1) == "nay" else (-1 if re.fullmatch(_PREV, m.group(1)) else 1))
    return date(y, 1, 1), date(y, 12, 31), f"năm {y}"


@_rule(r"\bhom nay\b")
def _today(m, today):
    return today, today, "hôm nay"


@_rule(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/.-])")
def _year(m, today):
    y = int(m.group(1))
    return date(y, 1, 1), date(y, 12, 31), f"năm {y}"


def parse_window(folded: str, today: date) -> Window | None:
    """The due-date window a folded question names, or None. Each part of the question is read
    once (a month's year is not read again as a year); several parts narrow the window."""
    text = folded
    window = Window()
    for pattern, handler in _RULES:
        for m in list(pattern.finditer(text)):
            got = handler(m, today)
            if got is None:
                continue
            start, end, label = got
            window.narrow(start, end, label, m.span())
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return window if window.spans else None


_RANGE_YEARS = re.compile(r"(?<![\d/])((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)(?![\d/])")


def mask_year_ranges(folded: str) -> str:
    """'nhiệm kỳ 2025-2030' names a term, not a deadline window: blank it before `parse_window`."""
    return _RANGE_YEARS.sub(lambda m: " " * len(m.group(0)), folded)
