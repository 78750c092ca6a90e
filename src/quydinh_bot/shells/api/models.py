"""The shapes the JSON routes answer with, as pydantic models, so that /openapi.json and /docs
describe them (API_CONTRACT.md in the machine's words). They describe and do not produce: every
route still returns the JSON the core built, as a ready response, so no byte changes because of
them; the tests validate real answers against them. `extra="forbid"`: a field the core adds and
nobody wrote down here makes those tests fail, not the clients guess."""
from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DeadlineKind = Literal["date", "month", "quarter", "year", "recurring", "conditional", "done"]
Intent = Literal["lead", "deadline", "fact", "list", "clause", "register"]
QuizType = Literal["lead", "deadline", "figure", "document", "blank", "truefalse"]
Difficulty = Literal["easy", "medium", "hard"]


class Shape(BaseModel):
    """A documented JSON object: no field beyond those named."""

    model_config = ConfigDict(extra="forbid")


# -- errors ---------------------------------------------------------------------------------

class ErrorDetail(Shape):
    code: str = Field(description="Mã lỗi ổn định, ví dụ bad_question, missing_key, clause_not_found")
    message: str = Field(description="Lời giải thích bằng tiếng Việt")
    field: str | None = Field(None, description="Trường gửi lên bị sai (chỉ có ở lỗi 422)")


class ErrorResponse(Shape):
    """Every 4xx/5xx of the service."""

    error: ErrorDetail


Responses = dict[int | str, dict[str, Any]]  # FastAPI's `responses=`


def error(description: str) -> dict[str, Any]:
    """One error status of a route, in the one error shape."""
    return {"model": ErrorResponse, "description": description,
            "content": {"application/json": {"example": {"error": {"code": "…", "message": "…"}}}}}


AUTH_ERRORS: Responses = {401: error("Thiếu khóa, khóa sai hoặc đã thu hồi"),
                          429: error("Vượt giới hạn số yêu cầu của khóa")}
ADMIN_ERRORS: Responses = {**AUTH_ERRORS, 403: error("Khóa không có quyền quản trị")}
# FastAPI would describe its own `{"detail": [...]}`; the service answers a 422 in the one shape
INPUT_ERROR: Responses = {422: error("Dữ liệu gửi lên sai kiểu, ngoài khoảng cho phép hoặc quá dài")}
NOT_READY: Responses = {503: error("Đang nạp hoặc không nạp được chỉ mục")}
TOTAL_COUNT = {"X-Total-Count": {"description": "Số nhiệm vụ khớp bộ lọc (trước khi phân trang)",
                                 "schema": {"type": "integer"}}}


# -- clauses and answers --------------------------------------------------------------------

class Deadline(Shape):
    text: str = Field(description="Thời hạn đúng như văn bản ghi")
    due: date | None = Field(description="Ngày cuối cùng được làm (ISO 8601), khi thời hạn nêu hoặc suy ra được")
    kind: DeadlineKind | None


class Hit(Shape):
    """A clause in the contract's hit shape: a row of /tasks, and the clauses of /clauses/{id}."""

    clause_id: str = Field(examples=["kh-376-2025/VI.2.1"])
    doc_id: str
    doc_title: str
    number: str = Field(description="Số mục như khi trích dẫn: VI.2.1, III.1.1.y2, PL.3.(1)")
    kind: str = Field(description="Loại điều khoản: heading, item, row, paragraph, footnote…")
    heading_path: list[str] = Field(description="Các đề mục bên trên, từ ngoài vào trong")
    text: str = Field(description="Lời của chính văn bản, bỏ định dạng, gộp khoảng trắng")
    lead: str | None = Field(description="Cơ quan chủ trì")
    lead_source: Literal["explicit", "section", "issuer"] | None = Field(
        description="Nơi tìm thấy cơ quan chủ trì: ghi rõ, đề mục, cơ quan ban hành")
    leads: list[str] = Field(description="Các cơ quan chủ trì, tên chuẩn (hai khi đồng chủ trì)")
    partners: list[str] = Field(description="Cơ quan phối hợp")
    deadline: Deadline | None
    citation: str = Field(description="Nguồn trích dẫn đầy đủ")
    parent_id: str | None
    footnote_ids: list[str]
    is_task: bool = Field(description="Điều khoản giao việc (có trong sổ nhiệm vụ)")
    linked_id: str | None = Field(description="Cùng nhiệm vụ ở nơi khác (lời văn ↔ dòng bảng phân công)")


TaskStatus = Literal["done", "overdue", "upcoming", "recurring", "undated"]


class TaskMark(Shape):
    """What an operator said of a task (`POST /tasks/{clause_id}/status`)."""

    status: Literal["done", "ongoing"]
    by: str = Field(description="Tên khóa API hoặc người đánh dấu")
    at: str = Field(description="Thời điểm đánh dấu (ISO 8601, UTC)")
    note: str


