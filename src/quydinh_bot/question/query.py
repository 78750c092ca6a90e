"""Query understanding: what the person asked for, typed however they typed it.

- unaccented questions ("ai chu tri so hoa tai lieu") get their accents restored from the
  corpus's own vocabulary (n-grams of the clause texts), so dense search sees real Vietnamese;
- abbreviations are expanded (TCCSĐ -> tổ chức cơ sở đảng, UBKT -> Ủy ban Kiểm tra …);
- the intent (who leads / when / how many / which tasks / what does X say) and named filters
  (document number, province, body, month/quarter/year) are read from the words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from quydinh_bot.config import LEXICON_DIR
from quydinh_bot.index.accents import QUESTION_WORDS, AccentRestorer
from quydinh_bot.language.bodies import abbreviations, find_bodies
from quydinh_bot.language.text import fold, folded_words, has_diacritics, normalize, written_words

from .asked import BODY_ASKED, asked_kinds, split_asked
from .kinds import DOC_NUMBER, FOLDED, PLAN_FOLDED
from .shortforms import cue_words, expand_shortforms, loose_dates

if TYPE_CHECKING:
    from .register import RegisterQuestion

_DATA = LEXICON_DIR


@lru_cache(maxsize=1)
def _province_table() -> list[tuple[str, bool]]:
    """(name, strict) from data/provinces.tsv, longest name first."""
    rows = []
    for line in (_DATA / "provinces.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            rows.append((normalize(cols[0].strip()), len(cols) > 1 and cols[1].strip() == "strict"))
    return sorted(rows, key=lambda r: -len(r[0]))


PROVINCES = [name for name, _ in _province_table()]
_PROVINCE_PREFIX = r"(?:tinh|thanh pho|tp\.?|dang bo tinh|tinh uy)\s+"


def find_province(text: str) -> str | None:
    """The province a question names: 'tinh lao cai' -> 'Lào Cai'. A name that is also an
    ordinary phrase ('hòa bình', 'Hồ Chí Minh' in 'tư tưởng Hồ Chí Minh') counts only after
    'tỉnh / thành phố'."""
    folded = fold(text)
    for name, pattern in _province_patterns():
        if pattern.search(folded):
            return name
    return None


@lru_cache(maxsize=1)
def _province_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(name, pattern) in table order, compiled once (every question reads every province)."""
    out = []
    for name, strict in _province_table():
        key = re.escape(fold(name))
        out.append((name, re.compile(rf"\b{_PROVINCE_PREFIX}{key}\b" if strict else rf"\b{key}\b")))
    return out

