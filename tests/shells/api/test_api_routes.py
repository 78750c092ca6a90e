"""Every route of the service on the real index: shapes per API_CONTRACT.md, filters and paging
equal to the core's register, and bad input answered 4xx in the one error shape."""
import csv
import io

import pytest
from api_helpers import assert_error
from openpyxl import load_workbook

from quydinh_bot.register.export import HEADINGS
from quydinh_bot.register.filter import TaskFilter

HIT_FIELDS = {"clause_id", "doc_id", "doc_title", "number", "heading_path", "text", "lead", "lead_source",
              "partners", "deadline", "citation"}


def test_health_and_ready_need_no_key(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready" and body["documents"] == 5 and body["clauses"] > 500


def test_ask_returns_the_contract_object(client, headers):
    r = client.post("/ask", json={"q": "Ai chủ trì số hóa tài liệu của các cơ quan, hạn khi nào?", "k": 3},
                    headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    out = r.json()
    assert {"question", "answered", "intent", "answer", "hits"} <= set(out)
    assert out["answered"] is True and out["intent"] == "lead"
    assert 1 <= len(out["hits"]) <= 3
    top = out["hits"][0]
    assert HIT_FIELDS | {"score"} <= set(top)
    assert "số hóa tài liệu" in top["text"]
    assert top["deadline"]["due"] == "2025-08-31"
    assert out["answer"].splitlines()[-1].startswith("Nguồn: ")


def test_ask_unaccented_and_declined(client, headers):
    out = client.post("/ask", json={"q": "ai chu tri so hoa tai lieu"}, headers=headers).json()
    assert out["answered"] and "số hóa tài liệu" in out["hits"][0]["text"]
    out = client.post("/ask", json={"q": "Giá vàng hôm nay bao nhiêu?"}, headers=headers).json()
    assert out["answered"] is False and out["answer"].startswith("Không tìm thấy")


def test_ask_default_k_is_five(client, headers):
    out = client.post("/ask", json={"q": "nhiệm vụ của Ban Tổ chức Tỉnh ủy"}, headers=headers).json()
    assert len(out["hits"]) <= 5


@pytest.mark.parametrize("body,status,code", [
    ({"q": ""}, 400, "bad_question"),
    ({"q": "   \t "}, 400, "bad_question"),
    ({"q": "\u0000\u0001\u0002"}, 400, "bad_question"),
    ({"q": "a" * 10_000}, 400, "bad_question"),
    ({"q": 42}, 422, "invalid_input"),
    ({"q": None}, 422, "invalid_input"),
    ({"q": ["ai chủ trì"]}, 422, "invalid_input"),
    ({"q": {"text": "x"}}, 422, "invalid_input"),
    ({}, 422, "invalid_input"),
    ({"question": "ai chủ trì"}, 422, "invalid_input"),
    ({"q": "ai chủ trì", "k": 0}, 422, "out_of_range"),
    ({"q": "ai chủ trì", "k": 51}, 422, "out_of_range"),
    ({"q": "ai chủ trì", "k": -3}, 422, "out_of_range"),
    ({"q": "ai chủ trì", "k": "5"}, 422, "invalid_input"),
    ({"q": "ai chủ trì", "k": 2.5}, 422, "invalid_input"),
    ({"q": "ai chủ trì", "k": True}, 422, "invalid_input"),
    (["ai chủ trì"], 422, "invalid_input"),
    ("ai chủ trì", 422, "invalid_input"),
])
def test_ask_bad_input_is_a_4xx_with_the_error_shape(client, headers, body, status, code):
    assert_error(client.post("/ask", json=body, headers=headers), status, code)


@pytest.mark.parametrize("raw", [
    b'{"q": "ai ch',  # cut off
    b"{q: 'ai chu tri'}",  # not JSON
    b"",  # nothing
    b'\xff\xfe\x00{"q": "x"}',  # binary
    b'{"q": "ai ch\xe1 tr\xc3"}',  # invalid UTF-8 inside a string
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
])
def test_ask_malformed_or_binary_body(client, headers, raw):
    r = client.post("/ask", content=raw, headers={**headers, "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500
    assert_error(r, r.status_code)


def test_ask_body_not_declared_json(client, headers):
    r = client.post("/ask", content='{"q": "ai chủ trì"}'.encode(), headers={**headers, "Content-Type": "text/plain"})
    assert_error(r, 422)


def test_ask_with_escaped_surrogates_and_controls_is_answered_cleanly(client, headers):
    r = client.post("/ask", content=b'{"q": "ai ch\\ud800 tri so hoa\\u0007 tai lieu"}',
                    headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 200
    out = r.json()
    assert "\ud800" not in out["question"] and "\u0007" not in out["question"]


# --- /tasks -----------------------------------------------------------------------------

def _core(assistant, sort="nearest", **kw):
    return assistant.tasks(TaskFilter(**kw), sort=sort)


def test_tasks_all_with_total_header(client, headers, assistant):
    r = client.get("/tasks", params={"limit": 1000}, headers=headers)
    assert r.status_code == 200
    rows = r.json()
    assert int(r.headers["X-Total-Count"]) == len(rows) == len(_core(assistant)) > 100
    assert HIT_FIELDS <= set(rows[0])
    upcoming = [row["deadline"]["due"] for row in rows if row["status"] == "upcoming"]
    overdue = [row["deadline"]["due"] for row in rows if row["status"] == "overdue"]
    assert upcoming and overdue  # nearest deadline first by default: upcoming soonest, overdue most recent
    assert upcoming == sorted(upcoming) and overdue == sorted(overdue, reverse=True)
    states = [row["status"] for row in rows]
    assert states.index("overdue") > max(i for i, s in enumerate(states) if s == "upcoming")
    assert all(row["province"] and row["document"] and row["status_label"] for row in rows)


def test_tasks_default_page_is_100(client, headers):
    r = client.get("/tasks", headers=headers)
    assert len(r.json()) == 100 and int(r.headers["X-Total-Count"]) > 100


def test_tasks_paging_covers_all_rows_once(client, headers):
    full = client.get("/tasks", params={"limit": 1000, "sort": "document"}, headers=headers).json()
    pages, offset = [], 0
    while True:
        r = client.get("/tasks", params={"limit": 37, "offset": offset, "sort": "document"}, headers=headers)
        assert int(r.headers["X-Total-Count"]) == len(full)
        if not r.json():
            break
        pages += r.json()
        offset += 37
    assert [p["clause_id"] for p in pages] == [f["clause_id"] for f in full]
    assert client.get("/tasks", params={"offset": 100_000}, headers=headers).json() == []


@pytest.mark.parametrize("params,core", [
    ({"lead": "ban to chuc"}, {"lead": "ban to chuc"}),
    ({"lead": "BTC"}, {"lead": "BTC"}),
    ({"partner": "Văn phòng Tỉnh ủy"}, {"partner": "Văn phòng Tỉnh ủy"}),
    ({"doc": "kh-376-2025"}, {"doc_id": "kh-376-2025"}),
    ({"due_before": "2025-09-30"}, {"due_before": "2025-09-30"}),
    ({"due_after": "1/10/2025", "due_before": "31/12/2025"}, {"due_after": "2025-10-01", "due_before": "2025-12-31"}),
    ({"kind": "quarter"}, {"kind": "quarter"}),
    ({"kind": "none"}, {"kind": "none"}),
    ({"status": "overdue"}, {"status": "overdue"}),
    ({"status": "upcoming", "days": 60}, {"status": "upcoming", "within_days": 60}),
    ({"status": "undated"}, {"status": "undated"}),
    ({"status": "recurring"}, {"status": "recurring"}),
    ({"status": "done"}, {"status": "done"}),
    ({"province": "lai chau"}, {"province": "Lai Châu"}),
    ({"province": "Thái Nguyên", "lead": "Ban Tổ chức Tỉnh ủy"}, {"province": "thai nguyen", "lead": "BTC Tỉnh ủy"}),
    ({"sort": "due", "lead": "ban to chuc"}, {"lead": "ban to chuc", "sort": "due"}),
    ({"q": "dai hoi"}, {"q": "dai hoi"}),
    ({"lead": "ban to chuc", "doc": "kh-376-2025", "due_before": "2025-12-31"},
     {"lead": "ban to chuc", "doc_id": "kh-376-2025", "due_before": "2025-12-31"}),
])
def test_tasks_filters_are_the_registers(client, headers, assistant, params, core):
    r = client.get("/tasks", params={**params, "limit": 1000}, headers=headers)
    assert r.status_code == 200, r.text
    core = dict(core)
    expected = [t["clause_id"] for t in _core(assistant, core.pop("sort", "nearest"), **core)]
    assert [t["clause_id"] for t in r.json()] == expected
    assert int(r.headers["X-Total-Count"]) == len(expected)
    assert 0 < len(expected) < len(_core(assistant))  # each filter case really filters


def test_tasks_status_is_relative_to_the_services_today(client, headers, assistant):
    assert assistant.settings.today().isoformat() == "2025-09-01"
    rows = client.get("/tasks", params={"status": "overdue", "limit": 1000}, headers=headers).json()
    assert rows and all(r["deadline"]["due"] < "2025-09-01" for r in rows)


def test_tasks_sort_by_document(client, headers, assistant):
    rows = client.get("/tasks", params={"sort": "document", "limit": 1000}, headers=headers).json()
    assert [r["clause_id"] for r in rows] == [t["clause_id"] for t in _core(assistant, sort="document")]


@pytest.mark.parametrize("params,status,code", [
    ({"due_before": "31/13/2025"}, 400, "bad_filter"),
    ({"due_after": "hôm qua"}, 400, "bad_filter"),
    ({"due_before": "2025-02-30"}, 400, "bad_filter"),
    ({"doc": "khong-co"}, 400, "bad_filter"),
    ({"status": "late"}, 422, "invalid_input"),
    ({"kind": "week"}, 422, "invalid_input"),
    ({"sort": "lead"}, 422, "invalid_input"),
    ({"limit": 0}, 422, "out_of_range"),
    ({"limit": 1001}, 422, "out_of_range"),
    ({"limit": "many"}, 422, "invalid_input"),
    ({"offset": -1}, 422, "out_of_range"),
    ({"days": -1}, 422, "out_of_range"),
    ({"days": 99999}, 422, "out_of_range"),
    ({"lead": "x" * 5000}, 422, "too_long"),
])
def test_tasks_bad_filters(client, headers, params, status, code):
    assert_error(client.get("/tasks", params=params, headers=headers), status, code)


# --- /tasks/export ----------------------------------------------------------------------

def test_export_csv_opens_with_vietnamese_intact(client, headers, assistant):
    r = client.get("/tasks/export", params={"format": "csv", "lead": "ban to chuc"}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and ".csv" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADINGS
    expected = _core(assistant, lead="ban to chuc")
    assert len(rows) - 1 == len(expected) == int(r.headers["X-Total-Count"])
    first, cells = expected[0], dict(zip(HEADINGS, rows[1]))
    assert cells["Nội dung"] == first["text"] and cells["Mã điều khoản"] == first["clause_id"]
    assert cells["Cơ quan chủ trì"] == (first["lead"] or "") and "Tỉnh ủy" in cells["Cơ quan chủ trì"]
    assert cells["Hạn chót"] == ((first["deadline"] or {}).get("due") or "")
    assert (cells["Tỉnh"], cells["Tình trạng"], cells["Văn bản"]) == \
        (first["province"], first["status_label"], first["document"])


def test_export_xlsx_has_header_rows_and_dates(client, headers, assistant):
    r = client.get("/tasks/export", params={"format": "xlsx", "doc": "kh-376-2025"}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADINGS
    expected = _core(assistant, doc_id="kh-376-2025")
    assert len(rows) - 1 == len(expected)
    dated = [(dict(zip(HEADINGS, row)), t) for row, t in zip(rows[1:], expected) if (t["deadline"] or {}).get("due")]
    assert dated
    row, t = dated[0]
    assert row["Hạn chót"].date().isoformat() == t["deadline"]["due"]
    assert row["Nội dung"] == t["text"] and row["Mã điều khoản"] == t["clause_id"] and row["Tỉnh"] == "Lai Châu"


def test_export_bad_format_and_filters(client, headers):
    assert_error(client.get("/tasks/export", params={"format": "pdf"}, headers=headers), 422)
    assert_error(client.get("/tasks/export", params={"due_before": "x"}, headers=headers), 400, "bad_filter")


# --- /clauses, /documents ---------------------------------------------------------------

def test_clause_in_context(client, headers):
    r = client.get("/clauses/kh-376-2025/VI.2.1", headers=headers)
    assert r.status_code == 200
    ctx = r.json()
    assert {"clause", "heading_path", "document", "parent", "children", "siblings"} <= set(ctx)
    assert ctx["clause"]["clause_id"] == "kh-376-2025/VI.2.1"
    assert ctx["clause"]["text"] == "Đề xuất Trung ương giao biên chế năm 2026."
    assert ctx["parent"]["clause_id"] == "kh-376-2025/VI.2"
    assert ctx["heading_path"] and ctx["document"]["doc_id"] == "kh-376-2025"
    assert all(s["clause_id"].startswith("kh-376-2025/VI.2.") for s in ctx["siblings"])


def test_clause_with_parentheses_in_its_id(client, headers, assistant):
    some = next(t for t in assistant.tasks() if "(" in t["clause_id"])
    r = client.get(f"/clauses/{some['clause_id']}", headers=headers)
    assert r.status_code == 200 and r.json()["clause"]["clause_id"] == some["clause_id"]


@pytest.mark.parametrize("clause_id", ["khong-co/1", "kh-376-2025/IX.99", "kh-376-2025", "x" * 2000, "%00%ff"])
def test_unknown_clause_is_404(client, headers, clause_id):
    err = assert_error(client.get(f"/clauses/{clause_id}", headers=headers), 404, "clause_not_found")
    assert len(err["message"]) < 200


def test_documents(client, headers):
    docs = client.get("/documents", headers=headers).json()
    assert {d["doc_id"] for d in docs} >= {"kh-376-2025", "ctr-01-2026", "bc-btctu-2026-05"}
    kh = next(d for d in docs if d["doc_id"] == "kh-376-2025")
    assert kh["number"] == "376-KH/TU" and kh["tasks"] > 0 and kh["clauses"] >= kh["tasks"]


def test_unknown_route_and_method(client, headers):
    assert_error(client.get("/khong-co", headers=headers), 404, "not_found")
    assert_error(client.get("/ask", headers=headers), 405, "method_not_allowed")
    assert_error(client.delete("/tasks", headers=headers), 405, "method_not_allowed")


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    assert {"/ask", "/tasks", "/tasks/export", "/clauses/{clause_id}", "/documents", "/healthz", "/readyz"} <= set(
        spec["paths"])
    assert "X-API-Key" in str(spec["components"]["securitySchemes"])
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # nothing loaded from outside the machine
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200
    assert_error(client.get("/docs/static/../../etc/passwd"), 404)
