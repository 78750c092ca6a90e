"""Tasks found by how documents assign work (issue 19): tables whatever their header wording,
inline labels, "Tổ chức thực hiện" sections headed by a body the gazetteer does not know, and
"X chủ trì, phối hợp với Y" / "Giao X …" sentences. Every fixture is written here, not copied."""
from helpers import by_number, clauses_of
from quydinh_bot.documents.tables import HEADER, PARAGRAPH, TableWriter, header_columns
from quydinh_bot.language.bodies import body_at, label_body


def tasks_of(text: str, **meta):
    return [c for c in clauses_of(text, **meta) if c.is_task]


# --- tables ---------------------------------------------------------------------------

def test_header_columns_by_meaning_not_wording():
    assert header_columns(["STT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu", "Đơn vị phối hợp thực hiện",
                           "Thời gian hoàn thành"]) == {"number": 0, "text": 1, "lead": 2, "partners": 3,
                                                        "deadline": 4}
    assert header_columns(["TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú"]) == \
        {"number": 0, "text": 1, "lead": 2, "note": 3}
    assert header_columns(["TT", "Nội dung", "Đơn vị chủ trì", "Thời gian thực hiện"])["lead"] == 2
    assert header_columns(["TT", "Đơn vị kiểm tra", "Địa chỉ Dự án"]) is None  # a list of companies


def test_people_column_first_name_leads_the_others_help():
    w = TableWriter()
    lines = w.lines([["TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú"],
                     ["", "Chuẩn bị hội trường", f"Trần Văn An{PARAGRAPH}Lê Thị Bình{PARAGRAPH}Phạm Cúc", ""],
                     ["", "Chấm bài", "Lê Thị Bình", ""]])
    assert lines[0] == HEADER
    assert lines[1].split("\t")[1:4] == ["Chuẩn bị hội trường", "Trần Văn An", "Lê Thị Bình; Phạm Cúc"]
    assert lines[2].split("\t")[1:4] == ["Chấm bài", "Lê Thị Bình", ""]


def test_every_row_of_an_assignment_table_after_the_signature_is_a_task():
    text = ("KẾ HOẠCH\n\nTập huấn nghiệp vụ năm 2026\n\nI. MỤC ĐÍCH\n\n1. Nâng cao nghiệp vụ.\n\n"
            "Nơi nhận: - Lưu: VT.\n\n**PHÂN CÔNG NHIỆM VỤ CỦA TỔ GIÚP VIỆC**\n\n" + HEADER + "\n"
            "\tChuẩn bị tài liệu\tTrần Văn An\tLê Thị Bình\t\t\n"
            "\tTổ chức chấm bài\tLê Thị Bình\t\t\t\n"
            "\tIn giấy chứng nhận\tPhạm Cúc\t\tTháng 5/2026\t\n")
    rows = [c for c in tasks_of(text) if c.kind == "row"]
    assert [(r.text, r.lead) for r in rows] == [("Chuẩn bị tài liệu", "Trần Văn An"),
                                               ("Tổ chức chấm bài", "Lê Thị Bình"), ("In giấy chứng nhận", "Phạm Cúc")]
    assert rows[0].partners == ["Lê Thị Bình"]
    assert rows[2].deadline is not None and rows[2].deadline.text == "Tháng 5/2026"
    assert "Phân công nhiệm vụ" in rows[0].citation


# --- inline labels --------------------------------------------------------------------

def test_labels_inside_an_item():
    text = ("I. NHIỆM VỤ\n\n1. Rà soát quy chế làm việc của các phòng. Đơn vị chủ trì: Phòng Tổng hợp Hành chính. "
            "Đơn vị phối hợp: Phòng Kế toán; Phòng Nghiệp vụ. Thời gian hoàn thành: Quý III/2026.\n")
    c = by_number(clauses_of(text))["I.1"]
    assert c.is_task and c.lead == "Phòng Tổng hợp Hành chính" and c.lead_source == "explicit"
    assert c.partners == ["Phòng Kế toán", "Phòng Nghiệp vụ"]
    assert c.deadline is not None and c.deadline.text == "Quý III/2026"


