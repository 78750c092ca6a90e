"""Tests for the PDF-flattened task-table parser (quydinh_bot.documents.pdftable).

Small inline fixtures pin down one layout quirk each; the golden tests run the parser on
the real appendix of Kế hoạch 376-KH/TU and check labels, row count, sample rows and that
no word of the file is lost or duplicated.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quydinh_bot.documents.pdftable import (
    TaskTable,
    furniture_mask,
    is_page_furniture,
    join_cell_lines,
    looks_like_task_table,
    parse_task_table,
)

CORPUS_FILE = (
    Path(__file__).resolve().parents[2]
    / "corpus"
    / "kh-376-tu-2025_phu-luc-cong-viec-ke-hoach-376.txt"
)

HEADER = "STT Nội dung công việc Cơ quan phối hợp\nThời gian \n\nthực hiện\n"
FOOTER = (
    "Số và ký hiệu: 376-KH/TU \nNgày ban hành: 23/07/2025\n\n"
    "Tài liệu này thuộc sở hữu của các cơ quan Đảng. Việc phát tán, sử dụng trái phép bị nghiêm cấm\n"
)


def parse(text: str) -> TaskTable:
    return parse_task_table(text.splitlines())


def row(table: TaskTable, section: str, number: str):
    found = [r for r in table.rows if r.section == section and r.number == number]
    assert len(found) == 1, (section, number, [(r.section, r.number) for r in table.rows])
    return found[0]


def labels(table: TaskTable) -> dict[str, str]:
    return {s.roman: s.label for s in table.sections}


# --------------------------------------------------------------------------- helpers


def test_is_page_furniture_lines() -> None:
    assert is_page_furniture("Số và ký hiệu: 376-KH/TU ")
    assert is_page_furniture("Ngày ban hành: 23/07/2025")
    assert is_page_furniture(
        "Tài liệu này thuộc sở hữu của các cơ quan Đảng. Việc phát tán, sử dụng trái phép bị nghiêm cấm"
    )
    assert is_page_furniture("STT Nội dung công việc Cơ quan phối hợp")
    assert is_page_furniture(" Thời gian ")
    assert is_page_furniture("thực hiện")
    assert is_page_furniture("-----")
    # a page number is recognised by the furniture that follows it ...
    assert is_page_furniture("6", next_line=" Thời gian ")
    assert is_page_furniture("1", next_line="Số và ký hiệu: 376-KH/TU")
    # ... a bare number before cell text is a row number
    assert not is_page_furniture("6", next_line="Bố trí trụ sở, trang thiết bị")
    assert not is_page_furniture("6")
    # a deadline cell that starts with "Thực hiện" is content
    assert not is_page_furniture("Thực hiện ")
    assert not is_page_furniture("Đảng ủy các xã, phường")


def test_furniture_mask_uses_next_nonblank_line() -> None:
    lines = ["1", "", "Chỉ đạo cấp xã", "2", "", "Số và ký hiệu: 376-KH/TU"]
    assert furniture_mask(lines) == [False, False, False, True, False, True]


def test_join_cell_lines() -> None:
    assert join_cell_lines(["Thực hiện theo Kế ", "hoạch số 02-", "KH/BCĐ"]) == (
        "Thực hiện theo Kế hoạch số 02-KH/BCĐ"
    )
    assert join_cell_lines(["nhiệm kỳ 2025-", "2030."]) == "nhiệm kỳ 2025-2030."
    # a spaced dash is punctuation, not a split code
    assert join_cell_lines(["chính trị -", "xã hội"]) == "chính trị - xã hội"
    assert join_cell_lines(["Trước  01/9/2025 "]) == "Trước 01/9/2025"


def test_looks_like_task_table() -> None:
    flat = (HEADER + "I\n1\nChỉ đạo cấp xã.\nTrước 30/7/2025\nII\n1\nBáo cáo.\n").splitlines()
    assert looks_like_task_table(flat)
    markdown = [
        "**KẾ HOẠCH**",
        "| STT | Nội dung công việc | Cơ quan phối hợp |",
        "|---|---|---|",
        "| I | | |",
        "| 1 | Chỉ đạo cấp xã | Ban Tổ chức |",
        "II",
    ]
    assert not looks_like_task_table(markdown)
    tsv = [
        "STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời gian thực hiện",
        "I\tNHỮNG NHIỆM VỤ TIẾP TỤC TRIỂN KHAI THỰC HIỆN\t\t",
        "1\tTiếp tục thực hiện Đề án\tBan Tổ chức Tỉnh ủy\tHằng năm",
        "II\tNHIỆM VỤ MỚI\t\t",
    ]
    assert not looks_like_task_table(tsv)
    assert not looks_like_task_table(["**BÁO CÁO**", "", "I. KẾT QUẢ ĐẠT ĐƯỢC", "Tham mưu: ..."])


# --------------------------------------------------------------------------- quirks


# Section I, row 1, with its text and partner cells each broken over two lines (the
# deadline cell follows in each test).
ROW_I1 = """
I

1
Chỉ đạo cấp xã thông báo thông qua chi bộ hoặc tổ dân phố để nhân dân biết thông

tin cơ bản về địa giới hành chính mới (cấp xã) đến từng người dân.

Các cơ quan, đơn vị, địa\x20

