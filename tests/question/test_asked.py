"""The asked phrase (the verb of the question word) is split from the topic, accented or not."""
from quydinh_bot.question.asked import split_asked


def test_lead_verbs_after_ai_are_asked_not_topic():
    assert split_asked("đại hội MTTQ cấp tỉnh ai lãnh đạo, chỉ đạo") == ("đại hội MTTQ cấp tỉnh ai",
                                                                       "lãnh đạo, chỉ đạo")
    assert split_asked("dai hoi mttq cap tinh ai lanh dao chi dao") == ("dai hoi mttq cap tinh ai", "lanh dao chi dao")


def test_second_verb_is_the_task_own():
    topic, asked = split_asked("Ai chủ trì tổ chức Đại hội Đảng bộ Công an tỉnh?")
    assert asked == "chủ trì" and "tổ chức Đại hội" in topic


def test_where_to_send():
    assert split_asked("dinh ky bao cao ket qua gui ve dau") == ("dinh ky bao cao ket qua ve dau", "gui")
    assert split_asked("định kỳ báo cáo kết quả gửi về đâu")[1] == "gửi"


def test_no_question_word_leaves_text_alone():
    assert split_asked("lãnh đạo, chỉ đạo đại hội MTTQ") == ("lãnh đạo, chỉ đạo đại hội MTTQ", "")
    assert split_asked("to chuc dang o co so") == ("to chuc dang o co so", "")


def test_total_asks_how_many():
    assert split_asked("tổng số đv toàn tỉnh") == ("đv toàn tỉnh", "tổng số")
    assert split_asked("tong so tccsd thai nguyen") == ("tccsd thai nguyen", "tong so")


def test_what_does_it_do():
    assert split_asked("nq 57 xa phuong lam gi") == ("nq 57 xa phuong gi", "lam")
    assert split_asked("nghị quyết 57 xã phường làm những gì")[1] == "làm"


def test_a_body_followed_by_lam_gi_is_the_one_that_acts():
    from quydinh_bot.question.query import parse_query

    for question in ("nq 57 khcn xa phuong lam gi", "Nghị quyết 57 khoa học công nghệ xã, phường làm gì?"):
        assert parse_query(question).subject_bodies == ["Đảng ủy các xã, phường"]
    assert parse_query("nq 57 khcn xa phuong").subject_bodies == []


def test_the_kind_of_body_asked_for_is_asked_not_topic():
    topic, asked = split_asked("Cơ quan nào tổ chức triển khai nghị quyết?")
    assert (topic, asked) == ("nào triển khai nghị quyết?", "Cơ quan tổ chức")
    assert split_asked("cap nao ra quyet dinh phat the") == ("nao ra quyet dinh phat the", "cap")
    assert split_asked("chi bộ cấp cơ sở")[1] == ""  # "cấp" without "nào" is the topic's


def test_who_signed_is_asked_not_topic():
    from quydinh_bot.language.text import fold
    from quydinh_bot.question.asked import asked_kinds
    from quydinh_bot.question.query import detect_intent

    for question in ("Thông báo mở lớp huấn luyện do ai ký?", "nguoi ky ke hoach la ai", "Kế hoạch này ký bởi ai?",
                     "đồng chí nào ký đề án"):
        assert "signer" in asked_kinds(fold(question)), question
        assert detect_intent(fold(question))[0] == "clause", question  # no body that leads a task answers
    assert split_asked("Thông báo mở lớp huấn luyện do ai ký?")[0] == "Thông báo mở lớp huấn luyện ?"
    # words that fold the same as "ký" and are no signing
    for question in ("ai chủ trì kỳ họp", "ai ký kết hợp đồng", "ai bị kỷ luật", "ai tổ chức kỳ thi"):
        assert "signer" not in asked_kinds(fold(question)), question


def test_tong_cong_ty_is_a_company_not_a_total():
    assert split_asked("ai cấp giấy phép cho tổng công ty Trường Sơn") == (
        "ai cấp giấy phép cho tổng công ty Trường Sơn", "")
    assert split_asked("tổng cộng bao nhiêu kg thuốc nổ")[1] == "tổng cộng"


def test_nguoi_nao_asks_who_as_ai_does():
    from quydinh_bot.language.text import fold
    from quydinh_bot.question.query import content_words, detect_intent

    assert detect_intent(fold("Người nào lo thảo văn bản công nhận kết quả?"))[0] == "lead"
    assert split_asked("Người nào lo thảo văn bản công nhận kết quả?")[1] == "lo"
    # "đây" points, as "này" does: "trước đây" is no topic
    assert "day" not in content_words("Hướng dẫn 06 thay cho hướng dẫn nào trước đây?")


def test_who_takes_part_is_asked_not_topic():
    assert split_asked("Ai được tham gia lớp huấn luyện này?") == ("Ai được lớp huấn luyện này?", "tham gia")
    assert split_asked("nhung ai phai du hoi nghi")[1] == "du"
    assert split_asked("ai dự kiến kết quả")[1] == ""  # "dự kiến" is not taking part


def test_the_document_replaced_or_relied_on_is_asked_by_its_verb():
    assert split_asked("Hướng dẫn 06 thay cho hướng dẫn nào trước đây?") == ("Hướng dẫn 06 hướng dẫn nào trước đây?",
                                                                          "thay cho")
    assert split_asked("nq 99 thay the nghi quyet nao") == ("nq 99 nghi quyet nao", "thay the")
    assert split_asked("Chương trình căn cứ vào quy định nào?")[1] == "căn cứ vào"
    assert split_asked("thay đổi nhân sự nào")[1] == ""  # "thay đổi" is a change, not a replacement
