"""Audit a quiz (the contract's JSON) for the faults trainers reported (issue 22, item 7), counted by rule.

The checks are written here, independently of `quiz/rules.py`, from the clause records `clauses --json`
prints, so that a fault the rules miss shows up in the counts:

- lead_not_work: a "who leads" question (or a true/false one about a lead) on a clause that does not assign
  work: a results/assessment part of a report, a clause stating counts or percentages that are not targets,
  a list's introduction ("…:"), the document speaking of itself, or a lead that is only the issuer by default;
- stem_gives_answer: the correct option, or its distinctive words, stands in the question; a deadline's date
  or period stands in it; a figure's number stands elsewhere in it;
- explanation_lacks_answer / explanation_cut: the explanation does not hold the answer, or its quotation
  stops (with "…") before the part of the clause that holds it;
- distractor_*: a wrong option of another kind than the answer (central body for a provincial one, another
  kind of period, another unit or magnitude), or one that contains, or is contained in, the answer;
- unseeded_same (with --unseeded-cmd): two runs without --seed gave the same quiz.

  python eval/quiz_audit.py quiz.json --clauses clauses.jsonl [-v]
  python eval/quiz_audit.py quiz.json --clauses-cmd ".venv/bin/quydinh-bot clauses --json" \
      --unseeded-cmd ".venv/bin/quydinh-bot quiz -n 20 --format json"
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import unicodedata
from collections import Counter


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^\w%/]+", " ", s).strip()


def words(s: str) -> list[str]:
    return fold(s).split()


def contains_words(hay: str, needle: str) -> bool:
    """needle's words, in order and whole, inside hay's."""
    n = words(needle)
    return bool(n) and f" {' '.join(n)} " in f" {' '.join(words(hay))} "


RESULT_HEADING = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?\s*(ket qua|danh gia|tinh hinh|thuc trang|uu diem|"
                            r"han che|nguyen nhan|bai hoc)")
COUNT = re.compile(r"\b(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*\s*(%|dang vien|to chuc|chi bo|dang bo|truong hop|"
                   r"dong chi|nguoi|luot|lop|cong chuc|can bo|don vi|don|huy hieu|doan|bao cao|cong van)")
TARGET = ("phan dau", "it nhat", "toi thieu", "tro len", "chi tieu", "muc tieu")
SELF = re.compile(r"^(chuong trinh|ke hoach|de an|bao cao|nghi quyet|chi thi|quy dinh)( hanh dong)? nay\b")


def lead_problem(clause: dict) -> str | None:
    text = clause["text"].strip()
    ft = fold(text)
    if clause.get("lead_source") == "issuer" and not contains_words(text, clause.get("lead") or ""):
        return "lead is the issuer by default"
    if any(RESULT_HEADING.match(fold(h)) for h in clause.get("heading_path") or []):
        return "clause in a results/assessment part"
    if (COUNT.search(ft) or re.search(r"\bda\s", f" {ft} ")) and not any(t in ft for t in TARGET):
        return "clause states counts/results"
    if text.endswith(":") and len(text.split()) < 12:
        return "clause only introduces a list"
    if SELF.match(ft):
        return "the document speaks of itself"
    return None


def quoted(question: str) -> str:
    parts = re.findall(r"“(.+?)”", question)
    return " ".join(parts) if parts else question


TIME_TOKEN = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|quy\s+[ivx]+\s*/?\s*(?:nam\s+)?\d{4}|nam\s+\d{4}")


def time_tokens(s: str) -> set[str]:
    out = set()
    for m in TIME_TOKEN.finditer(fold(s)):
        t = re.sub(r"\s+", " ", m.group(0))
        out.add(re.sub(r"\b0(\d)", r"\1", t.replace(" / ", "/").replace("/ ", "/").replace(" /", "/")))
    return out


def time_kind(s: str) -> str:
    f = fold(s)
    if re.search(r"\d{1,2}/\d{1,2}/\d{4}", f):
        return "date"
    if re.search(r"quy\s+[ivx]+", f):
        return "quarter"
    if re.search(r"\d{1,2}/\d{4}", f) or re.search(r"thang\s+\d", f):
        return "month"
    if re.search(r"\b\d{4}\b", f):
        return "year"
    return "?"


NUM = re.compile(r"(?<![\d/.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\d/])")


def numbers(s: str) -> list[float]:
    s = re.sub(r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}", " ", s)
    return [float(m.group(1).replace(".", "") + ("." + m.group(2) if m.group(2) else "")) for m in NUM.finditer(s)]


def figure(s: str) -> tuple[float, str] | None:
    m = re.fullmatch(r"\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(%|.+)\s*", s)
    if not m:
        return None
    return float(m.group(1).replace(".", "") + ("." + m.group(2) if m.group(2) else "")), fold(m.group(3))


CENTRAL = ("trung uong", "bo chinh tri", "ban bi thu", "chinh phu", "quoc hoi", "thu tuong", "hoc vien")


def level(body: str) -> str:
    f = fold(body)
    if any(c in f for c in CENTRAL) or f.startswith("bo "):
        return "central"
    if re.search(r"\b(xa|phuong|cap xa|co so)\b", f):
        return "commune"
    return "province"


def name_words(answer: str, distractors: list[str]) -> list[str]:
    """The answer's words that no wrong option shares: what tells it apart."""
    others = {w for d in distractors for w in words(d)}
    return [w for w in words(answer) if w not in others]


