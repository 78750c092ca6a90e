from quydinh_bot.language.bodies import abbreviations, body_of_label, find_bodies


def test_upper_case_labels_map_to_canonical_bodies():
    assert body_of_label("ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH") == "Đảng ủy Ủy ban nhân dân tỉnh"
    assert body_of_label("BAN TỔ CHỨC TỈNH ỦY CHỦ TRÌ, PHỐI HỢP VỚI CÁC CƠ QUAN LIÊN QUAN") == "Ban Tổ chức Tỉnh ủy"
    assert body_of_label("ĐẢNG ỦY TOÀ ÁN NHÂN DÂN TỈNH, ĐẢNG ỦY VIỆN KIỂM SÁT NHÂN DÂN TỈNH") == (
        "Đảng ủy Tòa án nhân dân tỉnh, Đảng ủy Viện Kiểm sát nhân dân tỉnh")


def test_abbreviations_are_aliases():
    assert body_of_label("UBKT Tỉnh ủy") == "Ủy ban Kiểm tra Tỉnh ủy"
    assert body_of_label("Đảng ủy HĐND tỉnh") == "Đảng ủy Hội đồng nhân dân tỉnh"
    assert body_of_label("Ban Tổ chức Tỉnh uỷ:") == "Ban Tổ chức Tỉnh ủy"


def test_a_heading_that_is_not_a_body_gives_none():
    assert body_of_label("Tham mưu Ban Thường vụ Tỉnh ủy, Thường trực Tỉnh ủy:") is None
    assert body_of_label("Công tác cán bộ") is None


def test_find_bodies_prefers_the_longest_alias():
    found = find_bodies("Đảng ủy UBND tỉnh; đảng ủy các xã, phường và UBKT Tỉnh ủy")
    assert [b.canonical for b in found] == [
        "Đảng ủy Ủy ban nhân dân tỉnh", "Đảng ủy các xã, phường", "Ủy ban Kiểm tra Tỉnh ủy"]
    assert found[0].surface == "Đảng ủy UBND tỉnh"


def test_abbreviation_table_has_the_common_ones():
    table = abbreviations()
    for abbr in ["TCCSĐ", "BTV", "UBKT", "HĐND", "MTTQ", "BTC"]:
        assert abbr in table


def test_a_comma_inside_a_name_is_optional():
    assert [b.canonical for b in find_bodies("đảng ủy xã phường chỉ đạo")] == ["Đảng ủy các xã, phường"]
