"""The corpus as the shells manage it: the documents on disk, parsed into clauses and tasks, and
the changes to them (add, remove, re-index), each of which keeps corpus and index together
(`index.ingest`). Reading the clause tree or the task register needs no index and no model."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quydinh_bot.config import Settings, get_settings
from quydinh_bot.documents.meta import parse_overrides
from quydinh_bot.index import build, ingest
from quydinh_bot.parse.corpus import ParsedCorpus, parse_corpus, parse_file
from quydinh_bot.quiz import QuizItem, build_quiz
from quydinh_bot.records import Clause
from quydinh_bot.register.book import TaskBook
from quydinh_bot.register.filter import TaskFilter
from quydinh_bot.register.marks import MarkStore
from quydinh_bot.register.tasks import Task


@dataclass
class Corpus(ParsedCorpus):
    settings: Settings = field(default_factory=get_settings, repr=False)

    @classmethod
    def load(cls, settings: Settings | None = None) -> Corpus:
        """Every document of the corpus folder, read and parsed."""
        settings = settings or get_settings()
        parsed = parse_corpus(settings)
        return cls(parsed.documents, parsed.clauses, settings=settings)

    @classmethod
    def load_file(cls, path: Path, settings: Settings | None = None) -> Corpus:
        """A corpus of one file (to check a new document before adding it)."""
        settings = settings or get_settings()
        parsed = parse_file(path, settings)
        return cls(parsed.documents, parsed.clauses, settings=settings)

    @property
    def task_book(self) -> TaskBook:
        """The register over the parsed documents, with the operator's marks (`register.book`)."""
        return TaskBook(self.clauses, self.documents, MarkStore(self.settings.status_file), self.settings.today())

    def tasks(self, task_filter: TaskFilter | None = None, sort: str = "nearest") -> list[Task]:
        """The task register, filtered as in the API contract (`register.filter`), each task with its
        document, province and status; "today" (for overdue and upcoming) is the settings'
        (`QUYDINH_TODAY` or the clock)."""
        f = task_filter or TaskFilter()
        if f.doc_id:
            self.doc_clauses(f.doc_id)  # an unknown id is a ValueError naming the known ones
        return self.task_book.tasks(f, sort)

    def hit(self, c: Clause) -> dict:
        """A clause in the contract's shape, with its document's title."""
        return c.to_dict(self.document(c.doc_id).display_title)

    def quiz(self, *, doc_id: str | None = None, section: str | None = None, topic: str | None = None,
             n: int = 10, types: list[str] | None = None, difficulty: list[str] | None = None,
             seed: int = 0) -> list[QuizItem]:
        """Quiz items over the parsed documents (`quiz`): the same seed gives the same quiz."""
        documents = [{"doc_id": d.doc_id, "title": d.display_title, "kind": d.kind, "number": d.number,
                      "date": d.date, "issuer": d.issuer, "province": d.province} for d in self.documents]
        return build_quiz(self.clauses, documents, doc_id=doc_id, section=section, topic=topic, n=n, types=types,
                          difficulty=difficulty, seed=seed)

    # -- changing the corpus: each call leaves corpus and index agreeing -----------------------
    @staticmethod
    def add(paths: list[Path], meta: dict[str, str] | None = None,
            settings: Settings | None = None) -> ingest.IngestResult:
        """Add .txt/.md/.docx/.pdf files: only they are parsed and embedded; DocumentError on a bad one."""
        return ingest.add_files(list(paths), meta, settings)

    @staticmethod
    def remove(doc_id: str, settings: Settings | None = None) -> ingest.IngestResult:
        return ingest.remove(doc_id, settings)

    @staticmethod
    def rebuild(settings: Settings | None = None, progress: bool = False) -> build.BuildStats:
        """The whole index again (documents that did not change are taken from their stored parts)."""
        return ingest.rebuild(settings, progress=progress)

    @staticmethod
    def check_index(settings: Settings | None = None, deep: bool = False) -> dict:
        """The live index's manifest, or IndexError_ saying what to run; `deep` checks every file's sha256."""
        return build.check_index(settings, deep=deep)

    @staticmethod
    def metadata(pairs: list[str] | None, doc_id: str | None = None) -> dict[str, str]:
        """`KEY=VALUE` overrides of what `add` detects (kind, number, date, issuer, province, title…)."""
        meta = parse_overrides(pairs)
        if doc_id:
            meta["id"] = doc_id
        return meta
