#!/usr/bin/env python3
"""Score how `quydinh-bot add` reads real documents, one document at a time (issue 19).

  python eval/real/score_real.py [--file NAME] [-v] [--real-dir DIR] [--bot CMD] [--json-out FILE] [--keep]
  python eval/real/score_real.py --gold eval/probe/gold --docs eval/probe/docs    # any other gold set

--gold (alias --gold-dir) is a folder with metadata.jsonl, tasks.jsonl and questions.jsonl in the format
of eval/real/ (the default); --docs (alias --real-dir) the folder holding the files they name.

For each document in eval/real/metadata.jsonl (the files themselves are in ../shared/real,
beside the repository, or --real-dir / QUYDINH_REAL_DIR): a fresh temporary corpus and index
(QUYDINH_CORPUS_DIR, QUYDINH_INDEX_DIR) that start empty, QUYDINH_DATA_DIR left at the
repository's data/ (or the caller's QUYDINH_DATA_DIR) so the converted model is reused; a copy
of the file is added with `quydinh-bot add FILE --json` (no --meta), then read back with
`documents --json`, `tasks --json` and `ask --json -k 5` (the document's questions on stdin).

Scores, per file and overall (micro-averaged):
  metadata   fields equal to the gold after NFC, case and space normalisation (see mnorm);
             date compared as ISO (a blank day in a draft: null, or the printed month);
             title also right with the kind word or "V/v" in front
  tasks      found: some extracted task's text contains the gold snippet (norm.fold: accents,
             case, markup and spaces ignored; a "whole" snippet must be the cell itself);
             lead right: the gold lead is contained in the lead of such a task (over gold tasks
             with a printed lead); deadline right: the gold deadline and the task's deadline
             text contain one another (over tasks with a deadline); partners right: every gold
             partner is in the task's partners (over tasks with partners). A task that is not
             found counts as wrong for lead, deadline and partners.
  ask        R@1, R@5: hit 1 / one of hits 1-5 contains the expected passage (fold); an
             answered=false reply on a real question is a false decline (and a miss); a
             negative is right when answered is false. hits@5 (a diagnostic): the passage is
             in hits 1-5 whether or not the reply declined.
A file that `add` refuses scores nothing; its questions count as misses and false declines,
its negatives are left out. Matching uses ../shared/eval/norm.py like ../shared/eval/run_eval.py.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = Path(os.environ.get("QUYDINH_SHARED_DIR") or REPO.parent / "shared")
META_FIELDS = ("kind", "number", "date", "issuer", "parent", "province", "place", "title")
KIND_WORDS = ("nghị quyết liên tịch", "chương trình hành động", "kế hoạch", "báo cáo", "thông báo", "quyết định",
              "hướng dẫn", "nghị quyết", "chương trình", "công văn", "đề án", "phụ lục", "chỉ thị", "kết luận",
              "quy định", "tờ trình", "v/v")

sys.path.insert(0, str(SHARED / "eval"))
try:
    from norm import fold  # the team's matching key (run_eval.py)
except ImportError:  # a checkout without ../shared: the same function
    def fold(s: str) -> str:
        s = unicodedata.normalize("NFD", s or "")
        s = "".join(c for c in s if unicodedata.category(c) != "Mn")
        s = s.replace("đ", "d").replace("Đ", "D").lower()
        s = re.sub(r"[*_`#]|</?\w+>", "", s)
        s = s.replace("“", '"').replace("”", '"').replace("’", "'")
        return re.sub(r"\s+", " ", s).strip()


# ------------------------------------------------------------------ gold and matching
def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def mnorm(value) -> str:
    """Metadata comparison key: NFC, case-folded, dashes and spaces unified, edge punctuation off."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    s = s.replace("–", "-").replace("—", "-").replace("“", '"').replace("”", '"')
    s = re.sub(r"\s+", " ", s).strip(" .;:,").casefold()
    return re.sub(r"\s*-\s*", "-", s)


def parse_date(value) -> str | None:
    """An output date as ISO yyyy-mm-dd, or yyyy-mm / yyyy when only that much is given."""
    if not value:
        return None
    s = unicodedata.normalize("NFC", str(value)).lower()
    if m := re.search(r"(\d{4})-(\d{2})-(\d{2})", s):
        return m.group(0)
    if m := re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", s):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if m := re.search(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", s):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if m := re.search(r"(\d{4})-(\d{2})$", s):
        return m.group(0)
    if m := re.search(r"(\d{1,2})\s*/\s*(\d{4})", s) or re.search(r"tháng\s*(\d{1,2})\s*năm\s*(\d{4})", s):
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    if m := re.fullmatch(r"\s*(\d{4})\s*", s):
        return m.group(1)
    return s