phương có liên quan
"""


def test_cell_broken_over_lines() -> None:
    t = parse(
        HEADER
        + ROW_I1
        + """Thực hiện theo Kế\x20

hoạch số 02-

KH/BCĐ

2

Xây dựng Đề án nhân sự Ban Chấp hành Đảng bộ, UBKT Đảng ủy, Đoàn đại biểu dự

đại hội Đảng bộ tỉnh nhiệm kỳ 2025-2030. Tiếp thu hoàn thiện văn kiện, đề án nhân

sự; chuẩn bị và tổ chức thành công Đại hội Đảng bộ Quân sự tỉnh nhiệm kỳ 2025-

2030.

Ban Tổ chức Tỉnh ủy;\x20

UBKT Tỉnh ủy
Sau khi có hướng\x20

dẫn của Trung\x20

ương
ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH
"""
    )
    r1 = row(t, "I", "1")
    assert r1.text == (
        "Chỉ đạo cấp xã thông báo thông qua chi bộ hoặc tổ dân phố để nhân dân biết thông "
        "tin cơ bản về địa giới hành chính mới (cấp xã) đến từng người dân."
    )
    assert r1.partners == "Các cơ quan, đơn vị, địa phương có liên quan"
    assert r1.deadline == "Thực hiện theo Kế hoạch số 02-KH/BCĐ"
    r2 = row(t, "I", "2")
    assert r2.text.endswith("Đại hội Đảng bộ Quân sự tỉnh nhiệm kỳ 2025-2030.")
    assert r2.partners == "Ban Tổ chức Tỉnh ủy; UBKT Tỉnh ủy"
    assert r2.deadline == "Sau khi có hướng dẫn của Trung ương"
    assert labels(t) == {"I": "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH"}


def test_cells_run_together_on_one_line() -> None:
    t = parse(
        HEADER
        + """
I

1 Hoàn thành số hóa tài liệu của các cơ quan, đơn vị, tổ chức. Đảng ủy các xã, phường Trước 31/8/2025

2 Phối hợp đổi thẻ đảng viên. Ban Tổ chức Tỉnh ủy

Sau khi có hướng\x20

dẫn của Trung\x20

ương

3 Xây dựng Đề án nhân sự Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025-2030. Đã hoàn thành

4

Lãnh đạo, chỉ đạo, kiểm tra, nắm chắc tình hình, thống kê đầy đủ, kịp thời báo cáo

cán bộ có năng lực, trình độ.

Đảng ủy các xã, phường Trước 15/8/2025

5 Cho ý kiến về nhân sự Đại hội MTTQ, các tổ chức chính trị - xã hội tỉnh
Đảng ủy MTTQ tỉnh; các\x20
cơ quan, đơn vị liên quan
Trước 30/11/2025

6 Chỉ đạo thông báo để Nhân dân biết thông tin cơ bản về địa giới hành chính mới. Trước 31/7/2025
ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH
"""
    )
    assert [r.number for r in t.rows] == ["1", "2", "3", "4", "5", "6"]
    r = row(t, "I", "1")
    assert (r.text, r.partners, r.deadline) == (
        "Hoàn thành số hóa tài liệu của các cơ quan, đơn vị, tổ chức.",
        "Đảng ủy các xã, phường",
        "Trước 31/8/2025",
    )
    r = row(t, "I", "2")
    assert (r.text, r.partners, r.deadline) == (
        "Phối hợp đổi thẻ đảng viên.",
        "Ban Tổ chức Tỉnh ủy",
        "Sau khi có hướng dẫn của Trung ương",
    )
    r = row(t, "I", "3")
    assert (r.partners, r.deadline) == ("", "Đã hoàn thành")
    assert r.text == "Xây dựng Đề án nhân sự Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025-2030."
    r = row(t, "I", "4")
    assert r.text.endswith("kịp thời báo cáo cán bộ có năng lực, trình độ.")
    assert (r.partners, r.deadline) == ("Đảng ủy các xã, phường", "Trước 15/8/2025")
    r = row(t, "I", "5")
    assert r.text == "Cho ý kiến về nhân sự Đại hội MTTQ, các tổ chức chính trị - xã hội tỉnh"
    assert r.partners == "Đảng ủy MTTQ tỉnh; các cơ quan, đơn vị liên quan"
    r = row(t, "I", "6")
    assert (r.partners, r.deadline) == ("", "Trước 31/7/2025")


def test_page_furniture_and_title_are_not_row_content() -> None:
    t = parse(
        HEADER
        + ROW_I1
        + """Sau đại hội\x20

07 ngày

PHỤ LỤC CÔNG VIỆC

(kèm theo Kế hoạch số 376-KH/TU, ngày 21/7/2025 của Ban Thường vụ Tỉnh ủy)

-----

ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH

1

"""
        + FOOTER
        + "\n\n\n"
        + HEADER
        + """
2 Đề xuất giao biên chế khối chính quyền địa phương cấp tỉnh, cấp xã năm 2026. Đảng ủy các xã, phường \
Trước  01/9/2025\x20

3

Lãnh đạo, chỉ đạo Đảng ủy HĐND tỉnh, Đảng ủy MTTQ tỉnh thực hiện nhiệm vụ
theo Kế hoạch này.
Các cơ quan liên quan

