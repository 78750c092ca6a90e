"""One builder per question type. Each reads one clause (or one document) and proposes items;
`rules.check` then decides which survive. No language model: questions are templates filled with
the clause's own words, wrong options are values of the same kind taken from the same document
(sibling leads, deadlines of the same table, figures of the same unit) or nearby values.

Difficulty is measured, not guessed: `closeness` is the mean similarity of the wrong options to the
right one (numbers and dates by relative distance, names by folded string similarity), and
`difficulty_of` cuts it into easy / medium / hard.
"""
from __future__ import annotations

import calendar
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from quydinh_bot.language.text import fold, normalize
from quydinh_bot.parse.deadlines import parse_deadline
from quydinh_bot.records import Clause

from .items import TRUE_FALSE, QuizItem
from .phrases import (
    DATE,
    DOCREF,
    Figure,
    body_level,
    body_name,
    compound_links,
    evidence,
    figures,
    find_bodies,
    format_figure,
    lower_first,
    not_work_reason,
    part_of,
    plausible_figure,
    segments,
    task_phrase,
    trim_end,
)

TIME_KINDS = ("date", "month", "quarter", "year")
EASY_BELOW, HARD_FROM = 0.45, 0.75  # closeness cut points (see difficulty_of)
TARGET_CUES = ("đạt", "phấn đấu", "tỷ lệ", "ít nhất", "tối thiểu", "trở lên", "kết nạp", "thành lập", "tiếp nhận",
               "điều động", "tặng", "bổ nhiệm", "cử", "nâng lương", "giải quyết", "thăm hỏi", "phát triển",
               "hoàn thành", "duy trì", "được")
COMMON_BODIES = ("Ban Chấp hành Đảng bộ tỉnh", "Ban Thường vụ Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Thường trực Tỉnh ủy",
                 "Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Trường Chính trị tỉnh")


def difficulty_of(closeness: float) -> str:
    """easy: wrong options far from the answer; hard: a careless reader could take one for it."""
    if closeness < EASY_BELOW:
        return "easy"
    return "medium" if closeness < HARD_FROM else "hard"


