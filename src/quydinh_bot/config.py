"""Settings in one place.

Every path and tunable the shells read lives here, overridable from the environment
(`QUYDINH_*`) or from a `.env` file at the project root (the environment wins), so the
CLI, the API, the web page and the Telegram bot agree on where things are.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
LEXICON_DIR = PACKAGE_DIR / "data"  # the package's own tables (bodies, short forms, provinces, the decision model)
TELEGRAM_API_URL = "https://api.telegram.org/bot"

# offline machines: the model libraries never try a model hub (an operator may still say otherwise)
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@lru_cache(maxsize=4)
def _dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments, blank lines and `export` allowed)."""
    out: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        out[key.strip()] = value.strip().strip("'\"")
    return out


def env(name: str, default: str = "") -> str:
    """A setting from the environment, else from `.env` (or `QUYDINH_ENV_FILE`), else the default."""
    if name in os.environ:
        return os.environ[name]
    env_file = Path(os.environ.get("QUYDINH_ENV_FILE", PROJECT_DIR / ".env"))
    return _dotenv(env_file).get(name, default)


def _env_path(name: str, default: Path) -> Path:
    value = env(name)
    return Path(value).expanduser().resolve() if value else default


def _env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ValueError(f"Thiết lập {name} phải là số nguyên (đang là '{value}').") from exc


def _env_ids(name: str) -> frozenset[int]:
    """Comma-separated Telegram ids ('123, -100456')."""
    out = set()
    for part in env(name).replace(";", ",").split(","):
        part = part.strip()
        if part:
            try:
                out.add(int(part))
            except ValueError as exc:
                raise ValueError(f"Thiết lập {name}: '{part}' không phải mã số Telegram.") from exc
    return frozenset(out)


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in env(name).split(",") if p.strip())


