"""`/healthz` and `/readyz`: the process is alive; the index is loaded. No key: a load balancer asks."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from ..deps import service
from ..models import NOT_READY, Health, Ready
from ..service import Service

router = APIRouter()


@router.get("/healthz", tags=["vận hành"], summary="Tiến trình còn sống (không cần khóa)", response_model=Health)
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", tags=["vận hành"], summary="Chỉ mục đã nạp và hợp lệ (không cần khóa)", response_model=Ready,
            responses=NOT_READY)
def readyz(svc: Service = Depends(service)) -> JSONResponse:
    docs = svc.ready().documents()
    return JSONResponse({"status": "ready", "clauses": sum(d["clauses"] for d in docs), "documents": len(docs)})
