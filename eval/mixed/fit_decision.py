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
    python eval/mixed/fit_decision.py --own --held-out none      # fit on every set (default: not on HELD_OUT)

Questions declined before the model (scope: another province, an unknown document number; a figure the
best clause does not state; a question asked back) never reach it: they count as declined and are left out
of the fit. The threshold is the highest that keeps KEEP of the training answerable questions whose right
clause ranks in the top 5."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

from quydinh_bot.search import decision as decision_model  # noqa: E402

KEEP = 0.97
C = 0.5


def logistic(Z: np.ndarray, y: np.ndarray, w: np.ndarray, signs: list[int] | None) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression (sklearn's objective: C * weighted log loss + |coef|^2 / 2, the
    intercept free), each coefficient kept to its feature's sign when `signs` (decision.SIGNS) is given."""
    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        z = Z @ p[1:] + p[0]
        q = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic, without overflow
        log_loss = y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)
        value = C * float(np.sum(w * log_loss)) + 0.5 * float(p[1:] @ p[1:])
        g = C * w * (q - y)
        return value, np.concatenate([[g.sum()], Z.T @ g + p[1:]])
    bounds = [(None, None)] + [((0.0, None) if s > 0 else (None, 0.0)) if signs else (None, None)
                               for s in (signs or [0] * Z.shape[1])]
    res = minimize(loss, np.zeros(Z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 5000, "gtol": 1e-10})
    return res.x[1:], float(res.x[0])


def fit(rows: list[dict], names: list[str], keep: float = KEEP, signed: bool = True) -> decision_model.Decision:
    """The model on `rows`, each coefficient of the sign its feature's meaning gives (decision.SIGNS: more of
    the question held, a closer match, is never evidence against answering) unless `signed` is False: fitted
    freely, a few hundred questions over six corpora gave the dense z-score a negative weight, which no
    reading of it supports and which did not transfer to unseen documents."""
    data = [r for r in rows if r["features"] is not None]
    X = np.array([[r["features"][n] for n in names] for r in data])
    y = np.array([0 if r["neg"] else 1 for r in data])
    # each document's questions weigh the same in all (a document with many questions would decide)
    groups = [r["doc"] for r in data]
    count = {g: groups.count(g) for g in set(groups)}
    w = np.array([1.0 / count[g] ** 0.5 for g in groups])
    w = w * np.where(y == 1, len(y) / (2.0 * y.sum()), len(y) / (2.0 * (len(y) - y.sum())))  # classes balanced
    mean, scale = X.mean(0), X.std(0) + 1e-9
    coef, intercept = logistic((X - mean) / scale, y, w, [decision_model.SIGNS[n] for n in names] if signed else None)
    d = decision_model.Decision(names, mean.tolist(), scale.tolist(), coef.tolist(), intercept, 0.5)
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


# Sets no fit reads unless asked (`--held-out none`): the second question set over the real documents was
# written after the stored model was fitted, so it judges that model (and any fit) on questions it never saw.
HELD_OUT = ("real-more-alone",)


def held_out(argv: list[str]) -> set[str]:
    if "--held-out" in argv:
        value = argv[argv.index("--held-out") + 1]
        return set() if value == "none" else set(value.split(","))
    return set(HELD_OUT)


def main(argv: list[str]) -> None:
    rows = load_rows(argv)
    names = feature_names(argv)
    keep = float(argv[argv.index("--keep") + 1]) if "--keep" in argv else KEEP
    current = decision_model.load()
    apart = held_out(argv)
    train = [r for r in rows if r["set"] not in apart]
    models = leave_one_document_out(train, names, keep)
    verdict_loo = {i: answered(models[r["doc"]], r) for i, r in enumerate(rows)}
    by_issuer = leave_one_issuer_out(train, names, keep)
    verdict_lio = {i: answered(by_issuer[r["doc"]], r) for i, r in enumerate(rows)}
    print("features:", ",".join(names), " keep:", keep, " held out of every fit:", ",".join(sorted(apart)) or "none")
    print(f"{'set / document':34s} {'pos':>4s} {'neg':>4s}   current: false-decl neg-decl R@1   R@5   "
          f"LOO: false-decl neg-decl R@1   R@5   leave-one-issuer-out: false-decl neg-decl R@1   R@5")

    def line(label: str, idx: list[int]) -> None:
        pos = [i for i in idx if not rows[i]["neg"]]
        neg = [i for i in idx if rows[i]["neg"]]
        cur = {i: answered(current, rows[i]) for i in idx}

        def figs(v: dict[int, bool]) -> str:
            fd = sum(1 for i in pos if not v[i]) / max(len(pos), 1)
            nd = sum(1 for i in neg if not v[i]) / max(len(neg), 1) if neg else float("nan")
            r1 = sum(1 for i in pos if v[i] and rows[i]["rank"] == 1) / max(len(pos), 1)
            r5 = sum(1 for i in pos if v[i] and rows[i]["rank"] and rows[i]["rank"] <= 5) / max(len(pos), 1)
            return f"{fd:8.3f} {nd:8.3f} {r1:5.3f} {r5:5.3f}"
        print(f"{label[:34]:34s} {len(pos):4d} {len(neg):4d}            {figs(cur)}     {figs(verdict_loo)}"
              f"                     {figs(verdict_lio)}")

    for s in dict.fromkeys(r["set"] for r in rows):
        line(s, [i for i, r in enumerate(rows) if r["set"] == s])
    for d in sorted({r["doc"] for r in rows}):
        line(d, [i for i, r in enumerate(rows) if r["doc"] == d])
    if "--write" in argv:
        model = fit(train, names, keep)
        decision_model.DECISION_FILE.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print("wrote", decision_model.DECISION_FILE, "threshold", model.threshold)
        for n, c in zip(model.features, model.coef):
            print(f"  {n:18s} {c:+.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