@dataclass(frozen=True)
class Settings:
    """Paths and limits; built once from the environment by `get_settings()`."""

    corpus_dir: Path = field(default_factory=lambda: _env_path("QUYDINH_CORPUS_DIR", PROJECT_DIR / "corpus"))
    index_dir: Path = field(default_factory=lambda: _env_path("QUYDINH_INDEX_DIR", PROJECT_DIR / "index"))
    data_dir: Path = field(default_factory=lambda: _env_path("QUYDINH_DATA_DIR", PROJECT_DIR / "data"))
    # Name or path of a sentence-transformers model; empty means the converted default.
    embedding_model: str = field(default_factory=lambda: env("QUYDINH_EMBEDDING_MODEL", ""))
    # Models that expect pyvi word-segmented input (PhoBERT family); "auto" detects from config.
    embedding_segmented: str = field(default_factory=lambda: env("QUYDINH_EMBEDDING_SEGMENTED", "auto"))
    # Arithmetic of passage embedding through torch: "auto" (bf16 for the default model on CPUs that
    # have it natively, else fp32), "fp32", "bf16" or "int8" (attention layers; faster, slightly lossy).
    # Part of the model fingerprint, so an index built otherwise is rebuilt.
    embedding_precision: str = field(default_factory=lambda: env("QUYDINH_EMBEDDING_PRECISION", "auto"))
    # Largest document `add` (and the corpus reader) accepts.
    max_document_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024))
    max_question_chars: int = 1000
    # --- what `add` reads (checked before parsing and embedding; see ingest/limits.py) ---
    # The converted text, one line of it (a paragraph), a detected title (shortened past it).
    max_text_chars: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_TEXT_CHARS", 1_000_000))
    max_line_chars: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_LINE_CHARS", 20_000))
    max_title_chars: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_TITLE_CHARS", 300))
    max_pdf_pages: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_PDF_PAGES", 300))
    # A PDF's non-image streams once inflated: each, and all together.
    max_pdf_stream_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_PDF_STREAM_BYTES", 16 * 2**20))
    max_pdf_decoded_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_PDF_DECODED_BYTES", 64 * 2**20))
    # A .docx (zip): entries, uncompressed sizes (all, each) declared by the central directory,
    # and the compression ratio of an entry over 1 MiB.
    max_zip_entries: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_ZIP_ENTRIES", 2000))
    max_unpacked_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_UNPACKED_BYTES", 128 * 2**20))
    max_unpacked_entry_bytes: int = field(
        default_factory=lambda: _env_int("QUYDINH_MAX_UNPACKED_ENTRY_BYTES", 64 * 2**20))
    max_compression_ratio: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_COMPRESSION_RATIO", 100))
    # The child process that reads a .docx/.pdf: address space (the interpreter with the readers
    # takes ~200 MiB of it) and seconds (wall and CPU); 0 turns a limit off.
    max_parse_memory_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_PARSE_MEMORY_BYTES", 2**30))
    max_parse_seconds: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_PARSE_SECONDS", 180))
    # Tokens of the embedding model a question may take: 1,000 characters of Vietnamese are about
    # 300 (0.6 s of CPU to encode); 1,000 emoji or CJK characters are 1,000 (2 s), refused.
    max_question_tokens: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_QUESTION_TOKENS", 400))
    # "Today" for overdue / upcoming tasks: the clock unless QUYDINH_TODAY=YYYY-MM-DD pins it.
    today_override: str = field(default_factory=lambda: env("QUYDINH_TODAY", ""))

    # --- the HTTP service (quydinh-bot serve) ---
    host: str = field(default_factory=lambda: env("QUYDINH_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: _env_int("QUYDINH_PORT", 8000))
    # API keys, stored hashed; empty means <data dir>/keys.sqlite3.
    keys_path: str = field(default_factory=lambda: env("QUYDINH_KEYS_FILE", ""))
    # Tasks an operator marked done / ongoing, with the history of each change; empty means
    # <data dir>/status.sqlite3.
    status_path: str = field(default_factory=lambda: env("QUYDINH_STATUS_FILE", ""))
    rate_limit_per_minute: int = field(default_factory=lambda: _env_int("QUYDINH_RATE_LIMIT", 120))
    max_request_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_REQUEST_BYTES", 64 * 1024))
    # Largest request head (request line and headers) the service parses; a longer one gets 431.
    max_header_bytes: int = field(default_factory=lambda: _env_int("QUYDINH_MAX_HEADER_BYTES", 16 * 1024))
    cors_origins: tuple[str, ...] = field(default_factory=lambda: _env_list("QUYDINH_CORS_ORIGINS"))
    # OpenMP threads per question in the service: 1, so that questions answered side by side
    # (ask_concurrency) each keep one core instead of spinning against each other.
    service_threads: int = field(default_factory=lambda: _env_int("QUYDINH_SERVICE_THREADS", 1))
    # threads the embedder's torch may use (0: every CPU this process may run on); `serve` sets it
    # to `service_threads`
    threads: int = field(default_factory=lambda: _env_int("QUYDINH_THREADS", 0))
    # the model libraries read local files only (HF_HUB_OFFLINE, "1" unless the operator says 0)
    hub_offline: bool = field(default_factory=lambda: env("HF_HUB_OFFLINE", "1").strip().lower()
                              not in ("0", "false", "no", ""))
    c_compiler: str = field(default_factory=lambda: env("CC", "gcc") or "gcc")  # builds the question encoder
    # Questions the service answers at the same time (the others wait their turn): the engine
    # releases the GIL while it encodes, so one question's Python work runs beside another's
    # encoding; 0 means one per CPU this process may use.
    ask_concurrency: int = field(default_factory=lambda: _env_int("QUYDINH_ASK_CONCURRENCY", 0))
    # Answers kept in memory for repeated questions (same words, k and day); 0 turns it off.
    answer_cache_size: int = field(default_factory=lambda: _env_int("QUYDINH_ANSWER_CACHE", 512))
    # Audit log (time, caller, question, clause ids): off unless an operator names a file.
    audit_log: str = field(default_factory=lambda: env("QUYDINH_AUDIT_LOG", ""))

    # --- the Telegram bot (quydinh-bot bot) ---
    telegram_token: str = field(default_factory=lambda: env("QUYDINH_TELEGRAM_TOKEN", ""))
    telegram_allowed_users: frozenset[int] = field(default_factory=lambda: _env_ids("QUYDINH_TELEGRAM_ALLOWED_USERS"))
    telegram_allowed_chats: frozenset[int] = field(default_factory=lambda: _env_ids("QUYDINH_TELEGRAM_ALLOWED_CHATS"))
    telegram_api_url: str = field(default_factory=lambda: env("QUYDINH_TELEGRAM_API_URL", TELEGRAM_API_URL))
    telegram_rate_limit_per_minute: int = field(default_factory=lambda: _env_int("QUYDINH_TELEGRAM_RATE_LIMIT", 20))
    telegram_webhook_url: str = field(default_factory=lambda: env("QUYDINH_TELEGRAM_WEBHOOK_URL", ""))
    # Where `bot --webhook` listens (behind the office's HTTPS reverse proxy).
    telegram_webhook_listen: str = field(default_factory=lambda: env("QUYDINH_TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"))
    telegram_webhook_port: int = field(default_factory=lambda: _env_int("QUYDINH_TELEGRAM_WEBHOOK_PORT", 8443))
    # The daily digest goes out after this time (Vietnam time, HH:MM); checked every
    # telegram_digest_check_seconds, sent once a day per chat.
    telegram_digest_time: str = field(default_factory=lambda: env("QUYDINH_TELEGRAM_DIGEST_TIME", "07:00"))
    telegram_digest_check_seconds: int = field(
        default_factory=lambda: _env_int("QUYDINH_TELEGRAM_DIGEST_CHECK_SECONDS", 300))

    @property
    def metadata_file(self) -> Path:
        return self.corpus_dir / "metadata.toml"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models" / "multilingual-e5-small"

    @property
    def telegram_state_file(self) -> Path:
        """Digest subscriptions and last-sent dates of the bot."""
        return self.data_dir / "telegram.sqlite3"

    @property
    def upload_dir(self) -> Path:
        """Where the service keeps an upload while it is read (owner-only; leftovers cleaned at start)."""
        return self.data_dir / "uploads"

    @property
    def keys_file(self) -> Path:
        return Path(self.keys_path).expanduser() if self.keys_path else self.data_dir / "keys.sqlite3"

    @property
    def status_file(self) -> Path:
        return Path(self.status_path).expanduser() if self.status_path else self.data_dir / "status.sqlite3"

    def today(self) -> date:
        """The date overdue/upcoming are measured against (pinned by QUYDINH_TODAY in tests and evals)."""
        if self.today_override:
            try:
                return date.fromisoformat(self.today_override)
            except ValueError as exc:
                raise ValueError(f"QUYDINH_TODAY phải có dạng YYYY-MM-DD (đang là '{self.today_override}').") from exc
        return date.today()


def openmp_tuned_by_operator() -> bool:
    """Whether the operator chose the OpenMP wait policy (then the engine leaves it alone)."""
    return "GOMP_SPINCOUNT" in os.environ or "OMP_WAIT_POLICY" in os.environ


def limit_openmp_threads(n: int) -> None:
    """Threads the OpenMP runtimes start, unless the operator set it: read once, when a runtime
    loads, so this runs before torch or the engine is imported."""
    os.environ.setdefault("OMP_NUM_THREADS", str(n))


def get_settings() -> Settings:
    return Settings()
