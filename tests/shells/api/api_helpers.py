import dataclasses


def assert_error(r, status: int, code: str | None = None) -> dict:
    """A response in the one error shape, with a Vietnamese message and no traceback."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert {"code", "message"} <= set(err)
    assert isinstance(err["message"], str) and err["message"].strip()
    assert not err["message"].isascii(), err["message"]  # Vietnamese, not FastAPI's English
    assert "Traceback" not in r.text and 'File "' not in r.text
    if code:
        assert err["code"] == code, err
    return err


def service_settings(assistant, tmp_path, **changes):
    """The shared assistant's settings with a key store (and whatever else) in `tmp_path`."""
    changes.setdefault("keys_path", str(tmp_path / "keys.sqlite3"))
    changes.setdefault("rate_limit_per_minute", 0)
    changes.setdefault("audit_log", "")
    return dataclasses.replace(assistant.settings, **changes)
