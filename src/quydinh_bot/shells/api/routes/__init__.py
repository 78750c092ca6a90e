"""Every HTTP route of the service, one module per resource, gathered into the one `router` the
app includes. The order of inclusion is the order of matching (and of /docs)."""
from __future__ import annotations

from fastapi import APIRouter

from . import ask, clauses, documents, health, quiz, tasks

router = APIRouter()
for _resource in (ask, tasks, quiz, clauses, documents, health):
    router.include_router(_resource.router)

__all__ = ["router"]
