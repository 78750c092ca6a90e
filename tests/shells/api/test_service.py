"""The service's turns: questions answered side by side (the engine encodes two at once) give the
answers one-at-a-time gives, at most `ask_concurrency` run at once, waiters go in arrival order, and a
question alone gets every core."""
import dataclasses
import threading
import time

import anyio
import pytest

from quydinh_bot.shells.api import service as service_module
from quydinh_bot.shells.api.service import Service, ask_concurrency

QUESTIONS = [
    "Ai chủ trì số hóa tài liệu, hạn khi nào?", "ai chu tri so hoa tai lieu", "Năm 2026 bao nhiêu phần trăm chi bộ "
    "phải duy trì sinh hoạt định kỳ?", "Ban Tổ chức Tỉnh ủy chủ trì những việc gì trong Kế hoạch 376?",
    "việc nào quá hạn?", "Cơ quan nào chủ trì chỉ định đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XV?",
    "Thời hạn xây dựng Đề án Sổ tay Đảng viên điện tử?", "Tuổi trung bình của đảng viên là bao nhiêu?",
    "ai chu tri to chuc dai hoi dang bo cong an tinh", "kh 376 giao ban tuyen giao viec gi",
    "Chỉ tiêu kết nạp đảng viên trong doanh nghiệp năm 2026?", "giá vàng hôm nay bao nhiêu",
]


def test_concurrent_questions_get_the_sequential_answers(assistant):
    settings = dataclasses.replace(assistant.settings, ask_concurrency=2, answer_cache_size=0, audit_log="")
    svc = Service(settings, assistant)
    expected = {(q, k): assistant.ask(q, k=k) for q in QUESTIONS for k in (1, 5)}
    got: dict[tuple[str, int], list[dict]] = {key: [] for key in expected}

    async def client(i: int) -> None:
        for j in range(len(expected)):
            key = list(expected)[(i * 5 + j) % len(expected)]
            got[key].append(await svc.ask(key[0], key[1], caller="test"))

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for i in range(8):
                tg.start_soon(client, i)

    anyio.run(main)
    assert all(len(v) == 8 for v in got.values())
    for key, answers in got.items():
        assert all(a == expected[key] for a in answers), key


class SlowAssistant:
    """Stands in for `Assistant`: each question takes a while, and who was inside when is recorded."""

    version = "v1"

    def __init__(self, fail_on: str = ""):
        self.inside = self.most = 0
        self.started: list[str] = []
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def stale(self) -> bool:
        return False

    def ask(self, question: str, k: int = 5) -> dict:
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.started.append(question)
        time.sleep(0.05)  # far longer than the arrivals' spacing
        with self._lock:
            self.inside -= 1
        if question == self.fail_on:
            raise ValueError("câu hỏi bị từ chối")
        return {"question": question, "hits": [], "answered": False}


def _serve(svc: Service, questions: list[str]) -> list[str]:
    """Ask `questions` concurrently, each arriving just after the one before; what each got."""
    out: list[str] = []

    async def one(q: str) -> None:
        try:
            out.append((await svc.ask(q, 5, caller="test"))["question"])
        except ValueError:
            out.append("refused")

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for q in questions:
                tg.start_soon(one, q)
                await anyio.sleep(0.002)  # arrival order

    anyio.run(main)
    return out


def test_at_most_n_questions_at_once_and_in_arrival_order(assistant):
    fake = SlowAssistant(fail_on="q2")
    settings = dataclasses.replace(assistant.settings, ask_concurrency=2, answer_cache_size=0, audit_log="")
    questions = [f"q{i}" for i in range(10)]
    got = _serve(Service(settings, fake), questions)
    assert fake.most == 2 and fake.inside == 0
    assert fake.started == questions  # the limiter lets waiters in first come, first served
    assert sorted(got) == sorted(["refused"] + [q for q in questions if q != "q2"])  # a refusal frees its turn


def test_a_question_alone_gets_every_core(assistant, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(service_module, "engine_threads", lambda n: calls.append(n) or True)
    settings = dataclasses.replace(assistant.settings, ask_concurrency=2, answer_cache_size=0, audit_log="",
                                   service_threads=1)
    svc = Service(settings, SlowAssistant())
    svc.cores = 2
    _serve(svc, ["alone"])
    assert calls == [2]
    calls.clear()
    _serve(svc, [f"q{i}" for i in range(6)])
    assert calls[0] == 2 and set(calls[1:]) == {1}  # the first starts alone; the others have company


@pytest.mark.parametrize("setting, threads, cpus, want", [(3, 1, 2, 3), (0, 1, 2, 2), (0, 2, 2, 1), (0, 1, 1, 1)])
def test_ask_concurrency(monkeypatch, assistant, setting, threads, cpus, want):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(cpus)))
    settings = dataclasses.replace(assistant.settings, ask_concurrency=setting, service_threads=threads)
    assert ask_concurrency(settings) == want
