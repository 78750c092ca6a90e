"""Phone-style questions -> the documents' words: short forms ("dv", "bn", "kh 376", "q3"),
loose dates ("t5", "quy 3 2026", "thang 9 nam 2026") written as the documents write them.

The short forms are data (data/shortforms.tsv); this module only applies them, token by token,
so "bc kq dh dang bo" reads "báo cáo kết quả đại hội dang bo" before accent restoration."""
from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache

from quydinh_bot.config import LEXICON_DIR
from quydinh_bot.language.text import fold

DATA_DIR = LEXICON_DIR
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_OF = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """form -> {when: expansion} (when is 'any', 'num' or 'cue')."""
    out: dict[str, dict[str, str]] = {}
    for line in (DATA_DIR / "shortforms.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        form, expansion, when = (c.strip() for c in line.split("\t"))
        out.setdefault(form.lower(), {})[when] = expansion
    return out


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Folded expansions of question-word short forms: they carry the intent, not the topic."""
    return frozenset(fold(rules["cue"]) for rules in table().values() if "cue" in rules)


_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^([\"'“(]*)(.*?)([\"'”),.;:?!]*)$")
_NUMBERISH = re.compile(r"^(số\s*)?\d|^so$|^số$")


def _edges(tok: str) -> tuple[str, str, str]:
    """A token's leading quotes/brackets, its core, its trailing punctuation (each may be empty)."""
    m = _EDGE.match(tok)
    assert m is not None  # every part of the pattern may be empty: it matches any token
    lead, core, trail = m.groups()
    return lead, core, trail


def expand_shortforms(text: str, abbreviations: Set[str] = frozenset()) -> str:
    """Replace the short forms of `text` (whole tokens, any case). A 'num' form ("ct", "da",
    "tb") is expanded only before a number or a known abbreviation ("da tccsd", "ct 01")."""
    rules = table()
    toks = _TOKEN.findall(text)
    out = []
    for i, tok in enumerate(toks):
        lead, core, trail = _edges(tok)
        key = core.lower()
        got = rules.get(key)
        if not got:
            out.append(tok)
            continue
        nxt = _edges(toks[i + 1])[1] if i + 1 < len(toks) else ""
        before_number = (bool(re.match(r"\d", nxt)) or nxt.lower() in {"so", "số"}
                         or fold(nxt).upper() in abbreviations)
        expansion = got.get("num") if before_number and "num" in got else got.get("any") or got.get("cue")
        out.append(f"{lead}{expansion}{trail}" if expansion else tok)
    return " ".join(out)


_QUARTER = re.compile(r"(?<![\w/])(?:q|quy|quý)\s?(iv|iii|ii|i|[1-4])(?:\s*(?:/|nam|năm)?\s*(20\d\d))?(?![\w/])", re.I)
_MONTH_T = re.compile(r"(?<![\w/])t(1[0-2]|0?[1-9])(?:\s*/\s*(20\d\d))?(?![\w/])", re.I)
_MONTH_YEAR = re.compile(r"(?<![\w/])(thang|tháng)\s+(1[0-2]|0?[1-9])\s+(?:nam\s+|năm\s+)?(20\d\d)(?![\w/])", re.I)


def loose_dates(text: str) -> str:
    """'q3 2026' / 'quy 3' -> 'quý III/2026' / 'quý III'; 't5' -> 'tháng 5';
    'thang 9 nam 2026' -> 'tháng 9/2026' (the documents' own way of writing them)."""
    def quarter(m: re.Match) -> str:
        n = _ROMAN_OF[m.group(1).lower()]  # the pattern admits only these
        return f"quý {ROMAN[n]}" + (f"/{m.group(2)}" if m.group(2) else "")

    text = _QUARTER.sub(quarter, text)
    text = _MONTH_T.sub(lambda m: f"tháng {int(m.group(1))}" + (f"/{m.group(2)}" if m.group(2) else ""), text)
    return _MONTH_YEAR.sub(lambda m: f"tháng {int(m.group(2))}/{m.group(3)}", text)
