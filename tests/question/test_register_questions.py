"""Register questions on the real corpus: recognised (accented and not), answered from the
register filter itself (hits are exactly its tasks, soonest due first), declined when they name
a document, body, province or year the corpus lacks; clause questions are left to retrieval."""
from datetime import date

import pytest

from quydinh_bot import Assistant
from quydinh_bot.answer.render import NOT_FOUND
from quydinh_bot.config import Settings
from quydinh_bot.language.bodies import lead_bodies
from quydinh_bot.language.text import fold
from quydinh_bot.question.register import party_committee_of
from quydinh_bot.register.filter import TaskFilter, filter_tasks
from quydinh_bot.search.searcher import Searcher

TODAY = "2026-01-20"
CONTRACT_FILTER_KEYS = {"lead", "doc_id", "due_after", "due_before", "status"}


@pytest.fixture(scope="module")
def assistant(corpus_assistant):
    """The session's real-corpus assistant with today pinned by QUYDINH_TODAY."""
    mp = pytest.MonkeyPatch()
    mp.setenv("QUYDINH_TODAY", TODAY)
    searcher = corpus_assistant.searcher
    yield Assistant(Searcher(Settings(), embedder=searcher.loaded_embedder, index=searcher.index))
    mp.undo()


def expected(assistant, **expect) -> list[str]:
    f = TaskFilter(**expect, today=date.fromisoformat(TODAY))
    return [c.clause_id for c in filter_tasks(assistant.searcher.index.clauses, f, sort="due")]


FORMS = [
    # body x document
    ("Ban Tổ chức Tỉnh ủy chủ trì những nhiệm vụ gì trong Kế hoạch 376?",
     {"lead": "Ban Tổ chức Tỉnh ủy", "doc_id": "kh-376-2025"}, "list"),
    ("BTC Tỉnh ủy có những việc gì trong kế hoạch số 376-KH/TU",
     {"lead": "Ban Tổ chức Tỉnh ủy", "doc_id": "kh-376-2025"}, "list"),
    ("Đảng ủy Công an tỉnh chủ trì những việc gì trong chương trình 26-CTr/TU",
     {"lead": "Đảng ủy Công an tỉnh", "doc_id": "ctr-26-2022"}, "list"),
    ("Ủy ban Kiểm tra Tỉnh ủy chủ trì những việc gì trong đề án",
     {"lead": "Ủy ban Kiểm tra Tỉnh ủy", "doc_id": "da-tccsd-2025-2030"}, "list"),
    # month, quarter, year, next N days, this week
    ("Những việc nào đến hạn tháng 9/2025?", {"due_after": "2025-09-01", "due_before": "2025-09-30"}, "list"),
    ("Quý III/2025 có những nhiệm vụ nào đến hạn", {"due_after": "2025-07-01", "due_before": "2025-09-30"}, "list"),
    ("Năm 2023 có những nhiệm vụ gì đến hạn?", {"due_after": "2023-01-01", "due_before": "2023-12-31"}, "list"),
    ("Những việc nào đến hạn trong 30 ngày tới?", {"due_after": "2026-01-20", "due_before": "2026-02-19"}, "list"),
    ("Tuần này có việc gì đến hạn không?", {"due_after": "2026-01-19", "due_before": "2026-01-25"}, "list"),
    # status
    ("Những nhiệm vụ nào đã quá hạn?", {"status": "overdue"}, "list"),
    ("Nhiệm vụ nào sắp đến hạn?", {"status": "upcoming"}, "list"),
    ("Những nhiệm vụ nào chưa có thời hạn trong đề án?", {"status": "undated", "doc_id": "da-tccsd-2025-2030"}, "list"),
    # count, earliest
    ("Ban Tuyên giáo và Dân vận chủ trì bao nhiêu nhiệm vụ", {"lead": "Ban Tuyên giáo và Dân vận Tỉnh ủy"}, "count"),
    ("Ban Tổ chức Tỉnh ủy có bao nhiêu nhiệm vụ quá hạn trong Kế hoạch 376?",
     {"lead": "Ban Tổ chức Tỉnh ủy", "doc_id": "kh-376-2025", "status": "overdue"}, "count"),
    ("Việc nào đến hạn sớm nhất trong chương trình 01-CTr/BTCTU?", {"doc_id": "ctr-01-2026"}, "earliest"),
    # phone shorthand, documents named by their title, "chưa đến hạn"
    ("btc tu chu tri nhung cv j trong kh 376", {"lead": "Ban Tổ chức Tỉnh ủy", "doc_id": "kh-376-2025"}, "list"),
    ("co bn nv qua han", {"status": "overdue"}, "count"),
    ("Đề án củng cố tổ chức cơ sở đảng có bao nhiêu nhiệm vụ", {"doc_id": "da-tccsd-2025-2030"}, "count"),
    ("Chương trình công tác tổ chức xây dựng đảng năm 2026 có những nhiệm vụ gì trong tháng 3/2026",
     {"doc_id": "ctr-01-2026", "due_after": "2026-03-01", "due_before": "2026-03-31"}, "list"),
    ("Những nhiệm vụ nào chưa đến hạn trong chương trình 01-CTr/BTCTU?",
     {"doc_id": "ctr-01-2026", "due_after": TODAY}, "list"),
    # partner, co-leads
    ("Văn phòng Tỉnh ủy phối hợp những việc gì trong Kế hoạch 376?",
     {"partner": "Văn phòng Tỉnh ủy", "doc_id": "kh-376-2025"}, "list"),
    ("Đảng ủy Viện Kiểm sát nhân dân tỉnh chủ trì những nhiệm vụ nào?",
     {"lead": "Đảng ủy Viện Kiểm sát nhân dân tỉnh"}, "list"),
]