# Question words carry the intent, not the topic: they are kept out of topical matching.
_INTENT_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("lead", re.compile(rf"^(ai|(?:{BODY_ASKED}) nao)\b"
                        r"|\b(ai|nguoi nao|co quan nao|don vi nao|ban nao|cap nao|noi nao)\b.{0,20}"
                        r"\b(chu tri|phu trach|thuc hien|lam)\b"
                        r"|\bdo (ai|nguoi nao|co quan nao|don vi nao)\b"
                        r"|\b(ai|co quan nao|don vi nao) chu tri\b|\bchu tri\b"
                        r"|\bco trach nhiem gi\b|\btrach nhiem (gi|cua ai)\b|\bphu trach\b|\bphai .* nhu the nao\b"
                        r"|\b(?:ai|nguoi nao) (lo|lam|to chuc|ban hanh|thuc hien|tham muu|chi dao|lanh dao|dam nhan"
                        r"|phu trach)\b"
                        r"|\b(don vi|co quan|ban) nao (lo|lam)\b")),
    # by when: any question asking a time (`asked.asked_kinds`, the one reading of times), and these
    # words that ask a deadline only ("hạn", "xong chưa", "thời gian thực hiện", "trong bao lâu")
    ("deadline", re.compile(r"\bbao lau\b|\bthoi gian (thuc hien|hoan thanh)\b|\bhan hoan thanh\b"
                            r"|\b(nam|quy) may\b|\bquy nao\b|\bsau may ngay\b"
                            r"|\bxong (chua|khi nao)\b|\bhan\b(?!\s+che)")),
    ("fact", re.compile(r"\bbao nhieu\b|\bty le\b|\bchi tieu\b|\bso luong\b|\bphan tram\b"
                        r"|\bmay (nguoi|to chuc|dang vien|chi bo)\b|\b(co|gom) may\b"
                        r"|\bcon so\b|\bdat bao\b|\btong so\b"
                        r"|\bmay (nguoi|can bo|dong chi|truong hop|to chuc|dang bo|phan tram)\b|\bbao nhieu\b")),
    ("list", re.compile(r"\bnhung (nhiem vu|viec|noi dung|gi)\b|\bgom nhung\b|\bcac nhiem vu\b|\bliet ke\b"
                        r"|\b(cac|nhung) buoc\b|\bbuoc nao\b"
                        r"|\bnhiem vu (trong tam )?nao\b|\bnhung nhiem vu nao\b")),
]
STOPWORDS = set("""ai gi nao la cua va cac cho voi trong ve thi co khong duoc mot nhung nhu the nay do sao bao nhieu
khi han phai de den tu theo tai hay hoi xin vui long giup toi minh ban oi a u nhe vay chu tri o ra
lo xong may gio chot truoc nop con nua roi da se buoc day""".split())  # "còn hạn khi nào?", "gì nữa", "xong rồi";
# "đây" points ("trước đây", "ở đây"), as "này" and "đó" do; "đã", "sẽ" mark tense; "gồm những bước nào",
# "các bước …" ask for a list (detect_intent): the steps are the answer
DOC_KINDS = PLAN_FOLDED  # folded kind -> kind, of the documents a question may be about ("Đề án được …")
# Words that name what is asked about only in general — a task, a piece of work, a document, its content
# ("hạn nhiệm vụ", "ai chủ trì việc này", "văn bản nói gì"): the question says it is about something, not what.
GENERAL_WORDS = frozenset({"nhiem_vu", "viec", "cong_viec", "noi_dung", "van_ban", "van_de", "cai", "nay", "kia",
                           "hien_nay", "bay_gio", "hom_nay"})
_KIND_WORDS = frozenset(k.replace(" ", "_") for k in FOLDED) | frozenset(FOLDED)
_DATE_WORD = re.compile(r"^(?:[\d/.,-]+|nam|thang|quy|ngay|tuan|dot)$")

_LAW_NUMBER = re.compile(r"\b(nghi dinh|thong tu|luat|quyet dinh|chi thi|nghi quyet)\s+"
                         r"(?:so\s+)?(\d{1,4}/\d{4}(?:/[a-z\-]+)?)")
_MONTH = re.compile(r"\bthang\s+(\d{1,2})\s*/\s*(\d{4})\b")
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\s*/\s*(\d{4})\b")
_YEAR = re.compile(r"\bnam\s+(20\d\d)\b")
# a year typed alone ("chỉ tiêu kết nạp đảng viên 2026"), not a range, a date, a number or a term
_BARE_YEAR = re.compile(r"(?<![\d/.,-])(?<![\d/.,-] )(?<!so )(?<!ky )(?<!doan )\b(20\d\d)\b(?!\s*[/.,%-]\s*\d)")
_MONTH_ONLY = re.compile(r"\bthang\s+(1[0-2]|0?[1-9])\b(?!\s*/)")


