"""The clause parser on small inline fixtures, one per quirk of the real documents."""
from helpers import by_number, clauses_of


def test_numbering_decides_the_tree_not_the_markdown_level():
    text = (
        "**CHƯƠNG TRÌNH**  \n**Công tác năm 2026**\n\n"
        "### III. NHIỆM VỤ, GIẢI PHÁP\n\n#### 1. Công tác tổ chức bộ máy\n\n##### 1.1. Nhiệm vụ\n\n"
        "- Tiếp tục tham mưu rà soát.\n\n- Tham mưu hoàn thiện chức năng.\n\n"
        "## **2. Công tác cán bộ**\n\n### **2.1. Nhiệm vụ**\n\n- Tham mưu Ban Thường vụ Tỉnh ủy.\n"
    )
    cs = by_number(clauses_of(text))
    assert cs["tieu-de"].text == "CHƯƠNG TRÌNH Công tác năm 2026"
    assert cs["III.1.1.y2"].text == "Tham mưu hoàn thiện chức năng."
    assert cs["III.2.1.y1"].parent_id == "test-doc/III.2.1"
    assert cs["III.2"].text == "Công tác cán bộ"
    assert cs["III.2.1.y1"].heading_path == ["III. NHIỆM VỤ, GIẢI PHÁP", "2. Công tác cán bộ", "2.1. Nhiệm vụ"]


def test_parts_roman_with_dash_and_letters():
    text = (
        "**Phần thứ hai**  \n**THỰC TRẠNG**\n\n**I. SỐ LƯỢNG**\n\nĐoạn văn mở đầu.\n\n"
        "## Phần thứ tư\n\n### TỔ CHỨC THỰC HIỆN\n\nII- PHÂN CÔNG\n\na) Ban Tổ chức Tỉnh ủy chủ trì.\n\n"
        "b) Văn phòng Tỉnh ủy phối hợp.\n"
    )
    cs = by_number(clauses_of(text))
    assert cs["P2"].text == "THỰC TRẠNG"
    assert cs["P2.I.d1"].text == "Đoạn văn mở đầu."
    assert cs["P4"].text == "TỔ CHỨC THỰC HIỆN"
    assert cs["P4.II.a"].text == "Ban Tổ chức Tỉnh ủy chủ trì."
    assert cs["P4.II.b"].citation.endswith("Phần thứ tư, mục II.b")


def test_inline_enumeration_becomes_child_clauses():
    text = ("I. KẾT QUẢ\n\n- Tham mưu: (1) Đề xuất giao biên chế năm 2026. (2) Kế hoạch khắc phục hạn chế (lần 2). "
            "(3) Báo cáo thẩm định.\n")
    cs = by_number(clauses_of(text))
    assert cs["I.y1"].text == "Tham mưu:"
    assert cs["I.y1.(1)"].text == "Đề xuất giao biên chế năm 2026."
    assert cs["I.y1.(2)"].text == "Kế hoạch khắc phục hạn chế (lần 2)."
    assert cs["I.y1.(3)"].kind == "enum"


def test_numbers_in_parentheses_that_are_not_a_sequence_stay_in_the_text():
    text = "I. KẾT QUẢ\n\n- Khen thưởng tiêu biểu 5 năm liền (2021 - 2025) và (3) trường hợp khác.\n"
    cs = by_number(clauses_of(text))
    assert "(2021 - 2025)" in cs["I.y1"].text and "I.y1.(3)" not in cs


def test_footnotes_are_clauses_linked_to_where_they_are_cited_and_survive_a_page_break():
    text = (
        "I. KẾT QUẢ\n\n- Tham mưu 04 Báo cáo<sup>1</sup> về công tác đảng viên.\n\n"
        "<sup>1</sup> Gồm: Báo cáo số 270-BC/TU và báo cáo phục vụ công tác\n\n"
        "## 2. Nhiệm vụ thường xuyên\n\n- Tiếp nhận 10 công chức.\n\n---\n\n"
        "phát triển đảng viên mới: 05 đồng chí.\n"
    )
    cs = by_number(clauses_of(text))
    fn = cs["cth1"]
    assert fn.kind == "footnote" and fn.parent_id == "test-doc/I.y1"
    assert cs["I.y1"].footnote_ids == ["test-doc/cth1"]
    assert fn.text.endswith("báo cáo phục vụ công tác phát triển đảng viên mới: 05 đồng chí.")
    assert cs["I.y1"].text == "Tham mưu 04 Báo cáo về công tác đảng viên."
    assert fn.citation.endswith("chú thích số 1")


