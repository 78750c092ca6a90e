"""Fusion, intent, abstention and index safety on a small corpus built inside the test.

The dense side uses the deterministic bag-of-words embedder of tests/helpers.py, so these tests need
no model; the real model is exercised end to end in test_ask_e2e.py."""
import json
from pathlib import Path

import pytest

from helpers import BagOfWordsEmbedder, build_small
from quydinh_bot import Assistant
from quydinh_bot.answer.render import NOT_FOUND
from quydinh_bot.config import Settings
from quydinh_bot.index.accents import AccentRestorer
from quydinh_bot.index.build import IndexError_, build_index, check_index
from quydinh_bot.question.query import expand_abbreviations, parse_query
from quydinh_bot.search.searcher import Searcher

PLAN = """**PHỤ LỤC**
*(Kèm theo Kế hoạch số 12-KH/TU, ngày 05/3/2025 của Ban Thường vụ Tỉnh ủy)*

TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\tGhi chú
I\tNHIỆM VỤ\t\t\t\t
1\tHoàn thành số hóa tài liệu của các cơ quan đảng cấp tỉnh.\tVăn phòng Tỉnh ủy\tCác ban đảng tỉnh\tTrước 31/12/2025\t
2\tTổ chức hội nghị tổng kết công tác kiểm tra, giám sát.\tỦy ban Kiểm tra Tỉnh ủy\tCác đảng bộ trực thuộc tỉnh\t\
Quý IV/2025\t
3\tRà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý.\tBan Tổ chức Tỉnh ủy\tCác cơ quan liên quan\t\
Thực hiện thường xuyên\t
"""

PROGRAMME = """**CHƯƠNG TRÌNH**
**Công tác năm 2026**

I. CHỈ TIÊU

1. Tỷ lệ kết nạp đảng viên mới đạt từ 3,2% trở lên; kết nạp tối thiểu 350 đảng viên trong doanh nghiệp.

2. 100% chi bộ duy trì sinh hoạt định kỳ đúng quy định.

II. NHIỆM VỤ

1. Công tác đảng viên

- Tham mưu phát triển đảng viên bảo đảm chặt chẽ tiêu chuẩn.

- Tham mưu nâng cao chất lượng sinh hoạt chi bộ.

- Tham mưu rà soát, sàng lọc đảng viên.
"""

META = """["ke-hoach.txt"]
id = "kh-12-2025"
kind = "phụ lục"
parent_kind = "kế hoạch"
issuer = "Ban Thường vụ Tỉnh ủy"
province = "Lai Châu"
title = "Phụ lục nhiệm vụ"

["chuong-trinh.txt"]
id = "ctr-01-2026"
kind = "chương trình"
number = "01-CTr/BTCTU"
date = "08/01/2026"
issuer = "Ban Tổ chức Tỉnh ủy"
province = "Thái Nguyên"
"""


class HashEmbedder(BagOfWordsEmbedder):
    """The shared bag-of-words vectors (enough to test fusion without a model), able to fail half-way."""

    fingerprint = "test-hash-embedder-1"

    def __init__(self, fail: bool = False):
        self.fail = fail

    def encode_passages(self, texts, batch_size=32, progress=False):
        if self.fail:
            raise RuntimeError("embedding failed half-way")
        return super().encode_passages(texts, batch_size, progress)


@pytest.fixture()
def small(tmp_path: Path, monkeypatch):
    return build_small(tmp_path, monkeypatch, {"ke-hoach.txt": PLAN, "chuong-trinh.txt": PROGRAMME}, META,
                       embedder=HashEmbedder())


def _searcher(tmp_path: Path, monkeypatch, files: dict[str, str], meta: str) -> Searcher:
    """A searcher over a small corpus of its own, with the hash embedder."""
    return Searcher(build_small(tmp_path, monkeypatch, files, meta, embedder=HashEmbedder()), embedder=HashEmbedder())


def _assistant(settings):
    return Assistant(Searcher(settings, embedder=HashEmbedder()))


def test_abbreviations_expand_both_ways():
    assert "tổ chức cơ sở đảng" in expand_abbreviations("TCCSĐ ở Thái Nguyên")
    assert "Ủy ban Kiểm tra" in expand_abbreviations("UBKT Tỉnh ủy")
    assert expand_abbreviations("Kế hoạch số 376-KH/TU") == "Kế hoạch số 376-KH/TU"  # codes stay whole


def test_named_filters_are_read_from_the_question():
    q = parse_query("Theo Kế hoạch 376-KH/TU, tháng 3/2026 Ban Tổ chức Tỉnh ủy Lai Châu chủ trì việc gì?")
    assert q.doc_numbers == ["376-KH/TU"] and q.month == (2026, 3) and q.province == "Lai Châu"
    assert "Ban Tổ chức Tỉnh ủy" in q.subject_bodies


