"""The page routes: served without a key, with strict security headers, nothing outside static/."""
from fastapi import FastAPI
from fastapi.testclient import TestClient

from quydinh_bot.web import CONTENT_SECURITY_POLICY, mount


def _client() -> TestClient:
    app = FastAPI()
    mount(app)
    return TestClient(app)


def test_page_has_security_headers_and_no_store():
    r = _client().get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"


def test_static_files_served_with_headers():
    c = _client()
    js = c.get("/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert js.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert c.get("/static/app.css").headers["content-type"].startswith("text/css")


def test_static_refuses_paths_outside_the_folder():
    c = _client()
    for name in ("../__init__.py", "%2e%2e/__init__.py", "..%2f__init__.py", "missing.js", "", "/etc/passwd"):
        assert c.get("/static/" + name).status_code == 404, name
