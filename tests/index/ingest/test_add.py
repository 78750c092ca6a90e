"""`add`/`remove` end to end on a small corpus with the real model: the new plan's task rows
reach the register and answers without re-embedding the other documents; a running Assistant
picks the new index up; bad files change nothing; a damaged index file is caught by checksum."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.fixtures import PLAN_ROWS, snapshot, write_plan_docx
from quydinh_bot import Assistant
from quydinh_bot.config import Settings
from quydinh_bot.documents.document import DocumentError
from quydinh_bot.index.build import IndexError_, check_index, clear_cache, load_index
from quydinh_bot.index.ingest import add_files, remove
from quydinh_bot.language.text import fold
from quydinh_bot.shells import cli


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_word_plan_then_tasks_answers_and_remove(workspace, capsys, tmp_path):
    root, _ = workspace
    assistant = Assistant()  # serving before the add: must see the new plan afterwards
    plan = write_plan_docx(tmp_path / "ke-hoach-512.docx")
    code, out, err = run_cli(capsys, "add", str(plan), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert [a["doc_id"] for a in result["added"]] == ["kh-512-2026"]
    assert result["embedded"] == ["kh-512-2026"]  # the other document came from the cache
    assert (root / "corpus" / "originals" / "kh-512-2026.docx").read_bytes() == plan.read_bytes()
    assert 'number = "512-KH/TU"' in (root / "corpus" / "metadata.toml").read_text(encoding="utf-8")

    code, out, _ = run_cli(capsys, "tasks", "--json", "--doc", "kh-512-2026", "--sort", "document")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["lead"], r["deadline"]["text"]) for r in rows] == [(lead, dl) for _, _, lead, _, dl in PLAN_ROWS]
    assert [r["deadline"]["due"] for r in rows] == ["2026-09-30", "2026-12-31", "2026-12-15"]

    answer = assistant.ask("Ai chủ trì kiểm tra việc thực hiện quy chế làm việc của cấp ủy cấp xã sau sắp xếp?")
    assert answer["answered"] and answer["hits"][0]["clause_id"] == "kh-512-2026/II.3"
    assert fold("Ủy ban Kiểm tra Tỉnh ủy") in fold(answer["hits"][0]["lead"])
    answer = assistant.ask("han ra soat bo sung quy hoach can bo lanh dao cac so ban nganh")
    assert answer["answered"] and "30/9/2026" in answer["hits"][0]["deadline"]["text"]
    check_index(Settings(), deep=True)

    code, out, err = run_cli(capsys, "add", str(plan))  # the same file again
    assert code == 2 and err.count("\n") == 1 and "đã có trong kho" in err

    result = remove("kh-512-2026")
    assert result.embedded == []
    assert not list((root / "corpus").glob("kh-512-2026*"))
    assert not (root / "corpus" / "originals" / "kh-512-2026.docx").exists()
    assert "512-KH/TU" not in (root / "corpus" / "metadata.toml").read_text(encoding="utf-8")
    assert all(h["doc_id"] != "kh-512-2026" for h in assistant.tasks())


def _bad_files(tmp_path: Path) -> list[Path]:
    import random

    import docx

    rnd = random.Random(13)
    (tmp_path / "ngau-nhien.pdf").write_bytes(bytes(rnd.randrange(256) for _ in range(5000)))
    docx.Document().save(tmp_path / "rong.docx")
    (tmp_path / "nhi-phan.txt").write_bytes(bytes(rnd.randrange(256) for _ in range(5000)))
    (tmp_path / "bang.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip")
    _scanned_pdf(tmp_path / "ban-quet.pdf")
    _encrypted_pdf(tmp_path / "mat-khau.pdf")
    return sorted(tmp_path.iterdir())


def _scanned_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)  # a page with no text layer
    c.showPage()
    c.save()


def _encrypted_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="mat-khau-123")
    c.drawString(100, 700, "Noi dung mat")
    c.showPage()
    c.save()


def test_bad_files_are_refused_and_change_nothing(workspace, tmp_path, capsys, monkeypatch):
    root, _ = workspace
    before = snapshot(root)
    bad = tmp_path / "bad"
    bad.mkdir()
    messages = {}
    for f in _bad_files(bad):
        code, out, err = run_cli(capsys, "add", str(f))
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("Lỗi: ") and "Traceback" not in err, err
        messages[f.name] = err
        assert snapshot(root) == before, f.name
    assert "OCR" in messages["ban-quet.pdf"]
    assert "không được hỗ trợ" in messages["bang.xlsx"]
    assert "rỗng" in messages["rong.docx"] and "rỗng" in messages["rong.txt"]
    assert "mật khẩu" in messages["mat-khau.pdf"] or "không đọc được" in messages["mat-khau.pdf"]
    # the same content under another name, and a file over the size limit
    same = root / "corpus" / "ctr-01-btctu-2026_chuong-trinh-cong-tac-to-chuc-xay-dung-dang-2026.txt"
    code, _, err = run_cli(capsys, "add", str(same))
    assert code == 2 and "đã có trong kho" in err
    monkeypatch.setenv("QUYDINH_MAX_DOCUMENT_BYTES", "1000")
    code, _, err = run_cli(capsys, "add", str(write_plan_docx(tmp_path / "lon.docx")))
    monkeypatch.delenv("QUYDINH_MAX_DOCUMENT_BYTES")
    assert code == 2 and "quá lớn" in err
    assert snapshot(root) == before


def test_one_line_error_from_a_real_process(workspace, tmp_path):
    _, env = workspace
    f = tmp_path / "x.pdf"
    f.write_bytes(os.urandom(3000))
    p = subprocess.run([sys.executable, "-m", "quydinh_bot", "add", str(f)], capture_output=True, text=True,
                       env={**os.environ, **env}, timeout=120)
    assert p.returncode == 2 and p.stdout == "" and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr


def test_damaged_index_file_is_caught_by_its_checksum(workspace, capsys):
    root, _ = workspace
    live = (root / "index" / "current").resolve()
    key = json.loads((live / "manifest.json").read_text(encoding="utf-8"))["parts"][0]["key"]
    damaged = root / "index" / "parts" / key / "arrays.bin"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    clear_cache()
    with pytest.raises(IndexError_, match="arrays.bin"):
        load_index(Settings())
    code, _, err = run_cli(capsys, "index", "--check")
    assert code == 2 and "sai mã kiểm tra" in err
    # `quydinh-bot index` makes the damaged part again (and only it)
    code, out, err = run_cli(capsys, "index")
    assert code == 0, err
    code, _, err = run_cli(capsys, "index", "--check")
    assert code == 0, err


def test_an_old_format_index_is_refused_with_the_rebuild_message(workspace, capsys):
    root, _ = workspace
    live = (root / "index" / "current").resolve()
    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    (live / "manifest.json").write_text(json.dumps(dict(manifest, format=1)), encoding="utf-8")
    with pytest.raises(IndexError_, match="Hãy xây lại: quydinh-bot index"):
        check_index(Settings())


def test_add_writes_one_part_and_leaves_the_others_alone(workspace, tmp_path, monkeypatch):
    """The parts of the documents already indexed are not read, embedded or rewritten by `add`;
    the new document is parsed once (the check and the index read the same clauses), with the
    cyclic collector off for the add and on again after."""
    import gc

    import quydinh_bot.index.build as index_mod
    import quydinh_bot.index.ingest as ingest_mod
    import quydinh_bot.parse.corpus as corpus_mod
    from quydinh_bot.index import parts

    root, _ = workspace
    store = root / "index" / "parts"
    before = {p.name: {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in p.iterdir()} for p in store.iterdir()}
    touched: list[Path] = []
    real_open = open

    def watching_open(file, *a, **k):
        if str(file).startswith(str(store)):
            touched.append(Path(file))
        return real_open(file, *a, **k)

    def no_load(*a, **k):
        raise AssertionError("add loaded a stored part")

    parsed: list[tuple[str, bool]] = []
    real_parse = corpus_mod.parse_document

    def counting_parse(doc):
        parsed.append((doc.doc_id, gc.isenabled()))
        return real_parse(doc)

    plan = write_plan_docx(tmp_path / "ke-hoach-512.docx")
    with monkeypatch.context() as m:
        m.setattr("builtins.open", watching_open)
        m.setattr("io.open", watching_open)
        m.setattr(parts, "load", no_load)
        m.setattr(corpus_mod, "parse_document", counting_parse)  # what build() imports
        m.setattr(ingest_mod, "parse_document", counting_parse)
        assert gc.isenabled()
        result = add_files([plan])
    assert gc.isenabled()
    assert parsed == [("kh-512-2026", False)]
    assert result.embedded == ["kh-512-2026"]
    new = set(p.name for p in store.iterdir()) - set(before)
    assert len(new) == 1
    assert all(p.parent.name in new or p.parent.name.startswith(".") for p in touched), touched
    for key, files in before.items():
        assert {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in (store / key).iterdir()} == files
    manifest = json.loads((root / "index" / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert [p["doc_id"] for p in manifest["parts"]] == ["ctr-01-2026", "kh-512-2026"]
    assert index_mod.check_index(Settings(), deep=True)["documents"] == 2


def test_unknown_document_and_bad_meta(workspace, capsys, tmp_path):
    with pytest.raises(DocumentError, match="Không có văn bản mã"):
        remove("khong-co")
    code, _, err = run_cli(capsys, "add", str(write_plan_docx(tmp_path / "p.docx")), "--meta", "mau=do")
    assert code == 2 and "không hợp lệ" in err
    code, _, err = run_cli(capsys, "add", str(write_plan_docx(tmp_path / "p.docx")), "--id", "ctr-01-2026")
    assert code == 2 and "đã có trong kho" in err


def test_meta_overrides_win(workspace, tmp_path):
    root, _ = workspace
    result = add_files([write_plan_docx(tmp_path / "p.docx")], {"id": "kh-thu", "issuer": "Ban Tổ chức Tỉnh ủy",
                                                              "date": "15/8/2026"})
    added = result.added[0]
    assert added.doc_id == "kh-thu" and added.meta["issuer"] == "Ban Tổ chức Tỉnh ủy"
    docs = {d["doc_id"]: d for d in Assistant().documents()}
    assert docs["kh-thu"]["issuer"] == "Ban Tổ chức Tỉnh ủy" and docs["kh-thu"]["number"] == "512-KH/TU"
