"""Plain ASGI middleware around every route: the key gate (a protected route's key, and the admin
role where the route needs it, checked from the headers before a byte of the body is read), a
request-body size limit (answered 413 before any handler reads the body), security headers, and an
access log that carries method, path (never the query string, which may hold search words), status,
time and key name, each escaped so that no request can write a control character into the log.
An unexpected error ends as the JSON 500 and one log line, never a traceback."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable

from fastapi.dependencies.models import Dependant
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import authenticate, check_admin, require_admin, require_key
from .errors import ApiError, log_safe, log_unexpected

log = logging.getLogger("quydinh_bot.api.access")

# Set on every response that does not set its own (the web page sets its own CSP).
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'",
    b"cache-control": b"no-store",
}


async def _send_error(send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                      close: bool = True) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    if close:  # a body the client may still be sending is not read: the connection ends with the answer
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _has_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"", b"0")):
            return True
    return False


def _needs(dependant: Dependant | None, seen: set[int] | None = None) -> str | None:
    """'admin' or 'key' when a route's dependencies include require_admin / require_key."""
    seen = seen if seen is not None else set()
    need = None
    for dep in getattr(dependant, "dependencies", ()):
        if id(dep) in seen:
            continue
        seen.add(id(dep))
        if dep.call is require_admin:
            return "admin"
        if dep.call is require_key:
            need = "key"
        need = _needs(dep, seen) or need
        if need == "admin":
            return need
    return need


def _flat(routes: Iterable[BaseRoute]) -> list[BaseRoute]:
    """The app's routes in matching order, an included router's own routes in its place (recent
    FastAPI keeps an included router as one entry; ours is included without a prefix). A route the
    gate does not see still checks its key in `require_key`, only after the body."""
    out: list[BaseRoute] = []
    for r in routes:
        inner = getattr(r, "original_router", None)
        out.extend(_flat(inner.routes) if inner is not None else [r])
    return out


class KeyGate:
    """For a request that a protected route will take, the key check (401, 429) and, for an admin
    route, the role check (403) from the headers alone, before the body limit or the route reads
    the body: a keyless upload is refused at once, whatever it is sending. The key found is left in
    the request's state for `require_key` (which checks it itself for a route the gate did not see)."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self._routes: list[tuple[BaseRoute, str | None]] | None = None
        self._count = -1

    def _table(self, app: Starlette) -> list[tuple[BaseRoute, str | None]]:
        routes = app.router.routes
        if self._routes is None or len(routes) != self._count:  # routes added after the app was made
            self._routes = [(r, _needs(getattr(r, "dependant", None))) for r in _flat(routes)]
            self._count = len(routes)
        return self._routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "app" not in scope:
            return await self.app(scope, receive, send)
        state = scope.setdefault("state", {})
        state.pop("api_key", None)
        need = None
        for route, route_need in self._table(scope["app"]):
            match, _ = route.matches(scope)
            if match is Match.FULL:
                need = route_need
                break
        if need is not None:
            token = None
            for name, value in scope.get("headers", []):
                if name == b"x-api-key":
                    token = value.decode("latin-1")
                    break
            try:
                key = authenticate(scope["app"].state, token)
                if need == "admin":
                    check_admin(key)
            except ApiError as exc:
                return await _send_error(send, exc.status, exc.code, exc.message, exc.headers, close=_has_body(scope))
            state["api_key"], state["key_name"] = key, key.name
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuse request bodies over `max_bytes` (by Content-Length, or while reading a chunked one);
    an upload route (`upload_paths`) may take up to `upload_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int = 0, upload_paths: tuple[str, ...] = ()):
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            return await self.app(scope, receive, send)
        limit = self.upload_bytes if scope.get("path") in self.upload_paths and self.upload_bytes else self.max_bytes
        message = ApiError(413).message[:-1] + f" (tối đa {limit} byte)."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = True
                if too_big:
                    return await _send_error(send, 413, "payload_too_large", message)
        if scope.get("method") not in {"POST", "PUT", "PATCH", "DELETE"}:
            return await self.app(scope, receive, send)
        # read the whole (bounded) body first, then replay it to the app
        chunks, size, more = [], 0, True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await _send_error(send, 413, "payload_too_large", message)
            chunks.append(chunk)
            more = msg.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeadersAndAccessLog:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 0

        async def send_wrapped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapped)
        except Exception as exc:  # noqa: BLE001 - the JSON 500 and one line; uvicorn would log a traceback
            log_unexpected(scope.get("method"), scope.get("path"), exc)
            if not status:
                err = ApiError(500)
                try:
                    await _send_error(send_wrapped, 500, err.code, err.message)
                except Exception:  # noqa: BLE001 - the client is gone
                    pass
        finally:
            key = (scope.get("state") or {}).get("key_name", "-")
            # status "-": no answer was sent (the client went away first)
            log.info("%s %s %s %.1fms %s", log_safe(scope.get("method")), log_safe(scope.get("path")), status or "-",
                     (time.perf_counter() - t0) * 1000, log_safe(key))
