"""Short forms spelled from the corpus (question/initials.py): what a serving process pays the first time
it meets a short form ("dbqh", "sct"), in time and in memory kept afterwards, on the seed corpus and on
`--scale` times it. Prints; asserts nothing.

    .venv/bin/python benchmarks/initials.py [--scale 100] [--old] [--compare [--single DIR]]

The large corpus is the index's clause texts copied `--scale` times, every number in copy k raised by k
(as benchmarks/search.py builds its synthetic index): the same runs of words, `--scale` times as often.
`--old` measures the word-by-word reading too (tests/question/initials_reference.py, the module before
the regular expression: seconds and hundreds of MB at 100x). `--compare` spells every consonant-only
word of the eval questions both ways, and `--sample` initials the corpus writes, over the seed corpus
and each real document's index alone (DIR, as eval/mixed/harness.py build-single makes them), spells
out every question (as written and folded) both ways, and prints how many differ.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "question"))  # initials_reference.py

SHORTS = ["dbqh", "sct", "vlncn", "sgddt", "pccc", "ubnd", "tccsd", "cbcc", "btctu", "hdnd"]
QUESTION_SETS = [ROOT.parent / "shared" / "eval" / "questions_dev.jsonl", *sorted((ROOT / "eval").glob("*.jsonl")),
                 ROOT / "eval" / "real" / "questions.jsonl", ROOT / "eval" / "probe" / "questions.jsonl",
                 ROOT / "eval" / "probe" / "gold" / "questions_check.jsonl"]


def scaled(texts: list[str], scale: int) -> list[str]:
    return [re.sub(r"\d+", lambda m: str(int(m.group(0)) + k), t) if k else t for k in range(scale) for t in texts]


def first_lookups(make: Callable[[list[str]], object], texts: list[str]) -> list[float]:
    """Seconds of each of SHORTS' first look-up, each in a fresh object (nothing remembered)."""
    out = []
    for short in SHORTS:
        obj = make(texts)
        t0 = time.perf_counter()
        obj.spell(short)  # type: ignore[attr-defined]
        out.append(time.perf_counter() - t0)
    return out


def kept_mib(make: Callable[[list[str]], object], texts: list[str]) -> tuple[float, float]:
    """(MiB the object holds after its first look-up, MiB at the peak of that look-up), by tracemalloc."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    obj = make(texts)
    obj.spell(SHORTS[0])  # type: ignore[attr-defined]
    now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del obj
    return (now - before) / 2**20, (peak - before) / 2**20


def bench(name: str, make: Callable[[list[str]], object], corpora: list[tuple[str, list[str]]]) -> None:
    for label, texts in corpora:
        secs = first_lookups(make, texts)
        kept, peak = kept_mib(make, texts)
        print(f"{name:10s} {label:28s} first look-up: '{SHORTS[0]}' {secs[0]:6.3f} s, median of {len(SHORTS)} "
              f"short forms {statistics.median(secs):6.3f} s, max {max(secs):6.3f} s | kept {kept:7.2f} MiB, "
              f"peak {peak:7.2f} MiB", flush=True)


def questions() -> list[str]:
    """Every eval question, as written and accent-folded."""
    from quydinh_bot.language.text import fold

    out = []
    for path in QUESTION_SETS:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                q = json.loads(line).get("q") if line.strip() else None
                if isinstance(q, str):
                    out += [q, fold(q)]
    return out


def question_shorts(qs: list[str]) -> set[str]:
    """The folded consonant-only words of the questions, as spell_out picks them."""
    from quydinh_bot.language.text import fold
    from quydinh_bot.question.initials import _CONSONANTS

    return {s for q in qs for w in re.findall(r"(?<![\w/-])\w+(?![\w/-])", q) if _CONSONANTS.fullmatch(s := fold(w))}


def compare(single: Path, sample: int) -> None:
    from initials_reference import ReferenceInitialisms

    from quydinh_bot.config import get_settings
    from quydinh_bot.index.build import load_index
    from quydinh_bot.question.initials import _CONSONANTS, Initialisms

    qs = questions()
    asked = sorted(question_shorts(qs))
    indexes = [("seed corpus", get_settings())]
    indexes += [(d.name, dataclasses.replace(get_settings(), corpus_dir=d / "corpus",
                                                    index_dir=d / "index"))
                for d in sorted(single.iterdir()) if (d / "index" / "current").exists()] if single.exists() else []
    total = differ = spelled = 0
    for label, settings in indexes:
        texts = [c.text for c in load_index(settings).clauses]
        new, old = Initialisms(texts), ReferenceInitialisms(texts)
        written = sorted(s for s in old.shorts() if _CONSONANTS.fullmatch(s) and s not in asked)
        shorts = asked + random.Random(0).sample(written, min(sample, len(written)))
        diffs = [(s, old.spell(s), new.spell(s)) for s in shorts]
        diffs_only = [d for d in diffs if d[1] != d[2]]
        by_old = Initialisms(texts)
        by_old.spell = old.spell  # type: ignore[method-assign]
        known = load_index(settings).idf
        diffs_only += [(q, *a) for q in qs if (a := (by_old.spell_out(q, known), new.spell_out(q, known)))[0] != a[1]]
        total += len(diffs)
        differ += len(diffs_only)
        spelled += sum(d[1] is not None for d in diffs)
        print(f"compare {label[:40]:40s} {len(texts):5d} clauses: {len(asked)} asked + {len(shorts) - len(asked)} "
              f"written short forms, "
              f"{sum(d[1] is not None for d in diffs):3d} spelled, {len(diffs_only)} differ {diffs_only[:3]}")
    print(f"compare: {total} (index, short form) pairs over {len(indexes)} indexes, {spelled} spelled; and "
          f"spell_out of {len(qs)} questions (as written and folded) on each: {differ} differ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--old", action="store_true", help="measure the word-by-word reading too")
    ap.add_argument("--compare", action="store_true", help="eval questions' short forms spelled both ways")
    ap.add_argument("--single", type=Path, default=ROOT / ".cache" / "single",
                    help="one index per real document (eval/mixed/harness.py build-single)")
    ap.add_argument("--sample", type=int, default=300,
                    help="with --compare: also this many consonant-only initials the corpus writes (at random)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from initials_reference import ReferenceInitialisms

    from quydinh_bot.index.build import load_index
    from quydinh_bot.question.initials import Initialisms

    base = [c.text for c in load_index().clauses]
    big = scaled(base, args.scale)
    corpora = [(f"seed ({len(base)} clauses)", base), (f"{args.scale}x ({len(big)} clauses)", big)]
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
          f"{args.scale}x texts: {sum(map(len, big)) / 1e6:.1f} M characters")
    if args.compare:
        compare(args.single, args.sample)
    # as the searcher passes them: a list of the clauses' texts (its 8 bytes a clause counted as kept)
    bench("regex", lambda texts: Initialisms(list(texts)), corpora)
    if args.old:
        bench("old", lambda texts: ReferenceInitialisms(list(texts)), corpora)


if __name__ == "__main__":
    main()
