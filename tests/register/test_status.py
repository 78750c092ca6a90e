"""Where a task stands (register/status.py), the operator's marks (register/marks.py) and the
register over both (register/book.py), on small built clauses: offline, no index."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from quydinh_bot.records import Clause, Deadline
from quydinh_bot.register.book import TaskBook
from quydinh_bot.register.filter import TaskFilter, filter_tasks
from quydinh_bot.register.marks import MarkError, MarkStore
from quydinh_bot.register.status import is_recurring, state_label, state_of
from quydinh_bot.register.tasks import TaskDocument, find_document, find_province

TODAY = date(2026, 1, 20)


def task(number: str, text: str = "", due: str | None = None, kind: str | None = None, doc_id: str = "kh-1-2025",
         lead: str = "Ban Tổ chức Tỉnh ủy") -> Clause:
    return Clause(doc_id=doc_id, number=number, kind="row", text=f"Nhiệm vụ {number}", lead=lead, leads=[lead],
                  is_task=True, deadline=Deadline(text or (due or ""), due, kind) if (text or due or kind) else None)


DOCS = {"kh-1-2025": TaskDocument("kh-1-2025", "Kế hoạch một", "kế hoạch", "1-KH/TU", "1/1/2025", "Lai Châu"),
        "ctr-2-2026": TaskDocument("ctr-2-2026", "Chương trình hai", "chương trình", "2-CTr/TU", "2/1/2026",
                                   "Thái Nguyên"),
        "pl-3": TaskDocument("pl-3", "Phụ lục", "phụ lục", "3-KH/TU", None, "Lâm Đồng"),
        "bc-4": TaskDocument("bc-4", "Báo cáo", "báo cáo", None, "5/2026", None)}


@pytest.mark.parametrize("text", ["thực hiện thường xuyên", "Hằng năm", "hàng quý", "Định kỳ 6 tháng",
                                  "Thực hiện thường xuyên (tổng kết vào quý IV/2025)"])
def test_recurring_deadlines_are_never_overdue(text):
    c = task("1", text=text, due="2025-12-31", kind="quarter")
    assert is_recurring(c.deadline)
    assert state_of(c, TODAY) == "recurring"
    assert state_label("recurring", c, TODAY) == "Thường xuyên"
    assert filter_tasks([c], TaskFilter(status="overdue"), today=TODAY) == []


def test_states_of_dated_undated_done_and_marked_tasks():
    from quydinh_bot.register.marks import Mark

    past, soon = task("1", due="2025-09-10", kind="date"), task("2", due="2026-02-01")
    later = task("3", due="2026-12-31")
    assert [state_of(c, TODAY) for c in (past, soon, later)] == ["overdue", "upcoming", "upcoming"]
    assert state_label("upcoming", soon, TODAY) == "Sắp đến hạn" and state_label("upcoming", later, TODAY) == "Còn hạn"
    assert state_of(task("4"), TODAY) == "undated"
    assert state_of(task("5", text="Đã hoàn thành", kind="done"), TODAY) == "done"
    done, ongoing = Mark("done", "a", "2026-01-19T00:00:00+00:00"), Mark("ongoing", "a", "2026-01-19T00:00:00+00:00")
    assert state_of(past, TODAY, done) == "done"
    assert state_of(task("5", text="Đã hoàn thành", kind="done"), TODAY, ongoing) == "undated"  # reopened
    assert state_label("overdue", past, TODAY, ongoing) == "Quá hạn, đang thực hiện"
    assert state_label("upcoming", later, TODAY, ongoing) == "Đang thực hiện"


def test_nearest_sort_puts_upcoming_soonest_then_overdue_most_recent_then_undated_then_done():
    clauses = [task("old", due="2022-12-31"), task("undated"), task("done", text="Đã hoàn thành", kind="done"),
               task("recent", due="2025-12-31"), task("later", due="2026-06-30"), task("soon", due="2026-01-31"),
               task("recur", text="thực hiện thường xuyên", kind="recurring")]
    order = [c.number for c in filter_tasks(clauses, sort="nearest", today=TODAY)]
    assert order == ["soon", "later", "recent", "old", "undated", "recur", "done"]
    assert [c.number for c in filter_tasks(clauses, sort="due", today=TODAY)][:2] == ["old", "recent"]


def test_province_and_document_filters():
    clauses = [task("1"), task("2", doc_id="ctr-2-2026"), task("3", doc_id="pl-3")]
    got = filter_tasks(clauses, TaskFilter(province="tinh lai chau"), today=TODAY, documents=DOCS)
    assert [c.clause_id for c in got] == ["kh-1-2025/1"]
    got = filter_tasks(clauses, TaskFilter(province="Thái Nguyên", lead="Ban Tổ chức Tỉnh ủy"), today=TODAY,
                       documents=DOCS)
    assert [c.clause_id for c in got] == ["ctr-2-2026/2"]
    assert filter_tasks(clauses, TaskFilter(province="Hà Giang"), today=TODAY, documents=DOCS) == []
    with pytest.raises(TypeError):
        filter_tasks(clauses, TaskFilter(province="Lai Châu"), today=TODAY)
    assert find_province("lai chau", DOCS.values()) == "Lai Châu" and find_province("Hà Nội", DOCS.values()) is None
    assert find_document("2", DOCS.values()) == "ctr-2-2026" and find_document("3-KH/TU", DOCS.values()) == "pl-3"
    assert find_document("kh-1-2025", DOCS.values()) == "kh-1-2025" and find_document("99", DOCS.values()) is None


def test_document_labels():
    assert DOCS["kh-1-2025"].label == "Kế hoạch 1-KH/TU"
    assert DOCS["pl-3"].label == "Phụ lục Kế hoạch 3-KH/TU"
    assert DOCS["bc-4"].label == "Báo cáo 5/2026"


def test_marks_are_kept_with_their_history_and_change_status_everywhere(tmp_path):
    store = MarkStore(tmp_path / "status.sqlite3")
    clauses = [task("1", due="2025-09-10"), task("2", due="2026-02-01"), task("3", doc_id="ctr-2-2026")]
    book = TaskBook(clauses, DOCS.values(), store, TODAY)
    assert not store.path.exists() and book.tasks(TaskFilter(status="overdue"))[0].clause_id == "kh-1-2025/1"
    change, t = book.mark("kh-1-2025/1", "done", "nguyen.van.a", "Công văn 12")
    assert (change.from_status, change.to_status, change.by) == (None, "done", "nguyen.van.a")
    assert change.note == "Công văn 12"
    assert t.status == "done" and t.mark is not None and t.mark.by == "nguyen.van.a"
    assert book.tasks(TaskFilter(status="overdue")) == []
    assert [x.clause_id for x in book.tasks(TaskFilter(status="done"))] == ["kh-1-2025/1"]
    book.mark("kh-1-2025/1", "ongoing", "tran.thi.b")
    assert [x.clause_id for x in book.tasks(TaskFilter(status="ongoing"))] == ["kh-1-2025/1"]
    assert book.task("kh-1-2025/1").status == "overdue"
    book.mark("kh-1-2025/1", "clear", "tran.thi.b")
    assert book.task("kh-1-2025/1").mark is None
    hist = [(c.from_status, c.to_status, c.by) for c in book.history("kh-1-2025/1")]
    assert hist == [(None, "done", "nguyen.van.a"), ("done", "ongoing", "tran.thi.b"), ("ongoing", None, "tran.thi.b")]
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"
    # another reader (the service) sees what the CLI wrote, through its own store object
    MarkStore(store.path).set("ctr-2-2026/3", "done", "cli")
    assert book.task("ctr-2-2026/3").status == "done"
    d = book.task("ctr-2-2026/3").to_dict()
    assert (d["province"], d["document"], d["status"], d["status_label"], d["mark"]["by"]) == \
        ("Thái Nguyên", "Chương trình 2-CTr/TU", "done", "Đã xong", "cli")


def test_bad_marks_are_refused_and_leave_the_store_as_it_was(tmp_path):
    store = MarkStore(tmp_path / "status.sqlite3")
    book = TaskBook([task("1")], DOCS.values(), store, TODAY)
    with pytest.raises(MarkError, match="Không có nhiệm vụ"):
        book.mark("kh-1-2025/99", "done", "a")
    with pytest.raises(MarkError, match="không hợp lệ"):
        book.mark("kh-1-2025/1", "finished", "a")
    assert store.marks() == {} and store.history() == []


def test_a_write_that_fails_midway_rolls_back(tmp_path, monkeypatch):
    """The mark and its history row are one transaction: a failure between them leaves neither."""
    store = MarkStore(tmp_path / "status.sqlite3")
    store.set("kh-1-2025/1", "done", "a")
    con = sqlite3.connect(store.path)
    con.execute("CREATE TRIGGER no_history BEFORE INSERT ON history BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    con.commit()
    con.close()
    with pytest.raises(MarkError, match="Không ghi được"):
        store.set("kh-1-2025/1", "ongoing", "b")
    assert store.marks()["kh-1-2025/1"].status == "done" and len(store.history()) == 1


def test_a_commands_argument_names_a_province_and_a_document():
    from quydinh_bot.register.tasks import read_scope

    docs = list(DOCS.values())
    s = read_scope("Ban Tổ chức Tỉnh ủy Lai Châu", docs)
    assert (s.rest, s.province, s.doc_id) == ("Ban Tổ chức Tỉnh ủy", "Lai Châu", None)
    s = read_scope("ban to chuc tinh uy tinh thai nguyen 2", docs)
    assert (s.rest, s.province, s.doc_id) == ("ban to chuc tinh uy", "Thái Nguyên", "ctr-2-2026")
    s = read_scope("14", docs)  # a number no document has stays
    assert (s.rest, s.province, s.doc_id) == ("14", None, None)
    assert read_scope("", [{"doc_id": "x", "kind": "kế hoạch", "province": "Lai Châu"}]).rest == ""
