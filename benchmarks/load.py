"""Load benchmark of the HTTP service, on loopback only. Prints; asserts nothing.

    .venv/bin/python benchmarks/load.py [--clients 1,32] [--seconds 8] [--max-requests 2000]

Starts `quydinh-bot serve` as a subprocess on 127.0.0.1 with a free port, its own key store in a
temp dir and the rate limit off (one key, many clients), and measures:
  * start-up: seconds from launch until `/readyz` answers 200 (target ≤ 15 s);
  * for each client count, N concurrent clients (threads, one keep-alive connection each, each
    asking the questions in its own seeded random order),
    the server's own CPU time per request beside the latencies (what a busy machine moves least),
    each sending requests back to back for at most --seconds or --max-requests in all:
    `/ask` over a fixed set of questions and `/tasks` over a set of filters;
    throughput, p50/p95/p99 latency and errors (target: 0 errors at 32 clients; /ask p95
    ≤ 50 ms at 1 client and ≤ 150 ms at 32).
The service runs twice: with the answer cache off, over every question of eval/*.jsonl as
written and without accents (512 distinct texts, so every request goes through the model: real
uncached latency), and with it on (the default) over a small fixed set asked again and again. Each
line ends with the 1-minute load average: the machine is shared, and the figures move with it.
The server stops by itself.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

from search import QUESTIONS as SEARCH_QUESTIONS  # benchmarks/ is on the path when run as a script

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = SEARCH_QUESTIONS + [  # the search benchmark's questions, plus register and list ones
    "Ban Tổ chức Tỉnh ủy chủ trì những việc gì trong Kế hoạch 376?", "việc nào quá hạn?",
    "Cơ quan nào chủ trì chỉ định đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XV?",
    "Thời hạn xây dựng Đề án Sổ tay Đảng viên điện tử?", "Tuổi trung bình của đảng viên là bao nhiêu?",
    "ai chu tri to chuc dai hoi dang bo cong an tinh",
]


def _strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn"))


def eval_questions() -> list[str]:
    """Every eval question, as written and unaccented, each text once: the uncached run's set."""
    out: dict[str, None] = {}
    for path in sorted((ROOT / "eval").glob("questions_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)["q"]
                out.setdefault(q)
                out.setdefault(_strip_accents(q))
    return list(out) or QUESTIONS


TASK_QUERIES = [{}, {"lead": "ban to chuc"}, {"status": "overdue"}, {"doc": "kh-376-2025", "sort": "document"},
                {"due_before": "2025-12-31", "due_after": "2025-09-01"}, {"q": "dai hoi", "limit": 20},
                {"partner": "Văn phòng Tỉnh ủy"}, {"kind": "quarter"}]
TARGETS = {("/ask", 1): 50.0, ("/ask", 32): 150.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


class Server:
    """`quydinh-bot serve` in a subprocess: started, waited for, stopped."""

    def __init__(self, tmp: Path, cache: bool):
        self.port = free_port()
        env = dict(os.environ, QUYDINH_KEYS_FILE=str(tmp / f"keys-{cache}.sqlite3"), QUYDINH_RATE_LIMIT="0",
                   QUYDINH_AUDIT_LOG="", QUYDINH_ANSWER_CACHE="512" if cache else "0",
                   HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "quydinh_bot", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port)], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self.key = ""
        for line in self.proc.stdout:  # the first-run key is printed on its own line
            m = re.search(r"\b(qdb_[\w-]+)", line)
            if m:
                self.key = m.group(1)
                break
        if not self.key:
            self.stop()
            raise SystemExit("Dịch vụ không in ra khóa API lần đầu; không đo được.")
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()  # drain

    def wait_ready(self, timeout: float = 120) -> float:
        while time.perf_counter() - self.t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit("Dịch vụ đã dừng khi khởi động.")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return time.perf_counter() - self.t0
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"Dịch vụ chưa sẵn sàng sau {timeout:.0f} giây.")

    def cpu_seconds(self) -> float:
        """CPU time the server has used (Linux), a start-up figure that a busy machine moves less."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def run(port: int, key: str, route: str, clients: int, seconds: float, max_requests: int,
        questions: list[str] = QUESTIONS) -> dict:
    """`clients` threads, back to back, until the time or the request budget is spent."""
    lat: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    budget = threading.Semaphore(max_requests)
    deadline = time.perf_counter() + seconds
    start = threading.Barrier(clients)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"X-API-Key": key, "Content-Type": "application/json"}
        # each client its own order (seeded): in the files' order all clients would ask the same
        # part of a set (the 30 longest questions, the register ones) at the same moment
        order = random.Random(i).sample(range(len(questions)), len(questions))
        n = 0
        start.wait()
        while time.perf_counter() < deadline and budget.acquire(blocking=False):
            if route == "/ask":
                method, path = "POST", "/ask"
                body = json.dumps({"q": questions[order[n % len(order)]], "k": 5}).encode()
            else:
                method, path, body = "GET", "/tasks?" + urlencode(TASK_QUERIES[(i + n) % len(TASK_QUERIES)]), None
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            lat[i].append((time.perf_counter() - t0) * 1000)
            errors[i] += not ok
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0, cpu0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    ms = [x for xs in lat for x in xs]
    return {"route": route, "clients": clients, "requests": len(ms), "errors": sum(errors), "seconds": elapsed,
            "rps": len(ms) / elapsed if elapsed else 0.0, "p50": pct(ms, 50), "p95": pct(ms, 95), "p99": pct(ms, 99),
            "mean": statistics.fmean(ms) if ms else float("nan"), "load": os.getloadavg()[0],
            "client_cpu_ms": cpu * 1000 / max(1, len(ms))}


def line(r: dict) -> str:
    target = TARGETS.get((r["route"], r["clients"]))
    goal = f"target p95 ≤ {target:.0f} ms" + (", 0 errors" if r["clients"] >= 32 else "") if target else (
        "target 0 errors" if r["clients"] >= 32 else "")
    return (f"{r['route']:7s} {r['clients']:3d} clients  {r['rps']:7.1f} req/s  p50 {r['p50']:7.1f}  "
            f"p95 {r['p95']:7.1f}  p99 {r['p99']:7.1f} ms  errors {r['errors']}/{r['requests']}  "
            f"CPU/req server {r.get('cpu_ms', float('nan')):4.1f} client {r['client_cpu_ms']:4.1f} ms  "
            f"load {r['load']:.1f}   {goal}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="1,32", help="client counts, comma-separated (at most 64)")
    ap.add_argument("--seconds", type=float, default=8.0, help="time per run (at most 60)")
    ap.add_argument("--max-requests", type=int, default=2000, help="request budget per run (at most 20000)")
    ap.add_argument("--cache", choices=["off", "on", "both"], default="both")
    args = ap.parse_args()
    counts = [min(64, max(1, int(c))) for c in args.clients.split(",") if c.strip()]
    seconds, budget = min(60.0, args.seconds), min(20000, args.max_requests)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    modes = {"off": [False], "on": [True], "both": [False, True]}[args.cache]
    uncached = eval_questions()
    with tempfile.TemporaryDirectory() as tmp:
        for cache in modes:
            server = Server(Path(tmp), cache)
            try:
                ready = server.wait_ready()
                questions = QUESTIONS if cache else uncached
                print(f"\n== answer cache {'on' if cache else 'off'}, {len(questions)} distinct questions: /readyz 200 "
                      f"after {ready:.1f} s (target ≤ 15 s; {server.cpu_seconds():.1f} s of CPU)")
                for route in ("/ask", "/tasks"):
                    if cache:  # fill the cache once so the runs measure repeated questions
                        run(server.port, server.key, route, 1, 60, len(QUESTIONS))
                    for n in counts:
                        cpu = server.cpu_seconds()
                        r = run(server.port, server.key, route, n, seconds, budget, questions)
                        r["cpu_ms"] = (server.cpu_seconds() - cpu) * 1000 / max(1, r["requests"])
                        print(line(r), flush=True)
            finally:
                server.stop()
    print(f"\nload average {os.getloadavg()[0]:.1f} at end (the machine is shared; figures move with it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