def test_accent_restoration_from_corpus_words():
    r = AccentRestorer.from_texts(["Hoàn thành số hóa tài liệu của các cơ quan", "Ai chủ trì"])
    assert r.restore("ai chu tri so hoa tai lieu") == "ai chủ trì số hóa tài liệu"


def test_lead_question_answers_with_table_row_lead_and_deadline(small):
    out = _assistant(small).ask("Ai chủ trì số hóa tài liệu, hạn khi nào?")
    top = out["hits"][0]
    assert out["answered"] and out["intent"] == "lead"
    assert top["clause_id"] == "kh-12-2025/I.1"
    assert top["lead"] == "Văn phòng Tỉnh ủy" and top["deadline"]["due"] == "2025-12-31"
    assert "Chủ trì: **Văn phòng Tỉnh ủy**" in out["answer"] and "Nguồn: Kế hoạch số 12-KH/TU" in out["answer"]


def test_unaccented_question_finds_the_same_clause(small):
    out = _assistant(small).ask("ai chu tri so hoa tai lieu")
    assert out["hits"][0]["clause_id"] == "kh-12-2025/I.1"


def test_fact_question_highlights_the_figure(small):
    out = _assistant(small).ask("Chỉ tiêu kết nạp đảng viên trong doanh nghiệp là bao nhiêu?")
    assert out["hits"][0]["clause_id"] == "ctr-01-2026/I.1"
    assert "**350**" in out["answer"]


def test_list_question_answers_with_the_items_of_a_heading(small):
    out = _assistant(small).ask("Nhiệm vụ về công tác đảng viên gồm những gì?")
    ids = [h["clause_id"] for h in out["hits"][:3]]
    assert ids == ["ctr-01-2026/II.1.y1", "ctr-01-2026/II.1.y2", "ctr-01-2026/II.1.y3"]
    assert out["answer"].splitlines()[1].startswith("1. Tham mưu phát triển đảng viên")


def test_out_of_corpus_question_is_declined(small):
    out = _assistant(small).ask("Thời tiết Hà Nội ngày mai thế nào?")
    assert out["answered"] is False and out["answer"].startswith(NOT_FOUND)


def test_unknown_document_number_is_declined(small):
    out = _assistant(small).ask("Kế hoạch số 999-KH/TU giao nhiệm vụ gì?")
    assert out["answered"] is False and "999-KH/TU" in out["answer"]


def test_bad_questions_are_refused(small):
    a = _assistant(small)
    with pytest.raises(ValueError, match="rỗng"):
        a.ask("   ")
    with pytest.raises(ValueError, match="quá dài"):
        a.ask("x" * 5000)


def test_contract_shape(small):
    out = _assistant(small).ask("Quy hoạch cán bộ lãnh đạo", k=2)
    assert set(out) == {"question", "answered", "intent", "answer", "hits"}
    assert len(out["hits"]) == 2
    for h in out["hits"]:
        assert {"clause_id", "doc_id", "doc_title", "number", "heading_path", "text", "lead", "lead_source",
                "partners", "deadline", "citation", "score"} <= set(h)
    json.dumps(out, ensure_ascii=False)


def test_stale_index_is_refused(small):
    corpus_file = small.corpus_dir / "ke-hoach.txt"
    corpus_file.write_text(PLAN + "4\tViệc mới.\tBan Tổ chức Tỉnh ủy\t\tQuý I/2026\t\n", encoding="utf-8")
    with pytest.raises(IndexError_, match="đã cũ"):
        check_index(small)


def test_foreign_model_index_is_refused(small):
    with pytest.raises(IndexError_, match="mô hình khác"):
        check_index(small, model_fingerprint="another-model")


def test_failed_build_leaves_the_previous_index_serving(small):
    before = (small.index_dir / "current").resolve()
    failing = HashEmbedder(fail=True)
    failing.fingerprint = "another-model"  # else the unchanged documents' parts are reused, unembedded
    with pytest.raises(RuntimeError):
        build_index(small, embedder=failing)
    assert (small.index_dir / "current").resolve() == before
    assert not list(small.index_dir.glob(".build-*"))
    assert _assistant(small).ask("Ai chủ trì số hóa tài liệu?")["answered"]


def test_missing_index_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("QUYDINH_INDEX_DIR", str(tmp_path / "none"))
    with pytest.raises(IndexError_, match="quydinh-bot index"):
        check_index(Settings())


def test_accent_restoration_keeps_question_phrases_and_corpus_phrases():
    r = AccentRestorer.from_texts(["năm 2026 bảo đảm nhiều nội dung", "báo cáo sơ kết 6 tháng đầu năm"])
    assert r.restore("nam 2026 bao nhieu phan tram") == "năm 2026 bao nhiêu phần trăm"
    assert r.restore("bao cao so ket 6 thang dau nam") == "báo cáo sơ kết 6 tháng đầu năm"


