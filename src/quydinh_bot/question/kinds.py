"""Document kinds and numbers as a question names them: "kế hoạch 376", "kh 376", "376-KH/TU",
"trong đề án", "Nghị quyết 21-NQ/TW".

One table, the one documents are read by (`documents.document.KIND_TABLE`: the kind's title word and
the code its number carries), so a kind the reader knows is a kind a question can name. What only
questions need is said here once: which kinds are *plans* a question may be about ("Đề án được thực
hiện trong bao lâu", "các nhiệm vụ trong kế hoạch") rather than documents cited by number only, and
the code a kind without its own code is numbered by (a Party Quy định is "…-QĐ/TW")."""
from __future__ import annotations

import re

from quydinh_bot.documents.document import KIND_TABLE
from quydinh_bot.language.text import fold

# Kinds that set out work (a question may be about one of them as "the plan"); every other kind is a
# document the corpus cites by its number ("theo Quyết định 294-QĐ/TW").
PLAN_KINDS = ("chương trình hành động", "chương trình", "kế hoạch", "báo cáo", "đề án", "phụ lục")
# The code a kind without one of its own is numbered by (Hướng dẫn 36-HD/VPTW).
_BORROWED = {"chương trình hành động": "chương trình", "quy định": "quyết định"}
_PARTY_CV = "cv"  # a Party công văn is numbered "1541-CV/TU"; a state one carries its issuer's code

KINDS: tuple[str, ...] = tuple(kind for kind, _, _ in KIND_TABLE)  # longest first, as the table is
_OWN_CODE = {kind: fold(codes[0]).lower() for kind, _, codes in KIND_TABLE if codes}
NUMBER_CODE: dict[str, str] = {
    kind: _OWN_CODE.get(kind) or _OWN_CODE.get(_BORROWED.get(kind, ""), "") or (_PARTY_CV if kind == "công văn" else "")
    for kind in KINDS}
NUMBER_CODE = {kind: code for kind, code in NUMBER_CODE.items() if code}
ISSUED_KINDS = frozenset(k for k in KINDS if k not in PLAN_KINDS)  # named by number (or title) only
FOLDED = {fold(kind): kind for kind in KINDS}  # "ke hoach" -> "kế hoạch"
PLAN_FOLDED = {fold(kind): kind for kind in PLAN_KINDS}

# A document number as typed: "376-KH/TU", "15 - KH / TU", "1541-cv/btctu" (folded or not).
DOC_NUMBER = re.compile(r"\b(\d{1,4})\s*-\s*([a-zđ]{1,6}(?:\s*/\s*[a-zđ]{1,8})+)\b", re.IGNORECASE)


def alternation(kinds) -> str:
    """A regex alternation of folded kind words, longest first (so "chuong trinh hanh dong" wins)."""
    return "|".join(sorted((re.escape(k) for k in kinds), key=len, reverse=True))


def kinds_of_number(number: str) -> set[str]:
    """The folded kinds a document number's code says ('376-KH/TU' -> {'ke hoach'})."""
    code = fold(number or "").lower()
    return {fold(kind) for kind, c in NUMBER_CODE.items() if kind not in _BORROWED and re.search(rf"-{c}\b", code)}
