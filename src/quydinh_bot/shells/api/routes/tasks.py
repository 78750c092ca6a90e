"""`GET /tasks` and `GET /tasks/export`: the task register filtered, as a JSON page or a whole file."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from quydinh_bot import TASK_MEDIA_TYPES, TaskFilter, export_tasks

from ..auth import ApiKey, require_key
from ..deps import service, task_filter
from ..errors import ApiError
from ..models import AUTH_ERRORS, INPUT_ERROR, NOT_READY, TOTAL_COUNT, Hit, Responses, error
from ..service import Service

router = APIRouter()
BAD_FILTER: Responses = {400: error("Bộ lọc không hợp lệ")}


def _task_ids(svc: Service, f: TaskFilter, sort: str) -> list[str]:
    try:
        return [c.clause_id for c in svc.ready().task_clauses(f, sort=sort)]
    except ValueError as exc:  # unknown document id and the like
        raise ApiError(400, "bad_filter", str(exc)) from exc


def _rows(svc: Service, ids: list[str]) -> list[dict | None]:
    """Only the rows sent are turned into the contract's shape (a page of the register). None only
    for a clause an index swapped in meanwhile no longer has (sent as null, as ever)."""
    assistant = svc.ready()
    return [assistant.clause(i) for i in ids]


@router.get("/tasks", tags=["sổ nhiệm vụ"], summary="Sổ nhiệm vụ đã lọc (tổng số trong header X-Total-Count)",
            response_model=list[Hit],
            responses={200: {"headers": TOTAL_COUNT}, **AUTH_ERRORS, **BAD_FILTER, **INPUT_ERROR, **NOT_READY})
def tasks(f: TaskFilter = Depends(task_filter), sort: Literal["due", "document"] = Query("due"),
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000),
          key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    ids = _task_ids(svc, f, sort)
    return JSONResponse(_rows(svc, ids[offset:offset + limit]), headers={"X-Total-Count": str(len(ids))})


@router.get("/tasks/export", tags=["sổ nhiệm vụ"], summary="Tải sổ nhiệm vụ đã lọc: CSV (UTF-8) hoặc XLSX",
            response_class=Response,
            responses={**AUTH_ERRORS, 200: {"headers": TOTAL_COUNT, "content": {
                TASK_MEDIA_TYPES["csv"]: {}, TASK_MEDIA_TYPES["xlsx"]: {}}}, **BAD_FILTER, **INPUT_ERROR, **NOT_READY})
def tasks_export(format: Literal["csv", "xlsx"] = Query("xlsx"), f: TaskFilter = Depends(task_filter),
                 sort: Literal["due", "document"] = Query("due"),
                 key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> Response:
    rows = _rows(svc, _task_ids(svc, f, sort))
    data = export_tasks([row for row in rows if row is not None], format)
    name = f"so-nhiem-vu-{svc.settings.today().isoformat()}.{format}"
    return Response(data, media_type=TASK_MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Total-Count": str(len(rows))})
