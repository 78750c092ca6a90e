"""The ranking weights are data (search/ranking.py, data/ranking.json), and what a question asks
for (question.asked.asked_kinds) is matched by the shape of the clause (search/evidence.py)."""
from __future__ import annotations

import json

import pytest

from quydinh_bot.language.text import fold
from quydinh_bot.question.asked import asked_kinds
from quydinh_bot.search import evidence
from quydinh_bot.search import ranking as ranking_model


def test_shipped_weights_name_only_known_features():
    r = ranking_model.load()
    assert set(r.weights) <= set(ranking_model.FEATURES)
    assert r.weight("frame_clause") < 1 < r.weight("lead_task")
    assert r.weight("no_such_feature") == 1.0


def test_boost_multiplies_present_features_and_counts():
    r = ranking_model.Ranking({"lead_task": 1.5, "number_other": 0.5})
    assert r.boost({}) == 1.0
    assert r.boost({"lead_task": 1}) == 1.5
    assert r.boost({"lead_task": 1, "number_other": 2}) == pytest.approx(1.5 * 0.25)
    assert r.coverage_factor(0.75) == pytest.approx((0.25 + 0.75) ** 2.0)


def test_unknown_feature_in_file_is_refused(tmp_path):
    path = tmp_path / "ranking.json"
    path.write_text(json.dumps({"weights": {"lead_task": 1.2, "typo_feature": 2.0}}), encoding="utf-8")
    with pytest.raises(ValueError, match="typo_feature"):
        ranking_model.load(str(path))


@pytest.mark.parametrize("question, kind", [
    ("Lớp huấn luyện học ở địa chỉ nào?", "place"),
    ("lop huan luyen hoc o hoi truong nao", "place"),
    ("Thông báo này thực hiện theo kế hoạch số mấy?", "document"),
    ("Chương trình huấn luyện căn cứ vào quy định nào?", "document"),
    ("Báo cáo kết quả kiểm tra gửi cho ai?", "recipient"),
    ("huan luyen mat may ngay", "duration"),
    ("qd kiem tra hoa chat hieu luc tu bao gio", "time"),
    ("Ai chủ trì số hóa tài liệu, hạn khi nào?", "time"),
])
def test_asked_kinds(question, kind):
    assert kind in asked_kinds(fold(question))


def test_plain_question_asks_no_kind():
    assert asked_kinds(fold("Nội dung trọng tâm của đề án là gì?")) == frozenset()


def test_a_date_the_question_states_is_not_a_time_it_asks():
    asks = asked_kinds(fold("Các luật có hiệu lực từ ngày 01/7/2025 được triển khai thi hành thế nào?"))
    assert "time" not in asks and "effect" in asks
    assert "time" in asked_kinds(fold("Nghị quyết có hiệu lực từ ngày nào?"))


@pytest.mark.parametrize("kind, yes, no", [
    ("time", "Thời gian kiểm tra: 13h30’ ngày 29/4/2026 (Thứ Tư).", "Kiểm tra kỹ thuật an toàn cho các đối tượng."),
    ("place", "Địa điểm: Hội trường tầng 3, số 165 Lý Thường Kiệt.", "Nội dung huấn luyện theo chương trình."),
    ("document", "Thực hiện Quyết định số 1050/QĐ-SCT ngày 06/3/2026.", "Đoàn kiểm tra làm việc với đơn vị."),
    ("duration", "Thời gian: 1,5 ngày.", "Thành phần gồm các đơn vị."),
    ("recipient", "Kính gửi: Giám đốc Sở Công Thương.", "Báo cáo kết quả như sau."),
])
def test_clause_states_kind(kind, yes, no):
    assert evidence.stated(frozenset({kind}), yes) == {kind}
    assert evidence.stated(frozenset({kind}), no) == frozenset()


@pytest.mark.parametrize("question, kind", [
    ("Ai được tham gia lớp huấn luyện này?", "participants"),
    ("Những người nào phải tham dự kỳ kiểm tra?", "participants"),
    ("doi tuong du tap huan theo thong bao la ai", "participants"),
    ("kh kiem tra nay de lam gi", "purpose"),
    ("Kế hoạch nhằm mục đích gì?", "purpose"),
    ("nqlt 102 co hieu luc tu ngay nao", "effect"),
])
def test_asked_kinds_who_takes_part_what_for_effect(question, kind):
    assert kind in asked_kinds(fold(question))


def test_when_question_naming_candidates_is_not_about_participants():
    # "đối tượng kết nạp đảng" is the topic; "khi nào" asks a time, not who takes part
    asks = asked_kinds(fold("Ai chủ trì đổi mới chương trình bồi dưỡng đối tượng kết nạp đảng khi nào?"))
    assert "participants" not in asks and "time" in asks


@pytest.mark.parametrize("text, kind", [
    ("Thời gian kiểm tra: 13h30’ ngày 29/4/2026 (Thứ Tư).", "time"),
    ("2. Địa điểm: Sở Công Thương, số 165 Lý Thường Kiệt.", "place"),
    ("Đối tượng: Là người quản lý vật liệu nổ.", "participants"),
    ("- Thành phần: đại diện các sở, ngành.", "participants"),
    ("Kính gửi: Giám đốc Sở Công Thương.", "recipient"),
])
def test_own_label_names_the_kind(text, kind):
    label = evidence.own_label(fold(text))
    assert evidence.labelled(kind, label)
    assert not any(evidence.labelled(k, label) for k in ("purpose", "effect"))


@pytest.mark.parametrize("heading, kind", [
    ("1. Mục đích", "purpose"),
    ("I. MỤC ĐÍCH, YÊU CẦU", "purpose"),
    ("Điều 4. Hiệu lực thi hành", "effect"),
])
def test_section_heading_names_the_kind(heading, kind):
    assert evidence.labelled(kind, evidence.section_label(fold(heading)))


def test_a_sentence_is_no_label():
    # a colon far into a sentence, or a person's title, is not a label of an asked kind
    sentence = "Giao phòng Quản lý Công nghiệp triển khai, thực hiện các công việc liên quan:"
    assert evidence.own_label(fold(sentence)) == ""
    assert not evidence.labelled("time", evidence.own_label(fold("Ông: Hoàng Văn Thuân - Phó Giám đốc")))
