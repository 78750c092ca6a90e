"""Golden tests on the five real documents: counts, sampled rows, and word coverage."""
import re
from collections import Counter

import pytest

from quydinh_bot import Corpus
from quydinh_bot.documents import pdftable
from quydinh_bot.language.text import fold, strip_markup, words
from quydinh_bot.parse.clauses import PAGE_BREAK


@pytest.fixture(scope="module")
def corpus():
    return Corpus.load()


def test_documents_and_metadata(corpus):
    got = {d.doc_id: (d.kind, d.number, d.date, d.province) for d in corpus.documents}
    assert got == {
        "bc-btctu-2026-05": ("báo cáo", None, "5/2026", "Lâm Đồng"),
        "ctr-01-2026": ("chương trình", "01-CTr/BTCTU", "08/01/2026", "Thái Nguyên"),
        "ctr-26-2022": ("chương trình hành động", "26-CTr/TU", "20/10/2022", "Tuyên Quang"),
        "da-tccsd-2025-2030": ("đề án", None, "2025", "Thái Nguyên"),
        "kh-376-2025": ("phụ lục", "376-KH/TU", "21/7/2025", "Lai Châu"),
    }


def test_clause_counts_per_document(corpus):
    counts = {d.doc_id: len(corpus.doc_clauses(d.doc_id)) for d in corpus.documents}
    assert counts == {"bc-btctu-2026-05": 148, "ctr-01-2026": 171, "ctr-26-2022": 144,
                      "da-tccsd-2025-2030": 242, "kh-376-2025": 160}
    tasks = Counter(c.doc_id for c in corpus.clauses if c.is_task)
    assert tasks["kh-376-2025"] == 141  # every row of the appendix table
    assert tasks["ctr-01-2026"] >= 61  # every item of the monthly key-task list


def test_clause_ids_are_unique_and_parents_exist(corpus):
    ids = [c.clause_id for c in corpus.clauses]
    assert len(ids) == len(set(ids))
    for c in corpus.clauses:
        assert c.parent_id is None or corpus.clause(c.parent_id) is not None


SAMPLES = [
    # clause_id, text prefix, lead, lead_source, partners, deadline text, due, kind
    ("kh-376-2025/I.1", "Chỉ đạo cấp xã thông báo thông qua chi bộ", "Đảng ủy Ủy ban nhân dân tỉnh", "section",
     ["Các cơ quan, đơn vị, địa phương có liên quan"], "Trước 30/7/2025", "2025-07-30", "date"),
    ("kh-376-2025/VI.2.1", "Đề xuất Trung ương giao biên chế năm 2026.", "Ban Tổ chức Tỉnh ủy", "section",
     ["Đảng ủy UBND tỉnh", "các đảng bộ trực thuộc tỉnh", "các cơ quan liên quan"], "Trước 10/9/2025", "2025-09-10",
     "date"),
    ("kh-376-2025/VIII.4", "Tổ chức hướng dẫn, bồi dưỡng nghiệp vụ", "Ủy ban Kiểm tra Tỉnh ủy", "section",
     ["Văn phòng Tỉnh ủy, các ban đảng tỉnh", "Đảng ủy UBND tỉnh", "các cơ quan liên quan"], "Thực hiện thường xuyên",
     None, "recurring"),
    ("kh-376-2025/XII.3", "Bố trí trụ sở, trang thiết bị, phương tiện", "Đảng ủy Công an tỉnh", "section",
     ["Đảng ủy UBND tỉnh", "đảng ủy các xã, phường"], "Trước 30/9/2025", "2025-09-30", "date"),
    ("kh-376-2025/X.r1", "Xây dựng nội dung, chương trình", "Trường Chính trị tỉnh", "section",
     ["Các ban đảng tỉnh, Văn phòng Tỉnh ủy", "đảng ủy các xã, phường", "các cơ quan liên quan"],
     "Thực hiện thường xuyên", None, "recurring"),
    ("kh-376-2025/I.9", "Lãnh đạo, chỉ đạo rà soát, sửa đổi", "Đảng ủy Ủy ban nhân dân tỉnh", "section",
     ["Ban Tổ chức Tỉnh ủy", "đảng ủy các xã, phường"], "Sau khi có hướng dẫn của Trung ương", None, "conditional"),
    ("ctr-26-2022/PL.II.4", "Tham mưu Đề án thành lập chi bộ quân sự", "Ban Tổ chức Tỉnh ủy", "explicit",
     ["Các huyện, thành ủy, Đảng ủy Quân sự tỉnh", "các cơ quan, đơn vị có liên quan"],
     "Thực hiện khi có văn bản chỉ đạo của Trung ương (Trong năm 2023)", "2023-12-31", "year"),
    ("ctr-26-2022/PL.II.14", "Tham mưu xây dựng và ban hành Đề án Sổ tay", "Ban Tổ chức Tỉnh ủy", "explicit",
     ["Các huyện, thành ủy, các đảng ủy trực thuộc Tỉnh ủy, các cơ quan liên quan"], "Quý IV/2022", "2022-12-31",
     "quarter"),
    # the narrative task takes the lead of its assignment-table row (PL.I.25)
    ("ctr-26-2022/III.2.1.y3", "Thực hiện hoàn thành Đề án xây dựng Trường Chính trị", "Trường Chính trị tỉnh",
     "explicit",
     ["Các cơ quan, đơn vị liên quan"], "hoàn thành trong năm 2030", "2030-12-31", "year"),
    ("ctr-01-2026/PL.10.(2)", "Tổng kết công tác đào tạo, bồi dưỡng cán bộ năm 2026", "Ban Tổ chức Tỉnh ủy", "issuer",
     [], "Tháng 10/2026", "2026-10-31", "month"),
    ("da-tccsd-2025-2030/P4.II.4.d1", "Là cơ quan thường trực", "Ban Tổ chức Tỉnh ủy", "section", None, None, None,
     None),
    ("bc-btctu-2026-05/III.4.d1", "Hướng dẫn một số nội dung", "Ban Tổ chức Tỉnh ủy", "issuer", [],
     "sau khi Ban Tổ chức Trung ương ban hành Hướng dẫn", None, "conditional"),
]