def meta_right(field: str, gold: dict, got) -> bool:
    want = gold.get(field)
    accepted = [want] + list((gold.get("accept") or {}).get(field, []))
    if field == "date":
        d = parse_date(got)
        if want is None:
            return d is None or (gold.get("date_partial") is not None and d == gold["date_partial"])
        return d == want
    if field == "number" and got:
        got = re.sub(r"^\s*số\s*:?\s*", "", str(got), flags=re.I)
    g = mnorm(got)
    if any(g == mnorm(a) for a in accepted):
        return True
    if field == "title" and g and want:
        for w in KIND_WORDS:  # "Kế hoạch Huấn luyện ..." or "V/v cập nhật ..." for the abstract itself
            if g.startswith(w + " ") and g[len(w) + 1:] == mnorm(want):
                return True
    return False


def contains(text, snippet) -> bool:
    return bool(snippet) and fold(snippet) in fold(text or "")


def task_matches(gold: dict, task: dict) -> bool:
    text, snip = fold(task.get("text") or ""), fold(gold["task"])
    if not gold.get("whole"):
        return snip in text
    text = re.sub(r"^[\W\d_]+", "", text)  # "3. In ấn chứng chỉ" / "| In ấn chứng chỉ |"
    return text.startswith(snip) and len(text) <= len(snip) + 60  # the cell, maybe with its people


def lead_right(gold_lead: str, task: dict) -> bool:
    leads = [task.get("lead") or ""] + list(task.get("leads") or [])
    return any(contains(lead, gold_lead) for lead in leads if lead)


def deadline_right(gold_dl: str, task: dict) -> bool:
    got = fold(((task.get("deadline") or {}).get("text")) or "")
    want = fold(gold_dl)
    if not got:
        return False
    return want in got or (len(got) >= 5 and got in want)


def partners_right(gold_partners: list[str], task: dict) -> bool:
    joined = "; ".join(task.get("partners") or [])
    return all(contains(joined, p) for p in gold_partners)


# ------------------------------------------------------------------ running the bot
def default_bot() -> str:
    venv = REPO / ".venv" / "bin" / "quydinh-bot"
    return str(venv) if venv.exists() else "quydinh-bot"


def run(cmd: list[str], env: dict, stdin: str = "", timeout: int = 1800) -> tuple[int, str, str, float]:
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout} s", time.perf_counter() - t0
    return p.returncode, p.stdout, p.stderr, time.perf_counter() - t0


def json_lines(out: str) -> list[dict]:
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return rows


