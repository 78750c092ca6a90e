"""`GET /clauses/{clause_id}`: a clause in context, so that a citation opens where it stands on paper."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from ..auth import ApiKey, require_key
from ..deps import service
from ..errors import ApiError
from ..models import AUTH_ERRORS, INPUT_ERROR, NOT_READY, ClauseContext, error
from ..service import Service

router = APIRouter()
MAX_ID_CHARS = 300  # longer is no clause id: not looked up


@router.get("/clauses/{clause_id:path}", tags=["văn bản"],
            summary="Một điều khoản trong ngữ cảnh: đường dẫn đề mục, mục cha, mục con, mục ngang hàng",
            response_model=ClauseContext,
            responses={**AUTH_ERRORS, 404: error("Không có điều khoản mã này"), **INPUT_ERROR, **NOT_READY})
def clause(clause_id: str, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    ctx = svc.ready().clause_context(clause_id) if len(clause_id) <= MAX_ID_CHARS else None
    if ctx is None:
        shown = clause_id if len(clause_id) <= 80 else clause_id[:80] + "…"
        raise ApiError(404, "clause_not_found", f"Không có điều khoản mã '{shown}'.")
    return JSONResponse(ctx)
