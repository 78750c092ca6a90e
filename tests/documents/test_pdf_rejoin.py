"""PDF text re-joined (issue 19): a PDF printed with a hard line break every ~80 characters, a page
number line and a running header on every page. The clause text must come back as one paragraph per
paragraph, the sentence that runs over the page turn in one piece, with no page furniture."""
import textwrap
from pathlib import Path

import pytest

from quydinh_bot.documents.pdf import read_pdf

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PARAGRAPH = ("Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy rà soát hồ sơ đảng viên của các "
             "chi bộ trực thuộc, tổng hợp danh sách đảng viên chuyển sinh hoạt đảng trong năm, báo cáo Ban "
             "Thường vụ Tỉnh ủy trước ngày 30 tháng 9 năm 2026 để xem xét, quyết định theo quy định.")


def _lines(text: str, width: int = 80) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _pdf(path: Path) -> Path:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "V" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("V", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    lines = []
    for k in range(1, 19):  # eighteen numbered paragraphs, each hard-broken at ~80 characters
        lines += _lines(f"{k}. {PARAGRAPH}") + [""]
    page, y = 1, height - 90
    for ln in lines:
        if y < 80:  # the page turns inside a paragraph: the sentence runs on at the top of the next page
            c.setFont("V", 8)
            c.drawString(width / 2, 30, str(page))
            c.showPage()
            page, y = page + 1, height - 90
        if page > 0 and y == height - 90:
            c.setFont("V", 8)
            c.drawString(60, height - 40, "KẾ HOẠCH SỐ 15-KH/TU - TÀI LIỆU LƯU HÀNH NỘI BỘ")
        c.setFont("V", 10)
        if ln:
            c.drawString(60, y, ln)
        y -= 13 if ln else 8
    c.setFont("V", 8)
    c.drawString(width / 2, 30, str(page))
    c.save()
    return path


@pytest.mark.skipif(not FONT.exists(), reason="the DejaVu font (fonts-dejavu-core) is needed to print Vietnamese")
def test_hard_breaks_page_numbers_and_running_header_are_rejoined(tmp_path):
    text = read_pdf(_pdf(tmp_path / "kh.pdf").read_bytes(), "kh.pdf")
    paras = [p for p in text.split("\n\n") if p.strip() and p.strip() != "-----"]
    assert "LƯU HÀNH NỘI BỘ" not in text  # the running header is page furniture
    assert not any(p.strip().isdigit() for p in paras)  # so are the page numbers
    assert paras == [f"{k}. {PARAGRAPH}" for k in range(1, 19)]  # every paragraph whole, across the page turn


def _pdf_lines(path: Path, lines: list[str]) -> Path:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "V" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("V", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 90
    for ln in lines:
        c.setFont("V", 10)
        c.drawString(60, y, ln)
        y -= 13  # no wider gap between paragraphs: only the line lengths tell where one ends
    c.save()
    return path


@pytest.mark.skipif(not FONT.exists(), reason="the DejaVu font (fonts-dejavu-core) is needed to print Vietnamese")
def test_a_short_heading_line_without_punctuation_ends_its_paragraph(tmp_path):
    body = ("Chi ủy hoàn thiện hồ sơ đảng viên, ghi nhận xét vào phiếu đảng viên trong thời hạn 05 ngày làm việc "
            "kể từ ngày nhận được quyết định, gửi đảng ủy cơ sở để xem xét theo quy định.")
    closing = ("Văn phòng Tỉnh ủy chủ trì, phối hợp với Ban Tổ chức Tỉnh ủy bảo đảm kinh phí tổ chức hội nghị "
               "sơ kết việc thực hiện Hướng dẫn này trong năm 2026.")
    lines = ["1. Đối với chi bộ nơi đảng viên chuyển đi", *_lines(body), "III. TỔ CHỨC THỰC HIỆN", *_lines(closing)]
    text = read_pdf(_pdf_lines(tmp_path / "hd.pdf", lines).read_bytes(), "hd.pdf")
    paras = [p for p in text.split("\n\n") if p.strip()]
    assert paras == ["1. Đối với chi bộ nơi đảng viên chuyển đi", body, "III. TỔ CHỨC THỰC HIỆN", closing]


@pytest.mark.skipif(not FONT.exists(), reason="the DejaVu font (fonts-dejavu-core) is needed to print Vietnamese")
def test_a_full_line_before_a_capital_runs_on(tmp_path):
    # "… của Ban Thường vụ" / "Tỉnh ủy …": a line that fills the measure is not a paragraph's end
    text_ = ("Các chi bộ trực thuộc báo cáo kết quả rà soát hồ sơ đảng viên về Ban Tổ chức của Ban Thường vụ "
             "Tỉnh ủy trước ngày 30 tháng 9 năm 2026 để tổng hợp, báo cáo Thường trực Tỉnh ủy xem xét.")
    lines = _lines(text_)
    assert any(ln.split()[0][:1].isupper() for ln in lines[1:])  # the case the rule must not split
    text = read_pdf(_pdf_lines(tmp_path / "bc.pdf", lines).read_bytes(), "bc.pdf")
    assert [p for p in text.split("\n\n") if p.strip()] == [text_]
