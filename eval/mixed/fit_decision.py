"""Fit the answer-or-decline model (data/decision.json) on the questions collect.py ran (rows.json, or
own-rows.json with --own: each question in its own corpus, a real document alone) and judge it
leave-one-document-out: for each document, the model and its threshold are fitted on the questions about
the other documents (and the negatives written against them) and applied to that document's questions;
and leave-one-issuer-out (issuer_groups: the six Lào Cai files of one office are held out together).
Printed: false declines of answerable questions and negatives declined, per question set and per held-out
document (benchmarks/decision.py prints the precision/recall curve of each held-out document).

    python eval/mixed/fit_decision.py --own                      # LOO figures, the stored features
    python eval/mixed/fit_decision.py --own --features a,b,c     # another feature set (decision.py names them)
    python eval/mixed/fit_decision.py --own --write              # also fit on all and write data/decision.json

Questions declined before the model (scope: another province, an unknown document number; a figure the
best clause does not state; a question asked back) never reach it: they count as declined and are left out
of the fit. The threshold is the highest that keeps KEEP of the training answerable questions whose right
clause ranks in the top 5."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from quydinh_bot.search import decision as decision_model  # noqa: E402

KEEP = 0.97
C = 0.5


def fit(rows: list[dict], names: list[str], keep: float = KEEP) -> decision_model.Decision:
    data = [r for r in rows if r["features"] is not None]
    X = np.array([[r["features"][n] for n in names] for r in data])
    y = np.array([0 if r["neg"] else 1 for r in data])
    # each document's questions weigh the same in all (a document with many questions would decide)
    groups = [r["doc"] for r in data]
    count = {g: groups.count(g) for g in set(groups)}
    w = np.array([1.0 / count[g] ** 0.5 for g in groups])
    mean, scale = X.mean(0), X.std(0) + 1e-9
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit((X - mean) / scale, y,
                                                                                 sample_weight=w)
    d = decision_model.Decision(names, mean.tolist(), scale.tolist(), model.coef_[0].tolist(),
                                float(model.intercept_[0]), 0.5)
    p_pos = sorted(d.probability(r["features"]) for r in data if not r["neg"] and r["rank"] and r["rank"] <= 5)
    threshold = min(0.5, p_pos[int((1 - keep) * len(p_pos))]) if p_pos else 0.5
    return decision_model.Decision(names, d.mean, d.scale, d.coef, d.intercept, round(float(threshold), 6))


def answered(d: decision_model.Decision, r: dict) -> bool:
    return r["features"] is not None and d.probability(r["features"]) >= d.threshold


def leave_one_document_out(rows: list[dict], names: list[str], keep: float = KEEP
                           ) -> dict[str, decision_model.Decision]:
    """doc -> the model fitted without that document's questions (the seed negatives are one group, "neg")."""
    return {d: fit([r for r in rows if r["doc"] != d], names, keep) for d in sorted({r["doc"] for r in rows})}


def issuer_groups(docs: set[str]) -> dict[str, str]:
    """document -> its office: six of the nine real files are one province's (Lào Cai) Sở Công Thương and its
    inspection team, written on one template, so leaving one document out still trains on its siblings;
    leaving the office out does not. The office is the gold metadata's province, else its issuer; a seed
    document (and the seed negatives, "neg") is its own group."""
    meta = [json.loads(x) for x in (harness.ROOT / "eval" / "real" / "metadata.jsonl").read_text("utf-8").splitlines()
            if x.strip()]
    office = {Path(m["file"]).stem: m.get("province") or m.get("issuer") or m["file"] for m in meta}
    return {d: office.get(d, d) for d in docs}


def leave_one_issuer_out(rows: list[dict], names: list[str], keep: float = KEEP
                         ) -> dict[str, decision_model.Decision]:
    """doc -> the model fitted without the questions of every document of its office (issuer_groups)."""
    group = issuer_groups({r["doc"] for r in rows})
    models = {g: fit([r for r in rows if group[r["doc"]] != g], names, keep) for g in sorted(set(group.values()))}
    return {d: models[g] for d, g in group.items()}


def load_rows(argv: list[str]) -> list[dict]:
    prefix = "own-" if "--own" in argv else ""
    return json.loads((harness.CACHE / f"{prefix}rows.json").read_text("utf-8"))


def feature_names(argv: list[str]) -> list[str]:
    if "--features" in argv:
        return argv[argv.index("--features") + 1].split(",")
    return list(decision_model.load().features)


def main(argv: list[str]) -> None:
    rows = load_rows(argv)
    names = feature_names(argv)
    keep = float(argv[argv.index("--keep") + 1]) if "--keep" in argv else KEEP
    current = decision_model.load()
    models = leave_one_document_out(rows, names, keep)
    verdict_loo = {i: answered(models[r["doc"]], r) for i, r in enumerate(rows)}
    by_issuer = leave_one_issuer_out(rows, names, keep)
    verdict_lio = {i: answered(by_issuer[r["doc"]], r) for i, r in enumerate(rows)}
    print("features:", ",".join(names), " keep:", keep)
    print(f"{'set / document':34s} {'pos':>4s} {'neg':>4s}   current: false-decl neg-decl R@1     "
          f"LOO: false-decl neg-decl R@1     leave-one-issuer-out: false-decl neg-decl R@1")

    def line(label: str, idx: list[int]) -> None:
        pos = [i for i in idx if not rows[i]["neg"]]
        neg = [i for i in idx if rows[i]["neg"]]
        cur = {i: answered(current, rows[i]) for i in idx}

        def figs(v: dict[int, bool]) -> str:
            fd = sum(1 for i in pos if not v[i]) / max(len(pos), 1)
            nd = sum(1 for i in neg if not v[i]) / max(len(neg), 1) if neg else float("nan")
            r1 = sum(1 for i in pos if v[i] and rows[i]["rank"] == 1) / max(len(pos), 1)
            return f"{fd:8.3f} {nd:8.3f} {r1:5.3f}"
        print(f"{label[:34]:34s} {len(pos):4d} {len(neg):4d}            {figs(cur)}          {figs(verdict_loo)}"
              f"                          {figs(verdict_lio)}")

    for s in dict.fromkeys(r["set"] for r in rows):
        line(s, [i for i, r in enumerate(rows) if r["set"] == s])
    for d in sorted({r["doc"] for r in rows}):
        line(d, [i for i, r in enumerate(rows) if r["doc"] == d])
    if "--write" in argv:
        model = fit(rows, names, keep)
        decision_model.DECISION_FILE.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print("wrote", decision_model.DECISION_FILE, "threshold", model.threshold)
        for n, c in zip(model.features, model.coef):
            print(f"  {n:18s} {c:+.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
