"""A fresh Word plan as a provincial office writes it: letterhead in a borderless table,
title, numbered prose and a task table (lead / partners / deadline) with three rows."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

PLAN_ROWS = [
    ("1", "Rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý các sở, ban, ngành nhiệm kỳ 2026 - 2031",
     "Ban Tổ chức Tỉnh ủy", "Các sở, ban, ngành; Đảng ủy các xã, phường", "Trước 30/9/2026"),
    ("2", "Tổ chức hội nghị chuyên đề về chuyển đổi số trong sinh hoạt chi bộ ở cơ sở",
     "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Văn phòng Tỉnh ủy", "Quý IV/2026"),
    ("3", "Kiểm tra việc thực hiện quy chế làm việc của cấp ủy cấp xã sau sắp xếp đơn vị hành chính",
     "Ủy ban Kiểm tra Tỉnh ủy", "Ban Tổ chức Tỉnh ủy; Đảng ủy các xã, phường", "Trước 15/12/2026"),
]


def write_plan_docx(path: Path, header: tuple[str, ...] = ("Cơ quan chủ trì", "Cơ quan phối hợp",
                                                            "Thời gian thực hiện")) -> Path:
    import docx

    d = docx.Document()
    letterhead = d.add_table(rows=3, cols=2)
    letterhead.cell(0, 0).text = "TỈNH ỦY LAI CHÂU"
    letterhead.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    letterhead.cell(1, 0).text = "*"
    letterhead.cell(2, 0).text = "Số 512-KH/TU"
    letterhead.cell(2, 1).text = "Lai Châu, ngày 14 tháng 8 năm 2026"
    p = d.add_paragraph()
    p.add_run("KẾ HOẠCH").bold = True
    p = d.add_paragraph()
    p.add_run("triển khai công tác cán bộ và kiểm tra cơ sở 6 tháng cuối năm 2026").bold = True
    p = d.add_paragraph()
    p.add_run("I. MỤC ĐÍCH, YÊU CẦU").bold = True
    d.add_paragraph("Bảo đảm công tác cán bộ được thực hiện đúng quy định, công khai, minh bạch.")
    p = d.add_paragraph()
    p.add_run("II. NHIỆM VỤ CỤ THỂ").bold = True
    t = d.add_table(rows=1, cols=5)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("TT", "Nội dung nhiệm vụ") + header):
        cell.text = text
    for row in PLAN_ROWS:
        for cell, text in zip(t.add_row().cells, row):
            cell.text = text
    d.add_paragraph("Nơi nhận:")
    d.add_paragraph("- Các đảng bộ trực thuộc Tỉnh ủy,")
    d.add_paragraph("- Lưu Văn phòng Tỉnh ủy.")
    d.save(path)
    return path


def snapshot(root: Path) -> dict[str, str]:
    """Every file (and symlink target) under corpus/ and index/, by content hash."""
    out = {}
    for sub in ("corpus", "index"):
        for p in sorted((root / sub).rglob("*")):
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "->" + os.readlink(p)
            elif p.is_file() and not p.name.startswith(".ingest"):
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out
