"""Keys, roles, rate limit, body limit, CORS, headers, audit and logs: what keeps the
documents ("Việc phát tán, sử dụng trái phép bị nghiêm cấm") with authorised people."""
import json
import logging

import pytest
from api_helpers import assert_error, service_settings
from fastapi import Depends
from fastapi.testclient import TestClient

from quydinh_bot.shells.api import create_app
from quydinh_bot.shells.api.auth import KeyStore, require_admin

PROTECTED = [("post", "/ask", {"json": {"q": "ai chủ trì số hóa tài liệu"}}), ("get", "/tasks", {}),
             ("get", "/tasks/export?format=csv", {}), ("get", "/clauses/kh-376-2025/VI.2.1", {}),
             ("get", "/documents", {})]
QUESTION = "Ai chủ trì số hóa tài liệu của các cơ quan?"


def _app(assistant, tmp_path, **changes):
    settings = service_settings(assistant, tmp_path, **changes)
    return create_app(assistant, settings), KeyStore(settings.keys_file)


@pytest.mark.parametrize("method,path,kw", PROTECTED)
def test_every_route_needs_a_valid_unrevoked_key(client, api, method, path, kw):
    _, keys, store = api
    call = getattr(client, method)
    assert_error(call(path, **kw), 401, "missing_key")
    assert_error(call(path, headers={"X-API-Key": ""}, **kw), 401, "missing_key")
    assert_error(call(path, headers={"X-API-Key": "qdb_" + "A" * 43}, **kw), 401, "invalid_key")
    assert_error(call(path, headers={"X-API-Key": keys["user"][:-1]}, **kw), 401, "invalid_key")
    assert call(path, headers={"X-API-Key": keys["user"]}, **kw).status_code == 200


def test_revoked_key_is_refused_at_the_next_request(assistant, tmp_path):
    app, store = _app(assistant, tmp_path)
    key = store.add("short-lived")
    with TestClient(app) as c:
        assert c.get("/documents", headers={"X-API-Key": key}).status_code == 200
        KeyStore(store.path).revoke("short-lived")  # as `quydinh-bot keys revoke` would, from another process
        assert_error(c.get("/documents", headers={"X-API-Key": key}), 401, "invalid_key")
        new = store.add("short-lived")  # the name may be given a new key; the old one stays dead
        assert c.get("/documents", headers={"X-API-Key": new}).status_code == 200
        assert_error(c.get("/documents", headers={"X-API-Key": key}), 401, "invalid_key")


def test_admin_dependency(assistant, tmp_path):
    app, store = _app(assistant, tmp_path)

    @app.post("/_admin_only")
    def admin_only(key=Depends(require_admin)) -> dict:
        return {"name": key.name}

    user, admin = store.add("u"), store.add("a", "admin")
    with TestClient(app) as c:
        assert_error(c.post("/_admin_only"), 401, "missing_key")
        assert_error(c.post("/_admin_only", headers={"X-API-Key": user}), 403, "forbidden")
        assert c.post("/_admin_only", headers={"X-API-Key": admin}).json() == {"name": "a"}


def test_rate_limit_per_key(assistant, tmp_path):
    app, store = _app(assistant, tmp_path, rate_limit_per_minute=3)
    k1, k2 = store.add("one"), store.add("two")
    with TestClient(app) as c:
        for _ in range(3):
            assert c.get("/documents", headers={"X-API-Key": k1}).status_code == 200
        r = c.get("/documents", headers={"X-API-Key": k1})
        assert_error(r, 429, "rate_limited")
        assert int(r.headers["Retry-After"]) >= 1
        assert c.get("/documents", headers={"X-API-Key": k2}).status_code == 200  # others unaffected
        assert c.get("/healthz").status_code == 200


def test_request_body_limit(assistant, tmp_path):
    app, store = _app(assistant, tmp_path, max_request_bytes=2048)
    h = {"X-API-Key": store.add("k"), "Content-Type": "application/json"}
    with TestClient(app) as c:
        big = json.dumps({"q": "ai chủ trì " * 500})
        assert_error(c.post("/ask", content=big, headers=h), 413, "payload_too_large")

        def chunks():  # no Content-Length: counted while read
            for _ in range(10):
                yield b'{"q": "' + b"a" * 500

        assert_error(c.post("/ask", content=chunks(), headers=h), 413, "payload_too_large")
        assert c.post("/ask", json={"q": "ai chủ trì số hóa tài liệu"}, headers=h).status_code == 200


