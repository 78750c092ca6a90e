"""The CLI is a thin shell: JSON Lines in the contract's shape, one-line Vietnamese errors."""
import json

import pytest

from quydinh_bot.shells.cli import main

CONTRACT_FIELDS = {"clause_id", "doc_id", "number", "heading_path", "text", "lead", "lead_source",
                   "partners", "deadline", "citation"}


def _lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_tasks_json_has_contract_fields_and_filters(capsys):
    assert main(["tasks", "--json", "--lead", "ban to chuc tinh uy", "--due-before", "2025-08-31"]) == 0
    rows = _lines(capsys)
    assert rows and all(CONTRACT_FIELDS <= set(r) for r in rows)
    assert all("Ban Tổ chức" in r["lead"] for r in rows)
    assert all(r["deadline"]["due"] <= "2025-08-31" for r in rows)


def test_lead_filter_understands_abbreviations(capsys):
    main(["tasks", "--json", "--lead", "UBKT"])
    rows = _lines(capsys)
    assert rows and all(r["lead"] == "Ủy ban Kiểm tra Tỉnh ủy" for r in rows)


def test_due_after_and_doc_filter(capsys):
    main(["tasks", "--json", "--doc", "ctr-01-2026", "--due-after", "2026-12-01"])
    rows = _lines(capsys)
    assert rows and all(r["doc_id"] == "ctr-01-2026" and r["deadline"]["due"] >= "2026-12-01" for r in rows)


def test_clauses_json_and_tree(capsys):
    main(["clauses", "--doc", "kh-376-2025", "--json"])
    rows = _lines(capsys)
    assert len(rows) == 160 and rows[0]["doc_title"].startswith("Phụ lục công việc")
    main(["clauses", "--doc", "kh-376-2025"])
    out = capsys.readouterr().out
    assert "VI BAN TỔ CHỨC TỈNH ỦY" in out


def test_documents_lists_counts(capsys):
    main(["documents", "--json"])
    rows = _lines(capsys)
    assert {r["doc_id"] for r in rows} >= {"kh-376-2025", "ctr-26-2022"}
    assert all(r["clauses"] > 0 for r in rows)


