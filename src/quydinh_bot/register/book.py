"""The register as one object: some task clauses, their documents and the operator's marks,
filtered, sorted and shown as `Task` records, and marked. The Assistant (over the index) and the
Corpus (over the parsed files) each hold one, so the CLI, the API, the web page and the bot list
and mark tasks through the same code."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from quydinh_bot.records import Clause

from .filter import TaskFilter, filter_tasks
from .marks import MARKS, Change, MarkError, MarkStore
from .tasks import Task, TaskDocument, task_of


class TaskBook:
    """The task register over `clauses`; marks are read from the store at each call, so a mark
    made by the CLI shows in the running service at its next request."""

    def __init__(self, clauses: Sequence[Clause], documents: Iterable[object], store: MarkStore, today: date):
        self.clauses = clauses
        self.documents: Mapping[str, TaskDocument] = {
            td.doc_id: td for td in (d if isinstance(d, TaskDocument) else TaskDocument.of(d) for d in documents)}
        self.store = store
        self.today = today
        self._index: dict[str, Clause] | None = None

    def select(self, f: TaskFilter | None = None, sort: str = "nearest") -> list[Clause]:
        f = f or TaskFilter()
        return filter_tasks(self.clauses, f, sort=sort, today=f.today or self.today, documents=self.documents,
                            marks=self.store.marks())

    def tasks(self, f: TaskFilter | None = None, sort: str = "nearest") -> list[Task]:
        """The filtered tasks as the views show them."""
        f = f or TaskFilter()
        today = f.today or self.today
        marks = self.store.marks()
        clauses = filter_tasks(self.clauses, f, sort=sort, today=today, documents=self.documents, marks=marks)
        return [task_of(c, self.documents.get(c.doc_id), today, marks.get(c.clause_id)) for c in clauses]

    def records(self, clause_ids: Iterable[str], today: date | None = None) -> list[Task | None]:
        """The tasks of these ids as the views show them (None for an id that is not a task): a page
        of a list, with the marks read once; their status as of `today` (default the book's)."""
        by_id = self._by_id()
        marks = self.store.marks()
        today = today or self.today
        out: list[Task | None] = []
        for i in clause_ids:
            c = by_id.get(i)
            out.append(task_of(c, self.documents.get(c.doc_id), today, marks.get(i)) if c else None)
        return out

    def task(self, clause_id: str) -> Task | None:
        return self.records([clause_id])[0]

    def _by_id(self) -> dict[str, Clause]:
        if self._index is None:
            self._index = {c.clause_id: c for c in self.clauses if c.is_task}
        return self._index

    def mark(self, clause_id: str, status: str, by: str, note: str = "") -> tuple[Change, Task]:
        """Mark a task done / ongoing ("clear" takes the mark away): the change as recorded, and the
        task as it now stands. MarkError (Vietnamese) for an unknown task or status."""
        if status not in MARKS + ("clear",):
            raise MarkError(f"Trạng thái không hợp lệ '{status}' (dùng: done, ongoing, clear).")
        if self.task(clause_id) is None:
            raise MarkError(f"Không có nhiệm vụ mã '{clause_id}' (xem mã ở cột Mã điều khoản hoặc `tasks --json`).")
        change = self.store.set(clause_id, status, by, note)
        task = self.task(clause_id)
        assert task is not None
        return change, task

    def history(self, clause_id: str | None = None) -> list[Change]:
        return self.store.history(clause_id)
