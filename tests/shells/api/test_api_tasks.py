"""The register's task fields, province filter, marks (admin key, audited) and the A4 exports
through the HTTP API, each real answer validated against the model its operation declares."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from api_helpers import assert_error
from openpyxl import load_workbook

from quydinh_bot.shells.api import models

TASK = "kh-376-2025/VI.2.1"  # "Đề xuất Trung ương giao biên chế năm 2026", due 10/9/2025


@pytest.fixture()
def admin(api):
    return {"X-API-Key": api[1]["admin"]}


@pytest.fixture()
def clean_marks(assistant):
    """Marks go to the shared assistant's data dir: take them away after the test."""
    yield
    for clause_id in {c["clause_id"] for c in assistant.task_history()}:
        if assistant.task(clause_id)["mark"]:
            assistant.mark_task(clause_id, "clear", "test")


def test_four_provinces_of_one_body_are_told_apart(client, headers):
    rows = client.get("/tasks", params={"lead": "Ban Tổ chức Tỉnh ủy", "limit": 1000}, headers=headers).json()
    for row in rows:
        models.TaskHit.model_validate(row)
    assert {r["province"] for r in rows} >= {"Lai Châu", "Thái Nguyên", "Lâm Đồng", "Tuyên Quang"}
    by_doc = {r["doc_id"]: (r["province"], r["document"]) for r in rows}
    assert by_doc["kh-376-2025"] == ("Lai Châu", "Phụ lục Kế hoạch 376-KH/TU")
    assert by_doc["ctr-26-2022"] == ("Tuyên Quang", "Chương trình hành động 26-CTr/TU")
    only = client.get("/tasks", params={"lead": "Ban Tổ chức Tỉnh ủy", "province": "tuyen quang", "limit": 1000},
                      headers=headers).json()
    assert only and {r["province"] for r in only} == {"Tuyên Quang"}
    assert client.get("/tasks", params={"province": "Hà Giang"}, headers=headers).json() == []


def test_recurring_tasks_are_never_overdue(client, headers):
    rows = client.get("/tasks", params={"status": "overdue", "limit": 1000}, headers=headers).json()
    assert rows and not [r for r in rows if "thường xuyên" in r["deadline"]["text"].lower()]
    assert {r["status"] for r in rows} == {"overdue"} and {r["status_label"] for r in rows} == {"Quá hạn"}


def test_an_admin_marks_a_task_done_then_ongoing_and_every_view_follows(client, headers, admin, spec_client,
                                                                         clean_marks, tmp_path):
    spec = spec_client
    task = client.get("/tasks", params={"status": "overdue", "doc": "kh-376-2025", "limit": 1000},
                      headers=headers).json()[0]["clause_id"]
    r = client.post(f"/tasks/{task}/status", json={"status": "done", "note": "CV 12"}, headers=admin)
    assert r.status_code == 200, r.text
    result = models.MarkResult.model_validate(r.json())
    assert (result.change.from_status, result.change.to_status, result.change.by) == (None, "done", "boss")
    assert result.task.status == "done" and result.task.mark is not None and result.task.mark.note == "CV 12"
    overdue = client.get("/tasks", params={"status": "overdue", "limit": 1000}, headers=headers).json()
    assert task not in {t["clause_id"] for t in overdue}
    done = client.get("/tasks", params={"status": "done", "limit": 1000}, headers=headers).json()
    assert task in {t["clause_id"] for t in done}
    r = client.post(f"/tasks/{task}/status", json={"status": "ongoing", "by": "Nguyễn Văn A"}, headers=admin)
    assert r.json()["task"]["status_label"] == "Quá hạn, đang thực hiện"
    assert r.json()["change"]["by"] == "Nguyễn Văn A (boss)"
    history = client.get(f"/tasks/{task}/history", headers=headers)
    changes = [models.MarkChange.model_validate(c) for c in history.json()]
    assert [(c.from_status, c.to_status) for c in changes] == [(None, "done"), ("done", "ongoing")]
    assert "/tasks/{clause_id}/status" in spec["paths"] and "/tasks/{clause_id}/history" in spec["paths"]


def test_marking_needs_an_admin_key_a_known_task_and_a_known_status(client, headers, admin, clean_marks):
    assert_error(client.post(f"/tasks/{TASK}/status", json={"status": "done"}, headers=headers), 403, "forbidden")
    assert_error(client.post(f"/tasks/{TASK}/status", json={"status": "done"}), 401)
    assert_error(client.post("/tasks/kh-376-2025/khong-co/status", json={"status": "done"}, headers=admin), 404,
                 "task_not_found")
    assert_error(client.post(f"/tasks/{TASK}/status", json={"status": "finished"}, headers=admin), 422)
    assert_error(client.get("/tasks/kh-376-2025/khong-co/history", headers=headers), 404, "task_not_found")


def test_a_mark_is_written_to_the_audit_log(assistant, tmp_path, clean_marks):
    from api_helpers import service_settings
    from fastapi.testclient import TestClient

    from quydinh_bot.shells.api import create_app
    from quydinh_bot.shells.api.auth import KeyStore

    settings = service_settings(assistant, tmp_path, audit_log=str(tmp_path / "audit.jsonl"))
    key = KeyStore(settings.keys_file).add("quan-tri", "admin")
    with TestClient(create_app(assistant, settings), raise_server_exceptions=False) as c:
        assert c.post(f"/tasks/{TASK}/status", json={"status": "done"}, headers={"X-API-Key": key}).status_code == 200
    lines = [json.loads(x) for x in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["action"], x["caller"], x["clause_id"], x["from_status"], x["to_status"]) for x in lines] == \
        [("task_mark", "quan-tri", TASK, None, "done")]


def test_exports_print_on_a4_with_status_and_province(client, headers):
    r = client.get("/tasks/export", params={"format": "xlsx", "lead": "Ban Tổ chức Tỉnh ủy"}, headers=headers)
    ws = load_workbook(io.BytesIO(r.content)).active
    head = [c.value for c in ws[1]]
    assert {"Tình trạng", "Tỉnh", "Văn bản"} <= set(head)
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"  # 9: A4
    assert ws.print_title_rows == "$1:$1" and int(ws.page_setup.fitToWidth) == 1
    provinces = {row[head.index("Tỉnh")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert provinces >= {"Lai Châu", "Thái Nguyên", "Lâm Đồng", "Tuyên Quang"}
    r = client.get("/tasks/export", params={"format": "docx", "province": "Lai Châu"}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].endswith("wordprocessingml.document")
    xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert 'w:w="16838"' in xml and 'w:orient="landscape"' in xml and "<w:tblHeader" in xml and "Lai Châu" in xml


@pytest.fixture(scope="module")
def spec_client(client):
    return client.get("/openapi.json").json()