def test_a_label_line_closes_the_article_above_it():
    text = ("QUYẾT ĐỊNH\n\nĐiều 1: Kiểm tra việc chấp hành quy định về phòng cháy tại 03 đơn vị.\n\n"
            "Thời kỳ kiểm tra: Từ 01/01/2025 đến thời điểm kiểm tra.\n\n"
            "Thời hạn kiểm tra: không quá 07 ngày làm việc.\n\n"
            "Điều 2: Tổ kiểm tra có nhiệm vụ cụ thể theo Điều 1 Quyết định này.\n")
    cs = by_number(clauses_of(text))
    art = cs["dieu1"]
    assert art.deadline is not None and "không quá 07 ngày làm việc" in art.deadline.text
    assert art.lead == "Tổ kiểm tra" and art.is_task
    assert art.citation.endswith("Điều 1")
    assert not cs["dieu1.d2"].is_task  # the label line is not a second task


# --- sections headed by a body ----------------------------------------------------------

def test_organisation_section_with_bodies_the_gazetteer_does_not_know():
    text = ("IV. TỔ CHỨC THỰC HIỆN\n\n7. Sở Khoa học và Công nghệ\n\n- Hướng dẫn doanh nghiệp đổi mới công nghệ.\n\n"
            "8. Thanh tra tỉnh\n\n- Thanh tra việc chấp hành pháp luật về giá.\n\n"
            "9. Thuế tỉnh\n\n- Hướng dẫn kê khai thuế điện tử.\n\n"
            "10. Đối với Phòng Văn hóa - Xã hội các xã:\n\n- Tuyên truyền kế hoạch tới người dân.\n")
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))
    assert cs["IV.7.y1"].lead == "Sở Khoa học và Công nghệ" and cs["IV.7.y1"].is_task
    assert cs["IV.8.y1"].lead == "Thanh tra tỉnh" and cs["IV.8.y1"].lead_source == "section"
    assert cs["IV.9.y1"].lead == "Thuế tỉnh"
    assert cs["IV.10.y1"].lead == "Phòng Văn hóa - Xã hội các xã"


def test_a_descriptive_heading_that_names_a_body_leads_nothing():
    text = ("I. THỰC TRẠNG\n\n1. Cấp ủy cấp xã\n\n- Số cấp ủy viên là nữ chiếm 20%.\n")
    c = by_number(clauses_of(text))["I.1.y1"]
    assert c.lead_source != "section" and not c.is_task


def test_body_before_a_colon_leads_its_item():
    text = ("I. TRÁCH NHIỆM\n\na) Chi bộ báo cáo cấp ủy cơ sở: Lập danh sách đảng viên đề nghị khen thưởng.\n\n"
            "b) Ban chỉ huy quân sự xã, phường: Rà soát danh sách thanh niên.\n")
    cs = by_number(clauses_of(text))
    assert cs["I.a"].lead == "Chi bộ" and cs["I.a"].is_task
    assert cs["I.b"].lead == "Ban chỉ huy quân sự xã, phường"


def test_body_shapes():
    assert body_at("Thanh tra tỉnh thanh tra việc …").name == "Thanh tra tỉnh"
    assert body_at("phòng Quản lý công nghiệp tổ chức huấn luyện").name == "phòng Quản lý công nghiệp"
    assert body_at("Sở Lao động - Thương binh và Xã hội chủ trì").name == "Sở Lao động - Thương binh và Xã hội"
    for not_a_body in ("Ban hành quy chế", "Phòng chống tham nhũng", "Hội nghị sơ kết", "Tổ chức thực hiện"):
        assert body_at(not_a_body) is None
    assert label_body("Đối với tỉnh ủy, thành ủy và tương đương") == "tỉnh ủy, thành ủy và tương đương"
    assert label_body("Chi bộ báo cáo cấp ủy", strict=True) is None


# --- sentences ------------------------------------------------------------------------

