"""Short forms a corpus spells out: "dbqh", "vlncn", "sct", "pccc" typed on a phone are the initials of
words the documents write in full ("đại biểu Quốc hội", "vật liệu nổ công nghiệp", "Sở Công Thương").
No table can list every office's and field's short forms, and a small corpus of one document never
writes most of them, so a question word the corpus does not know, made of consonants only (no
Vietnamese syllable is), is read as the run of words whose initials spell it — the run the corpus
writes most often ("và" between two of them may be left out: "sgddt", Sở Giáo dục và Đào tạo),
only when it is written at least twice and clearly more often than any other run with those initials.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable

from quydinh_bot.language.text import fold, has_diacritics

_CONSONANTS = re.compile(r"[bcdghklmnpqrstvx]{3,6}")  # folded: đ -> d
_WORD = re.compile(r"\w+")
_SKIP = "va"  # "và" may be left out of the initials
MIN_COUNT = 2  # a run written once may be chance
MARGIN = 2.0  # the run must be written this many times more often than the next one with the same initials


class Initialisms:
    """The runs of words of `texts`, looked up by their initials, lazily and once per short form."""

    def __init__(self, texts: Iterable[str], skip: Container[str] = frozenset()):
        self._texts = texts
        self._skip = skip  # folded short forms a table already writes out (abbreviations.tsv)
        self._segments: list[tuple[str, list[str]]] | None = None  # (initials, words) per punctuation-free run
        self._memo: dict[str, str | None] = {}

    def _read(self) -> list[tuple[str, list[str]]]:
        if self._segments is None:
            segments = []
            for text in self._texts:
                for part in re.split(r"[^\w\s]+", text):
                    words = _WORD.findall(part)
                    if len(words) >= 2:
                        segments.append(("".join(fold(w)[:1] or "_" for w in words), words))
            self._segments = segments
        return self._segments

    def spell(self, short: str) -> str | None:
        """The words (as the corpus writes them) whose initials are the folded `short`, or None."""
        if short in self._memo:
            return self._memo[short]
        runs: Counter[str] = Counter()
        for initials, words in self._read():
            start = initials.find(short[0])
            while start != -1:
                words_run = _match(short, words, start)
                if words_run:
                    runs[" ".join(words_run)] += 1
                start = initials.find(short[0], start + 1)
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


def _match(short: str, words: list[str], start: int) -> list[str] | None:
    """The words from `start` whose initials are `short` ("và" skipped between two), or None."""
    run: list[str] = []
    i = start
    for k, letter in enumerate(short):
        if i < len(words) and k > 0 and fold(words[i]) == _SKIP and letter != "v":
            run.append(words[i])
            i += 1
        if i >= len(words) or fold(words[i])[:1] != letter:
            return None
        run.append(words[i])
        i += 1
    return run
