"""Changing the corpus folder and the index together, so that a crash never leaves them apart.

`add`/`remove` (ingest) first stage the new files under `corpus/.ingest/stage/`, then write a
journal naming the moves and deletions and the corpus hash they lead to, then build and swap
the index for that hash, then apply the journal. Whoever finds a journal later (the next
`add`, or a process loading the index) finishes it when the live index already describes
the target state, and discards it otherwise: either way corpus and index agree again.
An exclusive lock (`corpus/.ingest.lock`, released by the kernel if the holder dies) keeps
two writers, or a writer and a recovering reader, apart.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from quydinh_bot.config import Settings
from quydinh_bot.files import fsync_path, fsync_tree, write_atomic

WORK_DIR = ".ingest"
LOCK_FILE = ".ingest.lock"


@dataclass
class Journal:
    target: str  # the corpus hash once applied
    moves: list[tuple[str, str]] = field(default_factory=list)  # staged path -> corpus path (relative)
    deletes: list[str] = field(default_factory=list)  # corpus paths (relative)


def work_dir(settings: Settings) -> Path:
    return settings.corpus_dir / WORK_DIR


def stage_dir(settings: Settings) -> Path:
    return work_dir(settings) / "stage"


def _journal_path(settings: Settings) -> Path:
    return work_dir(settings) / "journal.json"


@contextlib.contextmanager
def locked(settings: Settings, blocking: bool = True) -> Iterator[bool]:
    """Hold the corpus write lock; yields False (without waiting) when `blocking` is off and
    another process holds it."""
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.corpus_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def begin(settings: Settings) -> Path:
    """A clean staging folder (under the lock)."""
    shutil.rmtree(work_dir(settings), ignore_errors=True)
    stage = stage_dir(settings)
    stage.mkdir(parents=True)
    return stage


def write_journal(settings: Settings, journal: Journal) -> None:
    stage = stage_dir(settings)
    fsync_tree(stage)
    data = json.dumps({"target": journal.target, "moves": journal.moves, "deletes": journal.deletes},
                      ensure_ascii=False).encode("utf-8")
    write_atomic(_journal_path(settings), data)


def apply(settings: Settings, journal: Journal) -> None:
    """Move the staged files into the corpus and delete what goes; idempotent."""
    corpus = settings.corpus_dir
    for src, dst in journal.moves:
        s, d = corpus / src, corpus / dst
        if s.exists():
            d.parent.mkdir(parents=True, exist_ok=True)
            os.replace(s, d)
    for rel in journal.deletes:
        (corpus / rel).unlink(missing_ok=True)
    fsync_path(corpus)
    finish(settings)


def finish(settings: Settings) -> None:
    _journal_path(settings).unlink(missing_ok=True)
    shutil.rmtree(work_dir(settings), ignore_errors=True)


def read_journal(settings: Settings) -> Journal | None:
    try:
        d = json.loads(_journal_path(settings).read_text(encoding="utf-8"))
        return Journal(d["target"], [tuple(m) for m in d["moves"]], list(d["deletes"]))
    except (OSError, ValueError, KeyError):
        return None


def settle(settings: Settings, live_hash: str | None) -> None:
    """Under the lock: finish a journal whose target the live index already serves, else drop it."""
    journal = read_journal(settings)
    if journal is not None and live_hash == journal.target:
        apply(settings, journal)
    elif work_dir(settings).exists():
        finish(settings)


def recover(settings: Settings, live_hash: str | None) -> bool:
    """`settle` if no writer is running; False when one is (nothing touched)."""
    if not work_dir(settings).exists():
        return False
    with locked(settings, blocking=False) as ok:
        if not ok:
            return False
        settle(settings, live_hash)
        return True