def test_sentences_that_assign_work():
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Giao phòng Kinh tế hạ tầng triển khai, thực hiện kế hoạch này.\n\n"
            "2. Trung tâm Dịch vụ nông nghiệp chủ trì, phối hợp với Phòng Tài chính xây dựng dự toán kinh phí.\n\n"
            "3. Hội Nông dân xã phối hợp với Đoàn Thanh niên xã tổ chức ra quân làm đường giao thông.\n\n"
            "4. Nhiệm vụ cụ thể của từng thành viên do Tổ trưởng tổ giúp việc phân công.\n")
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân xã"))
    assert cs["III.1"].lead == "phòng Kinh tế hạ tầng" and cs["III.1"].is_task
    assert cs["III.2"].lead == "Trung tâm Dịch vụ nông nghiệp" and cs["III.2"].partners == ["Phòng Tài chính"]
    assert cs["III.3"].lead == "Đoàn Thanh niên xã" and cs["III.3"].partners == ["Hội Nông dân xã"]
    assert cs["III.4"].lead == "Tổ trưởng tổ giúp việc"


def test_an_item_announcing_a_list_leads_the_items_numbered_as_its_siblings():
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n1. Giao phòng Quản lý thương mại thực hiện các công việc sau:\n\n"
            "2. Tổng hợp danh sách thương nhân đăng ký.\n\n3. Chuẩn bị hội trường và tài liệu.\n")
    cs = by_number(clauses_of(text))
    assert cs["III.1"].is_task
    assert [cs[n].lead for n in ("III.2", "III.3")] == ["phòng Quản lý thương mại"] * 2
    assert cs["III.3"].is_task


def test_a_list_of_subjects_is_not_read_as_one_body():
    text = "I. NHIỆM VỤ\n\n- Các cấp ủy, tổ chức đảng tập trung lãnh đạo thực hiện nghị quyết.\n"
    c = by_number(clauses_of(text))["I.y1"]
    assert c.lead == "Ban Tổ chức Tỉnh ủy" and c.lead_source == "issuer"


def test_deadlines_written_into_the_sentence():
    text = ("I. TRÁCH NHIỆM\n\n- Cấp ủy cơ sở hoặc cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng quản lý sổ "
            "danh sách đảng viên; trong thời hạn 20 ngày làm việc phải báo cáo cấp trên.\n\n"
            "- Định kỳ 6 tháng phải rà soát danh sách hội viên.\n\n"
            "- Hằng năm có trên 90% chi hội được xếp loại tốt.\n")
    cs = by_number(clauses_of(text))
    first = cs["I.y1"]
    assert first.lead == "Cấp ủy cơ sở hoặc cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng"
    assert first.deadline is not None and first.deadline.text == "trong thời hạn 20 ngày làm việc"
    assert cs["I.y2"].is_task and cs["I.y2"].deadline.text == "Định kỳ 6 tháng"
    assert cs["I.y3"].deadline is None  # a target, not a duty
    assert body_at("Cấp ủy có thẩm quyền kết nạp đảng viên xem xét").name == "Cấp ủy có thẩm quyền kết nạp đảng viên"


def test_a_text_table_read_by_its_header_meaning_each_row_a_task():
    text = ("KẾ HOẠCH\n\nII. NHIỆM VỤ CỤ THỂ\n\n"
            "Tên nhiệm vụ\tSở, ngành chủ trì tham mưu\tĐơn vị phối hợp thực hiện\tThời gian hoàn thành\n"
            "Khảo sát nhu cầu đào tạo nghề\tSở Nội vụ\tỦy ban nhân dân các xã\tQuý II/2026\n"
            "Tổ chức lớp tập huấn cho cán bộ cơ sở\tTrung tâm Chính trị huyện\t\tTháng 9/2026\n")
    rows = [c for c in clauses_of(text) if c.kind == "row"]
    assert [(r.text, r.lead, r.is_task) for r in rows] == [
        ("Khảo sát nhu cầu đào tạo nghề", "Sở Nội vụ", True),
        ("Tổ chức lớp tập huấn cho cán bộ cơ sở", "Trung tâm Chính trị huyện", True)]
    assert rows[0].partners == ["Ủy ban nhân dân các xã"]
    assert rows[1].deadline is not None and rows[1].deadline.text == "Tháng 9/2026"