@dataclass
class Question:
    """One reading of a question, made once (`parse_query`, then `Searcher.read` for what the corpus
    says of the names in it) and read by search, the register path and the answer alike."""
    raw: str
    text: str  # normalised, accents as typed
    folded: str
    accented: bool
    restored: str  # accent-restored (or the text itself when it had accents)
    expanded: str  # restored + abbreviations expanded: what dense search reads
    intent: str
    wants_deadline: bool = False
    wants_lead: bool = False
    doc_numbers: list[str] = field(default_factory=list)  # "376-KH/TU" as typed, normalised
    law_numbers: list[str] = field(default_factory=list)  # "100/2019" from "Nghị định 100/2019"
    province: str | None = None
    bodies: list[str] = field(default_factory=list)
    month: tuple[int, int] | None = None
    month_only: int | None = None  # "tháng 9" without a year
    typed: str = ""  # short forms and loose dates written out, accents as typed
    year: int | None = None
    content_tokens: list[str] = field(default_factory=list)  # folded syllables that carry the topic
    content_words: list[str] = field(default_factory=list)  # folded pyvi words that carry the topic
    subject_bodies: list[str] = field(default_factory=list)  # bodies the question is about as actors
    doc_kind: str | None = None  # "Đề án được thực hiện …": the question is about a document of this kind
    topic_typed: str = ""  # `typed` without the asked phrase ("ai lãnh đạo, chỉ đạo"): what lexical search weighs fully
    topic_expanded: str = ""  # `expanded` without the asked phrase
    asked_typed: str = ""  # the asked phrase's own words ("lãnh đạo chỉ đạo", "gửi"), weighed lightly
    asked_expanded: str = ""
    asked_words: list[str] = field(default_factory=list)  # folded pyvi words of the asked phrase
    asks: frozenset[str] = frozenset()  # kinds of thing asked for: time, duration, place, document, recipient
    # folded word of the topic or the asked phrase -> as written (normalised, lower case: "toàn_bộ"): how a word
    # neither the corpus nor the seed background uses is weighed (index/weights.py)
    written: dict[str, str] = field(default_factory=dict)
    month_forms: frozenset[str] = frozenset()  # how a clause writes `month`, folded: "thang 09/2025" …
    month_only_pattern: re.Pattern[str] | None = None  # "tháng 9" asked without a year, as a clause writes it
    subject_folded: tuple[str, ...] = ()  # `subject_bodies`, folded
    # the topic proper: `content_words` without the words of the bodies, dates and document kinds it names and
    # without words that name a task or document in general ("nhiệm vụ", "việc", "văn bản"); empty for "ai chủ
    # trì", "hạn", "Tỉnh ủy", "năm 2026", "kế hoạch" — a question that says what it asks but not about what
    topic_words: list[str] = field(default_factory=list)

    @property
    def names_document(self) -> bool:
        """The question names a document: by number ('376-KH/TU', 'kh 376', 'Nghị định 100/2019') or title."""
        return bool(self.doc_numbers or self.law_numbers or self.number_docs or self.title_docs)

    @property
    def vague(self) -> bool:
        """Too vague to look up: no topic of its own and no document named (after `Searcher.read`): "?",
        "hạn", "ai chủ trì", "bao nhiêu", "Tỉnh ủy", "năm 2026" — it should be asked back, not answered."""
        return not self.topic_words and not self.names_document
    # -- what the corpus says of what the question names (set by `Searcher.read`, once) --
    resolved: bool = False  # whether `Searcher.read` has filled the fields below
    title_docs: frozenset[str] = frozenset()  # documents named by (much of) their title or their kind
    number_docs: frozenset[str] = frozenset()  # documents named by a loose number of their own: "kh 376"
    doc_number_ids: tuple[str | None, ...] = ()  # the document of each of `doc_numbers`, None if not held
    corpus_province: str = ""  # `province`, folded, when some document of the corpus is of it
    expansions: dict[str, list[str]] = field(default_factory=dict)  # short form used -> its expansion's words
    register: RegisterQuestion | None = None  # the register filter asked for, when it asks one


