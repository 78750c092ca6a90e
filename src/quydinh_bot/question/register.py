"""Register questions: asks about the task register as a whole, read into a `TaskFilter`.

"Ban Tổ chức Tỉnh ủy chủ trì những nhiệm vụ gì trong Kế hoạch 376?", "viec nao den han thang
9/2025", "Ban Tuyên giáo và Dân vận chủ trì bao nhiêu nhiệm vụ", "những nhiệm vụ nào đã quá hạn":
a body (any name, abbreviation or unaccented form the gazetteer knows), a document, a window of
due dates (when.py), a status, and what is asked (a list, a count, the earliest). Such a question
is answered from the register (register.py), not by retrieval.

A question is a register question only when, once those parts and the words that ask for tasks are
read, no topic is left: "Tháng 3/2026 có những nhiệm vụ trọng tâm nào về công tác tổ chức xây dựng
Đảng?" keeps a topic and goes to retrieval. Works on the char-aligned folded text, so spans map back
to the words as typed. A question naming a document, body or province the corpus lacks is declined
with that reason instead of being answered from another document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from quydinh_bot.language.bodies import fold_aligned, gazetteer
from quydinh_bot.language.text import fold
from quydinh_bot.register.filter import TaskFilter

from .kinds import DOC_NUMBER, FOLDED, ISSUED_KINDS, NUMBER_CODE, alternation, kinds_of_number
from .query import PROVINCES, Question, parse_query
from .when import Window, mask_year_ranges, parse_window


@dataclass(frozen=True)
class DocRef:
    """What a question may call a document by."""

    doc_id: str
    number: str | None
    kind: str
    title: str
    province: str | None
    parent_kind: str | None = None


@dataclass
class RegisterQuestion:
    filter: TaskFilter
    ask: str = "list"  # list | count | earliest | latest
    lead: str | None = None  # canonical body asked about as lead
    doc_label: str | None = None  # "Kế hoạch số 376-KH/TU" as the answer names it
    window: Window | None = None
    decline: str | None = None  # why the register cannot answer (a document or body the corpus lacks)
    read: list[str] = field(default_factory=list)  # the parts understood, for explanations


# --- the words that ask for tasks, and filler that carries no topic -------------------------
_TASK_NOUN = re.compile(r"\b(nhiem vu|viec|cong viec|dau viec|phan viec)\b")
_ASKS_FOR_TASKS = re.compile(
    r"\b(nhung|cac|bao nhieu|may|liet ke|danh sach|tat ca|toan bo|so luong|tong so)\s+"
    r"(nhiem vu|viec|cong viec|dau viec)\b"
    r"|\b(nhiem vu|viec|cong viec|dau viec)\s+(gi|nao)\b"
    r"|\b(chu tri|phu trach|duoc giao|lam|thuc hien|phoi hop)\s+(nhung\s+)?(gi|nao|bao nhieu|may)\b"
    r"|\b(nhiem vu|viec|cong viec|dau viec)\s+(dau tien|som nhat|cuoi cung|muon nhat|gan nhat|ke tiep|tiep theo)\b"
    r"|^(cac\s+|nhung\s+)?(nhiem vu|viec|cong viec)\s+cua\b"
    r"|\b(liet ke|danh sach)\b")
_COUNT = re.compile(r"\b(bao nhieu|(?<!bo )may|so luong|tong so|dem)\b")
_EARLIEST = re.compile(r"\b(som nhat|gan nhat|dau tien|truoc tien|ke tiep|tiep theo)\b")
_NOT_YET_DUE = re.compile(r"\bchua (den|toi) han\b")
_NEXT_DUE = re.compile(r"\b(gan nhat|ke tiep|tiep theo|sap toi)\b")  # the next deadline from today on
_LATEST = re.compile(r"\b(muon nhat|cuoi cung|sau cung|tre nhat|xa nhat)\b")
_STATUS = [
    ("upcoming", re.compile(r"\b(sap|gan|sap sua)\s+(den han|het han|toi han|dao han|han)\b"
                            r"|\bsap phai (nop|hoan thanh|xong)\b")),
    ("overdue", re.compile(r"\b(qua han|tre han|tre hen|cham han|tre tien do|cham tien do|da het han|het han roi"
                           r"|bi tre|dang tre"
                           r"|da tre|bi cham|cham so voi (thoi han|han|ke hoach)|chua hoan thanh dung han)\b")),
    ("undated", re.compile(r"\b(chua|khong)\s+(co|ghi|xac dinh|neu|quy dinh)?\s*"
                           r"(thoi han|han|moc thoi gian|ngay het han)(\s+cu the)?\b"
                           r"|\bkhong\s+(thoi han|han)\b")),
]
_DUE_WORDS = re.compile(r"\b(den han|het han|toi han|han chot|co han|han)\b")
_KINDS = [("recurring", re.compile(r"\b(thuong xuyen|dinh ky|hang thang|hang nam|hang quy|hang tuan)\b")),
          ("done", re.compile(r"\b(da hoan thanh|da xong|da thuc hien xong)\b"))]
_PARTNER = re.compile(r"\bphoi hop\b")
FILLER = set("""
nhiem vu viec cong dau phan nao gi nhung cac co la bao nhieu may chu tri phu trach duoc giao cho do phai lam
thuc hien trien khai hoan thanh xong can se da dang chua khong han thoi den het toi trong tai theo cua thuoc o va
hay hoi xin biet liet ke danh sach tat ca toan bo ra minh em anh chi a nhe vay the oi giup tim xem kiem tra duoc
tong so luong dem sap gan nhat som muon cuoi tien hien nay con lai bi tre qua ngay thang nam quy tuan ve voi phoi
hop cung nhau gom bao ke tiep ay nua roi thi ma hoac cu the moc nhung ai vi ben trong vong phia sau truoc tu tro di
hang tat thuong xuyen dinh ky nop bay gio hom cho biet chot neu ghi xac dinh quy dinh dao sua van ban dieu khoan
list sap xep ke hoach chuong trinh de an bao cao phu luc tinh uy tinh dong chi khi bao gio luc e vay vao
xa muon sau cung tre kem
""".split())


def _blank(text: str, a: int, b: int) -> str:
    return text[:a] + " " * (b - a) + text[b:]


# --- bodies: gazetteer aliases plus short forms a person types ("ban to chuc", "btc") -------
@lru_cache(maxsize=1)
def _question_bodies() -> tuple[dict[str, str], re.Pattern[str]]:
    names = dict(gazetteer().canonical_of)
    for key, canonical in list(names.items()):
        if key.startswith("dang uy "):  # "ĐU Công an tỉnh"
            names.setdefault("du " + key[len("dang uy "):], canonical)
        for short in (re.sub(r"\s+(tinh uy|tinh|tu)$", "", key), re.sub(r"\s+nhan dan(\s+tinh)?$", "", key)):
            if short != key and (len(short.split()) >= 2 or len(short) >= 3) and short not in {"tinh", "uy ban", "ban"}:
                names.setdefault(short, canonical)
    keys = sorted(names, key=len, reverse=True)
    alternation = "|".join(re.escape(k).replace(r"\ ", r",?\s+") for k in keys)
    return names, re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")


def find_question_bodies(folded: str) -> list[tuple[str, int, int]]:
    names, pattern = _question_bodies()
    return [(names[re.sub(r"\s+", " ", m.group(0).replace(",", " ")).strip()], m.start(), m.end())
            for m in pattern.finditer(folded)]


# an organisation's name the gazetteer does not know, in the place a lead stands
_ORG_HEAD = (r"(ban|so|dang uy|dang doan|dang bo|uy ban|van phong|hoi dong|hoi|cong an|truong|trung tam|cuc|chi cuc"
             r"|ban can su|lien doan|doan)")
_NOT_IN_NAMES = set("co bao nhieu nhiem vu viec nhung cac gi nao la trong may hay khong han".split())
_UNKNOWN_LEAD = re.compile(rf"\b{_ORG_HEAD}\s+((?:[a-z0-9]+\s+){{0,5}}?[a-z0-9]+)\s+"
                           r"(?=(chu tri|phu trach|phai|duoc giao|lam|thuc hien)\b)"
                           rf"|\b(?:cua|giao cho|do)\s+{_ORG_HEAD}\s+((?:[a-z0-9]+\s+){{0,5}}?[a-z0-9]+)\s*"
                           r"(?=(chu tri|$|\?))")


# --- documents ---------------------------------------------------------------------------
_KIND_WORDS = FOLDED  # short forms ("kh", "ctr") are written out before: question.typed
_KIND_ALT = alternation(_KIND_WORDS)
_KIND_NUMBER = re.compile(rf"\b({_KIND_ALT})\s+(?:so\s+)?(\d{{1,4}})\b(?!\s*[-/]\s*\d)")
_KIND_ONLY = re.compile(rf"(?:^|\b(?:trong|cua|theo|thuoc|o|tai|ve)\s+)(?:(?:ban|van ban)\s+)?({_KIND_ALT})\b"
                        r"(?!\s+(?:so\s+)?\d)")
_DOC_DATE = re.compile(r"^\s*(?:,\s*)?(?:ngay\s+\d{1,2}/\d{1,2}/\d{4}|nam\s+\d{4})")


def _kind_of(ref: DocRef) -> set[str]:
    kinds = {fold(ref.kind)}
    if ref.parent_kind:
        kinds.add(fold(ref.parent_kind))
    return kinds | kinds_of_number(ref.number or "")


def cite_name(ref: DocRef) -> str:
    """'Kế hoạch số 376-KH/TU', 'Đề án củng cố …': how the answer names a document."""
    if ref.number:
        kind = ref.parent_kind or ref.kind
        if fold(kind) == "phu luc" and "-kh/" in fold(ref.number).replace(" ", ""):
            kind = "kế hoạch"
        return f"{kind[:1].upper()}{kind[1:]} số {ref.number}"
    return ref.title


def _docs_named(folded: str, text: str,
                docs: list[DocRef]) -> tuple[list[DocRef] | None, str | None, list[tuple[int, int]]]:
    """(documents the question names or None, decline reason, spans read)."""
    spans: list[tuple[int, int]] = []
    for m in DOC_NUMBER.finditer(folded):
        num = re.sub(r"\s+", "", m.group(0))
        end = m.end() + (d.end() if (d := _DOC_DATE.match(folded[m.end():])) else 0)
        kind_before = re.search(rf"({_KIND_ALT})\s+(?:so\s+)?$", folded[:m.start()])
        start = kind_before.start() if kind_before else m.start()
        if kind_before and _KIND_WORDS[kind_before.group(1)] in ISSUED_KINDS:
            # "chương trình hành động thực hiện Nghị quyết 21-NQ/TW": the document that carries it out
            carrier = re.search(rf"({_KIND_ALT})\s+(?:(?:de\s+)?(?:thuc hien|trien khai|quan triet)\s+)?$",
                                folded[:start])
            if carrier:
                start = carrier.start()
        spans.append((start, end))
        hits = [r for r in docs if r.number and fold(r.number).replace(" ", "") == num]
        hits = hits or [r for r in docs if num in fold(r.title).replace(" ", "")]
        if not hits:
            kind = _KIND_WORDS.get(kind_before.group(1), "văn bản") if kind_before else "văn bản"
            shown = re.sub(r"\s+", "", text[m.start():m.end()]).upper()
            return None, f"Kho văn bản không có {kind[:1].upper()}{kind[1:]} số {shown}", spans
        return hits, None, spans
    for m in _KIND_NUMBER.finditer(folded):
        kind, n = _KIND_WORDS[m.group(1)], int(m.group(2))
        end = m.end() + (d.end() if (d := _DOC_DATE.match(folded[m.end():])) else 0)
        spans.append((m.start(), end))
        if kind in ISSUED_KINDS:  # "Chương trình hành động thực hiện Nghị quyết 21": named in a title
            hits = [r for r in docs if re.search(rf"\b{fold(kind)}\s+(?:so\s+)?0*{n}-", fold(r.title))]
        else:
            hits = [r for r in docs if r.number and re.match(rf"0*{n}-", r.number)
                    and (fold(kind) in _kind_of(r) or NUMBER_CODE.get(kind, "#") in fold(r.number))]
        if not hits:
            return None, f"Kho văn bản không có {kind[:1].upper()}{kind[1:]} số {m.group(2)}", spans
        return hits, None, spans
    for m in _KIND_ONLY.finditer(folded):
        if _KIND_WORDS[m.group(1)] in ISSUED_KINDS:
            continue
        kind = fold(_KIND_WORDS[m.group(1)])
        hits = [r for r in docs if fold(r.kind) == kind] or [r for r in docs if kind in _kind_of(r)]
        spans.append(m.span(1))
        if not hits:
            return None, f"Kho văn bản không có {_KIND_WORDS[m.group(1)]} nào", spans
        return hits, None, spans
    return None, None, spans


_OVERDUE_SHORT = re.compile(r"(?<!\w)qh(?!\w)", re.IGNORECASE)


def _title_runs(rest: str, docs: list[DocRef]) -> tuple[list[DocRef], list[tuple[int, int]]]:
    """Runs of three or more words copied from a document's title ("Chương trình công tác tổ chức xây
    dựng đảng năm 2026"): the documents they name, and their spans (so "năm 2026" is no deadline)."""
    toks = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[a-z0-9]+", rest)]
    titles = {r.doc_id: " " + " ".join(re.findall(r"[a-z0-9]+", fold(r.title))) + " " for r in docs}
    found: list[DocRef] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        best_j, best_docs = i, []
        for j in range(i + 3, len(toks) + 1):
            phrase = " " + " ".join(t[0] for t in toks[i:j]) + " "
            hits = [r for r in docs if phrase in titles[r.doc_id]]
            if not hits:
                break
            if sum(t[0] not in FILLER and not t[0].isdigit() for t in toks[i:j]) >= 2:  # words, not dates
                best_j, best_docs = j, hits
        if best_docs and len(best_docs) < len(docs):
            found = [r for r in best_docs if not found or r in found] or best_docs
            spans.append((toks[i][1], toks[best_j - 1][2]))
            i = best_j
        else:
            i += 1
    return found, spans