6
 Thời gian\x20

thực hiện

Thực hiện thường\x20

xuyên
"""
    )
    assert t.title == (
        "PHỤ LỤC CÔNG VIỆC (kèm theo Kế hoạch số 376-KH/TU, ngày 21/7/2025 "
        "của Ban Thường vụ Tỉnh ủy)"
    )
    assert [r.number for r in t.rows] == ["1", "2", "3"]
    assert row(t, "I", "1").deadline == "Sau đại hội 07 ngày"
    assert row(t, "I", "2").deadline == "Trước 01/9/2025"
    assert row(t, "I", "3").deadline == "Thực hiện thường xuyên"
    assert row(t, "I", "3").partners == "Các cơ quan liên quan"
    everything = " ".join(f"{r.text} {r.partners} {r.deadline}" for r in t.rows)
    for furniture in ("Số và ký hiệu", "Ngày ban hành", "Tài liệu này", "STT", "PHỤ LỤC", "-----"):
        assert furniture not in everything
    assert "Thời gian" not in everything
    assert labels(t) == {"I": "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH"}


SECTIONS_III_IV = """
III

1
Xây dựng phương án, lộ trình tinh gọn số lượng cấp phó, tăng đại biểu chuyên trách ở\x20
HĐND các cấp để từng bước tổ chức thực hiện trong nhiệm kỳ 2026-2031.
Ban Tổ chức Tỉnh ủy
Theo hướng dẫn\x20
của Trung ương

2
Rà soát, hoàn thiện chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức bộ máy và xây
dựng vị trí việc làm, tinh giản biên chế các cơ quan thuộc HĐND tỉnh.\x20
Thực hiện\x20
thường xuyên

IV

1
Quyết định tổ chức lại các tổ chức đảng trực thuộc (tại các tổ chức chính trị - xã hội,
hội quần chúng do Đảng, Nhà nước giao nhiệm vụ) phù hợp, đồng bộ với mô hình tổ
chức sau khi sắp xếp lại.
Ban Tổ chức Tỉnh ủy Đã hoàn thành
{labels}
 2
Tham mưu quy định cụ thể chức năng, nhiệm vụ, tổ chức bộ máy Cơ quan Ủy ban
MTTQ Việt Nam cấp tỉnh, cấp xã.
Ban Tổ chức Tỉnh ủy
Đã hoàn thành
"""


def test_label_printed_inside_its_section() -> None:
    t = parse(
        HEADER
        + """
I
1 Hoàn thành số hóa tài liệu của các cơ quan, đơn vị, tổ chức. Đảng ủy các xã, phường Trước 31/8/2025
ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH
2 Phối hợp đổi thẻ đảng viên. Ban Tổ chức Tỉnh ủy
Sau khi có hướng\x20
dẫn của Trung\x20
ương
II
1 Báo cáo kết quả Đại hội Đảng bộ các cơ quan Đảng tỉnh nhiệm kỳ 2025-2030.
Sau 7 ngày làm\x20
việc
ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH
 2 Phối hợp đổi thẻ đảng viên. Ban Tổ chức Tỉnh ủy
Sau khi có hướng\x20
dẫn của Trung\x20
ương
"""
    )
    assert labels(t) == {"I": "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH", "II": "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH"}
    assert [(r.section, r.number) for r in t.rows] == [("I", "1"), ("I", "2"), ("II", "1"), ("II", "2")]
    assert row(t, "II", "1").deadline == "Sau 7 ngày làm việc"


@pytest.mark.parametrize(
    "printed",
    [
        "ĐẢNG ỦY HỘI ĐỒNG NHÂN DÂN TỈNH\n\nĐẢNG ỦY MẶT TRẬN TỔ QUỐC TỈNH",
        # printed the other way round: the rows' content (HĐND / MTTQ) decides
        "ĐẢNG ỦY MẶT TRẬN TỔ QUỐC TỈNH\n\nĐẢNG ỦY HỘI ĐỒNG NHÂN DÂN TỈNH",
    ],
)
def test_two_labels_together_inside_later_section(printed: str) -> None:
    t = parse(HEADER + SECTIONS_III_IV.format(labels=printed))
    assert labels(t) == {
        "III": "ĐẢNG ỦY HỘI ĐỒNG NHÂN DÂN TỈNH",
        "IV": "ĐẢNG ỦY MẶT TRẬN TỔ QUỐC TỈNH",
    }
    assert [r.number for r in t.rows if r.section == "IV"] == ["1", "2"]
    assert row(t, "IV", "1").partners == "Ban Tổ chức Tỉnh ủy"
    assert row(t, "IV", "1").deadline == "Đã hoàn thành"
    assert row(t, "III", "2").partners == ""
    assert row(t, "III", "2").deadline == "Thực hiện thường xuyên"


def test_label_displaced_into_later_section_and_unnumbered_section() -> None:
    t = parse(
        HEADER
        + """
X

Xây dựng nội dung, chương trình và tổ chức các lớp đào tạo, bồi dưỡng, tập huấn

chuyên môn, nghiệp vụ cho cán bộ, công chức, viên chức cấp xã.

Các ban đảng tỉnh, Văn\x20

phòng Tỉnh ủy; đảng ủy\x20