# --- legal prose: Điều / khoản of a resolution or a joint resolution --------------------------

LEGAL = ("NGHỊ QUYẾT LIÊN TỊCH\n\nHướng dẫn quy trình tổ chức hội nghị\n\n"
         "Điều 1. Tổ chức hội nghị lần thứ nhất\n\n"
         "1. Hội nghị lần thứ nhất được tổ chức trong khoảng thời gian từ ngày 02 tháng 3 năm 2026 đến ngày "
         "09 tháng 3 năm 2026.\n\n"
         "2. Hội nghị lần thứ nhất ở trung ương do Đoàn Chủ tịch Ủy ban Trung ương Hội Nông dân triệu tập, chủ trì.\n\n"
         "3. Hội nghị lần thứ nhất ở tỉnh do Ban Thường trực Hội Nông dân cấp tỉnh triệu tập, chủ trì.\n\n"
         "Điều 2. Điều chỉnh và hướng dẫn\n\n"
         "1. Căn cứ vào kết quả hội nghị, chậm nhất là ngày 20 tháng 3 năm 2026, Ban Thường vụ Trung ương Hội "
         "tiến hành điều chỉnh cơ cấu hội viên.\n\n"
         "2. Trên cơ sở điều chỉnh của Ban Thường vụ về cơ cấu, thành phần, Ban Thường trực Hội Nông dân cấp tổ "
         "chức hội nghị có trách nhiệm thông báo đến các chi hội.\n\n"
         "3. Việc gửi biên bản hội nghị được thực hiện theo quy định của Điều lệ, hoàn thành chậm nhất là ngày "
         "25 tháng 3 năm 2026.\n\n"
         "4. Chậm nhất là 17 giờ 00 ngày 27 tháng 3 năm 2026, người ứng cử phải hoàn thành việc nộp hồ sơ.\n\n"
         "Điều 3. Giới thiệu người ứng cử\n\n"
         "1. Việc giới thiệu người ứng cử của các cơ quan, tổ chức, đơn vị được tiến hành trong khoảng thời "
         "gian từ ngày 10 tháng 3 năm 2026 đến ngày 15 tháng 3 năm 2026.\n\n"
         "2. Cơ quan, tổ chức, đơn vị được phân bổ số lượng người ứng cử thực hiện việc giới thiệu người "
         "ứng cử.\n\n"
         "Điều 4. Tổ chức thực hiện\n\n"
         "1. Thường trực, các ban, các tổ hội viên Hội Nông dân tỉnh giám sát việc thực hiện Nghị quyết.\n\n"
         "2. Các cơ quan, tổ chức, đơn vị có liên quan có trách nhiệm phối hợp với Ban Thường trực Hội Nông dân "
         "các cấp thực hiện Nghị quyết này.\n\n"
         "3. Trường hợp bất khả kháng thì Ban Thường trực Trung ương Hội xem xét, quyết định hình thức trực tuyến.\n\n"
         "4. Việc lấy ý kiến cử tri được tổ chức tại thôn do Ban Thường trực Hội Nông dân cấp xã phối hợp với Ủy "
         "ban nhân dân cùng cấp triệu tập và chủ trì.\n")


def test_passive_do_y_trieu_tap_chu_tri_and_the_article_period_that_governs_it():
    cs = by_number(clauses_of(LEGAL, issuer="Hội Nông dân Việt Nam"))
    central, local = cs["dieu1.2"], cs["dieu1.3"]
    assert central.is_task and central.lead.startswith("Đoàn Chủ tịch Ủy ban Trung ương Hội Nông dân")
    assert local.lead == "Ban Thường trực Hội Nông dân cấp tỉnh"
    for c in (central, local):  # khoản 1 gives the period of the conference khoản 2 and 3 assign
        assert c.deadline is not None and c.deadline.due == "2026-03-09"
        assert c.deadline.text.endswith("từ ngày 02 tháng 3 năm 2026 đến ngày 09 tháng 3 năm 2026")