def read_document(path: Path, questions: list[dict], bot: list[str], keep: bool) -> dict:
    """Add one file to an empty corpus and read back documents, tasks and answers."""
    tmp = Path(tempfile.mkdtemp(prefix="score-real-"))
    try:
        for d in ("corpus", "index", "inbox"):
            (tmp / d).mkdir()
        copy = tmp / "inbox" / path.name
        shutil.copy2(path, copy)
        env = dict(os.environ)
        env.update(QUYDINH_CORPUS_DIR=str(tmp / "corpus"), QUYDINH_INDEX_DIR=str(tmp / "index"),
                   QUYDINH_DATA_DIR=os.environ.get("QUYDINH_DATA_DIR") or str(REPO / "data"))
        env.setdefault("QUYDINH_TODAY", "2026-07-01")
        out: dict = {"tmp": str(tmp) if keep else None}
        rc, so, se, dt = run(bot + ["add", str(copy), "--json"], env)
        out["add_seconds"] = round(dt, 1)
        if rc != 0:
            out["error"] = (se.strip().splitlines() or [f"exit {rc}"])[-1][:300]
            return out
        added = json_lines(so)
        out["add"] = added[-1] if added else {}
        rc, so, se, _ = run(bot + ["documents", "--json"], env)
        out["documents"] = json_lines(so) if rc == 0 else []
        rc, so, se, _ = run(bot + ["tasks", "--json"], env)
        out["tasks"] = json_lines(so) if rc == 0 else []
        if rc != 0:
            out["tasks_error"] = se.strip()[-300:]
        qs = [q["q"] for q in questions]
        rc, so, se, dt = run(bot + ["ask", "--json", "-k", "5"], env, stdin="".join(q + "\n" for q in qs))
        answers = json_lines(so) if rc == 0 else []
        if len(answers) != len(qs):
            out["ask_error"] = f"{len(answers)} answers to {len(qs)} questions (exit {rc}): {se.strip()[-300:]}"
            answers = (answers + [{}] * len(qs))[:len(qs)]
        out["answers"] = answers
        out["ask_seconds"] = round(dt, 1)
        return out
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ scoring
def score_file(meta: dict, tasks: list[dict], questions: list[dict], got: dict, verbose: bool) -> dict:
    s: dict[str, Any] = {k: 0 for k in ("meta_ok", "found", "lead_ok", "lead_n", "dl_ok", "dl_n", "part_ok", "part_n",
                        "r1", "r5", "hit5", "false_decline", "neg_ok")}
    s.update(meta_n=len(META_FIELDS), tasks_n=len(tasks), pos_n=sum(not q["neg"] for q in questions),
             neg_n=sum(q["neg"] for q in questions), extracted=0, fields={}, misses=[])
    s["lead_n"] = sum(bool(t.get("lead")) for t in tasks)
    s["dl_n"] = sum(bool(t.get("deadline")) for t in tasks)
    s["part_n"] = sum(bool(t.get("partners")) for t in tasks)
    if "error" in got:
        s["false_decline"] = s["pos_n"]
        s["neg_n"] = 0  # nothing was asked: negatives are not scored for this file
        s["misses"].append(f"add failed: {got['error']}")
        return s
    docs = got.get("documents") or []
    doc = docs[0] if docs else {}
    if len(docs) != 1:
        s["misses"].append(f"documents --json listed {len(docs)} documents")
    for f in META_FIELDS:
        ok = meta_right(f, meta, doc.get(f))
        s["fields"][f] = ok
        s["meta_ok"] += ok
        if not ok:
            s["misses"].append(f"meta {f}: want {meta.get(f)!r}, got {doc.get(f, '(no field)')!r}")
    extracted = got.get("tasks") or []
    s["extracted"] = len(extracted)
    for t in tasks:
        cands = [x for x in extracted if task_matches(t, x)]
        if not cands:
            s["misses"].append(f"task not found: {t['task']!r}")
            continue
        s["found"] += 1
        best = cands
        if t.get("lead"):
            with_lead = [x for x in cands if lead_right(t["lead"], x)]
            s["lead_ok"] += bool(with_lead)
            if with_lead:
                best = with_lead
            else:
                got_leads = [x.get("lead") for x in cands][:3]
                s["misses"].append(f"lead: {t['task'][:50]!r} want {t['lead']!r}, got {got_leads}")
        for field, right, counter, shown in (
                ("deadline", deadline_right, "dl_ok", lambda x: (x.get("deadline") or {}).get("text")),
                ("partners", partners_right, "part_ok", lambda x: x.get("partners"))):
            if t.get(field):
                ok = any(right(t[field], x) for x in best)
                s[counter] += ok
                if not ok:
                    s["misses"].append(f"{field}: {t['task'][:50]!r} want {t[field]!r}, "
                                       f"got {[shown(x) for x in best][:3]}")
    for q, r in zip(questions, got.get("answers") or []):
        answered = bool(r.get("answered"))
        hits = r.get("hits") or []
        if q["neg"]:
            s["neg_ok"] += not answered
            if answered:
                top = (hits[0].get("text") or "")[:70] if hits else None
                s["misses"].append(f"negative answered: {q['q']!r} -> {top!r}")
            continue
        rank = next((i + 1 for i, h in enumerate(hits[:5]) if contains(h.get("text"), q["expect"])), None)
        s["hit5"] += rank is not None  # retrieval alone, whether or not the bot then declined
        if not answered:
            s["false_decline"] += 1
            rank = None
        s["r1"] += rank == 1
        s["r5"] += rank is not None
        if rank != 1:
            top = (hits[0].get("text") or "")[:70] if hits else None
            s["misses"].append(f"ask [{q['type']}] {q['q'][:60]!r} -> rank {rank}"
                               f"{' (declined)' if not answered else ''}; top: {top!r}")
    return s


def ratio(a: int, n: int) -> str:
    return f"{a}/{n}" + (f" ({a / n:.0%})" if n else "")


def report(name: str, s: dict, got: dict) -> None:
    print(f"== {name}")
    if "error" in got:
        print(f"  add      FAILED ({got.get('add_seconds')} s): {got['error']}")
    else:
        added = (got.get("add") or {}).get("added") or []
        clauses = sum(x.get("clauses") or 0 for x in added)
        print(f"  add      ok, {got.get('add_seconds')} s; {clauses} clauses, {s['extracted']} tasks extracted")
        fields = " ".join(f"{f}{'+' if ok else '-'}" for f, ok in s["fields"].items())
        print(f"  metadata {ratio(s['meta_ok'], s['meta_n'])}  {fields}")
    print(f"  tasks    found {ratio(s['found'], s['tasks_n'])}  lead {ratio(s['lead_ok'], s['lead_n'])}  "
          f"deadline {ratio(s['dl_ok'], s['dl_n'])}  partners {ratio(s['part_ok'], s['part_n'])}")
    print(f"  ask      R@1 {ratio(s['r1'], s['pos_n'])}  R@5 {ratio(s['r5'], s['pos_n'])}  "
          f"false declines {ratio(s['false_decline'], s['pos_n'])}  "
          f"negatives declined {ratio(s['neg_ok'], s['neg_n'])}")
    print(f"           (passage in hits 1-5 even when declined: {ratio(s['hit5'], s['pos_n'])})")
    for key in ("tasks_error", "ask_error"):
        if got.get(key):
            print(f"  {key}: {got[key]}")