các xã, phường; các cơ\x20

quan liên quan

Thực hiện thường\x20

xuyên\x20

XI

1 Báo cáo kết quả Đại hội Đảng bộ Quân sự tỉnh nhiệm kỳ 2025-2030.
Sau đại hội\x20

07 ngày

ĐẢNG ỦY QUÂN SỰ TỈNH

TRƯỜNG CHÍNH TRỊ TỈNH
 2

Tham mưu cử cán bộ Ban Chỉ huy Quân sự cấp xã tham gia đào tạo lý luận chính trị,

đại học chuyên ngành quân sự.

Ban Tổ chức Tỉnh ủy;

đảng ủy các xã, phường

Thực hiện thường\x20

xuyên\x20
"""
    )
    assert labels(t) == {"X": "TRƯỜNG CHÍNH TRỊ TỈNH", "XI": "ĐẢNG ỦY QUÂN SỰ TỈNH"}
    x = row(t, "X", "")
    assert x.text.startswith("Xây dựng nội dung, chương trình")
    assert x.partners == "Các ban đảng tỉnh, Văn phòng Tỉnh ủy; đảng ủy các xã, phường; các cơ quan liên quan"
    assert x.deadline == "Thực hiện thường xuyên"
    assert row(t, "XI", "1").deadline == "Sau đại hội 07 ngày"
    assert row(t, "XI", "2").partners == "Ban Tổ chức Tỉnh ủy; đảng ủy các xã, phường"


def test_displaced_row_with_repeated_number_and_orphan_cells() -> None:
    t = parse(
        HEADER
        + """
VIII

1 Tham mưu Đề án nhân sự UBKT Tỉnh ủy nhiệm kỳ 2025-2030. Ban Tổ chức Tỉnh ủy Đã hoàn thành

2
Phối hợp thẩm định nhân sự đại hội đảng bộ trực thuộc tỉnh, nhân sự Đại hội Đảng bộ
tỉnh và đại biểu dự Đại hội Đảng bộ tỉnh nhiệm kỳ 2025-2030.
Ban Tổ chức Tỉnh ủy

Trước đại hội\x20

đảng bộ các cấp
ỦY BAN KIỂM TRA TỈNH ỦY\x20
IX

1
Tham mưu Ban Thường vụ Tỉnh ủy ban hành Kế hoạch duyệt Văn kiện đại hội đảng\x20

bộ trực thuộc tỉnh nhiệm kỳ 2025-2030.

Các ban đảng tỉnh; các\x20

dảng ủy trực thuộc tỉnh
Đã hoàn thành

2
Tham mưu Tỉnh ủy tiếp thu ý kiến của Bộ Chính trị về công tác chuẩn bị Đại hội\x20
Đảng bộ tỉnh lần thứ XV, nhiệm kỳ 2025-2030.
Các ban đảng tỉnh;\x20
các cơ quan liên quan
Theo Kế hoạch\x20
của Bộ Chính trị

3
Tham mưu Ban Thường vụ Tỉnh ủy chỉ đạo hoàn thành số hóa tài liệu các cơ quan
đảng cấp tỉnh, cấp xã.
Các ban đảng tỉnh;\x20
đảng ủy các xã, phường
Trước 31/12/2025

Văn phòng Tỉnh ủy, các\x20

ban đảng tỉnh; Đảng ủy\x20

UBND tỉnh; các cơ quan\x20

liên quan

Thực hiện thường\x20

xuyên\x20

VĂN PHÒNG TỈNH ỦY\x20

3

Tổ chức hướng dẫn, bồi dưỡng nghiệp vụ cho cán bộ, công chức ngành Kiểm tra

Đảng tỉnh; trọng tâm là cán bộ, công chức UBKT cấp xã sau khi sắp xếp đơn vị hành

chính.
 4

Triển khai thực hiện có hiệu quả Kế hoạch số 331-KH/TU, ngày 09/4/2025 của Ban

Thường vụ Tỉnh ủy về chuyển đổi số trong các cơ quan đảng tỉnh Lai Châu.

Cán ban đảng tỉnh;\x20

Trường Chính trị tỉnh

Theo Kế hoạch số\x20

331-KH/TU của\x20

Ban Thường vụ\x20

Tỉnh ủy
"""
    )
    # a bare "3" after IX.3 repeats IX.3 but is VIII's next number: it is row VIII.3
    assert [(r.section, r.number) for r in t.rows] == [
        ("VIII", "1"), ("VIII", "2"), ("VIII", "3"),
        ("IX", "1"), ("IX", "2"), ("IX", "3"), ("IX", "4"),
    ]
    r = row(t, "VIII", "3")
    assert r.text.startswith("Tổ chức hướng dẫn, bồi dưỡng nghiệp vụ")
    assert r.text.endswith("sau khi sắp xếp đơn vị hành chính.")
    # the orphan partner/deadline cells printed before it belong to it
    assert r.partners == "Văn phòng Tỉnh ủy, các ban đảng tỉnh; Đảng ủy UBND tỉnh; các cơ quan liên quan"
    assert r.deadline == "Thực hiện thường xuyên"
    assert row(t, "IX", "2").deadline == "Theo Kế hoạch của Bộ Chính trị"
    assert row(t, "IX", "3").deadline == "Trước 31/12/2025"
    assert row(t, "IX", "1").partners == "Các ban đảng tỉnh; các dảng ủy trực thuộc tỉnh"
    # a deadline line starting with "Ban" is a continuation, not an orphan partner cell
    assert row(t, "IX", "4").deadline == "Theo Kế hoạch số 331-KH/TU của Ban Thường vụ Tỉnh ủy"
    assert row(t, "IX", "4").partners == "Cán ban đảng tỉnh; Trường Chính trị tỉnh"
    assert labels(t) == {"VIII": "ỦY BAN KIỂM TRA TỈNH ỦY", "IX": "VĂN PHÒNG TỈNH ỦY"}


def test_orphan_text_goes_to_row_lacking_text_and_label_on_numeral_line() -> None:
    t = parse(
        HEADER
        + """
