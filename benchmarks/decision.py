"""Fit the answer-or-decline model (src/quydinh_bot/data/decision.json) and print its
precision/recall curve.

    python benchmarks/decision.py fit    # fit on eval/questions_calibration.jsonl, write decision.json
    python benchmarks/decision.py curve [SET.jsonl ...]   # precision/recall of "answer" on each set

A question is a positive when it is answerable (not `neg`); the model's score should rank
answerable questions above out-of-corpus ones. The threshold is the highest one that still
keeps 97% of the answerable calibration questions whose right clause ranks first (capped at 0.5).
Questions declined by what they name (scope.py: another province, an unknown document number)
never reach the model and are left out of the fit; in the curve they count as declined.
Printed, not asserted."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, "/work/shared/eval")

from quydinh_bot.search import decision as decision_model  # noqa: E402
from quydinh_bot.search.searcher import Searcher  # noqa: E402

CALIBRATION = ROOT / "eval" / "questions_calibration.jsonl"


def _fold(s: str) -> str:
    from quydinh_bot.language.text import fold

    return fold(s)


def collect(searcher: Searcher, path: Path) -> list[dict]:
    """Features, label and whether the right clause ranks first, for every question of `path`."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        result = searcher.search(item["q"], k=10)
        feats = result.features
        top = result.hits[0].clause.text if result.hits else ""
        right_first = (not item["neg"]) and any(_fold(a) in _fold(top) for a in item["any"])
        rows.append({"id": item["id"], "neg": item["neg"], "features": feats, "right_first": right_first,
                     "scope": result.reason if feats is None else ""})
    return rows


def fit(rows: list[dict]) -> decision_model.Decision:
    from sklearn.linear_model import LogisticRegression

    data = [r for r in rows if r["features"] is not None]
    names = decision_model.FEATURES
    X = np.array([[r["features"][n] for n in names] for r in data])
    y = np.array([0 if r["neg"] else 1 for r in data])
    mean, scale = X.mean(0), X.std(0) + 1e-9
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit((X - mean) / scale, y)
    d = decision_model.Decision(names, mean.tolist(), scale.tolist(), model.coef_[0].tolist(),
                                float(model.intercept_[0]), 0.5)
    # threshold: the lower of 0.5 and the score that keeps 97% of the answerable calibration
    # questions whose right clause ranks first (a right clause first should not be declined)
    p_pos = sorted(d.probability(r["features"]) for r in data if r["right_first"])
    threshold = min(0.5, p_pos[int(0.03 * len(p_pos))]) if p_pos else 0.5
    return decision_model.Decision(names, d.mean, d.scale, d.coef, d.intercept, round(float(threshold), 6))


def curve(d: decision_model.Decision, rows: list[dict], label: str) -> None:
    scored = []
    for r in rows:
        p = d.probability(r["features"]) if r["features"] is not None else -1.0  # scope-declined
        scored.append((p, not r["neg"], r["right_first"]))
    npos = sum(1 for _, pos, _ in scored if pos)
    nneg = len(scored) - npos
    print(f"\n{label}: {npos} answerable, {nneg} out of corpus")
    print("threshold  answered  precision  recall  right-first-kept  ooc-declined")
    for t in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, round(d.threshold, 3)]:
        ans = [(pos, rf) for p, pos, rf in scored if p >= t]
        tp = sum(pos for pos, _ in ans)
        rf_all = sum(rf for _, _, rf in scored)
        rf_kept = sum(rf for _, rf in ans)
        prec = tp / len(ans) if ans else 1.0
        mark = "  <- fitted" if t == round(d.threshold, 3) else ""
        print(f"{t:9.3f}  {len(ans):8d}  {prec:9.3f}  {tp / max(npos, 1):6.3f}  {rf_kept:>8d}/{rf_all:<8d}"
              f"  {(nneg - sum(1 for pos, _ in ans if not pos)) / max(nneg, 1):12.3f}{mark}")


def main(argv: list[str]) -> None:
    searcher = Searcher()
    if argv[:1] == ["fit"]:
        searcher.decision = None  # features only
        rows = collect(searcher, CALIBRATION)
        d = fit(rows)
        decision_model.DECISION_FILE.write_text(json.dumps(d.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {decision_model.DECISION_FILE}")
        for n, c in zip(d.features, d.coef):
            print(f"  {n:13s} {c:+.3f}")
        print(f"  intercept     {d.intercept:+.3f}  threshold {d.threshold:.3f}")
        curve(d, rows, f"calibration (in-sample) {CALIBRATION.name}")
        return
    d = decision_model.load()
    searcher.decision = None
    sets = [Path(a) for a in argv[1:]] or [CALIBRATION, ROOT / "eval" / "questions_terse.jsonl",
                                          ROOT / "eval" / "questions_extra.jsonl",
                                          Path("/work/shared/eval/questions_dev.jsonl")]
    for path in sets:
        if path.exists():
            curve(d, collect(searcher, path), path.name)


if __name__ == "__main__":
    main(sys.argv[1:] or ["curve"])