def test_a_paragraph_split_by_a_page_break_is_joined():
    text = ("I. MỤC ĐÍCH\n\n- Tập trung phát hiện các khó khăn trong phân cấp, phân quyền,\n\n"
            "phối hợp công tác và quy trình.\n")
    cs = by_number(clauses_of(text))
    assert cs["I.y1"].text == ("Tập trung phát hiện các khó khăn trong phân cấp, phân quyền, "
                               "phối hợp công tác và quy trình.")


def test_sub_bullets_and_star_groups():
    text = (
        "I. KẾT QUẢ\n\n\\* *Ban Tổ chức Tỉnh ủy:*\n\n- Về trình độ: Đại học 150 đồng chí.\n\n"
        "- + Có chuyên môn công nghệ thông tin: 32 đồng chí.\n\n+ Ngoại ngữ: 21 đồng chí.\n\n- Về độ tuổi.\n"
    )
    cs = by_number(clauses_of(text))
    assert cs["I.n1"].kind == "star" and cs["I.n1"].text == "Ban Tổ chức Tỉnh ủy:"
    assert cs["I.n1.y1.y1"].text == "Có chuyên môn công nghệ thông tin: 32 đồng chí."
    assert cs["I.n1.y1.y2"].text == "Ngoại ngữ: 21 đồng chí."
    assert cs["I.n1.y2"].text == "Về độ tuổi."
    assert cs["I.n1.y2"].lead == "Ban Tổ chức Tỉnh ủy" and cs["I.n1.y2"].lead_source == "section"


def test_tsv_assignment_table_with_repeated_headers_and_section_rows():
    header = ("TT\tNội dung nhiệm vụ\tCơ quan chủ trì thực hiện\tCơ quan phối hợp thực hiện\tThời gian thực hiện"
              "\tGhi chú")
    text = (
        "**BIỂU PHÂN CÔNG NHIỆM VỤ**\n"
        "(Kèm theo Chương trình số 26-CTr/TU ngày 20/10/2022 của Ban Chấp hành Đảng bộ tỉnh)\n\n"
        f"{header}\nI\tNHỮNG NHIỆM VỤ TIẾP TỤC\t\t\t\t\n"
        "1\tTiếp tục thực hiện Đề án số 16-ĐA/TU\tBan Tổ chức Tỉnh ủy"
        "\tCác cấp ủy, tổ chức đảng, cơ quan, đơn vị liên quan\tThực hiện thường xuyên\t\n"
        "\t\t\t\t\t\n"
        f"{header}\n"
        "2\tĐịnh hướng sinh hoạt chuyên đề\tBan Tuyên giáo Tỉnh ủy\tCác huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"
        "\tTrong quý IV hằng năm\t\n"
        "II\tCÁC NHIỆM VỤ BỔ SUNG MỚI\t\t\t\t\n"
        "1\tTham mưu Đề án Sổ tay Đảng viên điện tử\tBan Tổ chức Tỉnh ủy\tCác huyện, thành ủy; các cơ quan liên quan"
        "\tQuý IV/2022\t\n"
    )
    cs = by_number(clauses_of(text, number="26-CTr/TU", date="20/10/2022", kind="chương trình hành động"))
    assert cs["PL.I"].kind == "section"
    row = cs["PL.I.1"]
    assert row.lead == "Ban Tổ chức Tỉnh ủy" and row.lead_source == "explicit"
    assert row.partners == ["Các cấp ủy, tổ chức đảng, cơ quan, đơn vị liên quan"]
    assert row.deadline.kind == "recurring" and row.is_task
    assert cs["PL.I.2"].deadline.text == "Trong quý IV hằng năm"
    new = cs["PL.II.1"]
    assert new.partners == ["Các huyện, thành ủy", "các cơ quan liên quan"]  # groups split at ";"
    assert new.deadline.due == "2022-12-31"
    assert new.citation == "Chương trình hành động số 26-CTr/TU ngày 20/10/2022, Biểu phân công nhiệm vụ, mục II.1"


