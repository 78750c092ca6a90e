"""The HTTP service (`quydinh-bot serve`): FastAPI over the one `Assistant`."""
from .app import create_app

__all__ = ["create_app"]
