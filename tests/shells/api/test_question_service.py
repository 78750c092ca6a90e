"""The question path through the real service (issue 23): the 60-byte engine crash string, runs of
combining marks, all-token questions and junk, sent with a normal key while another client asks
ordinary questions; the service answers or refuses each in Vietnamese and never goes away."""
from __future__ import annotations

import random
import threading
import unicodedata

import pytest

from live import serving

CRASH = "\ufdfa" * 20
EXPANDING = [chr(cp) for cp in range(0x20, 0x30000)
             if not 0xD800 <= cp <= 0xDFFF and len(unicodedata.normalize("NFKD", chr(cp))) > 3]


@pytest.fixture(scope="module")
def server(assistant, tmp_path_factory):
    with serving(assistant, tmp_path_factory.mktemp("questions")) as srv:
        yield srv


def _attacks() -> list[str]:
    rnd = random.Random(23)
    out = [CRASH, CRASH * 3, "ai chủ trì " + CRASH, "a" + "\u0301" * 990, "\u0323" * 999,
           "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(900)), "\U0001F600" * 900]
    out += ["".join(rnd.choice(EXPANDING) for _ in range(rnd.randint(1, 60))) for _ in range(40)]
    return out


def test_the_crash_string_is_answered_and_the_service_stays(server):
    status, out = server.ask(CRASH)
    assert status == 200 and set(out) >= {"question", "answered", "answer", "hits"}
    server.still_answers()


def test_combining_marks_tokens_and_junk(server):
    status, out = server.ask("ai chủ trì số hóa tài liệu" + "\u0301" * 970)
    assert status == 200 and len(out["question"]) < 30
    status, out = server.ask("".join(chr(0x4E00 + i) for i in range(900)))
    assert status == 400 and "quá dài" in out["error"]["message"]
    for junk in ["?", "a", ".", "1"]:
        status, out = server.ask(junk)
        assert status == 200 and out["answered"] is False and out["hits"] == [], out
    server.still_answers()


def test_attacks_from_one_key_while_another_client_is_answered(server):
    """Generated expanding strings from one client; ordinary questions answered beside them."""
    failures: list[object] = []

    def attack() -> None:
        for q in _attacks():
            try:
                status, out = server.ask(q, k=3)
            except OSError as exc:  # the service went away
                failures.append(exc)
                return
            if status not in (200, 400) or (status == 400 and out["error"]["code"] != "bad_question"):
                failures.append((status, out))

    t = threading.Thread(target=attack)
    t.start()
    answered = 0
    while t.is_alive():
        status, out = server.ask("Ai chủ trì số hóa tài liệu, hạn khi nào?", k=1)
        assert status == 200 and out["answered"], out
        answered += 1
    t.join()
    assert not failures, failures[:3]
    assert answered >= 1
    server.still_answers()
    assert "Traceback" not in server.log()