XIII

1
Tham mưu triển khai thi hành Hiến pháp và các Bộ luật, Luật được sửa đổi, bổ sung
có hiệu lực thi hành từ ngày 01/7/2025.
Các cơ quan liên quan
Thực hiện thường\x20

xuyên

2
Bố trí trụ sở, trang thiết bị, các điều kiện bảo đảm phục vụ công tác của Toà án nhân
dân, Viện Kiểm sát nhân dân khu vực sau sắp xếp.\x20
Sở Tài chính; Sở Xây\x20
dựng; Sở Nông nghiệp và\x20
Môi trường
Trước 30/9/2025

3 Các cơ quan liên quan
Thực hiện thường\x20
xuyên

XIV ĐẢNG ỦY CÁC XÃ, PHƯỜNG

1 Chuẩn bị đại hội đảng bộ các cấp

1.1
Xây dựng Đề án và lập danh sách Đoàn đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XV,
nhiệm kỳ 2025-2030.
Ban Tổ chức Tỉnh ủy Trước 25/7/2025

Rà soát, tham mưu Ban Thường vụ Tỉnh ủy sửa đổi, bổ sung hoặc ban hành mới các

quy định bảo đảm phù hợp với quy định hiện hành và tình hình thực tiễn của tỉnh.

ĐẢNG ỦY TOÀ ÁN NHÂN DÂN TỈNH, ĐẢNG ỦY VIỆN KIỂM SÁT NHÂN DÂN TỈNH
 1.2
Lãnh đạo, chỉ đạo hoàn thành đại hội các tổ chức đảng trực thuộc bảo đảm hoàn
thành trước đại hội đảng bộ cấp xã theo quy định.
Trước 31/7/2025
"""
    )
    r = row(t, "XIII", "3")
    assert r.text == (
        "Rà soát, tham mưu Ban Thường vụ Tỉnh ủy sửa đổi, bổ sung hoặc ban hành mới các "
        "quy định bảo đảm phù hợp với quy định hiện hành và tình hình thực tiễn của tỉnh."
    )
    assert (r.partners, r.deadline) == ("Các cơ quan liên quan", "Thực hiện thường xuyên")
    r = row(t, "XIV", "1.1")
    assert r.text.endswith("lần thứ XV, nhiệm kỳ 2025-2030.")
    assert (r.partners, r.deadline) == ("Ban Tổ chức Tỉnh ủy", "Trước 25/7/2025")
    assert row(t, "XIV", "1.2").deadline == "Trước 31/7/2025"
    assert row(t, "XIV", "1").is_group
    assert labels(t) == {
        "XIII": "ĐẢNG ỦY TOÀ ÁN NHÂN DÂN TỈNH, ĐẢNG ỦY VIỆN KIỂM SÁT NHÂN DÂN TỈNH",
        "XIV": "ĐẢNG ỦY CÁC XÃ, PHƯỜNG",
    }


def test_group_rows_with_displaced_headings() -> None:
    t = parse(
        HEADER
        + """
 VI

1

1.1
Ban hành Kế hoạch, Quyết định phân bổ đại biểu dự Đại hội Đảng bộ tỉnh lần thứ
XV, nhiệm kỳ 2025-2030.
Đã hoàn thành

1.2 Xây dựng Đề án nhân sự Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025-2030. Đã hoàn thành

BAN TỔ CHỨC TỈNH ỦY CHỦ TRÌ, PHỐI HỢP VỚI CÁC CƠ QUAN LIÊN QUAN

Tham mưu Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh về chuẩn bị đại hội đảng bộ các cấp
 1.3
Chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng ủy các cơ quan
Đảng tỉnh, Đảng ủy UBND tỉnh nhiệm kỳ 2025 - 2030.
Đảng ủy các cơ quan\x20
Đảng tỉnh; Đảng ủy\x20
UBND tỉnh; các cơ quan\x20
liên quan
Ngay sau Đại hội\x20
Đảng bộ tỉnh

2

2.1 Đề xuất Trung ương giao biên chế năm 2026.

Đảng ủy UBND tỉnh; các\x20

đảng bộ trực thuộc tỉnh;\x20

các cơ quan liên quan

Trước 10/9/2025

Tham mưu Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh về tiếp tục hoàn thiện tổ chức bộ máy hệ thống chính trị
 2.2 Ban hành Hướng dẫn công tác nhân sự đại biểu HĐND các cấp nhiệm kỳ 2026-2031.

Đảng ủy HĐND  tỉnh,\x20