@lru_cache(maxsize=1)
def _abbreviation_keys() -> frozenset[str]:
    """The abbreviations as printed and folded ("ĐA", "DA"): what a 'num' short form may precede."""
    return frozenset(map(fold, abbreviations())) | frozenset(abbreviations())


def expand_abbreviations(text: str) -> str:
    """'TCCSĐ ở Thái Nguyên' -> 'tổ chức cơ sở đảng (TCCSĐ) ở Thái Nguyên' (both forms kept)."""
    out = text
    for pattern, replacement in _abbreviation_rules():
        out = pattern.sub(replacement, out)
    return out


@lru_cache(maxsize=1)
def _abbreviation_rules() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, replacement) per abbreviation, longest first, compiled once."""
    rules = []
    for abbr, full in sorted(abbreviations().items(), key=lambda kv: -len(kv[0])):
        if len(abbr) < 2 or abbr in {"TU", "TW", "KH", "BC", "CT", "HD", "NQ", "ĐA", "QĐ", "KL", "CTr"}:
            continue  # document-code parts: expanding them would break "376-KH/TU"
        # phones type "ubkt", "hdnd": from three letters on, any case and đ as d match too
        forms = {abbr, fold(abbr)} if len(abbr) >= 3 else {abbr}
        flags = re.IGNORECASE if len(abbr) >= 3 else 0
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        rules.append((re.compile(rf"(?<![\w/-])(?:{alternation})(?![\w/-])", flags), f"{full} ({abbr})"))
    return rules


def content_words(text: str) -> list[str]:
    """Folded pyvi words minus question/function words: 'điểm_chuẩn', 'đại_học', '2025'."""
    cues = cue_words()
    return [w for w in folded_words(text)
            if w not in STOPWORDS and w.replace("_", " ") not in QUESTION_WORDS and w.replace("_", " ") not in cues]


# a word that asks who: without one, "chủ trì" in a how-many question names what is paid or counted
# ("bồi dưỡng chủ trì cuộc họp bao nhiêu"), not who leads
_WHO = re.compile(rf"\b(ai|(?:{BODY_ASKED}|noi|nguoi) nao)\b")  # "người nào" asks who, as "ai" does


def detect_intent(folded: str, asks: frozenset[str] | None = None) -> tuple[str, bool, bool]:
    """(intent, wants_lead, wants_deadline) from the folded question; `asks`: its `asked_kinds`."""
    hits = {name for name, rx in _INTENT_CUES if rx.search(folded)}
    asks = asked_kinds(folded) if asks is None else asks
    if "signer" in asks:
        hits.discard("lead")  # "do ai ký": the signature block answers, not a body that leads a task
    if "fact" in hits and "lead" in hits and not _WHO.search(folded):
        hits.discard("lead")
    if "time" in asks:
        hits.add("deadline")
    wants_lead, wants_deadline = "lead" in hits, "deadline" in hits
    for name in ("lead", "deadline", "fact", "list"):
        if name in hits:
            return name, wants_lead, wants_deadline
    return "clause", wants_lead, wants_deadline


def parse_query(question: str, restorer: AccentRestorer | None = None) -> Question:
    text = re.sub(r"\s+", " ", normalize(question)).strip()
    # "đ" alone does not make a question accented: phone keyboards give "đ" to people who type no tones
    accented = has_diacritics(text.replace("đ", "d").replace("Đ", "D"))
    typed = loose_dates(expand_shortforms(text, _abbreviation_keys()))
    folded = fold(typed)
    # a question typed unaccented stays "unaccented" even where short forms were written out
    restored = typed if accented or restorer is None else restorer.restore(typed)
    expanded = expand_abbreviations(restored)
    asks = asked_kinds(folded)
    intent, wants_lead, wants_deadline = detect_intent(folded, asks)
    q = Question(raw=question, text=text, folded=folded, accented=accented, restored=restored, expanded=expanded,
              intent=intent, wants_lead=wants_lead, wants_deadline=wants_deadline, typed=typed, asks=asks)
    for number in DOC_NUMBER.finditer(text):
        q.doc_numbers.append(re.sub(r"\s+", "", number.group(0)).upper().replace("Đ", "Đ"))
    q.law_numbers = [m.group(2) for m in _LAW_NUMBER.finditer(folded)]
    q.province = find_province(typed)
    found = find_bodies(restored)
    q.bodies = list(dict.fromkeys(b.canonical for b in found))
    for b in found:
        # the body the question is about as the one who acts: it opens the question (after at
        # most two cue words such as "hạn chót"), owns the task ("nhiệm vụ của …"), or is
        # followed by "chủ trì / phải / có trách nhiệm" without being the object of another
        # body's "chỉ đạo / hướng dẫn …"
        before = fold(restored[:b.start]).split()
        after = fold(restored[b.end:b.end + 24])
        governed = re.search(r"\b(chi dao|lanh dao|huong dan|phoi hop|giup|tham muu|voi)\b", " ".join(before[-8:]))
        acts = re.match(r"[\s,]*(\w+\s+){0,2}"
                        r"(chu tri|phai|co trach nhiem|duoc giao|(?:can |phai )?(?:lam|thuc hien) (?:nhung )?gi)\b",
                        after)
        if len(before) <= 2 or before[-1:] == ["cua"] or (acts and not governed):
            q.subject_bodies.append(b.canonical)
    if m := _MONTH.search(folded):
        q.month = (int(m.group(2)), int(m.group(1)))
    elif m := _MONTH_ONLY.search(folded):
        q.month_only = int(m.group(1))
    if m := _YEAR.search(folded):
        q.year = int(m.group(1))
    elif len(bare := set(_BARE_YEAR.findall(folded))) == 1:
        q.year = int(bare.pop())
    if q.month:
        y, mo = q.month
        q.month_forms = frozenset({f"thang {mo:02d}/{y}", f"thang {mo}/{y}", f"thang {mo:02d} nam {y}",
                                   f"thang {mo} nam {y}"})
    elif q.month_only:
        q.month_only_pattern = re.compile(rf"\bthang 0?{q.month_only}(/|\b)")
    q.subject_folded = tuple(fold(b) for b in q.subject_bodies)
    q.topic_typed, q.asked_typed = split_asked(typed)
    q.topic_expanded, q.asked_expanded = split_asked(expanded)
    q.content_tokens = [t for t in re.findall(r"[a-z0-9]+", fold(expanded)) if t not in STOPWORDS]
    q.content_words = content_words(q.topic_expanded)
    q.written = {**written_words(q.asked_expanded), **written_words(q.topic_expanded)}
    q.asked_words = [w for w in content_words(q.asked_expanded) if w not in q.content_words] if q.asked_expanded else []
    if q.province:  # the province is a filter, not a topic word
        prov = fold(q.province).split()
        q.content_words = [w for w in q.content_words if w not in prov and w != "_".join(prov)]
    named = {w for b in found for w in folded_words(restored[b.start:b.end]) + folded_words(b.canonical)}
    named |= {p for w in list(named) for p in w.split("_")}
    q.topic_words = [w for w in q.content_words if w not in named and w not in GENERAL_WORDS
                     and w not in _KIND_WORDS and not _DATE_WORD.match(w)]
    for key in sorted(DOC_KINDS, key=len, reverse=True):
        verb = r"(duoc|nay|co|dat|neu|quy dinh|yeu cau|xac dinh|giao|thuc hien|de ra|gom|ban hanh|chia)\b"
        # "Đề án TCCSĐ thực hiện …": a short form may name the document between its kind and the verb
        m = re.match(rf"{key} (?:{verb}|(?P<mid>\w+) {verb})", folded)
        if m and (m.group("mid") is None or m.group("mid") in {fold(a) for a in abbreviations()}):
            q.doc_kind = DOC_KINDS[key]
            break
    return q
