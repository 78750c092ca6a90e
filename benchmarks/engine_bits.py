"""Passage vectors of one engine build against another's: every clause of the index, embedded by
the engine built for the current sources, saved or compared with a saved run.

    .venv/bin/python benchmarks/engine_bits.py --save /tmp/before.npz     # with the old kernels
    .venv/bin/python benchmarks/engine_bits.py --compare /tmp/before.npz  # after a kernel change

Why: a kernel that keeps the float steps' order gives the same bits, and then the evals cannot
move; one that does not must stay within cosine 0.9999 of the old vectors per passage (and the
evals be run again). Prints the build's key, how many vectors are bit-identical, the lowest and
mean cosine, and the passages' token counts (attention grows with their square).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()

    from quydinh_bot.encoder.embed import Embedder
    from quydinh_bot.encoder.engine import engine_safe
    from quydinh_bot.index.build import dense_text, load_index

    index = load_index()
    texts = [dense_text(c) for c in index.clauses]
    emb = Embedder()
    if emb.precision != "engine":
        sys.exit("passages are not embedded by the engine here (no compiler, or another precision)")
    t0 = time.perf_counter()
    vectors = emb.encode_passages(texts)
    seconds = time.perf_counter() - t0
    engine = emb._passage_engine
    tokens = np.array([engine.token_count(engine_safe(emb.prepare(t)), False) for t in texts])
    print(f"build {engine.key}: {len(texts)} passages, {tokens.sum()} tokens, {seconds:.1f} s "
          f"(load average {os.getloadavg()[0]:.2f})")
    print("tokens per passage: " + ", ".join(f"p{p} {np.percentile(tokens, p):.0f}" for p in (50, 90, 99, 100))
          + f"; share of n^2 in passages over 128 tokens {np.sum(tokens[tokens > 128] ** 2) / np.sum(tokens ** 2):.2f}")
    if args.save:
        np.savez(args.save, vectors=vectors, key=engine.key)
        print(f"saved {args.save}")
        return
    old = np.load(args.compare)
    before = old["vectors"]
    if before.shape != vectors.shape:
        sys.exit(f"not the same passages: {before.shape} against {vectors.shape} (was the index rebuilt?)")
    same = np.all(before == vectors, axis=1)
    cos = np.sum(before * vectors, axis=1)
    print(f"against build {old['key']}: {same.sum()} of {len(same)} bit-identical; cosine min {cos.min():.6f} "
          f"mean {cos.mean():.7f}; {np.sum(cos < 0.9999)} below 0.9999")


if __name__ == "__main__":
    main()
