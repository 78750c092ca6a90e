"""Short forms a corpus spells out: "dbqh", "vlncn", "sct", "pccc" typed on a phone are the initials of
words the documents write in full ("đại biểu Quốc hội", "vật liệu nổ công nghiệp", "Sở Công Thương").
No table can list every office's and field's short forms, and a small corpus of one document never
writes most of them, so a question word the corpus does not know, made of consonants only (no
Vietnamese syllable is), is read as the run of words whose initials spell it — the run the corpus
writes most often ("và" between two of them may be left out: "sgddt", Sở Giáo dục và Đào tạo),
only when it is written at least twice and clearly more often than any other run with those initials.

A run is found by one regular expression per short form over the clause texts as they are (a word
starting with any character that folds to each letter, an optional "và" between two): nothing of
the corpus is split, folded or kept, so a short form a serving process meets costs one scan (a fraction
of a second at 100x the seed corpus, benchmarks/initials.py) instead of seconds and hundreds of MB of
word lists.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Collection, Container, Iterable, Iterator
from functools import lru_cache

from quydinh_bot.language.text import fold, has_diacritics

_CONSONANTS = re.compile(r"[bcdghklmnpqrstvx]{3,6}")  # folded: đ -> d
_WORD = re.compile(r"\w+")
_SKIP = "va"  # "và" may be left out of the initials
MIN_COUNT = 2  # a run written once may be chance
MARGIN = 2.0  # the run must be written this many times more often than the next one with the same initials
# Every word character whose fold starts with an ASCII letter, digit or "_" lies in these blocks (Latin,
# Latin Extended Additional, letterlike symbols: K the kelvin sign); tests/question checks all of Unicode.
_ASCII_FOLDING = ((0x0000, 0x0300), (0x1E00, 0x1F00), (0x2100, 0x2200))


class Initialisms:
    """The runs of words of `texts`, looked up by their initials, lazily and once per short form."""

    def __init__(self, texts: Iterable[str], skip: Container[str] = frozenset()):
        self._texts = texts  # read once per short form looked up (an iterator is kept as a list of its texts)
        self._skip = skip  # folded short forms a table already writes out (abbreviations.tsv)
        self._memo: dict[str, str | None] = {}

    def _all(self) -> Collection[str]:
        if not isinstance(self._texts, Collection):
            self._texts = list(self._texts)
        return self._texts

    def spell(self, short: str) -> str | None:
        """The words (as the corpus writes them) whose initials are the folded `short` (two letters or
        more), or None."""
        if short in self._memo:
            return self._memo[short]
        pattern = _run_pattern(short)
        written: Counter[str] = Counter()  # each run as the text writes it (any spaces between its words)
        if pattern is not None:
            written.update(first + rest for text in self._all() for first, rest in pattern.findall(text))
        runs: Counter[str] = Counter()  # in the order the corpus first writes them, as ties are broken
        for run, n in written.items():
            runs[" ".join(_WORD.findall(run))] += n
        by_key: Counter[str] = Counter()
        shown: dict[str, Counter[str]] = {}
        for run, n in runs.items():  # the same words capitalised differently are one run
            key = fold(run)
            by_key[key] += n
            shown.setdefault(key, Counter())[run] += n
        best = by_key.most_common(2)
        got = None
        if best and best[0][1] >= MIN_COUNT and (len(best) == 1 or best[0][1] >= MARGIN * best[1][1]):
            got = shown[best[0][0]].most_common(1)[0][0]
        self._memo[short] = got
        return got

    def spell_out(self, question: str, known: Container[str]) -> tuple[str, dict[str, str]]:
        """(`question` with its consonant-only words spelled out, short form -> the words spelled). A word
        the corpus never writes (not in `known`, its folded words) is replaced by the words; one it writes
        too (a document may use both) is kept after them, as the abbreviation table writes "tổ chức cơ sở
        đảng (TCCSĐ)". Accent-free words when the question is typed without accents."""
        accented = has_diacritics(question.replace("đ", "d").replace("Đ", "D"))  # as parse_query reads it
        spelled: dict[str, str] = {}

        def one(m: re.Match[str]) -> str:
            word = m.group(0)
            short = fold(word)
            if not _CONSONANTS.fullmatch(short) or short in self._skip:
                return word
            run = self.spell(short)
            if run is None:
                return word
            spelled[short] = run
            run = run if accented else fold(run)
            return f"{run} ({word})" if short in known else run

        return re.sub(r"(?<![\w/-])\w+(?![\w/-])", one, question), spelled


def _run_pattern(short: str) -> re.Pattern[str] | None:
    """Two groups, the first letter and the rest of each run of words whose initials are `short`: words
    separated by spaces only (punctuation ends a run), a word "và" skipped before any letter but v. The
    match takes only the first letter (the rest is looked ahead at), so runs that overlap are all found.
    None when no word can start with one of the letters."""
    classes = [_starting(letter) for letter in short]
    if len(short) < 2 or not all(classes):
        return None
    # a word folds to _SKIP ("và", "VÀ") only as two letters folding to "v" and "a"
    va = f"[{_folding_to(_SKIP[0])}][{_folding_to(_SKIP[1])}](?!\\w)"
    rest = "".join(r"\s+" + ("" if letter == _SKIP[0] else rf"(?:{va}\s+)?") + f"[{cls}]\\w*"
                   for letter, cls in zip(short[1:], classes[1:]))
    # (?<!\w\w) after the first letter: nothing of a word stands before it
    return re.compile(rf"([{classes[0]}])(?<!\w\w)(?=(\w*{rest}))")


@lru_cache(maxsize=64)
def _starting(letter: str) -> str:
    """Every word character a word whose fold starts with `letter` can start with ("d": D d Đ đ Ď ď …),
    escaped for a character class."""
    return "".join(re.escape(c) for c in _word_chars(letter) if fold(c)[:1] == letter)


@lru_cache(maxsize=4)
def _folding_to(folded: str) -> str:
    """Every word character that folds to `folded` ("a": a à á ả ã ạ ă â ấ …), escaped for a class."""
    return "".join(re.escape(c) for c in _word_chars(folded) if fold(c) == folded)


def _word_chars(target: str) -> Iterator[str]:
    """The word characters whose fold may start with `target`'s first character (all of Unicode for
    a character outside ASCII)."""
    blocks = _ASCII_FOLDING if target[:1].isascii() else ((0, sys.maxunicode + 1),)
    return (c for lo, hi in blocks for c in map(chr, range(lo, hi)) if _WORD.match(c))
