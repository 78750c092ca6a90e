"""Telegram HTML: escaping, bold for what is asked, and splitting under 4096 without breaking tags."""
import html
import random
import re

import pytest

from helpers import html_balanced
from quydinh_bot.shells.telegram.format import (
    ITEM_MAX,
    MAX_MESSAGE,
    PAGE_SIZE,
    answer_html,
    escape,
    more_hits_pages,
    shorten,
    source_html,
    split_html,
    task_pages,
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


def _items(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+)\. ", page, flags=re.M)]


def test_task_pages_escape_number_on_and_hold_a_few_whole_items():
    tasks = [_task(i) for i in range(23)]
    pages = task_pages("Việc <của> A", tasks)
    assert len(pages) == 5
    assert pages[0].startswith("<b>Việc &lt;của&gt; A</b> (23 việc, trang 1/5)\n")
    assert pages[4].startswith("<b>Việc &lt;của&gt; A</b> (23 việc, trang 5/5)\n")
    assert [_items(p) for p in pages] == [list(range(i, min(i + PAGE_SIZE, 24))) for i in range(1, 24, PAGE_SIZE)]
    assert "&lt;có&gt; &amp; ký tự" in pages[0] and "Chủ trì: Ban A &amp; B" in pages[0]
    assert all(html_balanced(p) and utf16_len(p) <= MAX_MESSAGE for p in pages)
    one = task_pages("x", tasks[:3])
    assert len(one) == 1 and one[0].startswith("<b>x</b> (3 việc)\n") and _items(one[0]) == [1, 2, 3]
    assert task_pages("x", []) == []


def test_long_items_are_shortened_at_a_word_and_never_cut_by_a_page():
    words = " ".join(f"từ{i}<" for i in range(3000))  # escaping makes it longer still
    tasks = [_task(i, text=words if i % 2 else "ngắn") | {"lead": "Ban " + "Tổ chức " * 200,
                                                          "citation": "Kế hoạch " * 100} for i in range(12)]
    pages = task_pages("Danh sách " * 100, tasks)
    assert all(utf16_len(p) <= MAX_MESSAGE and html_balanced(p) for p in pages)
    assert sum((_items(p) for p in pages), []) == list(range(1, 13))  # every item once, in order
    for page in pages:
        for item in re.split(r"\n\n(?=\d+\. )", page.split("\n", 1)[1]):
            assert utf16_len(item) <= ITEM_MAX and item.count("<i>") == 1  # whole: text, lead and citation
            body = item.split("\n")[0]
            if "từ" in body:  # cut after a whole word, marked
                assert re.search(r"từ\d+&lt;…$", body), body[-40:]


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("một hai ba", 20) == "một hai ba"
    assert shorten("một hai ba bốn năm sáu", 12) == "một hai ba…"
    assert shorten("x" * 50, 10) == "x" * 9 + "…"
    assert len(shorten("ab " * 100, 30)) <= 30


def test_more_hits_pages_number_from_two():
    hits = [dict(_task(i), partners=["Sở & ngành"]) for i in range(12)]
    pages = more_hits_pages(hits)
    assert len(pages) == 3 and pages[0].startswith("<b>Các điều khoản liên quan khác</b> (12 điều khoản, trang 1/3)")
    assert re.findall(r"<b>(\d+)\.</b>", pages[1]) == [str(i) for i in range(7, 12)]
    assert "Phối hợp: Sở &amp; ngành" in pages[0] and pages[0].count("Nguồn: ") == PAGE_SIZE
    assert more_hits_pages([]) == ["Không còn điều khoản nào khác."]


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
