"""Short forms a corpus spells out (question/initials.py): a consonant-only word read as the run of words
whose initials spell it, when the corpus writes that run often enough and clearly more than any other."""
import re
import sys

from initials_reference import ReferenceInitialisms

from quydinh_bot.language.text import fold
from quydinh_bot.question.initials import _ASCII_FOLDING, Initialisms

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


# -- the regular expression spells what the word-by-word reading spelled ------------------------------
TRICKY = [
    "Sở Công Thương chủ trì; SỞ CÔNG THƯƠNG phối hợp, sở công thương báo cáo.",  # capitalisation
    "Sở Giáo dục và Đào tạo, Sở Giáo dục VÀ Đào tạo và Sở Giáo dục\tvà  Đào tạo.",  # "và" skipped, spaces
    "vật liệu và vốn vay; vật liệu nổ công nghiệp; Vật liệu nổ công nghiệp.",  # "và" as the letter v
    "đại biểu, Quốc hội; đại biểu Quốc-hội; Đại biểu Quốc hội; dai bieu quoc hoi.",  # punctuation, đ/d
    "số cán thống; số cán thống; Sở Cán Thẩm; Sở Cán Thẩm.",  # a tie
    "ban thường vụ tỉnh ủy một lần, và và và thêm; vă và vạ.",  # a run written once, "và" repeated
    "tiếp tục tổ chức thực hiện tốt tiếp tục tổ chức thực hiện tốt",  # overlapping runs
    "Kế hoạch 2025 số 12 năm 2025, kế hoạch 2025 số 3; Ḃản Ḃáo Kelvin Đoàn Ǹ",  # digits, rare letters
    "Đảng ủy\ndoanh nghiệp; Đảng ủy doanh nghiệp\u00a0tỉnh; đảng ủy doanh nghiệp",  # newline, no-break space
    "Hội đồng nhân dân", "Hội đồng nhân dân tỉnh", "hội đồng nhân dân", "_x _y _x _y",
]


def test_same_spellings_as_the_word_by_word_reading():
    new, old = Initialisms(TRICKY), ReferenceInitialisms(TRICKY)
    shorts = old.shorts() | {"sct", "sgddt", "sgdvdt", "vlncn", "vlvvv", "dbqh", "sct", "btvtu", "vvv",
                             "tttcth", "tttt", "kh2", "kh20", "bbkdn", "duydn", "hdnd", "hdndt", "xx", "_x"}
    spelled = {s: old.spell(s) for s in sorted(shorts)}
    assert {s: new.spell(s) for s in sorted(shorts)} == spelled
    # the cases above do what they are there for
    assert spelled["sct"] is None and spelled["sgddt"] == "Sở Giáo dục và Đào tạo"
    assert spelled["vlncn"] == "vật liệu nổ công nghiệp"  # written twice, capitalised two ways: the first
    assert spelled["dbqh"] == "Đại biểu Quốc hội"  # "đại biểu, Quốc hội" and "Quốc-hội" are no run
    assert spelled["btvtu"] is None and spelled["tttcth"] == "tiếp tục tổ chức thực hiện"
    assert spelled["dudn"] == "Đảng ủy doanh nghiệp" and spelled["hdnd"] == "Hội đồng nhân dân"


def test_same_spellings_of_a_generator_read_for_every_short_form():
    texts = (t for t in TRICKY)  # the searcher passes its clauses' texts as a generator
    i = Initialisms(texts)
    assert i.spell("sgddt") == "Sở Giáo dục và Đào tạo" and i.spell("vlncn") == "vật liệu nổ công nghiệp"


def test_every_word_character_folding_to_ascii_is_in_the_blocks_read():
    """The character classes are drawn from initials._ASCII_FOLDING's blocks; a word character elsewhere
    in Unicode whose fold starts with an ASCII character (or is empty: the next one would then be its
    initial) would be a letter the expression misses."""
    word = re.compile(r"\w")
    inside = {c for lo, hi in _ASCII_FOLDING for c in map(chr, range(lo, hi))}
    missed = [c for c in map(chr, range(sys.maxunicode + 1))
              if word.match(c) and c not in inside and (fold(c)[:1].isascii())]
    assert missed == []
