"""Telegram HTML: escaping, bold for what is asked, and splitting under 4096 without breaking tags."""
import html
import random
import re

import pytest

from helpers import html_balanced
from quydinh_bot.shells.telegram.format import (
    MAX_LIST,
    answer_html,
    escape,
    source_html,
    split_html,
    task_list_html,
    utf16_len,
)


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_answer_html_escapes_document_text_and_bolds_the_asked_part():
    answer = ('Rà soát đảng viên tuổi <30 & "nữ" *_ ghi chú_*\nChủ trì: **Ban Tổ chức Tỉnh ủy**\n'
              "Thời hạn: Trước 30/9/2025\nNguồn: Kế hoạch số 99-KH/TU ngày 1/9/2025, mục I.1")
    out = answer_html(answer)
    assert out.splitlines()[0] == 'Rà soát đảng viên tuổi &lt;30 &amp; "nữ" *_ ghi chú_*'
    assert "Chủ trì: <b>Ban Tổ chức Tỉnh ủy</b>" in out
    assert out.splitlines()[-1] == "<i>Nguồn: Kế hoạch số 99-KH/TU ngày 1/9/2025, mục I.1</i>"
    assert html_balanced(out)


def test_figures_in_bold_and_a_tag_lookalike_stays_text():
    out = answer_html("Có trên **90%** tổ chức <b>cơ sở</b> đạt")
    assert out == "Có trên <b>90%</b> tổ chức &lt;b&gt;cơ sở&lt;/b&gt; đạt"


def _task(i: int, text: str = "Nhiệm vụ") -> dict:
    return {"clause_id": f"kh-1/{i}", "text": f"{text} số {i} <có> & ký tự", "lead": "Ban A & B",
            "deadline": {"text": f"Trước {i % 28 + 1}/9/2025", "due": f"2025-09-{i % 28 + 1:02d}", "kind": "date"},
            "citation": f"Kế hoạch số 1, mục {i}", "partners": []}


def test_task_list_escapes_counts_and_caps():
    tasks = [_task(i) for i in range(MAX_LIST + 5)]
    out = task_list_html("Việc <của> A", tasks, "không có")
    assert out.startswith(f"<b>Việc &lt;của&gt; A</b> ({MAX_LIST + 5} việc)")
    assert "… và 5 việc khác." in out and f"{MAX_LIST}. <b>" in out and f"{MAX_LIST + 1}. " not in out
    assert "&lt;có&gt; &amp; ký tự" in out and "Chủ trì: Ban A &amp; B" in out
    assert task_list_html("x", [], "Không có việc <nào>") == "Không có việc &lt;nào&gt;"


def test_source_html_shows_heading_path_children_and_id():
    clause = dict(_task(1), doc_title="Kế hoạch <99>", heading_path=["I. NHIỆM VỤ"])
    out = source_html({"clause": clause, "heading_path": ["I. NHIỆM VỤ", "1. Rà soát & lập"],
                       "children": [dict(_task(2), lead=None)]})
    assert out.startswith("<b>Kế hoạch &lt;99&gt;</b>\n› I. NHIỆM VỤ\n  › 1. Rà soát &amp; lập")
    assert "• Nhiệm vụ số 2" in out and "<code>kh-1/1</code>" in out and html_balanced(out)


def test_short_text_is_one_message():
    assert split_html("<b>a</b> &amp; b") == ["<b>a</b> &amp; b"]


def test_split_prefers_line_breaks_and_keeps_everything():
    lines = [f"{i}. <b>{i:02d}/09/2025</b> việc &amp; nhiệm vụ {'x' * (i % 50)}" for i in range(400)]
    text = "\n".join(lines)
    parts = split_html(text)
    assert len(parts) > 1
    assert all(utf16_len(p) <= 4096 and html_balanced(p) for p in parts)
    assert "\n".join(parts) == text  # cut only at line breaks here, nothing lost
    assert all(utf16_len(p) > 2048 for p in parts[:-1])


def test_split_inside_a_long_bold_run_closes_and_reopens_the_tag():
    text = "<b>" + " ".join(["từ&amp;ngữ"] * 2000) + "</b> cuối"
    parts = split_html(text, limit=1000)
    assert len(parts) > 1
    assert all(utf16_len(p) <= 1000 and html_balanced(p) for p in parts)
    assert all(p.startswith("<b>") for p in parts[:-1])
    assert re.sub(r"\s+", " ", " ".join(_plain(p) for p in parts)) == _plain(text)
    assert all(not re.search(r"&[#\w]*$|<[^>]*$", p) for p in parts)  # no entity or tag cut


def test_a_word_longer_than_a_message_is_cut_by_characters():
    text = "đầu " + "ư" * 9000 + " cuối"
    parts = split_html(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_len("a😀") == 3
    parts = split_html("😀" * 3000)
    assert all(utf16_len(p) <= 4096 for p in parts) and "".join(parts) == "😀" * 3000


@pytest.mark.parametrize("seed", range(20))
def test_random_html_splits_are_valid(seed):
    rng = random.Random(seed)
    words = ["việc", "&amp;", "&lt;30", "hạn", "\n", "Chủ trì:", "x" * rng.randint(1, 300), "😀"]
    pieces = []
    for _ in range(rng.randint(100, 1500)):
        w = escape(rng.choice(words)) if rng.random() < 0.1 else rng.choice(words)
        if rng.random() < 0.1:
            w = f"<{(tag := rng.choice('bi'))}>{w}</{tag}>"
        pieces.append(w)
    text = " ".join(pieces)
    limit = rng.choice([200, 1000, 4096])
    parts = split_html(text, limit=limit)
    assert all(utf16_len(p) <= limit and html_balanced(p) for p in parts)
    assert re.sub(r"\s+", "", "".join(_plain(p) for p in parts)) == re.sub(r"\s+", "", _plain(text))