def read_register_question(question: str | Question, docs: list[DocRef], today: date) -> RegisterQuestion | None:
    """The register filter a question asks for, or None when it is a question about a clause. Given
    a `Question`, its normalised text is read (the same the search reads)."""
    if not isinstance(question, Question):
        question = parse_query(question)
    # the question with its short forms written out (the one table, data/shortforms.tsv); "qh" is
    # "quá hạn" only here, where tasks are asked for (elsewhere it is Quốc hội, as in "ĐBQH")
    text = _OVERDUE_SHORT.sub("quá hạn", question.typed)
    folded = fold_aligned(text)
    folded = re.sub(r"\bve viec (gi|nao)\b", lambda m: "ve " + "#" * (len(m.group(0)) - 3), folded)  # "about what"
    # "kế hoạch này để làm gì": what for (asked.asked_kinds 'purpose'), not what tasks
    folded = re.sub(r"\b(?:de|nham) lam (?:gi|chi)\b", lambda m: "#" * len(m.group(0)), folded)
    status = next((name for name, rx in _STATUS if rx.search(folded)), None)
    if not (_ASKS_FOR_TASKS.search(folded) or (status and (_TASK_NOUN.search(folded) or len(folded.split()) <= 6))):
        return None
    rest = folded
    read: list[str] = []

    # documents (and their dates, which are no deadline window)
    named, decline, spans = _docs_named(folded, text, docs)
    for a, b in spans:
        rest = _blank(rest, a, b)
    # a document named by (part of) its title
    if not decline:
        titled, title_spans = _title_runs(rest, docs)
        if titled:
            named = [r for r in (named or titled) if r in titled] or titled
            for a, b in title_spans:
                rest = _blank(rest, a, b)

    # provinces name documents too
    for p in PROVINCES:
        for m in re.finditer(rf"\b(?:tinh\s+)?{re.escape(fold(p))}\b", rest):
            rest = _blank(rest, *m.span())
            of_province = [r for r in docs if r.province and fold(r.province) == fold(p)]
            if not of_province:
                decline = decline or f"Kho văn bản không có văn bản nào của tỉnh {p}"
            else:
                named = [r for r in (named or of_province) if r in of_province] or []
                if not named:
                    decline = decline or f"Văn bản được hỏi không phải của tỉnh {p}"

    # bodies: the first one is the lead unless it is where "phối hợp" points
    lead = partner = None
    bodies = find_question_bodies(rest)
    if not decline:  # an organisation named where a lead stands, which the gazetteer does not know
        for m in _UNKNOWN_LEAD.finditer(rest):
            a, b = (m.start(1), m.end(2)) if m.group(1) else (m.start(4), m.end(5))
            name_words = fold(text[a:b]).split()[1:]
            if any(not re.search(r"[aeiouy]", w) for w in name_words):
                continue  # "ban tc tu": abbreviations the gazetteer lacks are no evidence of another body
            if set(name_words) & _NOT_IN_NAMES or (fold(text[a:b]).startswith("so ") and rest[:a].endswith("co ")):
                continue  # "cơ sở đảng có bao nhiêu nhiệm vụ": question words, not an organisation
            if not any(x <= a < y for _, x, y in bodies):  # a known body opens the name: it is that body
                decline = (f"Kho văn bản không có nhiệm vụ nào do «{text[a:b]}» chủ trì "
                           "(cơ quan này không có trong sổ nhiệm vụ)")
                rest = _blank(rest, a, b)
                bodies = [bd for bd in bodies if bd[2] <= a or bd[1] >= b]
                break
    for canonical, a, b in bodies:
        around = rest[max(0, a - 16):a] + " " + rest[b:b + 16]
        if _PARTNER.search(around) and "chu tri" not in rest[b:b + 16]:
            partner = partner or canonical
        elif lead is None:
            lead = canonical
        rest = _blank(rest, a, b)

    # status, kind, deadline window
    for name, rx in _STATUS:
        for m in rx.finditer(rest):
            rest = _blank(rest, *m.span())
    kind = None
    for name, rx in _KINDS:
        if (said := rx.search(rest)) and kind is None:
            kind = name
            rest = _blank(rest, *said.span())
    window = parse_window(mask_year_ranges(rest), today)
    if window:
        for a, b in window.spans:
            rest = _blank(rest, a, b)
    ask = ("count" if _COUNT.search(rest) else "earliest" if _EARLIEST.search(rest)
           else "latest" if _LATEST.search(rest) else "list")

    # what is left must be no topic: only the words that ask for tasks
    leftover = [w for w in re.findall(r"[a-z0-9]+", rest) if w not in FILLER]
    if leftover:
        return None
    if not window and not status and (_NOT_YET_DUE.search(folded) or (ask == "earliest" and _NEXT_DUE.search(rest))):
        window = Window(today, None, "từ hôm nay")  # "việc nào có hạn gần nhất", "chưa đến hạn": from today on
    if not (lead or partner or named or window or status or kind or decline or ask in {"earliest", "latest"}):
        return None

    f = TaskFilter(lead=lead, partner=partner, kind=kind, status=status, today=today)
    doc_label = None
    if named:
        if len(named) == 1:
            f.doc_id, doc_label = named[0].doc_id, cite_name(named[0])
        else:
            f.doc_ids = [r.doc_id for r in named]
            doc_label = ", ".join(cite_name(r) for r in named)
    if window:
        f.due_after = window.start.isoformat() if window.start else None
        f.due_before = window.end.isoformat() if window.end else None
        if status == "upcoming" and window.end:
            f.within_days = max(f.within_days, min(3660, (window.end - today).days))
    if status == "upcoming" and not window and (days := re.search(r"\b(\d{1,4})\s+ngay\b", folded)):
        f.within_days = min(3660, int(days.group(1)))
    for part, value in (("chủ trì", lead), ("phối hợp", partner), ("văn bản", doc_label),
                        ("thời hạn", window.label if window else None), ("trạng thái", status), ("loại hạn", kind)):
        if value:
            read.append(f"{part}: {value}")
    return RegisterQuestion(filter=f, ask=ask, lead=lead, doc_label=doc_label, window=window, decline=decline,
                            read=read)


def party_committee_of(body: str) -> str | None:
    """The party committee of a state body, which the register names as lead: 'Công an tỉnh' ->
    'Đảng ủy Công an tỉnh', 'UBND tỉnh' -> 'Đảng ủy Ủy ban nhân dân tỉnh'; None when the gazetteer has none."""
    key = fold(body)
    candidates = {"dang uy " + key, "dang uy " + re.sub(r"^uy ban (?=mat tran)", "", key).replace(" viet nam", "")}
    for alias, canonical in gazetteer().canonical_of.items():
        if alias in candidates and canonical != body:
            return canonical
    return None
