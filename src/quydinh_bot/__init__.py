"""quydinh-bot: hỏi đáp trên văn bản quy định của Đảng và của tỉnh.

The public face: what the shells (CLI, HTTP API, web page, Telegram bot) and any other program use.
`Assistant` answers (questions, the task register, clauses, quizzes) over the built index; `Corpus`
reads and changes the documents (clause tree and register without an index; add, remove, re-index).
The rest are the records and errors they pass back. Names are imported on first use, so importing
the package (or `quydinh_bot.config`) loads no model library.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_FACE = {
    "Assistant": "quydinh_bot.answer.assistant",
    "Corpus": "quydinh_bot.answer.corpus",
    "Settings": "quydinh_bot.config",
    "get_settings": "quydinh_bot.config",
    "Clause": "quydinh_bot.records",
    "TaskFilter": "quydinh_bot.register.filter",
    "TASK_STATUSES": "quydinh_bot.register.filter",
    "TASK_SORTS": "quydinh_bot.register.filter",
    "Task": "quydinh_bot.register.tasks",
    "MarkError": "quydinh_bot.register.marks",
    "read_task_scope": "quydinh_bot.register.tasks",
    "DocumentError": "quydinh_bot.documents.document",
    "ParseError": "quydinh_bot.parse.clauses",
    "IndexError_": "quydinh_bot.index.build",
    "ModelError": "quydinh_bot.encoder.model",
    "EngineError": "quydinh_bot.encoder.engine",
    "QuizItem": "quydinh_bot.quiz.items",
    "QuizShortage": "quydinh_bot.quiz.select",
    "DIFFICULTY_LABELS": "quydinh_bot.quiz.items",
    "TYPE_LABELS": "quydinh_bot.quiz.items",
    "QUIZ_FORMATS": "quydinh_bot.quiz.export",
    "QUIZ_BINARY_FORMATS": "quydinh_bot.quiz.export",
    "export_quiz": "quydinh_bot.quiz.export",
    "export_tasks": "quydinh_bot.register.export",
    "TASK_MEDIA_TYPES": "quydinh_bot.register.export",
    "has_diacritics": "quydinh_bot.language.text",
}
_RENAMED = {"TASK_STATUSES": "STATUSES", "TASK_SORTS": "SORTS", "read_task_scope": "read_scope",
            "QUIZ_FORMATS": "FORMATS", "QUIZ_BINARY_FORMATS": "BINARY_FORMATS", "export_quiz": "export",
            "export_tasks": "export", "TASK_MEDIA_TYPES": "MEDIA_TYPES"}

__all__ = [  # the names of _FACE, spelled out for readers and linters
    "__version__", "Assistant", "Corpus", "Settings", "get_settings", "Clause", "TaskFilter", "TASK_STATUSES",
    "TASK_SORTS", "Task", "MarkError", "read_task_scope", "DocumentError",
    "ParseError", "IndexError_", "ModelError", "EngineError", "QuizItem", "QuizShortage", "DIFFICULTY_LABELS",
    "TYPE_LABELS", "QUIZ_FORMATS", "QUIZ_BINARY_FORMATS", "export_quiz", "export_tasks", "TASK_MEDIA_TYPES",
    "has_diacritics",
]

if TYPE_CHECKING:
    from quydinh_bot.answer.assistant import Assistant
    from quydinh_bot.answer.corpus import Corpus
    from quydinh_bot.config import Settings, get_settings
    from quydinh_bot.documents.document import DocumentError
    from quydinh_bot.encoder.engine import EngineError
    from quydinh_bot.encoder.model import ModelError
    from quydinh_bot.index.build import IndexError_
    from quydinh_bot.language.text import has_diacritics
    from quydinh_bot.parse.clauses import ParseError
    from quydinh_bot.quiz.export import BINARY_FORMATS as QUIZ_BINARY_FORMATS
    from quydinh_bot.quiz.export import FORMATS as QUIZ_FORMATS
    from quydinh_bot.quiz.export import export as export_quiz
    from quydinh_bot.quiz.items import DIFFICULTY_LABELS, TYPE_LABELS, QuizItem
    from quydinh_bot.quiz.select import QuizShortage
    from quydinh_bot.records import Clause
    from quydinh_bot.register.export import MEDIA_TYPES as TASK_MEDIA_TYPES
    from quydinh_bot.register.export import export as export_tasks
    from quydinh_bot.register.filter import SORTS as TASK_SORTS
    from quydinh_bot.register.filter import STATUSES as TASK_STATUSES
    from quydinh_bot.register.filter import TaskFilter
    from quydinh_bot.register.marks import MarkError
    from quydinh_bot.register.tasks import Task
    from quydinh_bot.register.tasks import read_scope as read_task_scope


def __getattr__(name: str) -> Any:
    module = _FACE.get(name)
    if module is None:
        raise AttributeError(f"module 'quydinh_bot' has no attribute {name!r}")
    value = getattr(import_module(module), _RENAMED.get(name, name))
    globals()[name] = value  # looked up once
    return value