def test_may_before_a_unit_asks_how_many_whatever_the_corpus_writes():
    # "máy" is the commoner word of a corpus on machines; before a unit it is "mấy" (Vietnamese grammar)
    r = AccentRestorer.from_texts(["máy nổ mìn", "máy tính", "máy móc", "thời hạn 3 tháng", "5 năm"])
    assert r.restore("may thang") == "mấy tháng" and r.restore("keo dai may nam").endswith("mấy năm")
    assert r.restore("may no min") == "máy nổ mìn"
    # which number: "số mấy?", "điều mấy", "tầng mấy", and "may" that ends the question
    r = AccentRestorer.from_texts(["máy nổ mìn", "kế hoạch số 3898", "điều 7", "nhà máy giấy"])
    assert r.restore("ke hoach so may?") == "kế hoạch số mấy?"
    assert r.restore("theo dieu may").endswith("điều mấy") and r.restore("hoc o tang may, nha so may").endswith(
        "tầng mấy, nhà số mấy")
    assert r.restore("nha may giay") == "nhà máy giấy"


def test_a_word_before_a_question_phrase_reads_with_it():
    # "kinh tế tư nhân" makes "tế" + "tu" read "tư"; before "ngày nào" the pair the corpus writes is "từ ngày"
    r = AccentRestorer.from_texts(["thực tế", "kinh tế tư nhân", "kinh tế tư nhân", "từ ngày 23/3"])
    assert r.restore("thuc te tu ngay nao") == "thực tế từ ngày nào"
    assert r.restore("co phai nop") == "có phải nop"


def test_lower_case_unaccented_abbreviations_expand():
    assert expand_abbreviations("tccsd o thai nguyen").startswith("tổ chức cơ sở đảng (TCCSĐ)")
    assert "Hội đồng nhân dân (HĐND)" in expand_abbreviations("dang uy hdnd tinh")


@pytest.mark.parametrize("question,subjects", [
    ("Đảng ủy HĐND tỉnh có trách nhiệm gì?", ["Đảng ủy Hội đồng nhân dân tỉnh"]),
    ("han chot dang uy xa phuong chi dao to chuc dai hoi", ["Đảng ủy các xã, phường"]),
    ("Nhiệm vụ của Ủy ban Kiểm tra Tỉnh ủy là gì?", ["Ủy ban Kiểm tra Tỉnh ủy"]),
    ("Ai lãnh đạo, chỉ đạo Đảng ủy HĐND tỉnh, Đảng ủy MTTQ tỉnh thực hiện nhiệm vụ?", []),
])
def test_the_body_a_question_is_about(question, subjects):
    q = parse_query(question, AccentRestorer.from_texts(["đảng ủy xã, phường chỉ đạo tổ chức đại hội", "hạn chót"]))
    assert q.subject_bodies == subjects


def test_control_characters_and_bad_bytes_do_not_break_a_question(small):
    out = _assistant(small).ask("Ai chủ trì\x00 số hóa\ud800 tài liệu?")
    assert out["question"] == "Ai chủ trì số hóa? tài liệu?" and out["answered"]
    json.dumps(out, ensure_ascii=False).encode("utf-8")


def test_restorer_cuts_an_ngram_whose_last_word_reads_otherwise_with_the_next():
    # 'xã phường để' is seen once, 'đề xuất' often: 'de' before 'xuat' is 'đề'
    texts = ["Các xã, phường để thực hiện"] + ["Đề xuất giao biên chế"] * 3
    r = AccentRestorer.from_texts(texts)
    assert r.restore("xa phuong de xuat giao bien che") == "xã phường đề xuất giao biên chế"
    # where the n-gram is the commoner reading it stays whole
    r = AccentRestorer.from_texts(["xã phường để xuất bản"] * 4 + ["đề xuất"])
    assert r.restore("xa phuong de xuat") == "xã phường để xuất"


def test_restorer_breaks_ties_by_the_word_before():
    r = AccentRestorer.from_texts(["cấp ủy cơ", "số có trình độ", "sở có trình độ", "cơ sở"])
    assert r.restore("uy co so co trinh do") == "ủy cơ sở có trình độ"


def test_restorer_table_keeps_every_form_with_its_count():
    r = AccentRestorer.from_texts(["số", "số", "sở"])
    assert r.table["so"] == "số" and r.forms["so"] == {"số": 2, "sở": 1}
    assert AccentRestorer({"so": "số"}).restore("so") == "số"  # the older one-form table still loads


def test_bare_xa_phuong_opening_a_question_is_the_communes_party_committees():
    # phone style drops "Đảng ủy các": the rows whose lead is that body come first
    q = parse_query("xã, phường đề xuất giao biên chế 2026 hạn", None)
    assert q.subject_bodies == ["Đảng ủy các xã, phường"]


