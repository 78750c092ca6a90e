"""Party and state bodies: recognised against a gazetteer (data/bodies.tsv), not guessed.

Matching is accent- and case-insensitive on whole words, longest alias first, so
"Đảng ủy UBND tỉnh" wins over "UBND tỉnh" and an upper-case table label such as
"ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH" maps to its canonical name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from quydinh_bot.config import LEXICON_DIR

from .text import normalize

DATA_DIR = LEXICON_DIR


def fold_aligned(text: str) -> str:
    """Accent-free lower-case copy of `normalize(text)` with the same length (char-aligned)."""
    return "".join(map(_fold_char, normalize(text)))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    base = base[:1] or ch
    return "d" if base in "đĐ" else base.lower()


@dataclass(frozen=True)
class BodyMatch:
    canonical: str
    surface: str  # the words as written in the text
    start: int
    end: int


@dataclass(frozen=True)
class Gazetteer:
    canonical_of: dict[str, str]  # folded alias -> canonical name
    pattern: re.Pattern[str]


def _key(folded: str) -> str:
    """Lookup key of a folded name: commas dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", folded.replace(",", " ")).strip()


def _load_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([c.strip() for c in line.split("\t")])
    return rows


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    canonical_of: dict[str, str] = {}
    for row in _load_tsv("bodies.tsv"):
        canonical = normalize(row[0])
        aliases = [row[0]] + (row[1].split("|") if len(row) > 1 and row[1] else [])
        for alias in aliases:
            canonical_of.setdefault(_key(fold_aligned(alias)), canonical)
    keys = sorted(canonical_of, key=len, reverse=True)
    # a space may be any run of spaces, and may carry a comma or not ("xã, phường" / "xã phường")
    alternation = "|".join(re.escape(k).replace(r"\ ", r",?\s+") for k in keys)
    return Gazetteer(canonical_of, re.compile(rf"(?<![\w])(?:{alternation})(?![\w])"))


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Abbreviation -> expansion (both as printed), from data/abbreviations.tsv."""
    return {row[0]: normalize(row[1]) for row in _load_tsv("abbreviations.tsv") if len(row) > 1}


def find_bodies(text: str) -> list[BodyMatch]:
    """Every gazetteer body named in `text`, left to right, longest alias first."""
    g = gazetteer()
    norm = normalize(text)
    folded = fold_aligned(norm)
    out = []
    for m in g.pattern.finditer(folded):
        out.append(BodyMatch(g.canonical_of[_key(m.group(0))], norm[m.start():m.end()], m.start(), m.end()))
    return out


_LABEL_TAIL = re.compile(r"\s+(chủ trì|chủ trì,.*|có trách nhiệm.*)$", re.IGNORECASE)


def _one_unknown_name(text: str, matches: list[BodyMatch]) -> bool:
    """Two names the gazetteer knows with nothing between them ("Ủy ban nhân dân" + "các xã, phường")
    are the parts of one name it lacks, not two bodies: that name is read by its shape instead."""
    folded = fold_aligned(normalize(text))
    return any(not re.search(r"[,;()]|\bva\b", folded[a.end:b.start]) for a, b in zip(matches, matches[1:]))


def body_of_label(label: str) -> str | None:
    """Canonical lead for a section label or heading that *is* a body (or a list of bodies).

    "BAN TỔ CHỨC TỈNH ỦY CHỦ TRÌ, PHỐI HỢP …" -> "Ban Tổ chức Tỉnh ủy"; a heading such as
    "Tham mưu Ban Thường vụ Tỉnh ủy" is not a body and gives None.
    """
    text = normalize(label).strip().rstrip(":.").strip()
    text = _LABEL_TAIL.sub("", text)
    matches = find_bodies(text)
    if not matches:
        return None
    if _one_unknown_name(text, matches):
        return None
    rest = fold_aligned(text)
    for m in reversed(matches):
        rest = rest[: m.start] + rest[m.end:]
    if re.sub(r"\bva\b|[\s,;]", "", rest):  # words left over that are not bodies
        return None
    return ", ".join(dict.fromkeys(m.canonical for m in matches))


def canonical(name: str) -> str:
    """Canonical form of one body name, or the name itself when the gazetteer lacks it."""
    return body_of_label(name) or normalize(name).strip()


def lead_bodies(name: str | None) -> tuple[str | None, list[str]]:
    """A lead as written -> (display name, canonical bodies).

    "Văn Phòng Tỉnh ủy" -> ("Văn phòng Tỉnh ủy", ["Văn phòng Tỉnh ủy"]): one body, one spelling.
    "Đảng ủy Tòa án nhân dân tỉnh, Đảng ủy Viện Kiểm sát nhân dân tỉnh" -> two co-leads, found
    under either. A lead with words beside its bodies keeps its wording and lists the bodies it names.
    """
    if not name or not name.strip():
        return None, []
    text = re.sub(r"\s+", " ", normalize(name)).strip()
    whole = body_of_label(text)
    if whole:
        label = _LABEL_TAIL.sub("", text.rstrip(":.").strip())
        return whole, list(dict.fromkeys(m.canonical for m in find_bodies(label)))
    matches = find_bodies(text)
    if _one_unknown_name(text, matches):
        return text, [text]
    found = list(dict.fromkeys(m.canonical for m in matches))
    return text, found or [text]


# --- bodies by their shape ------------------------------------------------------------
# A body is a body because of how it is written: an organisation's head word ("Sở", "Phòng",
# "Thanh tra", "Đảng ủy", "Chi bộ" …) followed by the words that name it, up to the verb or
# the preposition that ends the noun phrase. The gazetteer normalises names it knows; these
# rules let a document assign work to a body the gazetteer has never seen.

# head words (lower case, accented); the ones marked True also name other things ("Ban hành",
# "phòng chống", "bộ máy"), so the word after them must be capitalised or a known follower
_HEADS: dict[str, bool] = {
    "ủy ban": False, "uỷ ban": False, "ubnd": False, "hội đồng": False, "thanh tra": False, "thuế": False,
    "công an": False, "quân sự": False, "đảng ủy": False, "đảng uỷ": False, "huyện ủy": False,
    "thành ủy": False, "tỉnh ủy": False, "quận ủy": False, "thị ủy": False, "quân ủy": False,
    "huyện uỷ": False, "thành uỷ": False, "tỉnh uỷ": False, "cấp ủy": False, "cấp uỷ": False,
    "chi bộ": False, "đảng bộ": False, "mặt trận": False, "văn phòng": False, "chi cục": False,
    "tổng cục": False, "trung tâm": False, "kho bạc": False, "ngân hàng": False, "bảo hiểm xã hội": False,
    "liên đoàn": False, "tòa án": False, "toà án": False, "viện kiểm sát": False, "tổ công tác": False,
    "tổ trưởng": False, "tổ kiểm tra": False, "trưởng phòng": False, "trưởng ban": False,
    "giám đốc": False, "chánh văn phòng": False, "công ty": False, "doanh nghiệp": False,
    "ban thường vụ": False, "ban thường trực": False, "chi ủy": False, "chi uỷ": False, "thủ trưởng": False,
    "người đứng đầu": False,
    "ban chấp hành": False, "ban bí thư": False, "thường trực": False, "cơ quan": False, "đơn vị": False,
    "sở": True, "ban": True, "phòng": True, "đoàn": True, "hội": True, "bộ": True, "cục": True,
    "vụ": True, "viện": True,
}
_NOT_AFTER = {  # "Ban hành", "phòng chống", "Hội nghị", "đoàn kết", "vụ việc": not bodies
    "ban": {"hành", "đầu", "ngày", "đêm"}, "phòng": {"chống", "ngừa", "họp", "học", "cháy", "làm", "tránh"},
    "sở": {"hữu", "dĩ", "thích", "trường", "cứ"}, "đoàn": {"kết", "viên", "thể"},
    "hội": {"nghị", "nhập", "thảo", "viên", "đủ", "tụ", "họp", "diễn", "chợ"}, "cơ quan": {"niệm"},
    "đơn vị": {"tính", "hành"}, "vụ": {"việc", "án", "mùa"},
}
# words that end a body's name: its verb, or a preposition that starts what follows
_STOPS = tuple(f" {w} " for w in (
    "chủ trì", "phối hợp", "triển khai", "thực hiện", "tổ chức", "có trách nhiệm", "chịu trách nhiệm",
    "có nhiệm vụ", "xây dựng", "hướng dẫn", "theo dõi", "tham mưu", "rà soát", "kiểm tra", "báo cáo",
    "tiến hành", "chỉ đạo", "quản lý", "phân công", "xem xét", "đề nghị", "yêu cầu", "thống nhất",
    "lập", "xét", "gửi", "là", "được", "có", "phải", "cần", "sẽ", "đã", "đang", "để", "trong",
    "theo", "tại", "về", "cùng", "với", "khi", "nếu", "thì", "và", "hoặc", "do", "cho", "nhằm",
    "ban hành", "thẩm định", "thanh tra", "làm", "đôn đốc", "căn cứ", "nắm", "chuẩn bị", "trình", "ký",
    "triệu tập", "giám sát", "thành lập",
    # adverbs a sentence puts between its subject and the verb ("Cấp ủy các cấp thường xuyên rà soát …")
    "thường xuyên", "kịp thời", "tiếp tục", "chủ động", "khẩn trương", "tích cực"))
_MAX_WORDS = 16
# words that qualify a body rather than end its name: "… cùng cấp", "… có liên quan" ("cùng", "có"
# are verbs and prepositions elsewhere), and after "cấp" the level it names by what it does
# ("Ban Thường trực … cấp tổ chức hội nghị hiệp thương", "cấp có thẩm quyền")
_QUALIFIERS = (" cùng cấp ", " có liên quan ", " liên quan ")
_ANY_LEVEL = (" cùng cấp", " các cấp", " từng cấp", " mọi cấp", " hai cấp", " ba cấp")
_LEVELS = ("tỉnh", "huyện", "xã", "trung", "cơ", "trên", "dưới", "mình", "ủy", "uỷ")


# a body's name ends with the committee or the level it belongs to ("Ban Tổ chức Thành ủy", "Các đảng ủy
# trực thuộc Trung ương", "Ủy ban nhân dân các xã", "Đảng ủy cơ sở"): after these only a proper name (capitals) or a
# qualifier ("cùng cấp") goes on, and a lower-case word is what the body does
_OWNERS = {"tỉnh ủy", "tỉnh uỷ", "thành ủy", "thành uỷ", "huyện ủy", "huyện uỷ", "quận ủy", "quận uỷ", "thị ủy",
           "thị uỷ", "trung ương"}
_LEVEL_WORDS = {"tỉnh", "huyện", "xã", "phường", "quận"}
_LEVEL_PAIR = re.compile(r",\s+(?:xã|phường|thị trấn|đặc khu|quận|huyện|thị xã)(?=[\s,.;:]|$)")


@dataclass(frozen=True)
class ShapedBody:
    name: str  # as written
    end: int   # where the name ends in the text it was read from


# in a list after a body ("Cơ quan, tổ chức, đơn vị", "Thường trực, các ban, các tổ đại biểu …") a
# bare common noun names the next body
_LIST_HEADS = ("tổ chức", "đơn vị", "địa phương", "ngành", "ban", "tổ", "đoàn thể", "cơ quan", "sở", "phòng")


def body_at(text: str, listed: bool = False) -> ShapedBody | None:
    """The body whose name opens `text` ("Thanh tra tỉnh", "phòng Quản lý công nghiệp",
    "Các sở, ngành", "Đoàn kiểm tra"), read by its shape; None when `text` does not open with one.
    `listed`: `text` follows a body and a comma, so a bare "tổ chức", "đơn vị", "các ban" is one too."""
    norm = normalize(text)
    lead = re.match(r"\s*(?:(?:các|những|mỗi|từng)\s+)?", norm, re.IGNORECASE)
    start = lead.end() if lead else 0
    rest = norm[start:]
    low = rest.lower()
    head = next((h for h in sorted(_HEADS, key=len, reverse=True)
                 if low.startswith(h) and (len(low) == len(h) or not low[len(h)].isalnum())), None)
    listed_head = next((h for h in _LIST_HEADS
                        if low.startswith(h) and (len(low) == len(h) or not low[len(h)].isalnum())), None)
    if listed and listed_head and not rest[:1].isupper():
        end = len(listed_head)
        name = body_at("Thanh tra" + rest[end:])  # the noun's own words, read as a body's name is read
        own = rest[end:end + (name.end - len("Thanh tra") if name else 0)]
        # they name a body when they run to a proper name ("các tổ đại biểu Hội đồng nhân dân tỉnh")
        # or a qualifier ("đơn vị có liên quan"); lower-case words alone are what the noun does
        keep = 0
        if any(w[:1].isupper() for w in own.split()):
            keep = len(own)
        else:
            for mw in re.finditer(r"\S+", own):
                if (" " + own[:mw.end()].lower() + " ").endswith(_QUALIFIERS):
                    keep = mw.end()
        end += keep
        return ShapedBody(norm[:start + end].strip(), start + end)
    if head is None:
        return None
    if gaz := next((m for m in find_bodies(rest) if m.start == 0), None):
        end = gaz.end  # the gazetteer's longest name, then the shape may carry it further
    else:
        end = len(head)
    after = rest[end:]
    first = re.match(r"\s+(\S+)", after)
    if _HEADS[head] and gaz is None:
        if not first or first.group(1).lower().strip(",.;:") in _NOT_AFTER.get(head, set()):
            return None
        word = first.group(1)
        if not (word[:1].isupper() or word.lower() in {"tỉnh", "huyện", "xã", "thành", "tổ", "tuyên", "dân",
                                                       "kiểm", "quản", "chỉ", "nội", "công", "tư", "kinh", "chuyên"}):
            return None
    elif head in _NOT_AFTER and first and first.group(1).lower().strip(",.;:") in _NOT_AFTER[head]:
        return None
    # carry on word by word until a verb, a preposition or punctuation ends the name
    words = 0
    pos = end
    # "Ban Tổ chức", "Đoàn kiểm tra", "cơ quan tổ chức": the word right after belongs to the name
    first_word = gaz is None and (_HEADS[head] or head in {"cơ quan", "đơn vị"}) and not re.match(
        r"\s+(?:để|được|là|và|có|đã|sẽ|cần|phải|trong|theo|tại|với|khi|nếu|thì|do|cho)(?!\w)", rest[end:])
    while words < _MAX_WORDS:
        m = re.match(r"\s+([^\s,.;:()\"“”…]+)", rest[pos:])
        if not m:
            break
        after_of = rest[:pos].lower().endswith((" của", " thuộc")) \
            and not rest[:pos].lower().endswith(" trực thuộc")  # "của tổ chức cơ sở đảng": a noun; "các đảng
        # ủy trực thuộc tổ chức lễ …": "trực thuộc" ends the name and "tổ chức" is the verb
        after_of = after_of or rest[pos:].lower().lstrip().startswith("có thẩm quyền")  # "Cấp ủy có thẩm quyền"
        window = " " + re.sub(r"[,.;:()]", " ", rest[pos:].lower()).strip() + " "
        internal_and = window.startswith(" và ") and re.match(r"\s+và\s+[A-ZĐÀ-Ỹ]", rest[pos:]) \
            and body_at(re.sub(r"^\s+và\s+", "", rest[pos:])) is None  # "… và Thường trực HĐND": a second body
        qualifier = window.startswith(_QUALIFIERS) or (
            rest[:pos].lower().endswith(" cấp") and not rest[:pos].lower().endswith(_ANY_LEVEL)
            and not window.startswith(tuple(f" {w}" for w in _LEVELS))
            and not window.startswith((" có trách nhiệm", " chịu trách nhiệm", " phải ")))
        capital = m.group(1)[:1].isupper()  # "Ủy ban Kiểm tra": a verb is never written with a capital
        if not first_word and not internal_and and not after_of and not qualifier and not capital \
                and any(window.startswith(s) for s in _STOPS):
            break  # ("Khoa học và Công nghệ": an "và" before a capital is inside the name)
        done = rest[:pos].split()  # a level is written in small letters ("xã"; "Xã hội" is a field)
        if not capital and not qualifier and not internal_and and pos > len(head) and done \
                and (" ".join(done[-2:]).lower() in _OWNERS or done[-1] in _LEVEL_WORDS
                     or (done[-2:] == ["cơ", "sở"] and len(done) > 2 and done[-3] in {"ủy", "uỷ", "bộ"}
                         and m.group(1) != "đảng")):  # "Đảng ủy cơ sở" | …; "cơ sở giáo dục" is a noun
            break  # the name ends with what the body belongs to: "Ban Tổ chức Thành ủy" | tiếp nhận …
        if m.group(1)[:1].isdigit():
            break
        pos += m.end()
        words += 1
        first_word = False
        if (level := re.match(r",\s+cấp\s+\w+(?=[\s,.;:]|$)", rest[pos:])) and words < _MAX_WORDS:
            pos += level.end()  # "Thường trực Hội đồng nhân dân cấp tỉnh, cấp xã": one body at two levels
        while rest[:pos].split()[-1:] and rest[:pos].split()[-1] in _LEVEL_WORDS | {"trấn", "khu"} \
                and (pair := _LEVEL_PAIR.match(rest[pos:])):
            pos += pair.end()  # "Ủy ban nhân dân các xã, phường": one body at the levels it names
    return ShapedBody(norm[:start + pos].strip(), start + pos)  # "Các sở, ngành" keeps its "Các"


def label_body(label: str, strict: bool = False) -> str | None:
    """The body a heading or the words before a colon name ("8. Thanh tra tỉnh", "Đối với
    tỉnh ủy, thành ủy và tương đương", "Cấp ủy cơ sở hoặc nơi đến thẩm tra"): the gazetteer's
    canonical name when it knows the whole label, else the label's body by its shape. `strict`:
    the label must be nothing but the body (a heading), not a body and what it does."""
    text = normalize(label).strip().rstrip(":.").strip()
    text = re.sub(r"^(?:đối với|giao)\s+", "", text, flags=re.IGNORECASE)
    if known := body_of_label(text):
        return known
    text = _LABEL_TAIL.sub("", text)
    body = body_at(text)
    if body is None:
        return None
    rest = text[body.end:].strip()
    if not rest:
        return body.name
    if re.match(r"^(?:,|và\b|hoặc\b|\()", rest, re.IGNORECASE):  # a list of bodies: the label itself
        return text if len(text) <= 120 else None
    return None if strict else body.name
