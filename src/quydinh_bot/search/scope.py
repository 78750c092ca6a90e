"""What the corpus holds — provinces, document numbers, years — read from the index itself, so
a question that names something outside it is declined with the reason instead of being
answered with another province's or another document's clause.

"Kế hoạch 376" is held (a document's number, or a code its text cites: "56-NQ/TU"); "KH 512"
is not. Lào Cai is not a province of any document and is named by no clause the question found."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from quydinh_bot.language.bodies import fold_aligned
from quydinh_bot.language.text import fold
from quydinh_bot.question.kinds import FOLDED, NUMBER_CODE
from quydinh_bot.question.query import STOPWORDS, Question
from quydinh_bot.records import Clause

# document kinds as typed (after short forms are written out) -> their code in a number
KIND_CODES = {fold(kind): code for kind, code in NUMBER_CODE.items()}
# a kind typed as its number's code before a number ("nqlt 102", "ttlt 05"): codes of three letters or more only
# ("nq", "kh", "bc" are short forms, written out before this reads them; "tt", "nd" are ordinary syllables)
CODE_KINDS = {code: kind for kind, code in KIND_CODES.items() if len(code) >= 3}
_LOOSE_NUMBER = re.compile(rf"\b({'|'.join(sorted(set(KIND_CODES) | set(CODE_KINDS), key=len, reverse=True))})\s+"
                           r"(?:so\s+)?(\d{1,4})\b(?![-/]\d)")
_YEAR = re.compile(r"(?<![\d/.,-])((?:19|20)\d\d)(?![\d/.,%-])")
# Rulebooks a question may ask about by name ("Điều lệ Đảng quy định …", "theo Hiến pháp"): the corpus may
# cite them ("Căn cứ Điều lệ Đảng …") without holding what they say.
RULEBOOKS = {"dieu le dang": "Điều lệ Đảng", "hien phap": "Hiến pháp", "bo luat": "bộ luật", "luat": "luật"}
_BOOK = r"(?:dieu le dang|hien phap|bo luat|(?<!ky )(?<!phap )(?<!bo )luat)"
_BOOK_ASKED = re.compile(rf"\b(?:theo|trong|tai)\s+({_BOOK})\b"
                         rf"|\b({_BOOK})\b(?:\s+[a-z]+){{0,3}}\s+(?:quy dinh|noi|ghi|neu)\b")
# A district or town the question names ("huyện Định Hóa"): the corpus is about provinces and communes
_PLACE = re.compile(r"\b(huyen|thi xa|thanh pho|tp)\s+([a-z]+)(?:\s+([a-z]+))?")
_PLACE_WORDS = {"huyen": "huyện", "thi xa": "thị xã", "thanh pho": "thành phố", "tp": "thành phố"}


@dataclass
class Scope:
    provinces: dict[str, str]  # folded province -> as printed, for the documents' own provinces
    text: str  # every clause, folded, with the document titles and numbers
    # pattern -> whether it occurs in `text`: each search reads the whole corpus, and questions
    # name the same numbers and places again and again (the text never changes for a Scope)
    _found: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def finds(self, pattern: str) -> bool:
        """re.search(pattern, self.text) is not None, remembered."""
        got = self._found.get(pattern)
        if got is None:
            if len(self._found) > 4096:
                self._found.clear()
            got = self._found[pattern] = re.search(pattern, self.text) is not None
        return got

    @classmethod
    def from_index(cls, documents: dict, clauses: list[Clause]) -> "Scope":
        provinces = {fold(d.province): d.province for d in documents.values() if d.province}
        parts = [c.text for c in clauses] + [f"{d.title} {d.number or ''}" for d in documents.values()]
        return cls(provinces, fold(" ".join(parts)))

    def has_number(self, kind: str, number: str) -> bool:
        """'ke hoach', '376' -> True when '376-KH…', a state number '99/2025/NQ-HĐND' (number, year, code:
        Nghị định 30/2020/NĐ-CP) or 'Kế hoạch (số) 376' is in the corpus."""
        n = number.lstrip("0") or "0"
        code = KIND_CODES[kind]
        return self.finds(rf"(?<![\d.,/]){'0*' + n}\s*-\s*{code}") \
            or self.finds(rf"(?<![\d.,/]){'0*' + n}\s*/\s*(?:19|20)\d\d\s*/\s*{code}\b") \
            or self.finds(rf"\b{kind}\s+(?:so\s+)?0*{n}\b")

    def named_numbers(self, q: Question) -> list[tuple[str, str]]:
        """Loosely written document numbers: 'kh 512', 'Nghị quyết 57', 'nqlt 102' (years are not numbers)."""
        out = []
        for m in _LOOSE_NUMBER.finditer(q.folded):
            if re.fullmatch(r"(19|20)\d\d", m.group(2)):
                continue
            out.append((CODE_KINDS.get(m.group(1), m.group(1)), m.group(2)))
        return out

    def outside(self, q: Question, top: list[Clause]) -> str | None:
        """Why the corpus cannot answer what `q` names (a Vietnamese phrase), or None."""
        if q.province and fold(q.province) not in self.provinces:
            named = fold(q.province)
            if not any(named in fold(c.text + " " + " ".join(c.heading_path)) for c in top):
                return f"kho văn bản chưa có văn bản của tỉnh {q.province}"
        for kind, number in self.named_numbers(q):
            if not self.has_number(kind, number):
                return f"kho văn bản không có {_display(kind)} số {number}"
        book = self.rulebook(q)
        if book and not any(_cites_content(fold(c.text), book) for c in top):
            return f"kho văn bản không có nội dung của {RULEBOOKS[book]}"
        place = self.unknown_place(q)
        if place:
            return f"kho văn bản không có nội dung về {place}"
        for year in _YEAR.findall(q.folded):
            if year not in self.text:
                return f"kho văn bản không có nội dung về năm {year}"
        return None


    def rulebook(self, q: Question) -> str | None:
        """'dieu le dang' when the question asks what the Party Charter (a law, the Constitution) says."""
        m = _BOOK_ASKED.search(q.folded)
        return (m.group(1) or m.group(2)) if m else None

    def unknown_place(self, q: Question) -> str | None:
        """'huyện Định Hóa' when the question names a district or town the corpus never writes."""
        if q.province:
            return None
        aligned = fold_aligned(q.typed or q.text)
        for m in _PLACE.finditer(q.folded):
            name = m.group(2)
            if name in STOPWORDS or name in {"uy", "thi", "xa", "pho", "nao", "minh", "truc"}:
                continue
            if self.finds(rf"\b{m.group(1)} {name}\b") \
                    or re.search(r"\b(cac|nhung|moi|tung)\s*$", q.folded[:m.start()]):
                continue  # a district the corpus names, or "các huyện" in general
            words = [w for w in (m.group(2), m.group(3)) if w and w not in STOPWORDS]
            # a name is what the corpus never writes: "đạt chuẩn" after "huyện" is ordinary words
            if self.finds(rf"\b{' '.join(words)}\b") if len(words) > 1 else len(words) == 0 or \
                    self.finds(rf"\b{words[0]}\b"):
                continue
            shown = " ".join(words)
            at = re.search(rf"\b{re.escape(shown)}\b", aligned)
            if at:  # as typed (accents and capitals kept)
                shown = (q.typed or q.text)[at.start():at.end()]
            return f"{_PLACE_WORDS[m.group(1)]} {shown.title() if shown.islower() else shown}"
        return None


def _cites_content(text: str, book: str) -> bool:
    """The clause says something about `book` — not only 'Căn cứ Điều lệ Đảng …'."""
    key = r"(?<!ky )(?<!phap )(?<!bo )luat" if book == "luat" else re.escape(book)
    return bool(re.search(rf"\b{key}\b", text)) and not text.startswith("can cu")


def _display(kind: str) -> str:
    return FOLDED.get(kind, kind)
