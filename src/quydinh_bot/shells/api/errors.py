"""The API's one error shape, `{"error": {"code", "message"}}`, with a Vietnamese message for
every 4xx/5xx the service can answer (its own, FastAPI's validation, Starlette's 404/405, and
anything unexpected as a 500 without a traceback)."""
from __future__ import annotations

import logging
import traceback
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("quydinh_bot.api")

# status -> (code, default Vietnamese message)
DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Cần khóa API hợp lệ trong header X-API-Key."),
    403: ("forbidden", "Khóa API này không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ được yêu cầu."),
    405: ("method_not_allowed", "Địa chỉ này không hỗ trợ phương thức HTTP đã dùng."),
    406: ("not_acceptable", "Không thể trả về định dạng được yêu cầu."),
    408: ("timeout", "Yêu cầu quá thời gian chờ."),
    413: ("payload_too_large", "Nội dung yêu cầu quá lớn."),
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ; hãy gửi JSON (application/json)."),
    422: ("invalid_input", "Dữ liệu gửi lên không hợp lệ."),
    429: ("rate_limited", "Quá nhiều yêu cầu; hãy thử lại sau ít phút."),
    500: ("internal_error", "Lỗi nội bộ của dịch vụ; hãy thử lại hoặc báo quản trị viên."),
    503: ("not_ready", "Dịch vụ chưa sẵn sàng; hãy thử lại sau ít giây."),
}


def log_safe(value: object, limit: int = 300) -> str:
    """`value` as one inert token for a log line: every control, format, separator or other
    non-printable character (CR, LF, NUL, ESC of ANSI sequences, bidi overrides…), every whitespace
    and the backslash are written as escapes (\\n, \\x1b, \\u202e, \\x20), so a request cannot
    start a new line, colour a terminal or pass for another field. Long values are cut."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and " " not in text and "\\" not in text and len(text) <= limit:
        return text or "-"  # the usual path: nothing to escape
    out = []
    for ch in text[:limit]:
        if ch == "\\":
            out.append("\\\\")
        elif ch.isprintable() and not ch.isspace():
            out.append(ch)
        else:
            code = ord(ch)
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or
                       (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"))
    if len(text) > limit:
        out.append("…")
    return "".join(out) or "-"


def log_unexpected(method: object, path: object, exc: BaseException) -> None:
    """One line for an unexpected error: class and place only (an exception's message may quote the
    question, which logs never carry), never a traceback."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    log.error("lỗi không lường trước ở %s %s: %s (%s)", log_safe(method), log_safe(path),
              exc.__class__.__name__, place)


class ApiError(Exception):
    """An error the API answers on purpose: HTTP status, stable code, Vietnamese message."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None,
                 headers: dict[str, str] | None = None):
        default_code, default_message = DEFAULTS.get(status, ("error", "Có lỗi xảy ra."))
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.headers = headers or {}
        super().__init__(self.message)


def error_response(status: int, code: str | None = None, message: str | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    e = ApiError(status, code, message)
    body: dict[str, Any] = {"code": e.code, "message": e.message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _field(loc: tuple | list) -> str:
    """'q' for ('body', 'q'), 'limit' for ('query', 'limit'); '' for the body as a whole."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def validation_message(err: dict) -> tuple[str, str]:
    """(code, Vietnamese message) for the first pydantic/FastAPI validation error."""
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    name = _field(err.get("loc") or ())
    where = f"'{name}'" if name else "nội dung"
    if typ == "json_invalid":
        return "invalid_json", "Nội dung không phải JSON hợp lệ."
    if typ == "missing":
        return "invalid_input", (f"Thiếu trường {where}." if name else "Thiếu nội dung yêu cầu (JSON).")
    if typ in {"model_attributes_type", "dict_type", "model_type"}:
        return "invalid_input", "Nội dung yêu cầu phải là một đối tượng JSON, ví dụ {\"q\": \"...\", \"k\": 5}."
    if typ in {"string_type", "string_unicode"}:
        return "invalid_input", f"Trường {where} phải là chuỗi ký tự."
    if typ in {"int_type", "int_parsing", "int_from_float"}:
        return "invalid_input", f"Trường {where} phải là số nguyên."
    if typ in {"greater_than_equal", "greater_than"}:
        return "out_of_range", f"Trường {where} phải ≥ {ctx.get('ge', ctx.get('gt'))}."
    if typ in {"less_than_equal", "less_than"}:
        return "out_of_range", f"Trường {where} phải ≤ {ctx.get('le', ctx.get('lt'))}."
    if typ == "string_too_long":
        return "too_long", f"Trường {where} quá dài (tối đa {ctx.get('max_length')} ký tự)."
    if typ in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return "invalid_input", f"Giá trị không hợp lệ cho {where} (dùng: {expected})."
    if typ == "extra_forbidden":
        return "invalid_input", f"Trường {where} không được hỗ trợ."
    return "invalid_input", f"Giá trị không hợp lệ ở {where}."


def install(app: FastAPI) -> None:
    """Route every error through the one shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        code, message = validation_message(errors[0]) if errors else ("invalid_input", DEFAULTS[422][1])
        name = _field(errors[0].get("loc") or ()) if errors and code != "invalid_json" else ""
        return error_response(422, code, message, field=name or None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        try:
            english = HTTPStatus(exc.status_code).phrase
        except ValueError:
            english = ""
        # FastAPI's own English details ("Not Found", "There was an error parsing the body") are replaced
        message = detail if detail and detail != english and detail.isascii() is False else None
        if exc.status_code == 400 and not message:
            message = "Không đọc được nội dung yêu cầu (JSON hỏng hoặc không phải UTF-8)."
        return error_response(exc.status_code, None, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_unexpected(request.method, request.url.path, exc)
        return error_response(500)
