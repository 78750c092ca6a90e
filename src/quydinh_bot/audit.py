"""The operator's audit log: one JSON line per question (time, channel, caller, question,
clause ids). Off unless `QUYDINH_AUDIT_LOG` names a file; nothing else records question text."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path


class AuditLog:
    def __init__(self, path: str | Path | None):
        self.path = Path(path).expanduser() if path else None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def record(self, channel: str, caller: str | int, question: str, clause_ids: list[str]) -> None:
        if self.path is None:
            return
        line = json.dumps({"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "channel": channel,
                           "caller": str(caller), "question": question, "clause_ids": clause_ids},
                          ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
