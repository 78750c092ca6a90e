"""The dependencies several routes share: the service the app holds and the register filter read
from the query string. The key and admin checks are `auth.require_key` / `auth.require_admin`
(the key gate recognises routes by them, so they live with the key store)."""
from __future__ import annotations

from typing import Literal

from fastapi import Query, Request

from quydinh_bot import TaskFilter

from .errors import ApiError
from .service import Service

MAX_FILTER_CHARS = 200  # a body name, document id or search words; anything longer is not one


async def service(request: Request) -> Service:
    """Async so that FastAPI does not hand it to a worker thread (a thread hop per request)."""
    svc: Service = request.app.state.service
    return svc


def task_filter(
    lead: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                             description="Cơ quan chủ trì (không phân biệt dấu, viết tắt được)"),
    partner: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Cơ quan phối hợp"),
    doc: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Mã văn bản (xem /documents)"),
    province: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                                 description="Tỉnh của văn bản (không phân biệt dấu), ví dụ Lai Châu"),
    due_before: str | None = Query(None, max_length=20, description="Hạn không muộn hơn (2025-08-31 hoặc 31/8/2025)"),
    due_after: str | None = Query(None, max_length=20, description="Hạn không sớm hơn"),
    kind: Literal["date", "month", "quarter", "year", "recurring", "conditional", "done", "none"] | None = Query(
        None, description="Loại thời hạn"),
    status: Literal["overdue", "upcoming", "undated", "recurring", "done", "ongoing"] | None = Query(
        None, description="Quá hạn / sắp đến hạn (trong `days` ngày) / chưa có hạn / thường xuyên / đã xong / "
                          "đang thực hiện (người vận hành đánh dấu), tính theo hôm nay"),
    days: int = Query(30, ge=0, le=3660, description="Cửa sổ của status=upcoming"),
    q: str | None = Query(None, max_length=MAX_FILTER_CHARS,
                          description="Từ khóa trong nội dung (không phân biệt dấu)"),
) -> TaskFilter:
    """The register filter of `/tasks` and `/tasks/export`; a date or value the register refuses is a 400."""
    try:
        return TaskFilter(lead=lead or None, partner=partner or None, doc_id=doc or None, due_before=due_before or None,
                          due_after=due_after or None, kind=kind, status=status, within_days=days, q=q or None,
                          province=province or None)
    except ValueError as exc:
        raise ApiError(400, "bad_filter", str(exc)) from exc
