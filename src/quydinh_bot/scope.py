"""What the corpus holds — provinces, document numbers, years — read from the index itself, so
a question that names something outside it is declined with the reason instead of being
answered with another province's or another document's clause.

"Kế hoạch 376" is held (a document's number, or a code its text cites: "56-NQ/TU"); "KH 512"
is not. Lào Cai is not a province of any document and is named by no clause the question found."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .query import Query
from .records import Clause
from .text import fold

# document kinds as typed (after short forms are written out) -> their code in a number
KIND_CODES = {"ke hoach": "kh", "chuong trinh": "ctr", "nghi quyet": "nq", "quyet dinh": "qd", "chi thi": "ct",
              "cong van": "cv", "bao cao": "bc", "ket luan": "kl", "huong dan": "hd", "thong bao": "tb",
              "de an": "da", "quy dinh": "qd"}
_LOOSE_NUMBER = re.compile(rf"\b({'|'.join(sorted(KIND_CODES, key=len, reverse=True))})\s+(?:so\s+)?(\d{{1,4}})\b(?![-/]\d)")
_YEAR = re.compile(r"(?<![\d/.,-])((?:19|20)\d\d)(?![\d/.,%-])")


@dataclass
class Scope:
    provinces: dict[str, str]  # folded province -> as printed, for the documents' own provinces
    text: str  # every clause, folded, with the document titles and numbers

    @classmethod
    def from_index(cls, documents: dict, clauses: list[Clause]) -> "Scope":
        provinces = {fold(d.province): d.province for d in documents.values() if d.province}
        parts = [c.text for c in clauses] + [f"{d.title} {d.number or ''}" for d in documents.values()]
        return cls(provinces, fold(" ".join(parts)))

    def has_number(self, kind: str, number: str) -> bool:
        """'ke hoach', '376' -> True when '376-KH…' or 'Kế hoạch (số) 376' is in the corpus."""
        n = number.lstrip("0") or "0"
        code = KIND_CODES[kind]
        return bool(re.search(rf"(?<![\d.,/]){'0*' + n}\s*-\s*{code}", self.text)
                    or re.search(rf"\b{kind}\s+(?:so\s+)?0*{n}\b", self.text))

    def named_numbers(self, q: Query) -> list[tuple[str, str]]:
        """Loosely written document numbers: 'kh 512', 'Nghị quyết 57' (years are not numbers)."""
        out = []
        for m in _LOOSE_NUMBER.finditer(q.folded):
            if re.fullmatch(r"(19|20)\d\d", m.group(2)):
                continue
            out.append((m.group(1), m.group(2)))
        return out

    def outside(self, q: Query, top: list[Clause]) -> str | None:
        """Why the corpus cannot answer what `q` names (a Vietnamese phrase), or None."""
        if q.province and fold(q.province) not in self.provinces:
            named = fold(q.province)
            if not any(named in fold(c.text + " " + " ".join(c.heading_path)) for c in top):
                return f"kho văn bản chưa có văn bản của tỉnh {q.province}"
        for kind, number in self.named_numbers(q):
            if not self.has_number(kind, number):
                return f"kho văn bản không có {_display(kind)} số {number}"
        for year in _YEAR.findall(q.folded):
            if year not in self.text:
                return f"kho văn bản không có nội dung về năm {year}"
        return None


_DISPLAY = {"ke hoach": "kế hoạch", "chuong trinh": "chương trình", "nghi quyet": "nghị quyết",
            "quyet dinh": "quyết định", "chi thi": "chỉ thị", "cong van": "công văn", "bao cao": "báo cáo",
            "ket luan": "kết luận", "huong dan": "hướng dẫn", "thong bao": "thông báo", "de an": "đề án",
            "quy dinh": "quy định"}


def _display(kind: str) -> str:
    return _DISPLAY.get(kind, kind)
