"""The quality rules of a quiz item, as code. `check(item, clause)` lists what is wrong (empty
when the item is good); the builder drops any item with a problem and the tests call the same
function. `check_set(items)` adds the rules that span items (no two ask the same thing)."""
from __future__ import annotations

import re
from functools import lru_cache

from quydinh_bot.language.text import fold, normalize
from quydinh_bot.parse.deadlines import parse_deadline
from quydinh_bot.records import Clause, Deadline

from .items import DIFFICULTIES, TRUE_FALSE, TYPES, QuizItem
from .phrases import (
    DATE,
    DOCREF,
    balanced,
    body_keys,
    body_level,
    contains_words,
    distinctive_runs,
    evidence,
    figures,
    find_bodies,
    is_function_word,
    not_work_reason,
    option_kind,
    parse_figure,
    part_of,
    plausible_figure,
    time_expressions,
    word_keys,
)

_MARKUP = re.compile(r"\*|_|`|<|>|#|\||\\|\[|\]|\{|\}|~|\t|\n")


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """Accent/case-folded key without punctuation: what "distinct" compares."""
    return re.sub(r"[^\w%/]+", " ", fold(text)).strip()


def _sentence_problems(q: str) -> list[str]:
    out = []
    if not q.endswith("?"):
        out.append("câu hỏi không kết thúc bằng dấu ?")
    if not q[:1].isupper():
        out.append("câu hỏi không bắt đầu bằng chữ hoa")
    if _MARKUP.search(q):
        out.append("câu hỏi còn ký hiệu định dạng")
    if "  " in q or q != q.strip():
        out.append("câu hỏi có khoảng trắng thừa")
    if not balanced(q):
        out.append("câu hỏi lệch ngoặc hoặc ngoặc kép")
    if len(q.split()) < 6:
        out.append("câu hỏi quá ngắn")
    body = q.rstrip("?").rstrip("”\" ").rstrip()
    last = body.split()[-1] if body.split() else ""
    if is_function_word(last) or body.endswith((",", ";", ":", "-", "–")):
        out.append(f"câu hỏi kết thúc lửng ở “{last}”")
    for m in re.finditer(r"(\S+)\s*…", q):  # a cut must not dangle either
        if is_function_word(m.group(1)):
            out.append(f"đoạn trích bị cắt lửng sau “{m.group(1)}”")
    return out


def _stands_in(kind: str, value: str, ev: str, clause: Clause) -> bool:
    """Is `value` what the clause states (for its kind)?"""
    if kind == "body":
        want = {fold(m.canonical) for m in find_bodies(value)}
        have = {fold(m.canonical) for m in find_bodies(ev)}
        if clause.lead:
            have |= {fold(m.canonical) for m in find_bodies(clause.lead)}
        return bool(want) and want <= have or fold_key(value) in fold_key(ev)
    if kind == "percent" or kind.startswith("count"):
        f = parse_figure(value)
        return f is not None and any(g.value == f.value and g.unit == f.unit for g in figures(ev))
    if kind == "time":
        d = parse_deadline(value)
        return fold_key(value) in fold_key(ev) or bool(clause.deadline and d and d.due and d.due == clause.deadline.due
                                                and fold_key(clause.deadline.text) in fold_key(ev))
    if kind == "date":
        m = DATE.fullmatch(value)
        return m is not None and any((int(x[1]), int(x[2]), x[3]) == (int(m[1]), int(m[2]), m[3])
                                     for x in DATE.finditer(ev))
    return fold_key(value) in fold_key(ev) if value else False


def _true_bodies(clause: Clause, ev: str) -> set[str]:
    names = {fold(m.canonical) for m in find_bodies(ev)}
    for n in [clause.lead or "", *clause.partners]:
        names |= {fold(m.canonical) for m in find_bodies(n)}
    return names


def _false_for_clause(kind: str, value: str, ev: str, clause: Clause) -> bool:
    """A wrong option must be wrong for this clause, not merely different words."""
    if kind == "body":
        mine = {fold(m.canonical) for m in find_bodies(value)}
        return bool(mine) and not (mine & _true_bodies(clause, ev)) and fold_key(value) not in fold_key(ev)
    if kind == "time":
        d = parse_deadline(value)
        if d is None or not d.due:
            return False
        return not (clause.deadline and clause.deadline.due == d.due) and fold_key(value) not in fold_key(ev)
    if kind == "percent" or kind.startswith("count"):  # no figure of the clause, whatever its unit
        f = parse_figure(value)
        return f is not None and all(g.value != f.value for g in figures(ev))
    return not _stands_in(kind, value, ev, clause)


