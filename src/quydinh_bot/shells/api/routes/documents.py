"""`/documents`: the documents of the corpus (any key), and adding or removing them (an admin key):
only the documents changed are parsed and embedded, and the next request sees the new index."""
from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse

from ..auth import ApiKey, require_admin, require_key
from ..deps import service
from ..errors import ApiError
from ..models import ADMIN_ERRORS, AUTH_ERRORS, INPUT_ERROR, NOT_READY, CorpusChange, DocumentSummary, error
from ..service import Service

router = APIRouter()


@router.get("/documents", tags=["văn bản"], summary="Các văn bản trong kho, với số điều khoản và số nhiệm vụ",
            response_model=list[DocumentSummary], responses={**AUTH_ERRORS, **NOT_READY})
def documents(key: ApiKey = Depends(require_key), svc: Service = Depends(service)) -> JSONResponse:
    return JSONResponse(svc.ready().documents())


@router.post("/documents", status_code=201, tags=["văn bản"],
             summary="Thêm văn bản (.docx, .doc, .pdf, .txt, .md): chỉ văn bản mới được tách và nhúng (khóa quản trị)",
             response_model=CorpusChange,
             responses={**ADMIN_ERRORS, 400: error("Tệp không đọc được, rỗng, trùng, quá lớn…"), **INPUT_ERROR,
                        413: error("Tệp tải lên quá lớn"), **NOT_READY})
def add_documents(files: list[UploadFile] = File(..., description="Một hoặc nhiều tệp"),
                  id: str | None = Form(None, max_length=60, description="Mã văn bản (chỉ khi thêm một tệp)"),
                  meta: list[str] = Form([], description="KEY=VALUE: kind, number, date, issuer, province, title"),
                  key: ApiKey = Depends(require_admin), svc: Service = Depends(service)) -> JSONResponse:
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
               response_model=CorpusChange,
               responses={**ADMIN_ERRORS, 404: error("Không có văn bản mã này"),
                          400: error("Không xóa được văn bản"), **INPUT_ERROR, **NOT_READY})
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
