"""The values a question can ask about, found in clause text: figures, dates, document numbers,
and the short task phrase a question quotes. Shared by the builders (to make questions) and the
rules (to check them), so both read a clause the same way."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quydinh_bot.documents.document import KINDS
from quydinh_bot.language.bodies import BodyMatch, body_of_label
from quydinh_bot.language.bodies import find_bodies as _find_bodies
from quydinh_bot.language.text import fold, normalize
from quydinh_bot.records import Clause

UNITS = ("tổ chức cơ sở đảng", "tổ chức đảng", "đảng viên", "đồng chí", "trường hợp", "chi bộ", "đảng bộ",
         "TCCSĐ", "nhiệm vụ", "người", "lượt", "lớp", "công chức", "cán bộ", "đơn vị hành chính", "đơn vị", "đơn",
         "Huy hiệu Đảng")
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
FIGURE = re.compile(rf"(?<![\w/.,\-–])(\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,(\d+))?(?:\s?(%)|\s({_UNIT_ALT}))(?![\w/])",
                    re.IGNORECASE)
DATE = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\w/])")
DOC_KINDS = tuple(kind.capitalize() for kind in KINDS)  # the one kind table documents are read by
DOCREF = re.compile(rf"\b({'|'.join(DOC_KINDS)})\s+số\s+(\d+-[\wĐđ]+(?:/[\wĐđ]+)+)", re.IGNORECASE)
DOCNUM = re.compile(r"^\d+-[\wĐđ]+(?:/[\wĐđ]+)+$")
# words a sentence or a quoted phrase must not end on (it would dangle)
FUNCTION_WORDS = {"của", "và", "các", "những", "với", "cho", "theo", "về", "tại", "trong", "để", "từ", "đến",
                  "là", "được", "có", "bị", "do", "như", "hoặc", "hay", "thì", "mà", "nhằm", "gồm", "đối",
                  "trên", "dưới", "sau", "trước", "giữa", "vào", "ra", "một", "số", "việc", "cùng", "đã", "sẽ",
                  "đang", "không", "chưa", "rằng", "nhất", "là,"}


@lru_cache(maxsize=65536)
def _find_bodies_cached(text: str) -> tuple[BodyMatch, ...]:
    return tuple(_find_bodies(text))


def find_bodies(text: str) -> tuple[BodyMatch, ...]:
    """bodies.find_bodies, remembered: the builders and the rules ask about the same texts often."""
    return _find_bodies_cached(text or "")


@dataclass(frozen=True)
class Figure:
    text: str  # as printed: "3,2%", "08 tổ chức đảng"
    value: float
    unit: str  # "%" or the unit word(s), lower-case (the comparison key)
    start: int
    end: int
    width: int  # digits of the integer part as printed ("08" -> 2), to keep leading zeros
    unit_text: str = ""  # the unit as printed ("Huy hiệu Đảng")


def _number(int_part: str, dec: str | None) -> float:
    return float(int_part.replace(".", "") + ("." + dec if dec else ""))


def figures(text: str) -> list[Figure]:
    out = []
    for m in FIGURE.finditer(text):
        unit = "%" if m.group(3) else normalize(m.group(4)).lower()
        out.append(Figure(m.group(0), _number(m.group(1), m.group(2)), unit, m.start(), m.end(),
                          len(m.group(1)) if m.group(1).startswith("0") else 0, m.group(3) or m.group(4)))
    return out


def format_number(value: float, width: int = 0) -> str:
    """Vietnamese style: 1.340 / 3,2 / 08."""
    if abs(value - round(value)) < 1e-9:
        s = f"{int(round(value)):,}".replace(",", ".")
        return s.zfill(width) if width and len(s) < width else s
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def format_figure(value: float, unit: str, width: int = 0) -> str:
    num = format_number(value, width)
    return f"{num}%" if unit == "%" else f"{num} {unit}"


def parse_figure(option: str) -> Figure | None:
    """An option that is exactly one figure, or None."""
    fs = figures(option.strip())
    return fs[0] if len(fs) == 1 and fs[0].text == option.strip() else None


@lru_cache(maxsize=8192)
def body_name(option: str) -> str | None:
    """Canonical name when the option is one gazetteer body (or a list of them), else None."""
    return body_of_label(option)


def body_keys(text: str) -> set[str]:
    """Canonical bodies named in a text, as folded keys."""
    return {fold(m.canonical) for m in find_bodies(text)}


@lru_cache(maxsize=8192)
def option_kind(option: str) -> str | None:
    """What an option is, so that distractors can be checked to be "of the same kind"."""
    o = option.strip()
    if o in ("Đúng", "Sai"):
        return "truth"
    f = parse_figure(o)
    if f is not None:
        return "percent" if f.unit == "%" else f"count:{f.unit}"
    if DATE.fullmatch(o):
        return "date"
    if DOCNUM.match(o):
        return "docref"
    from quydinh_bot.parse.deadlines import parse_deadline

    d = parse_deadline(o)
    if d is not None and d.due and d.kind in ("date", "month", "quarter", "year"):
        return "time"
    if body_name(o):
        return "body"
    return None


def evidence(c: Clause) -> str:
    """Everything the clause states: its text, its table cells and the headings it sits under
    (a section heading may be the lead, an appendix month heading the deadline)."""
    parts = [c.text, *c.cells.values(), *c.heading_path]
    if c.deadline:
        parts.append(c.deadline.text)
    return normalize(" | ".join(p for p in parts if p))


_SPLIT = re.compile(r"(?<=;)\s+|(?<=[.!?])\s+(?=[A-ZÀ-ỸĐ])")


def segments(text: str) -> list[tuple[int, str]]:
    """Sentences and semicolon parts of a text with their offsets."""
    out, pos = [], 0
    for part in _SPLIT.split(text):
        start = text.find(part, pos)
        pos = start + len(part)
        out.append((start, part))
    return out


def is_function_word(word: str) -> bool:
    """Compared with accents kept: "sở" (office) is not "số" (number), "cơ" is not "có"."""
    return normalize(word.strip(",;:“”\"()")).lower() in FUNCTION_WORDS


def trim_end(words: list[str]) -> list[str]:
    while words and (is_function_word(words[-1]) or words[-1] in {"-", "–"}):
        words = words[:-1]
    return words


def balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0 and text.count("“") == text.count("”") and text.count('"') % 2 == 0


def compound_links(words: list[str]) -> list[bool]:
    """joined[i] is True when words[i] and words[i+1] form one word (pyvi segmentation): a cut
    between them would leave half a word. All False when the segmentation cannot be aligned."""
    return list(_compound_links(tuple(words)))


@lru_cache(maxsize=4096)
def _compound_links(words: tuple[str, ...]) -> tuple[bool, ...]:
    from quydinh_bot.language.text import segment

    text = normalize(" ".join(words))
    seg = segment(text)
    if re.sub(r"[\s_]", "", seg) != re.sub(r"\s", "", text):
        return (False,) * len(words)
    glued, count = set(), 0
    for ch in seg:
        if ch == "_":
            glued.add(count)
        elif not ch.isspace():
            count += 1
    ends, total = [], 0
    for w in words:
        total += len(normalize(w))
        ends.append(total)
    return tuple(end in glued for end in ends)


def task_phrase(text: str, max_words: int = 24) -> str | None:
    """The task as a reader recognises it: its first sentence, cut at a comma or semicolon when
    long, never ending on a function word; an ellipsis marks a cut. None when nothing usable."""
    text = normalize(text).strip()
    if not text or body_of_label(text):  # "Ban Tổ chức Tỉnh ủy:" heads a group; it is not a task
        return None
    first = segments(text)[0][1]
    first = first.rstrip(" .;:")
    # drop a trailing parenthetical deadline "(thực hiện thường xuyên)" — it is not the task
    first = re.sub(r"\s*\([^()]*\)$", "", first).strip()
    words = first.split()
    if len(words) < 4:
        return None
    cut = False
    if len(words) > max_words:
        head = " ".join(words[:max_words])
        at = max(head.rfind(","), head.rfind(";"))
        if at > 0 and len(head[:at].split()) >= 14:
            words = head[:at].split()
        else:
            joined = compound_links(words)
            end = max_words
            while end > 4 and joined[end - 1]:  # never cut a compound word in two ("trung | cấp")
                end -= 1
            words = words[:end]
        cut = True
    words = trim_end(words)
    phrase = " ".join(words).rstrip(",;:-– ")
    if not balanced(phrase):
        phrase = re.sub(r"\s*\([^()]*$", "", phrase)  # an unclosed parenthesis from the cut
        phrase = " ".join(trim_end(phrase.split())).rstrip(",;:-– ")
        cut = True
    if len(phrase.split()) < 4 or not balanced(phrase):
        return None
    return phrase + ("…" if cut else "")


def lower_first(text: str) -> str:
    """Lower-case a sentence's first letter when it is an ordinary word (not a body, an acronym
    or a proper noun), so that it can follow "Theo …, "."""
    if not text:
        return text
    first = text.split()[0]
    if any(m.start == 0 for m in find_bodies(text)) or (len(first) > 1 and first[1:2].isupper()):
        return text
    if fold(first) in {"dang", "nha", "trung", "bo", "tinh", "viet", "ho", "mat", "quoc", "chinh"}:
        return text
    return text[0].lower() + text[1:]


# --- what a clause is: work assigned, or results stated ------------------------------------

# a heading that opens a report's results or an assessment ("I. KẾT QUẢ ĐẠT ĐƯỢC", "2.1. Hạn chế")
_RESULT_HEADING = re.compile(r"^(?:phan thu \w+\.?\s*)?(?:[ivxlc]+|\d+(?:\.\d+)*|[a-z])?[.)]?\s*"
                             r"(ket qua|danh gia|tinh hinh|thuc trang|uu diem|han che|nguyen nhan|bai hoc)\b")
# what makes a figure a target to reach rather than a result reached
TARGET_WORDS = ("phấn đấu", "ít nhất", "tối thiểu", "trở lên", "chỉ tiêu", "mục tiêu", "phân đầu")
_SELF_REFERENCE = re.compile(r"^(?:(?:chương trình|kế hoạch|đề án|báo cáo|nghị quyết|chỉ thị|quy định|hướng dẫn)"
                             r"(?:\s+hành động)?\s+này|trên đây)\b")
_PAST = re.compile(r"^(?:\S+\s+){0,6}?đã\s(?!được)")


def in_results_part(c: Clause) -> bool:
    """Under a heading that reports results or assesses them: what was done, not what is assigned."""
    return any(_RESULT_HEADING.match(fold(h)) for h in c.heading_path)


def states_results(text: str) -> bool:
    """A statistics clause: it states counts or percentages that are not targets ("Cử 02 đồng chí …",
    "đạt 95%"), or reports what was done ("… đã kết nạp 1.234 đảng viên")."""
    t = normalize(text).lower()
    if _PAST.search(t):
        return True
    return bool(figures(t)) and not any(w in t for w in TARGET_WORDS)


def names_body(text: str, body: str) -> bool:
    """Does `text` name `body` (by any of its gazetteer names)?"""
    want = body_keys(body) or {fold(body)}
    return bool(want & body_keys(text)) or fold(body) in fold(text)


def not_work_reason(c: Clause) -> str | None:
    """Why the clause cannot carry a "who leads" question (None when it can): a lead question is
    asked only of a clause that assigns work to a body the document itself names for it."""
    text = normalize(c.text).strip()
    if not c.is_task or not c.lead:
        return "điều khoản không giao nhiệm vụ"
    if c.lead_source == "issuer" and not names_body(" ".join([text, *c.cells.values()]), c.lead):
        return "cơ quan chủ trì chỉ là cơ quan ban hành (mặc định), điều khoản không nêu"
    if c.lead_source not in ("explicit", "section", "issuer"):
        return "điều khoản không nêu cơ quan chủ trì"
    if in_results_part(c):
        return "điều khoản thuộc phần kết quả, đánh giá (báo cáo), không giao việc"
    if states_results(text):
        return "điều khoản nêu số liệu, kết quả, không giao việc"
    if text.endswith(":") and len(text.split()) < 12:
        return "điều khoản chỉ mở đầu một danh sách"
    if _SELF_REFERENCE.match(text.lower()):
        return "điều khoản nói về chính văn bản, không giao việc"
    return None


# --- values of one kind, and how alike they must be to be plausible --------------------------

CENTRAL_BODIES = ("Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư", "Ban Chỉ đạo 35", "Chính phủ",
                  "Quốc hội", "Thủ tướng Chính phủ")


_CENTRAL_KEYS = frozenset(fold(b) for b in CENTRAL_BODIES)


@lru_cache(maxsize=8192)
def body_level(name: str) -> str:
    """central | commune | province: a wrong option is a body of the answer's level."""
    f = fold(name)
    if "trung uong" in f or f in _CENTRAL_KEYS or re.match(r"bo (?!chi huy)", f):
        return "central"
    if re.search(r"\b(xa|phuong|dac khu|cap xa|co so)\b", f):
        return "commune"
    return "province"


