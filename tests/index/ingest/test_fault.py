"""Kill `quydinh-bot add` (SIGKILL) at spread-out moments: every time, the live index still
loads and answers and agrees with the corpus folder; a retry then succeeds."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from ingest.fixtures import write_plan_docx
from quydinh_bot import Assistant
from quydinh_bot.config import Settings
from quydinh_bot.encoder.embed import Embedder
from quydinh_bot.index.build import clear_cache
from quydinh_bot.search.searcher import Searcher

QUESTION = "Năm 2026 phải thành lập mới ít nhất bao nhiêu tổ chức đảng trong doanh nghiệp ngoài khu vực nhà nước?"
NEW_DOC = "kh-512-2026"


def _serving_and_consistent(embedder) -> bool:
    """The live index answers; True when it (and the corpus folder) hold the new plan."""
    clear_cache()
    settings = Settings()
    assistant = Assistant(Searcher(settings, embedder=embedder))  # recovers an interrupted add first
    out = assistant.ask(QUESTION)
    assert out["answered"] and "08 tổ chức đảng" in out["hits"][0]["text"]
    in_index = NEW_DOC in {d["doc_id"] for d in assistant.documents()}
    in_corpus = any(p.name.startswith(NEW_DOC) for p in settings.corpus_dir.glob("*.txt"))
    assert in_index == in_corpus
    # a staging folder may be left by a kill before the swap: harmless, the next writer clears it
    return in_index


def _add(env, plan) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "quydinh_bot", "add", str(plan)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_add_leaves_a_serving_index_and_a_retry_succeeds(workspace, tmp_path):
    _, env = workspace
    env = {**os.environ, **env}
    plan = write_plan_docx(tmp_path / "ke-hoach-512.docx")
    embedder = Embedder()
    rnd = random.Random(20261125)
    kills = completed = 0
    t_end = time.monotonic() + 240
    # process start, reading, embedding, writing, swapping… (an add of this plan takes a few seconds now
    # that clauses go through the fast engine: the first kills come early)
    for base in (0.3, 0.6, 1.0, 1.6, 2.5, 4.0, 5.5, 7.0):
        if time.monotonic() > t_end:
            break
        p = _add(env, plan)
        time.sleep(base + rnd.uniform(0, 1.5))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
        p.communicate(timeout=60)
        if _serving_and_consistent(embedder):
            completed += 1  # it finished before (or right as) it was killed: start the next round clean
            r = subprocess.run([sys.executable, "-m", "quydinh_bot", "remove", NEW_DOC], env=env,
                               capture_output=True, text=True, timeout=300)
            assert r.returncode == 0, r.stderr
    assert kills >= 1
    p = _add(env, plan)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    assert _serving_and_consistent(embedder)
    assert not (Settings().corpus_dir / ".ingest").exists()
    assert not list(Settings().index_dir.glob(".build-*"))


def test_crash_after_the_swap_is_finished_by_the_next_reader(workspace, tmp_path, monkeypatch):
    """The index already serves the new state but the files were not moved yet: loading
    the index applies the journal (roll forward)."""
    import quydinh_bot.index.ingest as ingest
    from quydinh_bot.index import journal

    def crash(*a, **k):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(journal, "apply", crash)
        try:
            ingest.add_files([write_plan_docx(tmp_path / "p.docx")])
        except KeyboardInterrupt:
            pass
    settings = Settings()
    assert (settings.corpus_dir / ".ingest" / "journal.json").exists()
    assert _serving_and_consistent(None)
    assert not (settings.corpus_dir / ".ingest").exists()


def test_crash_before_the_swap_leaves_everything_as_it_was(workspace, tmp_path, monkeypatch):
    import quydinh_bot.index.ingest as ingest
    from ingest.fixtures import snapshot

    root, _ = workspace
    before = {k: v for k, v in snapshot(root).items()}

    def crash(*a, **k):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(ingest, "build", crash)
        try:
            ingest.add_files([write_plan_docx(tmp_path / "p.docx")])
        except KeyboardInterrupt:
            pass
    after = {k: v for k, v in snapshot(root).items() if "/.ingest/" not in k}
    assert after == before
    assert not _serving_and_consistent(None)
    assert ingest.add_files([tmp_path / "p.docx"]).added[0].doc_id == NEW_DOC  # the retry
    assert not (Settings().corpus_dir / ".ingest").exists()
