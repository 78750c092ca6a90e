"""Daily digest subscriptions and the date each chat last got one, in a small SQLite file
under the data dir, so a restart neither forgets a subscription nor sends a digest twice."""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

DIGEST_DAYS = 7


class DigestStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS digest (chat_id INTEGER PRIMARY KEY, "
                       "subscribed INTEGER NOT NULL, last_sent TEXT)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def subscribe(self, chat_id: int, on: bool) -> None:
        with self._connect() as db:
            db.execute("INSERT INTO digest (chat_id, subscribed) VALUES (?, ?) "
                       "ON CONFLICT(chat_id) DO UPDATE SET subscribed = excluded.subscribed", (chat_id, int(on)))

    def is_subscribed(self, chat_id: int) -> bool:
        with self._connect() as db:
            row = db.execute("SELECT subscribed FROM digest WHERE chat_id = ?", (chat_id,)).fetchone()
        return bool(row and row[0])

    def due_today(self, today: date) -> list[int]:
        """Subscribed chats that have not had today's digest yet."""
        with self._connect() as db:
            rows = db.execute("SELECT chat_id FROM digest WHERE subscribed = 1 AND "
                              "(last_sent IS NULL OR last_sent < ?) ORDER BY chat_id", (today.isoformat(),))
            return [r[0] for r in rows]

    def mark_sent(self, chat_id: int, day: date) -> None:
        with self._connect() as db:
            db.execute("UPDATE digest SET last_sent = ? WHERE chat_id = ?", (day.isoformat(), chat_id))