def test_subject_after_adverbials_and_a_binding_date():
    cs = by_number(clauses_of(LEGAL, issuer="Hội Nông dân Việt Nam"))
    first = cs["dieu2.1"]
    assert first.lead == "Ban Thường vụ Trung ương Hội" and first.lead_source == "explicit"
    assert first.deadline.text == "chậm nhất là ngày 20 tháng 3 năm 2026" and first.deadline.due == "2026-03-20"
    assert cs["dieu2.2"].lead == "Ban Thường trực Hội Nông dân cấp tổ chức hội nghị"  # "cấp" + what it does
    sent = cs["dieu2.3"]  # nobody named, yet a binding date: a step of the schedule
    assert sent.is_task and sent.deadline.due == "2026-03-25"
    person = cs["dieu2.4"]  # a person named by role leads
    assert person.lead == "người ứng cử" and person.deadline.due == "2026-03-27"


def test_a_period_clause_takes_the_lead_of_the_one_sibling_that_does_the_step():
    cs = by_number(clauses_of(LEGAL, issuer="Hội Nông dân Việt Nam"))
    assert cs["dieu3.2"].lead == "Cơ quan, tổ chức, đơn vị được phân bổ số lượng người ứng cử"
    assert cs["dieu3.1"].lead == cs["dieu3.2"].lead and cs["dieu3.1"].deadline.due == "2026-03-15"
    assert cs["dieu3.2"].deadline.due == "2026-03-15"


def test_organisation_article_of_a_resolution():
    cs = by_number(clauses_of(LEGAL, issuer="Hội Nông dân Việt Nam"))
    assert cs["dieu4.1"].lead == "Thường trực, các ban, các tổ hội viên Hội Nông dân tỉnh"
    helped = cs["dieu4.2"]  # "X có trách nhiệm phối hợp với Y thực hiện": Y leads, X helps
    assert helped.lead == "Ban Thường trực Hội Nông dân các cấp"
    assert "Các cơ quan, tổ chức, đơn vị có liên quan" in helped.partners
    assert cs["dieu4.3"].lead == "Ban Thường trực Trung ương Hội"  # "Trường hợp … thì X xem xét"
    village = cs["dieu4.4"]  # "do X phối hợp với Y triệu tập": X leads, Y helps
    assert village.lead == "Ban Thường trực Hội Nông dân cấp xã"
    assert village.partners[0] == "Ủy ban nhân dân cùng cấp"


def test_each_step_of_a_clause_keeps_its_own_time_limit():
    text = ("I. KẾT NẠP\n\n- Cấp ủy cơ sở làm công văn gửi cấp ủy nơi chuyển đến trong thời hạn 15 ngày làm việc. "
            "Cấp ủy nơi chuyển đến xem xét, trong thời hạn 30 ngày làm việc kể từ khi nhận được công văn, ban hành "
            "quyết định; hằng năm rút kinh nghiệm.\n")
    c = by_number(clauses_of(text))["I.y1"]
    assert c.deadline.text == ("trong thời hạn 15 ngày làm việc; trong thời hạn 30 ngày làm việc kể từ khi nhận "
                               "được công văn; hằng năm")


def test_a_report_window_is_not_a_schedule():
    text = ("BÁO CÁO\n\n1. Trong giai đoạn từ ngày 17/01/2026 đến ngày 30/06/2026, Sở Công Thương chưa tiếp nhận "
            "hồ sơ nào.\n")
    c = by_number(clauses_of(text, issuer="Sở Công Thương"))["1"]
    assert not c.is_task and c.deadline is None


# --- generalisation (held-out probe shapes, issue 19) ------------------------------------

