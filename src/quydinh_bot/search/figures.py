"""Which figure of a clause a 'how many' question asks for.

A clause often holds several figures ("kết nạp tối thiểu 500 đảng viên là học sinh, sinh viên và 350 đảng
viên trong doanh nghiệp"; "Cán bộ trẻ từ 15% trở lên, cán bộ nữ từ 25% trở lên"). The clause is cut into
segments (at ';', ', ', sentence ends; a bracket is a segment of its own; ', chiếm 41,3%' stays with the
count before it; a list header before ':' belongs to no item), and each figure is scored by the IDF of the
question's topical words in its segment, twice over in the words that follow it ('350 đảng viên trong doanh
nghiệp'). A question about a share prefers a percentage, one about a number a count; figures the question
itself names ('18-30 tuổi') are not the answer."""
from __future__ import annotations

import re
from typing import NamedTuple

from quydinh_bot.language.text import fold

# counts ("1.340", "12", "02"), shares ("3,2%"), and "1.340/3.850" (done of planned)
FIGURE = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})+/\d{1,3}(?:\.\d{3})+|\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?\s?%"
                    r"|\d+(?:,\d+)?)"
                    r"(?![\w/-]|[.,]\d)")
_NOT_A_FIGURE_BEFORE = re.compile(r"(?:(?<!tổng )(?<!Tổng )(?<!thiểu )(?<!đa )\bsố\s*"
                                  r"|\b(?:khóa|khoá|đợt|lần thứ|mục|điều|khoản|quý|tháng|ngày"
                                  r"|nhiệm kỳ|giai đoạn)\s*|[-–]\s*)$", re.IGNORECASE)
UNIT = re.compile(r"\s*((?:%|[^\W\d_]+)(?:\s+[^\W\d_]+){0,2})")
_MAJOR = re.compile(r";|\.\s|\.$")
_MINOR = re.compile(r",\s")
_SHARE_BASE = re.compile(r"(?:%|\btrên|\bso với)\s*tổng số\b", re.IGNORECASE)
_LEVEL = re.compile(r"\bcap (tinh|xa|co so|huyen|trung uong)\b")
_JOINS_PREVIOUS = re.compile(r"\s*(chiếm|chiem|bằng|bang|đạt tỷ lệ|đạt tỉ lệ|tương đương)\b", re.IGNORECASE)
_WANTS_SHARE = re.compile(r"%|\bphan tram\b|\bty le\b|\bti le\b|\bchiem\b")
_AFTER_WORDS = 6


def figures(text: str) -> list[re.Match]:
    """Counts and percentages in `text`; years, dates and clause or document numbers are not
    figures ('năm 2026', 'số 21', 'khóa XIII', '19/5/2026')."""
    out = []
    for m in FIGURE.finditer(text):
        value = m.group(1)
        if re.fullmatch(r"(19|20)\d\d", value) or _NOT_A_FIGURE_BEFORE.search(text[max(0, m.start() - 14):m.start()]):
            continue
        if re.match(r"\s*[-–]\s*\d", text[m.end():]):
            continue  # the first bound of a range ('từ 18 - 30 tuổi')
        out.append(m)
    return out


