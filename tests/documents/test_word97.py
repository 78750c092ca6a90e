"""Word 97-2003 .doc files, read through antiword (installed by setup.sh)."""
from pathlib import Path

import pytest

from quydinh_bot import DocumentError
from quydinh_bot.documents.convert import convert
from quydinh_bot.documents.word97 import OLE_MAGIC, converter, from_antiword

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"  # ../shared/real beside the repository


def test_antiword_text_becomes_paragraphs_and_table_lines():
    text = ("|ỦY BAN NHÂN DÂN          |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            "|TỈNH ĐIỆN BIÊN           |Độc lập - Tự do - Hạnh phúc        |\n"
            "|                         |                                   |\n"
            "\n\n   KẾ HOẠCH   \n\n\nTriển khai công tác năm 2026\n\n"
            "|TT |Nội dung công việc      |Đơn vị chủ trì |Thời hạn   |\n"
            "|1  |Rà soát hồ sơ           |Sở Nội vụ      |Quý II/2026|\n"
            "Một đoạn sau bảng.\n")
    out = from_antiword(text)
    assert "ỦY BAN NHÂN DÂN" in out and "TỈNH ĐIỆN BIÊN" in out and "|" not in out
    assert "\nKẾ HOẠCH\n" in out and "\n\nTriển khai công tác năm 2026\n\n" in out
    row = next(line for line in out.splitlines() if "Rà soát hồ sơ" in line)
    assert row.split("\t")[:3] == ["1", "Rà soát hồ sơ", "Sở Nội vụ"] and "Quý II/2026" in row
    assert out.rstrip().endswith("Một đoạn sau bảng.")


def test_a_file_named_doc_that_is_not_one_is_refused_in_one_line(tmp_path):
    with pytest.raises(DocumentError, match=r"không phải tệp Word 97-2003 \(\.doc\) hợp lệ") as e:
        convert(tmp_path / "ke-hoach.doc", b"PK\x03\x04 this is a docx renamed")
    assert "\n" not in str(e.value)


@pytest.mark.skipif(converter() is None, reason="antiword is not installed (setup.sh installs it with apt)")
def test_a_broken_doc_is_refused_in_one_line(tmp_path):
    with pytest.raises(DocumentError) as e:
        convert(tmp_path / "hong.doc", OLE_MAGIC + b"\x00" * 600)
    assert "hong.doc" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.skipif(converter() is None, reason="antiword is not installed (setup.sh installs it with apt)")
@pytest.mark.skipif(not (REAL / "99_2025_NQ-HDND_685704.doc").exists(),
                    reason="../shared/real is not beside the repository")
def test_a_real_resolution_in_doc_reads_with_its_header_and_articles():
    path = REAL / "99_2025_NQ-HDND_685704.doc"
    text = convert(path, path.read_bytes())
    assert "Số: 99/2025/NQ-HĐND" in text and "Quảng Ninh, ngày 16 tháng 12 năm 2025" in text
    assert "NGHỊ QUYẾT" in text and "Điều 1" in text
    assert not any(len(line) > 2000 for line in text.splitlines())
