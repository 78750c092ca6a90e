"""OpenAPI's interactive page at /docs, served from the machine itself (Swagger UI files of the
swagger-ui-bundle package): the service works offline and its pages load nothing from outside.

The Swagger UI that package bundles (4.x) renders OpenAPI 3.0 only: given FastAPI's 3.1 description it
shows "Unable to render this definition". The page therefore reads `/docs/openapi.json`, the same
description written down to 3.0.3 (`openapi_30`); `/openapi.json` stays 3.1 for programs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
_FILES = {"swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
          "favicon-32x32.png": "image/png"}
_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{title} — API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"><link rel="icon" href="/docs/static/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>"""
_INIT = """window.ui = SwaggerUIBundle({url: "/docs/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  persistAuthorization: false, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});"""


def _nullable(schema: dict) -> dict:
    """`anyOf: [X, {type: null}]` (3.1) as X with `nullable: true` (3.0); a `$ref` goes under allOf,
    since 3.0 ignores the siblings of a `$ref`."""
    options = [o for o in schema["anyOf"] if o != {"type": "null"}]
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    if len(options) == len(schema["anyOf"]):
        return schema
    if len(options) != 1:
        return {**rest, "anyOf": options, "nullable": True}
    (only,) = options
    if "$ref" in only:
        return {**rest, "allOf": [only], "nullable": True}
    return {**only, **rest, "nullable": True}


def openapi_30(node: Any, in_schema: bool = False) -> Any:
    """A copy of an OpenAPI 3.1 description that OpenAPI 3.0.3 readers accept: null types as
    `nullable`, `const` as a one-value `enum`, a schema's `examples` list as `example`, a binary
    upload (`contentMediaType`) as `format: binary`, a `$ref` with siblings under `allOf`."""
    if isinstance(node, list):
        return [openapi_30(x, in_schema) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict = {}
    for key, value in node.items():
        child_in_schema = in_schema or key in ("schema", "schemas")
        if key == "openapi" and not in_schema:
            out[key] = "3.0.3"
        elif key == "properties" and in_schema:  # property names are not keywords
            out[key] = {name: openapi_30(v, True) for name, v in value.items()}
        else:
            out[key] = openapi_30(value, child_in_schema)
    if not in_schema:
        return out
    if isinstance(out.get("anyOf"), list):
        out = _nullable(out)
    if isinstance(out.get("type"), list):
        types = [t for t in out["type"] if t != "null"]
        out = {**out, "type": types[0] if types else "string", **({"nullable": True} if "null" in out["type"] else {})}
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if isinstance(out.get("examples"), list):
        examples = out.pop("examples")
        if examples:
            out.setdefault("example", examples[0])
    if "contentMediaType" in out:
        out.pop("contentMediaType")
        out["format"] = "binary"
    if "$ref" in out and len(out) > 1:  # 3.0 ignores a $ref's siblings (description, default…)
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return out


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

    @app.get("/docs/openapi.json", include_in_schema=False)
    def docs_openapi() -> Response:
        return JSONResponse(openapi_30(app.openapi()), headers=headers)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_init() -> Response:
        return Response(_INIT, media_type="text/javascript; charset=utf-8", headers=headers)

    @app.get("/docs/static/{name}", include_in_schema=False)
    def docs_static(name: str) -> Response:
        folder = _swagger_dir()
        if folder is None or name not in _FILES:
            raise HTTPException(404, "Không tìm thấy tệp.")
        return FileResponse(folder / name, media_type=_FILES[name], headers=headers)
