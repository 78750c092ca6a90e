"""The HTTP routes: thin calls into `Assistant` (answer.py) and the register filter
(register.py). Shapes are those of API_CONTRACT.md; every route but the health checks needs a key."""
from __future__ import annotations

import unicodedata
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from quydinh_bot import TASK_MEDIA_TYPES, TaskFilter, export_tasks

from .auth import ApiKey, require_admin, require_key
from .errors import ApiError
from .service import Service

router = APIRouter()
MAX_FILTER_CHARS = 200
ERROR_SCHEMA = {"content": {"application/json": {"example": {"error": {"code": "…", "message": "…"}}}}}
AUTH_ERRORS = {401: {"description": "Thiếu khóa, khóa sai hoặc đã thu hồi", **ERROR_SCHEMA},
               429: {"description": "Vượt giới hạn số yêu cầu của khóa", **ERROR_SCHEMA}}


async def service(request: Request) -> Service:
    """Async so that FastAPI does not hand it to a worker thread (a thread hop per request)."""
    return request.app.state.service


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"q": "Ai chủ trì số hóa tài liệu, hạn khi nào?", "k": 5}})

    q: StrictStr = Field(description="Câu hỏi tiếng Việt (có hoặc không dấu)")
    k: StrictInt = Field(5, ge=1, le=50, description="Số điều khoản trả về")


@router.post("/ask", tags=["hỏi đáp"], summary="Hỏi đáp: điều khoản, chủ trì, phối hợp, thời hạn, nguồn",
             responses={**AUTH_ERRORS, 400: {"description": "Câu hỏi rỗng hoặc quá dài", **ERROR_SCHEMA}})
async def ask(body: AskRequest, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    try:
        return JSONResponse(await svc.ask(body.q, body.k, caller=key.name))
    except ValueError as exc:
        raise ApiError(400, "bad_question", str(exc)) from exc


def task_filter(
    lead: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Cơ quan chủ trì (không phân biệt dấu, viết tắt được)"),
    partner: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Cơ quan phối hợp"),
    doc: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Mã văn bản (xem /documents)"),
    due_before: str | None = Query(None, max_length=20, description="Hạn không muộn hơn (2025-08-31 hoặc 31/8/2025)"),
    due_after: str | None = Query(None, max_length=20, description="Hạn không sớm hơn"),
    kind: Literal["date", "month", "quarter", "year", "recurring", "conditional", "done", "none"] | None = Query(
        None, description="Loại thời hạn"),
    status: Literal["overdue", "upcoming", "undated"] | None = Query(
        None, description="Quá hạn / sắp đến hạn (trong `days` ngày) / chưa có hạn, tính theo hôm nay"),
    days: int = Query(30, ge=0, le=3660, description="Cửa sổ của status=upcoming"),
    q: str | None = Query(None, max_length=MAX_FILTER_CHARS, description="Từ khóa trong nội dung (không phân biệt dấu)"),
) -> TaskFilter:
    try:
        return TaskFilter(lead=lead or None, partner=partner or None, doc_id=doc or None, due_before=due_before or None,
                          due_after=due_after or None, kind=kind, status=status, within_days=days, q=q or None)
    except ValueError as exc:
        raise ApiError(400, "bad_filter", str(exc)) from exc


def _task_ids(svc: Service, f: TaskFilter, sort: str) -> list[str]:
    try:
        return [c.clause_id for c in svc.ready().task_clauses(f, sort=sort)]
    except ValueError as exc:  # unknown document id and the like
        raise ApiError(400, "bad_filter", str(exc)) from exc


def _rows(svc: Service, ids: list[str]) -> list[dict]:
    """Only the rows sent are turned into the contract's shape (a page of the register)."""
    assistant = svc.ready()
    return [assistant.clause(i) for i in ids]


@router.get("/tasks", tags=["sổ nhiệm vụ"], summary="Sổ nhiệm vụ đã lọc (tổng số trong header X-Total-Count)",
            responses={**AUTH_ERRORS, 400: {"description": "Bộ lọc không hợp lệ", **ERROR_SCHEMA}})
def tasks(f: TaskFilter = Depends(task_filter), sort: Literal["due", "document"] = Query("due"),
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0, le=1_000_000),
          key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    ids = _task_ids(svc, f, sort)
    return JSONResponse(_rows(svc, ids[offset:offset + limit]), headers={"X-Total-Count": str(len(ids))})


@router.get("/tasks/export", tags=["sổ nhiệm vụ"], summary="Tải sổ nhiệm vụ đã lọc: CSV (UTF-8) hoặc XLSX",
            response_class=Response, responses={**AUTH_ERRORS, 200: {"content": {
                TASK_MEDIA_TYPES["csv"]: {}, TASK_MEDIA_TYPES["xlsx"]: {}}}})
def tasks_export(format: Literal["csv", "xlsx"] = Query("xlsx"), f: TaskFilter = Depends(task_filter),
                 sort: Literal["due", "document"] = Query("due"),
                 key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> Response:
    rows = _rows(svc, _task_ids(svc, f, sort))
    data = export_tasks(rows, format)
    name = f"so-nhiem-vu-{svc.settings.today().isoformat()}.{format}"
    return Response(data, media_type=TASK_MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Total-Count": str(len(rows))})


class QuizRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"doc": "kh-376-2025", "n": 10, "seed": 7}})

    doc: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS, description="Mã văn bản; bỏ trống: cả kho")
    section: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS, description="Số mục, ví dụ VI hoặc III.2")
    topic: StrictStr | None = Field(None, max_length=MAX_FILTER_CHARS, description="Chỉ hỏi điều khoản có các từ này")
    n: StrictInt = Field(10, ge=1, le=200, description="Số câu hỏi")
    types: list[Literal["lead", "deadline", "figure", "document", "blank", "truefalse"]] | None = None
    difficulty: list[Literal["easy", "medium", "hard"]] | None = None
    seed: StrictInt = Field(0, ge=0, le=2**31 - 1, description="Cùng hạt, cùng bộ câu hỏi")
    format: Literal["json", "csv", "gift", "xlsx", "docx", "md"] = "json"


