"""Fit the re-ranking weights (data/ranking.json) on the candidates collect.py stored, and judge
them leave-one-document-out: for each document, the weights are fitted on the questions about the
other documents and scored on that document's questions. Printed per question set and per document.

    python eval/mixed/fit_ranking.py            # LOO figures of the current and the fitted weights
    python eval/mixed/fit_ranking.py --write    # also fit on all questions and write data/ranking.json

The fit: coordinate search over each feature's log-weight (and the coverage offset and power),
maximising the mean reciprocal rank of the first right clause, each question weighted
1/sqrt(questions about its document) so that no document dominates, with a small pull of every
log-weight towards 0 (no effect) so that a feature few questions see stays near neutral."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from quydinh_bot.search import ranking as ranking_model  # noqa: E402

GRID = np.round(np.arange(-2.4, 1.21, 0.1), 2)  # log-weights: x0.09 .. x3.3
OFFSETS = [0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 1.0]
POWERS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]
PULL = 0.002


class Data:
    def __init__(self, path: Path):
        z = np.load(path)
        qid, right = z["qid"], z["right"]
        self.doc, self.set = z["doc"], z["set"]
        self.nq = len(self.doc)
        self.answerable = np.zeros(self.nq, dtype=bool)  # some candidate holds the passage
        self.answerable[np.unique(qid[right])] = True
        self.asked = np.zeros(self.nq, dtype=bool)  # a positive question (it has candidates)
        self.asked[np.unique(qid)] = True
        keep = self.answerable[qid]  # a question with no right candidate scores 0 whatever the weights
        order = np.argsort(qid[keep], kind="stable")
        self.qid = qid[keep][order]
        self.right = right[keep][order]
        self.cov = z["coverage"][keep][order]
        self.F = z["features"][keep][order].astype(np.float64)
        self.logfused = np.log(np.maximum(z["fused"][keep][order], 1e-12))
        self.names = [str(n) for n in z["names"]]
        self.starts = np.flatnonzero(np.r_[True, self.qid[1:] != self.qid[:-1]])
        self.qs = self.qid[self.starts]  # the question of each segment

    def scores(self, lw: np.ndarray, off: float, power: float) -> np.ndarray:
        return self.logfused + self.F @ lw + power * np.log(off + self.cov)

    def seg_ranks(self, s: np.ndarray) -> np.ndarray:
        """Rank of the first right candidate of each answerable question (segment order)."""
        best = np.maximum.reduceat(np.where(self.right, s, -np.inf), self.starts)
        rep = np.repeat(best, np.diff(np.r_[self.starts, len(s)]))
        return np.add.reduceat((s > rep).astype(np.float64), self.starts) + 1

    def ranks(self, lw: np.ndarray, off: float, power: float) -> np.ndarray:
        """Rank per question (0: no candidate is right, or not a positive question)."""
        out = np.zeros(self.nq)
        out[self.qs] = self.seg_ranks(self.scores(lw, off, power))
        return out


def fit(data: Data, train: np.ndarray, start: ranking_model.Ranking,
        sweeps: int = 3) -> tuple[np.ndarray, float, float]:
    """Coordinate search on the questions of `train` (boolean mask over questions)."""
    docs = data.doc[train & data.asked]
    counts = {d: int((docs == d).sum()) for d in set(docs)}
    qw = np.array([1.0 / math.sqrt(counts[d]) if t and a else 0.0 for d, t, a in zip(data.doc, train, data.asked)])
    total = qw.sum()
    seg_w = qw[data.qs]
    rows = train[data.qid]
    asked = (data.F[rows] != 0).any(axis=0)
    lw = np.array([math.log(start.weight(n)) if asked[j] else 0.0 for j, n in enumerate(data.names)])
    off, power = start.coverage_offset, start.coverage_power
    base = data.logfused + power * np.log(off + data.cov)
    s = base + data.F @ lw

    def value(s_: np.ndarray, lw_: np.ndarray) -> float:
        return float((seg_w / data.seg_ranks(s_)).sum() / total) - PULL * float((lw_ ** 2).sum())

    best = value(s, lw)
    for _ in range(sweeps):
        improved = False
        for j in np.flatnonzero(asked):
            col = data.F[:, j]
            for v in GRID:
                trial_s = s + (v - lw[j]) * col
                trial = lw.copy()
                trial[j] = v
                got = value(trial_s, trial)
                if got > best + 1e-9:
                    best, lw, s, improved = got, trial, trial_s, True
        fl = data.F @ lw
        for o in OFFSETS:
            for p in POWERS:
                trial_s = data.logfused + p * np.log(o + data.cov) + fl
                got = value(trial_s, lw)
                if got > best + 1e-9:
                    best, off, power, s, improved = got, o, p, trial_s, True
        if not improved:
            break
    return lw, off, power


def figures(ranks: np.ndarray, mask: np.ndarray) -> tuple[int, float, float, float]:
    r = ranks[mask]
    n = len(r)
    if not n:
        return 0, 0.0, 0.0, 0.0
    return n, float((r == 1).mean()), float(((r >= 1) & (r <= 5)).mean()), \
        float(np.where(r > 0, 1.0 / np.maximum(r, 1), 0).mean())


def main(argv: list[str]) -> None:
    prefix = "own-" if "--own" in argv else ""
    data = Data(harness.CACHE / f"{prefix}candidates.npz")
    start = ranking_model.load()
    asked_q = data.asked
    lw0 = np.array([math.log(start.weight(n)) for n in data.names])
    current = data.ranks(lw0, start.coverage_offset, start.coverage_power)
    loo = np.zeros(data.nq)
    docs = sorted({d for d, a in zip(data.doc, asked_q) if a})
    for d in docs:
        train = asked_q & (data.doc != d)
        lw, off, power = fit(data, train, start)
        test = data.doc == d
        loo[test] = data.ranks(lw, off, power)[test]
    print(f"{'set / document':34s} {'n':>4s}   current R@1 R@5 MRR     fitted LOO R@1 R@5 MRR")
    groups = [("set", s) for s in dict.fromkeys(data.set)] + [("doc", d) for d in docs]
    for kind, g in groups:
        mask = asked_q & ((data.set == g) if kind == "set" else (data.doc == g))
        n, a1, a5, am = figures(current, mask)
        _, b1, b5, bm = figures(loo, mask)
        print(f"{g[:34]:34s} {n:4d}   {a1:.3f} {a5:.3f} {am:.3f}     {b1:.3f} {b5:.3f} {bm:.3f}")
    lw, off, power = fit(data, asked_q, start)
    fitted = data.ranks(lw, off, power)
    print("\nfitted on all (in-sample):")
    for g in dict.fromkeys(data.set):
        n, a1, a5, am = figures(fitted, asked_q & (data.set == g))
        print(f"{g[:34]:34s} {n:4d}   {a1:.3f} {a5:.3f} {am:.3f}")
    if "--write" in argv:
        r = ranking_model.Ranking({n: round(math.exp(v), 4) for n, v in zip(data.names, lw) if abs(v) > 1e-9},
                                  off, power, "fitted by eval/mixed/fit_ranking.py on the seed and real questions "
                                  "(mixed corpus); judged leave-one-document-out")
        ranking_model.RANKING_FILE.write_text(json.dumps(r.to_json(), ensure_ascii=False, indent=1) + "\n", "utf-8")
        print("wrote", ranking_model.RANKING_FILE)
        for n, v in zip(data.names, lw):
            print(f"  {n:20s} {math.exp(v):6.3f}  (was {start.weight(n):.3f})")
        print(f"  coverage offset {off} power {power}")


if __name__ == "__main__":
    main(sys.argv[1:])
