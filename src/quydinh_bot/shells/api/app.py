"""The FastAPI app: one process, one `Assistant` (loaded once at start), the JSON routes, the
web page, the offline API docs, and around them the key check, rate limit, body limit, closed
CORS and security headers. `create_app` is the factory `quydinh-bot serve` and the tests use."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from quydinh_bot import Assistant, __version__
from quydinh_bot.config import Settings, get_settings
from quydinh_bot.shells.ratelimit import RateLimiter

from . import docs, errors
from .auth import KeyStore
from .middleware import BodyLimit, KeyGate, SecurityHeadersAndAccessLog
from .routes import router
from .service import Service

DESCRIPTION = """Hỏi đáp trên văn bản quy định của Đảng và của tỉnh: điều khoản, cơ quan chủ trì, cơ quan phối hợp,
thời hạn và nguồn trích dẫn; sổ nhiệm vụ có lọc.

Mọi địa chỉ (trừ `/healthz`, `/readyz` và trang web) cần khóa API trong header `X-API-Key`
(tạo bằng `quydinh-bot keys add TÊN`). Lỗi luôn có dạng `{"error": {"code", "message"}}`.

*Tài liệu thuộc sở hữu của các cơ quan Đảng. Việc phát tán, sử dụng trái phép bị nghiêm cấm.*"""


def create_app(assistant: Assistant | None = None, settings: Settings | None = None) -> FastAPI:
    """The service. With `assistant` given (tests) it is ready at once; otherwise the index and
    model load in the background at start-up and `/readyz` answers 503 until they are in."""
    settings = settings or (assistant.settings if assistant is not None else get_settings())
    svc = Service(settings, assistant)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        svc.prepare_uploads()
        svc.start_loading()
        yield
        svc.ask_pool.shutdown(wait=False, cancel_futures=True)  # questions still queued are dropped at stop

    app = FastAPI(title="quydinh-bot", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.service = svc
    app.state.keys = KeyStore(settings.keys_file)
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute)

    errors.install(app)
    app.include_router(router)
    docs.mount(app)
    from quydinh_bot.shells.web import mount as mount_web

    mount_web(app, settings)

    # outermost last: headers and access log see everything (and turn an unexpected error into the JSON
    # 500 without a traceback), the key gate and then the body limit run before any route
    # a document upload may be as large as a document (plus the form's own bytes)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes,
                       upload_bytes=settings.max_document_bytes + 1024 * 1024, upload_paths=("/documents",))
    # outside the body limit: a protected route's key (and admin role) is checked before any body is read
    app.add_middleware(KeyGate)
    if settings.cors_origins:  # closed unless an operator names the origins
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["X-API-Key", "Content-Type"],
                           expose_headers=["X-Total-Count", "X-Quiz-Seed", "Retry-After", "Content-Disposition"])
    app.add_middleware(SecurityHeadersAndAccessLog)
    return app