def test_a_body_name_ends_with_what_it_belongs_to():
    assert body_at("Ban Tổ chức Thành ủy tiếp nhận hồ sơ, kiểm tra").name == "Ban Tổ chức Thành ủy"
    assert body_at("Các đảng ủy trực thuộc Thành ủy phổ biến Hướng dẫn").name == "Các đảng ủy trực thuộc Thành ủy"
    assert body_at("Ủy ban nhân dân các xã đẩy mạnh số hóa").name == "Ủy ban nhân dân các xã"
    assert body_at("Ủy ban nhân dân tỉnh Quảng Trị ban hành").name == "Ủy ban nhân dân tỉnh Quảng Trị"  # a name goes on
    assert body_at("Ủy ban Kiểm tra Huyện ủy đưa nội dung").name == "Ủy ban Kiểm tra Huyện ủy"  # "Kiểm tra" in capitals
    assert body_at("Phòng Văn hóa - Xã hội các xã tuyên truyền").name == "Phòng Văn hóa - Xã hội các xã"
    assert body_at("Cấp ủy các cấp thường xuyên rà soát quy chế").name == "Cấp ủy các cấp"


def test_two_known_names_side_by_side_are_one_unknown_name():
    # the gazetteer knows "Ủy ban nhân dân" and "các xã, phường" (a Party committee's short form), not the two together
    assert label_body("Ủy ban nhân dân các xã, phường") == "Ủy ban nhân dân các xã, phường"
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n4. Ủy ban nhân dân các xã, phường\n\n"
            "Rà soát danh sách hộ nghèo trên địa bàn.\n")
    c = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))["III.4.d1"]
    assert c.lead == "Ủy ban nhân dân các xã, phường" and c.leads == ["Ủy ban nhân dân các xã, phường"]


def test_in_a_section_that_assigns_work_any_verb_after_the_subject_counts():
    text = ("II. TRÁCH NHIỆM CÁC CẤP\n\n1. Đối với chi bộ\n\n"
            "Chi ủy (hoặc bí thư chi bộ nơi không có chi ủy) lập hồ sơ đề nghị, gửi đảng ủy cơ sở.\n\n"
            "2. Đối với đảng ủy cơ sở\n\n"
            "Đảng ủy cơ sở thẩm tra hồ sơ trong 10 ngày làm việc. Trường hợp hồ sơ thiếu, đảng ủy cơ sở yêu "
            "cầu chi bộ bổ sung.\n\n"
            "3. Ủy ban Kiểm tra Huyện ủy đưa việc thực hiện Hướng dẫn vào chương trình giám sát.\n\n"
            "III. KẾT QUẢ THỰC HIỆN\n\n1. Ban Tổ chức Huyện ủy tham mưu ban hành 12 văn bản trong năm.\n")
    cs = by_number(clauses_of(text, issuer="Ban Tổ chức Huyện ủy"))
    assert cs["II.1.d1"].lead == "Chi ủy" and cs["II.1.d1"].is_task
    assert cs["II.2.d1"].lead == "Đảng ủy cơ sở"  # the opening sentence, not "yêu cầu chi bộ" after it
    assert cs["II.2.d1"].deadline is not None and cs["II.2.d1"].deadline.text == "trong 10 ngày làm việc"
    assert cs["II.3"].lead == "Ủy ban Kiểm tra Huyện ủy" and cs["II.3"].is_task
    assert cs["III.1"].lead_source == "issuer"  # a report's findings: the same shape describes, it assigns nothing


def test_a_described_subject_is_not_put_to_work():
    text = "II. NHIỆM VỤ\n\n1. Sở Nội vụ đã tham mưu ban hành quy chế phối hợp.\n\n2. Chi bộ có 25 đảng viên.\n"
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))
    assert cs["II.1"].lead_source == "issuer" and cs["II.2"].lead_source == "issuer"


