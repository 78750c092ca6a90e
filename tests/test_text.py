from quydinh_bot.text import fold, has_diacritics, normalize, segment, strip_markup, words


def test_normalize_moves_old_tone_marks_to_one_convention():
    assert normalize("hoà") == normalize("hòa") == "hòa"
    assert normalize("Đảng uỷ") == "Đảng ủy"
    assert normalize("khoẻ mạnh") == "khỏe mạnh"
    # "qu" is a consonant cluster: quý keeps its mark on y
    assert normalize("quý") == "quý"
    # a closed syllable is untouched
    assert normalize("hoàn thành") == "hoàn thành"


def test_normalize_is_nfc():
    decomposed = "Đa\u0309ng"  # a + combining hook above
    assert normalize(decomposed) == "Đảng"


def test_fold_strips_accents_and_treats_d_bar_as_letter_d():
    assert fold("Đảng ủy HĐND tỉnh") == "dang uy hdnd tinh"
    assert fold("Uỷ ban") == fold("Ủy ban") == "uy ban"


def test_strip_markup_removes_emphasis_escapes_and_footnote_markers():
    assert strip_markup("**Tham mưu:** (*thực hiện*)<sup>3</sup>.") == "Tham mưu: (thực hiện)."
    assert strip_markup("\\* *Ban Tổ chức Tỉnh ủy:*") == "Ban Tổ chức Tỉnh ủy:"


def test_has_diacritics():
    assert has_diacritics("Ai chủ trì")
    assert not has_diacritics("ai chu tri so hoa tai lieu")


def test_words_keep_codes_and_numbers_whole():
    assert words("Kế hoạch số 376-KH/TU, đạt 3,2% và 1.340/3.850") == [
        "Kế", "hoạch", "số", "376-KH/TU", "đạt", "3", "2", "và", "1.340/3.850"]


def test_segment_joins_compound_words():
    assert "tổ_chức" in segment("tổ chức cơ sở đảng")
    assert segment("") == ""
