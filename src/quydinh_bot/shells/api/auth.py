"""API keys: a small SQLite store (names unique, keys kept only as SHA-256 hashes of 32 random
bytes, roles `user`/`admin`, revocation) and the FastAPI dependencies `require_key` /
`require_admin` every protected route uses.

A key is shown once, when it is made; the store can tell whether a key is valid but cannot give
one back. The CLI (`quydinh-bot keys ...`) and the running service share the file, so a key
revoked from the command line is refused by the next request.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from .errors import ApiError

ROLES = ("user", "admin")
KEY_PREFIX = "qdb_"
HEADER = "X-API-Key"
_NAME = re.compile(r"[\w.@-]{1,64}")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    revoked TEXT
)"""


class KeyStoreError(ValueError):
    """A key operation that cannot be done (bad or duplicate name, unknown key); Vietnamese message."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    created: str
    revoked: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class KeyStore:
    """The key file: created on first use with owner-only permissions."""

    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        self._local = threading.local()  # each service thread's own connection for key checks

    def _connect(self) -> sqlite3.Connection:
        new = not self.path.exists()
        if new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            if new:
                os.chmod(self.path, 0o600)
                con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise KeyStoreError(f"Không mở được kho khóa API {self.path}: {exc}.") from exc
        return con

    def add(self, name: str, role: str = "user") -> str:
        """A new key for `name`, returned once. A revoked name may be given a new key."""
        name = (name or "").strip()
        if not _NAME.fullmatch(name):
            raise KeyStoreError("Tên khóa chỉ gồm chữ, số và . _ - @ (tối đa 64 ký tự).")
        if role not in ROLES:
            raise KeyStoreError(f"Vai trò không hợp lệ '{role}' (dùng: {', '.join(ROLES)}).")
        token = KEY_PREFIX + secrets.token_urlsafe(32)
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute("SELECT revoked FROM api_keys WHERE name = ?", (name,)).fetchone()
            if row is not None and row[0] is None:
                con.execute("ROLLBACK")
                raise KeyStoreError(f"Đã có khóa tên '{name}'. Thu hồi trước (keys revoke {name}) hoặc chọn tên khác.")
            con.execute("INSERT OR REPLACE INTO api_keys (name, role, key_hash, created, revoked) "
                        "VALUES (?, ?, ?, ?, NULL)", (name, role, _hash(token), _now()))
            con.execute("COMMIT")
        return token

    def list(self) -> list[ApiKey]:
        with closing(self._connect()) as con:
            rows = con.execute("SELECT name, role, created, revoked FROM api_keys ORDER BY created, name").fetchall()
        return [ApiKey(*r) for r in rows]

    def revoke(self, name: str) -> None:
        with closing(self._connect()) as con:
            cur = con.execute("UPDATE api_keys SET revoked = ? WHERE name = ? AND revoked IS NULL", (_now(), name))
        if cur.rowcount == 0:
            raise KeyStoreError(f"Không có khóa đang dùng tên '{name}' (xem: quydinh-bot keys list).")

    def verify(self, token: str) -> ApiKey | None:
        """The active key `token` is, or None (unknown, revoked, malformed). Each thread keeps one
        connection open (opening one per request showed as 4% of the service's time under load); in
        autocommit mode every SELECT still sees what `keys revoke` committed a moment before."""
        if not token or len(token) > 200:
            return None
        for attempt in (0, 1):
            con = getattr(self._local, "con", None)
            try:
                if con is None:
                    con = self._local.con = self._connect()
                row = con.execute("SELECT name, role, created, revoked FROM api_keys WHERE key_hash = ?",
                                  (_hash(token),)).fetchone()
                break
            except sqlite3.Error:  # the file was replaced or the connection broke: open it again, once
                self._local.con = None
                if con is not None:
                    con.close()
                if attempt:
                    raise
        if row is None or row[3] is not None:
            return None
        return ApiKey(*row)

    def has_active(self) -> bool:
        with closing(self._connect()) as con:
            return con.execute("SELECT 1 FROM api_keys WHERE revoked IS NULL LIMIT 1").fetchone() is not None

    def ensure_first_key(self, name: str = "admin") -> str | None:
        """On a first run (no active key at all) make an admin key and return it; else None."""
        if self.has_active():
            return None
        base, n = name, 1
        while any(k.name == name for k in self.list()):  # a revoked 'admin' keeps its row
            n += 1
            name = f"{base}{n}"
        return self.add(name, "admin")


_header = APIKeyHeader(name=HEADER, auto_error=False, description="Khóa API (tạo bằng: quydinh-bot keys add TÊN)")


def authenticate(state, token: str | None) -> ApiKey:
    """The caller's active key, checked against the store and the per-key rate limit (`state` is
    the app's state), or the 401/429 `ApiError`. Used by the key gate (middleware.KeyGate, before
    any body is read) and by `require_key` for a route the gate did not see."""
    if not token:
        raise ApiError(401, "missing_key", f"Thiếu khóa API: gửi khóa trong header {HEADER}.")
    key = state.keys.verify(token.strip())
    if key is None:
        raise ApiError(401, "invalid_key", "Khóa API không hợp lệ hoặc đã bị thu hồi.")
    wait = state.limiter.wait(key.name)
    if wait:
        seconds = max(1, math.ceil(wait))
        raise ApiError(429, "rate_limited",
                       f"Quá nhiều yêu cầu với khóa này (tối đa {state.limiter.per_minute} mỗi phút); "
                       f"hãy thử lại sau {seconds} giây.", headers={"Retry-After": str(seconds)})
    return key


def check_admin(key: ApiKey) -> ApiKey:
    if not key.is_admin:
        raise ApiError(403, "forbidden", "Thao tác này cần khóa quản trị (admin).")
    return key


async def require_key(request: Request, token: str | None = Security(_header)) -> ApiKey:
    """The caller's key. The key gate has usually checked it already, before the body was read
    (then it is taken from the request's state, and the rate limit is not spent twice). Async, so
    no worker thread is taken for it: the check is one indexed SELECT on a connection kept open."""
    key = request.scope.get("state", {}).get("api_key")
    if key is None:
        key = authenticate(request.app.state, token)
        request.state.key_name = key.name
    return key


async def require_admin(key: ApiKey = Depends(require_key)) -> ApiKey:
    """A key with the admin role (adding/removing documents and the like)."""
    return check_admin(key)
