"""Deadlines: keep the document's wording, add the last allowed day and a kind.

`Trước 31/8/2025` -> 2025-08-31 (date); `Quý IV/2022` -> 2022-12-31 (quarter);
`Tháng 03/2026` -> 2026-03-31 (month); `trong năm 2030` -> 2030-12-31 (year);
`Thực hiện thường xuyên`, `hằng năm` (recurring); `Sau khi có hướng dẫn của Trung ương`
(conditional); `Đã hoàn thành` (done). When several apply, the one that names a day wins
for `due`, and the kind says how precise it is.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from quydinh_bot.language.text import fold, normalize
from quydinh_bot.records import Deadline

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?![\d/])")
_LONG_DATE = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b")  # "ngày 15 tháng 12 năm 2025"
_MONTH_RANGE = re.compile(r"\bthang\s+(\d{1,2})\s*[-–]\s*(\d{1,2})\s*/\s*(\d{4})")
_MONTH = re.compile(r"\bthang\s+(\d{1,2})\s*/\s*(\d{4})")
_MONTH_LOOSE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{4})(?![\d/])")
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i)\s*(?:/|nam)\s*(\d{4})")
_YEAR = re.compile(r"\b(?:trong|den|vao|hoan thanh(?: xong)?(?: trong)?|truoc|het)\s+(?:nam\s+)?(\d{4})\b"
                   r"|\bnam\s+(\d{4})(?:\s*,\s*(\d{4}))*")
_FROM_YEAR = re.compile(r"\btu\s+(?:nam\s+)?\d{4}")
_DONE = re.compile(r"\bda hoan thanh\b")
_RECURRING = re.compile(r"thuong xuyen|hang nam|hang quy|hang thang|dinh ky|cuoi quy|moi nam")
_CONDITIONAL = re.compile(
    r"\b(sau khi|khi co|theo (?:ke hoach|huong dan|quy dinh|thong tri|van ban|du tru)|ngay sau|sau dai hoi|"
    r"truoc dai hoi|cham nhat|sau \d+ ngay|sau khi co|truoc khi|ke tu|tai ky hop|ngay sau)"
)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def month_end(y: int, m: int) -> date:
    """The last day of month `m` of year `y` (the due date of "trong tháng 9/2025")."""
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    try:
        return month_end(y, m).isoformat()
    except ValueError:  # a year outside the calendar's range
        return None


def parse_deadline(text: str | None) -> Deadline | None:
    """Parse a deadline cell or phrase; None when the text is empty."""
    if text is None:
        return None
    shown = re.sub(r"\s+", " ", normalize(text)).strip()
    if not shown:
        return None
    key = fold(shown)
    # "từ quý IV năm 2025 đến hết năm 2030": only the end of a span is a deadline
    if m := re.search(r"\btu\b.*?\bden\b(.*)$", key):
        key = m.group(1)
    due: str | None = None
    kind: str | None = None
    if _DONE.search(key):
        return Deadline(shown, None, "done")
    written = [_iso(int(y), int(m), int(d)) for d, m, y in _DATE.findall(key) + _LONG_DATE.findall(key)]
    dates = [d for d in written if d]
    if dates:
        due, kind = max(dates), "date"
    elif m := _MONTH_RANGE.search(key):
        due, kind = _month_end(int(m.group(3)), int(m.group(2))), "month"
    elif m := _MONTH.search(key):
        due, kind = _month_end(int(m.group(2)), int(m.group(1))), "month"
    elif m := _QUARTER.search(key):
        q, y = _ROMAN[m.group(1)], int(m.group(2))
        due, kind = _month_end(y, q * 3), "quarter"
    else:
        cleaned = _FROM_YEAR.sub(" ", key)  # "thực hiện từ năm 2023" is a start, not a due date
        years = []
        for m in _YEAR.finditer(cleaned):
            years += [int(g) for g in re.findall(r"\d{4}", m.group(0))]
        if years:
            due, kind = _iso(max(years), 12, 31), "year"
        elif (m := _MONTH_LOOSE.search(key)) and ("thang" in key or key.startswith(m.group(0))):
            due, kind = _month_end(int(m.group(2)), int(m.group(1))), "month"
    if kind is None:
        if _CONDITIONAL.search(key):
            kind = "conditional"
        elif _RECURRING.search(key):
            kind = "recurring"
    if kind is None and due is None:
        return Deadline(shown, None, None)
    return Deadline(shown, due, kind)


# Words that make an italic parenthetical a deadline rather than a remark.
_DEADLINE_WORDS = re.compile(
    r"^(thuc hien|hoan thanh|xong (?:trong|truoc)|truoc|trong nam|trong quy|quy [iv]+|thang \d|nam \d{4}|hang nam|"
    r"thuong xuyen|"
    r"sau khi|khi co|theo (?:quy dinh|huong dan|ke hoach)|tu (?:quy|thang|nam) .*\bden\b|den (?:het )?nam \d{4})"
)


def is_deadline_phrase(text: str) -> bool:
    """True for phrases like 'thực hiện thường xuyên', 'hoàn thành trong năm 2030'."""
    return bool(_DEADLINE_WORDS.search(fold(text)))


# A deadline written into a sentence rather than a cell: "trong thời hạn 15 ngày làm việc (kể từ khi
# nhận được công văn)", "chậm nhất là ngày 15 tháng 12 năm 2025", "không để chậm quá 30 ngày làm việc",
# "định kỳ (3 tháng 1 lần)", "Định kỳ hằng năm (vào cuối quý III)", "hằng năm"; the period of a legal
# act's step ("trong khoảng thời gian từ ngày 01 tháng 12 năm 2025 đến ngày 10 tháng 12 năm 2025"); a
# step tied to another ("trước khi cấp ủy … quyết định", "Ngay sau hội nghị hiệp thương lần thứ hai");
# a report due at the council's next session ("tại kỳ họp gần nhất", Luật Tổ chức chính quyền địa phương).
_DAY = r"ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\s*/\s*\d{1,2}\s*/\s*\d{4})"
_WORDS = r"(?:\s+[^\s,;.()]+){{1,{n}}}"
# what a plan's sentence is due by: "trước ngày 30/9/2026", "trước ngày 15/12 hằng năm", and after
# "hoàn thành" / "xong" a month, quarter or year ("hoàn thành trong quý III/2026", "xong trong năm 2026")
_BY_DAY = r"trước\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4}|(?:\s+(?:hằng|hàng)\s+năm))"
_PERIOD = (r"(?:tháng\s+\d{1,2}\s*(?:/|năm)\s*\d{4}|quý\s+[IV]+\s*(?:/|năm)\s*\d{4}|năm\s+\d{4}|"
           r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_DONE_BY = r"(?:hoàn thành|xong)(?:\s+xong)?\s+(?:trước|trong)\s+(?:ngày\s+)?" + _PERIOD
_IN_TEXT = re.compile(
    r"(?:" + _DONE_BY + r"|" + _BY_DAY
    + r"|(?:trong (?:khoảng )?thời gian\s+)?từ\s+" + _DAY + r"\s+đến\s+(?:hết\s+)?" + _DAY +
    r"|trong (?:(?:thời hạn|vòng)\s+)?\d+\s+(?:ngày|tháng)(?:\s+làm việc)?(?:\s+kể từ" + _WORDS.format(n=8) + r")?"
    r"|(?:chậm nhất(?:\s+là)?|không\s+(?:để\s+)?chậm quá|không quá)\s+[^,;.()]{2,50}"
    r"|định kỳ(?:\s+(?:hằng|hàng)\s+(?:năm|quý|tháng)|\s+\d+\s+tháng(?:\s+(?:một|1)\s+lần)?)?"
    r"(?:\s*(?:,|và)\s*(?:quý|năm|\d+\s+tháng)\b)*(?:\s*\([^()]{2,40}\))?"
    r"|(?<!\w)trước khi" + _WORDS.format(n=10) + r"|(?<![\w,] )(?<!\w)ngay sau" + _WORDS.format(n=10) +
    r"|(?<!\w)ngay sau khi" + _WORDS.format(n=10) +  # "… cập nhật … ngay sau khi hoàn thành việc …"
    r"|tại kỳ họp (?:thường lệ )?gần nhất"
    r"|(?:hằng|hàng)\s+năm)",
    re.IGNORECASE)


def deadlines_in_text(text: str) -> list[str]:
    """Every deadline phrase written into a text, as printed, in reading order (a clause with
    several steps has several: "trong thời hạn 15 ngày …; … trong thời hạn 30 ngày …")."""
    out = []
    for m in _IN_TEXT.finditer(normalize(text or "")):
        phrase = m.group(0).strip()
        if fold(phrase) in {"dinh ky"} and "(" not in phrase:
            continue
        if phrase not in out:
            out.append(phrase)
    return out


_DUE = re.compile(_DONE_BY + r"|" + _BY_DAY, re.IGNORECASE)


def is_due_phrase(phrase: str) -> bool:
    """A phrase that names when work must be done by ("hoàn thành trước ngày 30/9/2026", "trước ngày
    15/12 hằng năm"), as against a rhythm or a step's condition ("định kỳ hằng quý", "trước khi …")."""
    return bool(_DUE.fullmatch(normalize(phrase).strip()))


def deadline_in_text(text: str) -> str | None:
    """The first deadline phrase written into a sentence, as printed; None when there is none."""
    found = deadlines_in_text(text)
    return found[0] if found else None
