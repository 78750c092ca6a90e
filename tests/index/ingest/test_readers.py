"""Readers on their own: Word numbering and header variants, PDF furniture, metadata detection."""
from pathlib import Path

import pytest

from ingest.fixtures import PLAN_ROWS, write_plan_docx
from quydinh_bot.documents.document import read_document
from quydinh_bot.documents.meta import detect, parse_overrides, toml_entry, without_entry
from quydinh_bot.documents.tables import HEADER, TableWriter, header_columns
from quydinh_bot.index.ingest import convert
from quydinh_bot.parse.corpus import parse_document


def parse(text: str, **meta):
    meta.setdefault("id", "t")
    return parse_document(read_document(Path("t.txt"), meta, data=text.encode("utf-8")))


@pytest.mark.parametrize("header", [
    ("Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"),
    ("Đơn vị chủ trì thực hiện", "Đơn vị phối hợp", "Thời hạn hoàn thành"),
    ("Cơ quan thực hiện", "Cơ quan, đơn vị phối hợp", "Tiến độ"),
])
def test_fresh_plan_docx_task_rows_and_metadata(tmp_path, header):
    path = write_plan_docx(tmp_path / "plan.docx", header)
    meta, body = detect(convert(path, path.read_bytes()))
    assert meta == {"kind": "kế hoạch", "number": "512-KH/TU", "date": "14/8/2026", "province": "Lai Châu",
                    "place": "Lai Châu", "issuer": "Tỉnh ủy Lai Châu",
                    "title": "Kế hoạch triển khai công tác cán bộ và kiểm tra cơ sở 6 tháng cuối năm 2026"}
    assert not body.startswith("TỈNH ỦY")  # the letterhead became metadata
    tasks = [c for c in parse(body, **meta) if c.is_task]
    assert [(c.text, c.lead, "; ".join(c.partners), c.deadline.text) for c in tasks] == \
        [(t, lead, partners, dl) for _, t, lead, partners, dl in PLAN_ROWS]
    assert tasks[0].deadline.due == "2026-09-30" and tasks[2].deadline.due == "2026-12-15"


def test_word_automatic_numbering_is_rendered(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH thử")
    for text in ("Mục đích", "Yêu cầu"):
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("Một ý", style="List Bullet")
    d.save(tmp_path / "n.docx")
    text = convert(tmp_path / "n.docx", (tmp_path / "n.docx").read_bytes())
    assert "1. Mục đích" in text and "2. Yêu cầu" in text and "- Một ý" in text


def test_header_detection_needs_text_and_a_register_column():
    assert header_columns(["STT", "Nội dung công việc", "Cơ quan phối hợp", "Thời gian thực hiện"]) == \
        {"number": 0, "text": 1, "partners": 2, "deadline": 3}
    assert header_columns(["Họ và tên", "Chức vụ"]) is None
    # a task row that merely says "chủ trì, phối hợp" is not a header
    assert header_columns(["15", "Bảo đảm kinh phí cho Ban Tổ chức Tỉnh ủy chủ trì, phối hợp các lớp tập huấn",
                           "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Theo dự trù"]) is None


def test_table_continued_on_next_page_keeps_its_columns():
    w = TableWriter()
    first = w.lines([["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"],
                     ["1", "Việc một", "Ban A", "", "Quý I/2026"]])
    second = w.lines([["2", "Việc hai", "Ban B", "Ban C", "Quý II/2026"]])
    assert first[0] == HEADER and second[0] == HEADER
    assert second[1].split("\t")[:5] == ["2", "Việc hai", "Ban B", "Ban C", "Quý II/2026"]


def test_pdf_furniture_dropped(tmp_path):
    from ingest.writers import write_pdf

    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        pytest.skip("DejaVu fonts needed")
    body = "\n\n".join(f"Đoạn văn số {i} nói về công tác tổ chức xây dựng Đảng ở cơ sở và được viết đủ dài để "
                       f"xuống dòng một lần nữa trong trang in của văn bản." for i in range(1, 120))
    path = write_pdf(body, tmp_path / "f.pdf", title="BAN TỔ CHỨC TỈNH ỦY - TÀI LIỆU MẬT")
    text = convert(path, path.read_bytes())
    assert "TÀI LIỆU MẬT" not in text
    paras = [p for p in text.split("\n\n") if p != "-----"]
    assert len(paras) == 119 and all(p.startswith("Đoạn văn số") and p.endswith("văn bản.") for p in paras)


def test_attached_appendix_metadata():
    meta, _ = detect("PHỤ LỤC CÔNG VIỆC\n(Kèm theo Kế hoạch số 15-KH/TU, ngày 3/2/2026 của Ban Thường vụ Tỉnh ủy)\n")
    assert meta["kind"] == "phụ lục" and meta["parent_kind"] == "kế hoạch"
    assert meta["number"] == "15-KH/TU" and meta["date"] == "3/2/2026"


def test_overrides_and_toml_entry():
    assert parse_overrides(["number=15-KH/TU", "title=Kế hoạch \"A\""]) == {"number": "15-KH/TU",
                                                                            "title": 'Kế hoạch "A"'}
    with pytest.raises(ValueError):
        parse_overrides(["colour=red"])
    with pytest.raises(ValueError):
        parse_overrides(["number"])
    import tomllib

    text = "# c\n\n" + toml_entry("a.txt", {"id": "a", "title": 'x "y"'}) + "\n" + toml_entry("b.txt", {"id": "b"})
    assert tomllib.loads(text) == {"a.txt": {"id": "a", "title": 'x "y"'}, "b.txt": {"id": "b"}}
    assert tomllib.loads(without_entry(text, "a.txt")) == {"b.txt": {"id": "b"}}
    assert without_entry(text, "a.txt").startswith("# c")
