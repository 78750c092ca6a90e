"""The decision's word weights carry a prior (index/weights.py): in a corpus of one short document, an
ordinary word it never uses ("lớp") weighs as ordinary, not as the most topical word of the question, so
the share of the question the corpus lacks ("unknown") stays small; a word nobody uses still weighs most.
The ranking's coverage keeps the corpus' own idf. On one small plan built here (bag-of-words embedder)."""

import pytest

from helpers import BagOfWordsEmbedder, build_small_once
from quydinh_bot.search.searcher import Searcher

PLAN = """**KẾ HOẠCH**
**Huấn luyện người quản lý vật liệu nổ công nghiệp năm 2026**

I. MỤC ĐÍCH

1. Bảo đảm người quản lý vật liệu nổ công nghiệp được huấn luyện kỹ thuật an toàn.

II. NỘI DUNG

1. Đối tượng huấn luyện: người quản lý, chỉ huy nổ mìn của các doanh nghiệp trên địa bàn.

2. Thời gian huấn luyện: 02 ngày, tại hội trường Sở Công Thương.

3. Phòng Kỹ thuật an toàn chủ trì tổ chức huấn luyện và kiểm tra.
"""

META = """["ke-hoach.txt"]
id = "kh-huan-luyen-2026"
kind = "kế hoạch"
number = "3898/KH-SCT"
date = "30/6/2026"
issuer = "Sở Công Thương"
province = "Lào Cai"
title = "Kế hoạch huấn luyện người quản lý vật liệu nổ công nghiệp năm 2026"
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> Searcher:
    settings = build_small_once(tmp_path_factory.mktemp("weights"), {"ke-hoach.txt": PLAN}, META)
    return Searcher(settings, embedder=BagOfWordsEmbedder())


def test_an_ordinary_word_the_document_lacks_weighs_less_than_a_word_nobody_uses(searcher):
    q = searcher.read("Lớp huấn luyện người quản lý zyxkem học ở đâu?")
    assert "lop" in q.content_words and "zyxkem" in q.content_words
    assert "lop" not in searcher.idf and "zyxkem" not in searcher.idf
    prior = searcher._word_weights(q)
    own = searcher._word_weights(q, prior=False)
    assert own["lop"] == own["zyxkem"]  # the document alone cannot tell them apart
    assert prior["lop"] < prior["zyxkem"] - 2.0


def test_the_share_of_the_question_the_corpus_lacks_is_small_for_an_ordinary_word(searcher):
    result = searcher.search("Ai được tham gia lớp huấn luyện người quản lý vật liệu nổ?")
    assert result.features is not None
    q = result.query
    own = searcher._word_weights(q, prior=False)
    lacking_alone = sum(w for t, w in own.items() if t not in searcher.idf) / sum(own.values())
    assert result.features["unknown"] < lacking_alone


def test_the_ranking_reads_the_corpus_idf(searcher):
    q = searcher.read("Ai chủ trì tổ chức huấn luyện?")
    own = searcher._word_weights(q, prior=False)
    assert all(own[w] == pytest.approx(searcher.idf[w]) for w in own if w in searcher.idf and w not in q.asked_words)