@pytest.mark.parametrize("question,expect,ask", FORMS)
@pytest.mark.parametrize("accented", [True, False])
def test_register_answers_are_the_register(assistant, question, expect, ask, accented):
    q = question if accented else fold(question)
    got = assistant.ask(q, k=50)
    want = expected(assistant, **expect)
    assert got["intent"] == "register", q
    assert [h["clause_id"] for h in got["hits"]] == want[:50]
    assert got["total"] == len(want)
    assert CONTRACT_FILTER_KEYS <= set(got["filters"])
    assert {k: got["filters"][k] for k in expect} == expect
    assert got["filters"]["ask"] == ask
    assert got["answered"] is bool(want)


def test_known_counts_from_the_issue(assistant):
    """Figures a person checked on paper: 27 tasks of Ban Tổ chức in plan 376, 7 due in 9/2025."""
    a = assistant.ask("Ban Tổ chức Tỉnh ủy chủ trì những nhiệm vụ gì trong Kế hoạch 376?", k=5)
    assert a["total"] == 27 and len(a["hits"]) == 5
    assert a["answer"].startswith("Có **27** nhiệm vụ do Ban Tổ chức Tỉnh ủy chủ trì")
    assert a["answer"].rstrip().endswith("và 22 nhiệm vụ khác.")
    assert "Kế hoạch số 376-KH/TU" in a["answer"]
    b = assistant.ask("viec nao den han thang 9/2025", k=10)
    assert b["total"] == 7 and all(h["deadline"]["due"].startswith("2025-09") for h in b["hits"])
    dues = [h["deadline"]["due"] for h in b["hits"]]
    assert dues == sorted(dues)
    assert len(b["answer"].splitlines()) == 1 + 7  # the count, then one line per task


def test_answer_lines_name_lead_deadline_and_citation(assistant):
    a = assistant.ask("Đảng ủy Quân sự tỉnh phải làm những việc gì?", k=10)
    lines = a["answer"].splitlines()
    assert lines[0].startswith(f"Có **{a['total']}** nhiệm vụ")
    for line, hit in zip(lines[1:], a["hits"]):
        assert "Chủ trì: Đảng ủy Quân sự tỉnh" in line and "Hạn:" in line and hit["citation"] in line


def test_overdue_follows_quydinh_today(corpus_assistant, monkeypatch):
    searcher = corpus_assistant.searcher
    totals = {}
    for today in ("2025-01-01", "2026-01-20", "2027-01-01"):
        monkeypatch.setenv("QUYDINH_TODAY", today)
        a = Assistant(Searcher(Settings(), embedder=searcher.loaded_embedder, index=searcher.index))
        got = a.ask("nhung nhiem vu nao da qua han", k=50)
        assert got["filters"]["today"] == today
        totals[today] = got["total"]
        assert all(h["deadline"]["due"] < today and h["deadline"]["kind"] != "done" for h in got["hits"])
    assert totals["2025-01-01"] < totals["2026-01-20"] < totals["2027-01-01"]


@pytest.mark.parametrize("question,reason", [
    ("Kế hoạch số 999-KH/TU có những nhiệm vụ gì?", "Kho văn bản không có Kế hoạch số 999-KH/TU"),
    ("ke hoach 999 co bao nhieu nhiem vu", "Kho văn bản không có Kế hoạch số 999"),
    ("Ban Kinh tế Tỉnh ủy chủ trì những nhiệm vụ gì?", "«Ban Kinh tế Tỉnh ủy»"),
    ("so y te phai lam nhung viec gi trong ke hoach 376", "«so y te»"),
    ("Những việc nào đến hạn trong năm 2019?", "Kho văn bản không có nhiệm vụ nào có hạn trong năm 2019"),
    ("những nhiệm vụ nào của tỉnh Nghệ An đã quá hạn", "Kho văn bản không có văn bản nào của tỉnh Nghệ An"),
])
def test_declines_name_what_is_missing(assistant, question, reason):
    a = assistant.ask(question, k=5)
    assert a["intent"] == "register" and a["answered"] is False and a["hits"] == [] and a["total"] == 0
    assert a["answer"].startswith(NOT_FOUND)  # the one decline wording, then the reason
    assert reason.lower() in a["answer"].lower()


