#!/usr/bin/env python3
"""Check the hand-written gold against the documents themselves.

  python eval/real/check_gold.py [--real-dir DIR]
  python eval/real/check_gold.py --gold eval/probe/gold --docs eval/probe/docs --any-count   # another gold set
  python eval/real/check_gold.py --questions questions_more.jsonl   # the second question set (8 + 4 per file)

Every task snippet, lead, partner and deadline, and every question's expected passage, must
occur in the document's own text (eval/real/doctext.py) after NFC and whitespace
normalisation; task snippets and expected passages must also be verbatim in case. Snippets
are 5-15 words (a task table cell shorter than that is marked "whole"). Prints problems and
per-file counts; exits 1 on a problem. Needs python-docx and pdfplumber (the project's venv).
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from doctext import norm_space, text_of  # noqa: E402

KINDS = {"lead", "deadline", "figure", "procedure", "content"}
# per questions file: (fewest, most) real questions and the negatives each document must have;
# a file not named here keeps the first set's rule (--any-count drops the rule)
COUNTS = {"questions.jsonl": ((8, 12), 2), "questions_more.jsonl": ((8, 8), 4), "questions_third.jsonl": ((7, 7), 3)}
HOWS = {"table", "label", "section", "sentence"}


def default_real_dir() -> Path:
    return HERE.parents[1].parent / "shared" / "real"


def rows(gold: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (gold / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def accented(s: str) -> bool:
    return any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", s)) or "đ" in s.lower()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--real-dir", "--docs", type=Path, default=default_real_dir(), help="the documents")
    ap.add_argument("--gold-dir", "--gold", type=Path, default=HERE, help="metadata/tasks/questions.jsonl")
    ap.add_argument("--questions", default="questions.jsonl",
                    help="the questions file in the gold folder (eval/probe/gold/questions_check.jsonl: a second set)")
    ap.add_argument("--any-count", action="store_true",
                    help="no per-file count rule (8-12 questions and 2 negatives; questions_more.jsonl: 8 and 4)")
    a = ap.parse_args()
    meta, tasks, questions = (rows(a.gold_dir, n) for n in ("metadata.jsonl", "tasks.jsonl", a.questions))
    problems: list[str] = []
    texts: dict[str, str] = {}
    for m in meta:
        path = a.real_dir / m["file"]
        if not path.exists():
            problems.append(f"missing file {path}")
            continue
        texts[m["file"]] = norm_space(text_of(path))
    if len(meta) != len({m["file"] for m in meta}):
        problems.append("metadata.jsonl names a file twice")

    def need(file: str, s: str, what: str, case: bool = True) -> None:
        t = texts.get(file, "")
        s = norm_space(s)
        ok = s in t if case else s.casefold() in t.casefold()
        if not ok:
            problems.append(f"{file}: {what} not in the text: {s!r}")

    def words(s: str, what: str, file: str, whole: bool = False) -> None:
        n = len(norm_space(s).split())
        if not whole and not 5 <= n <= 15:
            problems.append(f"{file}: {what} has {n} words: {s!r}")

    for m in meta:
        if m["file"] not in texts:
            continue
        for key in ("issuer", "place"):
            if m.get(key):
                need(m["file"], m[key], f"metadata {key}", case=False)
        if m.get("number"):
            need(m["file"], m["number"], "metadata number")
    for t in tasks:
        f = t["file"]
        if f not in texts:
            problems.append(f"task for unknown file {f}")
            continue
        need(f, t["task"], "task")
        words(t["task"], "task", f, t.get("whole", False))
        if t["how"] not in HOWS:
            problems.append(f"{f}: bad how {t['how']!r}")
        for p in ([t["lead"]] if t.get("lead") else []) + list(t.get("partners") or []):
            need(f, p, "lead/partner", case=False)
        if t.get("deadline"):
            need(f, t["deadline"], "deadline", case=False)
    for q in questions:
        f = q["file"]
        if f not in texts:
            problems.append(f"question for unknown file {f}")
            continue
        if q["type"] not in KINDS:
            problems.append(f"{f}: bad type {q['type']!r}")
        if q["neg"]:
            if q.get("expect") is not None:
                problems.append(f"{f}: negative with an expect: {q['q']!r}")
            continue
        need(f, q["expect"], "expect")
        words(q["expect"], "expect", f)
    per_task = Counter(t["file"] for t in tasks)
    per_q: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for q in questions:
        c = per_q[q["file"]]
        c[1 if q["neg"] else 0] += 1
        c[2] += not accented(q["q"])
    print(f"{'file':58} tasks  pos  neg  unaccented")
    for m in meta:
        f = m["file"]
        pos, neg, plain = per_q[f]
        print(f"{f:58} {per_task[f]:5} {pos:4} {neg:4} {plain:5}")
        (lo, hi), want_neg = COUNTS.get(a.questions, COUNTS["questions.jsonl"])
        if not a.any_count and (not lo <= pos <= hi or neg != want_neg):
            problems.append(f"{f}: {pos} questions and {neg} negatives (want {lo}-{hi} and {want_neg})")
    print(f"{'total':58} {len(tasks):5} {sum(v[0] for v in per_q.values()):4} "
          f"{sum(v[1] for v in per_q.values()):4} {sum(v[2] for v in per_q.values()):5}")
    for p in problems:
        print("PROBLEM", p)
    print("gold OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
