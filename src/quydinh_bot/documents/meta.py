"""Metadata a document states about itself, read from its header block, and the
`metadata.toml` entry written for it.

The header block follows the two standards. A Party document (Hướng dẫn 36-HD/VPTW): the issuer
with its parent top left ("TỈNH ỦY LAI CHÂU" / "BAN TỔ CHỨC", "*", "Số 15-KH/BTCTU"), "ĐẢNG CỘNG
SẢN VIỆT NAM" and "Lai Châu, ngày 5 tháng 3 năm 2026" top right, then the kind as a title word
("KẾ HOẠCH") over the abstract. A state document (Nghị định 30/2020/NĐ-CP): parent above issuer
("UBND TỈNH LÀO CAI" / "SỞ CÔNG THƯƠNG"), "Số: 12/KH-SCT", the motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and the place-date, then the kind word and the abstract, or
for a công văn no kind word and "V/v …" under the number. A reader renders the two columns either
row by row or a column per line, so the block is read by its fixed parts (the motto lines, "Số",
the place-date pattern, the separators) and what is left in capitals is the issuer and its parent.

Only the header block is read: the lines before the kind word (or, without one, before the first
"Căn cứ", "Kính gửi", section heading …), never a document the text cites. A blank number or day
in a draft ("Số:    /KH-UBND", "ngày    tháng 4 năm 2026") is unknown: no number, the date "4/2026".
Appendices say "(Kèm theo Kế hoạch số … ngày … của …)". Whatever the user passes with
`--meta KEY=VALUE` wins over what is detected.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from quydinh_bot.config import LEXICON_DIR
from quydinh_bot.language.bodies import body_of_label
from quydinh_bot.language.text import fold, strip_markup

from .document import _ATTACHED, KIND_TABLE, KINDS, make_id

FIELDS = ("id", "kind", "number", "date", "issuer", "parent", "province", "place", "title", "parent_kind",
          "cite_as")
_CODE_KIND = {fold(code): kind for kind, _, codes in KIND_TABLE for code in codes}
_MOTTO = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM"
                    r"|Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc", re.IGNORECASE)
# "Số 06-HD/TW", "Số: 99/2025/NQ-HĐND", a draft's "Số:     /KH-SCT" (blank: the number is unknown)
_NUMBER = re.compile(r"\bSố\s*:?\s*(?P<num>[\w.]*(?:\s*[/-]\s*[\w.]+)+)", re.IGNORECASE)
# "Lào Cai, ngày 23 tháng 4 năm 2026"; a draft leaves the day (and the month) blank
_DATE = re.compile(r"ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})", re.IGNORECASE)
_VV = re.compile(r"\bV/v\b\.?\s*(?P<vv>.*)$")
_SEPARATOR = re.compile(r"\\?\*|[-_=–—.]{3,}")
# where the header block ends when there is no kind word: recitals, addressee, a section heading
_STOP = re.compile(r"^(?:[-–+]\s*)?(?:Căn cứ|Kính gửi|Thực hiện|Xét đề nghị|Theo đề nghị|Phần thứ|Chương\s+[IVX\d]"
                   r"|Điều\s+\d|[IVX]+\s*[.\-]\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s)", re.IGNORECASE)
# A body's name opens with one of these words; a line holding two bodies ("UBND TỈNH LÀO CAI SỞ CÔNG
# THƯƠNG", a reader joining a column) is split before the second. Not after a word that makes a
# compound with it ("ỦY BAN", "CÔNG ĐOÀN", "CHI CỤC", "VĂN PHÒNG", "ĐẢNG BỘ").
_BODY_HEAD = re.compile(r"(?<!\S)(?:UBND|HĐND|(?:ỦY|UỶ) BAN|HỘI ĐỒNG|SỞ|BAN|ĐOÀN|CỤC|PHÒNG|VĂN PHÒNG|TRUNG TÂM|BỘ|"
                        r"(?:TỈNH|THÀNH|HUYỆN|ĐẢNG) (?:ỦY|UỶ)|ĐẢNG BỘ|CHI BỘ|ĐẢNG ĐOÀN|BAN CÁN SỰ)(?=\s)")
_NO_SPLIT_AFTER = {"uy", "cong", "chi", "van", "dang", "bo", "hoi", "tinh", "thanh", "huyen", "quoc", "chap hanh",
                   "thuong vu", "can su"}
_CENTRAL = re.compile(r"TRUNG ƯƠNG|BAN BÍ THƯ|BỘ CHÍNH TRỊ|CHÍNH PHỦ|QUỐC HỘI|^BỘ\s(?!CHỈ HUY)", re.IGNORECASE)
_JOINT = re.compile(r"\s[-–]\s")
# an organ that is named by the body it belongs to: "ĐOÀN CHỦ TỊCH (ỦY BAN TRUNG ƯƠNG …)", "BAN THƯỜNG TRỰC …"
_OWNED = re.compile(r"(?:ĐOÀN CHỦ TỊCH|BAN THƯỜNG TRỰC|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|THƯỜNG TRỰC|ĐẢNG ĐOÀN|"
                    r"BAN CÁN SỰ ĐẢNG)$")
# marks the standard sets in the header that are not bodies: a draft's "DỰ THẢO", the urgency and
# secrecy marks of Nghị định 30/2020 (Điều 8, Phụ lục I: "KHẨN", "HỎA TỐC", "MẬT" …)
_HEADER_MARK = re.compile(r"(?:BẢN\s+)?DỰ\s+THẢO(?:\s+(?:LẦN\s+\S+|\d+))?|THƯỢNG\s+KHẨN|KHẨN|H(?:ỎA|OẢ)\s+TỐC"
                          r"(?:\s+HẸN\s+GIỜ)?|(?:TỐI\s+|TUYỆT\s+)?MẬT", re.IGNORECASE)
_LEVEL_START = re.compile(r"(?:TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(?!(?:ỦY|UỶ|ĐOÀN)\b)")


@lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    """Province names (data/provinces.tsv), longest first."""
    names = []
    for line in (LEXICON_DIR / "provinces.tsv").read_text(encoding="utf-8").splitlines():
        name = line.split("\t")[0].strip()
        if name and not name.startswith("#"):
            names.append(unicodedata.normalize("NFC", name))
    return tuple(sorted(set(names), key=len, reverse=True))


def _province_in(text: str) -> str | None:
    key = f" {fold(text)} "
    for name in _provinces():
        if f" {fold(name)} " in key:
            return name
    return None


def _clean(line: str) -> str:
    return strip_markup(line.lstrip("#").strip()).strip(" *\\")


def _title_case_place(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


def _sentence_case(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:].lower() if s.isupper() else s


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _kind_word(clean: str) -> tuple[str, str] | None:
    """(kind, the words after it) when a line is the title word: "KẾ HOẠCH", "QUY ĐỊNH VỀ …"."""
    if not _is_caps(clean[:40]) or len(clean) > 200:
        return None
    key = fold(clean)
    for kind in KINDS:
        k = fold(kind)
        if key == k or key.startswith(k + " "):
            return kind, clean[len(kind):].strip(" :.-")
    return None


def _bodies(fragment: str) -> list[str]:
    """A run of capitals from the left column -> the bodies it names, top first."""
    if re.search(r"\s[-–]\s", fragment):  # "ỦY BAN THƯỜNG VỤ QUỐC HỘI - CHÍNH PHỦ - …": joint issuers, one line
        return [fragment]
    words = fragment.split()
    cuts = [0]
    for m in _BODY_HEAD.finditer(fragment):
        at = len(fragment[:m.start()].split())
        if at == 0 or at - cuts[-1] < 2:
            continue
        before = fold(" ".join(words[max(at - 2, 0):at]))
        if before.split()[-1] in _NO_SPLIT_AFTER or before in _NO_SPLIT_AFTER:
            continue
        rest = words[at + len(m.group(0).split()):]
        if not rest:  # "BAN TỔ CHỨC TỈNH ỦY": a qualifier at the end, not a second body
            continue
        cuts.append(at)
    cuts.append(len(words))
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]


# a body's type word, then the first letter of its field ("Sở tài chính" -> "Sở Tài chính")
# ("Ủy ban nhân dân", "Hội đồng nhân dân" keep "nhân dân" in small letters)
_FIELD_AFTER_TYPE = re.compile(r"(?<!\w)((?:Sở|Bộ|Ban chỉ đạo|Ban|Chi cục|Tổng cục|Cục|Vụ|Văn phòng|Phòng|Trung tâm|"
                               r"Ủy ban|Hội đồng|Hội|Học viện|Viện|Thanh tra|Đoàn)\s+)(?!nhân dân)(?!đồng\b)(\w)")
_COMMITTEE = re.compile(r"(?<!\w)(tỉnh ủy|thành ủy|huyện ủy|quận ủy|thị ủy|đảng ủy|đảng bộ)(?!\w)")


def body_name(label: str) -> str:
    """"UBND TỈNH LÀO CAI" -> "UBND tỉnh Lào Cai", "ĐOÀN KIỂM TRA" -> "Đoàn kiểm tra"."""
    if len(parts := re.split(r"\s[-–]\s", label)) > 1:
        return " - ".join(body_name(x) for x in parts)
    known = body_of_label(label)
    if known and "," not in known:
        return known
    if not _is_caps(label):
        return label
    out = [w if w in {"UBND", "HĐND", "MTTQ"} else w.lower() for w in label.split()]
    name = " ".join(out)
    name = name[:1].upper() + name[1:]
    # NĐ 30/2020, Phụ lục II: in a body's name the words of its type and of its field open with a
    # capital ("Sở Tài chính", "Ban Tổ chức Tỉnh ủy", "Chi cục Quản lý thị trường"); Công Thương is
    # written so as the ministry writes it
    name = _FIELD_AFTER_TYPE.sub(lambda m: m.group(1) + m.group(2).upper(), name)
    name = _COMMITTEE.sub(lambda m: m.group(1)[:1].upper() + m.group(1)[1:], name)
    name = re.sub(r"(?<!\w)Công thương(?!\w)", "Công Thương", name)
    # a place name follows its level word ("tỉnh Lào Cai", "huyện Mường Tè"), at the end of a name
    name = re.sub(r"(?<!\w)(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\s+(?!(?:ủy|uỷ|đoàn)(?!\w))(\w[\w ]*)$",
                  lambda m: f"{m.group(1)} {_title_case_place(m.group(2))}", name)
    for place in _provinces():  # place names keep their capitals
        name = re.sub(rf"(?i)(?<!\w){re.escape(place)}(?!\w)", place, name)
    # organs inside a name keep their capital ("Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
    # and the state's proper names theirs (Quốc hội, Chính phủ, Việt Nam)
    name = re.sub(r"(?<=\s)(ủy ban|mặt trận)\s+(?!nhân dân)(\w)", lambda m: m.group(1)[:1].upper() + m.group(1)[1:]
                  + " " + m.group(2).upper(), name)
    for proper in ("Quốc hội", "Chính phủ", "Việt Nam"):
        name = re.sub(rf"(?i)(?<!\w){proper}(?!\w)", proper, name)
    return re.sub(r"(?<!\w)trung ương(?!\w)", "Trung ương", name)


def _place_before(pre: str) -> tuple[str | None, int]:
    """The place of "Lào Cai, ngày …" (the capitalised words just before the comma) and where it starts."""
    line_start = pre.rfind("\n") + 1
    words = list(re.finditer(r"\S+", pre[line_start:]))
    place: list[re.Match] = []
    for w in reversed(words):
        word = w.group(0).strip("*_,")
        if len(place) < 4 and word and (word[:1].isupper() or fold(word) in {"tp.", "tp"}) \
                and not any(c.isdigit() for c in word) and word not in {"Số", "Số:"}:
            place.insert(0, w)
        else:
            break
    if not place:
        return None, len(pre)
    name = " ".join(w.group(0).strip("*_,") for w in place)
    name = re.sub(r"^(?:TP\.?|Thành phố|Tỉnh)\s+", "", name, flags=re.IGNORECASE).strip()
    return (_title_case_place(name) if name.isupper() else name) or None, line_start + place[0].start()


def read_header(lines: list[str]) -> tuple[dict[str, str], int | None]:
    """(metadata, position of the kind word among the non-blank lines) from the header block."""
    head = [c for c in (_clean(ln) for ln in lines) if c][:30]
    meta: dict[str, str] = {}
    title_at = end = None
    for k, clean in enumerate(head):
        if kw := _kind_word(clean):
            title_at = end = k
            meta["kind"] = kw[0]
            break
        if _STOP.match(clean):
            end = k
            break
    fragments: list[str] = []
    abstract = raw_number = ""
    for clean in head[:end] if end is not None else head[:8]:
        text = _MOTTO.sub("\n", clean)
        if m := _VV.search(text):  # a công văn's abstract ends its column
            abstract = abstract or m.group("vv").strip()
            text = text[:m.start()]
        if m := _NUMBER.search(text):
            raw_number = raw_number or re.sub(r"\s+", "", m.group("num")).rstrip(".,")
            text = text[:m.start()] + "\n" + text[m.end():]
        if m := _DATE.search(text):
            place, cut = _place_before(text[:m.start()])
            if "date" not in meta:
                d, mo, y = m.group("d"), m.group("m"), m.group("y")
                meta["date"] = f"{int(d)}/{int(mo)}/{y}" if d and mo else f"{int(mo)}/{y}" if mo else y
                if place:
                    meta["place"] = place
            text = text[:cut] + "\n" + text[m.end():]
        fragments += [f.strip(" ,;:-") for f in _SEPARATOR.sub("\n", text).split("\n")
                      if _is_caps(f) and not _HEADER_MARK.fullmatch(f.strip(" ,;:-()"))]
    if raw_number[:1].isalnum():  # "Số:   /KH-SCT" in a draft: the number is not known yet
        meta["number"] = raw_number
    code = next((p for p in re.split(r"[/-]", raw_number) if p and not p[0].isdigit()), "")
    joined: list[str] = []
    for f in fragments:  # "ỦY BAN NHÂN DÂN" / "TỈNH LÀO CAI" on two lines: one body
        if joined and _LEVEL_START.match(f):
            joined[-1] += " " + f
        elif joined and _JOINT.search(joined[-1]) and _OWNED.search(joined[-1]):
            # joint issuers printed over two lines: "ỦY BAN THƯỜNG VỤ QUỐC HỘI - CHÍNH PHỦ - ĐOÀN CHỦ TỊCH" /
            # "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM": the last issuer is an organ of the body named
            # next (a parent is printed above its issuer, never below), so the line goes on
            joined[-1] += " " + f
        else:
            joined.append(f)
    bodies = [b for f in joined for b in _bodies(f)]
    if bodies:
        meta["issuer"] = body_name(bodies[-1])
        if len(bodies) > 1:
            meta["parent"] = body_name(bodies[-2])
    if "kind" not in meta:
        kind = _CODE_KIND.get(fold(code)) or ("công văn" if abstract else None)
        if kind:
            meta["kind"] = kind
    # a central body (…/TW, Ban Bí thư, Chính phủ) has no province; else the issuer's, else the place's
    central = raw_number.upper().endswith("/TW") or any(_CENTRAL.search(b) for b in bodies)
    if not central:
        province = next((p for b in reversed(bodies) if (p := _province_in(b))), None) \
            or _province_in(meta.get("place") or "")
        if province:
            meta["province"] = province
    if abstract and meta.get("kind") == "công văn":
        meta["title"] = abstract[:1].upper() + abstract[1:]
    return meta, title_at


def _title(kind_line: str, rest: str, following: list[tuple[int, str]], t_index: int,
           bold: frozenset[int] = frozenset()) -> str:
    """The kind word and the abstract under it. The abstract's first line may open as a recital does
    ("Thực hiện Chỉ thị số 45-CT/TW …" is the abstract of a plan implementing it) when it is set as
    the title block is, wholly in bold (`bold`: indexes of such lines), and the kind word has no words
    of its own."""
    subject: list[str] = [rest] if rest else []
    first_caps = None
    for i, clean in following[:6]:
        recital = _STOP.match(clean) and not (not subject and i in bold)
        if i > t_index + 3 * (len(subject) + 1) or recital or _ATTACHED.search(clean) \
                or clean.startswith("(") or _SEPARATOR.fullmatch(clean) \
                or ((kw := _kind_word(clean)) and (subject or not kw[1])):  # "QUY ĐỊNH NỘI DUNG …" is an abstract
            break
        caps = _is_caps(clean)
        if first_caps is None:
            first_caps = caps
        elif caps and not first_caps:  # "GIÁM ĐỐC SỞ …" under a normal-case abstract: the authority
            break
        subject.append(clean.lower() if caps else clean)
        if clean.endswith(".") or len(" ".join(subject)) > 400:
            break
    if subject and subject[0][:1].isupper() and not subject[0][1:2].isupper():
        subject[0] = subject[0][:1].lower() + subject[0][1:]
    return re.sub(r"\s+", " ", " ".join([_sentence_case(kind_line)] + subject)).strip()


def detect(text: str) -> tuple[dict[str, str], str]:
    """(detected metadata, the text without its letterhead) for a converted document."""
    lines = text.split("\n")
    meta, title_at = read_header(lines)
    nonblank = [(i, _clean(ln)) for i, ln in enumerate(lines) if _clean(ln)]
    body_start = 0
    if title_at is not None:
        t_index, t_clean = nonblank[title_at]
        kind = meta["kind"]
        bold = frozenset(i for i, ln in enumerate(lines) if re.fullmatch(r"\s*(?:#+\s*)?\*\*[^*].*\*\*\s*", ln))
        meta["title"] = _title(t_clean[:len(kind)], t_clean[len(kind):].strip(" :.-"), nonblank[title_at + 1:],
                               t_index, bold)
        if title_at > 0:
            body_start = t_index  # the letterhead is metadata now, not the document's first clause
    attached = _ATTACHED.search(strip_markup(" ".join(lines[:60])))
    if attached and meta.get("kind") in {None, "phụ lục"}:
        meta.setdefault("kind", "phụ lục")
        meta["parent_kind"] = attached.group("kind").lower()
        meta["number"] = attached.group("number").rstrip(".,")
        meta["date"] = attached.group("date")
    if not meta.get("number") and meta.get("kind"):  # stable and readable: kind + title words + year
        meta["id"] = make_id(meta["kind"], None, meta.get("date"), Path("văn bản"), meta.get("title"))
    body = "\n".join(lines[body_start:]).strip("\n") + "\n"
    return {k: unicodedata.normalize("NFC", v) for k, v in meta.items() if v}, body


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """`KEY=VALUE` strings from the command line -> a metadata dict (known keys only)."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise ValueError(f"--meta cần dạng KHÓA=GIÁ_TRỊ (ví dụ number=15-KH/TU), không phải '{pair}'.")
        if key not in FIELDS:
            raise ValueError(f"--meta: khóa '{key}' không hợp lệ; dùng một trong: {', '.join(FIELDS)}.")
        out[key] = unicodedata.normalize("NFC", value.strip())
    return out


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def toml_entry(file_name: str, meta: dict[str, str]) -> str:
    """One `[\"file\"]` table of metadata.toml, fields in a fixed order."""
    lines = [f"[{_toml_str(file_name)}]"]
    for key in FIELDS:
        if meta.get(key):
            lines.append(f"{key} = {_toml_str(meta[key])}")
    return "\n".join(lines) + "\n"


def without_entry(toml_text: str, file_name: str) -> str:
    """metadata.toml text with the table of `file_name` taken out (comments and the rest kept)."""
    out: list[str] = []
    skipping = False
    header = f"[{_toml_str(file_name)}]"
    for line in toml_text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("["):
            skipping = stripped == header
        if not skipping:
            out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out))