def test_a_due_date_written_into_a_section_led_task():
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Khoa học và Công nghệ\n\n"
            "Chủ trì xây dựng cơ sở dữ liệu về doanh nghiệp; hoàn thành trước ngày 30/9/2026.\n\n"
            "2. Công an tỉnh\n\nTổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12 hằng năm.\n\n"
            "3. Sở Tài chính\n\nBố trí kinh phí theo dự toán, định kỳ hằng quý rà soát việc giải ngân.\n")
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))
    first = cs["III.1.d1"].deadline
    assert first.text == "hoàn thành trước ngày 30/9/2026" and first.due == "2026-09-30"
    assert cs["III.2.d1"].deadline.text == "trước ngày 15/12 hằng năm"
    assert cs["III.3.d1"].deadline is None  # a rhythm inside a section's duties is not its due date


def test_labels_close_a_paragraph_and_a_bare_time_label_beside_a_lead_label():
    text = ("II. NỘI DUNG\n\n1. Rà soát điểm trường\n\n"
            "Kiểm tra biển cảnh báo tại các điểm trường; khắc phục xong trước ngày 25/5/2026.\n\n"
            "**Đơn vị chủ trì:** Phòng Kế hoạch - Tài chính; **Đơn vị phối hợp:** UBND các phường.\n\n"
            "2. Dạy bơi\n\nMở lớp dạy bơi cho học sinh. **Thời gian:** từ ngày 01/6 đến ngày 31/7/2026. "
            "**Đơn vị chủ trì:** Phòng Giáo dục thể chất.\n\n"
            "3. Tư pháp\n\nSở Tư pháp chủ trì rà soát văn bản quy phạm pháp luật; thời hạn: tháng 5/2026.\n\n"
            "III. THỜI GIAN\n\nThời gian: 1,5 ngày, bắt đầu từ 13h30.\n")
    cs = by_number(clauses_of(text))
    assert cs["II.1.d1"].lead == "Phòng Kế hoạch - Tài chính"
    assert cs["II.1.d1"].deadline.text == "xong trước ngày 25/5/2026"
    assert cs["II.2.d1"].deadline.text == "từ ngày 01/6 đến ngày 31/7/2026"
    assert cs["II.3.d1"].deadline.text == "tháng 5/2026"
    assert not cs["III.d1"].is_task  # "Thời gian:" alone is an event's time, not a deadline


def test_partners_read_as_far_as_their_shape_goes():
    text = ("II. NHIỆM VỤ\n\n1. Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh tổ chức khảo sát.\n\n"
            "2. Sở Y tế chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, Sở Xây dựng thành lập đoàn kiểm tra.\n\n"
            "3. Giao Trung tâm Phục vụ hành chính công chủ trì nâng cấp phần mềm; Sở Khoa học và Công nghệ phối hợp "
            "thực hiện.\n")
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))
    assert cs["II.1"].partners == ["Văn phòng UBND tỉnh"]  # not the "UBND tỉnh" inside it
    assert cs["II.2"].partners == ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng"]
    assert cs["II.3"].lead == "Trung tâm Phục vụ hành chính công"
    assert cs["II.3"].partners == ["Sở Khoa học và Công nghệ"]


def test_a_person_or_a_proper_name_before_the_colon_in_an_assigning_section():
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n"
            "1. Đồng chí Phó Chủ tịch Thường trực UBND tỉnh, Trưởng Ban Chỉ đạo: chỉ đạo chung, chủ trì hội nghị "
            "tổng kết trước ngày 30/6/2026.\n\n"
            "2. Đài Phát thanh và Truyền hình Hòa Bình: mở chuyên mục tuyên truyền trong tháng hành động.\n\n"
            "3. Các đảng ủy trực thuộc tổ chức lễ ra mắt chi bộ mới.\n\n"
            "IV. THỜI GIAN, ĐỊA ĐIỂM\n\n1. Địa điểm tổ chức: hội trường Nhà văn hóa tỉnh.\n")
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))
    assert cs["III.1"].lead == "Đồng chí Phó Chủ tịch Thường trực UBND tỉnh" and cs["III.1"].is_task
    assert cs["III.1"].deadline.text == "trước ngày 30/6/2026"
    assert cs["III.2"].lead == "Đài Phát thanh và Truyền hình Hòa Bình" and cs["III.2"].is_task
    assert cs["III.3"].lead == "Các đảng ủy trực thuộc"  # "trực thuộc" ends the name, "tổ chức" is the verb
    assert cs["IV.1"].lead_source == "issuer"  # a label is not an actor


