"""The page routes: served without a key, with strict security headers, nothing outside static/."""
from fastapi import FastAPI
from fastapi.testclient import TestClient

from quydinh_bot.shells.web import CONTENT_SECURITY_POLICY, mount


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


def test_page_config_gives_the_service_today(monkeypatch):
    from quydinh_bot.config import Settings

    monkeypatch.setenv("QUYDINH_TODAY", "2025-09-01")
    app = FastAPI()
    mount(app, Settings())
    r = TestClient(app).get("/web/config")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert r.json() == {"today": "2025-09-01", "upcoming_days": 30}


def test_static_files_load_nothing_from_outside_and_run_no_inline_code():
    import re

    from quydinh_bot.shells.web import STATIC_DIR

    names = sorted(p.name for p in STATIC_DIR.iterdir())
    assert {"index.html", "app.js", "app.css"} <= set(names)
    for p in STATIC_DIR.iterdir():
        text = p.read_text(encoding="utf-8")
        # any absolute URL would be another origin (the only ones allowed are in comments/doc links: none)
        assert not re.search(r"(?:https?:)?//[\w.-]+\.\w+/", re.sub(r"xmlns=\"[^\"]+\"", "", text)), p.name
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert not re.search(r"\son\w+\s*=", html) and " style=" not in html and "<style" not in html
    js = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    # document text never goes through HTML parsing
    assert "innerHTML" not in js and "outerHTML" not in js and "insertAdjacentHTML" not in js
    assert "document.write" not in js and "eval(" not in js
    assert "localStorage" not in js  # the key lives in sessionStorage only
