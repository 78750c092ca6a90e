"""The answer-or-decline model judged leave-one-document-out: for each held-out document, the
precision/recall curve of "answer" over a threshold sweep, with the model and threshold fitted on the
other documents' questions (eval/mixed/fit_decision.py), so no threshold is ever fitted on the document
it is judged on.

    python eval/mixed/collect.py --own --no-candidates   # run every question in its own corpus first
    python benchmarks/decision.py [--features a,b,c] [--keep 0.97] [--mixed]   # --mixed: collect.py without --own

Per document and threshold: questions answered, precision (answerable among answered), recall (answerable
questions answered), right-first kept (answered with the right clause first, of those ranked first) and
negatives declined. Questions declined before the model (scope, a figure not stated, asked back) count as
declined at every threshold. `<- LOO` marks the threshold the other documents chose. The seed sets'
negatives are one group ("neg"). Printed, not asserted."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "eval" / "mixed"))

import fit_decision  # noqa: E402

SWEEP = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def curve(label: str, rows: list[dict], model) -> None:
    scored = [(model.probability(r["features"]) if r["features"] is not None else -1.0, not r["neg"], r["rank"] == 1)
              for r in rows]
    npos = sum(1 for _, pos, _ in scored if pos)
    nneg = len(scored) - npos
    first = sum(1 for _, pos, r1 in scored if pos and r1)
    print(f"\n{label}: {npos} answerable, {nneg} negatives (LOO threshold {model.threshold:.3f})")
    print("threshold  answered  precision  recall  right-first-kept  neg-declined")
    for t in sorted(set(SWEEP) | {round(model.threshold, 3)}):
        ans = [(pos, r1) for p, pos, r1 in scored if p >= t]
        tp = sum(1 for pos, _ in ans if pos)
        kept = sum(1 for pos, r1 in ans if pos and r1)
        neg_answered = sum(1 for pos, _ in ans if not pos)
        prec = tp / len(ans) if ans else 1.0
        nd = f"{(nneg - neg_answered) / nneg:12.3f}" if nneg else f"{'—':>12s}"
        mark = "  <- LOO" if t == round(model.threshold, 3) else ""
        print(f"{t:9.3f}  {len(ans):8d}  {prec:9.3f}  {tp / max(npos, 1):6.3f}  {kept:>8d}/{first:<8d}{nd}{mark}")


def main(argv: list[str]) -> None:
    rows = fit_decision.load_rows(["--own"] if "--mixed" not in argv else [])
    names = fit_decision.feature_names(argv)
    keep = float(argv[argv.index("--keep") + 1]) if "--keep" in argv else fit_decision.KEEP
    apart = fit_decision.held_out(argv)  # never fitted on (fit_decision.HELD_OUT), still judged
    models = fit_decision.leave_one_document_out([r for r in rows if r["set"] not in apart], names, keep)
    print("features:", ",".join(names))
    for doc, model in models.items():
        curve(doc, [r for r in rows if r["doc"] == doc], model)


if __name__ == "__main__":
    main(sys.argv[1:])
