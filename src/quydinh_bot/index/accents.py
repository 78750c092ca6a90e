"""Accent restoration: unaccented words ("so hoa tai lieu") given back their accents from the corpus's
own n-gram counts, which the index keeps per document (`grams.py`). Built at index time, asked at
question time (`question.query`)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from quydinh_bot.config import LEXICON_DIR
from quydinh_bot.files import write_atomic
from quydinh_bot.language.text import fold, has_diacritics, normalize

WORD_START = re.compile(r"\w")  # a token that starts with a letter or digit (the restorer asks it per word)
# a document code ("272-BC/TU", "01-CTr/BTCTU") is no words: the restorer keeps it whole ("TU ve" is not "tự
# vệ"), and the background leaves it out of its counts ("…-BC/TU ngày" is no "tu ngày")
DOCUMENT_CODE = r"\d{1,4}\s*-\s*[A-Za-zĐđ]+(?:/[A-Za-zĐđ]+)*"
TOKENS = re.compile(rf"{DOCUMENT_CODE}|[\wÀ-ỹĐđ]+|[^\w\s]")  # the words, codes and marks a question is read in

# question phrases, restored before the corpus's n-grams are asked ("bao nhieu" is "bao nhiêu" even
# where the corpus has "bảo nhiều")
QUESTION_WORDS = {
    "ai": "ai", "chu tri": "chủ trì", "khi nao": "khi nào", "bao gio": "bao giờ", "bao nhieu": "bao nhiêu",
    "han": "hạn", "thoi han": "thời hạn", "nhung gi": "những gì", "co quan nao": "cơ quan nào",
    "nhiem vu nao": "nhiệm vụ nào", "la gi": "là gì", "the nao": "thế nào", "nhu the nao": "như thế nào",
    "ty le": "tỷ lệ", "chi tieu": "chỉ tiêu", "phu trach": "phụ trách", "trach nhiem": "trách nhiệm",
    "bao lau": "bao lâu", "ra sao": "ra sao", "gom": "gồm", "nhung": "những", "cu the": "cụ thể",
    "hay cho biet": "hãy cho biết", "cho biet": "cho biết", "duoc khong": "được không", "la bao nhieu": "là bao nhiêu",
    "dau": "đâu", "o dau": "ở đâu", "ve dau": "về đâu", "tu dau": "từ đâu", "lay tu dau": "lấy từ đâu",
    "vi sao": "vì sao", "co phai": "có phải", "co duoc": "có được",
    "tai sao": "tại sao", "may": "mấy", "chua": "chưa", "khong": "không", "nao": "nào", "gi": "gì",
    "phan tram": "phần trăm", "so luong": "số lượng", "bao nhieu phan tram": "bao nhiêu phần trăm",
    "ai chu tri": "ai chủ trì", "han chot": "hạn chót", "thang may": "tháng mấy", "thang nao": "tháng nào",
    "nam nao": "năm nào", "ngay nao": "ngày nào", "ngay may": "ngày mấy", "sau may ngay": "sau mấy ngày",
    "ai lo": "ai lo", "ai lam": "ai làm", "bao gio xong": "bao giờ xong", "khi nao xong": "khi nào xong",
    "lam gi": "làm gì", "nv gi": "nhiệm vụ gì",
    "may nguoi": "mấy người", "may can bo": "mấy cán bộ", "may dong chi": "mấy đồng chí",
    "may truong hop": "mấy trường hợp",
    "may ngay": "mấy ngày", "may buoc": "mấy bước", "may to chuc": "mấy tổ chức", "may dang vien": "mấy đảng viên",
    "trong de an": "trong đề án", "trong ke hoach": "trong kế hoạch", "trong chuong trinh": "trong chương trình",
    "trong bao cao": "trong báo cáo", "cua de an": "của đề án", "theo de an": "theo đề án",
    "theo ke hoach": "theo kế hoạch",
    "may cong chuc": "mấy công chức", "may nhiem vu": "mấy nhiệm vụ", "may lan": "mấy lần",
}
# "mấy" before a unit of time or a classifier asks how many ("mấy tháng", "mấy người"): Vietnamese grammar,
# not one document's words. "máy" names a machine by what follows, never by a unit ("máy nổ mìn", "máy tính"),
# so "may" + one of these is "mấy" even where the corpus writes "máy" far more often than "mấy".
COUNTED = ("ngày", "tháng", "năm", "tuần", "giờ", "phút", "buổi", "tiết", "quý", "kỳ", "đợt", "khóa", "lần",
           "người", "cái", "chiếc", "bước", "loại", "bản", "nhóm", "đoàn", "điểm", "đồng", "cấp", "giai đoạn",
           "thành viên", "học viên", "đơn vị", "cơ quan", "nội dung", "văn bản", "xã", "huyện", "tỉnh")
QUESTION_WORDS.update({f"may {fold(u)}": f"mấy {u}" for u in COUNTED})
# after what numbers a thing ("số mấy", "điều mấy", "tầng mấy") it asks which one ("nhà máy", "phòng máy" are
# places, so not those)
NUMBERED = ("số", "điều", "khoản", "mục", "chương", "phần", "tầng", "thứ", "khóa", "kỳ", "lần")
QUESTION_WORDS.update({f"{fold(n)} may": f"{n} mấy" for n in NUMBERED})


# The background of written forms: the unigrams and bigrams the seed corpus (corpus/, the project's own
# documents) writes at least twice, with their counts (eval/mixed/build_prior.py writes it). A corpus of one
# short document does not write "này", "phải", "lớp", "gửi", "ở"; the restorer reads a key here only where the
# corpus itself never writes it, so a corpus's own forms always win.
BACKGROUND_FILE = LEXICON_DIR / "accent_prior.tsv"
BACKGROUND_N = 2
BACKGROUND_MIN = 2


@lru_cache(maxsize=1)
def background_forms() -> dict[str, dict[str, int]]:
    """folded key -> {form: count} of the background (empty without the file)."""
    out: dict[str, dict[str, int]] = {}
    if not BACKGROUND_FILE.exists():
        return out
    for line in BACKGROUND_FILE.read_text(encoding="utf-8").splitlines()[1:]:
        key, form, count = line.split("\t")
        out.setdefault(key, {})[form] = int(count)
    return out




def write_background(texts: list[str], path: Path = BACKGROUND_FILE) -> int:
    """Write the background from the seed texts (document codes left out); returns the keys kept."""
    counts = AccentRestorer.counts([re.sub(DOCUMENT_CODE, " ", t) for t in texts])
    keep = {k: v for k, v in counts.items() if len(k.split()) <= BACKGROUND_N and sum(v.values()) >= BACKGROUND_MIN}
    lines = ["key\tform\tcount"] + [f"{k}\t{form}\t{n}" for k in sorted(keep)
                                     for form, n in sorted(keep[k].items(), key=lambda kv: (-kv[1], kv[0]))]
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return len(keep)


class AccentRestorer:
    """Puts accents back on unaccented words using the corpus's own n-gram counts.

    Built from the clause texts at index time; restores greedily, longest n-gram first, so
    'so hoa tai lieu' -> 'số hóa tài liệu' because that 4-gram occurs in the corpus."""

    MAX_N = 4

    def __init__(self, table: Mapping[str, str | dict[str, int]] | None = None):
        # a value is the usual form, or every form the corpus writes with its count
        forms: dict[str, dict[str, int]] = {}
        usual: dict[str, str] = {}
        for key, v in (table or {}).items():
            if isinstance(v, dict):
                usual[key] = max(v.items(), key=lambda kv: kv[1])[0]
                forms[key] = v
            else:
                usual[key] = v
        # key -> every form with its count; key -> its commonest form (a stored index's are looked up lazily)
        self.forms: Mapping[str, dict[str, int]] = forms
        self.table: Mapping[str, str] = usual

    @classmethod
    def counts(cls, texts: list[str]) -> dict[str, dict[str, int]]:
        """Every written form of each folded n-gram (n ≤ MAX_N) of `texts`, with its count."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for t in texts:
            toks = re.findall(r"[\wÀ-ỹĐđ]+", normalize(t).lower())
            keys = [fold(w) for w in toks]  # fold works letter by letter: an n-gram's key is its words' keys
            for n in range(1, cls.MAX_N + 1):
                for i in range(len(toks) - n + 1):
                    counts[" ".join(keys[i:i + n])][" ".join(toks[i:i + n])] += 1
        return {k: dict(c) for k, c in counts.items()}

    @classmethod
    def from_texts(cls, texts: list[str]) -> "AccentRestorer":
        return cls(cls.counts(texts))

    def _count(self, words: list[str]) -> int:
        """How often the corpus writes these words exactly so (lower-case)."""
        form = " ".join(words).lower()
        return self.forms.get(fold(form), {}).get(form, 0)

    def _fits_next(self, got: list[str], toks: list[str], j: int, end: int) -> bool:
        """A multi-word n-gram's last word must also read right with the next word, unless the n-gram
        is the more common: before 'xuat', 'xa phuong de' is cut short ('đề xuất', never 'để xuất')."""
        if j >= end or not WORD_START.match(toks[j]) or has_diacritics(toks[j]):
            return True
        forms = self.forms.get(fold(f"{got[-1]} {toks[j]}"), {})
        return (not forms or any(f.split()[0] == got[-1].lower() for f in forms)
                or max(forms.values()) <= self._count(got))

    def _form(self, key: str, prev: str | None) -> str:
        """The commonest form of `key`; on a tie, one the word before also goes with ('cơ' + 'so co
        trinh do' is 'cơ sở có trình độ' where the corpus has 'số có…' and 'sở có…' once each)."""
        forms = self.forms.get(key)
        if not forms or not prev:
            return self.table[key]
        top = max(forms.values())
        tied = [f for f, n in forms.items() if n == top]
        return next((f for f in tied if self._count([prev, f.split()[0]])), self.table[key])

    def _after(self, prev: str, tok: str, alone: str) -> str | None:
        """A lone word read with the word before it: 'cơ' + 'so' is 'cơ sở' although 'so' alone
        is most often 'số'; only where that pair is attested more than once and `alone` never follows."""
        key = fold(f"{prev} {tok}")
        if self._count([prev, alone]):
            return None
        fits = [(n, f) for f, n in self.forms.get(key, {}).items()
                if f.split()[0] == prev.lower() and len(f.split()) == 2 and n >= 2]
        return max(fits)[1].split()[1] if fits else None

    def _before(self, tok: str, nxt: str) -> str | None:
        """`tok` as the corpus writes it before the word `nxt` (already accented), the commonest such pair."""
        fits = [(n, f.split()[0]) for f, n in self.forms.get(fold(f"{tok} {nxt}"), {}).items()
                if len(f.split()) == 2 and f.split()[1] == nxt.lower()]
        return max(fits)[1] if fits else None

    def _longest(self, toks: list[str], i: int, end: int, tables: tuple[Mapping[str, str], ...],
                 prev: str | None = None) -> tuple[str, int] | None:
        """The longest known n-gram starting at `i` (not past `end`), first table first on ties.

        Words already accented are anchors: an n-gram may span them only where it writes them
        the same way ('khoa học' for 'khoa' + 'học', never 'khóa học')."""
        if has_diacritics(toks[i]):
            return None
        for n in range(min(self.MAX_N, end - i), 0, -1):
            window = toks[i:i + n]
            if not all(WORD_START.match(w) for w in window):
                continue
            key = fold(" ".join(window))
            for table in tables:
                if key in table:
                    got = (self._form(key, prev) if table is self.table else table[key]).split()
                    if len(got) == n and all(not has_diacritics(w) or g.lower() == w.lower()
                                             for g, w in zip(got, window)):
                        if n > 1 and table is self.table and not self._fits_next(got, toks, i + n, end):
                            continue
                        return " ".join(got), n
        return None

    def restore(self, text: str) -> str:
        toks = TOKENS.findall(text)  # document codes stay whole
        # 1. question phrases of two or more syllables are fixed first ("bao nhieu" is
        #    "bao nhiêu" even where the corpus has "bảo nhiều"), 2. the gaps get the longest
        #    n-grams the corpus itself uses.
        fixed: dict[int, tuple[str, int]] = {}
        i = 0
        while i < len(toks):
            hit = self._longest(toks, i, len(toks), (QUESTION_WORDS,))
            if hit and hit[1] >= 2:
                fixed[i] = hit
                i += hit[1]
            else:
                i += 1
        # "số mấy?", "điều mấy", "tầng mấy": "may" that ends the question (or its clause) asks which number
        covered = {j for at, (_, n) in fixed.items() for j in range(at, at + n)}
        for i, tok in enumerate(toks):
            if tok.lower() == "may" and i not in covered and (i + 1 == len(toks) or not WORD_START.match(toks[i + 1])):
                fixed[i] = ("mấy", 1)
        out: list[str] = []
        i = 0
        while i < len(toks):
            if i in fixed:
                out.append(fixed[i][0])
                i += fixed[i][1]
                continue
            if not WORD_START.match(toks[i]):
                out.append(toks[i])
                i += 1
                continue
            end = min([j for j in fixed if j > i] + [len(toks)])
            prev = out[-1].split()[-1] if out and WORD_START.match(out[-1]) else None
            hit = self._longest(toks, i, end, (self.table, QUESTION_WORDS), prev)
            # a lone word cut short by a question phrase after it reads with that phrase's first word, as
            # the corpus writes the pair ("tu" + "ngày nào": "từ ngày"), before the word ahead of it
            ahead = hit is not None and hit[1] == 1 and i + 1 == end and end in fixed
            before = self._before(toks[i], fixed[end][0].split()[0]) if ahead else None
            if before:
                hit = (before, 1)
            elif hit and hit[1] == 1 and prev:
                word = self._after(prev, toks[i], hit[0])
                if word and word != hit[0].lower():
                    hit = (word, 1)
            if hit:
                out.append(hit[0])
                i += hit[1]
            else:
                out.append(toks[i])
                i += 1
        text = " ".join(out)
        return re.sub(r"\s+([,.;:?!)])", r"\1", re.sub(r"([(])\s+", r"\1", text))