@pytest.mark.parametrize("question", [
    "Tháng 3/2026 có những nhiệm vụ trọng tâm nào về công tác tổ chức xây dựng Đảng?",
    "Ai chủ trì số hóa tài liệu của các cơ quan, đơn vị, tổ chức, hạn khi nào?",
    "Ban Tổ chức Tỉnh ủy có nhiệm vụ gì trong việc sắp xếp tổ chức bộ máy?",
    "Tháng 10/2026 có những nhiệm vụ trọng tâm nào?",
    "Báo cáo số 285-BC/TU về việc gì?",
    "Năm 2026 bao nhiêu phần trăm chi bộ phải duy trì sinh hoạt định kỳ đúng quy định?",
    "ai chu tri to chuc dai hoi dang bo cong an tinh",
    "Ban Tổ chức Tỉnh ủy có những nhiệm vụ gì về tổ chức bộ máy",
])
def test_clause_questions_stay_with_retrieval(assistant, question):
    assert assistant.register_question(question) is None


def test_state_body_asked_means_its_party_committee(assistant):
    a = assistant.ask("Công an tỉnh chủ trì những việc gì trong kế hoạch 376", k=50)
    assert a["filters"]["lead"] == "Đảng ủy Công an tỉnh"
    assert [h["clause_id"] for h in a["hits"]] == expected(assistant, lead="Đảng ủy Công an tỉnh", doc_id="kh-376-2025")
    assert party_committee_of("Ủy ban nhân dân tỉnh") == "Đảng ủy Ủy ban nhân dân tỉnh"
    assert party_committee_of("Ban Tổ chức Tỉnh ủy") is None


def test_bodies_have_one_name_and_co_leads_each_count(assistant):
    tasks = [c for c in assistant.searcher.index.clauses if c.is_task]
    assert not [c for c in tasks if c.lead and "Văn Phòng" in c.lead]
    co_led = [c for c in tasks if len(c.leads) == 2 and "Đảng ủy Tòa án nhân dân tỉnh" in c.leads]
    assert co_led and all("Đảng ủy Viện Kiểm sát nhân dân tỉnh" in c.leads for c in co_led)
    ids = {c.clause_id for c in co_led}
    for name in ("Đảng ủy Tòa án nhân dân tỉnh", "dang uy vien kiem sat nhan dan tinh", "Đảng ủy TAND tỉnh"):
        assert ids <= set(expected(assistant, lead=name)), name
    # "Tỉnh ủy" is a body of its own, not every body whose name ends with it
    assert expected(assistant, lead="Tỉnh ủy") == []
    assert lead_bodies("Văn Phòng Tỉnh ủy") == ("Văn phòng Tỉnh ủy", ["Văn phòng Tỉnh ủy"])
    assert lead_bodies("Đảng ủy Tòa án nhân dân tỉnh, Đảng ủy Viện Kiểm sát nhân dân tỉnh")[1] == [
        "Đảng ủy Tòa án nhân dân tỉnh", "Đảng ủy Viện Kiểm sát nhân dân tỉnh"]


def test_next_deadline_is_counted_from_today(assistant):
    a = assistant.ask("Việc nào có hạn gần nhất?", k=5)
    assert a["filters"]["due_after"] == TODAY and a["filters"]["ask"] == "earliest"
    assert [h["clause_id"] for h in a["hits"]] == expected(assistant, due_after=TODAY)[:5]
    assert a["answer"].startswith("Nhiệm vụ có hạn sớm nhất")


def test_unknown_abbreviations_are_not_declined_as_bodies(assistant):
    assert assistant.register_question("ban qlda xz chu tri nhung viec gi") is None


def test_short_forms_of_the_one_table_name_the_body(assistant):
    # "tc", "tu" are written out by data/shortforms.tsv before the register reads the question
    rq = assistant.register_question("ban tc tu chu tri nhung viec gi")
    assert rq is not None and rq.lead == "Ban Tổ chức Tỉnh ủy" and rq.decline is None


def test_hits_are_capped_by_k_and_the_rest_counted(assistant):
    a = assistant.ask("Những nhiệm vụ nào đã quá hạn?", k=3)
    assert len(a["hits"]) == 3 and a["total"] > 3
    assert a["answer"].rstrip().endswith(f"và {a['total'] - 3} nhiệm vụ khác.")
