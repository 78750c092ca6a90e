"""Header blocks by the two standards (Hướng dẫn 36-HD/VPTW, Nghị định 30/2020/NĐ-CP), synthetic texts
rendered as the readers render them: a two-column table row by row or one column per line."""
from pathlib import Path

from quydinh_bot.documents.document import make_id, read_document
from quydinh_bot.documents.meta import body_name, detect

PARTY_HD_TW = """## **BAN BÍ THƯ ĐẢNG CỘNG SẢN VIỆT NAM \\* ---------------**

Số 12-HD/TW *Hà Nội, ngày 03 tháng 2 năm 2026*

## **HƯỚNG DẪN**

VỀ CÔNG TÁC PHÁT TRIỂN ĐẢNG VIÊN Ở CƠ SỞ

- Căn cứ Quyết định số 294-QĐ/TW, ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;

Ban Bí thư hướng dẫn như sau:

1. Về đối tượng
"""

CITY_BOARD_HD = """THÀNH ỦY HÀ NỘI
ĐẢNG CỘNG SẢN VIỆT NAM
BAN TUYÊN GIÁO
*
Số 07-HD/BTGTU
Hà Nội, ngày 15 tháng 3 năm 2026

**HƯỚNG DẪN**

**Tuyên truyền kỷ niệm ngày thành lập Đảng năm 2026**

I. MỤC ĐÍCH, YÊU CẦU

Đại học Thái Nguyên và Tỉnh ủy Lai Châu phối hợp tổ chức hội thảo.
"""

PROVINCE_PLAN = """UBND TỈNH YÊN BÌNH SỞ NÔNG NGHIỆP Số: 145/KH-SNN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Tuyên Quang, ngày 8 tháng 5 năm 2026

**KẾ HOẠCH**

**Phòng, chống dịch bệnh trên đàn gia súc**

**năm 2026**

Căn cứ Quyết định số 99/QĐ-UBND ngày 2/1/2026 của UBND tỉnh Lâm Đồng;

I. MỤC ĐÍCH
"""

DRAFT_PLAN = """UBND TỈNH LAI CHÂU
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ Y TẾ
Độc lập - Tự do - Hạnh phúc
Số:     /KH-SYT
Lai Châu, ngày    tháng 4 năm 2026

**KẾ HOẠCH**

**Tiêm chủng mở rộng trên địa bàn tỉnh**

Thực hiện Kế hoạch số 2242/KH-UBND ngày 23/4/2026 của UBND tỉnh Thái Nguyên.
"""

OFFICIAL_LETTER = """UBND TỈNH CAO BẰNG SỞ TÀI CHÍNH ____________________ Số: /STC-NS V/v rà soát kinh phí năm 2026
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập – Tự do – Hạnh phúc ________ Cao Bằng, ngày tháng 6 năm 2026

Kính gửi: Các sở, ban, ngành

Thực hiện Công văn số 1238/BTC-NSNN ngày 01/6/2026 của Bộ Tài chính.
"""

PARTY_QUY_DINH = """BAN CHẤP HÀNH TRUNG ƯƠNG
ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 301-QĐ/TW
Hà Nội, ngày 10 tháng 1 năm 2026

**QUY ĐỊNH**

**về công tác kiểm tra của tổ chức đảng**

Chương I

QUY ĐỊNH CHUNG
"""

CITING_FIRST = """ĐẢNG ỦY KHỐI CƠ QUAN TỈNH
ĐẢNG CỘNG SẢN VIỆT NAM
Số 05-BC/ĐUK
Lạng Sơn, ngày 2 tháng 7 năm 2026

BÁO CÁO

Sơ kết 6 tháng đầu năm 2026

Thực hiện Quyết định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương, Hướng dẫn số 06-HD/TW,
ngày 09 tháng 6 năm 2025 của Ban Bí thư, Đảng ủy khối báo cáo như sau:
"""