def plausible_figure(answer: Figure, other: Figure) -> bool:
    """Same unit, same magnitude: a percentage within 30 points and written to the same precision (a round
    target among decimals is found by its shape), a count within a factor of 3 (or both under 10)."""
    if answer.unit != other.unit:
        return False
    a, b = answer.value, other.value
    if answer.unit == "%":
        return abs(a - b) <= 30 and (abs(a - round(a)) > 1e-9) == (abs(b - round(b)) > 1e-9)
    return max(a, b) < 10 or max(a, b) <= 3 * max(min(a, b), 1e-9)


@lru_cache(maxsize=65536)
def word_keys(text: str) -> tuple[str, ...]:
    """Folded words, numbers kept whole ("1.226", "3,5%"): what "part of" compares."""
    return tuple(re.findall(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+|\d+|/", fold(text)))


@lru_cache(maxsize=65536)
def _spaced(text: str) -> str:
    return f" {' '.join(word_keys(text))} "


def contains_words(hay: str, needle: str) -> bool:
    """`needle`'s words, whole and in order, inside `hay`'s."""
    return bool(word_keys(needle)) and _spaced(needle) in _spaced(hay)


def part_of(a: str, b: str) -> bool:
    """One option is the other with words added ("Tỉnh ủy" / "Văn phòng Tỉnh ủy", "31/7/2025" / "Trước 31/7/2025")."""
    return contains_words(a, b) or contains_words(b, a)


_TIME_EXPR = re.compile(r"(?<![\w/])(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|(?:tháng\s+)?\d{1,2}\s*/\s*\d{4}"
                        r"|quý\s+(?:IV|III|II|I)\s*(?:/|năm)\s*\d{4}|năm\s+\d{4})(?![\w/])", re.IGNORECASE)


def time_expressions(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, due, kind) of every date or period written in a text."""
    from quydinh_bot.parse.deadlines import parse_deadline

    out = []
    for m in _TIME_EXPR.finditer(normalize(text)):
        d = parse_deadline(m.group(0))
        if d is not None and d.due and d.kind:
            out.append((m.start(), m.end(), d.due, d.kind))
    return out


_GENERIC = {"ban", "đảng", "ủy", "tỉnh", "trung", "ương", "các", "và", "cấp"}


def distinctive_runs(answer: str, others: list[str]) -> list[str]:
    """The parts of a body's name that tell it from the other options: its runs of two or more words
    between the generic ones (Ban, Đảng ủy, tỉnh …) holding a word no other option has (accents kept:
    "Quân sự" is not "cơ quan"). "Đảng ủy Công an tỉnh" among "Văn phòng Tỉnh ủy", "Đảng ủy Quân sự tỉnh"
    -> ["công an"]; "Ban Tổ chức Tỉnh ủy" among "Đảng ủy Mặt trận Tổ quốc tỉnh" … -> ["tổ chức"]."""
    shared = {w for o in others for w in normalize(o).lower().split()}
    runs, run = [], []
    for w in [*normalize(answer).lower().split(), "ban"]:
        if w not in _GENERIC:
            run.append(w)
            continue
        if len(run) >= 2 and any(x not in shared for x in run):
            runs.append(" ".join(run))
        run = []
    return runs
