"""What an operator said of a task: done (đã xong) or ongoing (đang thực hiện), kept in a small
SQLite file of the data folder (`Settings.status_file`), with every change in a history table
(who, when, from → to, note), so a mark can always be traced and undone.

The file is separate from the index and the corpus: marking a task never writes where the index
lives, and SQLite's transactions mean a crash mid-write leaves the old mark or the new one. Each
change is one `BEGIN IMMEDIATE` transaction: the current mark and its history row land together.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MARKS = ("done", "ongoing")  # what an operator may say; "clear" takes a mark away
MARK_LABELS = {"done": "đã xong", "ongoing": "đang thực hiện"}
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS marks (
        clause_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        clause_id TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    )""",
)


@dataclass(frozen=True)
class Mark:
    """An operator's word on one task (kept here, in the marks file): done or ongoing."""

    status: str  # done | ongoing
    by: str
    at: str  # ISO 8601, UTC
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "by": self.by, "at": self.at, "note": self.note}


class MarkError(ValueError):
    """A mark that cannot be made (unknown status, unreadable file); Vietnamese message."""


@dataclass(frozen=True)
class Change:
    """One row of the history: `from_status` / `to_status` None for no mark."""

    clause_id: str
    from_status: str | None
    to_status: str | None
    by: str
    at: str
    note: str = ""

    def to_dict(self) -> dict:
        return {"clause_id": self.clause_id, "from_status": self.from_status, "to_status": self.to_status,
                "by": self.by, "at": self.at, "note": self.note}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class MarkStore:
    """The marks file; created (0600) on the first mark, never by a reader."""

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if not self.path.exists() and not create:
            return None
        new = not self.path.exists()
        try:
            if new:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            if new:
                os.chmod(self.path, 0o600)
                con.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                con.execute(statement)
        except (sqlite3.Error, OSError) as exc:
            raise MarkError(f"Không mở được tệp trạng thái nhiệm vụ {self.path}: {exc}.") from exc
        return con

    def marks(self) -> dict[str, Mark]:
        """Every current mark by clause id (empty when nothing was ever marked)."""
        con = self._connect(create=False)
        if con is None:
            return {}
        with closing(con):
            try:
                rows = con.execute("SELECT clause_id, status, by, at, note FROM marks").fetchall()
            except sqlite3.Error as exc:
                raise MarkError(f"Không đọc được tệp trạng thái nhiệm vụ {self.path}: {exc}.") from exc
        return {r[0]: Mark(*r[1:]) for r in rows}

    def set(self, clause_id: str, status: str, by: str, note: str = "") -> Change:
        """Mark `clause_id` `status` ("done", "ongoing", or "clear" to take the mark away); the change
        and the new mark are written in one transaction. A mark that changes nothing is still recorded."""
        if status not in MARKS + ("clear",):
            raise MarkError(f"Trạng thái không hợp lệ '{status}' (dùng: done, ongoing, clear).")
        by = (by or "").strip()[:100] or "?"
        note = (note or "").strip()[:500]
        at = _now()
        con = self._connect(create=True)
        assert con is not None
        with closing(con):
            try:
                con.execute("BEGIN IMMEDIATE")
                row = con.execute("SELECT status FROM marks WHERE clause_id = ?", (clause_id,)).fetchone()
                before = row[0] if row else None
                after = None if status == "clear" else status
                if after is None:
                    con.execute("DELETE FROM marks WHERE clause_id = ?", (clause_id,))
                else:
                    con.execute("INSERT OR REPLACE INTO marks (clause_id, status, by, at, note) VALUES (?, ?, ?, ?, ?)",
                                (clause_id, after, by, at, note))
                con.execute("INSERT INTO history (clause_id, from_status, to_status, by, at, note) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (clause_id, before, after, by, at, note))
                con.execute("COMMIT")
            except sqlite3.Error as exc:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise MarkError(f"Không ghi được trạng thái nhiệm vụ vào {self.path}: {exc}.") from exc
        return Change(clause_id, before, after, by, at, note)

    def history(self, clause_id: str | None = None) -> list[Change]:
        """The changes, oldest first (of one task when `clause_id` is given)."""
        con = self._connect(create=False)
        if con is None:
            return []
        with closing(con):
            sql = "SELECT clause_id, from_status, to_status, by, at, note FROM history"
            args: tuple = ()
            if clause_id:
                sql, args = sql + " WHERE clause_id = ?", (clause_id,)
            rows = con.execute(sql + " ORDER BY id", args).fetchall()
        return [Change(*r) for r in rows]


MarkMap = Mapping[str, Mark]
