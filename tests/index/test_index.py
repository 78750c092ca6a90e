"""The index's corpus-wide structures, assembled from per-document parts, equal what one pass
over the whole corpus gives: BM25 scores bit for bit those of bm25s, the accent table key for
key (forms, counts, their order) that of merging every document's n-grams."""
from __future__ import annotations

import random

import numpy as np
import pytest

from quydinh_bot import Corpus
from quydinh_bot.index.accents import AccentRestorer
from quydinh_bot.index.bm25 import BM25, TermCounts
from quydinh_bot.index.build import lex_tokens, lexical_text
from quydinh_bot.index.grams import GramTable, StoredRestorer


@pytest.fixture(scope="module")
def real_corpus():
    return Corpus.load()


def test_bm25_from_parts_scores_exactly_as_bm25s(real_corpus):
    import bm25s

    per_doc = [[lex_tokens(lexical_text(c)) for c in real_corpus.doc_clauses(d.doc_id)] for d in real_corpus.documents]
    every = [t for doc in per_doc for t in doc]
    reference = bm25s.BM25()
    reference.index(every, show_progress=False)
    ours = BM25([TermCounts.from_tokens(doc) for doc in per_doc])
    assert ours.num_docs == len(every)
    assert set(ours.vocab) == set(reference.vocab_dict) - {""}
    rnd = random.Random(7)
    vocab = sorted(ours.vocab)
    queries = [every[i][:12] for i in range(0, len(every), 7)]  # clause openings (with repeats)
    queries += [[rnd.choice(vocab) for _ in range(rnd.randint(1, 20))] for _ in range(300)]
    queries += [q + q[:2] + ["khong-co-trong-kho"] for q in queries[:50]]  # repeated and unknown tokens
    for q in queries:
        known = [t for t in q if t in ours.vocab]
        if not known:
            continue
        expected = reference.get_scores(known)
        got = ours.get_scores(q)
        assert got.dtype == expected.dtype == np.float32
        assert np.array_equal(got, expected), q
    df = np.diff(reference.scores["indptr"])
    n = len(every)
    expected_idf = {t: float(np.log(1 + (n - df[j] + 0.5) / (df[j] + 0.5)))
                    for t, j in reference.vocab_dict.items() if t}
    assert ours.idf() == expected_idf


def _merged(docs_texts: list[list[str]], docs_leads: list[list[str]]) -> dict[str, dict[str, int]]:
    """The accent table as one pass over the whole corpus makes it: texts of every document, then leads."""
    merged: dict[str, dict[str, int]] = {}
    for grams in [AccentRestorer.counts(t) for t in docs_texts] + [AccentRestorer.counts(t) for t in docs_leads]:
        for key, forms in grams.items():
            into = merged.setdefault(key, {})
            for form, n in forms.items():
                into[form] = into.get(form, 0) + n
    return merged


def test_stored_restorer_equals_the_merged_table():
    # ties across documents: the form seen first (document order, texts before leads) wins
    texts = [["Cơ sở đảng có trình độ", "số hóa tài liệu"], ["cơ số có", "Số hóa hồ sơ, sở tài chính"], ["sổ tay"]]
    leads = [["Sở Tư pháp"], ["Ban Tổ chức Tỉnh ủy", "sở"], [""]]
    table = _merged(texts, leads)
    tables = ([GramTable.from_counts(AccentRestorer.counts(t)) for t in texts]
              + [GramTable.from_counts(AccentRestorer.counts(t)) for t in leads])
    stored = StoredRestorer(tables, background={})  # the merge alone (the background: the next test)
    eager = AccentRestorer(table)
    for key, forms in table.items():
        assert list(stored.forms[key].items()) == list(forms.items())
        assert stored.table[key] == eager.table[key]
    assert "khong co" not in stored.table and stored.forms.get("khong co", {}) == {}
    for q in ["so hoa tai lieu", "co so dang co trinh do", "so tu phap", "ban to chuc tinh uy so hoa ho so", "so tay"]:
        assert stored.restore(q) == eager.restore(q)


def test_a_key_the_corpus_never_writes_takes_the_background_forms():
    tables = [GramTable.from_counts(AccentRestorer.counts(["Lớp huấn luyện kỹ thuật an toàn", "phai màu"]))]
    background = {"phai": {"phải": 9}, "lop": {"lớp": 3, "lốp": 1}, "nay": {"này": 5, "nay": 2}}
    stored = StoredRestorer(tables, background=background)
    # the corpus's own forms win ("phai" is written "phai" here); a word it never writes reads the background
    assert stored.restore("lop huan luyen nay phai") == "lớp huấn luyện này phai"
    assert StoredRestorer(tables, background={}).restore("lop huan luyen nay") == "lớp huấn luyện nay"


def test_the_shipped_background_holds_everyday_words_not_only_one_document():
    from quydinh_bot.index.accents import BACKGROUND_MIN, BACKGROUND_N, background_forms

    bg = background_forms()
    for key, form in [("phai", "phải"), ("gui", "gửi"), ("o", "ở"), ("dot", "đợt"), ("lop", "lớp"),
                      ("keo dai", "kéo dài")]:
        assert max(bg[key].items(), key=lambda kv: kv[1])[0] == form, key
    assert all(len(k.split()) <= BACKGROUND_N and sum(v.values()) >= BACKGROUND_MIN for k, v in bg.items())


def test_stored_restorer_on_the_real_corpus(real_corpus):
    docs = real_corpus.documents
    texts = [[c.text for c in real_corpus.doc_clauses(d.doc_id)] for d in docs]
    leads = [[c.lead or "" for c in real_corpus.doc_clauses(d.doc_id)] for d in docs]
    table = _merged(texts, leads)
    stored = StoredRestorer([GramTable.from_counts(AccentRestorer.counts(t)) for t in texts + leads], background={})
    eager = AccentRestorer(table)
    rnd = random.Random(3)
    for key in rnd.sample(sorted(table), 3000):
        assert list(stored.forms[key].items()) == list(table[key].items())
    for q in ["ai chu tri so hoa tai lieu", "han ra soat quy hoach can bo", "xa phuong de xuat", "co so co trinh do",
              "bao nhieu phan tram chi bo sinh hoat dinh ky", "to chuc dang trong doanh nghiep ngoai nha nuoc"]:
        assert stored.restore(q) == eager.restore(q)
