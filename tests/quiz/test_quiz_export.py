"""Every export parses back to the same items: GIFT with a small parser written here (not the
exporter's code), XLSX with openpyxl, DOCX with python-docx, CSV with the csv module."""
import csv
import dataclasses
import io
import json
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from quydinh_bot.quiz import build_quiz
from quydinh_bot.quiz.export import export
from quydinh_bot.quiz.items import DIFFICULTY_LABELS, TYPE_LABELS

LABEL_TYPE = {v: k for k, v in TYPE_LABELS.items()}
LABEL_DIFF = {v: k for k, v in DIFFICULTY_LABELS.items()}


@pytest.fixture(scope="module")
def items(quiz_corpus):
    clauses, documents, _ = quiz_corpus
    got = build_quiz(clauses, documents, n=24, seed=9)
    # one item with every GIFT special character, to prove the escaping
    tricky = dataclasses.replace(got[0], question="Ký tự: ~ = # { } \\ trong câu hỏi?",
                                 options=["A=1", "B~2", "C#3", "D{4}:"], correct=2)
    return [*got, tricky]


def _gift_unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def _split_unescaped(s: str, chars: str) -> list[tuple[str, str]]:
    """Split s at unescaped marker characters; returns (marker, text) pairs."""
    out, cur, marker, i = [], "", None, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            cur += s[i:i + 2]
            i += 2
            continue
        if ch in chars:
            if marker is not None:
                out.append((marker, cur))
            marker, cur = ch, ""
        else:
            cur += ch
        i += 1
    if marker is not None:
        out.append((marker, cur))
    return out


def parse_gift(text: str) -> list[dict]:
    """A minimal GIFT reader: `// meta` comment, `::title::question {=right ~wrong ####feedback}`."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.strip().splitlines()
        meta = [line[3:] for line in lines if line.startswith("// ")]
        body = "\n".join(line for line in lines if not line.startswith("//"))
        if not body:
            continue
        m = re.match(r"::(.*?)(?<!\\)::(.*?)(?<!\\)\{(.*)(?<!\\)\}\s*$", body, re.S)
        assert m, body
        question = _gift_unescape(m.group(2).strip())
        answers, _, feedback = m.group(3).partition("####")
        parts = _split_unescaped(answers, "=~")
        options = [_gift_unescape(t.strip()) for _, t in parts]
        correct = [i for i, (mk, _) in enumerate(parts) if mk == "="]
        clause_id, typ, diff, citation = meta[-1].split(" | ", 3)
        out.append({"question": question, "options": options, "correct": correct[0] if len(correct) == 1 else None,
                    "explanation": _gift_unescape(feedback.strip()), "clause_id": clause_id, "type": typ,
                    "difficulty": diff, "citation": citation})
    return out


def _core(it) -> dict:
    d = it.to_dict()
    return {k: d[k] for k in ("question", "options", "correct", "explanation", "clause_id", "type", "difficulty",
                              "citation")}


def test_gift_escapes_and_parses_back(items):
    text = export(items, "gift").decode("utf-8")
    assert r"Ký tự\: \~ \= \# \{ \} \\ trong câu hỏi?" in text
    assert "=C\\#3" in text and "~D\\{4\\}\\:" in text
    assert parse_gift(text) == [_core(it) for it in items]


def test_xlsx_parses_back(items):
    wb = load_workbook(io.BytesIO(export(items, "xlsx")))
    ws = wb["Câu hỏi"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("STT", "Câu hỏi")
    back = []
    for r in rows[1:]:
        options = [o for o in r[2:6] if o]
        back.append({"question": r[1], "options": options, "correct": "ABCD".index(r[6]), "explanation": r[7],
                     "clause_id": r[10], "type": LABEL_TYPE[r[8]], "difficulty": LABEL_DIFF[r[9]], "citation": r[11]})
    assert back == [_core(it) for it in items]


def test_docx_questions_then_answer_key_on_a_new_page(items):
    doc = Document(io.BytesIO(export(items, "docx")))
    paras = doc.paragraphs
    key_at = next(i for i, p in enumerate(paras) if p.text == "Đáp án")
    breaks = [i for i, p in enumerate(paras) if 'w:br w:type="page"' in p._p.xml]
    assert breaks and max(b for b in breaks if b < key_at) < key_at  # the key starts on a new page
    questions, current = [], None
    for p in paras[:key_at]:
        if m := re.match(r"Câu (\d+)\. (.*)$", p.text):
            current = {"question": m.group(2), "options": []}
            questions.append(current)
        elif current is not None and (m := re.match(r"([ABCD])\. (.*)$", p.text)):
            current["options"].append(m.group(2))
    key = []
    texts = [p.text for p in paras[key_at + 1:]]
    for i, t in enumerate(texts):
        if m := re.match(r"Câu (\d+): ([ABCD])\. ", t):
            why = texts[i + 1].removeprefix("Giải thích: ")
            src = re.match(r"Nguồn: (.*) \(mã (.*)\)\. Dạng: (.*); mức độ: (.*)\.$", texts[i + 2])
            key.append({"correct": "ABCD".index(m.group(2)), "explanation": why, "citation": src.group(1),
                        "clause_id": src.group(2), "type": LABEL_TYPE[src.group(3)],
                        "difficulty": LABEL_DIFF[src.group(4)]})
    back = [{**q, **k} for q, k in zip(questions, key)]
    assert len(questions) == len(key) == len(items)
    assert back == [_core(it) for it in items]


def test_csv_has_bom_and_parses_back(items):
    data = export(items, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "STT" and len(rows) == len(items) + 1
    assert [r[1] for r in rows[1:]] == [it.question for it in items]
    assert ["ABCD".index(r[6]) for r in rows[1:]] == [it.correct for it in items]


def test_json_is_the_contract(items):
    data = json.loads(export(items, "json"))
    assert [ {k: d[k] for k in _core(items[0])} for d in data] == [_core(it) for it in items]


def test_unknown_format():
    with pytest.raises(ValueError, match="Định dạng không hỗ trợ"):
        export([], "pdf")


def test_docx_and_xlsx_print_on_a4(items):
    """The trainers print the quiz: A4 (python-docx's template is US Letter), a running header,
    and a spreadsheet whose rows are as tall as their wrapped text, one page wide, headings repeated."""
    from openpyxl import load_workbook

    section = Document(io.BytesIO(export(items, "docx"))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text.startswith("Câu hỏi trắc nghiệm")
    ws = load_workbook(io.BytesIO(export(items, "xlsx"))).active
    assert int(ws.page_setup.paperSize) == 9 and ws.print_title_rows == "$1:$1" and int(ws.page_setup.fitToWidth) == 1
    heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)]
    explanations = [len(str(ws.cell(r, 8).value or "")) for r in range(2, ws.max_row + 1)]
    assert all(h and h >= 18 for h in heights)
    longest = explanations.index(max(explanations))
    assert heights[longest] >= (max(explanations) // 60) * 15  # a long explanation gets its lines
