"""What the service holds for its whole life: one `Assistant` (loaded once, in the background
so `/healthz` answers at once and `/readyz` says when questions can be asked), the pool of threads
that answers a few questions at a time (one per core), a small cache of recent answers (the same
question asked again costs nothing; keyed on the index version, so an added document is seen), and
the audit log."""
from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio

from quydinh_bot import Assistant
from quydinh_bot.config import Settings
from quydinh_bot.files import private_dir
from quydinh_bot.shells.audit import AuditLog

from .errors import ApiError

log = logging.getLogger("quydinh_bot.api")
engine_threads = Assistant.limit_threads  # one question's encoding threads (a name the tests can replace)
WARM_UP_QUESTION = "Ai chủ trì số hóa tài liệu?"
UPLOAD_PREFIX = "quydinh-upload-"
_UPLOAD_PID = re.compile(re.escape(UPLOAD_PREFIX) + r"(\d+)-")


class Service:
    def __init__(self, settings: Settings, assistant: Assistant | None = None):
        self.settings = settings
        self.assistant = assistant
        self.error: str | None = None
        self.loaded_in: float | None = None
        self.audit = AuditLog(settings.audit_log or None)
        # at most `ask_concurrency` questions at once (each encodes on its own core; the engine keeps
        # no state between calls and releases the GIL): a pool of that many threads takes them from
        # one queue in arrival order, each thread the next question as soon as it is free (it does
        # not wait for the busy event loop to hand it one), and the rest wait, not all slowed at once
        self.ask_pool = ThreadPoolExecutor(max_workers=ask_concurrency(settings), thread_name_prefix="quydinh-ask")
        self._in_flight = 0  # questions queued or being answered
        self._in_flight_lock = threading.Lock()
        self.cores = _cpus()
        self.ask_lock = threading.Lock()  # one quiz pool built at a time; swapping the assistant
        self._cache: OrderedDict[tuple[str, int, str, str], dict] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.upload_dir: Path | None = None  # set at start (prepare_uploads)

    def load(self) -> None:
        """Load the index and the model, and answer one question so the first caller waits for nothing."""
        t0 = time.perf_counter()
        try:
            assistant = Assistant(settings=self.settings)
            assistant.ask(WARM_UP_QUESTION, k=1)
        except Exception as exc:  # IndexError_, ModelError, OSError: said once, in Vietnamese where known
            self.error = str(exc) if str(exc) and not str(exc).isascii() else (
                f"Không nạp được chỉ mục hoặc mô hình ({exc.__class__.__name__}).")
            log.error("không nạp được trợ lý: %s", self.error)
            return
        self.assistant, self.error = assistant, None
        self.loaded_in = time.perf_counter() - t0
        log.info("sẵn sàng sau %.1f giây: %d văn bản, %d điều khoản", self.loaded_in,
                 len(assistant.documents()), assistant.clause_count)

    def prepare_uploads(self) -> None:
        """At start: the upload folder (owner-only), emptied of what a crashed service left there.
        A folder named after another running process (a second service on the same data) is kept;
        one named after this process is a leftover too (a restarted container often gets the same
        pid), since nothing is uploaded before the start."""
        self.upload_dir = _owner_only_dir(self.settings.upload_dir)
        if self.upload_dir is None:
            return
        try:
            entries = list(self.upload_dir.iterdir())
        except OSError:
            return
        for entry in entries:
            if not entry.name.startswith(UPLOAD_PREFIX):
                continue
            m = _UPLOAD_PID.match(entry.name)
            if m and int(m.group(1)) != os.getpid() and _alive(int(m.group(1))):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            log.info("đã xóa thư mục tải lên còn sót: %s", entry.name)

    def upload_tempdir(self) -> dict:
        """`tempfile.TemporaryDirectory` arguments for one upload: in the owner-only upload folder,
        named after this process (so a start after a crash knows it is a leftover)."""
        folder = self.upload_dir or _owner_only_dir(self.settings.upload_dir)
        return {"prefix": f"{UPLOAD_PREFIX}{os.getpid()}-", "dir": folder}

    def start_loading(self) -> None:
        if self.assistant is None and self._thread is None:
            self._thread = threading.Thread(target=self.load, name="quydinh-load", daemon=True)
            self._thread.start()

    def ready(self) -> Assistant:
        """The assistant, or a 503 saying why there is none yet."""
        if self.assistant is not None:
            return self.assistant
        if self.error:
            raise ApiError(503, "not_ready", f"Dịch vụ chưa sẵn sàng: {self.error}")
        raise ApiError(503, "not_ready", "Dịch vụ đang nạp chỉ mục và mô hình; hãy thử lại sau ít giây.")

    def replace(self, assistant: Assistant) -> None:
        """Serve a newly loaded assistant (after documents change) from the next request on; a
        question already under way finishes on the assistant it started with."""
        with self.ask_lock, self._cache_lock:
            self.assistant, self.error = assistant, None
            self._cache.clear()

    def forget_answers(self) -> None:
        """Drop the cached answers (a task was marked: a register answer may count it otherwise)."""
        with self._cache_lock:
            self._cache.clear()

    def _cached(self, key: tuple[str, int, str, str]) -> dict | None:
        with self._cache_lock:
            result = self._cache.get(key)
            if result is not None:
                self._cache.move_to_end(key)
            return result

    def _remember(self, key: tuple[str, int, str, str], result: dict) -> None:
        with self._cache_lock:
            self._cache[key] = result
            while len(self._cache) > self.settings.answer_cache_size:
                self._cache.popitem(last=False)

    async def ask(self, question: str, k: int, caller: str) -> dict:
        """The contract's answer; a ValueError (Vietnamese) for a question the assistant refuses.
        A repeated question is answered from the cache without leaving the event loop."""
        assistant = self.ready()
        if assistant.stale():  # a document added or removed since: load the new index off the loop
            await anyio.to_thread.run_sync(assistant.refresh)
            assistant = self.ready()
        # "today" is part of the key: register answers (overdue, upcoming) change with the date
        key = (question.strip(), k, self.settings.today().isoformat(), assistant.version)
        result = self._cached(key) if self.settings.answer_cache_size > 0 else None
        if result is None:
            with self._in_flight_lock:
                self._in_flight += 1
            try:
                result = await asyncio.get_running_loop().run_in_executor(self.ask_pool, self._answer, assistant,
                                                                          question, k)
            finally:
                with self._in_flight_lock:
                    self._in_flight -= 1
            if self.settings.answer_cache_size > 0:
                self._remember(key, result)
        if self.audit.enabled:
            self.audit.record("api", caller, result["question"], [h["clause_id"] for h in result["hits"]])
        return result

    def _answer(self, assistant: Assistant, question: str, k: int) -> dict:
        # a question alone gets every core for its encoding; concurrent ones one core each
        engine_threads(self.cores if self._in_flight == 1 else max(1, self.settings.service_threads))
        return assistant.ask(question, k=k)


def ask_concurrency(settings: Settings) -> int:
    """Questions answered at once: the setting, or one per CPU this process may use."""
    if settings.ask_concurrency > 0:
        return settings.ask_concurrency
    return max(1, _cpus() // max(1, settings.service_threads))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


def _owner_only_dir(path: Path) -> Path | None:
    """`path` made and narrowed to 0700 (`files.private_dir`), or None when it cannot be (then
    uploads go to the system's temp folder, still 0700 each)."""
    try:
        return private_dir(path)
    except OSError as exc:
        log.warning("không dùng được thư mục tải lên %s (%s); dùng thư mục tạm của hệ thống",
                    path, exc.__class__.__name__)
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except (OSError, OverflowError):
        return False
    return True
