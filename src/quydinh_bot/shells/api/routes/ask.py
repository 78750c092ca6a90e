"""`POST /ask`: one question, answered by the service (its pool, its cache) in the contract's shape."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from ..auth import ApiKey, require_key
from ..deps import service
from ..errors import ApiError
from ..models import AUTH_ERRORS, INPUT_ERROR, NOT_READY, Answer, error
from ..service import Service

router = APIRouter()


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"q": "Ai chủ trì số hóa tài liệu, hạn khi nào?", "k": 5}})

    q: StrictStr = Field(description="Câu hỏi tiếng Việt (có hoặc không dấu)")
    k: StrictInt = Field(5, ge=1, le=50, description="Số điều khoản trả về")


@router.post("/ask", tags=["hỏi đáp"], summary="Hỏi đáp: điều khoản, chủ trì, phối hợp, thời hạn, nguồn",
             response_model=Answer,
             responses={**AUTH_ERRORS, 400: error("Câu hỏi rỗng hoặc quá dài"), **INPUT_ERROR, **NOT_READY})
async def ask(body: AskRequest, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    try:
        return JSONResponse(await svc.ask(body.q, body.k, caller=key.name))
    except ValueError as exc:
        raise ApiError(400, "bad_question", str(exc)) from exc
