"""Hostile and oversized uploads, built here (`bombs`): each is refused with one Vietnamese
sentence before the expensive work (the reader, the parser, the model), the corpus and index
are left as they were, and a real `quydinh-bot serve` refuses them over HTTP and keeps answering."""
from __future__ import annotations

import dataclasses
import time
import zlib

import pytest

from helpers import BagOfWordsEmbedder
from ingest.bombs import CHUNK, _piece, _write_zip, deflate_repeated, docx_bomb, pdf_many_pages, pdf_stream_bomb
from ingest.fixtures import snapshot, write_plan_docx
from live import serving
from quydinh_bot.config import Settings
from quydinh_bot.documents import convert as convert_module
from quydinh_bot.documents import sandbox
from quydinh_bot.documents.convert import convert
from quydinh_bot.documents.document import DocumentError
from quydinh_bot.index import ingest
from quydinh_bot.index.ingest import add_files
from shells.api.api_helpers import assert_error

QUESTION = "Năm 2026 phải thành lập mới ít nhất bao nhiêu tổ chức đảng trong doanh nghiệp ngoài khu vực nhà nước?"


class NoModel:
    """An embedder that must never be reached."""

    def __getattr__(self, name):
        raise AssertionError(f"embedder used ({name}) for a file that should have been refused")


def _never(what):
    def fail(*a, **k):
        raise AssertionError(f"{what} called for a file that should have been refused before it")
    return fail


def refused(path, **kw) -> tuple[str, float]:
    """add_files(path) -> (its one-line Vietnamese refusal, seconds it took)."""
    t0 = time.perf_counter()
    with pytest.raises(DocumentError) as err:
        add_files([path], embedder=NoModel(), **kw)
    seconds = time.perf_counter() - t0
    msg = str(err.value)
    assert msg.startswith(path.name + ": ") and "\n" not in msg and not msg.isascii(), msg
    return msg, seconds


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    d = tmp_path_factory.mktemp("bombs")
    template = write_plan_docx(d / "mau.docx")
    return {"docx": docx_bomb(d / "bom-1gb.docx", template),  # 1 GiB declared and real
            "docx-lies": docx_bomb(d / "khai-sai.docx", template, size=CHUNK * 4, declared=1000),
            "pdf": pdf_stream_bomb(d / "bom-luong.pdf"),  # 220 KB -> 64 MiB content stream
            "pages": pdf_many_pages(d / "nhieu-trang.pdf", 2000),
            "pages-hidden": pdf_many_pages(d / "trang-an.pdf", 2000, declared=1),
            "template": template}


@pytest.fixture(scope="module", autouse=True)
def forkserver_started():
    sandbox.warm_up()  # the readers' process server starts once (~1 s); timings below are per file


def test_docx_bomb_refused_from_the_central_directory(workspace, bombs, monkeypatch):
    root, _ = workspace
    before = snapshot(root)
    assert bombs["docx"].stat().st_size < 2 * 2**20
    monkeypatch.setattr(sandbox, "read_in_child", _never("the Word reader"))
    msg, seconds = refused(bombs["docx"])
    assert "word/document.xml" in msg and "giải nén quá lớn" in msg and "1024 MiB" in msg
    assert seconds < 10
    assert snapshot(root) == before


def test_zip_ratio_total_and_entry_count(workspace, bombs, tmp_path, monkeypatch):
    root, _ = workspace
    before = snapshot(root)
    monkeypatch.setattr(sandbox, "read_in_child", _never("the Word reader"))
    # 32 MiB (under the per-entry cap) compressed ~1000:1
    ratio = docx_bomb(tmp_path / "ti-le.docx", bombs["template"], size=2 * CHUNK)
    msg, seconds = refused(ratio)
    assert "tỉ lệ nén bất thường" in msg and seconds < 10
    # five such entries: each under the caps, the sum over 128 MiB
    raw, crc, _, size = deflate_repeated(b"", b"A" * CHUNK, 2, b"")
    monkeypatch.setenv("QUYDINH_MAX_COMPRESSION_RATIO", "100000")
    many = _write_zip(tmp_path / "tong.docx", [(f"word/media/p{i}.bin", raw, crc, size, 8) for i in range(5)])
    msg, _ = refused(many)
    assert "khi giải nén quá lớn (160 MiB; giới hạn 128 MiB)" in msg
    empty = _piece(b"", final=True)
    crowd = _write_zip(tmp_path / "dong.docx", [(f"x/{i}.xml", empty, 0, 0, 8) for i in range(2500)])
    msg, _ = refused(crowd)
    assert "quá nhiều thành phần (2.500; giới hạn 2.000)" in msg
    assert snapshot(root) == before


