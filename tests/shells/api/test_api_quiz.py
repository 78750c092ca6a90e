"""POST /quiz: the quiz builder over the service's loaded clauses, in the contract's item shape
and in the trainers' file formats; bad scopes are 4xx in the error shape."""
import io

import pytest
from api_helpers import assert_error
from openpyxl import load_workbook

from quydinh_bot.quiz.rules import check

ITEM_KEYS = {"question", "options", "correct", "explanation", "type", "difficulty", "clause_id", "citation"}


def test_quiz_json_items_follow_the_contract_and_the_rules(client, headers, assistant):
    r = client.post("/quiz", json={"doc": "kh-376-2025", "n": 8, "seed": 7}, headers=headers)
    assert r.status_code == 200, r.text
    items = r.json()
    assert len(items) == 8 and len({i["question"] for i in items}) == 8
    for item in items:
        assert ITEM_KEYS <= set(item)
        assert item["clause_id"].startswith("kh-376-2025/")
        assert 0 <= item["correct"] < len(item["options"]) and len(item["options"]) in (2, 4)
        assert item["question"].endswith("?")
    # the same request gives the same quiz (seeded), the one the Python API builds
    again = client.post("/quiz", json={"doc": "kh-376-2025", "n": 8, "seed": 7}, headers=headers).json()
    assert again == items
    assert [it.to_dict() for it in assistant.quiz(doc_id="kh-376-2025", n=8, seed=7)] == items


def test_quiz_items_pass_the_quality_rules(assistant):
    for item in assistant.quiz(n=20, seed=3):
        clause = assistant.searcher.clause(item.clause_id)
        assert check(item, clause) == [], item


@pytest.mark.parametrize("fmt", ["xlsx", "gift", "csv"])
def test_quiz_files(client, headers, fmt):
    r = client.post("/quiz", json={"n": 5, "seed": 1, "format": fmt}, headers=headers)
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"]
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert len([row for row in rows[1:] if any(row)]) >= 5
    else:
        assert "?" in r.content.decode("utf-8-sig")


def test_quiz_bad_requests(client, headers):
    assert_error(client.post("/quiz", json={"n": 5}), 401)
    assert_error(client.post("/quiz", json={"doc": "khong-co", "n": 5}, headers=headers), 400, "bad_quiz")
    assert_error(client.post("/quiz", json={"doc": "kh-376-2025", "section": "XX.9", "n": 5}, headers=headers), 400)
    assert_error(client.post("/quiz", json={"doc": "kh-376-2025", "section": "VI.1", "n": 200}, headers=headers), 400,
                 "quiz_shortage")
    assert_error(client.post("/quiz", json={"n": 0}, headers=headers), 422)
    assert_error(client.post("/quiz", json={"n": "mười"}, headers=headers), 422)
    assert_error(client.post("/quiz", json={"types": ["essay"]}, headers=headers), 422)


def test_quiz_without_a_seed_draws_one_and_says_which(client, headers):
    """No seed: a random one, returned in X-Quiz-Seed (the body stays the contract's array), and
    sending it back gives the same quiz."""
    seeds, quizzes = [], []
    for _ in range(3):
        r = client.post("/quiz", json={"doc": "kh-376-2025", "n": 5}, headers=headers)
        assert r.status_code == 200, r.text
        assert isinstance(r.json(), list)
        seeds.append(int(r.headers["X-Quiz-Seed"]))
        quizzes.append(r.json())
    assert len(set(seeds)) > 1  # three draws of 2**31 seeds
    again = client.post("/quiz", json={"doc": "kh-376-2025", "n": 5, "seed": seeds[0]}, headers=headers)
    assert again.json() == quizzes[0] and again.headers["X-Quiz-Seed"] == str(seeds[0])
    r = client.post("/quiz", json={"n": 5, "format": "gift"}, headers=headers)
    assert f"-{r.headers['X-Quiz-Seed']}.txt" in r.headers["content-disposition"]
