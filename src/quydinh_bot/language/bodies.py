"""Party and state bodies: recognised against a gazetteer (data/bodies.tsv), not guessed.

Matching is accent- and case-insensitive on whole words, longest alias first, so
"Đảng ủy UBND tỉnh" wins over "UBND tỉnh" and an upper-case table label such as
"ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH" maps to its canonical name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from quydinh_bot.config import LEXICON_DIR

from .text import normalize

DATA_DIR = LEXICON_DIR


def fold_aligned(text: str) -> str:
    """Accent-free lower-case copy of `normalize(text)` with the same length (char-aligned)."""
    return "".join(map(_fold_char, normalize(text)))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    base = base[:1] or ch
    return "d" if base in "đĐ" else base.lower()


@dataclass(frozen=True)
class BodyMatch:
    canonical: str
    surface: str  # the words as written in the text
    start: int
    end: int


@dataclass(frozen=True)
class Gazetteer:
    canonical_of: dict[str, str]  # folded alias -> canonical name
    pattern: re.Pattern[str]


def _key(folded: str) -> str:
    """Lookup key of a folded name: commas dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", folded.replace(",", " ")).strip()


def _load_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([c.strip() for c in line.split("\t")])
    return rows


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    canonical_of: dict[str, str] = {}
    for row in _load_tsv("bodies.tsv"):
        canonical = normalize(row[0])
        aliases = [row[0]] + (row[1].split("|") if len(row) > 1 and row[1] else [])
        for alias in aliases:
            canonical_of.setdefault(_key(fold_aligned(alias)), canonical)
    keys = sorted(canonical_of, key=len, reverse=True)
    # a space may be any run of spaces, and may carry a comma or not ("xã, phường" / "xã phường")
    alternation = "|".join(re.escape(k).replace(r"\ ", r",?\s+") for k in keys)
    return Gazetteer(canonical_of, re.compile(rf"(?<![\w])(?:{alternation})(?![\w])"))


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Abbreviation -> expansion (both as printed), from data/abbreviations.tsv."""
    return {row[0]: normalize(row[1]) for row in _load_tsv("abbreviations.tsv") if len(row) > 1}


def find_bodies(text: str) -> list[BodyMatch]:
    """Every gazetteer body named in `text`, left to right, longest alias first."""
    g = gazetteer()
    norm = normalize(text)
    folded = fold_aligned(norm)
    out = []
    for m in g.pattern.finditer(folded):
        out.append(BodyMatch(g.canonical_of[_key(m.group(0))], norm[m.start():m.end()], m.start(), m.end()))
    return out


_LABEL_TAIL = re.compile(r"\s+(chủ trì|chủ trì,.*|có trách nhiệm.*)$", re.IGNORECASE)


def body_of_label(label: str) -> str | None:
    """Canonical lead for a section label or heading that *is* a body (or a list of bodies).

    "BAN TỔ CHỨC TỈNH ỦY CHỦ TRÌ, PHỐI HỢP …" -> "Ban Tổ chức Tỉnh ủy"; a heading such as
    "Tham mưu Ban Thường vụ Tỉnh ủy" is not a body and gives None.
    """
    text = normalize(label).strip().rstrip(":.").strip()
    text = _LABEL_TAIL.sub("", text)
    matches = find_bodies(text)
    if not matches:
        return None
    rest = fold_aligned(text)
    for m in reversed(matches):
        rest = rest[: m.start] + rest[m.end:]
    if re.sub(r"\bva\b|[\s,;]", "", rest):  # words left over that are not bodies
        return None
    return ", ".join(dict.fromkeys(m.canonical for m in matches))


def canonical(name: str) -> str:
    """Canonical form of one body name, or the name itself when the gazetteer lacks it."""
    return body_of_label(name) or normalize(name).strip()


def lead_bodies(name: str | None) -> tuple[str | None, list[str]]:
    """A lead as written -> (display name, canonical bodies).

    "Văn Phòng Tỉnh ủy" -> ("Văn phòng Tỉnh ủy", ["Văn phòng Tỉnh ủy"]): one body, one spelling.
    "Đảng ủy Tòa án nhân dân tỉnh, Đảng ủy Viện Kiểm sát nhân dân tỉnh" -> two co-leads, found
    under either. A lead with words beside its bodies keeps its wording and lists the bodies it names.
    """
    if not name or not name.strip():
        return None, []
    text = re.sub(r"\s+", " ", normalize(name)).strip()
    whole = body_of_label(text)
    if whole:
        label = _LABEL_TAIL.sub("", text.rstrip(":.").strip())
        return whole, list(dict.fromkeys(m.canonical for m in find_bodies(label)))
    found = list(dict.fromkeys(m.canonical for m in find_bodies(text)))
    return text, found or [text]
