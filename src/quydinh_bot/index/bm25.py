"""BM25 over the clauses of every index part, assembled when the index is loaded.

Each part stores its clauses' term counts (local vocabulary, counts per clause, lengths); the
corpus-wide statistics (document frequencies, average length, idf) exist only in memory, so
adding a document writes nothing but its own part. Scores are bit for bit those of
`bm25s.BM25()` with its defaults (Lucene variant, k1=1.5, b=0.75, float32 scores, a repeated
query token counted again): the same float64 arithmetic per (clause, term), rounded to float32
once, and the same float32 sums in query-token order (tests/index/test_index.py checks it against bm25s).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

K1 = 1.5
B = 0.75


@dataclass
class TermCounts:
    """One part's lexical tokens: clause i holds terms ids[ptr[i]:ptr[i+1]] (indices into
    `vocab`) tf[...] times each, and lengths[i] tokens in all."""

    vocab: list[str]
    ptr: np.ndarray
    ids: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray

    @classmethod
    def from_tokens(cls, docs: list[list[str]]) -> "TermCounts":
        vocab: dict[str, int] = {}
        ptr, lengths = [0], []
        ids: list[int] = []
        tf: list[int] = []
        for toks in docs:
            counts: dict[int, int] = {}
            for t in toks:
                j = vocab.setdefault(t, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            ids.extend(counts)
            tf.extend(counts.values())
            ptr.append(len(ids))
            lengths.append(len(toks))
        return cls(list(vocab), np.asarray(ptr, dtype=np.int64), np.asarray(ids, dtype=np.int32),
                   np.asarray(tf, dtype=np.int32), np.asarray(lengths, dtype=np.int64))


class BM25:
    """`get_scores(tokens)` over all clauses, with `vocab` (term -> column) and `df`."""

    def __init__(self, parts: list[TermCounts]):
        vocab: dict[str, int] = {}
        rows, cols, tfs, lengths = [], [], [], []
        offset = 0
        for p in parts:
            gids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in p.vocab), dtype=np.int64, count=len(p.vocab))
            n = len(p.lengths)
            rows.append(offset + np.repeat(np.arange(n, dtype=np.int64), np.diff(p.ptr)))
            cols.append(gids[p.ids] if len(p.ids) else np.zeros(0, dtype=np.int64))
            tfs.append(p.tf)
            lengths.append(p.lengths)
            offset += n
        self.vocab = vocab
        self.num_docs = offset
        row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        tf = (np.concatenate(tfs) if tfs else np.zeros(0)).astype(np.float32)
        length = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
        self.df = np.bincount(col, minlength=len(vocab))
        n_docs = self.num_docs
        # as bm25s: idf in float64 (math.log) stored as float32; avg length a float64 mean
        idf = np.asarray([math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for d in self.df.tolist()], dtype=np.float32)
        avg = length.mean() if len(length) else np.float64(1.0)
        tfc = tf / (K1 * ((1 - B) + B * length[row] / avg) + tf)
        scores = (idf[col] * tfc).astype(np.float32)
        order = np.argsort(col, kind="stable")  # by term, clauses ascending within a term
        self.indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.indptr[1:])
        self.indices = row[order].astype(np.int32)
        self.data = scores[order]

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for t in tokens:
            j = self.vocab.get(t)
            if j is None:
                continue
            a, b = self.indptr[j], self.indptr[j + 1]
            scores[self.indices[a:b]] += self.data[a:b]
        return scores

    def idf(self) -> dict[str, float]:
        """Term -> idf in float64, as the coverage weights use it."""
        n = self.num_docs
        return {t: float(np.log(1 + (n - d + 0.5) / (d + 0.5))) for t, d in zip(self.vocab, self.df.tolist()) if t}