def test_party_guidance_at_tw_is_central_and_not_the_document_it_cites():
    meta, body = detect(PARTY_HD_TW)
    assert meta["kind"] == "hướng dẫn" and meta["number"] == "12-HD/TW" and meta["date"] == "3/2/2026"
    assert meta["issuer"] == "Ban Bí thư" and "parent" not in meta
    assert "province" not in meta and meta["place"] == "Hà Nội"
    assert meta["title"] == "Hướng dẫn về công tác phát triển đảng viên ở cơ sở"
    assert body.startswith("## **HƯỚNG DẪN**")


def test_city_board_guidance_province_from_the_issuer_not_the_body():
    meta, _ = detect(CITY_BOARD_HD)
    assert meta["kind"] == "hướng dẫn" and meta["number"] == "07-HD/BTGTU" and meta["date"] == "15/3/2026"
    assert meta["issuer"] == "Ban Tuyên giáo" and meta["parent"] == "Thành ủy Hà Nội"
    assert meta["province"] == "Hà Nội"  # not Thái Nguyên or Lai Châu named in the body
    assert meta["title"] == "Hướng dẫn tuyên truyền kỷ niệm ngày thành lập Đảng năm 2026"


def test_provincial_plan_with_a_department_below_the_people_committee():
    meta, _ = detect(PROVINCE_PLAN)
    assert meta["kind"] == "kế hoạch" and meta["number"] == "145/KH-SNN" and meta["date"] == "8/5/2026"
    assert meta["parent"] == "UBND tỉnh Yên Bình" and meta["issuer"] == "Sở Nông nghiệp"
    assert meta["place"] == "Tuyên Quang" and meta["province"] == "Tuyên Quang"  # no province in the names
    assert meta["title"] == "Kế hoạch phòng, chống dịch bệnh trên đàn gia súc năm 2026"


def test_draft_with_blank_number_and_day_borrows_nothing():
    meta, _ = detect(DRAFT_PLAN)
    assert "number" not in meta and meta["date"] == "4/2026"  # the month and year printed, kept
    assert meta["parent"] == "UBND tỉnh Lai Châu" and meta["issuer"] == "Sở Y tế"
    assert meta["province"] == "Lai Châu"
    assert meta["id"] == "kh-tiem-chung-mo-rong-tren-2026"  # kind + title words + year, no "kh-kh-"


def test_official_letter_vv_without_a_kind_word():
    meta, _ = detect(OFFICIAL_LETTER)
    assert meta["kind"] == "công văn" and "number" not in meta and meta["date"] == "6/2026"
    assert meta["parent"] == "UBND tỉnh Cao Bằng" and meta["issuer"] == "Sở Tài chính"
    assert meta["province"] == "Cao Bằng" and meta["place"] == "Cao Bằng"
    assert meta["title"] == "Rà soát kinh phí năm 2026"
    assert meta["id"].startswith("cv-ra-soat-kinh-phi")


def test_quy_dinh_at_tw_by_its_title_word():
    meta, _ = detect(PARTY_QUY_DINH)
    assert meta["kind"] == "quy định" and meta["number"] == "301-QĐ/TW" and meta["date"] == "10/1/2026"
    assert meta["issuer"] == "Ban Chấp hành Trung ương" and "province" not in meta
    assert meta["title"] == "Quy định về công tác kiểm tra của tổ chức đảng"


def test_a_document_cited_in_the_first_paragraph_is_not_the_header():
    meta, _ = detect(CITING_FIRST)
    assert meta["kind"] == "báo cáo" and meta["number"] == "05-BC/ĐUK" and meta["date"] == "2/7/2026"
    assert meta["province"] == "Lạng Sơn" and meta["title"] == "Báo cáo sơ kết 6 tháng đầu năm 2026"


def test_kind_from_the_number_code_without_a_title_word():
    meta, _ = detect("TỈNH ỦY LAI CHÂU\nSố 44-CT/TU\nLai Châu, ngày 1 tháng 2 năm 2026\n\n1. Các cấp ủy …\n")
    assert meta["kind"] == "chỉ thị" and meta["issuer"] == "Tỉnh ủy Lai Châu"


