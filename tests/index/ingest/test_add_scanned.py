"""`add` of a scanned PDF end to end: OCR'd in the readers' child process, its words and task
rows reach the register; a page too poor to trust is reported in the result, not indexed."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ingest.fixtures import snapshot
from quydinh_bot.documents import ocr
from quydinh_bot.shells import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "documents"))
from scans import SCANNED_PLAN, mixed_pdf, scanned_pdf  # noqa: E402 - tests/documents/scans.py

pytestmark = pytest.mark.skipif(ocr.tesseract() is None, reason="tesseract with its Vietnamese model is not "
                                "installed (setup.sh installs tesseract-ocr tesseract-ocr-vie with apt)")


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_a_scanned_plan_then_its_tasks(workspace, capsys, tmp_path):
    scan = scanned_pdf(tmp_path / "ke-hoach-77-ban-quet.pdf", [SCANNED_PLAN])
    code, out, err = run_cli(capsys, "add", str(scan), "--json")
    assert code == 0, err
    added = json.loads(out)["added"]
    assert [a["doc_id"] for a in added] == ["kh-77-2026"] and added[0]["notes"] == []
    assert added[0]["source_format"] == "PDF" and added[0]["tasks"] >= 2
    code, out, _ = run_cli(capsys, "tasks", "--json", "--doc", "kh-77-2026")
    rows = [json.loads(line) for line in out.splitlines()]
    assert ("Sở Tài chính", "2026-06-30") in [(r["lead"], r["deadline"]["due"]) for r in rows]
    assert any("phân loại hồ sơ lưu trữ" in r["text"] for r in rows)


def test_a_poor_page_is_reported_by_add_and_left_out(workspace, capsys, tmp_path):
    mixed = mixed_pdf(tmp_path / "chuong-trinh-mo.pdf",
                      ["CHƯƠNG TRÌNH CÔNG TÁC", "1. Tổ chức hội nghị sơ kết công tác tuyên giáo năm 2026.",
                       "Đơn vị chủ trì: Ban Tuyên giáo Tỉnh ủy. Thời hạn: trước 31/3/2026."],
                      SCANNED_PLAN[6:8], blur=6.5)
    code, out, err = run_cli(capsys, "add", str(mixed), "--id", "ctr-mo-2026")
    assert code == 0, err
    assert "Lưu ý: Trang quét không đủ rõ" in out and "trang 2 (" in out
    code, out, _ = run_cli(capsys, "tasks", "--json", "--doc", "ctr-mo-2026")
    leads = [json.loads(line)["lead"] for line in out.splitlines()]
    assert leads == ["Ban Tuyên giáo Tỉnh ủy"]


def test_an_unreadable_scan_changes_nothing(workspace, capsys, tmp_path):
    root, _ = workspace
    before = snapshot(root)
    blurred = scanned_pdf(tmp_path / "mo-het.pdf", [SCANNED_PLAN], blur=6.5)
    code, out, err = run_cli(capsys, "add", str(blurred))
    assert code == 2 and out == "" and err.count("\n") == 1 and "quét lại" in err
    assert snapshot(root) == before
