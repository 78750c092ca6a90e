"""Search benchmark: index build time, cold `ask` (a fresh process answering one question), warm
query latency (Python API and `ask`), register questions, and search latency + memory at 100x the
corpus. Prints; asserts nothing.

    .venv/bin/python benchmarks/search.py [--scale 100] [--queries 40]

The 100x index is synthetic: copies of every clause with their numbers changed, whose vectors
are the corpus vectors plus small noise (embedding throughput is measured by benchmarks/embed.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Ai chủ trì số hóa tài liệu, hạn khi nào?", "ai chu tri so hoa tai lieu",
    "Chỉ tiêu kết nạp đảng viên trong doanh nghiệp năm 2026?", "Khi nào tổng kết công tác đào tạo, bồi dưỡng cán bộ?",
    "Ủy ban Kiểm tra Tỉnh ủy có trách nhiệm gì trong thực hiện Đề án?", "Tháng 3/2026 có những nhiệm vụ nào?",
    "TCCSĐ ở Thái Nguyên được xếp loại hoàn thành tốt nhiệm vụ đạt bao nhiêu?", "Đề án nhân sự UBKT Tỉnh ủy",
    "Thời tiết Hà Nội ngày mai", "Ai chủ trì giao biên chế các cơ quan đảng năm 2026?",
]

# "dbqh": no table writes it out; question/initials.py reads it as the run of words the corpus writes
SHORT_FORM_QUESTION = "Hạn nộp hồ sơ ứng cử dbqh là khi nào?"

REGISTER_QUESTIONS = [
    "Ban Tổ chức Tỉnh ủy chủ trì những nhiệm vụ gì trong Kế hoạch 376?", "viec nao den han thang 9/2025",
    "Ban Tuyên giáo và Dân vận chủ trì bao nhiêu nhiệm vụ", "những nhiệm vụ nào đã quá hạn",
]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_queries(search, questions: list[str], rounds: int) -> list[float]:
    search(questions[0])  # warm
    out = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            search(q)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    print(f"{name:46s} p50 {statistics.median(ms):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   "
          f"(n={len(ms)}, target p95 < 50 ms)")


def bench_build(tmp: Path) -> None:
    os.environ["QUYDINH_INDEX_DIR"] = str(tmp / "index")
    from quydinh_bot import Corpus
    from quydinh_bot.config import Settings
    from quydinh_bot.encoder.embed import Embedder
    from quydinh_bot.index.build import build_index

    embedder = Embedder()
    t0 = time.perf_counter()
    corpus = Corpus.load()
    t1 = time.perf_counter()
    build_index(Settings(), corpus=corpus, embedder=embedder)
    t2 = time.perf_counter()
    print(f"corpus parse: {t1 - t0:.2f} s; index build ({len(corpus.clauses)} clauses, embeddings included): "
          f"{t2 - t1:.1f} s")


def _exe() -> str:
    return shutil.which("quydinh-bot") or str(Path(sys.executable).parent / "quydinh-bot")


def bench_cold(runs: int = 3) -> list[float]:
    """Seconds from starting `quydinh-bot ask "…"` to its answer: what a one-off command costs."""
    out, cpu = [], []
    questions = [QUESTIONS[0], REGISTER_QUESTIONS[0], QUESTIONS[1]]
    for i in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([_exe(), "ask", "--json", questions[i % len(questions)]], stdout=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    # on a shared machine wall time includes waiting for a core; CPU time is what the start costs
    print(f"cold `ask` (fresh process, one question): median {statistics.median(out):.2f} s wall, "
          f"{statistics.median(cpu):.2f} s CPU, min {min(out):.2f} s, max {max(out):.2f} s (n={runs}, target <= 2 s)")
    return out


def bench_api(rounds: int) -> list[float]:
    from quydinh_bot import Assistant

    a = Assistant()
    ms = time_queries(lambda q: a.ask(q), QUESTIONS, rounds)
    report("Python API, Assistant.ask (warm)", ms)
    report("Python API, register questions (warm)", time_queries(lambda q: a.ask(q, k=10), REGISTER_QUESTIONS, rounds))
    return ms


def bench_cli(rounds: int) -> None:
    proc = subprocess.Popen([_exe(), "ask", "--json"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            bufsize=1)
    assert proc.stdin and proc.stdout
    ms = []
    t_start = time.perf_counter()
    proc.stdin.write(QUESTIONS[0] + "\n")
    proc.stdout.readline()
    print(f"`ask` process start + first answer: {(time.perf_counter() - t_start):.2f} s")
    for _ in range(rounds):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            proc.stdin.write(q + "\n")
            json.loads(proc.stdout.readline())
            ms.append((time.perf_counter() - t0) * 1000)
    proc.stdin.close()
    proc.wait()
    report("`quydinh-bot ask --json` (stdin lines, warm)", ms)


def bench_scale(scale: int, rounds: int) -> None:
    import faiss

    from quydinh_bot.index.bm25 import BM25, TermCounts
    from quydinh_bot.index.build import load_index
    from quydinh_bot.search.searcher import Searcher

    base = load_index()
    n0 = len(base.clauses)
    vecs0 = base.dense.reconstruct_n(0, n0)
    tokens0 = [sorted(t) for t in base.token_sets]
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    clauses, tokens, vecs = [], [], []
    for k in range(scale):
        for c, toks in zip(base.clauses, tokens0):
            # a copy with changed numbers: another document, other figures
            text = re.sub(r"\d+", lambda m: str(int(m.group(0)) + k), c.text) if k else c.text
            clauses.append(replace(c, doc_id=f"{c.doc_id}-x{k}" if k else c.doc_id, text=text))
            tokens.append([t for t in toks if not t.startswith(("^", "~"))] + [f"x{k}"])
        noise = rng.normal(0, 0.02, vecs0.shape).astype(np.float32)
        v = vecs0 + noise
        vecs.append(v / np.linalg.norm(v, axis=1, keepdims=True))
    vecs = np.vstack(vecs)
    dense = faiss.IndexFlatIP(vecs.shape[1])
    dense.add(vecs)
    bm25 = BM25([TermCounts.from_tokens(tokens)])  # as load_index assembles its parts' counts
    big = replace(base, clauses=clauses, dense=dense, bm25=bm25, idf=bm25.idf(),
                  token_sets=[frozenset(t) for t in tokens])
    big.documents.update({f"{d}-x{k}": info for d, info in base.documents.items() for k in range(1, scale)})
    print(f"{scale}x synthetic index: {len(clauses)} clauses built in {time.perf_counter() - t0:.1f} s; "
          f"dense {vecs.nbytes / 2**20:.0f} MiB; process max RSS {rss_mib():.0f} MiB")
    s = Searcher(index=big)
    report(f"Searcher.search at {scale}x ({len(clauses)} clauses)",
           time_queries(lambda q: s.search(q), QUESTIONS, rounds))
    for when in ("first", "again"):  # the first reads the corpus for the runs "dbqh" spells; then remembered
        t0 = time.perf_counter()
        s.search(SHORT_FORM_QUESTION)
        print(f"Searcher.search at {scale}x, a short form the corpus spells, {when}: "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    print(f"process max RSS after {scale}x queries: {rss_mib():.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--skip-build", action="store_true", help="use the existing index/ instead of building one")
    ap.add_argument("--cold-runs", type=int, default=3, help="fresh `ask` processes timed")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tmp = Path(tempfile.mkdtemp(prefix="qdb-bench-"))
    try:
        if not args.skip_build:
            bench_build(tmp)
        cold = bench_cold(args.cold_runs)
        warm = bench_api(args.rounds)
        bench_cli(args.rounds)
        print(f"ask: cold {statistics.median(cold):.2f} s (target <= 2 s) | warm p50 {statistics.median(warm):.1f} ms, "
              f"p95 {pct(warm, 95):.1f} ms")
        if args.scale > 1:
            bench_scale(args.scale, max(1, args.rounds // 2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
