"""Word weights with a prior (index/weights.py): a corpus' clause counts mixed with a background's, so that
in a one-document corpus an ordinary word it never uses does not weigh as much as a word nobody uses."""
import math

from quydinh_bot.index.weights import PRIOR_FILE, Background, General, WordWeights, background, general


def lucene_idf(n: int, d: float) -> float:
    return math.log(1 + (n - d + 0.5) / (d + 0.5))


# a background of 1000 clauses: "lop" (lớp) is ordinary there, "huan_luyen" rare, "vlncn" absent
BG = Background({"van-ban": {"lop": 200, "huan_luyen": 2, "thanh_tra": 2, "kiem_tra": 300}}, {"van-ban": 1000})
# a plan of 20 clauses about training: every clause says "huan_luyen", none "lop"
SMALL = {"huan_luyen": 20, "vat_lieu": 3}


def test_an_ordinary_word_the_corpus_lacks_weighs_less_than_a_word_nobody_uses():
    w = WordWeights(SMALL, 20, BG, strength=500)
    assert w.weight("lop") < w.weight("vlncn")
    assert w.weight("lop") < w.weight("vat_lieu")  # rarer in the corpus than "lớp" is in general
    alone = WordWeights(SMALL, 20, BG, strength=0)  # the corpus' own counts: both unknown, both weigh most
    assert alone.weight("lop") == alone.weight("vlncn") == lucene_idf(20, 1) + 1  # one more than a word used once


def test_the_corpus_counts_still_count():
    w = WordWeights(SMALL, 20, BG, strength=500)
    # as rare as each other in general; the corpus uses one in every clause
    assert w.weight("huan_luyen") < w.weight("thanh_tra")


def test_without_a_background_the_weight_is_the_corpus_idf():
    w = WordWeights(SMALL, 20, Background({}, {}))
    assert w.weight("vat_lieu") == lucene_idf(20, 3)
    assert w.weight("lop") == lucene_idf(20, 1) + 1


def test_a_large_corpus_is_dominated_by_its_own_counts():
    big = {"lop": 5_000, "kiem_tra": 50_000}
    w = WordWeights(big, 100_000, BG, strength=500)
    assert abs(w.weight("lop") - lucene_idf(100_000, 5_000)) < 0.05
    assert abs(w.weight("kiem_tra") - lucene_idf(100_000, 50_000)) < 0.01
    small = WordWeights({"lop": 5}, 100, BG, strength=500)  # the same share in a small corpus: the prior decides
    assert abs(small.weight("lop") - lucene_idf(100, 5)) > 1.0


def test_the_table_round_trips(tmp_path):
    path = tmp_path / "prior.tsv"
    BG.write(path)
    back = Background.read(path)
    assert back.by_doc == BG.by_doc and back.doc_clauses == BG.doc_clauses
    assert back.rate("lop") == 0.2 and back.rate("vlncn") == 0.0


def test_a_corpus_that_holds_a_background_document_leaves_it_out():
    two = Background({"a": {"lop": 10}, "b": {"lop": 90, "to": 5}}, {"a": 100, "b": 100})
    assert two.rate("lop") == 0.5
    assert two.without(["b"]).rate("lop") == 0.1 and two.without(["b"]).rate("to") == 0.0
    # holding every background document: no prior at all, the corpus' own idf
    w = WordWeights({"lop": 3}, 50, two, strength=500, held=["a", "b", "other"])
    assert w.strength == 0 and w.weight("lop") == lucene_idf(50, 3)
    half = WordWeights({"lop": 3}, 50, two, strength=500, held=["a"])  # half the background left: half the weight
    assert half.strength == 250 and half.weight("lop") == lucene_idf(300, 3 + 250 * 0.9)


def test_the_shipped_table_is_the_seed_corpus_counts():
    assert PRIOR_FILE.exists()
    bg = background()
    assert bg.clauses > 500 and len(bg.df) > 1000
    # ordinary words of administrative text are common in it, a trade word is not there at all
    assert bg.rate("thuc_hien") > bg.rate("lop") > 0 and bg.rate("vlncn") == 0


# text at large: "thêm" and "toàn bộ" are written often, "xăng" and "dầu" less, "vlncn" never
LANGUAGE = General({"thêm": 1e-3, "toàn": 7e-4, "bộ": 1e-3, "xăng": 3e-5, "dầu": 2e-4})


def test_a_word_neither_the_corpus_nor_the_background_uses_weighs_as_text_at_large_writes_it():
    w = WordWeights(SMALL, 20, BG, strength=500, language=LANGUAGE)
    unseen = w.weight("vlncn")
    assert w.weight("them", "thêm") < w.weight("xang_dau", "xăng_dầu") < unseen
    assert w.weight("toan_bo", "toàn_bộ") < w.weight("xang_dau", "xăng_dầu")
    assert w.weight("vlncn", "vlncn") == unseen  # text at large never writes it either
    assert w.weight("them") == unseen  # without its spelling nothing tells
    # a word the background knows keeps the background's weight, whatever its spelling
    assert w.weight("lop", "lớp") == w.weight("lop")


def test_a_compound_is_as_rare_as_its_rarest_syllables_say():
    rate = LANGUAGE.rate
    assert rate("xăng_dầu") < rate("xăng") and rate("xăng_dầu") < rate("dầu")
    assert rate("xăng dầu") == rate("xăng_dầu") and rate("nước_mắm") == 0.0 and rate("") == 0.0


def test_a_corpus_holding_the_whole_background_keeps_its_own_weights():
    """The shipped seed corpus: the background is its own documents, so no prior and no text at large."""
    w = WordWeights(SMALL, 20, BG, strength=500, held=["van-ban"], language=LANGUAGE)
    assert w.weight("them", "thêm") == w.weight("vlncn") == lucene_idf(20, 1) + 1


def test_the_shipped_syllable_frequencies_know_ordinary_words_from_rare_ones():
    shipped = general()
    assert len(shipped.freq) > 5000
    assert shipped.rate("thêm") > shipped.rate("xăng_dầu") > 0.0
    assert shipped.rate("hòa") > 0.0  # one tone placement