def first_quote(text: str) -> str | None:
    """The first “…” of a text, quotation marks inside it included (a clause may quote a title)."""
    start = text.find("“")
    if start < 0:
        return None
    depth = 0
    for i in range(start, len(text)):
        depth += (text[i] == "“") - (text[i] == "”")
        if depth == 0:
            return text[start + 1: i]
    return None


def _holds(kind: str, value: str, text: str) -> bool:
    """Does `text` state `value` (for its kind), in any of its written forms?"""
    if not value or not text:
        return False
    if kind == "body":
        want = body_keys(value)
        return bool(want) and want <= body_keys(text) or contains_words(text, value)
    if kind == "percent" or kind.startswith("count"):
        f = parse_figure(value)
        return f is not None and any(g.value == f.value and g.unit == f.unit for g in figures(text))
    if kind == "time":
        d = parse_deadline(value)
        return contains_words(text, value) or bool(d and d.due and any(due == d.due and k == d.kind
                                                                         for _, _, due, k in time_expressions(text)))
    return contains_words(text, value)


def lead_problems(item: QuizItem, clause: Clause) -> list[str]:
    """A "who leads" question (or a true/false one on a lead) only on a clause that assigns work:
    not a statistics or results clause, not a lead that is only the issuer by default."""
    if item.type == "lead" or (item.type == "truefalse" and item.fact.startswith("lead:")):
        why = not_work_reason(clause)
        if why:
            return [f"câu hỏi về cơ quan chủ trì trên điều khoản không giao việc: {why}"]
    return []


_NUMBER = re.compile(r"(?<![\w/.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w/])")
_DATES = re.compile(r"(?<![\w/])\d{1,2}/(?:\d{1,2}/)?\d{4}(?![\w/])")


def giveaway_problems(item: QuizItem) -> list[str]:
    """The question must not hold the answer: the correct option, its distinctive words (what tells it
    from the other options: "Công an" of "Đảng ủy Công an tỉnh"), a deadline's date or period, or the
    asked figure elsewhere in the stem."""
    if item.type == "truefalse":
        return []
    q, answer = item.question, item.options[item.correct]
    if contains_words(q, answer):
        return ["câu hỏi để lộ đáp án"]
    stem = " ".join(re.findall(r"“(.+?)”", q)) or q
    p = []
    if item.kind == "body":
        p += [f"câu hỏi để lộ đáp án: “{run}” (phần riêng của “{answer}”) có trong câu hỏi"
              for run in distinctive_runs(answer, item.distractors) if contains_words(stem, run)]
    elif item.kind == "time":
        d = parse_deadline(answer)
        if d and d.due and any(due == d.due and k == d.kind for _, _, due, k in time_expressions(q)):
            p.append(f"câu hỏi để lộ đáp án: thời hạn “{answer}” có trong câu hỏi")
    elif item.kind == "percent" or item.kind.startswith("count"):
        f = parse_figure(answer)
        rest = _DATES.sub(" ", DOCREF.sub(" ", q))
        values = [float(m[1].replace(".", "") + ("." + m[2] if m[2] else "")) for m in _NUMBER.finditer(rest)]
        if f is not None and f.value in values:
            p.append(f"câu hỏi để lộ đáp án: số {answer.split()[0]} có ở chỗ khác trong câu hỏi")
    return p


def explanation_problems(item: QuizItem, clause: Clause) -> list[str]:
    """The explanation quotes the clause's own words (whole words, each cut marked "…") with its citation,
    states the answer, and, where the clause's text holds the answer, its quotation holds it too."""
    quote = first_quote(item.explanation)
    if quote is None or item.citation not in item.explanation:
        return ["lời giải không trích nguyên văn điều khoản"]
    core = quote.strip("… ")
    if not contains_words(evidence(clause), core):
        return ["lời giải không trích nguyên văn điều khoản"]
    p = []
    text, words = normalize(clause.text), word_keys(core)
    if contains_words(text, core):
        keys = word_keys(text)
        if not quote.startswith("…") and keys[: len(words)] != words:
            p.append("lời giải cắt đầu đoạn trích mà không đánh dấu “…”")
        if not quote.endswith("…") and keys[len(keys) - len(words):] != words:
            p.append("lời giải cắt cuối đoạn trích mà không đánh dấu “…”")
    if _holds(item.kind, item.answer, text) and not _holds(item.kind, item.answer, quote):
        p.append(f"lời giải cắt đoạn trích trước phần chứa đáp án “{item.answer}”")
    elif not _holds(item.kind, item.answer, item.explanation):
        p.append(f"lời giải không nêu đáp án “{item.answer}”")
    return p