def _blank_brackets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with its bracketed asides blanked (same length), and the asides' (start, end)."""
    outer = list(text)
    inner: list[tuple[int, int]] = []
    for m in re.finditer(r"\(([^()]*)\)", text):
        inner.append((m.start(1), m.end(1)))
        outer[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(outer), inner


def segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of `text` that each say one thing: split at ';' and sentence ends, then
    at ', ' — a piece without a figure goes with the next piece that has one ('kiểm tra viên chính, kiểm
    tra viên đối với 27 đồng chí'), ', chiếm 41,3%' stays with the count before it. Bracketed asides are
    segments of their own (and blank in the text around them)."""
    flat, inner = _blank_brackets(text)
    spans: list[tuple[int, int]] = []
    for lo, hi, source in [(0, len(text), flat)] + [(a, b, text) for a, b in inner]:
        for major in _pieces(source, lo, hi, _MAJOR):
            pieces: list[tuple[int, int]] = []
            pending = None
            for a, b in _pieces(source, major[0], major[1], _MINOR):
                if pending is not None:
                    a, pending = pending, None
                if pieces and _JOINS_PREVIOUS.match(source[a:b]):
                    pieces[-1] = (pieces[-1][0], b)
                elif not figures(source[a:b]):
                    pending = a
                else:
                    pieces.append((a, b))
            if pending is not None:
                if pieces:
                    pieces[-1] = (pieces[-1][0], major[1])
                elif source[pending:major[1]].strip():
                    pieces.append((pending, major[1]))
            spans.extend(pieces)
    return spans


def _pieces(source: str, lo: int, hi: int, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], lo
    for m in sep.finditer(source, lo, hi):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, hi))
    return [(a, b) for a, b in out if source[a:b].strip()]


def _context(source: str, span: tuple[int, int], fig_start: int) -> str:
    """The words of the segment that name what its figure counts: after a list header's ':' unless the
    figure follows the colon directly ('Cán bộ nữ: 99 đồng chí' keeps its label); without the base of a
    share ('chiếm 29,93% tổng số TCCSĐ', 'trên tổng số cán bộ …')."""
    a, b = span
    seg = source[a:b]
    cut = seg.rfind(":", 0, max(0, fig_start - a))
    if cut >= 0 and not re.match(r"\s*(?:có\s+|là\s+)?\d", seg[cut + 1:]):
        seg = seg[cut + 1:]
    base = _SHARE_BASE.search(seg)
    return seg[:base.start()] if base else seg


def _held(words: str, w: str) -> bool:
    return bool(re.search(rf"(?<![\w]){re.escape(w.replace('_', ' '))}(?![\w])", words))


_PART = re.compile(r"\btrong do\b")
_NUMBER_WORD = re.compile(r"[\d/.,-]+")


def _whole_before_part(text: str, m: re.Match) -> str | None:
    """The words of the whole when the figure `m` states a part of it ("Tỷ lệ kết nạp … đạt 3,2%; trong
    đó kết nạp tối thiểu 500 …": the words of its sentence before "trong đó"), else None."""
    folded = fold(text[:m.start()])
    at = None
    for p in _PART.finditer(folded):
        at = p
    if at is None:
        return None
    before = text[:at.start()]
    start = max(before.rfind(". "), before.rfind(":")) + 1  # the sentence (a ';' part belongs to it)
    return before[start:]


def asked_figure(text: str, weights: dict[str, float], question: str,
                 short: dict[str, list[str]] | None = None) -> re.Match | None:
    """The figure of `text` the question asks for. `weights`: the question's topical words (folded,
    pyvi '_' compounds) -> IDF; `question`: the folded question; `short`: short form -> its expansion's words."""
    return asked_figure_held(text, weights, question, short).match


class FigurePick(NamedTuple):
    """The figure a question asks for in one clause (None when the clause states none), the share of the
    question's topical weight its words hold (0..1: "350 đảng viên trong doanh nghiệp" holds little of
    "thành lập mới bao nhiêu tổ chức cơ sở đảng"), and whether it is only a part of what was asked ("…
    kết nạp đảng viên …; trong đó, kết nạp 1.750 đảng viên trong các doanh nghiệp" for "chỉ tiêu kết nạp
    đảng viên")."""

    match: re.Match | None
    held: float
    part: bool


def asked_figure_held(text: str, weights: dict[str, float], question: str,
                      short: dict[str, list[str]] | None = None) -> FigurePick:
    """`asked_figure` with what it holds of the question (FigurePick)."""
    found = figures(text)
    if not found:
        return FigurePick(None, 0.0, False)
    total = sum(weights.values()) or 1.0
    spans = segments(text)
    flat, inner = _blank_brackets(text)
    levels = set(_LEVEL.findall(question))
    wants_share = bool(_WANTS_SHARE.search(question))
    named = set(re.findall(r"\d+(?:[.,]\d+)*", question))
    best, best_key, best_held, best_part = None, None, 0.0, False
    for pos, m in enumerate(found):
        value = m.group(1)
        if value.rstrip("% ") in named and len(found) > 1:
            continue
        around = [s for s in spans if s[0] <= m.start() < s[1]] or [(max(0, m.start() - 60), m.end())]
        span = min(around, key=lambda s: s[1] - s[0])  # the innermost: an aside's figure reads its aside
        source = text if any(a <= span[0] and span[1] <= b for a, b in inner) else flat
        ctx = fold(_context(source, span, m.start()))
        nxt = next((f.start() for f in found[pos + 1:] if f.start() < span[1]), span[1])
        after = fold(" ".join(source[m.end():nxt].split()[:_AFTER_WORDS]))
        for abbr, words in (short or {}).items():
            for part, extra in ((ctx, "ctx"), (after, "after")):
                if _held(part, abbr):
                    if extra == "ctx":
                        ctx += " " + " ".join(w.replace("_", " ") for w in words)
                    else:
                        after += " " + " ".join(w.replace("_", " ") for w in words)
        score = sum(w_ * (2.0 if _held(after, w) else 1.0) for w, w_ in weights.items() if _held(ctx, w))
        named_levels = set(_LEVEL.findall(ctx))
        if levels and named_levels and not levels & named_levels:
            score *= 0.5  # "cấp xã" asked, this figure is about "cấp tỉnh"
        whole = _whole_before_part(text, m)
        # (a year or number the question names is a filter, not what tells a part from the whole)
        is_part = whole is not None and not any((_held(ctx, w) or _held(after, w)) and not _held(fold(whole), w)
                                             for w in weights if not _NUMBER_WORD.fullmatch(w))
        if is_part and whole is not None and figures(whole):
            score *= 0.5  # "…; trong đó 500 … là học sinh": a part, while the question names only the whole
        share = value.endswith("%")
        fits = share == wants_share
        key = (score * (1.3 if fits else 1.0), fits, -pos)
        if best_key is None or key > best_key:
            best, best_key, best_part = m, key, is_part
            best_held = sum(w_ for w, w_ in weights.items() if _held(ctx, w) or _held(after, w)) / total
    return FigurePick(best, best_held, best_part)


# -- what the answer's first line says of the asked figure ----------------------------------------
# the question asks for a number: "bao nhiêu", "mấy người", "tỷ lệ", "số lượng", "tổng số"; "chỉ tiêu … là gì"
# asks the target itself, which may be words
ASKS_NUMBER = re.compile(r"\bbao nhieu\b|\bmay (?!gio\b)[a-z]+|\bty le\b|\bti le\b|\bphan tram\b|\bso luong\b"
                         r"|\btong so\b|\bcon so\b|%")


def asks_number(folded_question: str) -> bool:
    """The (folded) question asks for a count, share or amount."""
    return bool(ASKS_NUMBER.search(folded_question))


# a number written in words: "hai phần ba", "một nửa", "Ba tháng", "bốn người"
_WORDS_NUMBER = re.compile(r"\b(?:mot nua|(?:mot|hai|ba|bon|nam) phan (?:hai|ba|tu|nam|muoi|tram)"
                           r"|(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|tram|nghin) (?:ngay|thang|nam|tuan|gio"
                           r"|buoi|lan|nguoi|dong chi|thanh vien|dang vien|dai bieu|dong|trieu|phan tram))\b")


# An amount of money is asked by "bao nhiêu tiền", "số tiền", or by what is paid ("mức lương", "phụ cấp", "học
# phí", "lệ phí", "kinh phí", "mức phạt", "tiền điện thoại … bao nhiêu") — unless another unit is asked ("tối đa mấy
# tháng", "bao nhiêu phần trăm"). Folded, "tiền" is also "tiến sĩ", "tiến độ", "phương tiện", "thuận tiện".
_MONEY_NOUN = re.compile(r"\b(?:muc luong|tien luong|luong (?:co so|toi thieu)|phu cap|hoc phi|le phi|chi phi|kinh phi"
                         r"|muc phat|tien phat|muc chi)\b"
                         r"|(?<!phuong )(?<!thuan )(?<!cai )\btien\b"
                         r"(?!\s+(?:si|do|hanh|trinh|bo|te|len|toi|ich|loi|nghi|phong|quan|ve|tuyen|phuong)\b)")
_OTHER_UNIT = re.compile(r"\b(?:bao nhieu|may|toi da|toi thieu)\s+(?:ngay|thang|nam|tuan|gio|buoi|lan|nguoi|dong chi"
                         r"|don vi|dang vien|phan tram)\b|\bty le\b|\bti le\b|%")
# an amount of money as the text writes it: "1.500.000 đồng", "1,5 triệu đồng", "500.000đ", "2 tỷ" (folded)
_MONEY = re.compile(r"\d[\d.,]*\s*(?:dong\b(?!\s+chi\b)|d\b|vnd\b|trieu\b|ty\b|nghin dong\b|ngan dong\b)")


def asks_money(folded_question: str) -> bool:
    """The (folded) figure question asks an amount of money ("học phí … bao nhiêu", "bao nhiêu tiền")."""
    return bool(_MONEY_NOUN.search(folded_question)) and not _OTHER_UNIT.search(folded_question)


# The unit of the number asked, when the question names it: "bao nhiêu năm", "tối đa mấy tháng", "ít nhất bao
# nhiêu ngày", "bao lâu" (a length of time), "bao nhiêu tuổi", "mấy lần". ("mấy giờ" asks a time of day: not here.)
_ASKED_UNIT = re.compile(r"\b(?:(?:bao nhieu|toi da|toi thieu|it nhat|nhieu nhat)\s+(nam|thang|ngay|tuan|gio|buoi|tiet"
                         r"|phut|tuoi|lan)|may\s+(nam|thang|ngay|tuan|buoi|tiet|phut|tuoi|lan)|bao (lau))\b")
_TIME_UNITS = ("nam", "thang", "quy", "ngay", "tuan", "gio", "buoi", "tiet", "phut")
_COUNT = (r"(?<!ngay )(?<!thang )(?:\d+(?:[.,]\d+)?|mot|hai|ba|bon|nam|sau|bay|tam|chin"
          r"|muoi(?: (?:mot|hai|ba|bon|lam|nam|sau|bay|tam|chin))?|(?:hai|ba|bon) muoi|nua)")
_STATED_UNIT = {
    # a length of time in any unit of time ("1,5 ngày", "Ba tháng", "60 tháng", "05 ngày làm việc"), or a period
    # ("hằng năm", "định kỳ hằng quý", "mỗi tháng"): never a date ("năm 2026", "ngày 06 tháng 7 năm 2026") or a
    # clock time
    "time": re.compile(rf"\b{_COUNT}\s*(?:{'|'.join(_TIME_UNITS)})\b|\b(?:hang|moi) (?:{'|'.join(_TIME_UNITS)})\b"),
    "tuoi": re.compile(rf"\b{_COUNT}\s*tuoi\b"),
    "lan": re.compile(rf"\b{_COUNT}\s*lan\b(?! thu\b)"),
}


def asked_unit(folded_question: str) -> str:
    """The unit of the number the (folded) question asks: 'time' (a length or period of time), 'tuoi' (an age),
    'lan' (how many times), or '' when it names none."""
    m = _ASKED_UNIT.search(folded_question)
    if not m:
        return ""
    unit = m.group(1) or m.group(2) or "time"
    return unit if unit in ("tuoi", "lan") else "time"


def states_unit(unit: str, text: str) -> bool:
    """The clause (its text and deadline, as one string) states a number of the asked unit (asked_unit)."""
    return bool(_STATED_UNIT[unit].search(fold(text)))


def states_figure(folded_question: str, text: str, deadline: str = "") -> bool:
    """The clause (its text, and its deadline's text: "sau 05 ngày") states a figure of the kind asked:
    an amount of money for "bao nhiêu tiền", a number of the unit asked for "bao nhiêu năm" (asked_unit), a
    percentage for a share question, any count or share otherwise — in digits or in words ("hai phần ba số
    đảng viên", "Ba tháng")."""
    if asks_money(folded_question):
        return bool(_MONEY.search(fold(text)))
    if unit := asked_unit(folded_question):
        return states_unit(unit, text + " " + deadline)
    found = [m.group(1) for m in figures(text)] + [m.group(1) for m in figures(deadline)]
    if _WORDS_NUMBER.search(fold(text + " " + deadline)):
        found.append("%" if re.search(r"\bphan (?:tram|hai|ba|tu|nam)\b|\bnua\b", fold(text)) else "1")
    if _WANTS_SHARE.search(folded_question) and any(v.endswith("%") for v in found):
        return True
    return bool(found) and not (_WANTS_SHARE.search(folded_question) and re.search(r"\bphan tram\b|%",
                                                                                   folded_question))


_PHRASE_OPENERS = re.compile(r"^(?:(?:trong đó|theo đó|cụ thể|đồng thời|và|còn)\s*[,:]?\s+)+", re.IGNORECASE)
_AND = re.compile(r"\s(?:và|hoặc)\s")
_COMMA = re.compile(r",\s")
PHRASE_LIMIT = 160
_HEADER_LIMIT = 70


def _cut(text: str, lo: int, hi: int) -> re.Match | None:
    """Where the phrase of one figure ends and the next one's begins, between `lo` (the end of the first
    figure) and `hi` (the start of the second): the last 'và'/'hoặc', else the first ', ' (a list's items)
    — never before a share that goes with the count before it (', chiếm 21,1%')."""
    ands = [j for j in _AND.finditer(text, lo, hi)]
    if ands:
        return ands[-1]
    return next((j for j in _COMMA.finditer(text, lo, hi) if not _JOINS_PREVIOUS.match(text, j.end() - 1)), None)


def figure_phrase(text: str, m: re.Match) -> str:
    """The words of `text` that state the figure `m` as a whole phrase ("kết nạp khoảng trên 1.750 đảng viên
    trong các doanh nghiệp"): its sentence (or ';' part), from the join after the figure before it to the join
    before the figure after it, a list header before ':' kept in front, without an opening "trong đó,",
    shortened at whole words beyond PHRASE_LIMIT."""
    flat, _ = _blank_brackets(text)
    a, b = next(((x, y) for x, y in _pieces(flat, 0, len(text), _MAJOR) if x <= m.start() < y), (0, len(text)))
    aside = flat[m.start()] == " " and text[m.start()] != " "
    others = [f for f in figures(text if aside else flat) if a <= f.start() < b and f.start() != m.start()]
    before = [f for f in others if f.end() <= m.start()]
    after = [f for f in others if f.start() >= m.end()]
    header = ""
    colon = flat.rfind(":", a, m.start())
    if colon >= 0 and not re.match(r"\s*(?:có\s+|là\s+)?\d", text[colon + 1:]):
        if 0 < colon - a <= _HEADER_LIMIT:
            header = text[a:colon].strip()
        a = colon + 1
    if before and (j := _cut(text, max(a, before[-1].end()), m.start())):
        a = j.end()
    elif before and header:
        header = ""
    if after and (j := _cut(text, m.end(), after[0].start())):
        b = j.start()
    lo, hi = a, b
    if hi - lo > PHRASE_LIMIT:  # whole words around the figure
        lo = max(lo, m.start() - PHRASE_LIMIT // 2)
        hi = min(hi, m.end() + PHRASE_LIMIT // 2)
        if lo > a:
            lo = text.find(" ", lo) + 1 or lo
        if hi < b and (space := text.rfind(" ", m.end(), hi)) > m.end():
            hi = space
    phrase = _PHRASE_OPENERS.sub("", text[lo:hi].strip(" ,;:."))
    phrase = ("… " if lo > a else "") + phrase + (" …" if hi < b else "")
    if header and not phrase.startswith("…"):
        return f"{header[:1].upper()}{header[1:]}: {'… ' if before else ''}{phrase}"
    return phrase[:1].upper() + phrase[1:]
