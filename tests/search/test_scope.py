"""Declining by what the question names: provinces, districts, document numbers, rulebooks, years the corpus lacks."""
import json

import pytest

from quydinh_bot.index.build import DocInfo
from quydinh_bot.question.query import parse_query
from quydinh_bot.records import Clause
from quydinh_bot.search.decision import FEATURES, SIGNS, Decision, load
from quydinh_bot.search.scope import Scope

DOCS = {"kh-376-2025": DocInfo("kh-376-2025", "Phụ lục công việc", "phụ lục", "376-KH/TU", "21/7/2025",
                               "Ban Thường vụ Tỉnh ủy", "Lai Châu"),
        "da-tccsd": DocInfo("da-tccsd", "Đề án củng cố tổ chức cơ sở đảng", "đề án", None, "2025",
                            "Ban Chấp hành Đảng bộ tỉnh", "Thái Nguyên")}
CLAUSES = [
    Clause(doc_id="kh-376-2025", number="I.1", kind="row", text="Hoàn thành số hóa tài liệu trước 31/8/2025."),
    Clause(doc_id="da-tccsd", number="1", kind="paragraph", text=
           "Năm 2020 đạt 93,27% (trong đó tỉnh Thái Nguyên 96,71%; tỉnh Bắc Kạn 89,82%). "
           "Thực hiện Nghị quyết số 56-NQ/TU và Nghị quyết 18 về sắp xếp bộ máy."),
]


@pytest.fixture
def scope():
    return Scope.from_index(DOCS, CLAUSES)


@pytest.mark.parametrize("question, reason", [
    ("tinh lao cai chi tieu ket nap dv 2025", "kho văn bản chưa có văn bản của tỉnh Lào Cai"),
    ("Đại hội Đảng bộ tỉnh Nghệ An khi nào?", "kho văn bản chưa có văn bản của tỉnh Nghệ An"),
    ("kh 512 giao nhiem vu gi", "kho văn bản không có kế hoạch số 512"),
    ("Nghị quyết 99 về nông thôn mới", "kho văn bản không có nghị quyết số 99"),
    ("nq 56 ai thực hiện năm 2015", "kho văn bản không có nội dung về năm 2015"),
    ("Điều lệ Đảng quy định tuổi kết nạp tối thiểu", "kho văn bản không có nội dung của Điều lệ Đảng"),
    ("dieu le dang quy dinh tuoi ket nap toi thieu", "kho văn bản không có nội dung của Điều lệ Đảng"),
    ("theo hien phap cong dan co quyen gi", "kho văn bản không có nội dung của Hiến pháp"),
    ("huyện Định Hóa có bao nhiêu chi bộ", "kho văn bản không có nội dung về huyện Định Hóa"),
    ("huyen dinh hoa co bao nhieu chi bo", "kho văn bản không có nội dung về huyện Dinh Hoa"),
])
def test_what_the_corpus_does_not_hold_is_declined_with_the_reason(scope, question, reason):
    assert scope.outside(parse_query(question), CLAUSES) == reason


@pytest.mark.parametrize("question", [
    "so hoa tai lieu kh 376 han",           # the document's own number
    "Kế hoạch số 376 ai chủ trì",
    "nq 56 ai thuc hien",                    # a code the text cites
    "nghi quyet 18 sap xep bo may",          # cited without its code
    "tong so tccsd thai nguyen 2025",        # a province of the corpus, a year it holds
    "ty le nam 2020 cua tinh bac kan",       # not a document's province, but the clause found names it
    "xay dung trung tam chinh tri cac huyen dat chuan",  # districts in general, ordinary words after "huyện"
    "kỷ luật đảng viên năm 2020",            # "kỷ luật" is not a law
])
def test_what_the_corpus_holds_is_not_declined(scope, question):
    assert scope.outside(parse_query(question), CLAUSES) is None


def test_a_rulebook_is_held_when_a_clause_found_says_something_about_it_not_only_cites_it(scope):
    q = parse_query("Điều lệ Đảng quy định gì về kết nạp")
    cites = Clause(doc_id="da-tccsd", number="y1", kind="item", text="Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    says = Clause(doc_id="da-tccsd", number="y2", kind="item",
                  text="Tập huấn hướng dẫn thi hành Điều lệ Đảng cho bí thư chi bộ.")
    assert scope.outside(q, [cites]) == "kho văn bản không có nội dung của Điều lệ Đảng"
    assert scope.outside(q, [cites, says]) is None


