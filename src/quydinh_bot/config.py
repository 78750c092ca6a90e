"""Settings in one place.

Every path and tunable the shells read lives here, overridable from the environment
(`QUYDINH_*`), so the CLI, the API and the Telegram bot agree on where things are.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Paths and limits; built once from the environment by `get_settings()`."""

    corpus_dir: Path = field(default_factory=lambda: _env_path("QUYDINH_CORPUS_DIR", PROJECT_DIR / "corpus"))
    index_dir: Path = field(default_factory=lambda: _env_path("QUYDINH_INDEX_DIR", PROJECT_DIR / "index"))
    data_dir: Path = field(default_factory=lambda: _env_path("QUYDINH_DATA_DIR", PROJECT_DIR / "data"))
    # Name or path of a sentence-transformers model; empty means the converted default.
    embedding_model: str = field(default_factory=lambda: os.environ.get("QUYDINH_EMBEDDING_MODEL", ""))
    # Models that expect pyvi word-segmented input (PhoBERT family); "auto" detects from config.
    embedding_segmented: str = field(default_factory=lambda: os.environ.get("QUYDINH_EMBEDDING_SEGMENTED", "auto"))
    max_document_bytes: int = 20 * 1024 * 1024
    max_question_chars: int = 1000

    @property
    def metadata_file(self) -> Path:
        return self.corpus_dir / "metadata.toml"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models" / "multilingual-e5-small"


def get_settings() -> Settings:
    return Settings()
