"""The HTTP/1.1 parser the service runs on, with a bound on a request's head (request line and
headers). uvicorn's httptools parser (llhttp) has none: a 64 MB header was buffered, joined piece
by piece, and froze the event loop for seconds. `BoundedHttpToolsProtocol` counts the head's bytes
before they reach the parser and answers 431 (the project's JSON error) once a head passes the
bound, then closes the connection; the body is untouched (the body limit is the middleware's).
Without httptools the service falls back to h11 with the same bound (`h11_max_incomplete_event_size`).

`uvicorn_options(settings)` is what `quydinh-bot serve` passes to `uvicorn.run`."""
from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger("quydinh_bot.api")

HEAD_TOO_LARGE = "Phần đầu (dòng yêu cầu và các header) của yêu cầu quá lớn (tối đa {limit} byte)."


def _head_too_large_response(limit: int) -> bytes:
    body = json.dumps({"error": {"code": "headers_too_large", "message": HEAD_TOO_LARGE.format(limit=limit)}},
                      ensure_ascii=False).encode("utf-8")
    return (b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"x-content-type-options: nosniff\r\n"
            b"cache-control: no-store\r\n"
            b"connection: close\r\n\r\n" + body)


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools not installed: h11 is used
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


if HttpToolsProtocol is not None:

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, refusing a head over `max_head_bytes` before parsing it.

        Bytes are counted from the start of a request until its headers are complete; a chunk that
        would pass the bound is fed only up to it, so a head just under the bound followed by its
        body in the same read is never refused. Costs one comparison per read."""

        max_head_bytes = 16 * 1024

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head_open = True  # between requests, the next bytes are a head
            self._head_bytes = 0

        def data_received(self, data: bytes) -> None:
            if not self._head_open:
                return super().data_received(data)
            room = self.max_head_bytes - self._head_bytes
            if len(data) <= room:
                self._head_bytes += len(data)
                return super().data_received(data)
            if room > 0:  # feed up to the bound: the head may end inside it
                self._head_bytes += room
                super().data_received(data[:room])
                if self.transport is None or self.transport.is_closing():
                    return None
                return self.data_received(data[room:])  # the body, the next request, or over the bound
            self._refuse_head()
            return None

        def _refuse_head(self) -> None:
            log.warning("yêu cầu bị từ chối (431): phần đầu quá %d byte", self.max_head_bytes)
            self._head_open = False
            self.transport.write(_head_too_large_response(self.max_head_bytes))
            self.transport.close()

        def on_headers_complete(self) -> None:
            self._head_open = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._head_open, self._head_bytes = True, 0

    def bounded_protocol(max_head_bytes: int) -> type:
        """The protocol class with its bound (a class per bound: uvicorn instantiates it per connection)."""
        return type("BoundedHttpToolsProtocol", (BoundedHttpToolsProtocol,), {"max_head_bytes": max_head_bytes})

else:  # pragma: no cover
    BoundedHttpToolsProtocol = None  # type: ignore[assignment,misc]

    def bounded_protocol(max_head_bytes: int) -> type:
        raise RuntimeError("httptools is not installed")


def uvicorn_options(settings: Any) -> dict[str, Any]:
    """The HTTP parser (httptools with the head bound, or h11 with the same bound) for `uvicorn.run`."""
    limit = max(1024, int(settings.max_header_bytes))
    if BoundedHttpToolsProtocol is not None:
        return {"http": bounded_protocol(limit), "h11_max_incomplete_event_size": limit}
    return {"http": "h11", "h11_max_incomplete_event_size": limit}
