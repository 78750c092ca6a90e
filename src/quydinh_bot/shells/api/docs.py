"""OpenAPI's interactive page at /docs, served from the machine itself (Swagger UI files of the
swagger-ui-bundle package): the service works offline and its pages load nothing from outside."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
_FILES = {"swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
          "favicon-32x32.png": "image/png"}
_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title} — API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"><link rel="icon" href="/docs/static/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>"""
_INIT = """window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  persistAuthorization: false, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});"""


def _swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def mount(app: FastAPI) -> None:
    headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}

    @app.get("/docs", include_in_schema=False)
    def docs_page() -> Response:
        if _swagger_dir() is None:
            raise HTTPException(404, "Trang tài liệu API cần gói swagger-ui-bundle; mô tả máy đọc ở /openapi.json.")
        return HTMLResponse(_PAGE.format(title=app.title), headers=headers)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(_INIT, media_type="text/javascript; charset=utf-8", headers=headers)

    @app.get("/docs/static/{name}", include_in_schema=False)
    def docs_static(name: str) -> Response:
        folder = _swagger_dir()
        if folder is None or name not in _FILES:
            raise HTTPException(404, "Không tìm thấy tệp.")
        return FileResponse(folder / name, media_type=_FILES[name], headers=headers)