def test_docx_that_declares_less_than_it_holds_is_read_only_as_far_as_declared(workspace, bombs):
    """Python's zipfile stops at the declared size (then fails the CRC): the child never inflates
    the 64 MiB the entry really holds."""
    root, _ = workspace
    before = snapshot(root)
    msg, seconds = refused(bombs["docx-lies"])
    assert "không phải tệp Word .docx hợp lệ" in msg and seconds < 20
    assert snapshot(root) == before


def test_pdf_stream_bomb_refused_before_pdfplumber(workspace, bombs, monkeypatch):
    root, _ = workspace
    before = snapshot(root)
    assert bombs["pdf"].stat().st_size < 300_000
    monkeypatch.setattr(sandbox, "read_in_child", _never("the PDF reader"))
    msg, seconds = refused(bombs["pdf"])
    assert "luồng dữ liệu giải nén quá lớn (hơn 16 MiB)" in msg and seconds < 10
    # every stream within its cap, all together over the total
    monkeypatch.setenv("QUYDINH_MAX_PDF_STREAM_BYTES", str(2**30))
    monkeypatch.setenv("QUYDINH_MAX_PDF_DECODED_BYTES", str(32 * 2**20))
    msg, _ = refused(bombs["pdf"])
    assert "khi giải nén quá lớn (hơn 32 MiB)" in msg
    assert snapshot(root) == before


def test_pdf_pages_counted_before_any_page_is_read(workspace, bombs):
    """2000 pages would take over a minute to read (~35 ms a page); the count refuses at once,
    from the root's /Count or, when that lies, from the page tree itself."""
    root, _ = workspace
    before = snapshot(root)
    msg, seconds = refused(bombs["pages"])
    assert "quá nhiều trang (2.000 trang; giới hạn 300 trang)" in msg and seconds < 20
    msg, seconds = refused(bombs["pages-hidden"])
    assert "quá nhiều trang (hơn 300 trang; giới hạn 300 trang)" in msg and seconds < 20
    assert snapshot(root) == before


def test_huge_one_line_txt_refused_before_decoding(workspace, tmp_path, monkeypatch):
    root, _ = workspace
    before = snapshot(root)
    big = tmp_path / "mot-dong.txt"
    with open(big, "wb") as f:
        word = "Kế hoạch triển khai công tác cán bộ ".encode()
        for _ in range(19 * 2**20 // (len(word) * 4096)):
            f.write(word * 4096)
    monkeypatch.setattr(convert_module, "decode_text", _never("the text decoder"))
    msg, seconds = refused(big)
    assert "văn bản quá dài" in msg and "1.000.000 ký tự" in msg and seconds < 10
    assert snapshot(root) == before


def test_long_paragraph_and_long_text_refused_before_parsing(workspace, tmp_path, monkeypatch):
    root, _ = workspace
    before = snapshot(root)
    monkeypatch.setattr(ingest, "detect", _never("metadata detection"))
    monkeypatch.setattr(ingest, "parse_document", _never("the clause parser"))
    f = tmp_path / "doan-dai.txt"
    f.write_text("KẾ HOẠCH\n\nthực hiện nhiệm vụ năm 2026\n\n1. " + "nội dung " * 6000 + "\n", encoding="utf-8")
    msg, seconds = refused(f)
    assert "có đoạn văn quá dài (54.003 ký tự liền một dòng, dòng 5; giới hạn 20.000 ký tự)" in msg
    assert seconds < 10
    # the same limits hold for what the Word reader produces (checked in its process)
    monkeypatch.setenv("QUYDINH_MAX_TEXT_CHARS", "500")
    msg, _ = refused(write_plan_docx(tmp_path / "ke-hoach.docx"))
    assert "văn bản quá dài" in msg and "giới hạn 500 ký tự" in msg
    assert snapshot(root) == before


def test_a_title_is_never_a_whole_huge_line(workspace, tmp_path):
    root, _ = workspace
    subject = "triển khai " + "công tác xây dựng tổ chức cơ sở đảng " * 120  # ~4400 characters on one line
    text = (f"TỈNH ỦY LAI CHÂU\n\nSố 77-KH/TU\n\nKẾ HOẠCH\n\n{subject}\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n"
            "1. Bảo đảm công tác cán bộ được thực hiện đúng quy định.\n\n"
            "2. Ban Tổ chức Tỉnh ủy chủ trì rà soát quy hoạch cán bộ, hoàn thành trước 30/9/2026.\n")
    f = tmp_path / "tieu-de-dai.txt"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError, match="quá dài"):
        add_files([f], {"title": "x" * 301}, embedder=NoModel())  # a title given by hand: refused
    result = add_files([f], embedder=BagOfWordsEmbedder())
    title = result.added[0].meta["title"]
    assert 100 < len(title) <= 300 and title.endswith("…") and title.startswith("Kế hoạch triển khai công tác")
    toml = (root / "corpus" / "metadata.toml").read_text(encoding="utf-8")
    assert f'title = "{title}"' in toml and len(max(toml.splitlines(), key=len)) < 400


