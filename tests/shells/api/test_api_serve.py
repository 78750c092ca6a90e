"""`quydinh-bot serve` for real: a subprocess on a free loopback port prints its URL and the
first-run key once, becomes ready, answers with that key, and stops on SIGTERM."""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, key: str | None = None, data: bytes | None = None):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json",
                                                          **({"X-API-Key": key} if key else {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_serve_prints_url_and_first_key_then_answers(assistant, tmp_path):
    port = _free_port()
    env = dict(os.environ, QUYDINH_INDEX_DIR=str(assistant.settings.index_dir),
               QUYDINH_DATA_DIR=str(assistant.settings.data_dir), QUYDINH_KEYS_FILE=str(tmp_path / "keys.sqlite3"),
               QUYDINH_AUDIT_LOG="", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen([sys.executable, "-m", "quydinh_bot", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        head = [proc.stdout.readline() for _ in range(3)]
        assert f"http://127.0.0.1:{port}/" in head[0]
        key = re.search(r"qdb_[\w-]+", "".join(head)).group(0)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # the index and model load in the background; alive meanwhile
            try:
                status, body = _get(base + "/readyz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200 and body["documents"] == 5
        assert _get(base + "/healthz") == (200, {"status": "ok"})
        status, out = _get(base + "/ask", key, json.dumps({"q": "ai chu tri so hoa tai lieu"}).encode())
        assert status == 200 and out["answered"] and "số hóa tài liệu" in out["hits"][0]["text"]
        assert _get(base + "/documents")[0] == 401
    finally:
        proc.terminate()
        # uvicorn shuts down gracefully, then re-raises the signal it caught
        assert proc.wait(timeout=30) in (0, -15)
    # a second start prints no key: the first one is still valid
    proc = subprocess.Popen([sys.executable, "-m", "quydinh_bot", "serve", "--port", str(_free_port())], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = proc.stdout.readline()
        assert "http://127.0.0.1:" in first
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=30)[0]
    assert "qdb_" not in first + rest
