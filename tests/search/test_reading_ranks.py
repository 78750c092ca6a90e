"""How the reading of a question moves the right clause of a small document to the top: a short form the
document spells out ("dbqh"), a short lettered clause that heads steps ("c) Trình tự …")."""
from __future__ import annotations

from pathlib import Path

from test_search import HashEmbedder

from helpers import build_small
from quydinh_bot.search.searcher import Searcher

RULES = """ỦY BAN BẦU CỬ TỈNH

HƯỚNG DẪN

Về việc giới thiệu người ứng cử

Điều 1. Hồ sơ

1. Người ứng cử đại biểu Quốc hội nộp hồ sơ tại Ủy ban bầu cử tỉnh.

2. Người ứng cử đại biểu Hội đồng nhân dân nộp hồ sơ tại Ban bầu cử.

3. Danh sách người ứng cử đại biểu Quốc hội được niêm yết công khai.

Điều 2. Giới thiệu người ứng cử

1. Cơ quan giới thiệu người ứng cử:

a) Họp ban lãnh đạo để dự kiến người giới thiệu;

b) Lấy ý kiến cử tri nơi công tác;

c) Họp ban lãnh đạo mở rộng để thảo luận và giới thiệu.

2. Cử tri nơi cư trú nhận xét người ứng cử tại hội nghị.
"""
META = '["huong-dan.txt"]\nid = "hd-1-2026"\nkind = "hướng dẫn"\nissuer = "Ủy ban bầu cử tỉnh"\n'


def _searcher(tmp_path: Path, monkeypatch) -> Searcher:
    settings = build_small(tmp_path, monkeypatch, {"huong-dan.txt": RULES}, META, embedder=HashEmbedder())
    return Searcher(settings, embedder=HashEmbedder())


def test_a_short_form_the_document_spells_out_reads_as_its_words(tmp_path: Path, monkeypatch):
    s = _searcher(tmp_path, monkeypatch)
    q = s.read("ung cu dbqh nop ho so o dau")
    assert "dbqh" not in q.content_words and {"dai_bieu", "quoc_hoi"} <= set(q.content_words)
    hits = s.search("ung cu dbqh nop ho so o dau", k=3).hits
    assert hits[0].clause.text.startswith("Người ứng cử đại biểu Quốc hội nộp hồ sơ")


def test_a_short_clause_with_steps_under_it_heads_a_list(tmp_path: Path, monkeypatch):
    s = _searcher(tmp_path, monkeypatch)
    head = next(c for c in s.clauses if c.text.startswith("Cơ quan giới thiệu người ứng cử"))
    assert s.children(head.clause_id)
    assert "list_heading" in s.rank_features(s.read("cac buoc co quan gioi thieu nguoi ung cu"), head)


PLAN = """**KẾ HOẠCH**
**Kiểm tra cấp giấy chứng nhận huấn luyện an toàn**

Sở Công Thương ban hành kế hoạch kiểm tra như sau.

Căn cứ Quyết định số 2797/QĐ-SCT ngày 28/11/2025 của Giám đốc Sở Công Thương về việc kiểm tra an toàn.

Căn cứ Nghị định số 181/2024/NĐ-CP ngày 31/12/2024 của Chính phủ về huấn luyện an toàn.

I. TỔ CHỨC THỰC HIỆN

1. Thời gian: 13h30 ngày 29/4/2026.

2. Địa điểm: Hội trường tầng 3.

3. Giao phòng Quản lý công nghiệp chuẩn bị tài liệu.
"""


def test_a_recital_is_no_answer_unless_the_question_asks_which_document(tmp_path: Path, monkeypatch):
    settings = build_small(tmp_path, monkeypatch, {"ke-hoach.txt": PLAN},
                           '["ke-hoach.txt"]\nid = "kh-1-2026"\nkind = "kế hoạch"\nissuer = "Sở Công Thương"\n',
                           embedder=HashEmbedder())
    s = Searcher(settings, embedder=HashEmbedder())
    recital = next(c for c in s.clauses if c.text.startswith("Căn cứ Quyết định"))
    assert "recital" in s.rank_features(s.read("Kiểm tra cấp giấy chứng nhận tổ chức vào lúc nào?"), recital)
    assert "recital" not in s.rank_features(s.read("Kế hoạch căn cứ vào quyết định nào?"), recital)
    assert s.ranking.weight("recital") < 1
    hits = s.search("Kiểm tra cấp giấy chứng nhận huấn luyện tổ chức vào lúc nào?", k=3).hits
    assert hits[0].clause.text.startswith("Thời gian")


CONFERENCES = """**HƯỚNG DẪN**
**Tổ chức hội nghị hiệp thương**

Điều 1. Hội nghị lần thứ hai

1. Hội nghị hiệp thương lần thứ hai được tổ chức từ ngày 03 tháng 02 năm 2026.

Điều 2. Hội nghị lần thứ ba

1. Hội nghị hiệp thương lần thứ ba được tổ chức từ ngày 09 tháng 02 năm 2026.

Điều 3. Bồi dưỡng

1. Hai tháng đối với thành viên Ban bầu cử phục vụ bầu cử.

2. Riêng trong 02 ngày bầu cử, người phục vụ bầu cử được bồi dưỡng thêm 100.000 đồng/người/ngày.
"""


def test_a_small_count_reads_the_same_in_digits_and_words(tmp_path: Path, monkeypatch):
    settings = build_small(tmp_path, monkeypatch, {"hiep-thuong.txt": CONFERENCES},
                           '["hiep-thuong.txt"]\nid = "hd-2-2026"\nkind = "hướng dẫn"\nissuer = "Ủy ban bầu cử"\n',
                           embedder=HashEmbedder())
    s = Searcher(settings, embedder=HashEmbedder())
    third = next(c for c in s.clauses if "lần thứ ba được" in c.text)
    second = next(c for c in s.clauses if "lần thứ hai được" in c.text)  # its date holds "03", no count of 3
    q = s.read("hiep thuong lan 3 to chuc khi nao")
    topic = searcher_topic(s, q)
    assert s._coverage(topic, [s._pos[third.clause_id]]) > s._coverage(topic, [s._pos[second.clause_id]])
    two_days = next(c for c in s.clauses if c.text.startswith("Riêng trong 02 ngày"))
    q = s.read("Hai ngày bầu cử người phục vụ được bồi dưỡng thêm bao nhiêu?")
    assert s._coverage(searcher_topic(s, q), [s._pos[two_days.clause_id]]) == 1.0


def searcher_topic(s: Searcher, q):
    from quydinh_bot.search.searcher import _topic

    return _topic(s._word_weights(q))