Đảng ủy UBND tỉnh,\x20

các cơ quan liên quan

Sau khi có hướng\x20

dẫn của Ban Tổ\x20

chức Trung ương
"""
    )
    assert [(r.number, r.is_group) for r in t.rows] == [
        ("1", True), ("1.1", False), ("1.2", False), ("1.3", False),
        ("2", True), ("2.1", False), ("2.2", False),
    ]
    g1, g2 = row(t, "VI", "1"), row(t, "VI", "2")
    assert g1.text == (
        "Tham mưu Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh về chuẩn bị đại hội đảng bộ các cấp"
    )
    assert g2.text == (
        "Tham mưu Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh về tiếp tục hoàn thiện "
        "tổ chức bộ máy hệ thống chính trị"
    )
    assert (g1.partners, g1.deadline, g2.partners, g2.deadline) == ("", "", "", "")
    assert row(t, "VI", "1.1").deadline == "Đã hoàn thành"
    assert row(t, "VI", "1.3").deadline == "Ngay sau Đại hội Đảng bộ tỉnh"
    assert row(t, "VI", "2.1").partners == (
        "Đảng ủy UBND tỉnh; các đảng bộ trực thuộc tỉnh; các cơ quan liên quan"
    )
    assert row(t, "VI", "2.2").partners == "Đảng ủy HĐND tỉnh, Đảng ủy UBND tỉnh, các cơ quan liên quan"
    assert labels(t) == {"VI": "BAN TỔ CHỨC TỈNH ỦY CHỦ TRÌ, PHỐI HỢP VỚI CÁC CƠ QUAN LIÊN QUAN"}


def test_inline_group_heading_rows() -> None:
    t = parse(
        HEADER
        + """
XIV ĐẢNG ỦY CÁC XÃ, PHƯỜNG

1 Chuẩn bị đại hội đảng bộ các cấp

1.1 Báo cáo kết quả đại hội đảng bộ xã, phường nhiệm kỳ 2025-2030.
Sau đại hội\x20

07 ngày

2 Về tiếp tục hoàn thiện tổ chức bộ máy của hệ thống chính trị

2.1 Đề xuất giao biên chế năm 2026.
Đảng ủy UBND tỉnh;\x20

