"""Score register questions: does `ask` return exactly the tasks the register filter returns?

Each line of the question file is
  {"id", "q", "expect": {TaskFilter fields: lead, partner, doc_id, due_after, due_before, status, kind},
   "ask": "list|count|earliest" (optional), "today": "YYYY-MM-DD" (optional)}
or, for a question the corpus cannot answer (unknown document, body, province, year),
  {"id", "q", "neg": true, "reason": "words the answer must name"}.

The expected tasks are those of the register filter itself (`quydinh_bot.register.filter_tasks` over
the parsed corpus, soonest due first) for the item's `expect`; the answer's `hits` (at most k) are
compared with the first k of them: precision and recall per question, averaged. "Today" is pinned
(`--today`, or an item's own `today`) through QUYDINH_TODAY so overdue/upcoming are reproducible.

  python eval/score_register.py eval/questions_register.jsonl [--cmd "quydinh-bot ask --json -k 50"]
         [--today 2026-01-20] [--unaccented] [-v]
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import unicodedata
from datetime import date

DEFAULT_TODAY = "2026-01-20"


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn")).replace(
        "đ", "d").replace("Đ", "D")


def fold(s: str) -> str:
    return " ".join(strip_accents(s or "").lower().split())


def ask_all(cmd: str, questions: list[str], today: str) -> list[dict]:
    """One `ask` process for all questions (JSON Lines in and out), today pinned."""
    env = {**os.environ, "QUYDINH_TODAY": today}
    out = subprocess.run(shlex.split(cmd), input="".join(q + "\n" for q in questions), capture_output=True,
                         text=True, env=env, check=False)
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    if len(rows) != len(questions):
        sys.exit(f"ask returned {len(rows)} answers for {len(questions)} questions:\n{out.stderr[-2000:]}")
    return rows


def expected_ids(corpus, expect: dict, today: str) -> list[str]:
    from quydinh_bot.register.filter import TaskFilter, filter_tasks

    f = TaskFilter(**expect, today=date.fromisoformat(today))
    return [c.clause_id for c in filter_tasks(corpus.clauses, f, sort="due")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions", nargs="?", default=os.path.join(os.path.dirname(__file__), "questions_register.jsonl"))
    ap.add_argument("--cmd", default="quydinh-bot ask --json -k 50")
    ap.add_argument("--today", default=DEFAULT_TODAY)
    ap.add_argument("--k", type=int, default=50, help="the -k the command asks for: hits are compared with the first k")
    ap.add_argument("--unaccented", action="store_true", help="questions sent without diacritics (đ→d)")
    ap.add_argument("-v", action="store_true", help="print every miss")
    args = ap.parse_args()

    from quydinh_bot import Corpus

    corpus = Corpus.load()
    items = [json.loads(line) for line in open(args.questions, encoding="utf-8") if line.strip()]
    by_today: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        by_today.setdefault(it.get("today", args.today), []).append(i)
    answers: list[dict | None] = [None] * len(items)
    for today, idx in by_today.items():
        qs = [strip_accents(items[i]["q"]) if args.unaccented else items[i]["q"] for i in idx]
        for i, a in zip(idx, ask_all(args.cmd, qs, today)):
            answers[i] = a

    prec, rec, total_ok, intent_ok, ask_ok, n_ask, neg_ok, n_neg, exact = [], [], 0, 0, 0, 0, 0, 0, 0
    for it, a in zip(items, answers):
        today = it.get("today", args.today)
        if it.get("neg"):
            n_neg += 1
            ok = not a["answered"] and not a["hits"] and fold(it.get("reason", "")) in fold(a["answer"])
            neg_ok += ok
            if args.v and not ok:
                print(f"[{it['id']}] not declined as expected: {it['q']}\n    -> {a['answer'][:160]}")
            continue
        want = expected_ids(corpus, it["expect"], it.get("today", args.today))
        got = [h["clause_id"] for h in a["hits"]]
        top = want[:args.k]  # the answer lists at most k tasks, soonest due first
        inter = len(set(got) & set(top))
        p = inter / len(got) if got else (1.0 if not top else 0.0)
        r = inter / len(top) if top else (1.0 if not got else 0.0)
        prec.append(p)
        rec.append(r)
        is_register = a.get("intent") == "register"
        intent_ok += is_register
        total_ok += a.get("total") == len(want)
        exact += got == top
        if it.get("ask"):
            n_ask += 1
            ask_ok += (a.get("filters") or {}).get("ask") == it["ask"]
        if args.v and (p < 1 or r < 1 or not is_register or a.get("total") != len(want)):
            print(f"[{it['id']}] P={p:.2f} R={r:.2f} total={a.get('total')} want={len(want)} intent={a.get('intent')}"
                  f" (today {today}): {it['q']}\n    filters={a.get('filters')}\n    expect={it['expect']}")
    n = len(prec)
    res = {"questions": len(items), "recall": sum(rec) / max(n, 1), "precision": sum(prec) / max(n, 1),
           "total_ok": total_ok / max(n, 1), "order_ok": exact / max(n, 1), "intent_register": intent_ok / max(n, 1),
           "ask_ok": ask_ok / max(n_ask, 1), "declined": neg_ok / max(n_neg, 1), "negatives": n_neg}
    print("SUMMARY " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in res.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