def test_a_party_members_own_duty_after_a_time_limit():
    text = ("II. QUY TRÌNH\n\n4. Đối với nơi đến\n\nTrong 30 ngày kể từ ngày ghi trên giấy giới thiệu, đảng viên "
            "phải báo cáo với chi bộ nơi đến.\n")
    c = by_number(clauses_of(text, issuer="Ban Tổ chức Tỉnh ủy"))["II.4.d1"]
    assert c.lead == "đảng viên" and c.deadline.text.startswith("Trong 30 ngày kể từ ngày ghi")


def test_levels_named_together_and_a_level_that_is_a_noun():
    assert body_at("Ủy ban nhân dân các xã, phường đẩy mạnh số hóa").name == "Ủy ban nhân dân các xã, phường"
    assert body_at("UBND các xã, phường, thị trấn tổ chức").name == "UBND các xã, phường, thị trấn"
    assert body_at("Thủ trưởng các cơ sở giáo dục trực thuộc báo cáo").name == \
        "Thủ trưởng các cơ sở giáo dục trực thuộc"  # "cơ sở giáo dục": a noun, not the level of "Đảng ủy cơ sở"
    assert body_at("Các phòng chuyên môn thuộc Sở căn cứ nhiệm vụ").name == "Các phòng chuyên môn thuộc Sở"
    text = ("II. NHIỆM VỤ TRỌNG TÂM\n\n4. Ủy ban nhân dân các xã, phường đẩy mạnh số hóa hồ sơ thủ tục hành chính, "
            "bảo đảm đạt chỉ tiêu trước ngày 30/6/2026.\n\n"
            "III. TỔ CHỨC THỰC HIỆN\n\n1. Đồng chí Phó Chủ tịch Ủy ban nhân dân tỉnh, Trưởng Ban Chỉ đạo liên ngành về "
            "vệ sinh an toàn thực phẩm của tỉnh: chỉ đạo chung các hoạt động.\n")
    cs = by_number(clauses_of(text, issuer="Ủy ban nhân dân tỉnh"))
    assert cs["II.4"].lead == "Ủy ban nhân dân các xã, phường" and cs["II.4"].deadline.due == "2026-06-30"
    assert cs["III.1"].lead == "Đồng chí Phó Chủ tịch Ủy ban nhân dân tỉnh"  # the colon well past 100 characters


def test_a_list_of_bodies_each_by_its_own_head_acts_in_an_assigning_section():
    text = ("Điều 5. Trách nhiệm thi hành\n\n1. Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương cụ thể hóa "
            "Quy định này, hoàn thành trong 06 tháng kể từ ngày ký.\n\n"
            "2. Các cấp ủy, tổ chức đảng, các cơ quan, đơn vị quán triệt Quy định này.\n")
    cs = by_number(clauses_of(text, issuer="Ban Chấp hành Trung ương"))
    assert cs["dieu5.1"].lead == "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương" and cs["dieu5.1"].is_task
    assert cs["dieu5.1"].deadline.text == "trong 06 tháng kể từ ngày ký"
    assert cs["dieu5.2"].lead_source == "issuer"  # "tổ chức đảng", "đơn vị": common nouns, not one list of bodies


def test_a_step_due_right_after_another_in_mid_sentence():
    text = ("III. TỔ CHỨC THỰC HIỆN\n\n2. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy cập nhật dữ liệu "
            "đảng viên ngay sau khi hoàn thành việc chuyển sinh hoạt đảng.\n")
    c = by_number(clauses_of(text))["III.2"]
    assert c.deadline.text == "ngay sau khi hoàn thành việc chuyển sinh hoạt đảng" and c.deadline.kind == "conditional"
