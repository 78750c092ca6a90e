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


def asked_figure(text: str, weights: dict[str, float], question: str,
                 short: dict[str, list[str]] | None = None) -> re.Match | None:
    """The figure of `text` the question asks for. `weights`: the question's topical words (folded,
    pyvi '_' compounds) -> IDF; `question`: the folded question; `short`: short form -> its expansion's words."""
    found = figures(text)
    if not found:
        return None
    spans = segments(text)
    flat, inner = _blank_brackets(text)
    levels = set(_LEVEL.findall(question))
    wants_share = bool(_WANTS_SHARE.search(question))
    named = set(re.findall(r"\d+(?:[.,]\d+)*", question))
    best, best_key = None, None
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
        share = value.endswith("%")
        fits = share == wants_share
        key = (score * (1.3 if fits else 1.0), fits, -pos)
        if best_key is None or key > best_key:
            best, best_key = m, key
    return best
