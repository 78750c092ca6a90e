"""Text encodings found in provincial archives -> Unicode NFC.

Besides UTF-8 (with or without BOM) and UTF-16, old documents come as Windows-1258 (tones as
combining marks) or in the legacy Vietnamese *font* encodings: TCVN3/ABC (one byte per
precomposed lower-case letter; capitals come from a separate upper-case font, so a tone letter
reads back lower-case) and VNI (a base letter followed by one mark byte). The tables below
are those encodings' published layouts; which one a file uses is decided by how many of its
words come out as well-formed Vietnamese syllables.
"""
from __future__ import annotations

import re
import unicodedata

# --- TCVN3 (ABC): byte -> letter -----------------------------------------------------------
_TCVN3_LOWER = {
    "á": 0xB8, "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "ạ": 0xB9,
    "ă": 0xA8, "ắ": 0xBE, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ặ": 0xC6,
    "â": 0xA9, "ấ": 0xCA, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ậ": 0xCB,
    "é": 0xD0, "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "ẹ": 0xD1,
    "ê": 0xAA, "ế": 0xD5, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ệ": 0xD6,
    "í": 0xDD, "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "ị": 0xDE,
    "ó": 0xE3, "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ọ": 0xE4,
    "ô": 0xAB, "ố": 0xE8, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ộ": 0xE9,
    "ơ": 0xAC, "ớ": 0xED, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ợ": 0xEE,
    "ú": 0xF3, "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ụ": 0xF4,
    "ư": 0xAD, "ứ": 0xF8, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ự": 0xF9,
    "ý": 0xFD, "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ỵ": 0xFE,
    "đ": 0xAE,
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
TCVN3_DECODE: dict[int, str] = {b: ch for ch, b in {**_TCVN3_LOWER, **_TCVN3_UPPER}.items()}
TCVN3_ENCODE: dict[str, int] = {**_TCVN3_LOWER, **_TCVN3_UPPER}

# --- VNI (Windows): base letter + mark byte, read as cp1252 characters ---------------------
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT_TONES = {"á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}  # after â/ê/ô
_VNI_BREVE_TONES = {"é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}  # after ă
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_tables() -> dict[str, str]:
    out: dict[str, str] = {}

    def put(seq: str, uni: str) -> None:
        uni = unicodedata.normalize("NFC", uni)
        out[seq] = uni
        out[seq.upper()] = uni.upper()

    for base in "aeouy":
        for mark, tone in _VNI_TONES.items():
            put(base + mark, base + tone)
    for base in "aeo":
        put(base + "â", base + "\u0302")
        for mark, tone in _VNI_HAT_TONES.items():
            put(base + mark, base + "\u0302" + tone)
    put("aê", "ă")
    for mark, tone in _VNI_BREVE_TONES.items():
        put("a" + mark, "ă" + tone)
    for single, uni in _VNI_SINGLE.items():
        put(single, uni)
        if uni in {"ơ", "ư"}:
            for mark, tone in _VNI_TONES.items():
                put(single + mark, uni + tone)
    return out


VNI_DECODE = _vni_tables()
VNI_ENCODE = {uni: seq for seq, uni in sorted(VNI_DECODE.items(), key=lambda kv: len(kv[0]))}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_DECODE, key=len, reverse=True)))


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes -> Unicode; a tone letter between capitals is restored to upper case."""
    text = "".join(TCVN3_DECODE.get(b, chr(b)) if b >= 0x80 else chr(b) for b in data)
    return _recapitalise(text)


def decode_vni(data: bytes) -> str:
    text = data.decode("cp1252", errors="replace")
    return _VNI_RE.sub(lambda m: VNI_DECODE[m.group(0)], text)


def encode_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 (for fixtures and tests); capitals with tones fall back to lower case."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        elif ch.lower() in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch.lower()])
        else:
            out.extend(ch.encode("ascii", errors="replace"))
    return bytes(out)


def encode_vni(text: str) -> bytes:
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).encode("cp1252")


_WORD = re.compile(r"[^\W\d_]+")


def _recapitalise(text: str) -> str:
    """TCVN3 has no capital tone letters: 'ĐảNG' was 'ĐẢNG' in an upper-case font, and a
    sentence that starts with a tone letter started with a capital."""
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        ascii_letters = [c for c in w if c.isascii()]
        uppers = [c for c in ascii_letters if c.isupper()]
        if uppers and len(uppers) == len(ascii_letters) and (len(uppers) >= 2 or not w[0].isupper()):
            return w.upper()
        return w
    text = _WORD.sub(word, text)
    # "Kế HOẠCH": a short word whose only capital is its first letter, beside an all-caps word
    parts = re.split(r"([^\W\d_]+)", text)  # odd items are words, even items what separates them
    for i in range(1, len(parts), 2):
        w = parts[i]
        if len(w) > 1 and w[0].isupper() and not w.isupper() and all(not c.isascii() for c in w[1:]):
            near = [parts[j] for j, gap in ((i - 2, i - 1), (i + 2, i + 1))
                    if 0 < j < len(parts) and parts[gap].strip() == ""]
            if any(len(x) > 1 and x.isupper() for x in near):
                parts[i] = w.upper()
    text = "".join(parts)
    return re.sub(r"(^|[.!?]\s+|\n\s*)([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), text)


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 as Word wrote it: base letters precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


# --- telling them apart ------------------------------------------------------------------------
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:uyê|uyu|uya|oai|oay|uây|uôi|ươi|ươu|yêu|iêu|oeo|oao|"
    r"ia|iê|ua|uô|ưa|ươ|oa|oă|oe|uâ|uê|uy|ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu|yê|"
    r"[aăâeêioôơuưy])"
    r"(?:ng|nh|ch|[cmnpt])?$"
)


def _is_syllable(word: str) -> bool:
    nfd = unicodedata.normalize("NFD", word.lower())
    tones = sum(ch in _TONES for ch in nfd)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in nfd if ch not in _TONES))
    return bool(_SYLLABLE.match(base))


def vietnamese_score(text: str, sample: int = 20000) -> float:
    """Share of non-ASCII words that are well-formed Vietnamese syllables (minus junk)."""
    good = bad = 0
    for w in re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text[:sample])):
        if w.isascii():
            continue
        if _is_syllable(w):
            good += 1
        else:
            bad += 1
    junk = sum(1 for ch in text[:sample] if 0x80 <= ord(ch) < 0x250 and not ch.isalpha()
               and ch not in "–—“”‘’…•·°§«»×") + text[:sample].count("\ufffd")
    total = good + bad
    return (good - bad - junk) / total if total else 0.0


def decode_single_byte(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: the best of Windows-1258, TCVN3 and VNI -> (NFC text, name)."""
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append((data.decode("cp1258"), "windows-1258"))
    except UnicodeDecodeError:
        pass
    candidates.append((decode_tcvn3(data), "tcvn3"))
    candidates.append((decode_vni(data), "vni"))
    scored = [(vietnamese_score(t), t, name) for t, name in candidates]
    best = max(scored, key=lambda x: x[0])
    return unicodedata.normalize("NFC", best[1]), best[2]


def repair_font_text(text: str) -> tuple[str, str]:
    """Unicode text typed in a legacy font (a Word file in .VnTime or VNI-Times shows
    'Céng hoµ'): recode when that reads better as Vietnamese -> (text, encoding name)."""
    if text.isascii():
        return text, "unicode"
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return text, "unicode"
    here = vietnamese_score(text)
    fixed, name = decode_single_byte(raw)
    if name != "windows-1258" and vietnamese_score(fixed) > here + 0.2:
        return fixed, name
    return text, "unicode"
