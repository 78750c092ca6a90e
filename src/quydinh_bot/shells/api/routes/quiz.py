"""`POST /quiz`: a seeded multiple-choice quiz over the loaded clauses, as JSON items or a trainer's file."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from quydinh_bot import TASK_MEDIA_TYPES

from ..auth import ApiKey, require_key
from ..deps import MAX_FILTER_CHARS, service
from ..errors import ApiError
from ..models import AUTH_ERRORS, INPUT_ERROR, NOT_READY, QuizQuestion, error
from ..service import Service

router = APIRouter()
SEED_HEADER = {"X-Quiz-Seed": {"description": "Hạt đã dùng: gửi lại trong `seed` để tạo lại đúng bộ câu hỏi này",
                               "schema": {"type": "integer"}}}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "gift": "text/plain; charset=utf-8",
               "md": "text/markdown; charset=utf-8", "xlsx": TASK_MEDIA_TYPES["xlsx"],
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class QuizRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"doc": "kh-376-2025", "n": 10, "seed": 7}})

    doc: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS, description="Mã văn bản; bỏ trống: cả kho")
    section: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS, description="Số mục, ví dụ VI hoặc III.2")
    topic: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS, description="Chỉ hỏi điều khoản có các từ này")
    n: StrictInt = Field(10, ge=1, le=200, description="Số câu hỏi")
    types: list[Literal["lead", "deadline", "figure", "document", "blank", "truefalse"]] | None = None
    difficulty: list[Literal["easy", "medium", "hard"]] | None = None
    seed: StrictInt | None = Field(None, ge=0, le=2**31 - 1,
                                   description="Cùng hạt, cùng bộ câu hỏi; bỏ trống: một hạt ngẫu nhiên, "
                                               "trả về trong header X-Quiz-Seed")
    format: Literal["json", "csv", "gift", "xlsx", "docx", "md"] = "json"


@router.post("/quiz", tags=["trắc nghiệm"], summary="Bộ câu hỏi trắc nghiệm có trích dẫn (JSON, CSV, GIFT, XLSX, DOCX)",
             response_model=list[QuizQuestion],
             responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}, "headers": SEED_HEADER},
                        **AUTH_ERRORS,
                        400: error("Phạm vi không có hoặc không đủ câu hỏi"), **INPUT_ERROR, **NOT_READY})
def quiz(body: QuizRequest, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> Response:
    import secrets

    from quydinh_bot import QuizShortage, export_quiz  # the quiz modules load with the first quiz

    assistant = svc.ready()
    # the contract fixes the body (a JSON array of items), so the seed drawn travels in a header
    seed = body.seed if body.seed is not None else secrets.randbelow(2**31)
    types: list[str] | None = list(body.types) if body.types is not None else None
    difficulty: list[str] | None = list(body.difficulty) if body.difficulty is not None else None
    try:
        with svc.ask_lock:  # the first request of a seed builds its candidate pool: one at a time
            items = assistant.quiz(doc_id=body.doc, section=body.section, topic=body.topic, n=body.n,
                                   types=types, difficulty=difficulty, seed=seed)
    except QuizShortage as exc:
        raise ApiError(400, "quiz_shortage", str(exc)) from exc
    except ValueError as exc:
        raise ApiError(400, "bad_quiz", str(exc)) from exc
    headers = {"X-Quiz-Seed": str(seed)}
    if body.format == "json":
        return JSONResponse([it.to_dict() for it in items], headers=headers)
    name = f"trac-nghiem-{body.doc or 'ca-kho'}-{seed}.{'txt' if body.format == 'gift' else body.format}"
    return Response(export_quiz(items, body.format), media_type=MEDIA_TYPES[body.format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"', **headers})
