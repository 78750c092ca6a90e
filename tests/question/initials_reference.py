"""The straightforward reading of question/initials.py, as it was before the regular expression: every
clause split at punctuation into runs of words, folded and kept, and each short form matched word by
word. The tests and benchmarks/initials.py hold the module to the same spellings."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from quydinh_bot.language.text import fold

_WORD = re.compile(r"\w+")
_SKIP = "va"
MIN_COUNT = 2
MARGIN = 2.0


class ReferenceInitialisms:
    """Initialisms.spell, word by word over every (initials, words) segment of the corpus."""

    def __init__(self, texts: Iterable[str]):
        self._texts = texts
        self._segments: list[tuple[str, list[str]]] | None = None

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
        for run, n in runs.items():
            key = fold(run)
            by_key[key] += n
            shown.setdefault(key, Counter())[run] += n
        best = by_key.most_common(2)
        if best and best[0][1] >= MIN_COUNT and (len(best) == 1 or best[0][1] >= MARGIN * best[1][1]):
            return shown[best[0][0]].most_common(1)[0][0]
        return None

    def shorts(self) -> set[str]:
        """Every initials string of 2-6 consecutive words the corpus writes, "và" left in and out: the
        short forms that spell something here (plus their near misses, one letter changed)."""
        out = set()
        for initials, words in self._read():
            without_va = "".join(i for i, w in zip(initials, words) if fold(w) != _SKIP)
            for s in (initials, without_va):
                for n in range(2, 7):
                    out.update(s[k:k + n] for k in range(len(s) - n + 1))
        near = {s[:-1] + c for s in out for c in "dt"}
        return out | near


def _match(short: str, words: list[str], start: int) -> list[str] | None:
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