@pytest.mark.parametrize("cid,prefix,lead,source,partners,dl_text,due,kind", SAMPLES)
def test_sampled_clauses(corpus, cid, prefix, lead, source, partners, dl_text, due, kind):
    c = corpus.clause(cid)
    assert c is not None, cid
    assert c.text.startswith(prefix)
    assert (c.lead, c.lead_source) == (lead, source)
    if partners is not None:
        assert c.partners == partners
    if dl_text is None:
        assert c.deadline is None
    else:
        assert (c.deadline.text, c.deadline.due, c.deadline.kind) == (dl_text, due, kind)


def test_citations_name_document_number_date_and_clause(corpus):
    assert corpus.clause("kh-376-2025/VI.2.1").citation == "Kế hoạch số 376-KH/TU ngày 21/7/2025, Phụ lục, mục VI.2.1"
    assert corpus.clause("ctr-01-2026/III.1.1.y2").citation == (
        "Chương trình số 01-CTr/BTCTU ngày 08/01/2026, mục III.1.1, ý thứ 2")
    assert corpus.clause("bc-btctu-2026-05/cth3").citation.endswith("chú thích số 3")


def test_narrative_task_is_linked_to_its_table_row(corpus):
    prose = corpus.clause("ctr-26-2022/III.1.2.y3")  # "Xây dựng và ban hành quy chế làm việc mẫu …"
    assert prose.linked_id == "ctr-26-2022/PL.II.3"
    assert (prose.lead, prose.lead_source) == ("Ban Tổ chức Tỉnh ủy", "explicit")
    assert prose.deadline.text == "thực hiện khi có hướng dẫn của Trung ương"  # its own words stay


def test_footnote_split_by_page_break_is_whole(corpus):
    fn = corpus.clause("bc-btctu-2026-05/cth3")
    assert fn.parent_id == "bc-btctu-2026-05/I.1.y7"
    assert fn.text.endswith("trước khi phê duyệt quy hoạch: 26 đồng chí.")


def _tokens(text: str) -> list[str]:
    """Words, with codes split at - and / (a code broken over two PDF lines is re-joined)."""
    return [t for w in words(text) for t in re.split(r"[-/]", w) if t]


def _source_words(doc) -> Counter:
    lines = doc.lines
    table = pdftable.looks_like_task_table(lines)
    out: Counter = Counter()
    furniture = pdftable.furniture_mask(lines) if table else [False] * len(lines)
    for line, is_furniture in zip(lines, furniture):
        if is_furniture:
            continue
        if PAGE_BREAK.match(line):
            continue
        if "\t" in line and fold(line.split("\t")[0]) in {"tt", "stt"}:
            continue  # repeated table header
        out.update(_tokens(strip_markup(line.replace("\\*", " "))))
    return out


def _clause_words(clauses) -> Counter:
    out: Counter = Counter()
    for c in clauses:
        label = "" if c.kind == "footnote" else c.label  # <sup>n</sup> is markup, not words
        parts = [label, c.text] + [v for k, v in c.cells.items() if k != "lead_label"]
        for p in parts:
            out.update(_tokens(p))
    return out


@pytest.mark.parametrize("doc_id", ["bc-btctu-2026-05", "ctr-01-2026", "ctr-26-2022", "da-tccsd-2025-2030",
                                    "kh-376-2025"])
def test_every_word_lands_in_exactly_one_clause(corpus, doc_id):
    doc = corpus.document(doc_id)
    src, got = _source_words(doc), _clause_words(corpus.doc_clauses(doc_id))
    missing, extra = src - got, got - src
    assert not missing and not extra, f"missing {dict(missing)} extra {dict(extra)}"