def main() -> int:
    ap = argparse.ArgumentParser(description="Score quydinh-bot add on the real documents, one at a time.")
    ap.add_argument("--file", action="append", help="score only this file (name as in metadata.jsonl; repeatable)")
    ap.add_argument("-v", action="store_true", help="print every miss")
    ap.add_argument("--real-dir", "--docs", dest="real_dir", type=Path,
                    default=Path(os.environ.get("QUYDINH_REAL_DIR") or SHARED / "real"),
                    help="the folder holding the documents the gold names (default ../shared/real)")
    ap.add_argument("--gold-dir", "--gold", dest="gold_dir", type=Path, default=HERE,
                    help="the folder with metadata.jsonl, tasks.jsonl, questions.jsonl (default eval/real)")
    ap.add_argument("--bot", default=default_bot(), help="the quydinh-bot command (default: the repo's .venv)")
    ap.add_argument("--questions", default="questions.jsonl",
                    help="the questions file in the gold folder (eval/probe/gold/questions_check.jsonl: a second set)")
    ap.add_argument("--json-out", type=Path, help="write the per-file scores as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpora (their paths are printed)")
    a = ap.parse_args()
    metas = load_jsonl(a.gold_dir / "metadata.jsonl")
    tasks = load_jsonl(a.gold_dir / "tasks.jsonl")
    questions = load_jsonl(a.gold_dir / a.questions)
    if a.file:
        unknown = set(a.file) - {m["file"] for m in metas}
        if unknown:
            sys.exit(f"not in metadata.jsonl: {', '.join(sorted(unknown))}")
        metas = [m for m in metas if m["file"] in a.file]
    bot = a.bot.split()
    total: dict = {}
    results = {}
    t0 = time.perf_counter()
    for m in metas:
        path = a.real_dir / m["file"]
        ft = [t for t in tasks if t["file"] == m["file"]]
        fq = [q for q in questions if q["file"] == m["file"]]
        if not path.exists():
            got = {"error": f"missing {path}"}
        else:
            got = read_document(path, fq, bot, a.keep)
        s = score_file(m, ft, fq, got, a.v)
        report(m["file"], s, got)
        if got.get("tmp"):
            print(f"  corpus kept in {got['tmp']}")
        if a.v:
            for miss in s["misses"]:
                print(f"    - {miss}")
        for k, v in s.items():
            if isinstance(v, int) and not isinstance(v, bool):
                total[k] = total.get(k, 0) + v
        results[m["file"]] = {k: v for k, v in s.items() if k != "misses"} | {"misses": s["misses"],
                                                                                "add_error": got.get("error")}
    failed = sum(1 for r in results.values() if r["add_error"])
    print(f"== overall: {len(metas)} files ({failed} refused by add), {time.perf_counter() - t0:.0f} s")
    print(f"  metadata fields right {ratio(total['meta_ok'], total['meta_n'])}")
    print(f"  tasks    found {ratio(total['found'], total['tasks_n'])}  "
          f"lead {ratio(total['lead_ok'], total['lead_n'])}  "
          f"deadline {ratio(total['dl_ok'], total['dl_n'])}  partners {ratio(total['part_ok'], total['part_n'])}  "
          f"(extracted {total['extracted']})")
    print(f"  ask      R@1 {ratio(total['r1'], total['pos_n'])}  R@5 {ratio(total['r5'], total['pos_n'])}  "
          f"false declines {ratio(total['false_decline'], total['pos_n'])}  "
          f"negatives declined {ratio(total['neg_ok'], total['neg_n'])}")
    print(f"           (passage in hits 1-5 even when declined: {ratio(total['hit5'], total['pos_n'])})")

    def r(k: str, n: str) -> float:
        return total[k] / total[n] if total[n] else 0.0

    print("SUMMARY " + " ".join(f"{k}={v:.3f}" for k, v in {
        "meta": r("meta_ok", "meta_n"), "found": r("found", "tasks_n"), "lead": r("lead_ok", "lead_n"),
        "deadline": r("dl_ok", "dl_n"), "partners": r("part_ok", "part_n"), "R@1": r("r1", "pos_n"),
        "R@5": r("r5", "pos_n"), "hits@5": r("hit5", "pos_n"), "false_decline": r("false_decline", "pos_n"),
        "neg_declined": r("neg_ok", "neg_n"),
    }.items()))
    if a.json_out:
        a.json_out.write_text(json.dumps({"total": total, "files": results}, ensure_ascii=False, indent=1),
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
