"""Run every question of the mixed corpus (harness.py) through the search and store what tuning
needs, in .cache/mixed/:

- candidates.npz: every candidate of every question with its fused score, topical coverage,
  ranking features (search/ranking.py) and whether it holds the expected passage — what
  fit_ranking.py re-weighs without searching again;
- rows.json: per question, the rank of the first right clause under the current ranking, the
  answer-or-decline features (decision.py) and the scope verdict — what fit_decision.py reads.

    python eval/mixed/collect.py [--no-candidates]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from quydinh_bot.search.ranking import FEATURES  # noqa: E402
from quydinh_bot.search.searcher import Searcher  # noqa: E402


def collect_candidates(searcher: Searcher, items: list[dict]) -> dict[str, np.ndarray]:
    names = list(FEATURES)
    qid, fused, cov, head, right, feats = [], [], [], [], [], []
    for n, item in enumerate(items):
        if item["neg"]:
            continue
        result = searcher.search(item["q"], keep_all=True)
        for h in result.hits:
            qid.append(n)
            fused.append(h.fused)
            cov.append(h.coverage)
            head.append(h.coverage_head)
            right.append(harness.right(h.clause.text, item["expect"]))
            feats.append([h.features.get(f, 0.0) for f in names])
    return {"qid": np.array(qid), "fused": np.array(fused), "coverage": np.array(cov),
            "coverage_head": np.array(head), "right": np.array(right),
            "features": np.array(feats, dtype=np.float32).reshape(-1, len(names)), "names": np.array(names)}


def collect_rows(searcher: Searcher, items: list[dict], k: int = 10) -> list[dict]:
    decision, searcher.decision = searcher.decision, None  # features only
    rows = []
    for item in items:
        result = searcher.search(item["q"], k=k)
        rank = next((i + 1 for i, h in enumerate(result.hits) if harness.right(h.clause.text, item["expect"])),
                    None) if not item["neg"] else None
        rows.append({**item, "rank": rank, "features": result.features,
                     "scope": result.reason if result.features is None else "",
                     "top": result.hits[0].clause.clause_id if result.hits else None})
    searcher.decision = decision
    return rows


def summary(rows: list[dict]) -> None:
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["set"], []).append(r)
    for name, rs in by.items():
        pos = [r for r in rs if not r["neg"]]
        r1 = sum(1 for r in pos if r["rank"] == 1) / max(len(pos), 1)
        r5 = sum(1 for r in pos if r["rank"] and r["rank"] <= 5) / max(len(pos), 1)
        scoped = sum(1 for r in pos if r["scope"])
        print(f"{name:28s} n={len(pos):3d} R@1 {r1:.3f} R@5 {r5:.3f} (ranking alone)  scope-declined {scoped}"
              f"  no-document {sum(1 for r in pos if r['doc'] == '?')}")


def own_corpora() -> list[tuple[Searcher, list[dict]]]:
    """Each question in the corpus it was written for: the seed sets over the seed corpus (the
    project's own index), each real document's questions over that document alone (build-single)."""
    from quydinh_bot.config import get_settings

    seed = Searcher(get_settings())
    out = [(seed, [q for q in harness.questions(seed.clauses) if not q["set"].startswith("real")])]
    for path in harness.real_files():
        out.append((Searcher(harness.single_settings(path.name)), harness.real_questions(path.name)))
    return out


def main(argv: list[str]) -> None:
    """`--own`: each question in its own corpus (seed corpus; one real document alone), written to
    own-candidates.npz / own-rows.json; default: the mixed corpus."""
    own = "--own" in argv
    if own:
        pairs = own_corpora()
    else:
        mixed = Searcher(harness.settings())
        pairs = [(mixed, harness.questions(mixed.clauses))]
    prefix = "own-" if own else ""
    harness.CACHE.mkdir(parents=True, exist_ok=True)
    t = time.time()
    items = [i for _, qs in pairs for i in qs]
    if "--no-candidates" not in argv:
        parts = []
        offset = 0
        for searcher, qs in pairs:
            c = collect_candidates(searcher, qs)
            c["qid"] = c["qid"] + offset
            offset += len(qs)
            parts.append(c)
        keys = ("qid", "fused", "coverage", "coverage_head", "right", "features")
        merged = {k: np.concatenate([p[k] for p in parts]) for k in keys}
        np.savez_compressed(harness.CACHE / f"{prefix}candidates.npz", **merged, names=parts[0]["names"],
                            doc=np.array([i["doc"] for i in items]), set=np.array([i["set"] for i in items]))
    rows = [r for searcher, qs in pairs for r in collect_rows(searcher, qs)]
    (harness.CACHE / f"{prefix}rows.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    print(f"{len(rows)} questions in {time.time() - t:.0f} s")
    summary(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