class TaskHit(Hit):
    """A row of /tasks: the contract's hit fields and, added, where the task comes from and stands."""

    province: str | None = Field(description="Tỉnh của văn bản giao nhiệm vụ")
    document: str = Field(description="Tên ngắn của văn bản, ví dụ Kế hoạch 376-KH/TU")
    status: TaskStatus = Field(
        description="Tình trạng hôm nay: đã xong / quá hạn / còn hạn / thường xuyên / chưa có hạn")
    status_label: str = Field(description="Tình trạng bằng lời: Quá hạn, Sắp đến hạn, Đã xong…")
    mark: TaskMark | None = Field(description="Người vận hành đã đánh dấu (không có: theo thời hạn của văn bản)")


class MarkChange(Shape):
    """One mark made: a row of a task's history."""

    clause_id: str
    from_status: Literal["done", "ongoing"] | None = Field(description="Trước (không có: chưa đánh dấu)")
    to_status: Literal["done", "ongoing"] | None = Field(description="Sau (không có: bỏ đánh dấu)")
    by: str
    at: str
    note: str


class MarkResult(Shape):
    """What marking a task changed, and the task as it now stands."""

    change: MarkChange
    task: TaskHit


class ScoredHit(Hit):
    """A hit of an answer: the clause and how well it matched (only the order matters)."""

    score: float


class RegisterFilters(Shape):
    """What a register question was understood to ask for."""

    lead: str | None
    doc_id: str | None
    due_after: date | None
    due_before: date | None
    status: Literal["overdue", "upcoming", "undated", "recurring", "done", "ongoing"] | None
    partner: str | None
    kind: DeadlineKind | Literal["none"] | None
    doc_ids: list[str] | None = Field(description="Một trong các văn bản này (một tỉnh có hai văn bản)")
    within_days: int | None = Field(description="Cửa sổ của status=upcoming")
    today: date | None = Field(description="Hôm nay, theo đó tính quá hạn / sắp đến hạn")
    ask: Literal["list", "count", "earliest", "latest"]


class Answer(Shape):
    """The answer to one question (`POST /ask`, `quydinh-bot ask --json`)."""

    question: str
    answered: bool = Field(description="Sai khi không điều khoản nào trả lời câu hỏi")
    intent: Intent
    answer: str = Field(description="Câu trả lời tiếng Việt, đúng như bot Telegram gửi")
    hits: list[ScoredHit]
    total: int | None = Field(None, description="Câu hỏi về sổ nhiệm vụ: số nhiệm vụ khớp")
    filters: RegisterFilters | None = Field(None, description="Câu hỏi về sổ nhiệm vụ: bộ lọc đã hiểu")


# -- documents ------------------------------------------------------------------------------

class DocumentInfo(Shape):
    """A document of the index as its clauses cite it (only `doc_id` when the index lacks it)."""

    doc_id: str
    title: str | None = None
    kind: str | None = None
    number: str | None = None
    date: str | None = Field(None, description="Ngày ban hành như văn bản ghi (d/m/yyyy)")
    issuer: str | None = None
    province: str | None = None


class DocumentSummary(Shape):
    """A row of `GET /documents`."""

    doc_id: str
    title: str
    kind: str
    number: str | None
    date: str | None
    issuer: str | None
    province: str | None
    clauses: int
    tasks: int


class ClauseContext(Shape):
    """A clause with what surrounds it on paper (`GET /clauses/{clause_id}`)."""

    clause: Hit
    heading_path: list[str]
    document: DocumentInfo
    parent: Hit | None
    children: list[Hit]
    siblings: list[Hit]


class AddedDocument(Shape):
    doc_id: str
    file: str = Field(description="Văn bản đã chuyển sang chữ, trong thư mục kho")
    original: str = Field(description="Tệp gốc như đã nhận, dưới originals/")
    source_format: str
    meta: dict[str, str] = Field(description="Siêu dữ liệu: id, kind, number, date, issuer, province, title")
    clauses: int
    tasks: int
    notes: list[str] = Field(default_factory=list,
                             description="Phần không đưa vào chỉ mục và lý do (trang quét không đủ rõ)")


class CorpusChange(Shape):
    """What adding or removing documents changed (`POST /documents`, `DELETE /documents/{doc_id}`)."""

    added: list[AddedDocument]
    removed: list[str]
    embedded: list[str] = Field(description="Văn bản được tách và nhúng trong lần thay đổi này")
    index: str = Field(description="Thư mục chỉ mục mới")
    seconds: float


# -- quiz -----------------------------------------------------------------------------------

class QuizQuestion(Shape):
    """An item of `POST /quiz` (format json)."""

    question: str
    options: list[str]
    correct: int = Field(description="Chỉ số (từ 0) của phương án đúng")
    explanation: str = Field(description="Lời của chính điều khoản")
    type: QuizType
    difficulty: Difficulty
    clause_id: str
    citation: str
    doc_id: str


# -- operations -----------------------------------------------------------------------------

class Health(Shape):
    status: Literal["ok"]


class Ready(Shape):
    status: Literal["ready"]
    clauses: int
    documents: int