def audit(items: list[dict], clauses: dict[str, dict]) -> dict[str, list[tuple[int, str]]]:
    bad: dict[str, list[tuple[int, str]]] = {}

    def flag(rule: str, i: int, why: str) -> None:
        bad.setdefault(rule, []).append((i, why))

    for i, it in enumerate(items):
        c = clauses.get(it["clause_id"])
        if c is None:
            flag("clause_missing", i, it["clause_id"])
            continue
        q, t = it["question"], it["type"]
        if t == "lead" or (t == "truefalse" and "chủ trì nhiệm vụ" in q):
            why = lead_problem(c)
            if why:
                flag("lead_not_work", i, why)
        if t == "truefalse":
            continue
        options = it["options"]
        answer = options[it["correct"]]
        wrong = [o for k, o in enumerate(options) if k != it["correct"]]
        # --- the stem gives the answer away
        if contains_words(q, answer):
            flag("stem_gives_answer", i, f"answer “{answer}” in the question")
        elif t in ("lead", "blank") and not re.match(r"\d", answer):
            distinct = name_words(answer, wrong)
            if distinct and contains_words(quoted(q), " ".join(distinct)):
                flag("stem_gives_answer", i, f"distinctive “{' '.join(distinct)}” of “{answer}” in the question")
        if t == "deadline" and time_tokens(answer) & time_tokens(q):
            flag("stem_gives_answer", i, f"period of “{answer}” in the question")
        if t == "figure" and (f := figure(answer)) and f[0] in numbers(quoted(q) if "“" in q else q):
            flag("stem_gives_answer", i, f"number of “{answer}” elsewhere in the question")
        # --- the explanation holds the answer, and its quotation is not cut before it
        ex = it["explanation"]
        quote = (re.findall(r"“(.+?)”", ex) or [""])[0]
        if t == "deadline":
            holds = bool(time_tokens(answer) & time_tokens(ex)) or contains_words(ex, answer)
        elif t == "figure" and (f := figure(answer)):
            holds = f[0] in numbers(ex)
        else:
            holds = contains_words(ex, answer)
        if not holds:
            flag("explanation_lacks_answer", i, f"“{answer}” not in the explanation")
        in_text = contains_words(c["text"], answer) if t != "figure" else contains_words(c["text"], answer)
        if in_text and "…" in quote and not contains_words(quote, answer):
            flag("explanation_cut", i, f"quotation cut before “{answer}”")
        # --- plausible distractors
        for d in wrong:
            if fold(d) == fold(answer):
                flag("distractor_same_as_answer", i, d)
            elif contains_words(d, answer) or contains_words(answer, d):
                flag("distractor_sub_or_superstring", i, f"“{d}” / “{answer}”")
        if t == "lead":
            for d in wrong:
                if level(d) != level(answer):
                    flag("distractor_other_level", i, f"“{d}” ({level(d)}) for “{answer}” ({level(answer)})")
        if t == "deadline":
            for d in wrong:
                if time_kind(d) != time_kind(answer):
                    flag("distractor_other_period", i, f"“{d}” ({time_kind(d)}) for “{answer}” ({time_kind(answer)})")
        if t == "figure" and (fa := figure(answer)):
            for d in wrong:
                fd = figure(d)
                if fd is None or fd[1] != fa[1]:
                    flag("distractor_other_unit", i, f"“{d}” for “{answer}”")
                    continue
                a, b = fa[0], fd[0]
                if fa[1] == "%":
                    off = abs(a - b) > 30 or (a != int(a)) != (b != int(b))
                else:
                    off = max(a, b) > 10 and max(a, b) / max(min(a, b), 1e-9) > 3
                if off:
                    flag("distractor_other_magnitude", i, f"“{d}” for “{answer}”")
    return bad


def run_json(cmd: str) -> list:
    p = subprocess.run(shlex.split(cmd), capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", help="a quiz in the contract's JSON (quiz --format json)")
    ap.add_argument("--clauses", help="clauses --json output (JSON Lines)")
    ap.add_argument("--clauses-cmd", default="quydinh-bot clauses --json")
    ap.add_argument("--unseeded-cmd", help="a quiz command without --seed, run twice")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    items = json.load(open(args.file, encoding="utf-8"))
    if args.clauses:
        lines = open(args.clauses, encoding="utf-8").read().splitlines()
    else:
        p = subprocess.run(shlex.split(args.clauses_cmd), capture_output=True, text=True, check=True)
        lines = p.stdout.splitlines()
    clauses = {c["clause_id"]: c for c in (json.loads(x) for x in lines if x.strip())}
    bad = audit(items, clauses)
    if args.unseeded_cmd:
        a, b = run_json(args.unseeded_cmd), run_json(args.unseeded_cmd)
        if a == b:
            bad["unseeded_same"] = [(0, "two runs without --seed gave the same quiz")]
    by_type = Counter(it["type"] for it in items)
    print(f"{len(items)} items: " + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())))
    flagged = {i for hits in bad.values() for i, _ in hits if hits and not isinstance(i, str)}
    for rule in ("lead_not_work", "stem_gives_answer", "explanation_lacks_answer", "explanation_cut",
                 "distractor_same_as_answer", "distractor_sub_or_superstring", "distractor_other_level",
                 "distractor_other_period", "distractor_other_unit", "distractor_other_magnitude", "unseeded_same",
                 "clause_missing"):
        hits = bad.get(rule, [])
        print(f"{rule:32s} {len({i for i, _ in hits}):4d} items")
        if args.v:
            for i, why in hits:
                print(f"    #{i + 1} [{items[i]['type']}] {items[i]['clause_id']}: {why}")
    print(f"{'items with any fault':32s} {len(flagged):4d} of {len(items)}")


if __name__ == "__main__":
    main()
