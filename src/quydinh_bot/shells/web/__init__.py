"""The web page: one static HTML page with plain JS/CSS, served by the API app.

Nothing is built and nothing is loaded from outside the machine: the page, its script and its
stylesheet live in `static/` inside the package. The page talks to the same app's JSON API with
the key the user signs in with (kept in the browser session only). `mount()` adds the page
routes with strict security headers; they need no key because they hold no document text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, JSONResponse, Response

from quydinh_bot.config import get_settings

STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


def _static_file(name: str) -> Path:
    """The file `name` under static/, refusing anything that would leave the folder, and any name
    with a NUL or another control character (a 404, never an error of the file system)."""
    if not name or not name.isprintable() or len(name) > 200:
        raise HTTPException(status_code=404, detail="Không tìm thấy tệp.")
    try:
        path = (STATIC_DIR / name).resolve()
        found = STATIC_DIR in path.parents and path.is_file() and path.suffix in _MEDIA_TYPES
    except (OSError, ValueError):
        found = False
    if not found:
        raise HTTPException(status_code=404, detail="Không tìm thấy tệp.")
    return path


def _file_response(path: Path, cache: str) -> Response:
    headers = dict(SECURITY_HEADERS, **{"Cache-Control": cache})
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers=headers)


def mount(app: FastAPI, settings: Any = None) -> None:
    """Serve the page at `/`, its files at `/static/*` and its settings at `/web/config`
    (no key needed: none of them holds document text)."""
    settings = settings or get_settings()

    @app.get("/", include_in_schema=False)
    def index_page() -> Response:
        return _file_response(_static_file("index.html"), "no-store")

    @app.get("/static/{name:path}", include_in_schema=False)
    def static_file(name: str) -> Response:
        # no-cache: the browser revalidates, so a new version of the page never pairs with an old script.
        return _file_response(_static_file(name), "no-cache")

    @app.get("/web/config", include_in_schema=False)
    def page_config() -> Response:
        # The service's "today" (QUYDINH_TODAY or its clock), so the page marks overdue and
        # upcoming tasks exactly as the API's status filter does, whatever the browser's clock says.
        body = {"today": settings.today().isoformat(), "upcoming_days": 30}
        return JSONResponse(body, headers=dict(SECURITY_HEADERS, **{"Cache-Control": "no-store"}))