NOTICE = """**THÔNG BÁO**
**Tổ chức lớp tập huấn nghiệp vụ công tác đảng viên**

Ban Tổ chức Tỉnh ủy thông báo tổ chức lớp tập huấn nghiệp vụ công tác đảng viên như sau:

1. Thời gian: 01 ngày, bắt đầu từ 8h00 ngày 15/4/2026.

2. Địa điểm: Hội trường tầng 2, trụ sở Tỉnh ủy.

3. Đối tượng: Cán bộ làm công tác đảng viên của các đảng bộ trực thuộc.

4. Nội dung tập huấn nghiệp vụ công tác đảng viên, hồ sơ đảng viên, lớp tập huấn năm 2026.

Trên đây là thông báo tổ chức lớp tập huấn nghiệp vụ công tác đảng viên của Ban Tổ chức Tỉnh ủy.
"""


def test_labelled_items_carry_the_asked_kind(tmp_path: Path, monkeypatch):
    """"Thời gian: …", "Địa điểm: …", "Đối tượng: …" answer when, where and who takes part, whatever
    the document; the closing formula ("Trên đây là …") is marked as frame."""
    s = _searcher(tmp_path, monkeypatch, {"thong-bao.txt": NOTICE},
                  '["thong-bao.txt"]\nid = "tb-1-2026"\nkind = "thông báo"\n'
                  'issuer = "Ban Tổ chức Tỉnh ủy"\nprovince = "Lai Châu"\n')
    by_start = {c.text.split(":")[0]: c for c in s.clauses}
    cases = [("Lớp tập huấn nghiệp vụ công tác đảng viên bắt đầu khi nào?", "Thời gian", "time_label"),
             ("lop tap huan hoc o dau", "Địa điểm", "place_label"),
             ("Ai được tham gia lớp tập huấn?", "Đối tượng", "participants_label")]
    for question, label, feature in cases:
        q = s.read(question)
        assert feature in s.rank_features(q, by_start[label])
        other = next(c for c in s.clauses if c.text.startswith("Nội dung tập huấn"))
        assert feature not in s.rank_features(q, other)
    closing = next(c for c in s.clauses if c.text.startswith("Trên đây là"))
    assert "closing_formula" in s.rank_features(s.read("lớp tập huấn nghiệp vụ"), closing)
    # with the shipped weights the labelled item comes first for its question
    hits = s.search("Lớp tập huấn nghiệp vụ công tác đảng viên bắt đầu khi nào?", k=3).hits
    assert hits and hits[0].clause.text.startswith("Thời gian")


RESOLUTION = """HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG NINH

NGHỊ QUYẾT

Quy định mức chi phục vụ công tác bầu cử

Điều 1. Chi xây dựng văn bản hướng dẫn bầu cử: 1.000.000 đồng/văn bản.

Điều 2. Nghị quyết này có hiệu lực thi hành từ ngày 20 tháng 12 năm 2025.
"""


def test_a_state_number_names_its_document_and_is_no_topic_word(tmp_path: Path, monkeypatch):
    """'nq 99' names the resolution numbered '99/2025/NQ-HĐND' (Nghị định 30/2020: number, year, code):
    a filter, so the question's topic is what it asks, as for '376-KH/TU'."""
    s = _searcher(tmp_path, monkeypatch, {"nghi-quyet.txt": RESOLUTION},
                  '["nghi-quyet.txt"]\nid = "nq-99-2025"\nkind = "nghị quyết"\nnumber = "99/2025/NQ-HĐND"\n'
                  'issuer = "Hội đồng nhân dân tỉnh Quảng Ninh"\nprovince = "Quảng Ninh"\n')
    q = s.read("nq 99 co hieu luc tu ngay nao")
    assert q.number_docs == {"nq-99-2025"}
    assert "99" not in s._word_weights(q)
    assert s.read("nq 98 co hieu luc tu ngay nao").number_docs == frozenset()


def test_a_number_code_names_its_document_and_neither_is_a_topic_word(tmp_path: Path, monkeypatch):
    text = RESOLUTION.replace("NGHỊ QUYẾT", "NGHỊ QUYẾT LIÊN TỊCH")
    s = _searcher(tmp_path, monkeypatch, {"nghi-quyet.txt": text},
                  '["nghi-quyet.txt"]\nid = "nqlt-102-2025"\nkind = "nghị quyết liên tịch"\n'
                  'number = "102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN"\nissuer = "Ủy ban Thường vụ Quốc hội"\n')
    q = s.read("nqlt 102 co hieu luc tu ngay nao")
    assert q.number_docs == {"nqlt-102-2025"}
    assert not {"nqlt", "102"} & set(s._word_weights(q))