def test_ids_are_short_and_never_repeat_the_kind():
    assert make_id("kế hoạch", "2242/KH-SCT", "23/4/2026", Path("KH-2242_x.docx")) == "kh-2242-2026"
    assert make_id("nghị quyết", "99/2025/NQ-HĐND", None, Path("x")) == "nq-99-2025"
    assert make_id("kế hoạch", None, None, Path("KH-2242_Kiem-tra.docx")) == "kh-2242-kiem-tra"
    assert make_id("kế hoạch", None, "4/2026", Path("x"), "Kế hoạch huấn luyện an toàn") == \
        "kh-huan-luyen-an-toan-2026"


def test_province_is_never_counted_from_the_body(tmp_path):
    text = "KẾ HOẠCH\n\nLàm việc với Đại học Thái Nguyên\n\n1. Đại học Thái Nguyên chủ trì\n"
    doc = read_document(tmp_path / "k.txt", {"id": "k"}, data=text.encode("utf-8"))
    assert doc.province is None


def test_issuer_on_two_lines_and_an_abstract_opening_with_a_kind_word():
    text = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH BÌNH ĐỊNH\n------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n--------------- | Số: 12/2026/NQ-HĐND | Bình Định, ngày 2 tháng 3 năm 2026\n"
            "NGHỊ QUYẾT\nQUY ĐỊNH MỨC CHI HỖ TRỢ CÁN BỘ CƠ SỞ\nCăn cứ Luật Tổ chức chính quyền địa phương;\n")
    meta, _ = detect(text)
    assert meta["kind"] == "nghị quyết" and meta["number"] == "12/2026/NQ-HĐND"
    assert meta["issuer"] == "Hội đồng nhân dân tỉnh Bình Định" and "parent" not in meta
    assert meta["province"] == "Bình Định"
    assert meta["title"] == "Nghị quyết quy định mức chi hỗ trợ cán bộ cơ sở"


def test_joint_issuers_are_one_central_issuer():
    text = ("BỘ NỘI VỤ - BỘ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 5/2026/TTLT-BNV-BTC\n"
            "Hà Nội, ngày 1 tháng 2 năm 2026\n\nTHÔNG TƯ LIÊN TỊCH\n\nHướng dẫn chế độ phụ cấp\n\nCăn cứ …\n")
    meta, _ = detect(text)
    assert meta["issuer"] == "Bộ Nội vụ - Bộ Tài chính" and "parent" not in meta
    assert "province" not in meta and meta["place"] == "Hà Nội" and meta["number"] == "5/2026/TTLT-BNV-BTC"


def test_a_provincial_military_command_is_not_central():
    text = ("BỘ CHỈ HUY QUÂN SỰ TỈNH ĐIỆN BIÊN\nSố: 20/KH-BCH\nĐiện Biên, ngày 5 tháng 5 năm 2026\n\n"
            "KẾ HOẠCH\n\nDiễn tập\n")
    meta, _ = detect(text)
    assert meta["province"] == "Điện Biên" and meta["issuer"] == "Bộ Chỉ huy quân sự tỉnh Điện Biên"


def test_body_names_in_capitals_are_written_as_nd30_writes_them():
    """Type word and field open with a capital (NĐ 30/2020, Phụ lục II), places keep theirs."""
    assert body_name("SỞ TÀI CHÍNH") == "Sở Tài chính"
    assert body_name("SỞ CÔNG THƯƠNG") == "Sở Công Thương"
    assert body_name("BAN TỔ CHỨC THÀNH ỦY HÀ NỘI") == "Ban Tổ chức Thành ủy Hà Nội"
    assert body_name("CHI CỤC QUẢN LÝ THỊ TRƯỜNG") == "Chi cục Quản lý thị trường"
    assert body_name("UBND TỈNH LÀO CAI") == "UBND tỉnh Lào Cai"