def test_bad_input_gives_one_line_vietnamese_error(capsys):
    assert main(["tasks", "--due-before", "ngày mai"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi:") and "ngày không hợp lệ" in err and "\n" not in err
    assert main(["clauses", "--doc", "khong-co"]) == 2
    assert "Không có văn bản" in capsys.readouterr().err


def test_a_bad_file_in_the_corpus_gives_one_line_error_not_a_crash(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rong.txt").write_bytes(b"")
    monkeypatch.setenv("QUYDINH_CORPUS_DIR", str(corpus))
    assert main(["documents"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "rong.txt" in err[0] and "rỗng" in err[0]


def test_clauses_of_a_file_outside_the_corpus(tmp_path, capsys):
    f = tmp_path / "moi.txt"
    f.write_text("I. MỤC ĐÍCH\n\n- Ban Tổ chức Tỉnh ủy chủ trì rà soát (*thực hiện thường xuyên*).\n", encoding="utf-8")
    assert main(["clauses", "--file", str(f), "--json"]) == 0
    rows = _lines(capsys)
    assert rows[-1]["lead"] == "Ban Tổ chức Tỉnh ủy" and rows[-1]["deadline"]["kind"] == "recurring"
    bad = tmp_path / "nhi-phan.txt"
    bad.write_bytes(b"\x00\x01\x02" * 50)
    assert main(["clauses", "--file", str(bad)]) == 2
    assert "nhị phân" in capsys.readouterr().err


@pytest.mark.parametrize("argv,words", [
    ([], "thiếu tham số bắt buộc: LỆNH"),
    (["khong-co"], "LỆNH: giá trị 'khong-co' không hợp lệ (chọn một trong: 'documents'"),
    (["tasks", "--status", "het-han"], "--status: giá trị 'het-han' không hợp lệ"),
    (["ask", "-k", "nam"], "-k: giá trị 'nam' không hợp lệ (cần số nguyên)"),
    (["tasks", "--days"], "--days cần một giá trị"),
    (["documents", "--thua"], "không hiểu tham số: --thua"),
    (["keys"], "thiếu tham số bắt buộc: VIỆC"),
])
def test_usage_errors_are_one_vietnamese_line_with_exit_code_2(capsys, argv, words):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("Lỗi: ") and words in err, err
    assert "--help" in err and not any(w in err for w in ("usage", "error:", "invalid", "argument", "required"))


def test_help_still_works_and_is_vietnamese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["tasks", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: quydinh-bot tasks") and "--due-before" in out
    assert "tùy chọn:" in out and "in hướng dẫn này rồi thoát" in out and "show this help" not in out



def test_tasks_show_province_document_and_status(capsys):
    """'Ban Tổ chức Tỉnh ủy' leads tasks of four provinces: each row says which, and from which document."""
    assert main(["tasks", "--json", "--lead", "Ban Tổ chức Tỉnh ủy"]) == 0
    rows = _lines(capsys)
    assert {r["province"] for r in rows} >= {"Lai Châu", "Thái Nguyên", "Lâm Đồng", "Tuyên Quang"}
    assert all(r["document"] and r["status"] and r["status_label"] and "mark" in r for r in rows)
    assert {r["document"] for r in rows if r["doc_id"] == "kh-376-2025"} == {"Phụ lục Kế hoạch 376-KH/TU"}
    main(["tasks", "--json", "--lead", "Ban Tổ chức Tỉnh ủy", "--province", "lai chau"])
    lai_chau = _lines(capsys)
    assert lai_chau and {r["province"] for r in lai_chau} == {"Lai Châu"} and len(lai_chau) < len(rows)
    main(["tasks", "--lead", "Ban Tổ chức Tỉnh ủy", "--province", "Lai Châu"])
    out = capsys.readouterr().out
    assert "Tỉnh: Lai Châu" in out and "Văn bản: Phụ lục Kế hoạch 376-KH/TU" in out and "Tình trạng:" in out


def test_tasks_default_order_is_nearest_deadline_first(capsys):
    main(["tasks", "--json"])
    rows = _lines(capsys)
    states = [r["status"] for r in rows]
    first_overdue = states.index("overdue")
    assert set(states[:first_overdue]) == {"upcoming"}  # upcoming first, soonest first
    upcoming = [r["deadline"]["due"] for r in rows[:first_overdue]]
    overdue = [r["deadline"]["due"] for r in rows if r["status"] == "overdue"]
    assert upcoming == sorted(upcoming) and overdue == sorted(overdue, reverse=True)
    assert states[-1] == "done" and not any(r["status"] == "overdue" and "thường xuyên" in
                                            r["deadline"]["text"].lower() for r in rows)


def test_tasks_mark_records_who_when_and_from_to(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QUYDINH_STATUS_FILE", str(tmp_path / "status.sqlite3"))
    monkeypatch.setenv("QUYDINH_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    assert main(["tasks", "mark", "kh-376-2025/VI.2.1", "--status", "done", "--by", "van.phong", "--json"]) == 0
    out = _lines(capsys)[0]
    change = out["change"]
    assert (change["from_status"], change["to_status"], change["by"]) == (None, "done", "van.phong")
    assert out["task"]["status"] == "done"
    main(["tasks", "--json", "--status", "done", "--doc", "kh-376-2025"])
    assert "kh-376-2025/VI.2.1" in {r["clause_id"] for r in _lines(capsys)}
    main(["tasks", "--json", "--status", "overdue"])
    assert "kh-376-2025/VI.2.1" not in {r["clause_id"] for r in _lines(capsys)}
    assert main(["tasks", "mark", "kh-376-2025/VI.2.1", "--status", "ongoing", "--by", "b"]) == 0
    assert "đã xong → đang thực hiện" in capsys.readouterr().out
    main(["tasks", "history", "kh-376-2025/VI.2.1", "--json"])
    history = [(c["from_status"], c["to_status"], c["by"]) for c in _lines(capsys)]
    assert history == [(None, "done", "van.phong"), ("done", "ongoing", "b")]
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(a["action"], a["from_status"], a["to_status"], a["channel"]) for a in audit] == \
        [("task_mark", None, "done", "cli"), ("task_mark", "done", "ongoing", "cli")]
    assert main(["tasks", "mark", "kh-376-2025/khong-co", "--status", "done"]) == 2
    assert "Không có nhiệm vụ" in capsys.readouterr().err


def test_tasks_export_to_a4_files(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "so.xlsx"
    assert main(["tasks", "--province", "Lai Châu", "--format", "xlsx", "-o", str(out)]) == 0
    ws = load_workbook(out).active
    head = [c.value for c in ws[1]]
    assert "Tỉnh" in head and "Tình trạng" in head and ws.page_setup.orientation == "landscape"
    assert {r[head.index("Tỉnh")] for r in ws.iter_rows(min_row=2, values_only=True)} == {"Lai Châu"}
    assert main(["tasks", "--format", "docx", "-o", str(tmp_path / "so.docx")]) == 0
    assert (tmp_path / "so.docx").read_bytes()[:2] == b"PK"
    assert main(["tasks", "--format", "docx"]) == 2 and "cần -o" in capsys.readouterr().err
