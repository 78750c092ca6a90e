"""The service's gate: questions answered side by side (the engine encodes two at once) give the
answers one-at-a-time gives, at most `ask_concurrency` run at once, and waiters go in arrival order."""
import dataclasses
import threading
import time

import pytest

from quydinh_bot.api.service import Service, Turns, ask_concurrency

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
    start = threading.Barrier(8)

    def client(i: int) -> None:
        start.wait()
        for j in range(len(expected)):
            key = list(expected)[(i * 5 + j) % len(expected)]
            got[key].append(svc.ask(key[0], key[1], caller="test"))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(len(v) == 8 for v in got.values())
    for key, answers in got.items():
        assert all(a == expected[key] for a in answers), key


def test_turns_let_at_most_n_in_at_once():
    gate, inside, most = Turns(2), [0], [0]
    lock = threading.Lock()

    def work() -> None:
        with gate:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.01)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 2 and inside[0] == 0


def test_turns_go_in_arrival_order_and_survive_errors():
    gate, order = Turns(1), []
    gate.__enter__()  # held: everyone below queues
    threads = []
    for i in range(6):
        def waiter(i=i):
            try:
                with gate:
                    order.append(i)
                    if i == 2:
                        raise ValueError("câu hỏi bị từ chối")  # the place is still passed on
            except ValueError:
                pass
        t = threading.Thread(target=waiter)
        t.start()
        threads.append(t)
        while len(gate._queue) < i + 1:  # queued before the next one arrives
            time.sleep(0.001)
    gate.__exit__(None, None, None)
    for t in threads:
        t.join()
    assert order == list(range(6))
    with gate:  # the place given back after the failure and after the last holder
        pass
    assert gate._free == 1 and not gate._queue


@pytest.mark.parametrize("setting, threads, cpus, want", [(3, 1, 2, 3), (0, 1, 2, 2), (0, 2, 2, 1), (0, 1, 1, 1)])
def test_ask_concurrency(monkeypatch, assistant, setting, threads, cpus, want):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(cpus)))
    settings = dataclasses.replace(assistant.settings, ask_concurrency=setting, service_threads=threads)
    assert ask_concurrency(settings) == want


def test_turns_count_holders_and_waiters():
    turns = Turns(1)
    assert turns.busy == 0
    inside, release = threading.Event(), threading.Event()

    def holder() -> None:
        with turns:
            inside.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    assert inside.wait(5)
    assert turns.busy == 1  # alone: the service gives it every core
    waiter = threading.Thread(target=lambda: turns.__enter__() or turns.__exit__(None, None, None))
    waiter.start()
    for _ in range(500):
        if turns.busy == 2:
            break
        time.sleep(0.01)
    assert turns.busy == 2  # one waits: each question gets one core
    release.set()
    t.join(5)
    waiter.join(5)
    assert turns.busy == 0