Ban Tổ chức Tỉnh ủy
Trước 25/8/2025
"""
    )
    assert [(r.number, r.is_group, r.text) for r in t.rows if r.is_group] == [
        ("1", True, "Chuẩn bị đại hội đảng bộ các cấp"),
        ("2", True, "Về tiếp tục hoàn thiện tổ chức bộ máy của hệ thống chính trị"),
    ]
    # "07 ngày" continues the deadline; it is not row 07
    assert row(t, "XIV", "1.1").deadline == "Sau đại hội 07 ngày"
    assert row(t, "XIV", "2.1").deadline == "Trước 25/8/2025"


# --------------------------------------------------------------------------- golden file

EXPECTED_LABELS = {
    "I": "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH",
    "II": "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH",
    "III": "ĐẢNG ỦY HỘI ĐỒNG NHÂN DÂN TỈNH",
    "IV": "ĐẢNG ỦY MẶT TRẬN TỔ QUỐC TỈNH",
    "V": "CÁC CƠ QUAN THUỘC TỈNH ỦY",
    "VI": "BAN TỔ CHỨC TỈNH ỦY CHỦ TRÌ, PHỐI HỢP VỚI CÁC CƠ QUAN LIÊN QUAN",
    "VII": "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
    "VIII": "ỦY BAN KIỂM TRA TỈNH ỦY",
    "IX": "VĂN PHÒNG TỈNH ỦY",
    "X": "TRƯỜNG CHÍNH TRỊ TỈNH",
    "XI": "ĐẢNG ỦY QUÂN SỰ TỈNH",
    "XII": "ĐẢNG ỦY CÔNG AN TỈNH",
    "XIII": "ĐẢNG ỦY TOÀ ÁN NHÂN DÂN TỈNH, ĐẢNG ỦY VIỆN KIỂM SÁT NHÂN DÂN TỈNH",
    "XIV": "ĐẢNG ỦY CÁC XÃ, PHƯỜNG",
}

# Counted by hand from the file: rows per section (VI and XIV include their 2 group rows).
EXPECTED_NUMBERS = {
    "I": [str(i) for i in range(1, 36)],
    "II": [str(i) for i in range(1, 6)],
    "III": [str(i) for i in range(1, 5)],
    "IV": [str(i) for i in range(1, 11)],
    "V": ["1", "2"],
    "VI": ["1"] + [f"1.{i}" for i in range(1, 13)] + ["2"] + [f"2.{i}" for i in range(1, 16)],
    "VII": [str(i) for i in range(1, 9)],
    "VIII": [str(i) for i in range(1, 5)],
    "IX": [str(i) for i in range(1, 8)],
    "X": [""],
    "XI": [str(i) for i in range(1, 7)],
    "XII": [str(i) for i in range(1, 8)],
    "XIII": [str(i) for i in range(1, 5)],
    "XIV": ["1"] + [f"1.{i}" for i in range(1, 7)] + ["2"] + [f"2.{i}" for i in range(1, 16)],
}
TOTAL_ROWS = 145

# (section, number): (text prefix, partners, deadline)
SAMPLE_ROWS = {
    ("I", "1"): (
        "Chỉ đạo cấp xã thông báo thông qua chi bộ hoặc tổ dân phố",
        "Các cơ quan, đơn vị, địa phương có liên quan",
        "Trước 30/7/2025",
    ),
    ("I", "3"): (
        "Hoàn thành số hóa tài liệu của các cơ quan, đơn vị, tổ chức.",
        "Đảng ủy các xã, phường",
        "Trước 31/8/2025",
    ),
    ("I", "7"): (
        "Báo cáo kết quả Đại hội Đảng bộ UBND tỉnh lần thứ I, nhiệm kỳ 2025-2030.",
        "",
        "Sau đại hội 07 ngày",
    ),
    ("I", "8"): (
        "Đề xuất giao biên chế khối chính quyền địa phương cấp tỉnh, cấp xã năm 2026.",
        "Đảng ủy các xã, phường",
        "Trước 01/9/2025",
    ),
    ("I", "9"): (
        "Lãnh đạo, chỉ đạo rà soát, sửa đổi, bổ sung quy định về số lượng cấp phó",
        "Ban Tổ chức Tỉnh ủy; đảng ủy các xã, phường",
        "Sau khi có hướng dẫn của Trung ương",
    ),
    ("I", "18"): (
        "Triển khai thực hiện có hiệu quả Kế hoạch số 02-KH/BCĐ",
        "Các cơ quan, đơn vị, địa phương có liên quan",
        "Thực hiện theo Kế hoạch số 02-KH/BCĐ",
    ),
    ("I", "35"): ("Phối hợp đổi thẻ đảng viên.", "Ban Tổ chức Tỉnh ủy",
                  "Sau khi có hướng dẫn của Trung ương"),
    ("II", "3"): (
        "Báo cáo kết quả Đại hội Đảng bộ các cơ quan Đảng tỉnh nhiệm kỳ 2025-2030.",
        "",
        "Sau 7 ngày làm việc",
    ),
    ("III", "3"): (
        "Rà soát, hoàn thiện chức năng, nhiệm vụ, quyền hạn",
        "",
        "Thực hiện thường xuyên",
    ),
    ("IV", "1"): ("Quyết định tổ chức lại các tổ chức đảng trực thuộc", "Ban Tổ chức Tỉnh ủy",
                  "Đã hoàn thành"),
    ("VI", "1"): (
        "Tham mưu Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh về chuẩn bị đại hội đảng bộ các cấp",
        "",
        "",
    ),
    ("VI", "1.10"): (
        "Báo cáo về tình hình, kết quả đại hội đảng bộ cấp trên trực tiếp của tổ chức cơ sở đảng.",
        "Văn phòng Tỉnh ủy, các ban đảng tỉnh; các đảng bộ trực thuộc tỉnh",
        "Trước 31/8/2025",
    ),
    ("VI", "1.11"): (
        "Báo cáo kết quả Đại hội Đảng bộ tỉnh lần thứ XV, nhiệm kỳ 2025-2030.",
        "Các ban đảng tinhir; Văn phòng Tỉnh ủy",
        "Chậm nhất 07 ngày sau khi kết thúc Đại hội",
    ),
    ("VI", "2"): (
        "Tham mưu Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh về tiếp tục hoàn thiện "
        "tổ chức bộ máy hệ thống chính trị",
        "",
        "",
    ),
    ("VI", "2.1"): (
        "Đề xuất Trung ương giao biên chế năm 2026.",
        "Đảng ủy UBND tỉnh; các đảng bộ trực thuộc tỉnh; các cơ quan liên quan",
        "Trước 10/9/2025",
    ),
    ("VI", "2.7"): (
        "Cho ý kiến về nhân sự Đại hội MTTQ, các tổ chức chính trị - xã hội tỉnh",
        "Đảng ủy MTTQ tỉnh; các cơ quan, đơn vị liên quan",
        "Trước 30/11/2025",
    ),
    ("VII", "6"): (
        "Đấu tranh phản bác các thông tin xấu độc",
        "Các cơ quan thành viên Ban Chỉ đạo 35; Ban Chỉ đạo 35 các cấp",
        "Thực hiện thường xuyên",
    ),
    ("VIII", "4"): (
        "Tổ chức hướng dẫn, bồi dưỡng nghiệp vụ cho cán bộ, công chức ngành Kiểm tra Đảng tỉnh; "
        "trọng tâm là cán bộ, công chức UBKT cấp xã sau khi sắp xếp đơn vị hành chính.",
        "Văn phòng Tỉnh ủy, các ban đảng tỉnh; Đảng ủy UBND tỉnh; các cơ quan liên quan",
        "Thực hiện thường xuyên",
    ),
    ("IX", "5"): (
        "Tham mưu Ban Thường vụ Tỉnh ủy chỉ đạo hoàn thành số hóa tài liệu",
        "Các ban đảng tỉnh; đảng ủy các xã, phường",
        "Trước 31/12/2025",
    ),
    ("IX", "7"): (
        "Triển khai thực hiện có hiệu quả Kế hoạch số 331-KH/TU",
        "Cán ban đảng tỉnh; Trường Chính trị tỉnh; Báo và phát thanh, truyền hình Lai Châu; "
        "đảng ủy các xã, phường",
        "Theo Kế hoạch số 331-KH/TU của Ban Thường vụ Tỉnh ủy",
    ),
    ("X", ""): (
        "Xây dựng nội dung, chương trình và tổ chức các lớp đào tạo, bồi dưỡng, tập huấn "
        "chuyên môn, nghiệp vụ cho cán bộ, công chức, viên chức cấp xã.",
        "Các ban đảng tỉnh, Văn phòng Tỉnh ủy; đảng ủy các xã, phường; các cơ quan liên quan",
        "Thực hiện thường xuyên",
    ),
    ("XI", "1"): (
        "Xây dựng Đề án nhân sự Ban Chấp hành Đảng bộ, UBKT Đảng ủy",
        "Ban Tổ chức Tỉnh ủy; UBKT Tỉnh ủy",
        "Trước 31/7/2025",
    ),
    ("XII", "3"): (
        "Bố trí trụ sở, trang thiết bị, phương tiện, các điều kiện bảo đảm phục vụ công tác của "
        "Công an các cấp sau sắp xếp.",
        "Đảng ủy UBND tỉnh; đảng ủy các xã, phường",
        "Trước 30/9/2025",
    ),
    ("XIII", "3"): (
        "Rà soát, tham mưu Ban Thường vụ Tỉnh ủy sửa đổi, bổ sung hoặc ban hành mới các quy định "
        "bảo đảm phù hợp với quy định hiện hành và tình hình thực tiễn của tỉnh.",
        "Các cơ quan liên quan",
        "Thực hiện thường xuyên",
    ),
    ("XIV", "1.1"): (
        "Xây dựng Đề án và lập danh sách Đoàn đại biểu dự Đại hội Đảng bộ tỉnh lần thứ XV, "
        "nhiệm kỳ 2025-2030.",
        "Ban Tổ chức Tỉnh ủy",
        "Trước 25/7/2025",
    ),
    ("XIV", "2.4"): (
        "Đề xuất giao biên chế năm 2026.",
        "Đảng ủy UBND tỉnh; Ban Tổ chức Tỉnh ủy",
        "Trước 25/8/2025",
    ),
    ("XIV", "2.12"): (
        "Chỉ đạo Trung tâm Chính trị xã xây dựng kế hoạch",
        "Đảng ủy các xã, phường (nơi không có Trung tâm Chính trị)",
        "Thực hiện thường xuyên",
    ),
}


@pytest.fixture(scope="module")
def corpus_lines() -> list[str]:
    return CORPUS_FILE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def table(corpus_lines: list[str]) -> TaskTable:
    return parse_task_table(corpus_lines)


def test_golden_title_and_labels(corpus_lines: list[str], table: TaskTable) -> None:
    assert looks_like_task_table(corpus_lines)
    assert table.title == (
        "PHỤ LỤC CÔNG VIỆC (kèm theo Kế hoạch số 376-KH/TU, ngày 21/7/2025 "
        "của Ban Thường vụ Tỉnh ủy)"
    )
    assert [s.roman for s in table.sections] == list(EXPECTED_LABELS)
    assert labels(table) == EXPECTED_LABELS


def test_golden_row_numbers_and_count(table: TaskTable) -> None:
    assert len(table.rows) == TOTAL_ROWS
    got: dict[str, list[str]] = {}
    for r in table.rows:
        got.setdefault(r.section, []).append(r.number)
    assert got == EXPECTED_NUMBERS
    assert {(r.section, r.number) for r in table.rows if r.is_group} == {
        ("VI", "1"), ("VI", "2"), ("XIV", "1"), ("XIV", "2"),
    }
    # every non-group row has a text and a deadline (no cell lost to a neighbour)
    for r in table.rows:
        assert r.text, (r.section, r.number)
        if not r.is_group:
            assert r.deadline, (r.section, r.number)


@pytest.mark.parametrize("key", list(SAMPLE_ROWS), ids=lambda k: f"{k[0]}.{k[1]}")
def test_golden_sample_rows(table: TaskTable, key: tuple[str, str]) -> None:
    prefix, partners, deadline = SAMPLE_ROWS[key]
    r = row(table, *key)
    assert r.text.startswith(prefix)
    assert r.partners == partners
    assert r.deadline == deadline


def test_golden_word_coverage(corpus_lines: list[str], table: TaskTable) -> None:
    """Every word outside page furniture lands in exactly one place of the result."""
    mask = furniture_mask(corpus_lines)
    source = Counter(join_cell_lines([ln for ln, f in zip(corpus_lines, mask) if not f]).split())
    parsed: Counter[str] = Counter(table.title.split())
    for s in table.sections:
        parsed.update(s.roman.split())
        parsed.update(s.label.split())
    for r in table.rows:
        for part in (r.number, r.text, r.partners, r.deadline):
            parsed.update(part.split())
    assert source - parsed == Counter(), "words lost"
    assert parsed - source == Counter(), "words duplicated or invented"
    # and the furniture really is furniture: six page numbers, no row numbers
    page_numbers = [ln.strip() for ln, f in zip(corpus_lines, mask) if f and ln.strip().isdigit()]
    assert page_numbers == ["1", "2", "3", "4", "5", "6"]
