"""Score the first answer line of 'how many' questions: it must name the asked figure, in bold.

Each line of the file is {"id", "q", "figure"} (the figure as the clause prints it: "350", "25%", "1.340");
the ids are those of the dev, extra and terse question sets the questions come from. A question counts
as right when the answer's first line holds **figure** (a unit may follow). Figures are read from the
clause the answer cites, so a wrong clause is a wrong figure too.

  python eval/score_figures.py eval/asked_figures.jsonl --cmd "quydinh-bot ask --json -k 3" [--unaccented] [-v]
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import unicodedata


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--cmd", default="quydinh-bot ask --json -k 3")
    ap.add_argument("--unaccented", action="store_true")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    items = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    qs = [strip_accents(t["q"]) if args.unaccented else t["q"] for t in items]
    p = subprocess.run(shlex.split(args.cmd), input="\n".join(qs) + "\n", capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {p.stderr[-2000:]}")
    answers = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    ok = 0
    for t, a in zip(items, answers):
        first = (a.get("answer") or "").split("\n")[0]
        # "**1.340**/3.850" and "**1.340/3.850**" both name 1.340
        hit = f"**{t['figure']}" in first and (f"**{t['figure']}**" in first or f"**{t['figure']}/" in first)
        ok += hit
        if args.v and not hit:
            print(f"  miss {t['id']} {t['q']} -> {first[:120]} (want {t['figure']})")
    print(f"SUMMARY asked_figure={ok / max(len(items), 1):.3f} ({ok}/{len(items)})")


if __name__ == "__main__":
    main()
