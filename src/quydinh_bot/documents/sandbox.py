"""Word and PDF readers run in a child process with memory and time limits.

Whatever a file makes python-docx or pdfplumber do (a decompression bomb that got past the
checks of `limits`, a pathological layout, a crash in a C library), only the child suffers:
it has an address-space limit (RLIMIT_AS, `max_parse_memory_bytes`) and a CPU-time limit
(RLIMIT_CPU), and the parent kills it after `max_parse_seconds` of wall time. The caller (the
CLI, or the service in a worker thread) gets the text or one Vietnamese `DocumentError`.

Children come from multiprocessing's *forkserver*: a fresh interpreter started once per process
(never a fork of the service with its threads and OpenMP pools) that has imported the readers,
pdfplumber and python-docx; each document is read in a new fork of it, so a document costs a
fork (tens of milliseconds), not an interpreter start and the imports (~0.7 s, paid once).
"""
from __future__ import annotations

import io
import multiprocessing
import os
import threading
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import ForkServerProcess, set_spawning_popen

from .document import DocumentError
from .limits import Limits, check_text

_PRELOAD = ["quydinh_bot.documents.sandbox", "quydinh_bot.documents.pdf", "quydinh_bot.documents.docx",
            "pdfplumber", "docx", "pypdfium2"]
_lock = threading.Lock()
_ctx = None
_MEMORY_EXIT = 3  # the child ran out of memory even to report it


def _context():
    global _ctx
    with _lock:
        if _ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)  # no effect when a forkserver is already running
            _ctx = ctx
        return _ctx


class _Popen(popen_forkserver.Popen):
    """The forkserver's launcher, less the parent's `__main__`: multiprocessing would run the
    parent's main script (or module) again in every child; the reader needs nothing from it,
    and the service or CLI that calls it may not be re-runnable that way (stdin, a REPL, an
    embedding application). Otherwise as in the standard library (3.11-3.13)."""

    def _launch(self, process_obj):
        prep_data = {k: v for k, v in spawn.get_preparation_data(process_obj._name).items()
                     if not k.startswith("init_main")}
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)  # the child's sentinel of this process, as the standard launcher keeps
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(ForkServerProcess):  # the class get_context("forkserver").Process is
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


def _apply_limits(limits: Limits) -> None:
    import resource

    if limits.max_parse_memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limits.max_parse_memory_bytes, limits.max_parse_memory_bytes))
    if limits.max_parse_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (limits.max_parse_seconds, limits.max_parse_seconds + 2))


def _out_of_memory(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, MemoryError) or "NO_MEMORY" in str(getattr(exc, "error_log", "")):  # lxml's way
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _read(kind: str, data: bytes, name: str, limits: Limits, conn=None, notes: list[str] | None = None) -> str:
    if kind == "pdf":
        from .pdf import read_pdf

        def progress(done: int, total: int) -> None:  # OCR'd pages: the parent shows them, and waits longer
            if conn is not None:
                conn.send(("progress", done, total))

        return read_pdf(data, name, max_pages=limits.max_pdf_pages, progress=progress, notes=notes)
    if kind == "doc":  # antiword, a child of this child: it inherits the memory and CPU limits
        from .word97 import read_doc

        return read_doc(data, name, seconds=limits.max_parse_seconds)
    from .docx import read_docx

    return read_docx(data, name)


def _child(conn, kind: str, data: bytes, name: str, limits: Limits) -> None:
    _apply_limits(limits)
    notes: list[str] = []
    message: tuple
    try:
        text = _read(kind, data, name, limits, conn, notes)
        del data
        check_text(text, name, limits)  # a huge text is refused here, not shipped to the parent
        message = ("ok", text, notes)
    except MemoryError:
        message = ("memory", "")
    except DocumentError as exc:
        message = ("memory", "") if _out_of_memory(exc) else ("refused", str(exc))
    except RecursionError:
        message = ("crash", "RecursionError")
    except Exception as exc:  # noqa: BLE001 - reported as one line by the parent
        message = ("memory", "") if _out_of_memory(exc) else ("crash", exc.__class__.__name__)
    try:
        conn.send(message)
        conn.close()
    except MemoryError:
        os._exit(_MEMORY_EXIT)


def _failure(name: str, status: str, exitcode: int | None, limits: Limits) -> DocumentError:
    import signal

    mem = f"{limits.max_parse_memory_bytes / 2**20:.0f} MiB"
    if status == "memory" or exitcode == _MEMORY_EXIT:
        return DocumentError(f"{name}: đọc tệp cần quá nhiều bộ nhớ (giới hạn {mem}), tệp quá phức tạp "
                             f"hoặc có thể là tệp độc hại.")
    if status == "timeout" or exitcode == -signal.SIGXCPU:
        return DocumentError(f"{name}: đọc tệp quá lâu (quá {limits.max_parse_seconds} giây), tệp quá phức tạp "
                             f"hoặc có thể là tệp độc hại.")
    return DocumentError(f"{name}: trình đọc tệp bị dừng bất thường (tệp hỏng, quá phức tạp hoặc cần hơn {mem} "
                         f"bộ nhớ), không đọc được tệp này.")


def read_in_child(kind: str, data: bytes, name: str, limits: Limits, notes: list[str] | None = None) -> str:
    """`read_docx`/`read_pdf`/`read_doc` (kind "docx"/"pdf"/"doc") in a limited child process -> the text.

    What the reader reports instead of reading (scanned pages too poor to trust) goes to `notes`.
    While a scan is OCR'd the child reports each page: a progress bar on a terminal's stderr, and
    the wall-time limit grows by `ocr.PAGE_SECONDS` a page (OCR takes seconds a page; the limit
    is there for a reader that hangs)."""
    import time

    from .ocr import PAGE_SECONDS

    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = _Process(target=_child, args=(sender, kind, data, name, limits), name="quydinh-doc-reader",
                    daemon=True)
    status, payload = "died", ""
    bar = None
    try:
        try:
            proc.start()
        except OSError as exc:
            raise DocumentError(f"{name}: không khởi động được tiến trình đọc tệp ({exc.strerror}).") from exc
        finally:
            sender.close()
        # the result, or the end of the pipe when the child dies; nothing within the wall-time limit
        limit = limits.max_parse_seconds if limits.max_parse_seconds > 0 else None
        deadline = None if limit is None else time.monotonic() + limit
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not receiver.poll(wait):
                status = "timeout"
                break
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                break
            if message[0] != "progress":
                status, payload = message[0], message[1]
                if status == "ok" and notes is not None:
                    notes.extend(message[2])
                break
            bar = bar or _bar(message[2])
            bar.update(message[1] - bar.n)
            if deadline is not None:
                deadline = max(deadline, time.monotonic() + PAGE_SECONDS)
    finally:
        if bar is not None:
            bar.close()
        receiver.close()
        if proc.pid is not None:  # started
            proc.join(timeout=0 if status == "timeout" else 5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    if status == "ok":
        return payload
    if status == "refused":
        raise DocumentError(payload)
    raise _failure(name, status, proc.exitcode, limits)


def _bar(total: int):
    """The OCR progress bar: on a terminal's stderr only (never in a service's log)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="Nhận dạng chữ (OCR)", unit="trang", disable=None, leave=False)


def warm_up() -> None:
    """Start the forkserver now (it imports the readers once), e.g. while other work goes on."""
    _context()
    forkserver.ensure_running()
