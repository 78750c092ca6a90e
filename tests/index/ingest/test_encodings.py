"""Text files in the encodings provincial archives still hold -> the same Unicode NFC text."""
import unicodedata
from pathlib import Path

import pytest

from quydinh_bot.documents.document import DocumentError
from quydinh_bot.documents.legacy import encode_cp1258, encode_tcvn3, encode_vni
from quydinh_bot.documents.plain import decode_text

DATA = Path(__file__).parent / "data"
EXPECTED_TAIL = ["Độc lập - Tự do - Hạnh phúc",
                 "Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy; thời gian thực hiện: trước 31/8/2025."]
SAMPLE = ("KẾ HOẠCH triển khai công tác tổ chức xây dựng Đảng năm 2026. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp "
          "với Ủy ban Kiểm tra Tỉnh ủy; thời gian thực hiện: trước 31/8/2026. Người đứng đầu cấp ủy quyết định.")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def test_tcvn3_fixture():
    text, enc = decode_text((DATA / "tcvn3.txt").read_bytes(), "tcvn3.txt")
    assert enc == "tcvn3"
    assert text.split("\n")[:4] == [nfc("ĐẢNG CỘNG SẢN VIỆT NAM"),
                                    nfc("Cộng hoà xã hội chủ nghĩa Việt Nam")] + EXPECTED_TAIL


def test_vni_fixture():
    text, enc = decode_text((DATA / "vni.txt").read_bytes(), "vni.txt")
    assert enc == "vni"
    assert text.split("\n")[:3] == [nfc("Cộng hòa xã hội chủ nghĩa Việt Nam")] + EXPECTED_TAIL


@pytest.mark.parametrize("data,encoding", [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (SAMPLE.encode("utf-16"), "utf-16"),
    (SAMPLE.encode("utf-16-le"), "utf-16"),
    (encode_cp1258(SAMPLE), "windows-1258"),
    (encode_vni(SAMPLE), "vni"),
])
def test_every_encoding_gives_the_same_nfc_text(data, encoding):
    text, enc = decode_text(data, "x.txt")
    assert enc == encoding
    assert text == nfc(SAMPLE)


def test_tcvn3_capitals_come_back_in_all_caps_words_and_sentence_starts():
    text, enc = decode_text(encode_tcvn3(SAMPLE), "x.txt")
    assert enc == "tcvn3"
    assert text.startswith("KẾ HOẠCH triển khai")  # upper-case tone letters have no TCVN3 code of their own
    assert "Ban Tổ chức Tỉnh ủy chủ trì" in text


def test_nfd_utf8_is_normalised():
    text, _ = decode_text(unicodedata.normalize("NFD", SAMPLE).encode("utf-8"), "x.txt")
    assert text == nfc(SAMPLE)


@pytest.mark.parametrize("data", [b"", b"   \n\t ", bytes(range(256)) * 8, b"\x7fELF\x02\x01" + bytes(200)])
def test_empty_and_binary_files_are_refused(data):
    with pytest.raises(DocumentError) as e:
        decode_text(data, "x.txt")
    assert "\n" not in str(e.value) and str(e.value).startswith("x.txt:")
