"""Metadata a document states about itself, read from its header block, and the
`metadata.toml` entry written for it.

Vietnamese administrative documents open with a fixed block: the issuing body on the left
("TỈNH ỦY LAI CHÂU", "*", "Số 15-KH/TU"), the national/Party motto and "Lai Châu, ngày 5
tháng 3 năm 2026" on the right, then the kind in capitals ("KẾ HOẠCH") over the subject.
Appendices say "(Kèm theo Kế hoạch số … ngày … của …)". Whatever the user passes with
`--meta KEY=VALUE` wins over what is detected.
"""
from __future__ import annotations

import re
import unicodedata

from quydinh_bot.language.bodies import body_of_label
from quydinh_bot.language.text import fold, strip_markup

from .document import _ATTACHED, KINDS

FIELDS = ("id", "kind", "number", "date", "issuer", "province", "title", "parent_kind", "cite_as")
_NUMBER = re.compile(r"\bSố\s*:?\s*(\d+[\w.]*-[\wĐđ]+(?:/[\wĐđ.-]+)+)", re.IGNORECASE)
_DATE = re.compile(r"(?:(?P<place>[^\W\d][\w .'-]{1,40}?)\s*,\s*)?ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+"
                   r"năm\s+(?P<y>\d{4})", re.IGNORECASE)
_CODE_KIND = {"kh": "kế hoạch", "ctr": "chương trình", "bc": "báo cáo", "da": "đề án", "nq": "nghị quyết",
              "qd": "quyết định", "qđ": "quyết định"}
_MOTTO = ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc")


def _clean(line: str) -> str:
    return strip_markup(line.lstrip("#").strip()).strip(" *\\")


def _title_case_place(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


def _sentence_case(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:].lower() if s.isupper() else s


def detect(text: str) -> tuple[dict[str, str], str]:
    """(detected metadata, the text without its letterhead) for a converted document."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    nonblank = [(i, _clean(ln)) for i, ln in enumerate(lines) if _clean(ln)]
    head = nonblank[:30]
    title_at = None
    for k, (i, clean) in enumerate(head):
        key = fold(clean)
        kind = next((kd for kd in KINDS if key == fold(kd) or key.startswith(fold(kd) + " ") and clean.isupper()), None)
        if kind and len(clean) <= 80:
            title_at = k
            meta["kind"] = kind
            break
    header = head[:title_at] if title_at is not None else head[:12]
    for _, clean in header:
        if "number" not in meta and (m := _NUMBER.search(clean)):
            meta["number"] = m.group(1).rstrip(".,")
        if "date" not in meta and (m := _DATE.search(clean)):
            meta["date"] = f"{int(m.group('d'))}/{int(m.group('m'))}/{m.group('y')}"
            place = (m.group("place") or "").strip()
            place = re.sub(r"^(?:TP\.?|thành phố|tỉnh)\s+", "", place, flags=re.IGNORECASE)
            if place and not _NUMBER.search(place) and len(place.split()) <= 4:
                meta["province"] = _title_case_place(place)
    if "kind" not in meta and meta.get("number"):
        code = fold(meta["number"].split("-", 1)[1].split("/")[0]) if "-" in meta["number"] else ""
        if code in _CODE_KIND:
            meta["kind"] = _CODE_KIND[code]
    # the issuing body: the left column of the letterhead, above the number
    issuer_lines = [c for _, c in header if not any(fold(c).startswith(m) for m in _MOTTO)
                    and not _NUMBER.search(c) and not _DATE.search(c) and c not in {"*", "-"} and c.isupper()]
    if issuer_lines:
        joined = " ".join(issuer_lines[-2:])
        last = issuer_lines[-1]
        m = re.search(r"\b(?:TỈNH ỦY|ĐẢNG BỘ TỈNH|TỈNH)\s+(?!ỦY\b)([A-ZÀ-Ỹ][A-ZÀ-Ỹ ]+)$", joined)
        if m and "province" not in meta:
            meta["province"] = _title_case_place(m.group(1))
        issuer = body_of_label(last) or body_of_label(joined)
        if not issuer:
            issuer = _sentence_case(last)
            place = meta.get("province", "")
            if place and issuer.lower().endswith(place.lower()):  # "Tỉnh ủy Lai Châu", not "Tỉnh ủy lai châu"
                issuer = issuer[: len(issuer) - len(place)] + place
        meta["issuer"] = issuer
    body_start = 0
    if title_at is not None:
        t_index, t_clean = head[title_at]
        subject: list[str] = []
        for i, clean in nonblank[title_at + 1:title_at + 6]:
            if i > t_index + 2 * (len(subject) + 1) \
                    or re.match(r"^(?:[IVX]+[.\-]|\d+\.|Phần thứ|Căn cứ|Thực hiện)", clean):
                break
            if _ATTACHED.search(clean) or clean.startswith("("):
                break
            subject.append(clean)
            if clean.endswith("."):
                break
        title = " ".join([_sentence_case(t_clean)] + subject)
        meta["title"] = re.sub(r"\s+", " ", title).strip()
        if title_at > 0:
            body_start = t_index  # the letterhead is metadata now, not the document's first clause
    attached = _ATTACHED.search(strip_markup(" ".join(lines[:60])))
    if attached and meta.get("kind") in {None, "phụ lục"}:
        meta.setdefault("kind", "phụ lục")
        meta["parent_kind"] = attached.group("kind").lower()
        meta["number"] = attached.group("number").rstrip(".,")
        meta["date"] = attached.group("date")
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
