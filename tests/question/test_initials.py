"""Short forms a corpus spells out (question/initials.py): a consonant-only word read as the run of words
whose initials spell it, when the corpus writes that run often enough and clearly more than any other."""
from quydinh_bot.question.initials import Initialisms

TEXTS = ["Hồ sơ ứng cử đại biểu Quốc hội nộp tại Ủy ban bầu cử.",
         "Người ứng cử đại biểu Quốc hội phải có đơn.",
         "Sở Giáo dục và Đào tạo chủ trì; Sở Giáo dục và Đào tạo báo cáo.",
         "Đăng báo quý hai."]


def test_initials_spell_the_run_the_corpus_writes():
    i = Initialisms(TEXTS)
    assert i.spell("dbqh") == "đại biểu Quốc hội"
    assert i.spell("sgddt") == "Sở Giáo dục và Đào tạo"  # "và" may be left out of the initials


def test_a_run_written_once_is_no_reading():
    assert Initialisms(TEXTS).spell("dbqh2") is None
    assert Initialisms(["Đại biểu Quốc hội."]).spell("dbqh") is None


def test_two_runs_equally_common_are_no_reading():
    assert Initialisms(["Sở Công Thương", "Sở Công Thương", "số cán thống", "số cán thống"]).spell("sct") is None


def test_unknown_short_form_is_replaced_known_one_kept():
    i = Initialisms(TEXTS)
    assert i.spell_out("han nop ho so ung cu dbqh", known=set()) == (
        "han nop ho so ung cu dai bieu quoc hoi", {"dbqh": "đại biểu Quốc hội"})
    text, _ = i.spell_out("Hạn nộp hồ sơ ứng cử ĐBQH?", known={"dbqh"})
    assert text == "Hạn nộp hồ sơ ứng cử đại biểu Quốc hội (ĐBQH)?"


def test_words_with_vowels_and_skipped_forms_stay():
    i = Initialisms(TEXTS + ["Công ty Yên", "Công ty Yên"], skip={"nqlt"})
    assert i.spell_out("cty nao", known=set())[0] == "cty nao"  # "y" is a vowel: no initials
    assert i.spell_out("nqlt 102", known=set())[0] == "nqlt 102"
