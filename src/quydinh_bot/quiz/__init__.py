"""Quiz builder for cadre-training trainers: grounded multiple-choice questions with citations."""
from .items import DIFFICULTIES, TYPES, QuizItem
from .select import QuizShortage, build_quiz, candidates

__all__ = ["DIFFICULTIES", "TYPES", "QuizItem", "QuizShortage", "build_quiz", "candidates"]
