"""POST /documents and DELETE /documents/{id} (admin key only): the shell over ingest/ that a
running service uses; the new plan is answered at once, bad files change nothing."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ingest.fixtures import snapshot, write_plan_docx
from quydinh_bot import Assistant
from quydinh_bot.config import Settings
from quydinh_bot.shells.api import create_app
from quydinh_bot.shells.api.auth import KeyStore


@pytest.fixture
def api(workspace, tmp_path):
    root, _ = workspace
    settings = Settings()
    import dataclasses

    settings = dataclasses.replace(settings, keys_path=str(tmp_path / "keys.sqlite3"), rate_limit_per_minute=0)
    store = KeyStore(settings.keys_file)
    keys = {"admin": {"X-API-Key": store.add("boss", "admin")}, "user": {"X-API-Key": store.add("staff")}}
    with TestClient(create_app(Assistant(), settings), raise_server_exceptions=False) as client:
        yield client, keys, root


def test_add_question_remove_through_the_api(api, tmp_path):
    client, keys, root = api
    plan = write_plan_docx(tmp_path / "ke-hoach-512.docx")
    files = {"files": ("ke-hoach-512.docx", plan.read_bytes(),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}
    refused = client.post("/documents", files=files, headers=keys["user"])
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    r = client.post("/documents", files=files, headers=keys["admin"])
    assert r.status_code == 201, r.text
    assert [a["doc_id"] for a in r.json()["added"]] == ["kh-512-2026"]
    assert r.json()["embedded"] == ["kh-512-2026"]
    docs = client.get("/documents", headers=keys["user"]).json()
    assert "kh-512-2026" in {d["doc_id"] for d in docs}
    tasks = client.get("/tasks", params={"doc": "kh-512-2026"}, headers=keys["user"])
    assert tasks.status_code == 200 and int(tasks.headers["x-total-count"]) == 3
    again = client.post("/documents", files=files, headers=keys["admin"])  # same content: refused, one line
    assert again.status_code == 400 and again.json()["error"]["code"] == "bad_document"
    gone = client.delete("/documents/kh-512-2026", headers=keys["admin"])
    assert gone.status_code == 200 and gone.json()["removed"] == ["kh-512-2026"]
    assert "kh-512-2026" not in {d["doc_id"] for d in client.get("/documents", headers=keys["user"]).json()}
    assert client.delete("/documents/kh-512-2026", headers=keys["admin"]).status_code == 404


def test_bad_upload_changes_nothing(api):
    client, keys, root = api
    before = snapshot(root)
    r = client.post("/documents", files={"files": ("x.pdf", b"\x00\x01garbage" * 100, "application/pdf")},
                    headers=keys["admin"])
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_document"
    assert "Traceback" not in r.text and not r.json()["error"]["message"].isascii()
    assert client.post("/documents", files={"files": ("a.txt", b"x", "text/plain")}, data={"meta": ["bad"]},
                       headers=keys["admin"]).status_code == 400
    assert snapshot(root) == before
