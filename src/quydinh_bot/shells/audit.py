"""The operator's audit log: one JSON line per question (time, channel, caller, question,
clause ids). Off unless `QUYDINH_AUDIT_LOG` names a file; nothing else records question text.
The file holds question text, so it is the owner's only: created 0600 (an existing file is narrowed
to that at the first write), in a folder made 0700 when the log has to create it."""
from __future__ import annotations

import json
import os
import stat
import threading
from datetime import datetime, timezone
from pathlib import Path

from quydinh_bot.files import private_dir

FILE_MODE = 0o600


class AuditLog:
    def __init__(self, path: str | Path | None):
        self.path = Path(path).expanduser() if path else None
        self._lock = threading.Lock()
        self._checked = False  # mode narrowed once per process

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def record(self, channel: str, caller: str | int, question: str, clause_ids: list[str]) -> None:
        self._write({"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "channel": channel,
                     "caller": str(caller), "question": question, "clause_ids": clause_ids})

    def event(self, channel: str, caller: str | int, action: str, details: dict) -> None:
        """An operator's action (a task marked done/ongoing: its from → to) as one line beside the
        questions; the task store keeps its own history whether or not this log is on."""
        self._write({"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "channel": channel,
                     "caller": str(caller), "action": action, **details})

    def _write(self, record: dict) -> None:
        if self.path is None:
            return
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            private_dir(self.path.parent, narrow=False)  # folders it makes are the owner's only
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
            with os.fdopen(fd, "a", encoding="utf-8") as f:
                if not self._checked:
                    mode = os.fstat(fd).st_mode
                    if stat.S_ISREG(mode) and mode & 0o077:  # made by an older version, or by hand
                        try:
                            os.fchmod(fd, FILE_MODE)
                        except OSError:  # another owner's file: theirs to narrow
                            pass
                    self._checked = True
                f.write(line + "\n")
