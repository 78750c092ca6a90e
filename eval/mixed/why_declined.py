"""Every wrong answer-or-decline verdict of the real questions (each asked of its own document alone),
with why it went that way: the gate that declined it before the model (scope, a figure not stated), or
the model's probability (stored model, and leave-one-document-out) with the features it read, and where
the right clause ranks (none in the top 10: a ranking miss, declining it was then no model error).

    python eval/mixed/collect.py --own --no-candidates      # first
    python eval/mixed/why_declined.py [--set real-alone] [--all]   # --all: every row, not only the wrong ones
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fit_decision  # noqa: E402


def main(argv: list[str]) -> None:
    rows = fit_decision.load_rows(["--own"])
    names = fit_decision.feature_names(argv)
    which = argv[argv.index("--set") + 1] if "--set" in argv else "real-alone"
    current = fit_decision.decision_model.load()
    apart = fit_decision.held_out(argv)  # never fitted on (fit_decision.HELD_OUT), still judged
    models = fit_decision.leave_one_document_out([r for r in rows if r["set"] not in apart], names)
    for r in rows:
        if r["set"] != which:
            continue
        loo = models[r["doc"]]
        ok_cur = fit_decision.answered(current, r) != r["neg"]
        ok_loo = fit_decision.answered(loo, r) != r["neg"]
        if ok_cur and ok_loo and "--all" not in argv:
            continue
        kind = "NEG answered" if r["neg"] else "false decline"
        if r["features"] is None:
            why = f"gate: {r['scope'] or 'no hits / vague'}"
        else:
            f = r["features"]
            why = (f"model p={current.probability(f):.2f} (thr {current.threshold:.2f}) "
                   f"LOO p={loo.probability(f):.2f} (thr {loo.threshold:.2f})  "
                   + " ".join(f"{n}={f[n]:.2f}" for n in names))
        print(f"[{kind if not (ok_cur and ok_loo) else 'ok'}] {r['doc'][:20]} {r['cat']:9s} rank={r['rank']}  "
              f"{r['q']}\n     {why}\n     top: {r['top']}")


if __name__ == "__main__":
    main(sys.argv[1:])
