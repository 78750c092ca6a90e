"""Bad input never crashes: empty, binary, wrong encoding, oversize, no structure."""
from pathlib import Path

import pytest

from quydinh_bot import Corpus
from quydinh_bot.documents.document import DocumentError, decode, read_document


def test_empty_file_is_refused_in_vietnamese(tmp_path: Path):
    p = tmp_path / "rong.txt"
    p.write_bytes(b"  \n\n")
    with pytest.raises(DocumentError, match="rỗng"):
        read_document(p)


def test_binary_file_is_refused(tmp_path: Path):
    p = tmp_path / "anh.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10)
    with pytest.raises(DocumentError, match="nhị phân"):
        read_document(p)


def test_unknown_encoding_is_refused():
    with pytest.raises(DocumentError, match="UTF-8"):
        decode("Đảng ủy tỉnh".encode("cp1258", errors="replace") + b"\xff\xfe\xfa", "x.txt")


def test_utf16_with_bom_is_read():
    assert decode("Đảng ủy".encode("utf-16"), "x.txt") == "Đảng ủy"


def test_oversize_file_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("QUYDINH_CORPUS_DIR", str(tmp_path))
    p = tmp_path / "lon.txt"
    p.write_bytes(b"a" * 100)
    from quydinh_bot.config import Settings

    with pytest.raises(DocumentError, match="quá lớn"):
        read_document(p, settings=Settings(max_document_bytes=10))


def test_file_without_numbered_structure_parses(tmp_path: Path):
    p = tmp_path / "van-ban.txt"
    p.write_text("Ghi chú cuộc họp\n\nNội dung thứ nhất.\n", encoding="utf-8")
    corpus = Corpus.load_file(p)
    assert corpus.clauses and all(c.text for c in corpus.clauses)


def test_metadata_from_the_text_itself():
    doc = read_document(Path("x.txt"), {"id": "x"}, data=(
        "**PHỤ LỤC**\n*(Kèm theo Kế hoạch số 376-KH/TU, ngày 21/7/2025 của Ban Thường vụ Tỉnh ủy)*\n\n1. Việc.\n"
    ).encode())
    assert (doc.kind, doc.number, doc.date, doc.parent_kind) == ("phụ lục", "376-KH/TU", "21/7/2025", "kế hoạch")
    assert doc.cite_name == "Kế hoạch số 376-KH/TU ngày 21/7/2025, Phụ lục"
