"""Vietnamese text handling: normalise before comparing, fold accents, strip markup, segment.

The original text is always kept for display; these functions produce *keys*.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old-style tone placement (hoà, uỷ, khoẻ) -> new style (hòa, ủy, khỏe) in open syllables.
# "qu" is a consonant cluster, so quý/quà keep the tone where it is.
_OLD_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![\w\u0300-\u036f])")
_MARKUP = re.compile(r"<sup>\s*\d+\s*</sup>|</?\w+>|\\\*|\*+|\\(?=[\[\]()#_.\-])|`")
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC with one tone-placement convention (hòa, ủy); the key every comparison uses."""
    decomposed = unicodedata.normalize("NFD", text or "")
    decomposed = _OLD_TONE.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed)


# Combining marks kept on one base character: Vietnamese needs at most two (ệ = e + ^ + .), and
# NFC composes them; a run of hundreds is an attack on the encoder (one token per mark), not text.
MAX_MARKS_PER_CHARACTER = 2


def clean_question(text: str) -> str:
    """A question as typed, made safe to work on before anything else reads it: invalid UTF-16
    halves replaced, any whitespace (newline, tab, no-break space) a plain space, other control,
    format and unassigned characters dropped, compatibility forms folded (NFKC: full-width
    digits, ligatures), runs of combining marks cut to MAX_MARKS_PER_CHARACTER, spaces collapsed."""
    text = (text or "").encode("utf-8", "replace").decode("utf-8")
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif ch.isprintable():
            kept.append(ch)
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", "".join(kept)))
    out, marks = [], 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS_PER_CHARACTER:
                continue
        else:
            marks = 0
        out.append(ch)
    return _WS.sub(" ", unicodedata.normalize("NFC", "".join(out))).strip()


_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")


def has_words(text: str) -> bool:
    """True when the text holds a word of two or more letters: "?", "a", "1", "." hold none, so
    nothing in them can be looked up."""
    return _LETTER_RUN.search(text or "") is not None


def strip_markup(text: str) -> str:
    """Remove markdown emphasis, escapes, footnote markers and HTML tags; collapse spaces."""
    text = _MARKUP.sub("", text or "")
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower-case, accent-free key: 'Đảng ủy' -> 'dang uy' (đ is a letter, folded to d)."""
    if text and len(text) <= _FOLD_CACHED_CHARS:
        return _fold_cached(text)
    return _fold(text)


# Indexing one 40-page plan folds ~150 000 strings, nearly all words and short n-grams that repeat:
# short ones are remembered (bounded, so memory stays a few MB whatever is folded).
_FOLD_CACHED_CHARS = 64


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", normalize(text))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return _WS.sub(" ", bare.lower()).strip()


_fold_cached = lru_cache(maxsize=1 << 16)(_fold)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese mark (so it was not typed unaccented)."""
    return fold(text) != _WS.sub(" ", (text or "").lower()).strip()


_WORD = re.compile(r"[0-9A-Za-zÀ-ỹĐđ]+(?:[./-][0-9A-Za-zÀ-ỹĐđ]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Word tokens (numbers like 3,2% and codes like 376-KH/TU stay whole)."""
    return _WORD.findall(normalize(text))


@lru_cache(maxsize=1)
def _pyvi():
    from pyvi import ViTokenizer  # imported lazily: loading the CRF model takes ~0.3 s

    return ViTokenizer


def segment(text: str) -> str:
    """pyvi word segmentation: 'tổ chức cơ sở đảng' -> 'tổ_chức cơ_sở đảng'."""
    text = normalize(text)
    if not text.strip():
        return ""
    return _pyvi().tokenize(text)


_RANGE = re.compile(r"\d[-/]\d")


def folded_words(text: str) -> list[str]:
    """pyvi words, accent-folded and stripped to [a-z0-9_./-]: 'Tổ chức 2020-2024' ->
    ['to_chuc', '2020-2024']. The one key the lexical index, coverage and queries share."""
    return list(_folded_words(text))


@lru_cache(maxsize=4096)
def _folded_words(text: str) -> tuple[str, ...]:
    """Remembered per text: indexing reads each clause for its lexical tokens and again for its
    coverage, and headings repeat on every clause under them (pyvi is the costly part)."""
    return tuple(f for f in map(_folded_word, segment(text.lower()).split()) if f)


def written_words(text: str) -> dict[str, str]:
    """Each pyvi word's key (folded_words) -> the word as written, normalised and in lower case ('toan_bo' ->
    'toàn_bộ'; the first spelling of a key): what text at large is asked about a word (index/weights.py)."""
    out: dict[str, str] = {}
    for token in segment(text.lower()).split():
        key = _folded_word(token)
        if key and key not in out:
            out[key] = token
    return out


@lru_cache(maxsize=1 << 16)
def _folded_word(token: str) -> str:
    """One pyvi word's key, or '' when nothing of a letter or digit is left."""
    f = _NOT_KEY.sub("", fold(token))
    return f if _KEY_CHAR.search(f) else ""


_NOT_KEY = re.compile(r"[^a-z0-9_./-]")
_KEY_CHAR = re.compile(r"[a-z0-9]")


def word_parts(word: str) -> list[str]:
    """Syllables of a compound ('to_chuc' -> to, chuc) or ends of a range ('2020-2024' -> 2020, 2024)."""
    if "_" in word:
        return [p for p in word.split("_") if p]
    if _RANGE.search(word):
        return [p for p in re.split(r"[-/]", word) if p]
    return []
