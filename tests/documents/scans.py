"""Test-side scans: text rendered to a page image (PIL, DejaVu: it has every Vietnamese glyph)
and wrapped as a PDF with no text layer, as an office scanner produces one; and a mixed PDF
whose first page is a text page (reportlab) and whose second is such an image."""
from __future__ import annotations

import io
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
A4_300DPI = (2480, 3508)

SCANNED_PLAN = [
    "TỈNH ỦY LAI CHÂU",
    "Số 77-KH/TU",
    "Lai Châu, ngày 5 tháng 1 năm 2026",
    "KẾ HOẠCH",
    "số hóa hồ sơ, tài liệu lưu trữ năm 2026",
    "",
    "1. Rà soát, phân loại hồ sơ lưu trữ của các cơ quan.",
    "Đơn vị chủ trì: Sở Tài chính. Thời hạn: trước 30/6/2026.",
    "2. Số hóa tài liệu lưu trữ lịch sử của Tỉnh ủy.",
    "Đơn vị chủ trì: Văn phòng Tỉnh ủy. Thời hạn: trước 31/12/2026.",
]


def page_image(lines: list[str], blur: float = 0.0, size: int = 50):
    """One A4 page at 300 dpi: black text on white, optionally blurred past reading."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    img = Image.new("L", A4_300DPI, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), size)
    y = 300
    for line in lines:
        draw.text((240, y), line, font=font, fill=0)
        y += int(size * 1.8)
    return img.filter(ImageFilter.GaussianBlur(blur)) if blur else img


def scanned_pdf(path: Path, pages: list[list[str]], blur: float = 0.0) -> Path:
    """A PDF of page images only (no text layer), 300 dpi."""
    images = [page_image(p, blur) for p in pages]
    images[0].save(path, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return path


def mixed_pdf(path: Path, text_lines: list[str], scanned_lines: list[str], blur: float = 0.0) -> Path:
    """Page 1 with a text layer (DejaVu through reportlab), page 2 an image of `scanned_lines`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "V" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("V", str(FONT.with_name("DejaVuSans.ttf"))))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("V", 12)
    y = A4[1] - 72
    for line in text_lines:
        c.drawString(60, y, line)
        y -= 18
    c.showPage()
    buf = io.BytesIO()
    page_image(scanned_lines, blur).save(buf, "PNG")
    buf.seek(0)
    c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path
