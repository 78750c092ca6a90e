#!/usr/bin/env python3
"""Write the held-out probe documents of issue 19 into eval/probe/docs/, byte for byte the same on every run.

  python eval/probe/build_probe.py [--out DIR]

The texts are composed for this probe in the administrative style of provincial, commune and Party
documents (Nghị định 30/2020/NĐ-CP for state bodies, Hướng dẫn 36-HD/VPTW for Party bodies); nothing is
copied from ../shared/real. They are kept apart from the documents the reading was developed on: the
reading is never tuned on them, they only say whether it generalises. Word files are built with
python-docx (the letterhead as a two-column borderless table, as offices lay it out), PDFs with
reportlab the way tests/documents builds them (DejaVu, a hard line break every ~80 characters, the
letterhead's left and right columns on the same text line, a page number at the foot of each page).
Determinism: fixed core properties and zip member times for .docx, reportlab's invariant mode for .pdf.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
STAMP = dt.datetime(2026, 1, 1, 8, 0, 0)


@dataclass
class Doc:
    """One probe document: its letterhead (left and right column lines), body lines and tables.

    Body lines use a small markup: "**x**" is a bold run, "# x" a Word heading (style Heading 1),
    "## x" Heading 2, "" an empty paragraph; a list item of `body` that is a list of rows is a table."""
    name: str
    left: list[str]
    right: list[str]
    number_line: str
    date_line: str
    body: list = field(default_factory=list)


MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
MOTTO_OA = ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc"]

# ---------------------------------------------------------------- 1. provincial UBND plan implementing a directive
KH_LAO_CAI = Doc(
    name="probe-kh-512-ubnd-lao-cai.docx",
    left=["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"],
    right=MOTTO,
    number_line="Số: 512/KH-UBND",
    date_line="Lào Cai, ngày 14 tháng 3 năm 2026",
    body=[
        "**KẾ HOẠCH**",
        "**Thực hiện Chỉ thị số 45-CT/TW ngày 20/01/2026 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng "
        "đối với công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ**",
        "",
        "Thực hiện Chỉ thị số 45-CT/TW ngày 20/01/2026 của Ban Bí thư (sau đây gọi tắt là Chỉ thị số 45-CT/TW) "
        "và Kế hoạch số 230-KH/TU ngày 02/3/2026 của Ban Thường vụ Tỉnh ủy Lào Cai, Ủy ban nhân dân tỉnh ban "
        "hành Kế hoạch thực hiện với các nội dung sau:",
        "**I. MỤC ĐÍCH, YÊU CẦU**",
        "1. Quán triệt sâu sắc, đầy đủ nội dung Chỉ thị số 45-CT/TW đến cán bộ, công chức, viên chức và Nhân "
        "dân; tạo chuyển biến rõ nét về nhận thức và hành động trong công tác phòng cháy, chữa cháy.",
        "2. Xác định cụ thể nhiệm vụ, lộ trình và trách nhiệm của từng sở, ngành, địa phương; gắn việc thực "
        "hiện Kế hoạch với nhiệm vụ phát triển kinh tế - xã hội của tỉnh.",
        "**II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU**",
        "1. Đổi mới nội dung, hình thức tuyên truyền về phòng cháy, chữa cháy, chú trọng các khu dân cư có "
        "nhiều nhà ở kết hợp kinh doanh, các chợ và khu công nghiệp.",
        "2. Hoàn thiện cơ chế, chính sách của tỉnh về xã hội hóa công tác phòng cháy, chữa cháy; khuyến khích "
        "doanh nghiệp đầu tư phương tiện chữa cháy tại chỗ.",
        "3. Nâng cao năng lực lực lượng chữa cháy chuyên nghiệp và lực lượng dân phòng; phối hợp với Phân "
        "hiệu Đại học Thái Nguyên tại tỉnh Lào Cai mở lớp bồi dưỡng kiến thức an toàn cho cán bộ cơ sở.",
        "4. Ứng dụng công nghệ số trong quản lý cơ sở thuộc diện quản lý về phòng cháy, chữa cháy; kết nối "
        "dữ liệu với Cơ sở dữ liệu quốc gia về dân cư.",
        "**III. TỔ CHỨC THỰC HIỆN**",
        "**1. Công an tỉnh**",
        "Là cơ quan thường trực, chủ trì theo dõi, đôn đốc các sở, ngành, địa phương triển khai Kế hoạch; "
        "tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12 hằng năm.",
        "**2. Sở Tài chính**",
        "Tham mưu bố trí kinh phí thực hiện Kế hoạch trong dự toán ngân sách hằng năm của các cơ quan, đơn vị "
        "theo phân cấp ngân sách hiện hành.",
        "**3. Sở Xây dựng**",
        "Rà soát, điều chỉnh quy hoạch giao thông và nguồn nước phục vụ chữa cháy tại các khu đô thị, khu "
        "công nghiệp; hoàn thành trong năm 2026.",
        "**4. Sở Văn hóa, Thể thao và Du lịch**",
        "Chỉ đạo các cơ quan báo chí và hệ thống thông tin cơ sở tăng thời lượng phổ biến kiến thức phòng "
        "cháy, chữa cháy cho Nhân dân.",
        "**5. Sở Giáo dục và Đào tạo**",
        "Đưa nội dung kỹ năng thoát nạn khi có cháy vào hoạt động trải nghiệm của học sinh từ năm học "
        "2026 - 2027.",
        "**6. Bộ Chỉ huy Quân sự tỉnh**",
        "Chủ trì xây dựng phương án huy động lực lượng dân quân tự vệ tham gia chữa cháy rừng trong mùa khô.",
        "**7. Sở Khoa học và Công nghệ**",
        "Chủ trì xây dựng cơ sở dữ liệu số về các cơ sở thuộc diện quản lý, kết nối với hệ thống của Bộ Công "
        "an; hoàn thành trước ngày 30/9/2026.",
        "**8. Thanh tra tỉnh**",
        "Đưa nội dung chấp hành quy định về phòng cháy, chữa cháy vào kế hoạch thanh tra hằng năm; kiến nghị "
        "xử lý nghiêm tổ chức, cá nhân vi phạm.",
        "**9. Thuế tỉnh**",
        "Hướng dẫn doanh nghiệp thực hiện chính sách ưu đãi thuế đối với hoạt động đầu tư phương tiện phòng "
        "cháy, chữa cháy theo quy định.",
        "**10. Ủy ban nhân dân các xã, phường**",
        "Kiện toàn đội dân phòng, bảo đảm mỗi thôn, tổ dân phố có ít nhất một tổ liên gia an toàn phòng cháy, "
        "chữa cháy; hoàn thành trong quý III/2026.",
        "Trên đây là Kế hoạch thực hiện Chỉ thị số 45-CT/TW của Ủy ban nhân dân tỉnh Lào Cai; yêu cầu các sở, "
        "ngành, địa phương nghiêm túc triển khai thực hiện./.",
        "Nơi nhận: - Thường trực Tỉnh ủy; - Chủ tịch, các PCT UBND tỉnh; - Các sở, ban, ngành; - Lưu: VT, NC.",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thành Sinh",
        "**PHỤ LỤC**",
        "**DANH MỤC NHIỆM VỤ THỰC HIỆN CHỈ THỊ SỐ 45-CT/TW**",
        "*(Kèm theo Kế hoạch số 512/KH-UBND ngày 14/3/2026 của UBND tỉnh Lào Cai)*",
        [["STT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu", "Đơn vị phối hợp thực hiện", "Thời gian thực hiện"],
         ["1", "Xây dựng Đề án nâng cao năng lực lực lượng phòng cháy, chữa cháy tại chỗ giai đoạn 2026 - 2030",
          "Công an tỉnh", "Sở Tài chính; Sở Nội vụ", "Tháng 6/2026"],
         ["2", "Tập huấn nghiệp vụ cho đội dân phòng cấp xã", "Công an tỉnh", "UBND các xã, phường", "Hằng năm"],
         ["3", "Bố trí quỹ đất xây dựng trụ sở đội chữa cháy khu vực", "Sở Nông nghiệp và Môi trường",
          "Sở Xây dựng; UBND các xã, phường", "Năm 2027"],
         ["4", "Số hóa hồ sơ quản lý an toàn phòng cháy của các cơ sở", "Sở Khoa học và Công nghệ",
          "Công an tỉnh", "Quý III/2026"],
         ["5", "Kiểm tra việc chấp hành quy định phòng cháy tại chợ, trung tâm thương mại", "Sở Công Thương",
          "Công an tỉnh; Thanh tra tỉnh", "Quý II/2026"],
         ["6", "Sơ kết 01 năm thực hiện Chỉ thị số 45-CT/TW", "Đồng chí Phó Chủ tịch Thường trực UBND tỉnh",
          "Văn phòng UBND tỉnh; Công an tỉnh", "Tháng 3/2027"]],
    ],
)

# ---------------------------------------------------------------- 2. department plan, labels at the end of sections
KH_HA_NOI_SGD = Doc(
    name="probe-kh-1204-sgddt-ha-noi.docx",
    left=["UBND THÀNH PHỐ HÀ NỘI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
    right=MOTTO_OA,
    number_line="Số: 1204/KH-SGDĐT",
    date_line="Hà Nội, ngày 09 tháng 4 năm 2026",
    body=[
        "**KẾ HOẠCH**",
        "**Phòng, chống đuối nước và bảo đảm an toàn cho học sinh trong dịp hè năm 2026**",
        "",
        "Căn cứ Kế hoạch số 96/KH-UBND ngày 20/3/2026 của UBND Thành phố về phòng, chống tai nạn thương tích "
        "trẻ em năm 2026, Sở Giáo dục và Đào tạo Hà Nội xây dựng Kế hoạch như sau:",
        "**I. MỤC ĐÍCH, YÊU CẦU**",
        "1. Trang bị cho học sinh kiến thức, kỹ năng nhận biết nguy cơ và tự bảo vệ khi ở gần ao, hồ, sông, "
        "suối trong thời gian nghỉ hè.",
        "2. Phát huy vai trò phối hợp giữa nhà trường, gia đình và địa phương; không để xảy ra trường hợp "
        "học sinh tử vong do đuối nước.",
        "**II. NỘI DUNG THỰC HIỆN**",
        "**1. Tuyên truyền, giáo dục kỹ năng an toàn**",
        "Chỉ đạo các trường tổ chức buổi sinh hoạt chuyên đề về phòng, chống đuối nước trước khi học sinh nghỉ "
        "hè; gửi thư khuyến cáo tới cha mẹ học sinh qua sổ liên lạc điện tử.",
        "**Đơn vị chủ trì:** Phòng Chính trị, tư tưởng; **Đơn vị phối hợp:** Phòng Giáo dục phổ thông, "
        "Phòng Giáo dục mầm non.",
        "**2. Dạy bơi an toàn cho học sinh tiểu học**",
        "Mở các lớp dạy bơi miễn phí tại những trường có bể bơi, ưu tiên học sinh lớp 3, lớp 4 ở khu vực ven "
        "sông. **Thời gian:** từ ngày 01/6 đến ngày 31/7/2026. **Đơn vị chủ trì:** Phòng Giáo dục thể chất "
        "và Y tế trường học; **Đơn vị phối hợp:** Sở Văn hóa và Thể thao, Hội Chữ thập đỏ Thành phố.",
        "**3. Rà soát điều kiện an toàn tại cơ sở giáo dục**",
        "Kiểm tra hàng rào, biển cảnh báo tại các điểm trường gần khu vực nước sâu; khắc phục xong trước ngày "
        "25/5/2026.",
        "**Đơn vị chủ trì:** Phòng Kế hoạch - Tài chính; **Đơn vị phối hợp:** UBND các phường, xã.",
        "**4. Tổng hợp, báo cáo**",
        "Tổng hợp kết quả thực hiện của các đơn vị, báo cáo UBND Thành phố và Bộ Giáo dục và Đào tạo. "
        "**Thời hạn:** trước ngày 15/9/2026. **Đơn vị chủ trì:** Văn phòng Sở.",
        "**III. TỔ CHỨC THỰC HIỆN**",
        "1. Các phòng chuyên môn thuộc Sở căn cứ nhiệm vụ được giao tại Mục II xây dựng kế hoạch chi tiết và "
        "triển khai thực hiện.",
        "2. Thủ trưởng các cơ sở giáo dục trực thuộc báo cáo kết quả về Sở (qua Văn phòng) trước ngày "
        "05/9/2026.",
        "Nơi nhận: - UBND Thành phố (để b/c); - Giám đốc, các PGĐ Sở; - Các phòng thuộc Sở; - Lưu: VT, CTTT.",
        "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Trần Thị Minh Hà",
    ],
)

# ---------------------------------------------------------------- 3. commune Fatherland Front plan, item labels
KH_MTTQ_XA = Doc(
    name="probe-kh-07-mttq-xa-phu-xuan.docx",
    left=["ỦY BAN MTTQ VIỆT NAM", "XÃ PHÚ XUÂN", "BAN THƯỜNG TRỰC"],
    right=MOTTO,
    number_line="Số: 07/KH-MTTQ-BTT",
    date_line="Phú Xuân, ngày 10 tháng 02 năm 2026",
    body=[
        "**KẾ HOẠCH**",
        "**Triển khai Cuộc vận động \u201cNgười Việt Nam ưu tiên dùng hàng Việt Nam\u201d trên địa bàn xã năm 2026**",
        "",
        "Thực hiện Kế hoạch số 15/KH-MTTQ-BTT ngày 05/01/2026 của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh, "
        "Ban Thường trực Ủy ban MTTQ Việt Nam xã Phú Xuân xây dựng Kế hoạch triển khai như sau:",
        "**I. MỤC ĐÍCH, YÊU CẦU**",
        "- Nâng cao nhận thức của hội viên, đoàn viên và Nhân dân về ý nghĩa của việc dùng hàng sản xuất "
        "trong nước.",
        "- Các hoạt động thiết thực, phù hợp với điều kiện của xã; học tập cách làm chợ phiên của xã Hải Hậu, "
        "tỉnh Ninh Bình.",
        "**II. NỘI DUNG, NHIỆM VỤ CỤ THỂ**",
        "**1. Hội nghị quán triệt nội dung Cuộc vận động tới các Ban Công tác Mặt trận thôn**",
        "- Thời gian hoàn thành: trước ngày 15/3/2026.",
        "- Đơn vị chủ trì: Ban Thường trực Ủy ban MTTQ xã.",
        "- Đơn vị phối hợp: Hội Liên hiệp Phụ nữ xã, Hội Nông dân xã.",
        "**2. Khảo sát thói quen tiêu dùng hàng Việt của các hộ gia đình ở 12 thôn**",
        "- Thời gian hoàn thành: Quý II/2026.",
        "- Đơn vị chủ trì: Hội Liên hiệp Phụ nữ xã.",
        "- Đơn vị phối hợp: Các Ban Công tác Mặt trận thôn.",
        "**3. Tổ chức phiên chợ hàng Việt về nông thôn tại sân Nhà văn hóa xã**",
        "- Thời gian hoàn thành: Tháng 9/2026.",
        "- Đơn vị chủ trì: Đoàn Thanh niên Cộng sản Hồ Chí Minh xã.",
        "- Đơn vị phối hợp: Hợp tác xã dịch vụ nông nghiệp Phú Xuân; Hội Cựu chiến binh xã.",
        "**4. Biểu dương hộ sản xuất, kinh doanh tiêu biểu trong sử dụng hàng Việt**",
        "- Thời gian hoàn thành: Tháng 12/2026.",
        "- Đơn vị chủ trì: Ban Thường trực Ủy ban MTTQ xã.",
        "- Đơn vị phối hợp: UBND xã.",
        "**III. TỔ CHỨC THỰC HIỆN**",
        "Các tổ chức thành viên căn cứ Kế hoạch này xây dựng kế hoạch của tổ chức mình; định kỳ 6 tháng gửi "
        "kết quả về Ban Thường trực Ủy ban MTTQ xã để tổng hợp.",
        "Nơi nhận: - Đảng ủy xã (b/c); - Các tổ chức thành viên; - Lưu: VP.",
        "TM. BAN THƯỜNG TRỰC CHỦ TỊCH Lê Văn Tâm",
    ],
)

# ---------------------------------------------------------------- 4. provincial report, Word heading styles
BC_NGHE_AN = Doc(
    name="probe-bc-88-ubnd-nghe-an.docx",
    left=["ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"],
    right=MOTTO,
    number_line="Số: 88/BC-UBND",
    date_line="Nghệ An, ngày 02 tháng 4 năm 2026",
    body=[
        "**BÁO CÁO**",
        "**Kết quả công tác cải cách hành chính quý I và nhiệm vụ trọng tâm quý II năm 2026**",
        "",
        "# I. KẾT QUẢ ĐẠT ĐƯỢC",
        "## 1. Cải cách thể chế",
        "Trong quý I, các cơ quan đã tham mưu ban hành 14 văn bản quy phạm pháp luật; rà soát 236 văn bản, "
        "đề nghị sửa đổi 11 văn bản không còn phù hợp.",
        "## 2. Cải cách thủ tục hành chính",
        "Toàn tỉnh tiếp nhận 182.400 hồ sơ, trong đó 96,8% được giải quyết đúng hạn; tỷ lệ hồ sơ nộp trực "
        "tuyến toàn trình đạt 61,2%. Đoàn công tác của tỉnh đã học tập mô hình Trung tâm Phục vụ hành chính "
        "công của tỉnh Quảng Ninh.",
        "## 3. Tồn tại, hạn chế",
        "Một số địa phương còn để hồ sơ quá hạn; việc số hóa kết quả giải quyết thủ tục hành chính ở cấp xã "
        "chưa đạt chỉ tiêu 80%.",
        "# II. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026",
        "1. Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh tổ chức khảo sát mức độ hài lòng của người "
        "dân đối với sự phục vụ của cơ quan hành chính, hoàn thành trước ngày 30/6/2026.",
        "2. Sở Tư pháp chủ trì rà soát, đề xuất bãi bỏ các văn bản quy phạm pháp luật không còn phù hợp; "
        "thời hạn: tháng 5/2026.",
        "3. Giao Trung tâm Phục vụ hành chính công tỉnh chủ trì nâng cấp Hệ thống thông tin giải quyết thủ tục "
        "hành chính của tỉnh; Sở Khoa học và Công nghệ phối hợp thực hiện.",
        "4. Ủy ban nhân dân các xã, phường đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, bảo "
        "đảm đạt chỉ tiêu 80% trước ngày 30/6/2026.",
        "Trên đây là báo cáo kết quả công tác cải cách hành chính quý I năm 2026 của UBND tỉnh Nghệ An./.",
        "Nơi nhận: - Bộ Nội vụ; - TT Tỉnh ủy, TT HĐND tỉnh; - Lưu: VT, NC.",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Phú Hiền",
    ],
)

# ---------------------------------------------------------------- 8. a draft with a blank number and day
KH_DIEN_BIEN_DRAFT = Doc(
    name="probe-kh-du-thao-ubnd-dien-bien.docx",
    left=["ỦY BAN NHÂN DÂN", "TỈNH ĐIỆN BIÊN"],
    right=MOTTO,
    number_line="Số:      /KH-UBND",
    date_line="Điện Biên, ngày      tháng 5 năm 2026",
    body=[
        "DỰ THẢO",
        "**KẾ HOẠCH**",
        "**Tổ chức Tháng hành động vì an toàn thực phẩm năm 2026**",
        "",
        "Căn cứ Kế hoạch số 1450/KH-BCĐTWATTP ngày 10/4/2026 của Ban Chỉ đạo liên ngành Trung ương về an toàn "
        "thực phẩm; Quyết định số 318/QĐ-UBND ngày 06/02/2026 của UBND tỉnh Điện Biên về kiện toàn Ban Chỉ đạo "
        "liên ngành về an toàn thực phẩm tỉnh, UBND tỉnh ban hành Kế hoạch như sau:",
        "**I. MỤC ĐÍCH, YÊU CẦU**",
        "Nâng cao trách nhiệm của chính quyền các cấp và người sản xuất, kinh doanh thực phẩm; phát hiện, xử lý "
        "kịp thời các vi phạm.",
        "**II. THỜI GIAN, CHỦ ĐỀ**",
        "Thời gian: từ ngày 15/5 đến ngày 15/6/2026. Chủ đề: \u201cBảo đảm an toàn thực phẩm trong chuỗi cung "
        "ứng nông sản\u201d.",
        "**III. TỔ CHỨC THỰC HIỆN**",
        "1. Đồng chí Phó Chủ tịch Thường trực UBND tỉnh, Trưởng Ban Chỉ đạo liên ngành về an toàn thực phẩm "
        "tỉnh: chỉ đạo chung các hoạt động của Tháng hành động; chủ trì hội nghị tổng kết trước ngày 30/6/2026.",
        "2. Sở Y tế (cơ quan thường trực Ban Chỉ đạo): chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, Sở "
        "Công Thương thành lập các đoàn kiểm tra liên ngành; báo cáo UBND tỉnh trước ngày 25/6/2026.",
        "3. Công an tỉnh: chỉ đạo lực lượng cảnh sát kinh tế điều tra, xử lý các hành vi sản xuất, buôn bán "
        "thực phẩm giả.",
        "4. Báo và Phát thanh, Truyền hình Điện Biên: mở chuyên mục tuyên truyền về an toàn thực phẩm trong suốt "
        "Tháng hành động.",
        "5. Ủy ban nhân dân các xã, phường: kiểm tra bếp ăn tập thể, cơ sở kinh doanh thức ăn đường phố trên "
        "địa bàn.",
        "Nơi nhận: - Ban Chỉ đạo liên ngành TW về ATTP; - TT Tỉnh ủy; - Lưu: VT, KGVX.",
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
    ],
)

DOCX = [KH_LAO_CAI, KH_HA_NOI_SGD, KH_MTTQ_XA, BC_NGHE_AN, KH_DIEN_BIEN_DRAFT]


# ---------------------------------------------------------------- PDFs: Party documents
@dataclass
class PdfDoc:
    """A Party document printed to PDF: letterhead rows (left, right on one text line), then paragraphs,
    each hard-broken at ~80 characters; a centred title block."""
    name: str
    head: list[tuple[str, str]]
    title: list[str]
    paras: list[str]


HD_15 = PdfDoc(
    name="probe-hd-15-btctu-ha-noi.pdf",
    head=[("THÀNH ỦY HÀ NỘI", "ĐẢNG CỘNG SẢN VIỆT NAM"), ("BAN TỔ CHỨC", ""), ("*", ""),
          ("Số 15-HD/BTCTU", "Hà Nội, ngày 12 tháng 8 năm 2025")],
    title=["HƯỚNG DẪN", "chuyển sinh hoạt đảng chính thức đối với đảng viên",
           "khi sắp xếp, tổ chức lại các tổ chức cơ sở đảng"],
    paras=[
        "- Căn cứ Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "- Căn cứ Hướng dẫn số 06-HD/TW ngày 09/6/2025 của Ban Bí thư về một số vấn đề cụ thể thi hành Điều lệ "
        "Đảng;",
        "Để việc chuyển sinh hoạt đảng khi sắp xếp, tổ chức lại các tổ chức cơ sở đảng được thống nhất, kịp "
        "thời, không để đảng viên gián đoạn sinh hoạt, Ban Tổ chức Thành ủy hướng dẫn như sau:",
        "I. PHẠM VI, ĐỐI TƯỢNG",
        "Hướng dẫn này áp dụng đối với đảng viên chính thức, đảng viên dự bị thuộc các tổ chức cơ sở đảng "
        "được hợp nhất, sáp nhập, giải thể hoặc chuyển giao về đảng bộ khác trong Đảng bộ Thành phố theo quyết "
        "định của cấp có thẩm quyền. Đảng viên đang bị tạm giam, tạm giữ hoặc đang trong thời gian xem xét kỷ "
        "luật chưa chuyển sinh hoạt đảng cho đến khi có kết luận của cấp có thẩm quyền.",
        "II. VỀ QUY TRÌNH CHUYỂN SINH HOẠT ĐẢNG",
        "1. Đối với chi bộ nơi đảng viên chuyển đi",
        "Chi ủy (hoặc bí thư chi bộ nơi không có chi ủy) hoàn thiện hồ sơ đảng viên, ghi nhận xét vào phiếu "
        "đảng viên trong thời hạn 05 ngày làm việc kể từ ngày nhận được quyết định sắp xếp; hồ sơ gồm lý lịch "
        "đảng viên, phiếu đảng viên, các quyết định kết nạp, công nhận đảng viên chính thức và bản tự kiểm điểm "
        "của năm gần nhất.",
        "2. Đối với đảng ủy cơ sở",
        "Đảng ủy cơ sở kiểm tra hồ sơ, làm giấy giới thiệu chuyển sinh hoạt đảng và gửi Ban Tổ chức Thành ủy "
        "trong 10 ngày làm việc kể từ ngày nhận đủ hồ sơ của chi bộ. Trường hợp hồ sơ thiếu hoặc sai lệch, đảng "
        "ủy cơ sở yêu cầu chi bộ bổ sung, không trả hồ sơ về đảng viên tự đi lại.",
        "3. Đối với Ban Tổ chức Thành ủy",
        "Ban Tổ chức Thành ủy tiếp nhận hồ sơ, kiểm tra và giới thiệu đảng viên về tổ chức đảng nơi đến chậm "
        "nhất 05 ngày làm việc; vào sổ theo dõi và lưu giấy giới thiệu theo quy định về bảo mật hồ sơ đảng viên.",
        "4. Đối với tổ chức đảng nơi đảng viên chuyển đến",
        "Trong 30 ngày kể từ ngày ghi trên giấy giới thiệu, đảng viên phải báo cáo với chi bộ nơi đến để được "
        "sinh hoạt; quá thời hạn đó mà không có lý do chính đáng thì chi bộ báo cáo đảng ủy cơ sở xem xét, xử lý "
        "theo quy định tại Quy định số 294-QĐ/TW.",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các đảng ủy trực thuộc Thành ủy phổ biến Hướng dẫn này tới các chi bộ, đảng viên; báo cáo kết quả "
        "chuyển sinh hoạt đảng về Ban Tổ chức Thành ủy trước ngày 30/9/2025.",
        "2. Ban Tổ chức Thành ủy chủ trì, phối hợp với Văn phòng Thành ủy cập nhật thông tin đảng viên trên Hệ "
        "thống thông tin quản lý đảng viên ngay sau khi hoàn thành việc chuyển sinh hoạt.",
        "3. Ủy ban Kiểm tra Thành ủy đưa nội dung thực hiện Hướng dẫn này vào chương trình kiểm tra, giám sát "
        "năm 2026 của Ủy ban.",
        "Trong quá trình thực hiện, nếu có vướng mắc, các đảng ủy trực thuộc phản ánh về Ban Tổ chức Thành ủy "
        "(qua Phòng Tổ chức đảng, đảng viên) để được hướng dẫn.",
        "Nơi nhận: - Thường trực Thành ủy (để b/c); - Các đảng ủy trực thuộc Thành ủy; - Lưu Văn phòng Ban.",
        "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN Nguyễn Văn Đức",
    ],
)

HD_17 = PdfDoc(
    name="probe-hd-17-btctu-ha-noi.pdf",
    head=[("THÀNH ỦY HÀ NỘI", "ĐẢNG CỘNG SẢN VIỆT NAM"), ("BAN TỔ CHỨC", ""), ("*", ""),
          ("Số 17-HD/BTCTU", "Hà Nội, ngày 25 tháng 8 năm 2025")],
    title=["HƯỚNG DẪN", "xét tặng Huy hiệu Đảng dịp 02/9 và 07/11 năm 2025"],
    paras=[
        "- Căn cứ Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
        "- Căn cứ Quy định số 63-QĐ/TW ngày 27/01/2022 của Ban Bí thư về tặng Huy hiệu Đảng;",
        "Ban Tổ chức Thành ủy hướng dẫn việc xét tặng Huy hiệu Đảng các đợt 02/9 và 07/11 năm 2025 như sau:",
        "I. ĐỐI TƯỢNG, TIÊU CHUẨN",
        "Đảng viên có đủ 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85 và 90 năm tuổi đảng tính đến ngày trao tặng, "
        "không vi phạm tư cách đảng viên, được chi bộ nơi sinh hoạt đề nghị. Tuổi đảng được tính từ ngày ghi "
        "trong quyết định kết nạp, trừ thời gian không tham gia sinh hoạt đảng.",
        "Đảng viên đã từ trần mà đủ tuổi đảng trước ngày từ trần và chưa được tặng Huy hiệu Đảng thì được xét "
        "truy tặng; gia đình đảng viên nhận Huy hiệu và giấy chứng nhận.",
        "II. VỀ QUY TRÌNH XÉT TẶNG",
        "a) Chi bộ: rà soát, lập danh sách đảng viên đủ tuổi đảng, họp xét và đề nghị bằng văn bản gửi đảng ủy "
        "cơ sở trước ngày 10/9/2025 đối với đợt 07/11.",
        "b) Đảng ủy cơ sở: thẩm định, tổng hợp danh sách của các chi bộ, đề nghị cấp ủy cấp trên trực tiếp "
        "xem xét trong thời hạn 07 ngày làm việc.",
        "c) Các đảng ủy trực thuộc Thành ủy: thẩm định hồ sơ, có tờ trình đề nghị gửi Ban Tổ chức Thành ủy "
        "trước ngày 25/9/2025.",
        "d) Ban Tổ chức Thành ủy: thẩm định, tổng hợp, trình Ban Thường vụ Thành ủy xem xét, quyết định tặng "
        "Huy hiệu Đảng.",
        "Hồ sơ đề nghị gồm tờ trình, danh sách trích ngang, biên bản họp xét của chi bộ và bản sao quyết định "
        "kết nạp của đảng viên có tuổi đảng được tính theo quyết định kết nạp lại.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Văn phòng Thành ủy chủ trì, phối hợp với Ban Tổ chức Thành ủy bảo đảm Huy hiệu, giấy chứng nhận và "
        "kinh phí tổ chức lễ trao tặng.",
        "Các đảng ủy trực thuộc tổ chức lễ trao Huy hiệu Đảng trang trọng, gắn với sinh hoạt chi bộ; hoàn thành "
        "trong tháng 11/2025.",
        "Nơi nhận: - Thường trực Thành ủy (để b/c); - Các đảng ủy trực thuộc; - Lưu Văn phòng Ban.",
        "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN Nguyễn Văn Đức",
    ],
)

QD_TW = PdfDoc(
    name="probe-qd-312-tw.pdf",
    head=[("BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM"), ("*", ""),
          ("Số 312-QĐ/TW", "Hà Nội, ngày 18 tháng 11 năm 2025")],
    title=["QUY ĐỊNH", "về trách nhiệm nêu gương của cán bộ, đảng viên",
           "trong thực hành tiết kiệm, chống lãng phí"],
    paras=[
        "- Căn cứ Điều lệ Đảng;",
        "- Căn cứ Quy chế làm việc của Ban Chấp hành Trung ương, Bộ Chính trị và Ban Bí thư khóa XIII;",
        "Ban Chấp hành Trung ương quy định về trách nhiệm nêu gương của cán bộ, đảng viên trong thực hành "
        "tiết kiệm, chống lãng phí như sau:",
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh, đối tượng áp dụng",
        "1. Quy định này quy định nội dung, trách nhiệm nêu gương của cán bộ, đảng viên trong việc sử dụng tài "
        "chính, tài sản công, thời gian lao động và tài nguyên.",
        "2. Quy định này áp dụng đối với cán bộ, đảng viên trong hệ thống chính trị; cán bộ chủ chốt, người "
        "đứng đầu các cấp có trách nhiệm nêu gương cao hơn.",
        "Điều 2. Nguyên tắc nêu gương",
        "Nói đi đôi với làm; công khai, minh bạch; cấp trên gương mẫu trước cấp dưới; tự giác tuân thủ và chịu "
        "sự giám sát của tổ chức đảng, của Nhân dân.",
        "Chương II",
        "NỘI DUNG NÊU GƯƠNG",
        "Điều 3. Trong sử dụng tài chính, tài sản công",
        "1. Không sử dụng xe công, nhà công vụ, trang thiết bị sai mục đích hoặc vượt tiêu chuẩn, định mức.",
        "2. Tổ chức hội nghị, lễ kỷ niệm gọn nhẹ, thiết thực; không tổ chức tiệc chiêu đãi bằng ngân sách trái "
        "quy định.",
        "Điều 4. Trong sử dụng thời gian lao động",
        "Sử dụng hiệu quả thời gian làm việc; giải quyết công việc đúng hạn, không để tồn đọng hồ sơ; hạn chế "
        "họp, giảm văn bản, giấy tờ hành chính.",
        "Chương III",
        "TỔ CHỨC THỰC HIỆN",
        "Điều 5. Trách nhiệm thi hành",
        "1. Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương cụ thể hóa Quy định này phù hợp với tình hình "
        "của địa phương, cơ quan, đơn vị, hoàn thành trong 06 tháng kể từ ngày ký.",
        "2. Ủy ban Kiểm tra Trung ương chủ trì, phối hợp với Ban Tổ chức Trung ương và Văn phòng Trung ương Đảng "
        "theo dõi, kiểm tra, giám sát việc thực hiện Quy định; định kỳ hằng năm báo cáo Bộ Chính trị, Ban Bí thư.",
        "3. Ban Tuyên giáo và Dân vận Trung ương chủ trì tuyên truyền, phổ biến Quy định trên các phương tiện "
        "thông tin đại chúng.",
        "Điều 6. Hiệu lực thi hành",
        "Quy định này có hiệu lực kể từ ngày ký, thay thế Quy định số 101-QĐ/TW ngày 07/6/2012 của Ban Bí thư "
        "về trách nhiệm nêu gương của cán bộ, đảng viên, nhất là cán bộ lãnh đạo chủ chốt các cấp.",
        "Nơi nhận: - Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương; - Các ban đảng Trung ương; - Lưu "
        "Văn phòng Trung ương Đảng.",
        "T/M BAN CHẤP HÀNH TRUNG ƯƠNG TỔNG BÍ THƯ",
    ],
)

PDFS = [HD_15, HD_17, QD_TW]


# ---------------------------------------------------------------- writers
def _runs(paragraph, text: str) -> None:
    """'**bold** plain *italic*' -> runs."""
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if not part:
            continue
        if part.startswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*"):
            paragraph.add_run(part[1:-1]).italic = True
        else:
            paragraph.add_run(part)


def _cell_lines(cell, lines: list[str], bold_first: bool) -> None:
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = p.add_run(line)
        run.bold = bold_first and i == 0 or line.isupper()


def write_docx(doc: Doc, out: Path) -> None:
    import docx

    d = docx.Document()
    cp = d.core_properties
    cp.author, cp.last_modified_by, cp.created, cp.modified, cp.revision = "probe", "probe", STAMP, STAMP, 1
    head = d.add_table(rows=2, cols=2)
    _cell_lines(head.cell(0, 0), doc.left, True)
    _cell_lines(head.cell(0, 1), doc.right, True)
    head.cell(1, 0).text = doc.number_line
    head.cell(1, 1).paragraphs[0].add_run(doc.date_line).italic = True
    for item in doc.body:
        if isinstance(item, list):
            t = d.add_table(rows=len(item), cols=len(item[0]))
            t.style = "Table Grid"
            for r, row in enumerate(item):
                for c, value in enumerate(row):
                    t.cell(r, c).text = value
                    if r == 0:
                        for run in t.cell(r, c).paragraphs[0].runs:
                            run.bold = True
            continue
        if item.startswith("## "):
            d.add_heading(item[3:], level=2)
        elif item.startswith("# "):
            d.add_heading(item[2:], level=1)
        else:
            _runs(d.add_paragraph(), item)
    buf = io.BytesIO()
    d.save(buf)
    _fix_zip_times(buf.getvalue(), out)


def _fix_zip_times(data: bytes, out: Path) -> None:
    """The same bytes every run: each member rewritten with one fixed time, in the same order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    out.write_bytes(buf.getvalue())


