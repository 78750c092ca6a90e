"""How the candidates of a question are re-ranked, as data: each named feature of a (question,
clause) pair multiplies the fused dense+lexical score by its weight (a weight below 1 demotes), and
the share of the question's topical words the clause holds enters as (offset + coverage) ** power.

The weights live in data/ranking.json and are fitted, not set by hand: `eval/mixed/fit_ranking.py`
searches them on the team's questions over the seed and real documents, judged
leave-one-document-out (a weight is kept only when it helps on documents it was not fitted on).
A feature the file does not name weighs 1 (no effect)."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from quydinh_bot.config import LEXICON_DIR

RANKING_FILE = LEXICON_DIR / "ranking.json"

# name -> what it means; the order is the order the searcher multiplies them in
FEATURES: dict[str, str] = {
    "frame_clause": "the document's title, signature block or distribution list (nơi nhận)",
    "footnote": "a footnote, when the question names no document number",
    "lead_task": "a who-leads question; the clause names its lead (explicit or from its section)",
    "lead_heading": "a who-leads question; the clause is a heading",
    "deadline_stated": "a when question; the clause states a deadline (or a duration for 'bao lâu')",
    "deadline_heading": "a when question; the clause is a heading with no deadline",
    "deadline_missing": "a when question; the clause states no deadline",
    "fact_figure": "a how-many question; the clause has a figure",
    "fact_no_figure": "a how-many question; the clause has no figure",
    "list_heading": "a which-tasks question; the clause is a heading with items",
    "number_match": "the question gives a document number; the clause is of that document",
    "number_other": "the question gives a document number; the clause is of another document",
    "province_match": "the question names a province of the corpus; the clause's document is of it",
    "province_in_text": "the question names a province; another document's clause that names it",
    "province_other": "the question names a province; a clause of another province's document",
    "kind_match": "the question is about a document of a kind ('Đề án … '); the clause's document is of it",
    "kind_other": "the question is about a document of a kind; the clause's document is of another",
    "named_number_match": "the question names a document loosely by number ('kh 376'); the clause is of it",
    "named_number_other": "the question names a document loosely by number; another document's clause",
    "title_match": "the question names a document by (much of) its title; the clause is of it",
    "body_lead": "the question is about a body as actor; the clause's lead is that body",
    "month_match": "the question names a month/year; the clause's headings or deadline name it",
    "month_only_match": "the question names a month without year; headings or deadline name it",
    "year_frame": "the question names a year; the clause's headings or document title name it",
    "year_text": "the question names a year; the clause's text names it",
    "other_years": "the question names a year; the clause names only other years",
    # what the question asks for (question.asked.asked_kinds) is stated in the clause (search/evidence.py)
    "time_stated": "the question asks when; the clause states a date or time",
    "duration_stated": "the question asks how long; the clause states a duration",
    "place_stated": "the question asks where; the clause states a place or address",
    "document_stated": "the question asks which document; the clause cites a document by number",
    "recipient_stated": "the question asks to whom; the clause names its recipients",
    "participants_stated": "the question asks who takes part; the clause names participants (đối tượng …)",
    "purpose_stated": "the question asks what for; the clause states a purpose (mục đích, nhằm)",
    "effect_stated": "the question asks when it takes effect; the clause speaks of effect (hiệu lực)",
    # the clause's own label ("Thời gian: …", "Địa điểm: …") names the asked kind (search/evidence.py LABELS)
    **{f"{k}_label": f"the question asks {k}; the clause is labelled as one ('Thời gian: …')" for k in
       ("time", "duration", "place", "document", "recipient", "participants", "purpose", "effect")},
    # the heading of the clause's section names the asked kind ("1. Mục đích", "Điều 4. Hiệu lực thi hành")
    **{f"{k}_section": f"the question asks {k}; the clause's section heading names it" for k in
       ("time", "duration", "place", "document", "recipient", "participants", "purpose", "effect")},
    "label_whole_document": "the clause is labelled with the asked kind and the question's topic is its document's "
                            "title (the question asks about the document's own event)",
    "closing_formula": "the closing sentence of a document ('Trên đây là …') or an appendix caption ('Kèm theo …')",
    "recital": "a recital of the document's legal basis ('Căn cứ Nghị định …'), when the question asks no document",
}


@dataclass(frozen=True)
class Ranking:
    weights: dict[str, float] = field(default_factory=dict)
    coverage_offset: float = 0.25
    coverage_power: float = 2.0
    heading_credit: float = 0.5  # a topical word held only by the clause's headings or document title
    note: str = ""

    def weight(self, name: str) -> float:
        return self.weights.get(name, 1.0)

    def boost(self, features: Mapping[str, float]) -> float:
        """The product of the weights of the features present (a count > 1 multiplies again)."""
        b = 1.0
        for name, n in features.items():
            w = self.weights.get(name, 1.0)
            b *= w if n == 1 else w ** n
        return b

    def coverage_factor(self, coverage: float) -> float:
        return (self.coverage_offset + coverage) ** self.coverage_power

    def log_weights(self) -> dict[str, float]:
        return {k: math.log(self.weight(k)) for k in FEATURES}

    def to_json(self) -> dict:
        return {"note": self.note, "coverage_offset": self.coverage_offset, "coverage_power": self.coverage_power,
                "heading_credit": self.heading_credit,
                "weights": {k: round(self.weights[k], 6) for k in FEATURES if k in self.weights}}


def from_json(data: dict) -> Ranking:
    unknown = set(data.get("weights", {})) - set(FEATURES)
    if unknown:
        raise ValueError(f"ranking.json: unknown features {sorted(unknown)}")
    return Ranking({k: float(v) for k, v in data.get("weights", {}).items()},
                   float(data.get("coverage_offset", 0.25)), float(data.get("coverage_power", 2.0)),
                   float(data.get("heading_credit", 0.5)), str(data.get("note", "")))


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Ranking:
    return from_json(json.loads(Path(path or RANKING_FILE).read_text(encoding="utf-8")))