def test_joint_issuers_printed_over_two_lines_as_a_doc_reader_renders_them():
    """Three issuers, the last an organ ("ĐOÀN CHỦ TỊCH") of the body on the next line, the two
    columns read row by row: one joint issuer, no parent (a parent is printed above, not below)."""
    text = ("BỘ NỘI VỤ - BỘ TÀI CHÍNH - ĐOÀN CHỦ TỊCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n-------\n---------------\n"
            "Số: 7/2026/NQLT-BNV-BTC-ĐCTUBTWMTTQVN\nHà Nội, ngày 3 tháng 4 năm 2026\n\nNGHỊ QUYẾT LIÊN TỊCH\n\n"
            "HƯỚNG DẪN CÔNG TÁC THI ĐUA\n\nCăn cứ …\n")
    meta, _ = detect(text)
    assert meta["issuer"] == "Bộ Nội vụ - Bộ Tài chính - Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"
    assert "parent" not in meta and "province" not in meta
    assert meta["kind"] == "nghị quyết liên tịch" and meta["number"] == "7/2026/NQLT-BNV-BTC-ĐCTUBTWMTTQVN"


def test_an_organ_line_without_joint_issuers_stays_a_parent_and_issuer():
    meta, _ = detect("TỈNH ỦY LAI CHÂU\nBAN TUYÊN GIÁO\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 3-KH/BTGTU\n"
                     "Lai Châu, ngày 2 tháng 3 năm 2026\n\nKẾ HOẠCH\n\nTuyên truyền\n")
    assert meta["parent"] == "Tỉnh ủy Lai Châu" and meta["issuer"].startswith("Ban Tuyên giáo")


DIRECTIVE_PLAN_DRAFT = """ỦY BAN NHÂN DÂN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BẮC NINH
Độc lập - Tự do - Hạnh phúc
Số:      /KH-UBND
Bắc Ninh, ngày      tháng 9 năm 2026
DỰ THẢO

**KẾ HOẠCH**

**Thực hiện Chỉ thị số 12-CT/TW ngày 02/8/2026 của Ban Bí thư về công tác dân vận**

Thực hiện Chỉ thị số 12-CT/TW ngày 02/8/2026 của Ban Bí thư, Kế hoạch số 40/KH-UBND ngày 5/8/2026 của UBND tỉnh,
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
"""


def test_draft_mark_is_no_issuer_and_an_abstract_may_open_as_a_recital():
    meta, body = detect(DIRECTIVE_PLAN_DRAFT)
    assert meta["issuer"] == "Ủy ban nhân dân tỉnh Bắc Ninh" and "parent" not in meta  # not "Dự thảo"
    assert "number" not in meta and meta["date"] == "9/2026"  # nothing borrowed from the cited plan
    # the bold line under the kind word is the abstract even though it opens with "Thực hiện"
    assert meta["title"] == "Kế hoạch thực hiện Chỉ thị số 12-CT/TW ngày 02/8/2026 của Ban Bí thư về công tác dân vận"
    assert body.startswith("**KẾ HOẠCH**")


def test_a_plain_recital_after_the_kind_word_is_not_the_abstract():
    meta, _ = detect(DIRECTIVE_PLAN_DRAFT.replace("**Thực hiện Chỉ thị số 12-CT/TW ngày 02/8/2026 của Ban Bí thư "
                                                  "về công tác dân vận**\n\n", ""))
    assert meta["title"] == "Kế hoạch"  # the body's "Thực hiện …" paragraph (not bold) is not taken


def test_a_party_thong_tri_is_read_by_its_title_word():
    """Hướng dẫn 36-HD/VPTW lists the thông tri among Party documents; its code "TT" is also a thông tư's."""
    meta, _ = detect("TỈNH ỦY BẮC NINH\nSố 03-TT/TU\nBắc Ninh, ngày 4 tháng 5 năm 2026\n\n**THÔNG TRI**\n\n"
                     "về lãnh đạo đại hội chi bộ nhiệm kỳ 2027 - 2030\n\n1. Các cấp ủy …\n")
    assert meta["kind"] == "thông tri" and meta["number"] == "03-TT/TU"
    assert make_id(meta["kind"], meta["number"], meta["date"], Path("x")) == "ttri-03-2026"
