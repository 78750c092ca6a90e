"""The quiz item: one question answerable from one cited clause, as the API contract fixes it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPES = ("lead", "deadline", "figure", "document", "blank", "truefalse")
DIFFICULTIES = ("easy", "medium", "hard")
TRUE_FALSE = ("Đúng", "Sai")

# Vietnamese labels for printed exports (DOCX, XLSX headers, CSV) — the JSON keeps the contract's codes.
TYPE_LABELS = {"lead": "cơ quan chủ trì", "deadline": "thời hạn", "figure": "số liệu, chỉ tiêu",
               "document": "thông tin văn bản", "blank": "điền khuyết", "truefalse": "đúng/sai"}
DIFFICULTY_LABELS = {"easy": "dễ", "medium": "trung bình", "hard": "khó"}


@dataclass
class QuizItem:
    """A multiple-choice question. The fields after `citation` are what the quality rules check
    against the clause; they stay out of the contract's JSON."""

    question: str
    options: list[str]
    correct: int
    explanation: str
    type: str
    difficulty: str
    clause_id: str
    citation: str
    doc_id: str = ""
    kind: str = ""  # what the options are: body | time | date | percent | count | docref | truth
    answer: str = ""  # the value that stands in the clause (for true/false: the clause's own value)
    shown: str = ""  # true/false only: the value the statement shows (== answer when the statement is true)
    fact: str = ""  # what is asked, for "no two items ask the same thing"
    closeness: float = 0.0  # 0..1, how close the wrong values are to the right one (defines difficulty)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def distractors(self) -> list[str]:
        return [o for i, o in enumerate(self.options) if i != self.correct]

    def to_dict(self) -> dict[str, Any]:
        """The contract's item (`quydinh-bot quiz --format json`, `POST /quiz`), plus doc_id."""
        return {"question": self.question, "options": list(self.options), "correct": self.correct,
                "explanation": self.explanation, "type": self.type, "difficulty": self.difficulty,
                "clause_id": self.clause_id, "citation": self.citation, "doc_id": self.doc_id}
