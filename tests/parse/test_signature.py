"""The signature block is read from its shape (Nghị định 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW), however the
reader laid out the closing: one merged clause (Word, PDF) or paragraphs of their own (text)."""
from quydinh_bot.parse.signature import Signature, closing_clauses, find_signature
from quydinh_bot.records import Clause


def _doc(*parts: tuple[str, str]) -> list[Clause]:
    return [Clause(doc_id="d", number=n, kind="closing" if n == "noi-nhan" else "paragraph", text=t, order=i)
            for i, (n, t) in enumerate(parts)]


def _sig(*parts: tuple[str, str]) -> Signature | None:
    return find_signature(closing_clauses(_doc(*parts)))


def test_block_merged_into_the_distribution_list():
    sig = _sig(("III.2", "Giao Phòng Quản lý công nghiệp tổ chức thực hiện."),
               ("noi-nhan", "Nơi nhận: - Như trên; - Ban Giám đốc Sở; - Lưu: VT, CN(Linh). KT. GIÁM ĐỐC "
                            "PHÓ GIÁM ĐỐC Hoàng Văn Thuân"))
    assert sig == Signature("d/noi-nhan", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC", "Hoàng Văn Thuân")
    assert sig.line == "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn Thuân"


def test_party_block_in_paragraphs_of_its_own():
    sig = _sig(("noi-nhan", "Nơi nhận:"), ("noi-nhan.y1", "Ban Tổ chức Trung ương (báo cáo),"),
               ("noi-nhan.y2", "Lưu BTCTU."), ("noi-nhan.d1", "BTCTU/216"),
               ("noi-nhan.d2", "T/M BAN CHẤP HÀNH BÍ THƯ"), ("noi-nhan.d3", "Trịnh Xuân Trường"))
    assert sig == Signature("d/noi-nhan.d3", "T/M BAN CHẤP HÀNH BÍ THƯ", "Trịnh Xuân Trường")


def test_the_office_after_the_name_and_an_appendix_are_not_the_name():
    sig = _sig(("noi-nhan", "Nơi nhận: - Lưu: VT. TM. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN Hoàng Văn Thuân "
                            "PHÓ GIÁM ĐỐC SỞ CÔNG THƯƠNG"))
    assert sig is not None and sig.name == "Hoàng Văn Thuân" and sig.office == "TM. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN"
    sig = _sig(("noi-nhan", "Nơi nhận: - Như Điều 5; - Lưu: VT. GIÁM ĐỐC Hoàng Chí Hiền"),
               ("noi-nhan.d1", "Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA"))
    assert sig is not None and sig.name == "Hoàng Chí Hiền"


def test_a_draft_without_a_name_still_says_who_signs():
    sig = _sig(("noi-nhan", "Nơi nhận: - TT Tỉnh ủy; - Lưu: VT."), ("noi-nhan.d1", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH"))
    assert sig == Signature("d/noi-nhan.d1", "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH", "")


def test_a_flattened_pdf_closes_with_its_last_clauses():
    sig = _sig(("I.1", "Nội dung hướng dẫn."),
               ("III.3", "Nếu có vướng mắc, phản ánh về Ban Tổ chức. Nơi nhận: - Các đảng ủy trực thuộc; - Lưu."),
               ("III.3.d1", "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN Nguyễn Văn Đức"))
    assert sig is not None and sig.name == "Nguyễn Văn Đức"


def test_office_printed_beside_the_list_and_the_name_after_it():
    # the standard's two columns read row by row: office | "Nơi nhận:", the list, then the name alone
    sig = _sig(("19.3.d2", "Trong quá trình thực hiện, nếu có vướng mắc thì báo cáo Ban Bí thư."),
               ("19.3.d3", "T/M BAN BÍ THƯ Nơi nhận:"), ("19.3.y1", "Các tỉnh ủy, thành ủy,"),
               ("19.3.y2", "Lưu Văn phòng Trung ương Đảng."), ("19.3.d4", "Trần Cẩm Tú"))
    assert sig == Signature("d/19.3.d4", "T/M BAN BÍ THƯ", "Trần Cẩm Tú")


def test_no_block_no_signature():
    assert _sig(("noi-nhan", "Nơi nhận: - Như trên; - Lưu: VT, HĐ8.")) is None
    # capitals that name no office ("UBND TỈNH") before a name are not a signature
    assert _sig(("noi-nhan", "Nơi nhận: - Lưu. UBND TỈNH LÀO CAI Sở Công Thương")) is None
    # a joint document's signers printed side by side name no one signer
    assert _sig(("noi-nhan", "Nơi nhận: - Lưu. TM. CHÍNH PHỦ THỦ TƯỚNG TM. QUỐC HỘI CHỦ TỊCH "
                             "Trần Thanh Mẫn Phạm Minh Chính")) is None