def test_cors_closed_by_default_and_open_only_to_named_origins(assistant, tmp_path, client, headers):
    origin = {"Origin": "https://example.org"}
    r = client.get("/tasks?limit=1", headers={**headers, **origin})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/ask", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers
    app, store = _app(assistant, tmp_path, cors_origins=("https://intranet.example",))
    with TestClient(app) as c:
        h = {"X-API-Key": store.add("k"), "Origin": "https://intranet.example"}
        r = c.get("/tasks?limit=1", headers=h)
        assert r.headers["access-control-allow-origin"] == "https://intranet.example"
        assert "X-Total-Count" in r.headers["access-control-expose-headers"]
        r = c.get("/tasks?limit=1", headers={**h, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_security_headers_on_api_responses(client, headers):
    for r in (client.get("/healthz"), client.get("/tasks?limit=1", headers=headers), client.get("/nope")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert "server" not in {k.lower() for k in r.headers} or "uvicorn" not in r.headers.get("server", "")


def test_unexpected_error_is_a_500_in_the_shape_without_details(assistant, tmp_path, caplog):
    app, store = _app(assistant, tmp_path)

    @app.get("/_boom")
    def boom() -> dict:
        raise RuntimeError("câu hỏi bí mật của người dùng")

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.INFO):
        err = assert_error(c.get("/_boom"), 500, "internal_error")
    assert "bí mật" not in err["message"]
    assert "RuntimeError" in caplog.text and "bí mật" not in caplog.text


def test_logs_carry_no_question_text_without_audit(assistant, tmp_path, caplog):
    app, store = _app(assistant, tmp_path)
    h = {"X-API-Key": store.add("nguoi-hoi")}
    with TestClient(app) as c, caplog.at_level(logging.DEBUG):
        assert c.post("/ask", json={"q": QUESTION}, headers=h).status_code == 200
        assert c.get("/tasks", params={"q": "đại hội"}, headers=h).status_code == 200
    assert "POST /ask 200" in caplog.text and "nguoi-hoi" in caplog.text  # the access log is there
    assert "số hóa" not in caplog.text and "đại hội" not in caplog.text and "dai" not in caplog.text


def test_audit_log_when_the_operator_turns_it_on(assistant, tmp_path):
    audit = tmp_path / "audit" / "api.jsonl"
    app, store = _app(assistant, tmp_path, audit_log=str(audit))
    h = {"X-API-Key": store.add("can-bo-1")}
    with TestClient(app) as c:
        out = c.post("/ask", json={"q": QUESTION, "k": 2}, headers=h).json()
    lines = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1
    rec = lines[0]
    assert rec["caller"] == "can-bo-1" and rec["question"] == QUESTION and rec["channel"] == "api"
    assert rec["clause_ids"] == [hit["clause_id"] for hit in out["hits"]]
    assert rec["time"]


def test_not_ready_until_the_index_loads(tmp_path, assistant):
    """Started without an index: alive, not ready (503 with what to run), questions refused alike."""
    settings = service_settings(assistant, tmp_path, index_dir=tmp_path / "no-index")
    store = KeyStore(settings.keys_file)
    h = {"X-API-Key": store.add("k")}
    app = create_app(settings=settings)
    with TestClient(app) as c:
        app.state.service._thread.join(timeout=30)
        assert c.get("/healthz").status_code == 200
        err = assert_error(c.get("/readyz"), 503, "not_ready")
        assert "quydinh-bot index" in err["message"]
        assert_error(c.post("/ask", json={"q": QUESTION}, headers=h), 503, "not_ready")
        assert_error(c.get("/tasks", headers=h), 503, "not_ready")


class CountingAssistant:
    """The shared assistant, counting the questions that reach it."""

    def __init__(self, inner):
        self.inner, self.asked = inner, 0

    def ask(self, question, k=5):
        self.asked += 1
        return self.inner.ask(question, k=k)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_repeated_questions_are_answered_from_the_cache_and_still_audited(assistant, tmp_path):
    counting = CountingAssistant(assistant)
    settings = service_settings(assistant, tmp_path, audit_log=str(tmp_path / "audit.jsonl"))
    store = KeyStore(settings.keys_file)
    h = {"X-API-Key": store.add("k")}
    with TestClient(create_app(counting, settings)) as c:
        first = c.post("/ask", json={"q": QUESTION}, headers=h).json()
        again = c.post("/ask", json={"q": QUESTION}, headers=h).json()
        other_k = c.post("/ask", json={"q": QUESTION, "k": 2}, headers=h).json()
    assert first == again and len(other_k["hits"]) <= 2
    assert counting.asked == 2
    assert len((tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()) == 3

    counting.asked = 0
    off = service_settings(assistant, tmp_path, answer_cache_size=0)
    with TestClient(create_app(counting, off)) as c:
        for _ in range(2):
            c.post("/ask", json={"q": QUESTION}, headers=h)
    assert counting.asked == 2