def wrap(text: str, width: int = 80) -> list[str]:
    """Hard line breaks at ~80 characters, as a PDF printed from a typewriter-style layout carries them."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def write_pdf(doc: PdfDoc, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for name, file in (("PV", "DejaVuSans.ttf"), ("PVB", "DejaVuSans-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    top, bottom, step = height - 60, 70, 17
    page, y = 1, top

    def turn() -> None:
        nonlocal page, y
        c.setFont("PV", 9)
        c.drawCentredString(width / 2, 35, str(page))
        c.showPage()
        page, y = page + 1, top

    for left, right in doc.head:  # both columns of the letterhead on one text line
        c.setFont("PVB", 10.5)
        c.drawCentredString(150, y, left)
        if right:
            c.drawCentredString(400, y, right)
        y -= step
    y -= step
    for i, line in enumerate(doc.title):
        c.setFont("PVB", 13 if i == 0 else 11.5)
        c.drawCentredString(width / 2, y, line)
        y -= step
    y -= step
    for para in doc.paras:
        heading = bool(re.match(r"^(Chương [IVX]+|[IVX]+\. |Điều \d+\.)", para)) or para.isupper()
        for line in wrap(para):
            if y < bottom:
                turn()
            c.setFont("PVB" if heading else "PV", 11)
            c.drawString(60, y, line)
            y -= step
        y -= 5
    c.setFont("PV", 9)
    c.drawCentredString(width / 2, 35, str(page))
    c.showPage()
    c.save()
    out.write_bytes(buf.getvalue())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE / "docs")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for doc in DOCX:
        write_docx(doc, a.out / doc.name)
    for pdoc in PDFS:
        write_pdf(pdoc, a.out / pdoc.name)
    for p in sorted(a.out.iterdir()):
        print(f"{p.stat().st_size:>8}  {p.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
