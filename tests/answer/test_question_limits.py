"""Questions are bounded before any work (issue 23): the engine crash string, runs of combining
marks, questions that are all tokens, junk with no word, and a bounded fuzz of the whole question
path with the real model and the project's engine."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quydinh_bot.answer.render import NO_WORDS

CRASH = "\ufdfa" * 20
SRC = Path(__file__).resolve().parents[2] / "src"
KEYS = {"question", "answered", "intent", "answer", "hits"}
# characters that grow under NFKC/NFKD (ligatures, fractions, compatibility forms), and marks
EXPANDING = [chr(cp) for cp in range(0x20, 0x30000)
             if not 0xD800 <= cp <= 0xDFFF and len(unicodedata.normalize("NFKD", chr(cp))) > 2]


def test_the_crash_string_is_answered(assistant):
    out = assistant.ask(CRASH)
    assert set(out) >= KEYS and out["question"] == unicodedata.normalize("NFKC", CRASH)
    assert set(assistant.ask("ai chủ trì " + CRASH * 2)) >= KEYS
    with pytest.raises(ValueError, match="quá dài"):  # 18 letters each once folded: 3,600 characters
        assistant.ask("ai chủ trì " + CRASH * 10)


def test_a_run_of_combining_marks_is_cut_before_encoding(assistant):
    out = assistant.ask("ai chủ trì số hóa tài liệu" + "\u0301" * 970)
    assert out["question"].startswith("ai chủ trì số hóa tài li") and len(out["question"]) < 30
    assert assistant.searcher.question_tokens(out["question"]) < 20


def test_a_question_of_a_thousand_tokens_is_refused_before_encoding(assistant):
    cjk = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(900))
    assert assistant.searcher.question_tokens(cjk) > assistant.settings.max_question_tokens
    with pytest.raises(ValueError, match="quá dài"):
        assistant.ask(cjk)
    with pytest.raises(ValueError, match="quá dài"):
        assistant.ask("x" * 10_000_000)  # refused on its length alone, before it is cleaned
    long_vi = ("Ai chủ trì số hóa tài liệu lưu trữ của các cơ quan, hạn khi nào? " * 20)[:1000]
    assert set(assistant.ask(long_vi)) >= KEYS  # the longest Vietnamese question allowed still answers


@pytest.mark.parametrize("junk", ["?", "a", ".", "1", "!!", "2025", "Đ", "x", "?? ??", "\u0301"])
def test_junk_is_declined_without_a_clause(assistant, junk):
    out = assistant.ask(junk)
    assert out["answered"] is False and out["hits"] == [] and out["answer"] == NO_WORDS


def test_short_questions_with_words_are_still_read(assistant):
    assert assistant.ask("BTV")["hits"] and assistant.ask("ai chu tri so hoa tai lieu")["answered"]


_chars = st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(EXPANDING),
                   st.sampled_from("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\ufdfa\u200b\x00\n"),
                   st.sampled_from("aăâđeêioôơuưyAĐ0123456789 ?"))


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(_chars, max_size=300))
def test_fuzz_the_question_path(assistant, question):
    """Any text: a contract answer or a Vietnamese ValueError, never another error or a crash."""
    try:
        out = assistant.ask(question, k=3)
    except ValueError as exc:
        assert str(exc)[:1].isupper() and ("Câu hỏi" in str(exc))
        return
    assert set(out) >= KEYS and isinstance(out["answer"], str) and len(out["hits"]) <= 3
    json.dumps(out, ensure_ascii=False).encode("utf-8")  # all of it can be sent


def test_the_cli_answers_the_crash_string(assistant):
    env = dict(os.environ, QUYDINH_INDEX_DIR=str(assistant.settings.index_dir),
               QUYDINH_DATA_DIR=str(assistant.settings.data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "quydinh_bot", "ask", "--json"],
                          input="\n".join([CRASH, "a" + "\u0301" * 900, "?", "ai chu tri so hoa tai lieu"]) + "\n",
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 4 and rows[2]["answered"] is False and rows[3]["answered"] is True