def _days(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def similarity(kind: str, a: str, b: str) -> float:
    """0..1: how easily `b` is mistaken for `a`."""
    if kind == "time":
        da, db = parse_deadline(a), parse_deadline(b)
        if da and db and da.due and db.due:
            return max(0.0, 1 - _days(da.due, db.due) / 365)
    if kind == "date":
        ma, mb = DATE.fullmatch(a.strip()), DATE.fullmatch(b.strip())
        if ma and mb:
            ia = date(int(ma[3]), int(ma[2]), int(ma[1])).isoformat()
            ib = date(int(mb[3]), int(mb[2]), int(mb[1])).isoformat()
            return max(0.0, 1 - _days(ia, ib) / 365)
    if kind == "percent" or kind.startswith("count"):
        fa, fb = figures(a), figures(b)
        if fa and fb:
            return max(0.0, 1 - abs(fa[0].value - fb[0].value) / max(abs(fa[0].value), 1.0))
    return SequenceMatcher(None, fold(a), fold(b)).ratio()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _quote(text: str, span: tuple[int, int] | None = None, max_words: int = 60) -> str:
    """The clause's own words; a long clause is shortened around `span` (where the answer stands, offsets
    in the normalised text), at whole words (never half a compound), each cut marked with "…"."""
    text = normalize(text)
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words).rstrip(" .;:")
    a, b = (len(text[: span[0]].split()), len(text[: span[1]].split())) if span else (0, 0)
    b = max(b, a + 1)
    if b <= max_words * 3 // 2:  # the answer is near enough: quote from the beginning (what the question quotes)
        start = 0
    else:
        start = max(0, min(a - max(0, max_words - (b - a)) // 3, len(words) - max_words))
    end = max(b, start + max_words)
    while 0 < start < a and _glued(words, start):  # do not open on the second half of a word
        start += 1
    while b < end < len(words) and _glued(words, end):  # nor close on the first half
        end -= 1
    piece = words[start:end]
    if end < len(words):
        trimmed = trim_end(piece)
        piece = trimmed if start + len(trimmed) >= b else piece
    out = _matched_quotes(" ".join(piece).rstrip(",;:"))
    return ("…" if start > 0 else "") + out + ("…" if end < len(words) else "")


def _glued(words: list[str], i: int) -> bool:
    """Do words[i-1] and words[i] form one word? Read from the few words around (pyvi needs no more)."""
    lo = max(0, i - 6)
    return compound_links(words[lo: i + 6])[i - 1 - lo]


def _matched_quotes(text: str) -> str:
    """Drop the quotation marks a cut left without their pair (the title a clause quotes, cut in two)."""
    opened: list[int] = []
    drop: set[int] = set()
    for i, ch in enumerate(text):
        if ch == "“":
            opened.append(i)
        elif ch == "”":
            if opened:
                opened.pop()
            else:
                drop.add(i)
    drop |= set(opened)
    return "".join(ch for i, ch in enumerate(text) if i not in drop) if drop else text


@dataclass
class Pools:
    """Per-document stores of values of each kind, the wrong options are drawn from."""

    leads: dict[str, list[str]] = field(default_factory=dict)  # doc -> canonical single bodies, most used first
    bodies: dict[str, list[str]] = field(default_factory=dict)  # doc -> every body the document names
    times: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # doc -> (text, due, kind)
    figures: dict[tuple[str, str], list[Figure]] = field(default_factory=dict)  # (doc, unit) -> figures
    docnums: list[str] = field(default_factory=list)  # every document number the corpus names
    all_leads: list[str] = field(default_factory=list)


def _single_body(name: str | None) -> str | None:
    """The canonical name when `name` is one specific body (not "các …", not a list)."""
    if not name:
        return None
    canon = body_name(name)
    if not canon or "," in canon or fold(canon).startswith(("cac ", "nhung ")) or fold(name).startswith("cac "):
        return None
    return canon


def build_pools(clauses: list[Clause], documents: list[dict]) -> Pools:
    p = Pools()
    lead_count: dict[str, Counter] = {}
    all_leads: Counter = Counter()
    for c in clauses:
        cnt = lead_count.setdefault(c.doc_id, Counter())
        canon = _single_body(c.lead)
        if canon:
            cnt[canon] += 1
            all_leads[canon] += 1
        bodies = p.bodies.setdefault(c.doc_id, [])
        for name in c.partners:
            partner = _single_body(name)
            if partner and partner not in bodies:
                bodies.append(partner)
        for m in find_bodies(c.text):
            canon = _single_body(m.canonical)
            if canon and canon not in bodies:
                bodies.append(canon)
        if c.deadline and c.deadline.due and c.deadline.kind in TIME_KINDS:
            p.times.setdefault(c.doc_id, []).append((_cap(c.deadline.text), c.deadline.due, c.deadline.kind))
        for f in figures(c.text):
            p.figures.setdefault((c.doc_id, f.unit), []).append(f)
        for ref in DOCREF.finditer(normalize(c.text)):
            if ref.group(2) not in p.docnums:
                p.docnums.append(ref.group(2))
    for d in documents:
        if d.get("number") and d["number"] not in p.docnums:
            p.docnums.append(d["number"])
    p.leads = {doc: [b for b, _ in cnt.most_common()] for doc, cnt in lead_count.items()}
    p.all_leads = [b for b, _ in all_leads.most_common()] + [b for b in COMMON_BODIES if b not in all_leads]
    return p


def _tiers(taken: set[str], *tiers: list[str], k: int = 3) -> list[str]:
    """Candidates from the nearest source first (the same document), widened only when it has
    fewer than k+1 values that are false for the clause."""
    out: list[str] = []
    for tier in tiers:
        out += [v for v in tier if fold(v) not in taken and v not in out]
        if len(out) > k:
            break
    return out


def _same_key(kind: str, value: str) -> str:
    """Two options that say the same thing share a key: "Quý IV/2022" and "Xong trong quý IV/2022"."""
    if kind == "time" and (d := parse_deadline(value)) and d.due:
        return d.due
    return fold(value)


def _pick(rng: random.Random, kind: str, answer: str, pool: list[str], k: int = 3) -> list[str]:
    """k wrong options from `pool` (already cleared of true values): half the time the closest ones
    (a harder item), otherwise any — so a quiz mixes difficulties."""
    seen = {_same_key(kind, answer)}
    uniq = []
    for v in pool:
        if _same_key(kind, v) not in seen:
            seen.add(_same_key(kind, v))
            uniq.append(v)
    if len(uniq) < k:
        return []
    if rng.random() < 0.5:
        ranked = sorted(uniq, key=lambda v: -similarity(kind, answer, v))
        return rng.sample(ranked[: k + 2], k)
    return rng.sample(uniq, k)


def _finish(rng: random.Random, item: QuizItem, wrong: list[str]) -> QuizItem:
    options = [item.answer, *wrong]
    rng.shuffle(options)
    item.options = options
    item.correct = options.index(item.answer)
    item.closeness = sum(similarity(item.kind, item.answer, w) for w in wrong) / len(wrong)
    item.difficulty = difficulty_of(item.closeness)
    return item


@dataclass
class Context:
    documents: dict[str, dict]
    pools: Pools
    seed: int

    def rng(self, *key: object) -> random.Random:
        """One generator per (clause, builder): an item does not change when the scope does."""
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

    def cite(self, doc_id: str, hide: str | None = None) -> str:
        """How the question names the document; without its issuer when the issuer is the answer
        ("Báo cáo tháng 5/2026 của Ban Tổ chức Tỉnh ủy Lâm Đồng" -> "Báo cáo tháng 5/2026 (tỉnh Lâm Đồng)")."""
        d = self.documents.get(doc_id) or {}
        name = d.get("cite_name") or d.get("title") or doc_id
        issuer, province = d.get("issuer") or "", d.get("province") or ""
        if hide and issuer and fold(hide) in fold(name):
            where = f" (tỉnh {province})" if province else ""
            name = re.sub(rf"\s+của\s+{re.escape(issuer)}(\s+{re.escape(province)})?" if province else
                          rf"\s+của\s+{re.escape(issuer)}", where, name, count=1)
        return name


def _root(c: Clause) -> str:
    return min(c.clause_id, c.linked_id) if c.linked_id else c.clause_id


def _explain(c: Clause, span: tuple[int, int] | None = None, extra: str = "") -> str:
    """The citation and the clause's own words around the answer (`span` in the normalised text)."""
    text = f"Căn cứ {c.citation}: “{_quote(c.text, span)}”."
    return text + (f" {extra}" if extra else "")


def _body_span(c: Clause, body: str) -> tuple[int, int] | None:
    """Where the clause's text names `body`, if it does."""
    want = fold(body_name(body) or body)
    return next(((m.start, m.end) for m in find_bodies(normalize(c.text)) if fold(m.canonical) == want), None)


def _text_span(c: Clause, value: str) -> tuple[int, int] | None:
    at = normalize(c.text).lower().find(normalize(value).lower())
    return (at, at + len(value)) if at >= 0 else None


def _task_details(c: Clause) -> str:
    parts = []
    if c.lead:
        parts.append(f"Chủ trì: {c.lead}.")
    if c.partners:
        parts.append(f"Phối hợp: {'; '.join(c.partners)}.")
    if c.deadline:
        parts.append(f"Thời hạn: {c.deadline.text}.")
    return " ".join(parts)


# --- lead -----------------------------------------------------------------------------------

def _false_bodies(c: Clause) -> set[str]:
    """Folded canonical names that are true for the clause: its lead(s), partners, named bodies."""
    names: set[str] = set()
    for text in [c.lead or "", *c.partners, c.text, *c.cells.values(), *c.heading_path]:
        names |= {fold(m.canonical) for m in find_bodies(text)}
        if text:
            names.add(fold(text))
    return names


def _like_body(answer: str, pool: list[str]) -> list[str]:
    """Bodies a reader could take for the answer: of its level (no central body against a provincial
    one), not the answer with words added or taken away."""
    return [b for b in pool if body_level(b) == body_level(answer) and not part_of(b, answer)]


def lead_items(ctx: Context, c: Clause) -> list[QuizItem]:
    if not_work_reason(c) or not c.lead:  # only work the document assigns (rules.check says why)
        return []
    if not _single_body(c.lead):  # "các cấp ủy" or a list of co-leads: its shape alone would give it away
        return []
    phrase = task_phrase(c.text)
    if not phrase or fold(c.lead) in fold(phrase):
        return []
    rng = ctx.rng(c.clause_id, "lead")
    taken = _false_bodies(c)
    answer = _single_body(c.lead) or c.lead
    pool = _like_body(answer, _tiers(taken, ctx.pools.leads.get(c.doc_id, []), ctx.pools.bodies.get(c.doc_id, []),
                                     ctx.pools.all_leads))
    if len(pool) < 4:
        pool = _like_body(answer, _tiers(taken, pool, ctx.pools.all_leads, k=20))
    item = QuizItem(question=f"Theo {ctx.cite(c.doc_id, hide=c.lead)}, cơ quan nào chủ trì nhiệm vụ “{phrase}”?",
                    options=[], correct=0, explanation=_explain(c, _body_span(c, c.lead), _task_details(c)),
                    type="lead", difficulty="", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id,
                    kind="body", answer=answer, fact=f"lead:{_root(c)}", extra={"phrase": phrase})
    wrong = _pick(rng, "body", item.answer, pool)
    return [_finish(rng, item, wrong)] if wrong else []


# --- deadline -------------------------------------------------------------------------------

_ROMAN = ["I", "II", "III", "IV"]


def _width(digits: str) -> int:
    """Keep a leading zero only where the document writes one ("08/01/2026" but "21/7/2025")."""
    return len(digits) if digits.startswith("0") else 1


def _month_shift(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def nearby_times(text: str, kind: str) -> list[str]:
    """The same wording with another day, month, quarter or year ("Trước 31/8/2025" -> "Trước 30/9/2025")."""
    out = []
    if kind == "date" and (m := DATE.search(text)):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        last = d == calendar.monthrange(y, mo)[1]
        for k in (-2, -1, 1, 2, 3):
            yy, mm = _month_shift(y, mo, k)
            dd = calendar.monthrange(yy, mm)[1] if last else min(d, calendar.monthrange(yy, mm)[1])
            out.append(text[: m.start()] + f"{dd:0{_width(m[1])}d}/{mm:0{_width(m[2])}d}/{yy}" + text[m.end():])
    elif kind == "month" and (m := re.search(r"(\d{1,2})/(\d{4})", text)):
        mo, y = int(m[1]), int(m[2])
        for k in (-3, -2, -1, 1, 2, 3):
            yy, mm = _month_shift(y, mo, k)
            out.append(text[: m.start()] + f"{mm:0{_width(m[1])}d}/{yy}" + text[m.end():])
    elif kind == "quarter" and (m := re.search(r"\b(IV|III|II|I)\s*/\s*(\d{4})", text, re.IGNORECASE)):
        q, y = _ROMAN.index(m[1].upper()), int(m[2])
        for k in (-2, -1, 1, 2):
            t = y * 4 + q + k
            out.append(text[: m.start()] + f"{_ROMAN[t % 4]}/{t // 4}" + text[m.end():])
    elif kind == "year" and (m := re.search(r"\b(20\d\d)\b", text)):
        for k in (-2, -1, 1, 2):
            out.append(text[: m.start()] + str(int(m[1]) + k) + text[m.end():])
    return out


def deadline_items(ctx: Context, c: Clause) -> list[QuizItem]:
    dl = c.deadline
    if not c.is_task or not dl or not dl.due or dl.kind not in TIME_KINDS:
        return []
    phrase = task_phrase(c.text)
    if not phrase:
        return []
    answer = _cap(dl.text)
    rng = ctx.rng(c.clause_id, "deadline")
    # wrong deadlines are of the answer's kind (a month for a month): the table's own, then the same wording
    # shifted; never one that is the answer with words added ("31/7/2025" / "Trước 31/7/2025")
    same = [t for t, due, k in ctx.pools.times.get(c.doc_id, []) if due != dl.due and k == dl.kind]
    near = [t for t in nearby_times(answer, dl.kind)
            if (p := parse_deadline(t)) and p.due and p.due != dl.due and p.kind == dl.kind]
    pool = list(dict.fromkeys(same))
    if len({_same_key("time", t) for t in pool}) < 3:
        pool += near
    pool = [t for t in pool if not part_of(t, answer)]
    item = QuizItem(question=f"Theo {ctx.cite(c.doc_id)}, nhiệm vụ “{phrase}” phải hoàn thành khi nào?",
                    options=[], correct=0, explanation=_explain(c, _text_span(c, dl.text), _task_details(c)),
                    type="deadline",
                    difficulty="", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id, kind="time",
                    answer=answer, fact=f"deadline:{_root(c)}", extra={"phrase": phrase})
    wrong = _pick(rng, "time", answer, pool)
    return [_finish(rng, item, wrong)] if wrong else []


# --- figure ---------------------------------------------------------------------------------

def nearby_figures(f: Figure) -> list[str]:
    v = f.value
    if f.unit == "%":
        decimal = abs(v - round(v)) > 1e-9
        steps = (0.5, 1, 1.5, 2) if decimal else ((5, 10, 15, 20) if v >= 20 else (1, 2, 3, 5))
        vals = [v + s for s in steps] + [v - s for s in steps]
        vals = [x for x in vals if 0 < x <= 100]
    else:
        vals = [round(v * r) for r in (0.5, 0.75, 0.8, 1.25, 1.5, 2)] + ([v + 1, v + 2, v - 1] if v < 20 else [])
        vals = [x for x in vals if x > 0]
    return [format_figure(x, f.unit_text or f.unit, f.width) for x in vals if abs(x - v) > 1e-9]


def _figure_segment(text: str, f: Figure) -> tuple[str, int, int] | None:
    for start, seg in segments(text):
        if start <= f.start and f.end <= start + len(seg):
            return seg, f.start - start, f.end - start
    return None


def _blank_figure(f: Figure) -> str:
    return "bao nhiêu phần trăm" if f.unit == "%" else f"bao nhiêu {f.text.split(' ', 1)[1]}"


def figure_facts(c: Clause) -> list[tuple[Figure, str, str, int]]:
    """(figure, sentence with the figure, the same sentence asking for it, where the sentence starts)
    for target-like sentences."""
    text = normalize(c.text)
    out = []
    fs = figures(text)
    for f in fs:
        found = _figure_segment(text, f)
        if not found:
            continue
        seg, a, b = found
        before, after = seg[:a], seg[b:]
        key = fold(seg)
        if not any(fold(cue) in key.split() or f" {fold(cue)} " in f" {key} " for cue in TARGET_CUES):
            continue
        if re.match(r"\s*,?\s*chiếm", after) or re.search(r"chiếm\s*$", before) or re.match(r"\s*/", after):
            continue
        if re.match(r"\s*[-–]?\s*Năm \d{4}", seg) or sum(1 for g in fs if g.value == f.value and g.unit == f.unit) > 1:
            continue
        seg_clean = seg.strip().lstrip("-–+• ").rstrip(" .;:")
        offset = seg.find(seg_clean)
        a, b = a - offset, b - offset
        if not (8 <= len(seg_clean.split()) <= 40) or ":" in seg_clean[:a]:
            continue
        if re.match(r"(việc|về|các|những|đối với)\s", seg_clean):  # a list item without its verb
            continue
        asked = seg_clean[:a] + _blank_figure(f) + seg_clean[b:]
        out.append((f, seg_clean, asked, f.start - a))
    return out


def figure_items(ctx: Context, c: Clause) -> list[QuizItem]:
    out = []
    clause_values = {g.value for g in figures(evidence(c))}  # a wrong figure appears nowhere in the clause
    for f, seg, asked, seg_start in figure_facts(c):
        rng = ctx.rng(c.clause_id, "figure", f.start)
        # the document's own figures of the unit when plausible (same magnitude and precision: not 0,3% or
        # 95,86% against a round 90%); then values near the answer
        kind = "percent" if f.unit == "%" else f"count:{f.unit}"
        siblings = [format_figure(g.value, f.unit_text or f.unit, f.width)
                    for g in ctx.pools.figures.get((c.doc_id, f.unit), []) if plausible_figure(f, g)]
        pool = [v for v in siblings + nearby_figures(f) if figures(v)[0].value not in clause_values]
        rng.shuffle(pool)
        item = QuizItem(question=f"Theo {ctx.cite(c.doc_id)}, {lower_first(asked)}?", options=[], correct=0,
                        explanation=_explain(c, (f.start, f.end)), type="figure", difficulty="",
                        clause_id=c.clause_id,
                        citation=c.citation, doc_id=c.doc_id, kind=kind,
                        answer=f.text, fact=f"figure:{c.clause_id}:{seg_start}", extra={"sentence": seg})
        wrong = _pick(rng, item.kind, f.text, pool)
        if wrong:
            out.append(_finish(rng, item, wrong))
    return out


# --- document facts -------------------------------------------------------------------------

def nearby_numbers(num: str) -> list[str]:
    m = re.match(r"(\d+)(-.*)$", num)
    if not m:
        return []
    n = int(m[1])
    return [f"{x:0{len(m[1])}d}{m[2]}" for x in (n - 2, n - 1, n + 1, n + 3, n + 10) if x > 0]


def nearby_dates(d: str) -> list[str]:
    m = DATE.fullmatch(d)
    if not m:
        return []
    day, mo, y = int(m[1]), int(m[2]), int(m[3])
    out = []
    for k_days, k_months in ((1, 0), (-3, 0), (7, 0), (0, 1), (0, -1), (0, 2), (0, 12)):
        yy, mm = _month_shift(y, mo, k_months)
        dd = min(day + k_days, calendar.monthrange(yy, mm)[1])
        if dd < 1:
            continue
        out.append(f"{dd:0{_width(m[1])}d}/{mm:0{_width(m[2])}d}/{yy}")
    return [x for x in out if x != d]


@dataclass(frozen=True)
class DocRef:
    kind: str  # "Nghị quyết"
    number: str  # "21-NQ/TW"
    date: str | None
    issuer: str | None  # canonical body
    start: int
    end: int
    tail_end: int = 0  # where its date and issuer end: the explanation quotes up to there


_REF_TAIL = re.compile(r"\s*,?\s*ngày\s+(\d{1,2}/\d{1,2}/\d{4})(?:\s+của\s+(.{3,80}))?", re.IGNORECASE)


def docrefs(text: str) -> list[DocRef]:
    text = normalize(text)
    out = []
    for m in DOCREF.finditer(text):
        tail = _REF_TAIL.match(text, m.end())
        issuer = None
        if tail and tail.group(2):
            bodies = find_bodies(tail.group(2))
            if bodies and bodies[0].start == 0:
                issuer = bodies[0].canonical
        kind = _cap(m.group(1).lower()) if m.group(1).isupper() else m.group(1)
        out.append(DocRef(kind, m.group(2), tail.group(1) if tail else None, issuer,
                          m.start(2), m.end(2), tail.end() if tail else m.end()))
    return out


def _suffix(num: str) -> str:
    return num.split("-", 1)[1] if "-" in num else ""


def _number_pool(ctx: Context, num: str, taken: set[str]) -> list[str]:
    same = [n for n in ctx.pools.docnums if _suffix(n) == _suffix(num)]
    return [n for n in same + nearby_numbers(num) if fold(n) not in taken]


ISSUER_BODIES = ("Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương", "Ban Tổ chức Trung ương",
                 "Ủy ban Kiểm tra Trung ương", "Văn phòng Trung ương Đảng")


def document_items(ctx: Context, c: Clause) -> list[QuizItem]:
    """Number, date and issuer of a document: the corpus's own (from its title or appendix line)
    and those the clause cites ("Nghị quyết số 21-NQ/TW ngày 16/6/2022 của Ban Chấp hành Trung ương").
    A question about a cited document says where it is cited ("Theo …, "); one about the corpus's
    own document does not need to (and must not, since its citation holds the answer)."""
    out: list[QuizItem] = []
    ev = normalize(c.text)
    taken_nums = {fold(r.number) for r in docrefs(ev)}
    taken_dates = {m.group(0) for m in DATE.finditer(ev)}

    def item(question: str, kind: str, answer: str, fact: str, span: tuple[int, int]) -> QuizItem:
        return QuizItem(question=question, options=[], correct=0, explanation=_explain(c, span), type="document",
                        difficulty="", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id, kind=kind,
                        answer=answer, fact=fact)

    def add(rng: random.Random, it: QuizItem, pool: list[str]) -> None:
        wrong = _pick(rng, it.kind, it.answer, pool)
        if wrong:
            out.append(_finish(rng, it, wrong))

    for ref in docrefs(ev):
        rng = ctx.rng(c.clause_id, "document", ref.number)
        own = next((d for d in ctx.documents.values() if d.get("number") == ref.number), None)
        issuer = (own or {}).get("issuer") or ref.issuer
        key = fold(ref.number)
        span = (ref.start, ref.tail_end)
        if ref.date:
            who = f" của {issuer}" if issuer else ""
            q = f"{ref.kind} số {ref.number}{who} được ban hành ngày nào?"
            q = q if own else f"Theo {ctx.cite(c.doc_id)}, {q}"
            add(rng, item(q, "date", ref.date, f"docdate:{key}", span),
                [d for d in nearby_dates(ref.date) if d not in taken_dates])
        if ref.date and issuer:
            what = f"{ref.kind} số {ref.number} ngày {ref.date}"
            q = (f"Cơ quan nào ban hành {what}?" if own
                 else f"Theo {ctx.cite(c.doc_id, hide=issuer)}, cơ quan nào ban hành {what}?")
            taken = _false_bodies(c) | {fold(issuer)}
            add(rng, item(q, "body", issuer, f"docissuer:{key}", span),
                _like_body(issuer, [b for b in [*ctx.pools.all_leads, *COMMON_BODIES, *ISSUER_BODIES]
                                    if fold(b) not in taken]))
        if own is not None and own.get("doc_id") == c.doc_id:
            title = re.split(r"\s+kèm theo\s+", own.get("title") or "", maxsplit=1, flags=re.IGNORECASE)
            who = f"{own['issuer']} {own.get('province') or ''}".strip()
            q = (f"“{title[0]}” được ban hành kèm theo văn bản số nào của {who}?" if len(title) > 1
                 else f"Văn bản “{title[0]}” của {who} có số hiệu là gì?")
            add(rng, item(q, "docref", ref.number, f"docnum:{key}", span), _number_pool(ctx, ref.number, taken_nums))
    return out


# --- fill in the blank ----------------------------------------------------------------------

BLANK = "(…)"


def _window(text: str, a: int, b: int, max_words: int = 34) -> str | None:
    """The sentence around text[a:b] with the span replaced by the blank; cut with "…" when long."""
    for start, seg in segments(text):
        if start <= a and b <= start + len(seg):
            before, after = seg[: a - start], seg[b - start:]
            break
    else:
        return None
    before = before.lstrip("-–+• ")
    bw, aw = before.split(), after.split()
    if len(bw) + len(aw) + 1 > max_words:  # cut with "…", never inside a compound word
        keep = (max_words - 1) // 2
        if len(bw) > keep:
            joined = compound_links(bw)
            start = len(bw) - keep
            while start < len(bw) and joined[start - 1]:
                start += 1
            bw = ["…"] + bw[start:]
        if len(aw) > max_words - 1 - len(bw):
            joined = compound_links(aw)
            end = max_words - 1 - len(bw)
            while end > 1 and joined[end - 1]:
                end -= 1
            aw = trim_end(aw[:end]) + ["…"]
    out = (" ".join(bw) + f" {BLANK}" + (" " if aw and aw[0][:1] not in ",;.:)" else "") + " ".join(aw)).strip()
    out = out.rstrip(" .;:")
    return out if len(out.split()) >= 6 else None


def blank_items(ctx: Context, c: Clause) -> list[QuizItem]:
    """A key phrase of the clause blanked out: a document number it cites or a body it names."""
    if c.kind in ("title", "heading", "part", "section", "group", "appendix", "closing"):
        return []
    text = normalize(c.text)
    out = []
    cite = ctx.cite(c.doc_id)
    taken_nums = {fold(r.number) for r in docrefs(text)}
    for ref in docrefs(text):
        sentence = _window(text, ref.start, ref.end)
        if not sentence or sentence.count(BLANK) != 1:
            continue
        rng = ctx.rng(c.clause_id, "blank", ref.start)
        item = QuizItem(question=f"Theo {cite}, cụm từ nào điền vào chỗ trống trong câu “{sentence}”?",
                        options=[], correct=0, explanation=_explain(c, (ref.start, ref.end)), type="blank",
                        difficulty="", clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id, kind="docref",
                        answer=ref.number,
                        fact=f"blank:{c.clause_id}:{ref.start}", extra={"sentence": sentence})
        wrong = _pick(rng, "docref", ref.number, _number_pool(ctx, ref.number, taken_nums))
        if wrong:
            out.append(_finish(rng, item, wrong))
    taken = _false_bodies(c)
    for m in find_bodies(text):
        canon = _single_body(m.canonical)
        if not canon or m.surface != canon:  # blank only a body written in full, so the option reads as the text
            continue
        if m.start > 0 and text[m.start - 1] in "“\"(":
            continue
        sentence = _window(text, m.start, m.end)
        if not sentence or sentence.count(BLANK) != 1:
            continue
        rng = ctx.rng(c.clause_id, "blank", m.start)
        pool = _like_body(canon, _tiers(taken, ctx.pools.bodies.get(c.doc_id, []), ctx.pools.leads.get(c.doc_id, []),
                                        ctx.pools.all_leads))
        item = QuizItem(question=f"Theo {cite}, cụm từ nào điền vào chỗ trống trong câu “{sentence}”?",
                        options=[], correct=0, explanation=_explain(c, (m.start, m.end)), type="blank", difficulty="",
                        clause_id=c.clause_id, citation=c.citation, doc_id=c.doc_id, kind="body", answer=canon,
                        fact=f"blank:{c.clause_id}:{m.start}", extra={"sentence": sentence})
        wrong = _pick(rng, "body", canon, pool)
        if wrong:
            out.append(_finish(rng, item, wrong))
    return out


# --- true / false ---------------------------------------------------------------------------

def truefalse_item(ctx: Context, base: QuizItem) -> QuizItem | None:
    """A statement made from an item of another type: its true value, or one of its wrong options."""
    rng = ctx.rng(base.clause_id, "truefalse", base.fact)
    wrong = base.distractors
    if not wrong:
        return None
    true = rng.random() < 0.5
    shown = base.answer if true else rng.choice(wrong)
    cite = ctx.cite(base.doc_id, hide=base.answer if base.kind == "body" else None)
    if base.type == "lead":
        statement = f"Theo {cite}, {shown} chủ trì nhiệm vụ “{base.extra['phrase']}”"
    elif base.type == "deadline":
        statement = f"Theo {cite}, nhiệm vụ “{base.extra['phrase']}” có thời hạn: {shown}"
    elif base.type == "figure":
        sentence: str = base.extra["sentence"]
        if sentence.count(base.answer) != 1:
            return None
        statement = f"Theo {cite}, {lower_first(sentence.replace(base.answer, shown))}"
    else:
        return None
    near = max(similarity(base.kind, base.answer, w) for w in wrong) if true else \
        similarity(base.kind, base.answer, shown)
    why = "" if true else f" Văn bản ghi “{base.answer}”, không phải “{shown}”."
    return QuizItem(question=f"Đúng hay sai: {statement}?", options=list(TRUE_FALSE),
                    correct=0 if true else 1, explanation=base.explanation + why, type="truefalse",
                    difficulty=difficulty_of(near), clause_id=base.clause_id, citation=base.citation,
                    doc_id=base.doc_id, kind=base.kind, answer=base.answer, shown=shown, fact=base.fact,
                    closeness=near, extra=dict(base.extra))


CLAUSE_BUILDERS = {"lead": lead_items, "deadline": deadline_items, "figure": figure_items,
                   "document": document_items, "blank": blank_items}
