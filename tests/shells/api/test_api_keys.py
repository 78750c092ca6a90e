"""The key store and `quydinh-bot keys`: hashed at rest, shown once, names unique, revocable."""
import os
import stat

import pytest

from quydinh_bot.shells.api.auth import KeyStore, KeyStoreError
from quydinh_bot.shells.cli import main


def test_keys_are_stored_hashed_and_verified(tmp_path):
    store = KeyStore(tmp_path / "k" / "keys.sqlite3")
    key = store.add("alice")
    assert key.startswith("qdb_") and len(key) > 40
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir())
    assert key.encode() not in raw and key[4:].encode() not in raw
    assert store.verify(key).name == "alice" and store.verify(key).role == "user"
    assert store.verify(key + "x") is None and store.verify("") is None and store.verify("x" * 10_000) is None
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.add("bob") != store.add("carol")


def test_names_are_unique_valid_and_revocable(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite3")
    store.add("alice", "admin")
    with pytest.raises(KeyStoreError, match="Đã có khóa"):
        store.add("alice")
    for bad in ["", "có dấu cách", "a" * 65, "x;drop"]:
        with pytest.raises(KeyStoreError):
            store.add(bad)
    with pytest.raises(KeyStoreError, match="Vai trò"):
        store.add("eve", "root")
    store.revoke("alice")
    with pytest.raises(KeyStoreError, match="Không có khóa"):
        store.revoke("alice")
    [k] = store.list()
    assert k.name == "alice" and not k.active and k.role == "admin"


def test_first_run_key_only_once(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite3")
    first = store.ensure_first_key()
    assert first and store.verify(first).is_admin
    assert store.ensure_first_key() is None
    store.revoke("admin")
    second = store.ensure_first_key()  # every key revoked: a new admin key, under a fresh name
    assert second and store.verify(second).name == "admin2"


def test_keys_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QUYDINH_KEYS_FILE", str(tmp_path / "keys.sqlite3"))
    assert main(["keys", "add", "can-bo-1"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert KeyStore(tmp_path / "keys.sqlite3").verify(key).name == "can-bo-1"
    assert main(["keys", "add", "quan-tri", "--admin"]) == 0
    capsys.readouterr()
    assert main(["keys", "list"]) == 0
    out = capsys.readouterr().out
    assert "can-bo-1" in out and "quan-tri" in out and "admin" in out and key not in out
    assert main(["keys", "revoke", "can-bo-1"]) == 0
    assert KeyStore(tmp_path / "keys.sqlite3").verify(key) is None
    assert main(["keys", "revoke", "can-bo-1"]) == 2
    assert main(["keys", "add", "quan-tri"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and "Traceback" not in err


def test_serve_refuses_a_missing_index_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QUYDINH_INDEX_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("QUYDINH_KEYS_FILE", str(tmp_path / "keys.sqlite3"))
    assert main(["serve", "--port", "8123"]) == 2
    err = capsys.readouterr().err
    assert "quydinh-bot index" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "keys.sqlite3").exists()