def test_a_province_outside_the_corpus_is_declined_only_when_the_clauses_found_do_not_name_it(scope):
    q = parse_query("tinh bac kan dat bao nhieu phan tram")
    assert scope.outside(q, CLAUSES[1:]) is None
    assert scope.outside(q, CLAUSES[:1]) == "kho văn bản chưa có văn bản của tỉnh Bắc Kạn"


def test_the_stored_decision_reads_every_feature_and_separates_strong_from_weak_matches():
    d = load()
    assert set(d.features) <= set(FEATURES) and 0 < d.threshold <= 0.5
    strong = {"coverage3": 1.0, "coverage1": 1.0, "coverage1_strict": 1.0, "unknown": 0.0, "dense_top": 0.92,
              "dense_margin": 0.06, "lexical_top": 1.0, "shape_top": 1.0, "known_coverage1": 1.0, "never_share": 0.0,
              "dense_z": 2.5}
    weak = {"coverage3": 0.2, "coverage1": 0.1, "coverage1_strict": 0.1, "unknown": 0.6, "dense_top": 0.80,
            "dense_margin": 0.005, "lexical_top": 0.05, "shape_top": 0.0, "known_coverage1": 0.1, "never_share": 0.6,
            "dense_z": 1.5}
    assert d.answers(strong) and not d.answers(weak)


def test_the_stored_decision_weighs_every_feature_the_way_its_meaning_points():
    """eval/mixed/fit_decision.py keeps each coefficient to decision.SIGNS: more of the question held, a
    closer match, never counts against answering; words the corpus never writes never count for it."""
    d = load()
    assert set(SIGNS) == set(FEATURES)
    assert all(c * SIGNS[n] >= 0 for n, c in zip(d.features, d.coef))


def test_a_decision_file_round_trips(tmp_path):
    d = Decision(FEATURES, [0.0] * len(FEATURES), [1.0] * len(FEATURES), [1.0] * len(FEATURES), -0.5, 0.5)
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(d.to_json()), encoding="utf-8")
    assert load.__wrapped__(str(path)) == d


def test_a_state_number_holds_its_number_year_and_code_and_no_other_number():
    """Nghị định 30/2020/NĐ-CP numbers a state document '99/2025/NQ-HĐND': 'nq 99' names it."""
    docs = {"nq-99-2025": DocInfo("nq-99-2025", "Quy định mức chi bầu cử", "nghị quyết", "99/2025/NQ-HĐND",
                                  "2025-12-10", "Hội đồng nhân dân tỉnh Quảng Ninh", "Quảng Ninh")}
    clauses = [Clause(doc_id="nq-99-2025", number="dieu4.2", kind="paragraph",
                      text="Nghị quyết này thay thế Nghị quyết số 12/2020/NQ-HĐND.")]
    scope = Scope.from_index(docs, clauses)
    assert scope.outside(parse_query("nq 99 thay the nghi quyet nao"), clauses) is None
    assert scope.outside(parse_query("Nghị quyết 12 quy định gì"), clauses) is None  # cited in the text
    assert scope.outside(parse_query("nq 98 thay the nghi quyet nao"), clauses) == \
        "kho văn bản không có nghị quyết số 98"
    assert scope.outside(parse_query("kế hoạch 99 giao việc gì"), clauses) == "kho văn bản không có kế hoạch số 99"


def test_a_kind_typed_as_its_number_code_names_a_number():
    """'nqlt 102' is 'nghị quyết liên tịch 102': held when the corpus holds '102/2025/NQLT-…', else declined."""
    docs = {"nqlt-102-2025": DocInfo("nqlt-102-2025", "Hướng dẫn hiệp thương", "nghị quyết liên tịch",
                                     "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN", "2025-09-26",
                                     "Ủy ban Thường vụ Quốc hội", None)}
    clauses = [Clause(doc_id="nqlt-102-2025", number="dieu29.1", kind="paragraph",
                      text="Nghị quyết này có hiệu lực thi hành từ ngày 01 tháng 11 năm 2025.")]
    scope = Scope.from_index(docs, clauses)
    q = parse_query("nqlt 102 co hieu luc tu ngay nao")
    assert scope.named_numbers(q) == [("nghi quyet lien tich", "102")]
    assert scope.outside(q, clauses) is None
    assert scope.outside(parse_query("nqlt 103 co hieu luc tu ngay nao"), clauses) == \
        "kho văn bản không có nghị quyết liên tịch số 103"
