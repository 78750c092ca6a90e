"""PDF text re-joined (issue 19): a PDF printed with a hard line break every ~80 characters, a page
number line and a running header on every page. The clause text must come back as one paragraph per
paragraph, the sentence that runs over the page turn in one piece, with no page furniture."""
from pathlib import Path

import pytest

from quydinh_bot.documents.pdf import read_pdf

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PARAGRAPH = ("Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy rà soát hồ sơ đảng viên của các "
             "chi bộ trực thuộc, tổng hợp danh sách đảng viên chuyển sinh hoạt đảng trong năm, báo cáo Ban "
             "Thường vụ Tỉnh ủy trước ngày 30 tháng 9 năm 2026 để xem xét, quyết định theo quy định.")


def _lines(text: str, width: int = 80) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return out + [line]


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