def test_child_process_memory_and_time_limits(tmp_path):
    """What gets past the checks meets the child's limits: the parent gets one sentence."""
    para = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    prefix = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
              b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    raw, crc, _, size = deflate_repeated(prefix, para * (CHUNK // len(para)), 2, b"</w:body></w:document>")
    template = write_plan_docx(tmp_path / "mau.docx")
    import zipfile

    entries = []
    with zipfile.ZipFile(template) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            entries.append((info.filename, raw, crc, size, 8) if info.filename == "word/document.xml"
                           else (info.filename, _piece(data, final=True), zlib.crc32(data), len(data), 8))
    wide = _write_zip(tmp_path / "nhieu-doan.docx", entries)  # 32 MiB of XML: ~1M paragraphs
    settings = dataclasses.replace(Settings(), max_compression_ratio=10**6, max_parse_memory_bytes=384 * 2**20)
    t0 = time.perf_counter()
    with pytest.raises(DocumentError, match=r"cần quá nhiều bộ nhớ \(giới hạn 384 MiB\)"):
        convert(wide, wide.read_bytes(), settings)
    assert time.perf_counter() - t0 < 40

    pages = pdf_many_pages(tmp_path / "cham.pdf", 2000)
    settings = dataclasses.replace(Settings(), max_pdf_pages=10**6, max_parse_seconds=1)
    t0 = time.perf_counter()
    with pytest.raises(DocumentError, match=r"đọc tệp quá lâu \(quá 1 giây\)"):
        convert(pages, pages.read_bytes(), settings)
    assert time.perf_counter() - t0 < 20
    # and a normal file still reads, the same text as before
    plan = write_plan_docx(tmp_path / "ke-hoach.docx")
    from quydinh_bot.documents.docx import read_docx

    assert convert(plan, plan.read_bytes()) == read_docx(plan.read_bytes(), plan.name)


def _vm(pid: int, field: str) -> int:
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def test_real_service_refuses_bombs_and_keeps_answering(assistant, workspace, bombs, tmp_path):
    """`quydinh-bot serve` in a subprocess: POST /documents with each bomb -> 400 bad_document in
    Vietnamese, the service's memory barely moves, and it still answers /healthz and /ask."""
    import httpx

    root, env = workspace
    before = snapshot(root)
    # pages capped at 1,500 here so that a PDF under the cap takes far longer to read than 3 s
    with serving(assistant, tmp_path, QUESTION, **env, QUYDINH_MAX_PARSE_SECONDS="3",
                 QUYDINH_MAX_PDF_PAGES="1500") as srv:
        peak = _vm(srv.proc.pid, "VmHWM")
        uploads = [(bombs["docx"], "giải nén quá lớn"), (bombs["pdf"], "luồng dữ liệu giải nén quá lớn"),
                   (bombs["pages"], "quá nhiều trang")]
        with httpx.Client(base_url=srv.base, timeout=60) as client:
            for path, words in uploads:
                t0 = time.perf_counter()
                upload = {"files": (path.name, path.read_bytes(), "application/octet-stream")}
                r = client.post("/documents", files=upload, headers={"X-API-Key": srv.admin})
                err = assert_error(r, 400, "bad_document")
                assert words in err["message"] and err["message"].startswith(path.name), err
                assert time.perf_counter() - t0 < 30
                srv.still_answers()
            # what the checks let through (1,400 pages, 10-50 s to read) meets the reader's time limit (3 s here)
            slow = pdf_many_pages(tmp_path / "cham.pdf", 1400)
            r = client.post("/documents", files={"files": (slow.name, slow.read_bytes(), "application/pdf")},
                            headers={"X-API-Key": srv.admin})
            err = assert_error(r, 400, "bad_document")
            assert "đọc tệp quá lâu (quá 3 giây)" in err["message"], err
        assert _vm(srv.proc.pid, "VmHWM") - peak < 200 * 2**20  # nothing was inflated in the service
        srv.still_answers()
        status, out = srv.ask(QUESTION)
        assert status == 200 and "08 tổ chức đảng" in out["hits"][0]["text"]
    assert snapshot(root) == before