def test_monthly_task_list_gives_each_item_its_month():
    text = (
        "I. MỤC ĐÍCH\n\n- Nội dung.\n\n**PHỤ LỤC**  \n**DANH SÁCH CÁC NHIỆM VỤ TRỌNG TÂM NĂM 2026**\n\n"
        "### **3. Tháng 03/2026 (02 nhiệm vụ)**\n\n(1) Tham mưu tặng Huy hiệu Đảng đợt 19/5/2026.\n\n"
        "(2) Xây dựng Báo cáo quý I.\n"
    )
    cs = by_number(clauses_of(text, number="01-CTr/BTCTU", date="08/01/2026", kind="chương trình"))
    item = cs["PL.3.(1)"]
    assert item.deadline.text == "Tháng 03/2026" and item.deadline.due == "2026-03-31" and item.deadline.kind == "month"
    assert item.lead == "Ban Tổ chức Tỉnh ủy" and item.lead_source == "issuer" and item.is_task
    assert item.citation == "Chương trình số 01-CTr/BTCTU ngày 08/01/2026, Phụ lục, mục 3(1)"


def test_italic_deadline_in_narrative_text_counts():
    text = ("III- NHIỆM VỤ\n\n- Kiện toàn tổ chức cơ sở đảng (*thực hiện thường xuyên*).\n\n"
            "- Quy hoạch (*bổ sung*) cán bộ.\n")
    cs = by_number(clauses_of(text))
    assert cs["III.y1"].deadline.text == "thực hiện thường xuyên" and cs["III.y1"].is_task
    assert cs["III.y2"].deadline is None


def test_explicit_lead_and_partners_in_narrative():
    text = ("V- TỔ CHỨC THỰC HIỆN\n\n5. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy và "
            "Ủy ban Kiểm tra Tỉnh ủy theo dõi, đôn đốc.\n")
    c = by_number(clauses_of(text))["V.5"]
    assert (c.lead, c.lead_source) == ("Ban Tổ chức Tỉnh ủy", "explicit")
    assert c.partners == ["Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"]


def test_a_document_without_numbered_structure_is_still_clauses():
    cs = clauses_of("Một đoạn văn không có đánh số.\n\nĐoạn thứ hai, cũng không có số.\n")
    assert [c.text for c in cs][-1] == "Đoạn thứ hai, cũng không có số."
    assert all(c.text for c in cs)


def test_repeated_numbers_keep_both_clauses_with_distinct_ids():
    cs = clauses_of("I. A\n\n1. Một\n\n1. Một lần nữa\n")
    ids = [c.clause_id for c in cs]
    assert len(ids) == len(set(ids))


def test_partner_groups_split_at_semicolons_and_keep_their_wording():
    from quydinh_bot.parse.extract import split_partners

    assert split_partners("Các ban đảng tỉnh, Văn phòng Tỉnh ủy; Đảng ủy HĐND tỉnh;  đảng ủy các xã, phường ") == [
        "Các ban đảng tỉnh, Văn phòng Tỉnh ủy", "Đảng ủy HĐND tỉnh", "đảng ủy các xã, phường"]
    assert split_partners("Các cơ quan, đơn vị, địa phương có liên quan") == [
        "Các cơ quan, đơn vị, địa phương có liên quan"]
    assert split_partners("") == [] and split_partners(None) == []


def test_plain_closing_parenthesis_deadline_and_body_label_lead():
    text = ("V- TỔ CHỨC THỰC HIỆN\n\n2. Các cấp ủy lồng ghép nội dung Chương trình vào kế hoạch của mình "
            "(xong trong quý IV/2022).\n\n"
            "3. Kiện toàn bộ máy (theo hướng tinh gọn).\n\n"
            "\\* *Ban Tổ chức Tỉnh ủy:* Thống nhất tiếp nhận 10 công chức, viên chức.\n")
    cs = by_number(clauses_of(text))
    assert (cs["V.2"].deadline.text, cs["V.2"].deadline.due) == ("xong trong quý IV/2022", "2022-12-31")
    assert cs["V.3"].deadline is None  # a remark in parentheses is not a deadline
    assert (cs["V.3.n1"].lead, cs["V.3.n1"].lead_source) == ("Ban Tổ chức Tỉnh ủy", "explicit")
