"""Answer or decline: a small logistic model over how well the best clauses match the question,
fitted leave-one-document-out on the team's questions, each asked of its own corpus (the seed documents;
each real document alone): eval/mixed/collect.py --own, then eval/mixed/fit_decision.py --own --write.

Features (all from the search itself, `Searcher.features`): how much of the question's topical words the
top clauses hold (strict, top 3; loose and strict, top 1), how much of the question's weight the corpus has
never seen, the best dense similarity and its margin over the fifth, the top lexical score, whether the best
clause has the shape of the answer asked, and three that read the same in a corpus of one short document as
in a large one: the best clause's share of the topic words the corpus knows, the share of topic words the
corpus never writes even as syllables, the best dense similarity as a z-score among the candidates. The
stored model names the ones it reads; it is data (means, scales, coefficients, threshold), so refitting
needs no code change. Questions declined before it (what they name is not held, a figure not stated, too
vague to look up) never reach it."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from quydinh_bot.config import LEXICON_DIR

DECISION_FILE = LEXICON_DIR / "decision.json"
# every feature the search computes for the decision; the stored model reads some of them
FEATURES = ["coverage3", "coverage1", "coverage1_strict", "unknown", "dense_top", "dense_margin", "lexical_top",
            "shape_top", "known_coverage1", "never_share", "dense_z"]
# Which way each feature's evidence points (+1: more of it is evidence that the corpus answers): from what
# the feature means, not fitted; the fit keeps every coefficient to its sign.
SIGNS = {"coverage3": 1, "coverage1": 1, "coverage1_strict": 1, "unknown": -1, "dense_top": 1, "dense_margin": 1,
         "lexical_top": 1, "shape_top": 1, "known_coverage1": 1, "never_share": -1, "dense_z": 1}


@dataclass(frozen=True)
class Decision:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef):
            z += c * (values[name] - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def answers(self, values: dict[str, float]) -> bool:
        return self.probability(values) >= self.threshold

    def to_json(self) -> dict:
        return self.__dict__.copy()


@lru_cache(maxsize=1)
def load(path: str | None = None) -> Decision:
    data = json.loads(Path(path or DECISION_FILE).read_text(encoding="utf-8"))
    return Decision(data["features"], data["mean"], data["scale"], data["coef"], float(data["intercept"]),
                    float(data["threshold"]))
