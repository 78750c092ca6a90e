"""Who signed a document: its signature block, as the standards lay it out at the end of every document —
the signer's authority and office in capitals, then the name (Nghị định 30/2020/NĐ-CP, Điều 13 and Phụ lục
I: "quyền hạn, chức vụ của người ký", "TM.", "KT.", "TL.", "TUQ.", "Q."; Hướng dẫn 36-HD/VPTW: "T/M BAN
THƯỜNG VỤ", "K/T BÍ THƯ"). The block sits beside or under "Nơi nhận", so a document read from Word or PDF
often has both in one closing clause ("Nơi nhận: - Như trên; - Lưu: VT. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn
Thuân") and one read from text has them as paragraphs of their own ("K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN",
"Phạm Hữu Toàn"). Read from the shape — capitals naming an office, then two to five capitalised syllables —
never from one document's words."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from quydinh_bot.language.text import fold
from quydinh_bot.records import Clause

# the words an office is named by (folded), one of which the capitals before the name must hold
_OFFICE = re.compile(r"\b(?:giam doc|chu tich|bi thu|truong|pho|thu tuong|chanh|uy vien|chu nhiem|tong cuc|"
                     r"cuc truong|vien truong|hieu truong|tong thu ky|thu ky)\b")
# the authority a signer signs with (Nghị định 30/2020: TM., KT., TL., TUQ., Q.; Party documents: T/M, K/T, T/L)
_AUTHORITY = re.compile(r"^(?:T/?M|K/?T|T/?L|T/?UQ|TUQ|Q)\.?$")
_EDGE = ".,;:()[]\"'“”"


@dataclass(frozen=True)
class Signature:
    clause_id: str  # the clause that holds the name
    office: str  # the authority and office, as printed: "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"
    name: str  # "Hoàng Văn Thuân"; "" where the copy prints none (a draft)

    @property
    def line(self) -> str:
        return f"{self.office} {self.name}".strip()


def _capitals(token: str) -> bool:
    """An upper-case word of an office ("GIÁM", "ĐỐC", "KT.", "T/M"), not a code ("BTCTU/216") or a list
    marker with a name in it ("CN(Linh).")."""
    word = token.strip(_EDGE)
    return bool(word) and (bool(_AUTHORITY.match(word)) or (word.replace("/", "").isalpha() and word.isupper()
                                                            and len(word) >= 2))


def _name_part(token: str) -> bool:
    """A capitalised syllable of a person's name ("Hoàng", "Thị"), punctuation aside."""
    word = token.strip(_EDGE)
    return len(word) >= 1 and word.isalpha() and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def _is_name(tokens: list[tuple[str, str]], j: int) -> int:
    """The end of the name that starts at token j (j itself where none: two to five capitalised syllables
    within one clause, nothing more of them after)."""
    k = j
    # a name is printed whole in one place: it never runs on into the next clause ("Phụ lục")
    while k < len(tokens) and _name_part(tokens[k][0]) and tokens[k][1] == tokens[j][1]:
        k += 1
    return k if 2 <= k - j <= 5 else j


def _lone_name(clause: Clause) -> str:
    """The clause's whole text when it is a name alone ("Trần Cẩm Tú"), else ''."""
    words = clause.text.split()
    return " ".join(w.strip(_EDGE) for w in words) if 2 <= len(words) <= 5 and all(map(_name_part, words)) else ""


def find_signature(closing: Iterable[Clause]) -> Signature | None:
    """The signature block in a document's closing clauses (in document order), or None: the first run of
    capitals naming an office that is followed by one name of two to five syllables. (Capitals followed by
    more — a joint document's signers printed side by side, "Đỗ Văn Chiến Trần Thanh Mẫn …" — name no one
    signer, and an appendix after the block may print capitals and names of its own.) Where the office is
    printed beside "Nơi nhận" (the two columns of the standard's layout read row by row), the name is the
    clause after the list that holds a name alone."""
    clauses = list(closing)
    tokens: list[tuple[str, str]] = [(tok, c.clause_id) for c in clauses for tok in c.text.split()]
    i = 0
    while i < len(tokens):
        if not _capitals(tokens[i][0]):
            i += 1
            continue
        j = i
        while j < len(tokens) and _capitals(tokens[j][0]):
            j += 1
        words = [t for t, _ in tokens[i:j]]
        # the authority opens the block: capitals before it are the list it is printed beside
        start = next((n for n, t in enumerate(words) if _AUTHORITY.match(t.strip(_EDGE))), None)
        if _OFFICE.search(fold(" ".join(words))):
            office = " ".join(words[start or 0:])
            k = _is_name(tokens, j)
            if k > j:
                return Signature(tokens[j][1], office, " ".join(t.strip(_EDGE) for t, _ in tokens[j:k]))
            beside = j < len(tokens) and fold(" ".join(t for t, _ in tokens[j:j + 2])).startswith("noi nhan")
            if beside:
                after = clauses[next(n for n, c in enumerate(clauses) if c.clause_id == tokens[j][1]) + 1:]
                named = next(((c, n) for c in after if (n := _lone_name(c))), None)
                if named:
                    return Signature(named[0].clause_id, office, named[1])
            # a draft, or a copy printed without the name: the block still says who signs ("TM. ỦY BAN
            # NHÂN DÂN CHỦ TỊCH"), where it closes its clause or comes before "Nơi nhận"
            ends = j == len(tokens) or tokens[j][1] != tokens[j - 1][1] or beside
            if start is not None and ends:
                return Signature(tokens[j - 1][1], office, "")
        i = max(j, i + 1)
    return None


BEFORE = 2  # clauses before "Nơi nhận" that may hold the block (printed above the list, or beside it)
TAIL = 30  # clauses after a "Nơi nhận" read into a paragraph that may hold the list and the name
_RECEIVERS = re.compile(r"\bnoi nhan\s*:")


def closing_clauses(clauses: list[Clause]) -> list[Clause]:
    """A document's closing, in document order: the clauses just before its "Nơi nhận", that clause and
    the clauses after it — where the signature is printed. A "Nơi nhận" read into a paragraph (a flattened
    PDF) opens the closing where it stands; a document with none closes with its last clauses."""
    at = next((n for n, c in enumerate(clauses) if c.number == "noi-nhan"), None)
    if at is not None:
        return clauses[max(0, at - BEFORE):at] + [c for c in clauses[at:]
                                                 if c.number == "noi-nhan" or c.number.startswith("noi-nhan.")]
    at = next((n for n in range(len(clauses) - 1, -1, -1) if _RECEIVERS.search(fold(clauses[n].text))), None)
    if at is not None:
        return clauses[max(0, at - BEFORE):at + 1 + TAIL]
    return clauses[-(BEFORE + 1):]

