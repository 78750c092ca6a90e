"""Hardening of the real service (`quydinh-bot serve` in a subprocess on a free loopback port, its
own key store, data folder, audit log and captured log): request heads are bounded (431), a
protected route's key and admin role are checked before a byte of the body is read, the access
log cannot be written into (CR, LF, NUL, ANSI escapes), NUL and odd upload names are clean
404/400 without tracebacks, the audit log and upload folder are the owner's only, the first-run
key reaches the operator only, and through all of it the service keeps answering others.

Raw sockets where a client library would clean up what is sent."""
from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from live import free_port, own_data_dir, service_env, serving
from quydinh_bot.shells.api.auth import KeyStore

HEAD_LIMIT = 16 * 1024
DEAD_PID = 4_194_999  # above Linux's largest pid: never a running process


@pytest.fixture(scope="module")
def server(assistant, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    uploads = own_data_dir(assistant, tmp) / "uploads"  # what a crashed service left, and a live process's
    uploads.mkdir(mode=0o755)
    os.chmod(uploads, 0o755)
    (uploads / f"quydinh-upload-{DEAD_PID}-x1y2").mkdir()
    (uploads / f"quydinh-upload-{DEAD_PID}-x1y2" / "ke-hoach.docx").write_bytes(b"noi dung mat")
    (uploads / "quydinh-upload-cu9z").mkdir()
    (uploads / f"quydinh-upload-{os.getpid()}-live").mkdir()
    with serving(assistant, tmp, QUYDINH_AUDIT_LOG=str(tmp / "nhat-ky" / "rieng" / "audit.jsonl")) as srv:
        yield srv


def _raw(port: int, data: bytes, timeout: float = 5.0) -> tuple[int, dict, bytes]:
    """Send bytes as they are, read the answer until the server closes or the body is complete."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        return _read_response(s)


def _read_response(s: socket.socket) -> tuple[int, dict, bytes]:
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "-1"))
    while length < 0 or len(body) < length:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        body += chunk
    return status, headers, body


def _assert_error(status: int, headers: dict, body: bytes, expected: int, code: str) -> dict:
    assert status == expected, (status, body[:300])
    assert headers["content-type"].startswith("application/json")
    err = json.loads(body)["error"]
    assert err["code"] == code, err
    assert not err["message"].isascii(), err  # Vietnamese
    return err


# --- 4. request heads are bounded; the key comes before the body ---------------------------------

def test_a_head_over_the_bound_is_refused_at_once_and_others_are_answered(server):
    # a header that never ends: without a bound the parser waits (and buffers) for ever
    t0 = time.perf_counter()
    head = b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * (HEAD_LIMIT + 2048)
    status, headers, body = _raw(server.port, head)
    assert time.perf_counter() - t0 < 3
    err = _assert_error(status, headers, body, 431, "headers_too_large")
    assert str(HEAD_LIMIT) in err["message"] and headers["connection"] == "close"
    # so is a long request line
    status, headers, body = _raw(server.port, b"GET /" + b"a" * (HEAD_LIMIT + 10) + b" HTTP/1.1\r\nHost: t\r\n\r\n")
    _assert_error(status, headers, body, 431, "headers_too_large")
    # a head just under the bound, its body in the same write, is answered as usual
    pad = b"X-Pad: " + b"p" * (HEAD_LIMIT - 1024) + b"\r\n"
    ask = json.dumps({"q": "ai chu tri so hoa tai lieu", "k": 1}).encode()
    status, headers, body = _raw(server.port, b"POST /ask HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                                 b"X-API-Key: " + server.user.encode() + b"\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: " + str(len(ask)).encode() + b"\r\n" + pad + b"\r\n" + ask)
    assert status == 200 and json.loads(body)["answered"]
    # the bound is per request: one keep-alive connection carries many heads well past it in all
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        for _ in range(40):
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"k" * 1024 + b"\r\n\r\n")
            status, _, body = _read_response(s)
            assert status == 200 and json.loads(body) == {"status": "ok"}
    server.still_answers()


def test_a_huge_header_sent_in_pieces_neither_freezes_nor_is_buffered(server):
    """64 MB of one header, sent as fast as the socket takes it: the service cuts the connection
    after the bound (the client cannot send it all) and answers /healthz meanwhile without delay."""
    slowest, failed = [0.0], []
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                if server.call("/healthz", timeout=5)[0] != 200:
                    failed.append("status")
            except OSError as exc:
                failed.append(repr(exc))
            slowest[0] = max(slowest[0], time.perf_counter() - t0)
            time.sleep(0.01)

    t = threading.Thread(target=probe)
    t.start()
    sent, total, t0 = 0, 64 * 1024 * 1024, time.perf_counter()
    status = None
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ")
            piece = b"b" * 65536
            try:
                while sent < total:
                    s.sendall(piece)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                status = _read_response(s)[0]
            except (ConnectionResetError, IndexError, ValueError):
                status = None  # the 431 may be lost to the reset of a connection that kept sending
    finally:
        stop.set()
        t.join()
    assert sent < total / 4, sent  # refused long before the end: the rest was never read
    assert status in (431, None)
    assert time.perf_counter() - t0 < 5
    assert not failed and slowest[0] < 1.0, (failed, slowest)
    server.still_answers()


def _partial_upload(port: int, key: str | None, length: int = 15 * 1024 * 1024,
                    path: str = "/documents") -> tuple[int, dict, bytes, float]:
    """Headers announcing a large body (within the upload limit) and only its first 4 KiB: the
    answer must come without the server waiting for (reading) the rest."""
    boundary = "quydinh-test-boundary"
    start = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"to.docx\"\r\n"
             f"Content-Type: application/octet-stream\r\n\r\n").encode() + b"\0" * 4096
    head = (f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {length}\r\n" + (f"X-API-Key: {key}\r\n" if key is not None else "") + "\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        t0 = time.perf_counter()
        s.sendall(head + start)
        try:
            status, headers, body = _read_response(s)
        except socket.timeout:
            pytest.fail("no answer before the body was sent: the service waited to read it")
        return status, headers, body, time.perf_counter() - t0


def test_upload_without_key_or_admin_role_is_refused_before_the_body_is_read(server):
    for key, expected, code in [(None, 401, "missing_key"), ("", 401, "missing_key"),
                                ("qdb_" + "A" * 43, 401, "invalid_key"), (server.user, 403, "forbidden")]:
        status, headers, body, took = _partial_upload(server.port, key)
        _assert_error(status, headers, body, expected, code)
        assert took < 2 and headers.get("connection") == "close", (took, headers)
    # the same for any route with a body, and for the admin delete
    status, headers, body, _ = _partial_upload(server.port, None, length=60_000, path="/ask")
    _assert_error(status, headers, body, 401, "missing_key")
    status, headers, body = _raw(server.port, b"DELETE /documents/kh-376-2025 HTTP/1.1\r\nHost: t\r\n"
                                 b"X-API-Key: " + server.user.encode() + b"\r\nConnection: close\r\n\r\n")
    _assert_error(status, headers, body, 403, "forbidden")
    # an admin key is let through to the body (which then is incomplete): the gate is not a wall
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
        s.sendall(b"POST /documents HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Content-Length: 100000\r\nX-API-Key: " + server.admin.encode() + b"\r\n\r\n--b\r\n")
        with pytest.raises(socket.timeout):
            s.recv(1)
    server.still_answers()
    assert "kh-376-2025" in {d["doc_id"] for d in server.call("/documents", server.user)[1]}


# --- 6. logs, odd names, file modes, the first key, upload leftovers ------------------------------

FORGED = "DELETE /documents/kh-376-2025 200 3.0ms admin"


def test_access_log_escapes_control_characters(server):
    forged = FORGED.replace(" ", "%20")
    targets = [f"/x%0d%0a{forged}%0a", "/%1b[2J%1b[31mdo%1b[0m", "/a%00b", "/%e2%80%aeevil", "/t%09ab%5c"]
    for target in targets:
        status, _, _ = _raw(server.port, f"GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        assert status == 404
    # raw control bytes in the request line: refused by the parser or answered, never logged raw
    for raw in (b"GET /raw\x1b[31mred HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                b"GET /nul\x00x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"):
        assert _raw(server.port, raw)[0] in (400, 404)
    server.still_answers()
    time.sleep(0.2)
    log = server.log_path.read_bytes()
    for bad in (b"\x00", b"\x1b", b"\r", "\u202e".encode()):
        assert bad not in log, bad
    text = log.decode("utf-8")
    lines = text.splitlines()
    assert not [line for line in lines if line.lstrip().startswith(("DELETE", "GET", "POST", "200", "404"))]
    # the forged text is there, escaped, inside the one line of its request, with the real status
    assert re.search(r"GET /x\\r\\nDELETE\\x20/documents/kh-376-2025\\x20200\\x203\.0ms\\x20admin\\n 404 [\d.]+ms -$",
                     text, re.M), text[-2000:]
    assert "/\\x1b[2J\\x1b[31mdo\\x1b[0m 404" in text and "/a\\x00b 404" in text and "/\\u202eevil 404" in text
    assert "/t\\tab\\\\ 404" in text


def test_nul_in_static_paths_is_a_clean_404(server):
    for path in ("/static/%00", "/static/app%00.js", "/static/..%00/x", "/docs/static/%00", "/static/%1b.css"):
        request = f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode()
        status, headers, body = _raw(server.port, request)
        _assert_error(status, headers, body, 404, "not_found")
    server.still_answers()
    log = server.log()
    assert "Traceback" not in log and "Exception in ASGI" not in log and "lỗi không lường trước" not in log


def _multipart(filename: bytes, content: bytes, boundary: bytes = b"b0undary") -> tuple[bytes, bytes]:
    body = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + filename
            + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + b"\r\n--" + boundary + b"--\r\n")
    return body, b"multipart/form-data; boundary=" + boundary


def test_odd_upload_names_are_clean_400s_and_nothing_is_left(server):
    # none of these is a document the corpus could take: nothing is added
    names = [b"..", b".", b"../..", b"a\x00b.exe", b"\x00.txt", b"x" * 400 + b".bin", b"\x1b[31m.docx",
             "tài liệu\u202e.exe".encode(), b"C:\\fakepath\\..", b"   "]
    for name in names:
        content = b"" if name.endswith((b".txt", b".docx")) else b"khong phai van ban"
        body, ctype = _multipart(name, content)
        status, headers, out = _raw(server.port, b"POST /documents HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                                    b"X-API-Key: " + server.admin.encode() + b"\r\nContent-Type: " + ctype +
                                    b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body, timeout=30)
        err = _assert_error(status, headers, out, 400, "bad_document")
        assert err["message"].isprintable(), err
    server.still_answers()
    log = server.log()
    assert "Traceback" not in log and "Exception in ASGI" not in log and "lỗi không lường trước" not in log
    assert " 500 " not in log
    uploads = server.tmp / "data" / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == [f"quydinh-upload-{os.getpid()}-live"]


def test_upload_folder_is_owner_only_and_crash_leftovers_are_removed_at_start(server):
    uploads = server.tmp / "data" / "uploads"
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700
    left = {p.name for p in uploads.iterdir()}
    assert f"quydinh-upload-{DEAD_PID}-x1y2" not in left and "quydinh-upload-cu9z" not in left
    assert f"quydinh-upload-{os.getpid()}-live" in left  # a running process's folder is not touched


def test_audit_log_and_its_new_folders_are_owner_only(server):
    status, _ = server.call("/ask", server.user, {"q": "Thời hạn xây dựng Đề án Sổ tay Đảng viên điện tử?"})
    assert status == 200
    audit = server.tmp / "nhat-ky" / "rieng" / "audit.jsonl"
    assert "Sổ tay Đảng viên" in audit.read_text(encoding="utf-8")
    assert stat.S_IMODE(audit.stat().st_mode) == 0o600
    assert stat.S_IMODE(audit.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(audit.parent.parent.stat().st_mode) == 0o700


def test_first_run_key_is_shown_to_the_operator_only(server, assistant, tmp_path):
    # shown once on the operator's side (stdout, read here through a pipe), never in the log
    assert server.stdout.count(server.admin) == 1 and "keys add" in server.stdout
    assert "qdb_" not in server.log()
    # with stdout kept in a file (a log), no key is written there: none is made, and it says how to make one
    out = tmp_path / "stdout.log"
    own_data_dir(assistant, tmp_path)
    with out.open("w") as f:
        proc = subprocess.Popen([sys.executable, "-m", "quydinh_bot", "serve", "--port", str(free_port())],
                                env=service_env(assistant, tmp_path), stdout=f, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if "keys add admin --admin" in out.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = out.read_text(encoding="utf-8")
    assert "keys add admin --admin" in text and "qdb_" not in text
    assert KeyStore(tmp_path / "keys.sqlite3").list() == []
