"""`GET /tasks` and `GET /tasks/export`: the task register filtered, as a JSON page or a whole file;
`POST /tasks/{clause_id}/status` (admin key): an operator marks a task done / ongoing."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from quydinh_bot import TASK_MEDIA_TYPES, MarkError, TaskFilter, export_tasks

from ..auth import ApiKey, require_admin, require_key
from ..deps import MAX_FILTER_CHARS, service, task_filter
from ..errors import ApiError
from ..models import (
    ADMIN_ERRORS,
    AUTH_ERRORS,
    INPUT_ERROR,
    NOT_READY,
    TOTAL_COUNT,
    MarkChange,
    MarkResult,
    Responses,
    TaskHit,
    error,
)
from ..service import Service

router = APIRouter()
BAD_FILTER: Responses = {400: error("Bộ lọc không hợp lệ")}
Sort = Literal["nearest", "due", "document"]
SORT_HELP = "nearest: sắp đến hạn trước, rồi quá hạn gần nhất, rồi chưa có hạn, rồi đã xong; due: hạn sớm nhất trước"


def _task_ids(svc: Service, f: TaskFilter, sort: str) -> list[str]:
    try:
        return [c.clause_id for c in svc.ready().task_clauses(f, sort=sort)]
    except ValueError as exc:  # unknown document id and the like
        raise ApiError(400, "bad_filter", str(exc)) from exc


def _rows(svc: Service, ids: list[str]) -> list[dict | None]:
    """Only the rows sent are turned into the task shape (a page of the register). None only for a
    clause an index swapped in meanwhile no longer has (sent as null, as ever)."""
    return svc.ready().task_rows(ids)


@router.get("/tasks", tags=["sổ nhiệm vụ"], summary="Sổ nhiệm vụ đã lọc (tổng số trong header X-Total-Count)",
            response_model=list[TaskHit],
            responses={200: {"headers": TOTAL_COUNT}, **AUTH_ERRORS, **BAD_FILTER, **INPUT_ERROR, **NOT_READY})
def tasks(f: TaskFilter = Depends(task_filter), sort: Sort = Query("nearest", description=SORT_HELP),
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000),
          key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    ids = _task_ids(svc, f, sort)
    return JSONResponse(_rows(svc, ids[offset:offset + limit]), headers={"X-Total-Count": str(len(ids))})


@router.get("/tasks/export", tags=["sổ nhiệm vụ"],
            summary="Tải sổ nhiệm vụ đã lọc: CSV (UTF-8), XLSX hoặc DOCX (khổ A4)",
            response_class=Response,
            responses={**AUTH_ERRORS, 200: {"headers": TOTAL_COUNT, "content": {
                TASK_MEDIA_TYPES[f]: {} for f in TASK_MEDIA_TYPES}}, **BAD_FILTER, **INPUT_ERROR, **NOT_READY})
def tasks_export(format: Literal["csv", "xlsx", "docx"] = Query("xlsx"), f: TaskFilter = Depends(task_filter),
                 sort: Sort = Query("nearest", description=SORT_HELP),
                 key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> Response:
    rows = _rows(svc, _task_ids(svc, f, sort))
    today = svc.settings.today()
    data = export_tasks([row for row in rows if row is not None], format, today=today)
    name = f"so-nhiem-vu-{today.isoformat()}.{format}"
    return Response(data, media_type=TASK_MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Total-Count": str(len(rows))})


class MarkRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"status": "done", "note": "Công văn số 12 đã báo cáo"}})

    status: Literal["done", "ongoing", "clear"] = Field(
        description="done: đã xong; ongoing: đang thực hiện; clear: bỏ đánh dấu (theo thời hạn của văn bản)")
    note: StrictStr = Field("", max_length=500, description="Ghi chú")
    by: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS,
                                 description="Người đánh dấu, ghi kèm tên khóa (mặc định: tên khóa)")


@router.post("/tasks/{clause_id:path}/status", tags=["sổ nhiệm vụ"],
             summary="Đánh dấu nhiệm vụ đã xong / đang thực hiện (khóa quản trị; ghi ai, khi nào, trước → sau)",
             response_model=MarkResult,
             responses={**ADMIN_ERRORS, 404: error("Không có nhiệm vụ mã này"), **INPUT_ERROR, **NOT_READY})
def mark_task(clause_id: str, body: MarkRequest, key: ApiKey = Depends(require_admin),
              svc: Service = Depends(service)) -> JSONResponse:
    assistant = svc.ready()
    if assistant.task(clause_id) is None:
        raise ApiError(404, "task_not_found", f"Không có nhiệm vụ mã '{clause_id[:120]}'.")
    by = key.name if not body.by else f"{body.by.strip()} ({key.name})"
    try:
        result = assistant.mark_task(clause_id, body.status, by, body.note)
    except MarkError as exc:
        raise ApiError(400, "bad_mark", str(exc)) from exc
    svc.forget_answers()
    svc.audit.event("api", key.name, "task_mark", result["change"])
    return JSONResponse(result)


@router.get("/tasks/{clause_id:path}/history", tags=["sổ nhiệm vụ"],
            summary="Lịch sử đánh dấu của một nhiệm vụ (ai, khi nào, trước → sau)", response_model=list[MarkChange],
            responses={**AUTH_ERRORS, 404: error("Không có nhiệm vụ mã này"), **INPUT_ERROR, **NOT_READY})
def task_history(clause_id: str, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    assistant = svc.ready()
    if assistant.task(clause_id) is None:
        raise ApiError(404, "task_not_found", f"Không có nhiệm vụ mã '{clause_id[:120]}'.")
    return JSONResponse(assistant.task_history(clause_id))
