"""A small corpus (one programme) with a built index, built once per session and copied for
each test that changes it, so `add`/`remove` run against the real model without rebuilding."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quydinh_bot.config import PROJECT_DIR

BASE_DOC = "ctr-01-btctu-2026_chuong-trinh-cong-tac-to-chuc-xay-dung-dang-2026.txt"
BASE_META = '''["%s"]
id = "ctr-01-2026"
kind = "chương trình"
issuer = "Ban Tổ chức Tỉnh ủy"
province = "Thái Nguyên"
title = "Chương trình công tác tổ chức xây dựng đảng năm 2026"
''' % BASE_DOC


def make_env(root: Path, data_dir: Path) -> dict[str, str]:
    return {"QUYDINH_CORPUS_DIR": str(root / "corpus"), "QUYDINH_INDEX_DIR": str(root / "index"),
            "QUYDINH_DATA_DIR": str(data_dir), "QUYDINH_TODAY": "2026-08-20",
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


@pytest.fixture(scope="session")
def base_workspace(converted_model_dir, tmp_path_factory):
    """corpus/ (ctr-01 only) + index/ built with the converted model."""
    from quydinh_bot.config import Settings
    from quydinh_bot.index.build import build_index

    root = tmp_path_factory.mktemp("ingest-base")
    (root / "corpus").mkdir()
    shutil.copy(PROJECT_DIR / "corpus" / BASE_DOC, root / "corpus" / BASE_DOC)
    (root / "corpus" / "metadata.toml").write_text(BASE_META, encoding="utf-8")
    data_dir = converted_model_dir.parent.parent
    mp = pytest.MonkeyPatch()
    for k, v in make_env(root, data_dir).items():
        mp.setenv(k, v)
    build_index(Settings())
    mp.undo()
    return root, data_dir


@pytest.fixture
def workspace(base_workspace, tmp_path, monkeypatch):
    """A private copy of the base workspace, made the process's settings."""
    base, data_dir = base_workspace
    root = tmp_path / "ws"
    shutil.copytree(base, root, symlinks=True)
    env = make_env(root, data_dir)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return root, env
