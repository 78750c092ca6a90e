"""Every real question (each asked of its own document alone, as score_real.py adds it) whose right
clause is not the first candidate of the ranking, with what outranks it and why: for the right clause
and the clauses above it, the fused dense+lexical score (and its two ranks), the topical coverage, and
the ranking features with their weights — so that a miss can be told lexical, dense or re-ranking.

    python eval/mixed/harness.py build-single     # first (each real document alone, ~1 min)
    python eval/mixed/why_ranked.py [--file NAME] [--all] [--above N]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from quydinh_bot.search.searcher import Hit, Searcher  # noqa: E402


def describe(s: Searcher, h: Hit, rank: int, dense_rank: dict[str, int], lex_rank: dict[str, int]) -> str:
    cid = h.clause.clause_id
    feats = " ".join(f"{k}x{s.ranking.weight(k):.2f}" for k in h.features)
    text = " ".join(h.clause.text.split())[:90]
    return (f"   #{rank:<2d} score={h.score:.4f} fused={h.fused:.4f} dense={h.dense:.3f}(r{dense_rank.get(cid, '-')}) "
            f"lex={h.lexical:.2f}(r{lex_rank.get(cid, '-')}) cov={h.coverage:.2f} [{feats}] {h.clause.kind} "
            f"{cid.split(':')[-1]}\n        {text}")


def main(argv: list[str]) -> None:
    above = int(argv[argv.index("--above") + 1]) if "--above" in argv else 3
    only = argv[argv.index("--file") + 1] if "--file" in argv else None
    total: dict[str, int] = {}
    first: dict[str, int] = {}
    five: dict[str, int] = {}
    for path in harness.real_files():
        if only and only not in path.name:
            continue
        s = Searcher(harness.single_settings(path.name))
        for item in harness.real_questions(path.name):
            if item["neg"]:
                continue
            result = s.search(item["q"], keep_all=True)
            hits = result.hits
            dense_rank = {h.clause.clause_id: r for r, h in
                          enumerate(sorted((h for h in hits if h.dense), key=lambda h: -h.dense), 1)}
            lex_rank = {h.clause.clause_id: r for r, h in
                        enumerate(sorted((h for h in hits if h.lexical > 0), key=lambda h: -h.lexical), 1)}
            rank = next((i + 1 for i, h in enumerate(hits) if harness.right(h.clause.text, item["expect"])), None)
            tag = item["set"]
            total[tag] = total.get(tag, 0) + 1
            first[tag] = first.get(tag, 0) + (rank == 1)
            five[tag] = five.get(tag, 0) + (rank is not None and rank <= 5)
            if rank == 1 and "--all" not in argv:
                continue
            q = result.query
            print(f"[{path.stem[:18]}] {tag} {item['cat']:9s} rank={rank}  {item['q']}\n"
                  f"   intent={q.intent} asks={sorted(q.asks)} topic={q.topic_expanded or q.expanded!r}")
            for r, h in enumerate(hits[:above], 1):
                if r != rank:
                    print(describe(s, h, r, dense_rank, lex_rank))
            if rank is not None:
                print(describe(s, hits[rank - 1], rank, dense_rank, lex_rank))
            else:
                print(f"   right clause not among the {len(hits)} candidates; expect {item['expect'][0]!r}")
    for tag in total:
        print(f"{tag}: ranking alone R@1 {first[tag]}/{total[tag]}  R@5 {five[tag]}/{total[tag]}")


if __name__ == "__main__":
    main(sys.argv[1:])