def implausible(kind: str, answer: str, other: str) -> str | None:
    """Why `other` is no plausible wrong value for `answer` (None when it is): of another level (bodies),
    another kind of period (deadlines), another unit, magnitude or precision (figures), or the answer
    with words added or taken away."""
    if part_of(other, answer):
        return "chứa hoặc nằm trong đáp án"
    if kind == "body" and body_level(other) != body_level(answer):
        return f"khác cấp với đáp án ({body_level(other)} / {body_level(answer)})"
    if kind == "time":
        a, o = parse_deadline(answer), parse_deadline(other)
        if not a or not o or a.kind != o.kind:
            return "khác loại thời hạn với đáp án"
    if kind == "percent" or kind.startswith("count"):
        fa, fo = parse_figure(answer), parse_figure(other)
        if fa is None or fo is None or not plausible_figure(fa, fo):
            return "khác đơn vị, độ lớn hoặc cách viết với đáp án"
    return None


def check(item: QuizItem, clause: Clause) -> list[str]:
    """Every rule an item must pass against the clause it cites."""
    p: list[str] = []
    if item.type not in TYPES:
        p.append(f"loại câu hỏi lạ: {item.type}")
    if item.difficulty not in DIFFICULTIES:
        p.append(f"mức độ lạ: {item.difficulty}")
    if item.clause_id != clause.clause_id or item.citation != clause.citation or not item.citation:
        p.append("trích dẫn không khớp điều khoản")
    want = 2 if item.type == "truefalse" else 4
    if len(item.options) != want:
        p.append(f"cần {want} phương án, có {len(item.options)}")
        return p
    if not 0 <= item.correct < len(item.options):
        p.append("chỉ số đáp án ngoài phạm vi")
        return p
    p += _sentence_problems(item.question)
    for o in item.options:
        if not o.strip() or _MARKUP.search(o) or o != o.strip():
            p.append(f"phương án rỗng hoặc còn ký hiệu: “{o}”")
    if len({fold_key(o) for o in item.options}) != len(item.options):
        p.append("các phương án trùng nhau (sau khi bỏ dấu, chữ hoa)")
    elif item.type != "truefalse" and item.kind == "time" and \
            len({(parse_deadline(o) or Deadline("")).due or o for o in item.options}) != 4:
        p.append("các phương án trùng nhau (cùng một hạn chót)")
    ev = evidence(clause)
    p += explanation_problems(item, clause)
    p += lead_problems(item, clause)
    if item.type == "truefalse":
        if item.options != list(TRUE_FALSE):
            p.append("câu đúng/sai phải có hai phương án Đúng, Sai")
        if not _stands_in(item.kind, item.answer, ev, clause):
            p.append(f"giá trị “{item.answer}” không có trong điều khoản")
        true = fold_key(item.shown) == fold_key(item.answer)
        if true != (item.correct == 0):
            p.append("đáp án đúng/sai không khớp nhận định")
        if not true and not (option_kind(item.shown) == option_kind(item.answer)
                             and _false_for_clause(item.kind, item.shown, ev, clause)):
            p.append(f"nhận định sai dùng “{item.shown}”, không cùng loại hoặc vẫn đúng với điều khoản")
        elif not true and (why := implausible(item.kind, item.answer, item.shown)):
            p.append(f"nhận định sai dùng “{item.shown}”: {why}")
        if fold_key(item.shown) not in fold_key(item.question):
            p.append("nhận định không chứa giá trị được kiểm tra")
        return p
    answer = item.options[item.correct]
    if answer != item.answer:
        p.append("phương án đúng không phải giá trị của điều khoản")
    if not _stands_in(item.kind, answer, ev, clause):
        p.append(f"đáp án “{answer}” không có trong điều khoản")
    p += giveaway_problems(item)
    kind = option_kind(answer)
    if kind is None:
        p.append(f"không nhận ra loại của đáp án “{answer}”")
    for o in item.distractors:
        if option_kind(o) != kind:
            p.append(f"phương án nhiễu “{o}” khác loại với đáp án")
        elif not _false_for_clause(item.kind, o, ev, clause):
            p.append(f"phương án nhiễu “{o}” cũng đúng với điều khoản")
        elif why := implausible(item.kind, answer, o):
            p.append(f"phương án nhiễu “{o}” không hợp lý: {why}")
    return p


def check_set(items: list[QuizItem]) -> list[str]:
    """Rules across items: no two ask the same thing (same fact, or the same question)."""
    p = []
    facts: dict[str, int] = {}
    questions: dict[str, int] = {}
    for i, it in enumerate(items):
        if it.fact in facts:
            p.append(f"câu {i + 1} hỏi lại điều câu {facts[it.fact] + 1} đã hỏi ({it.fact})")
        facts.setdefault(it.fact, i)
        q = fold_key(normalize(it.question))
        if q in questions:
            p.append(f"câu {i + 1} trùng câu {questions[q] + 1}")
        questions.setdefault(q, i)
    return p
