"""The real service for tests: `quydinh-bot serve` in a subprocess on a free loopback port, with its
own key store and data folder (sharing the session's model and engine) and its log captured.
Tests that must show the service survives something (a crash string, a bomb, a raw socket) and
answers others meanwhile start it here."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
QUESTION = "ai chu tri so hoa tai lieu"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_env(assistant, tmp: Path, **extra: str) -> dict:
    """The environment of a service over the session's index, with its own keys and data folder."""
    return {**os.environ, "QUYDINH_INDEX_DIR": str(assistant.settings.index_dir), "QUYDINH_DATA_DIR": str(tmp / "data"),
            "QUYDINH_KEYS_FILE": str(tmp / "keys.sqlite3"), "QUYDINH_RATE_LIMIT": "0", "QUYDINH_AUDIT_LOG": "",
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])), **extra}


def own_data_dir(assistant, tmp: Path) -> Path:
    """A data folder of the test's own (uploads land here) sharing the session's model and engine."""
    data = tmp / "data"
    data.mkdir(exist_ok=True)
    for entry in Path(assistant.settings.data_dir).iterdir():
        if entry.name != "uploads" and not (data / entry.name).exists():
            (data / entry.name).symlink_to(entry)
    return data


class Server:
    """A running service: its port, the first-run admin key it printed, a normal key, its log."""

    def __init__(self, proc: subprocess.Popen, port: int, log: Path, stdout: str, tmp: Path,
                 question: str = QUESTION):
        from quydinh_bot.shells.api.auth import KeyStore

        self.question = question  # one its corpus answers
        self.proc, self.port, self.log_path, self.stdout, self.tmp = proc, port, log, stdout, tmp
        self.admin = re.search(r"qdb_[\w-]+", stdout).group(0)
        self.user = KeyStore(tmp / "keys.sqlite3").add("can-bo")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_bytes().decode("utf-8", "replace")

    def call(self, path: str, key: str | None = None, body: dict | None = None, timeout: float = 30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers={
            "Content-Type": "application/json", **({"X-API-Key": key} if key else {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def ask(self, question: str, k: int = 5, key: str | None = None):
        return self.call("/ask", key or self.user, {"q": question, "k": k})

    def still_answers(self) -> None:
        """Alive, and an authorised question is answered."""
        assert self.proc.poll() is None, "the service is gone"
        assert self.call("/healthz", timeout=5) == (200, {"status": "ok"})
        status, out = self.ask(self.question, k=1)
        assert status == 200 and out["answered"], out


@contextmanager
def serving(assistant, tmp: Path, question: str = QUESTION, **env: str):
    """Start the service, wait until it is ready and answers `question`, yield it, stop it."""
    own_data_dir(assistant, tmp)
    port, log = free_port(), tmp / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "quydinh_bot", "serve", "--port", str(port)],
                                env=service_env(assistant, tmp, **env), stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        lines = [proc.stdout.readline()]  # the URL, the first-run key, then a line of help
        while lines[-1] and "qdb_" not in lines[-1] and len(lines) < 5:
            lines.append(proc.stdout.readline())
        head = "".join(lines + [proc.stdout.readline()])
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # drain
        srv = Server(proc, port, log, head, tmp, question)
        for _ in range(1200):
            try:
                if srv.call("/readyz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        srv.still_answers()
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
