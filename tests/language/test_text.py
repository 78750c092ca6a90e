from quydinh_bot.language.text import fold, has_diacritics, normalize, segment, strip_markup, words, written_words


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


def test_clean_question_keeps_ordinary_questions_as_they_are():
    from quydinh_bot.language.text import clean_question

    for q in ["Ai chủ trì số hóa tài liệu, hạn khi nào?", "ai chu tri so hoa tai lieu", "TCCSĐ BTV UBKT HĐND MTTQ",
              "Kế hoạch số 376-KH/TU ngày 21/7/2025", "hoà, uỷ"]:
        assert clean_question(q) == q


def test_clean_question_drops_controls_folds_compatibility_forms_and_cuts_mark_runs():
    from quydinh_bot.language.text import MAX_MARKS_PER_CHARACTER, clean_question

    assert clean_question(" ai\tchủ\ntrì\r\n\x00\x1b[31m\u200b  hạn\u00a0 ") == "ai chủ trì [31m hạn"
    assert clean_question("năm ２０２５, ﬁ") == "năm 2025, fi"
    assert clean_question("\ud800x") == "?x"  # half a surrogate pair from a bad terminal
    assert clean_question("a" + "\u0301" * 990) == "á\u0301"  # two marks kept, the first composed
    assert clean_question("e\u0302\u0323") == "ệ"  # Vietnamese needs two marks: both kept
    cut = clean_question("o" + "\u0308\u0301\u0300\u0303" * 50)
    assert len(cut) <= 1 + MAX_MARKS_PER_CHARACTER
    assert clean_question("\u0301" * 1000) == "\u0301" * MAX_MARKS_PER_CHARACTER


def test_has_words_needs_a_word_of_two_letters():
    from quydinh_bot.language.text import has_words

    for junk in ["?", "a", ".", "1", "2025", "!! ??", "Đ", "x y z", ""]:
        assert not has_words(junk), junk
    for q in ["ai", "BTV", "đa", "hạn?", "KH 376", "chủ trì"]:
        assert has_words(q), q


def test_written_words_keep_the_spelling_of_each_folded_word():
    got = written_words("Đơn vị được giao lo TOÀN BỘ việc hoà giải")
    assert got["toan_bo"] == "toàn_bộ" and got["don_vi"] == "đơn_vị"
    assert got["hoa_giai"] == "hòa_giải"  # one tone placement, as every comparison
