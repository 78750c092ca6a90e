"""Word weights with a prior: how topical a word is in Vietnamese administrative text in general, not
only in the corpus at hand.

The coverage and the answer-or-decline features weigh a question's words by IDF. Over the corpus alone,
a corpus of one short document knows few words, and every ordinary word it never uses ("lớp", "đi",
"tối đa") would weigh most, as if the question were about something the corpus lacks. So the counts are
mixed with a background (data/word_prior.tsv: each seed document's clause frequencies, built by
eval/mixed/build_prior.py), less the documents the corpus itself holds (their counts are in it already),
the background counted as PRIOR_CLAUSES pseudo-clauses (scaled by the share of it left):

    df = df_corpus + strength * df_bg / N_bg,   N = N_corpus + strength

and weighed as BM25's idf (Lucene form). A large corpus is dominated by its own counts; in a small one
an ordinary word it lacks weighs as the background says; a word neither uses weighs one more than a word
used once, as the corpus' own weights always had it. A corpus that holds every background document (the
shipped seed corpus) has the weights it had without a prior. BM25 keeps the corpus' own idf (bit for
bit bm25s).

A word the background never writes either takes its rate from how often text at large writes it
(data/syllable_frequency.tsv, from wordfreq's Vietnamese list: eval/mixed/build_syllables.py), when the
question gives its written form: "thêm", "toàn bộ", "ban đầu" are then ordinary words, "xăng dầu" or
"trưởng thôn" still rare ones. Mixed in as the background is, with its strength: the seed corpus, which
holds the whole background, keeps its own weights.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from quydinh_bot.config import LEXICON_DIR

PRIOR_FILE = LEXICON_DIR / "word_prior.tsv"
# how many clauses the whole background counts as: chosen leave-one-document-out over 100 - 10 000
# (eval/mixed/fit_decision.py --own; the false declines fall up to 3000, then stay)
PRIOR_CLAUSES = 3000.0
SYLLABLE_FILE = LEXICON_DIR / "syllable_frequency.tsv"
# syllables in a clause, on average (the seed documents' 865 clauses: 41.7): what turns how often text at large
# writes a word into the share of clauses that would use it
CLAUSE_SYLLABLES = 42


class Background:
    """Clause frequencies of a background corpus, per document: `rate(word)` is the share of its clauses
    that use the word; `without(ids)` the same less some documents."""

    def __init__(self, df: Mapping[str, Mapping[str, int]], clauses: Mapping[str, int]):
        self.by_doc = {d: dict(v) for d, v in df.items()}
        self.doc_clauses = dict(clauses)
        self.clauses = sum(self.doc_clauses.values())
        self.df: dict[str, int] = {}
        for words in self.by_doc.values():
            for w, n in words.items():
                self.df[w] = self.df.get(w, 0) + n

    def rate(self, word: str) -> float:
        """The share of the background's clauses that use `word` (0 for a word it never uses: measured
        leave-one-document-out, backing a compound off to its syllables' rates, or a syllable to the
        multilingual-e5 tokenizer's unigram probability, declined no better)."""
        return self.df.get(word, 0) / self.clauses if self.clauses else 0.0

    def without(self, doc_ids: Iterable[str]) -> Background:
        drop = set(doc_ids)
        if not drop & set(self.by_doc):
            return self
        keep = [d for d in self.by_doc if d not in drop]
        return Background({d: self.by_doc[d] for d in keep}, {d: self.doc_clauses[d] for d in keep})

    @classmethod
    def read(cls, path: Path) -> Background:
        """The table: a first line 'word<TAB>doc id …', a second '#clauses<TAB>N …', then per word the
        clauses of each document that use it."""
        lines = path.read_text(encoding="utf-8").splitlines()
        head, counts = lines[0].split("\t"), lines[1].split("\t")
        if head[0] != "word" or counts[0] != "#clauses":
            raise ValueError(f"{path}: the first lines must be 'word<TAB>doc …' and '#clauses<TAB>N …'")
        docs = head[1:]
        df: dict[str, dict[str, int]] = {d: {} for d in docs}
        for line in lines[2:]:
            if line.strip():
                word, *ns = line.split("\t")
                for d, n in zip(docs, ns):
                    if n != "0":
                        df[d][word] = int(n)
        return cls(df, dict(zip(docs, map(int, counts[1:]))))

    def write(self, path: Path) -> None:
        docs = sorted(self.by_doc)
        rows = sorted(self.df.items(), key=lambda x: (-x[1], x[0]))
        out = ["\t".join(["word", *docs]), "\t".join(["#clauses", *(str(self.doc_clauses[d]) for d in docs)])]
        out += ["\t".join([w, *(str(self.by_doc[d].get(w, 0)) for d in docs)]) for w, _ in rows]
        path.write_text("\n".join(out) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def background() -> Background:
    """The shipped table, loaded once (empty when absent: the weights are then the corpus' own idf)."""
    return Background.read(PRIOR_FILE) if PRIOR_FILE.exists() else Background({}, {})


class General:
    """How often text at large writes each syllable (a share of all words written): `rate(written)` is the
    share of clauses of CLAUSE_SYLLABLES syllables that would hold the written word ("toàn_bộ", "xăng dầu"),
    its syllables' frequencies combined as wordfreq combines a phrase's (1 / sum of 1 / f); 0 when any of them
    is unknown."""

    def __init__(self, freq: Mapping[str, float]):
        self.freq = dict(freq)

    def rate(self, written: str) -> float:
        parts = written.replace("_", " ").split()
        if not parts:
            return 0.0
        inverse = 0.0
        for p in parts:
            f = self.freq.get(p, 0.0)
            if f <= 0.0:
                return 0.0
            inverse += 1.0 / f
        return 1.0 - (1.0 - 1.0 / inverse) ** CLAUSE_SYLLABLES

    @classmethod
    def read(cls, path: Path) -> General:
        """The table: 'syllable<TAB>frequency' lines, '#' lines are comments."""
        freq: dict[str, float] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                word, f = line.split("\t")
                freq[word] = float(f)
        return cls(freq)


@lru_cache(maxsize=1)
def general() -> General:
    """The shipped syllable frequencies, loaded once (empty when absent: no word falls back to them)."""
    return General.read(SYLLABLE_FILE) if SYLLABLE_FILE.exists() else General({})


class WordWeights:
    """`weight(word)`: the idf of a word over the corpus' clause counts mixed with the background's, less
    the background documents the corpus holds (`held`)."""

    def __init__(self, df: Mapping[str, int], clauses: int, prior: Background | None = None,
                 strength: float = PRIOR_CLAUSES, held: Iterable[str] = (), language: General | None = None):
        full = prior if prior is not None else background()
        self.language = language if language is not None else general()
        self.prior = full.without(held)
        self.df = df
        self.strength = strength * self.prior.clauses / full.clauses if full.clauses else 0.0
        self.total = clauses + self.strength
        self.unseen = self._idf(1.0) + 1.0
        self._memo: dict[str, float] = {}

    def _idf(self, d: float) -> float:
        return math.log(1.0 + (self.total - d + 0.5) / (d + 0.5))

    def weight(self, word: str, written: str = "") -> float:
        """`word`'s weight; `written`: how the question writes it (normalised, lower case: "toàn_bộ"), which
        lets a word neither the corpus nor the background uses weigh as text at large writes it."""
        w = self._memo.get(word)
        if w is None:
            d = self.df.get(word, 0) + self.strength * self.prior.rate(word)
            if d > 0 or not written:
                w = self._idf(d) if d > 0 else self.unseen
                self._memo[word] = w
                return w
            key = word + "\t" + written
            w = self._memo.get(key)
            if w is None:
                d = self.strength * self.language.rate(written)
                w = self._idf(d) if d > 0 else self.unseen
                self._memo[key] = w
        return w