@router.post("/quiz", tags=["trắc nghiệm"], summary="Bộ câu hỏi trắc nghiệm có trích dẫn (JSON, CSV, GIFT, XLSX, DOCX)",
             responses={**AUTH_ERRORS, 400: {"description": "Phạm vi không có hoặc không đủ câu hỏi", **ERROR_SCHEMA}})
def quiz(body: QuizRequest, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> Response:
    from quydinh_bot import QuizShortage, export_quiz

    assistant = svc.ready()
    try:
        with svc.ask_lock:  # the first request of a seed builds its candidate pool: one at a time
            items = assistant.quiz(doc_id=body.doc, section=body.section, topic=body.topic, n=body.n,
                                   types=body.types, difficulty=body.difficulty, seed=body.seed)
    except QuizShortage as exc:
        raise ApiError(400, "quiz_shortage", str(exc)) from exc
    except ValueError as exc:
        raise ApiError(400, "bad_quiz", str(exc)) from exc
    if body.format == "json":
        return JSONResponse([it.to_dict() for it in items])
    media = {"csv": "text/csv; charset=utf-8", "gift": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
             "xlsx": TASK_MEDIA_TYPES["xlsx"],
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[body.format]
    name = f"trac-nghiem-{body.doc or 'ca-kho'}-{body.seed}.{'txt' if body.format == 'gift' else body.format}"
    return Response(export_quiz(items, body.format), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/clauses/{clause_id:path}", tags=["văn bản"],
            summary="Một điều khoản trong ngữ cảnh: đường dẫn đề mục, mục cha, mục con, mục ngang hàng",
            responses={**AUTH_ERRORS, 404: {"description": "Không có điều khoản mã này", **ERROR_SCHEMA}})
def clause(clause_id: str, key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    ctx = svc.ready().clause_context(clause_id) if len(clause_id) <= 300 else None
    if ctx is None:
        shown = clause_id if len(clause_id) <= 80 else clause_id[:80] + "…"
        raise ApiError(404, "clause_not_found", f"Không có điều khoản mã '{shown}'.")
    return JSONResponse(ctx)


@router.get("/documents", tags=["văn bản"], summary="Các văn bản trong kho, với số điều khoản và số nhiệm vụ",
            responses=AUTH_ERRORS)
def documents(key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    return JSONResponse(svc.ready().documents())


ADMIN_ERRORS = {**AUTH_ERRORS, 403: {"description": "Khóa không có quyền quản trị", **ERROR_SCHEMA}}


@router.post("/documents", status_code=201, tags=["văn bản"],
             summary="Thêm văn bản (.docx, .pdf, .txt, .md): chỉ văn bản mới được tách và nhúng (khóa quản trị)",
             responses={**ADMIN_ERRORS, 400: {"description": "Tệp không đọc được, rỗng, trùng, quá lớn…", **ERROR_SCHEMA}})
def add_documents(files: list[UploadFile] = File(..., description="Một hoặc nhiều tệp"),
                  id: str | None = Form(None, max_length=60, description="Mã văn bản (chỉ khi thêm một tệp)"),
                  meta: list[str] = Form([], description="KEY=VALUE: kind, number, date, issuer, province, title"),
                  key: ApiKey = Depends(require_admin), svc: Service = Depends(service)) -> JSONResponse:
    import tempfile
    from pathlib import Path

    from quydinh_bot import DocumentError, ParseError

    overrides: dict[str, str] = {}
    for item in meta:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ApiError(400, "bad_meta", f"Siêu dữ liệu phải có dạng KEY=VALUE (nhận được '{item[:60]}').")
        overrides[name.strip()] = value.strip()
    if id:
        overrides["id"] = id
    assistant = svc.ready()
    # in the service's owner-only upload folder; a leftover of a crash is removed at the next start
    with tempfile.TemporaryDirectory(**svc.upload_tempdir()) as tmp:
        paths = []
        for i, f in enumerate(files):
            target = Path(tmp) / f"{i:02d}" / upload_name(f.filename, i)
            target.parent.mkdir()
            target.write_bytes(f.file.read())
            paths.append(target)
        try:
            result = assistant.add_documents(paths, overrides)
        except (DocumentError, ParseError, ValueError) as exc:
            raise ApiError(400, "bad_document", str(exc)) from exc
    if svc.audit.enabled:  # who changed the corpus, when: the operator's record
        svc.audit.record("api", key.name, "POST /documents", [a["doc_id"] for a in result["added"]])
    return JSONResponse(result, status_code=201)


def upload_name(raw: str | None, i: int) -> str:
    """A safe file name from the client's: its last part only (never a path, "/" or "\\"), no
    control or other non-printable character, no leading dots ("..", hidden files), at most 150
    bytes with the extension kept; `tep-<i>` when nothing is left."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch if ch.isprintable() else "_" for ch in name).strip().lstrip(".").strip()
    if len(name.encode("utf-8")) > 150:
        stem, suffix = (name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1]) if "." in name else (name, "")
        suffix = suffix if len(suffix) <= 10 else ""
        while stem and len((stem + suffix).encode("utf-8")) > 150:
            stem = stem[:-1]
        name = stem.rstrip() + suffix
    return name if name.strip("._ ") else f"tep-{i}"


@router.delete("/documents/{doc_id}", tags=["văn bản"], summary="Xóa một văn bản khỏi kho và chỉ mục (khóa quản trị)",
               responses={**ADMIN_ERRORS, 404: {"description": "Không có văn bản mã này", **ERROR_SCHEMA}})
def remove_document(doc_id: str, key: ApiKey = Depends(require_admin), svc: Service = Depends(service)) -> JSONResponse:
    from quydinh_bot import DocumentError

    assistant = svc.ready()
    if doc_id not in {d["doc_id"] for d in assistant.documents()}:
        raise ApiError(404, "unknown_document", f"Không có văn bản mã '{doc_id}'.")
    try:
        result = assistant.remove_document(doc_id)
    except DocumentError as exc:
        raise ApiError(400, "bad_document", str(exc)) from exc
    return JSONResponse(result)


@router.get("/healthz", tags=["vận hành"], summary="Tiến trình còn sống (không cần khóa)")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", tags=["vận hành"], summary="Chỉ mục đã nạp và hợp lệ (không cần khóa)",
            responses={503: {"description": "Đang nạp hoặc không nạp được", **ERROR_SCHEMA}})
def readyz(svc: Service = Depends(service)) -> dict:
    docs = svc.ready().documents()
    return {"status": "ready", "clauses": sum(d["clauses"] for d in docs), "documents": len(docs)}
