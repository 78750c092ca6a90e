"""Extraction: for every clause, who leads it, who helps, and by when.

Sources, most specific first:
- lead: the clause's own table cell or an explicit "X chủ trì" in its text (`explicit`);
  a heading or table section above it that names a body (`section`); the issuing body (`issuer`).
- partners: the partner cell, or "phối hợp với …" in the text, split into a list.
- deadline: the deadline cell, an italic parenthetical such as "(*thực hiện thường xuyên*)",
  or the month heading of a monthly task list ("Tháng 03/2026 (06 nhiệm vụ)").
"""
from __future__ import annotations

import re

from quydinh_bot.documents.document import Document
from quydinh_bot.language.bodies import ShapedBody, body_at, body_of_label, find_bodies, label_body, lead_bodies
from quydinh_bot.language.text import fold, normalize, strip_markup
from quydinh_bot.records import Clause

from .deadlines import deadline_in_text, deadlines_in_text, is_deadline_phrase, is_due_phrase, parse_deadline

_HEADING_KINDS = {"part", "appendix", "heading", "item", "star", "letter", "section", "group"}
_NO_LEAD_KINDS = {"title", "closing", "footnote"}
_ITALIC_PAREN = re.compile(r"\(\s*\*+([^*()]+?)\*+\s*\)|\*+\(([^()]+?)\)\*+")
_MONTH_HEAD = re.compile(r"^(Tháng\s+\d{1,2}/\d{4})")


def split_partners(cell: str | None) -> list[str]:
    """'Các ban đảng tỉnh, Văn phòng Tỉnh ủy; đảng ủy các xã, phường' -> two partner groups.

    Documents separate partner groups with semicolons; commas also join the parts of one name
    ('Các cơ quan, đơn vị, địa phương có liên quan', 'Đảng ủy các xã, phường'), so a comma is
    never taken as a separator and every entry keeps the document's own wording."""
    text = re.sub(r"\s+", " ", normalize(cell or "")).strip().strip(".;,")
    return [p.strip(" .,") for p in re.split(r"\s*;\s*", text) if p.strip(" .,")]


def _explicit_lead(text: str) -> str | None:
    """'Ban Tổ chức Tỉnh ủy chủ trì, phối hợp …' or 'Giao Ban … chủ trì' -> the body."""
    for m in find_bodies(text):
        after = fold(text[m.end:m.end + 20])
        before = fold(text[max(0, m.start - 12):m.start])
        if before.endswith(("tham muu ", "de nghi ", "bao cao ")):
            continue  # "Tham mưu Ban Thường vụ Tỉnh ủy chủ trì …": the adviser is not the lead
        if after.startswith("chu tri") or after.startswith("la co quan thuong truc") or before.endswith("giao "):
            return m.canonical
    return None


_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=\S)")
_ACTS = ("chủ trì", "có trách nhiệm", "có nhiệm vụ", "tiến hành", "triển khai", "thực hiện", "tổ chức",
         "quản lý", "lập", "phải", "xem xét", "triệu tập", "giám sát", "thống nhất")
_WITH = re.compile(r"\s*(?:có trách nhiệm\s+)?phối hợp(?: chặt chẽ)?\s+với\s+", re.IGNORECASE)
# Legal prose puts adverbials before the subject: "Căn cứ vào kết quả …, chậm nhất là ngày …, Ủy ban
# Thường vụ Quốc hội tiến hành …", "Trên cơ sở …, Ban Thường trực … có trách nhiệm …", "Trường hợp …
# thì Ban Thường trực … xem xét, quyết định". A sentence that opens so is read for its subject after a
# comma or after "thì".
_OPENER = re.compile(r"^(?:căn cứ|trên cơ sở|cùng với|chậm nhất|ngay sau|sau khi|trước khi|trong (?:thời hạn|vòng|"
                     r"quá trình|trường hợp)|trường hợp|khi|nếu|định kỳ|hằng|hàng|ngoài ra|đồng thời)\b", re.IGNORECASE)
# the main verb a subject's qualifiers run up to: "Cơ quan, tổ chức, đơn vị được phân bổ … thực hiện …"
_MAIN_VERB = re.compile(r"\s(?:thực hiện|có trách nhiệm|tiến hành|chủ trì|phải(?! là))\s")
# a person named by role leads too: "người ứng cử phải hoàn thành …", "Đồng chí Phó Chủ tịch … chủ trì"
_PERSON = re.compile(r"(?:(?:các|những)\s+)?(?:(?:đồng chí|người)\s+[^,;.:()]{1,80}?|đảng viên)"
                     r"(?=\s+(?:phải(?! là)|có trách nhiệm|chủ trì|thực hiện|tiến hành)\b)",
                     re.IGNORECASE)  # and a party member's own duty: "đảng viên phải báo cáo với chi bộ …"


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text or "") if s.strip()]


def _subject(s: str) -> ShapedBody | None:
    """The body (or bodies) that open `s`, by shape: "X hoặc Y", a list "Cơ quan, tổ chức, đơn vị",
    and the qualifiers up to the main verb ("Các cơ quan của cấp ủy được giao nhiệm vụ nêu trên")."""
    body = body_at(s)
    if body is None:
        return None
    end = body.end
    while True:
        if (alt := re.match(r"\s+(?:hoặc|và)\s+", s[end:])) and (more := body_at(s[end + alt.end():])):
            end += alt.end() + more.end  # "Cấp ủy cơ sở hoặc cấp ủy cấp trên trực tiếp … quản lý …"
        elif (comma := re.match(r",\s+", s[end:])) and (more := body_at(s[end + comma.end():], listed=True)):
            end += comma.end() + more.end  # "Thường trực, các ban, các tổ đại biểu Hội đồng nhân dân tỉnh"
        else:
            break
    if re.match(r"\s+được\s", s[end:]) and (verb := _MAIN_VERB.search(s, end)) \
            and not re.search(r"[,;.:()]", s[end:verb.start()]):
        end = verb.start()  # "… được phân bổ giới thiệu người ứng cử đại biểu Quốc hội thực hiện …"
    return ShapedBody(s[:end].strip(), end) if end != body.end else body


# what follows a subject that describes it rather than puts it to work ("Sở Nội vụ đã tham mưu …",
# "Ban Tổ chức là cơ quan …", "Chi bộ có 25 đảng viên"): past and state words, copulas, prepositions
_DESCRIBES = {"đã", "đang", "vẫn", "còn", "chưa", "từng", "là", "gồm", "có", "được", "bị", "của", "với", "và",
              "hoặc", "cũng", "thì", "mà", "nào", "này", "đó", "trên", "tại", "trong", "theo", "đạt", "chiếm",
              "không", "từ", "đến", "về", "cho", "nơi", "khi", "nếu", "như", "vừa", "mới", "luôn", "rất"}


def _acts_here(after: str) -> bool:
    """In a section that assigns work, any verb after the subject puts it to work ("Ban Tổ chức Thành ủy
    tiếp nhận hồ sơ …", "Các đảng ủy trực thuộc phổ biến …"): the next word is a small-letter word
    that does not describe the subject."""
    m = re.match(r"([^\W\d_][\w]*)", after)
    if not m or not m.group(1)[:1].islower():
        return False
    # a verb takes its object before the first comma ("tiếp nhận hồ sơ, …"); one word and a comma is a
    # list of subjects running on ("Các cấp ủy, tổ chức đảng, các cơ quan … tập trung …")
    phrase = re.split(r"[,;.:()]", after, maxsplit=1)[0]
    return m.group(1) not in _DESCRIBES and len(phrase.split()) >= 3


def _bodies_only(name: str) -> bool:
    """One body, or a list whose every member is a body by its own head word ("Các tỉnh ủy, thành ủy, đảng
    ủy trực thuộc Trung ương"); not a list that runs on through common nouns ("Các cấp ủy, tổ chức …")."""
    parts = re.split(r",\s+(?!(?:xã|phường|thị trấn|đặc khu|quận|huyện|thị xã)\b)", name)  # "các xã, phường": one
    return len(parts) == 1 or all((b := body_at(p)) is not None and b.end >= len(p.strip()) for p in parts[1:])


def _acting(s: str, assigning: bool = False) -> tuple[str, list[str]] | None:
    """(lead, partners) when `s` opens with a body (or a person) that acts; `assigning`: `s` is in a
    section that assigns work, where any verb after the subject counts (see `_acts_here`)."""
    body = _subject(s)
    if body is None:
        if (person := _PERSON.match(s)) is not None:
            return person.group(0).strip(), []
        return None
    if re.match(r"\s*,", s[body.end:]):
        return None  # "Các cấp ủy, tổ chức đảng …": a list of subjects, not one body acting
    after = s[body.end:].lstrip()
    if paren := re.match(r"\([^()]{1,100}\)\s*", after):
        after = after[paren.end():]  # "Chi ủy (hoặc bí thư chi bộ nơi không có chi ủy) hoàn thiện …"
    low = after.lower()
    if (w := _WITH.match(after)) and (other := _subject(after[w.end():])):
        tail = after[w.end() + other.end:].lstrip(" ,").lower()
        if tail.startswith(_ACTS + ("xây dựng", "hướng dẫn", "kiểm tra", "rà soát", "tham mưu")):
            return other.name, [body.name]  # "X phối hợp với Y thực hiện …": Y leads
    if low.startswith("chịu trách nhiệm thi hành"):
        return None  # the closing formula of a decision, not an assignment
    if low.startswith(_ACTS) or (assigning and _bodies_only(body.name) and _acts_here(after)):
        return body.name, []
    return None


def _sentence_lead(text: str, assigning: bool = False) -> tuple[str, list[str]] | None:
    """Who a sentence puts to work, read by the sentence's shape rather than by a name list:
    "Giao phòng … thực hiện …", "X chủ trì, phối hợp với Y …", "X có trách nhiệm …", and
    "X phối hợp với Y tổ chức …" (then Y leads and X helps); after adverbials ("Căn cứ …, X tiến
    hành …", "Trường hợp … thì X xem xét …"). Returns (lead, partners)."""
    for k, sentence in enumerate(_sentences(text)):
        s = re.sub(r"^(?:[-+•]\s*)", "", sentence)
        if m := re.match(r"(?:Giao|giao)\s+(?:cho\s+)?", s):
            if body := body_at(s[m.end():]):
                return body.name, []
        # "Đoàn kiểm tra đã yêu cầu các Công ty tăng cường …", "Ban Bí thư ủy quyền cho Ban Tổ chức Trung ương …"
        for m in re.finditer(r"\b(?:yêu cầu|[ủu]y quyền cho|giao cho)\s+", s):
            if (asked := body_at(s[m.end():])) and s[m.end() + asked.end:].strip():
                return asked.name, []
        if body_at(s) is None and (opening := re.match(r"([^,]{4,60}),\s+", s)) and deadline_in_text(opening.group(1)):
            s = s[opening.end():]  # "Định kỳ hằng năm (vào cuối quý III), cơ quan tổ chức của cấp ủy lập …"
        if (said := _acting(s, assigning and k == 0)) is not None:  # any verb: the clause's own opening only
            return said
        if body_at(s) is None and _OPENER.match(s):
            for m in re.finditer(r",\s+|\sthì\s+", s):
                if (said := _acting(s[m.end():])) is not None:
                    return said
    return None


def _by_lead(text: str) -> tuple[str, list[str]] | None:
    """"… do Tổ trưởng tổ công tác phân công", "Hội nghị … do Đoàn Chủ tịch … triệu tập, chủ trì",
    "… do X phối hợp với Y triệu tập và chủ trì" (X leads, Y helps): the body after "do" that acts."""
    for m in re.finditer(r"\bdo\s+", text or ""):
        body = _subject(text[m.end():])
        if body is None:
            continue
        tail = text[m.end() + body.end:].lstrip()
        partners: list[str] = []
        if (w := _WITH.match(tail)) and (other := body_at(tail[w.end():])):
            partners, tail = [other.name], tail[w.end() + other.end:].lstrip()
        if tail.lower().startswith(("phân công", "chủ trì", "tổ chức", "thực hiện", "quyết định", "giao",
                                    "triệu tập")):
            return body.name, partners
    return None


_LABEL = re.compile(r"^\s*(?P<label>(?:đơn vị|cơ quan|bộ phận)?\s*chủ trì(?: thực hiện)?|(?:đơn vị|cơ quan)?\s*phối hợp"
                    r"(?: thực hiện)?|thời hạn(?: [^:]{1,25})?|thời gian (?:hoàn thành|thực hiện)|hạn hoàn thành"
                    r"|tiến độ(?: thực hiện)?)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
_INLINE_LABEL = re.compile(r"(?:(?<=[.;])|^)\s*(?P<label>(?:Đơn vị|Cơ quan) chủ trì|Chủ trì|(?:Đơn vị|Cơ quan) phối hợp"
                           r"|[Tt]hời hạn(?: [^:]{1,25})?|[Tt]hời gian (?:hoàn thành|thực hiện)|[Hh]ạn hoàn thành"
                           r"|Thời gian)\s*:\s*")


def label_fields(text: str) -> dict[str, str]:
    """Labelled fields written into a clause: "Đơn vị chủ trì: Sở Y tế. Thời gian hoàn thành:
    Quý II/2026" -> {"lead": …, "deadline": …}; a clause that is only a label gives its one field."""
    out: dict[str, str] = {}
    marks = list(_INLINE_LABEL.finditer(text or ""))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        value = text[m.end():end].strip().rstrip(".;").strip()
        label = fold(m.group("label"))
        key = "partners" if "phoi hop" in label else "lead" if "chu tri" in label else \
            "period" if label == "thoi gian" else "deadline"
        if value and key not in out:
            out[key] = value
    # a bare "Thời gian: …" is an event's time ("Thời gian: 1,5 ngày"); beside "Đơn vị chủ trì: …" it is
    # when the assigned work is done
    if (period := out.pop("period", None)) and "lead" in out and "deadline" not in out:
        out["deadline"] = period
    return out


def _shaped_list(seg: str) -> list[str]:
    """Bodies read by their shape one after another ("Văn phòng UBND tỉnh, Sở Công Thương thành lập …")."""
    names: list[str] = []
    pos = 0
    while body := body_at(seg[pos:], listed=bool(names)):
        names.append(body.name)
        pos += body.end
        if not (sep := re.match(r"\s*(?:,|;|\svà)\s*", seg[pos:])):
            break
        pos += sep.end()
    return names


def _text_partners(text: str) -> list[str]:
    """Bodies named right after 'phối hợp (với)' up to the end of that phrase, and a body that a later
    sentence says helps ("…; Sở Khoa học và Công nghệ phối hợp thực hiện")."""
    found: list[str] = []
    m = re.search(r"phối hợp(?: chặt chẽ)?(?: với)?\s+(.+?)(?:[;.]|\s(?:thường xuyên|để|trong|theo)\s|$)", text)
    if m:
        seg = m.group(1)
        found = list(dict.fromkeys(b.surface for b in find_bodies(seg)))
        if not found and (shaped := body_at(seg)):  # a body the gazetteer does not list, read by its shape
            listed = seg[shaped.end:].lstrip().startswith(",") and len(seg.split()) <= 10
            found = [seg.strip(" ,") if listed else shaped.name]  # "các cơ quan, đơn vị liên quan" whole
        elif found:
            # the shape reads further than the gazetteer: "Văn phòng UBND tỉnh" (not "UBND tỉnh"), and a
            # second body it does not list ("Sở Nông nghiệp và Môi trường, Sở Công Thương")
            shaped_names = _shaped_list(seg)
            found = [next((n for n in shaped_names if n.endswith(f)), f) for f in found]
            found += [n for n in shaped_names if n[:1].isupper() and not any(f in n for f in found)]
            found = list(dict.fromkeys(found))
    for piece in re.split(r"[;.]\s*", text)[1:]:
        if (helper := body_at(piece)) and re.match(r"\s*phối hợp(?!\s+(?:chặt chẽ\s+)?với)", piece[helper.end:]):
            found.append(helper.name)
    return list(dict.fromkeys(found))


_END_PAREN = re.compile(r"\(([^()]{4,80})\)\s*[.;]?\s*$")


def _text_deadline(raw: str, text: str) -> str | None:
    """A deadline written into the text: italic '(*thực hiện thường xuyên*)' anywhere, or a
    plain parenthesis closing the clause such as '(xong trong quý IV/2022)'."""
    found = None
    for m in _ITALIC_PAREN.finditer(raw or ""):
        phrase = (m.group(1) or m.group(2) or "").strip()
        if phrase and is_deadline_phrase(phrase):
            found = phrase
    if found is None and (end := _END_PAREN.search(text or "")) and is_deadline_phrase(end.group(1)):
        found = end.group(1).strip()
    return found


_ASSIGNING = ("to chuc thuc hien", "trach nhiem", "phan cong", "nhiem vu")


def _named_actor(prefix: str) -> str | None:
    """Who the words before a colon name, when they are no body by shape: a person by title ("Đồng
    chí Phó Chủ tịch Thường trực UBND tỉnh, Trưởng Ban …": the title before the comma) or a proper
    name ("Báo và Phát thanh, Truyền hình Điện Biên": several words in capitals, as a label such as
    "Thời gian" or "Nội dung thực hiện" never has)."""
    text = re.sub(r"\s+", " ", strip_markup(prefix)).strip()
    if person := re.match(r"(?:Đồng chí|đồng chí|Đ/c)\s+[^,;:()]{2,80}", text):
        return person.group(0).strip()
    words = text.split()
    if not words or len(words) > 16 or len(text) > 120 or re.search(r"\d", text) or not words[0][:1].isupper():
        return None
    return text if sum(w[:1].isupper() for w in words[1:]) >= 2 else None


def _is_label(prefix: str) -> bool:
    """Words before a colon that can be a label naming who acts ("Chi bộ báo cáo cấp ủy cơ sở"),
    not a sentence that happens to reach a colon ("Đảng bộ tỉnh có 96 đảng bộ (gồm")."""
    return len(prefix.split()) <= 16 and not re.search(r"\d", prefix)


_DESCRIBING = ("ket qua", "tinh hinh", "danh gia", "thuc trang", "han che", "ton tai", "nguyen nhan",
               "kinh nghiem", "dac diem", "boi canh")


def _describing(c: Clause, ancestors) -> bool:
    """Is the nearest heading above `c` that says either a report's findings rather than an assignment?"""
    for a in ancestors(c):
        key = fold(a.text[:80])
        if any(w in key for w in _DESCRIBING):
            return True
        if any(w in key for w in _ASSIGNING):
            return False
    return False


def _assigning(c: Clause, ancestors) -> bool:
    """Is `c` in a section that assigns work? The nearest heading above it that says: "Tổ chức thực
    hiện", "Trách nhiệm …", "Phân công …", "Nhiệm vụ …", "Đối với <body>" assign; "Kết quả …",
    "Tình hình …", "Đánh giá …" (a report's findings) describe."""
    for a in ancestors(c):
        key = fold(a.text[:80])
        if any(w in key for w in _DESCRIBING):
            return False
        if any(w in key for w in _ASSIGNING) or key.startswith("doi voi "):
            return True
    return False


def _assigns(heading: Clause, ancestors) -> bool:
    """A heading that names a body by its shape leads its items where the document assigns
    work: the heading carries a colon ("3. Sở Công Thương: …", "Đối với …:"), or it sits under a
    "Tổ chức thực hiện" / "Trách nhiệm …" / "Phân công …" / "Nhiệm vụ …" heading; never under a
    report's findings ("I. KẾT QUẢ KIỂM TRA" / "1. Đối với Công ty …:" says what was found there)."""
    if _describing(heading, ancestors):
        return False
    if ":" in heading.text[:120]:
        return True
    return any(any(w in fold(a.text[:80]) for w in _ASSIGNING) for a in ancestors(heading))


def _written_deadline(c: Clause) -> str | None:
    """A deadline phrase in a task's own words, when it governs the task: it opens the clause
    ("Định kỳ hằng năm kiểm tra …"), or the clause names who acts ("X: …", "X có trách nhiệm …").
    A clause of several steps, each with its own time limit ("… trong thời hạn 15 ngày …; … trong
    thời hạn 30 ngày …"), keeps every step's limit, in order, joined by "; "."""
    found = deadlines_in_text(c.text)
    if found and c.lead_source == "section" and not fold(c.text).startswith(fold(found[0])):
        # under a heading that names the body ("7. Sở Khoa học và Công nghệ"), a paragraph may hold several
        # duties; only a due date it states ("…; hoàn thành trước ngày 30/9/2026") is the task's own
        found = [f for f in found if is_due_phrase(f)]
    if not found:
        return None
    opens = fold(c.text).startswith(fold(found[0]))
    if not ((opens or c.lead_source in {"explicit", "section"}) and (c.is_task or opens)):
        return None
    return "; ".join(found) if c.lead_source == "explicit" else found[0]


def _binding_date(text: str) -> str | None:
    """A time limit that names a day, anywhere in a clause ("…, hoàn thành chậm nhất là ngày 01 tháng
    02 năm 2026", "được tiến hành trong khoảng thời gian từ ngày … đến ngày …"): a legal act's
    schedule, binding whoever does the step even when the clause names nobody."""
    folded = fold(text)
    for phrase in deadlines_in_text(text):
        key = fold(phrase)
        # a period binds when the act schedules a step in it ("… được tổ chức trong khoảng thời gian từ
        # …"), not when a report names the window it covers ("Trong giai đoạn từ ngày … đến ngày …")
        at = folded.find(key)
        scheduled = re.search(r"duoc (?:to chuc|tien hanh|thuc hien)\s*$", folded[max(0, at - 40):at].strip())
        if key.startswith(("cham nhat", "khong cham qua", "khong de cham qua")) or (scheduled and "tu ngay" in key):
            d = parse_deadline(phrase)
            if d is not None and d.kind == "date":
                return phrase
    return None


def _head_label(text: str) -> str:
    """The words of a heading that can name a body: those before its colon, if any."""
    head, colon, _ = text.partition(":")
    return head if colon and len(head) <= 120 else text


def extract(doc: Document, clauses: list[Clause]) -> list[Clause]:
    """Fill lead, lead_source, partners, deadline and is_task on every clause (in place)."""
    by_id = {c.clause_id: c for c in clauses}

    def ancestors(c: Clause):
        p = by_id.get(c.parent_id) if c.parent_id else None
        while p is not None:
            yield p
            p = by_id.get(p.parent_id) if p.parent_id else None

    closing_ids = {c.clause_id for c in clauses if c.kind == "closing"}
    parents = {c.parent_id for c in clauses if c.parent_id and c.kind != "footnote"}
    for c in clauses:
        in_closing = c.kind != "row" and (c.kind == "closing" or any(a.clause_id in closing_ids for a in ancestors(c)))
        labels = label_fields(c.text) if c.kind != "row" else {}
        # --- deadline
        deadline_text = c.cells.get("deadline") or labels.get("deadline") or _text_deadline(c.raw, c.text)
        if not deadline_text and c.kind in {"enum", "bullet", "paragraph", "row"}:
            for a in ancestors(c):
                if m := _MONTH_HEAD.match(a.text):
                    deadline_text = m.group(1)
                    break
        c.deadline = parse_deadline(deadline_text) if deadline_text else None
        # --- partners
        c.partners = split_partners(c.cells.get("partners") or labels.get("partners")) \
            if c.cells.get("partners") or labels.get("partners") else _text_partners(c.text)
        # --- lead
        lead, source = None, None
        prefix, colon, after_colon = c.text[:100].partition(":")
        if c.cells.get("lead"):
            lead, source = re.sub(r"\s+", " ", c.cells["lead"]).strip(), "explicit"
        elif labels.get("lead"):
            lead, source = labels["lead"], "explicit"  # "Đơn vị chủ trì: Sở Y tế"
        elif c.kind != "row" and (explicit := _explicit_lead(c.text)) is not None:
            lead, source = explicit, "explicit"
        elif colon and c.kind not in _NO_LEAD_KINDS and _is_label(prefix) and (labelled := label_body(prefix)):
            lead, source = labelled, "explicit"  # "Ban Tổ chức Tỉnh ủy: Thống nhất tiếp nhận …"
        elif ":" in c.text[:200] and c.kind in {"item", "letter", "paragraph", "bullet"} and not in_closing \
                and c.text.partition(":")[2].strip()[:1].islower() and _assigning(c, ancestors) \
                and (named := _named_actor(c.text.partition(":")[0])) is not None:
            lead, source = named, "explicit"  # "1. Đồng chí Phó Chủ tịch …, Trưởng Ban …: chỉ đạo …"
        elif c.kind != "row" and not in_closing and (said := _sentence_lead(c.text, _assigning(c, ancestors))) \
                is not None:
            lead, source = said[0], "explicit"  # "Giao phòng … thực hiện", "X phối hợp với Y …"
            if said[1]:  # "X phối hợp với Y …": X helps (Y, read as a partner above, leads)
                c.partners = list(dict.fromkeys(said[1] + [p for p in c.partners if p != said[0]]))
        elif c.kind not in _NO_LEAD_KINDS and not in_closing:
            for a in ancestors(c):
                heading = a.kind in _HEADING_KINDS or a.text.rstrip().endswith(":")
                label = a.cells.get("lead_label") or (_head_label(a.text) if heading else "")
                if label and (body := body_of_label(label)):
                    lead, source = body, "section"
                    break
                if label and _assigns(a, ancestors) and (body := label_body(label, strict=True)):
                    lead, source = body, "section"  # "8. Thanh tra tỉnh" under "Tổ chức thực hiện"
                    break
                if a.cells.get("lead_label"):
                    lead, source = _title_case(a.cells["lead_label"]), "section"
                    break
            heading = c.kind in _HEADING_KINDS and (c.kind != "item" or c.clause_id in parents)
            if lead is None and not heading and doc.issuer:
                lead, source = doc.issuer, "issuer"
        c.lead, c.leads = lead_bodies(lead)  # one spelling per body; co-leads listed one by one
        c.lead_source = source if c.lead else None
        # --- is this clause a task?
        is_row = c.kind == "row"
        in_month_list = c.deadline is not None and c.deadline.kind == "month" and not c.cells
        c.is_task = not in_closing and c.kind not in {
            "title", "footnote", "section", "group", "part", "appendix"} and (
            is_row or in_month_list or c.deadline is not None or source == "explicit"
            or (source == "section" and c.kind not in _HEADING_KINDS)
        )
        if c.deadline is None and c.kind != "row" and not in_closing and (written := _written_deadline(c)):
            # "Hằng năm tổ chức …", "X … trong thời hạn 15 ngày …", "Định kỳ 6 tháng phải đối chiếu …"
            obliged = c.kind in {"paragraph", "bullet", "enum"} and bool(
                re.match(re.escape(written) + r"\s*,?\s*(?:phải|cần)\b", c.text, re.IGNORECASE))
            if c.is_task or obliged:
                c.deadline, c.is_task = parse_deadline(written), True
        if c.deadline is None and c.kind in {"paragraph", "bullet", "enum", "item", "letter"} and not in_closing \
                and (bound := _binding_date(c.text)):
            c.deadline, c.is_task = parse_deadline(bound), True
    _close_labels(clauses)
    _announced_lists(clauses, parents)
    _delegated(clauses, closing_ids)
    _articles_by_reference(clauses)
    _governing_periods(clauses)
    return clauses


def _subject_words(text: str, marks: tuple[str, ...]) -> set[str]:
    """The syllables of what a clause is about: its words before the first of `marks` (" do ",
    " được "), when that comes early; empty when the clause opens with no such subject."""
    folded = fold(text)[:240]
    cut = min((i for i in (folded.find(m) for m in marks) if i > 0), default=-1)
    words = set(re.findall(r"[a-z0-9]+", folded[:cut])) if cut > 0 else set()
    return words if len(words) >= 3 else set()


def _governing_periods(clauses: list[Clause]) -> None:
    """A legal act states the period of a step in one clause and who does it in its siblings
    (Điều 1: "1. Hội nghị hiệp thương lần thứ nhất được tổ chức trong khoảng thời gian từ … đến …",
    "2. Hội nghị hiệp thương lần thứ nhất ở trung ương do Đoàn Chủ tịch … chủ trì"). The period
    governs the sibling tasks about the same step (their subject's words within its subject's) that
    state no time of their own; and when one sibling alone names who does the step, the period
    clause takes that lead ("Việc giới thiệu … được tiến hành từ …" / "Cơ quan … thực hiện việc …")."""
    for period in clauses:
        if period.deadline is None or period.lead_source == "explicit" or period.kind not in {"item", "paragraph"} \
                or not re.search(r"\btu ngay\b.*\bden\b", fold(period.deadline.text)):
            continue
        about = _subject_words(period.text, (" duoc ",))
        if not about:
            continue
        governed = []
        for sib in clauses:
            if sib is period or sib.parent_id != period.parent_id or sib.kind not in {"item", "paragraph"}:
                continue
            words = _subject_words(sib.text, (" do ", " duoc "))
            if words and len(words & about) >= 0.8 * min(len(words), len(about)):
                governed.append(sib)
                if sib.is_task and sib.deadline is None:
                    sib.deadline = period.deadline
        leads = {s.lead for s in governed if s.lead_source == "explicit"}
        if len(leads) == 1:
            doer = next(s for s in governed if s.lead_source == "explicit")
            period.lead, period.leads, period.lead_source = doer.lead, list(doer.leads), "explicit"
            period.is_task = True


def _delegated(clauses: list[Clause], closing_ids: set[str]) -> None:
    """Last resort for a clause nobody else leads: "… do Tổ trưởng tổ công tác phân công"."""
    for c in clauses:
        if c.lead_source not in {None, "issuer"} or c.kind in _NO_LEAD_KINDS or c.kind == "row" \
                or c.parent_id in closing_ids:
            continue
        if by := _by_lead(c.text):
            c.lead, c.leads = lead_bodies(by[0])
            c.lead_source, c.is_task = "explicit", True
            if by[1]:
                c.partners = list(dict.fromkeys(by[1] + [p for p in c.partners if p not in by[1]]))


_BY_ARTICLE = re.compile(r"có nhiệm vụ(?: cụ thể)?\s+(?:theo|tại|quy định tại)\s+Điều\s+(\d{1,3})\b")


def _articles_by_reference(clauses: list[Clause]) -> None:
    """"Đoàn Kiểm tra có nhiệm vụ cụ thể theo Điều 1": the body leads what Điều 1 sets out."""
    articles = {c.label: c for c in clauses if c.kind == "article"}
    for c in clauses:
        if c.lead_source != "explicit" or not (m := _BY_ARTICLE.search(c.text)):
            continue
        target = articles.get(f"Điều {m.group(1)}")
        if target is not None and target is not c and target.lead_source != "explicit":
            target.lead, target.leads, target.lead_source = c.lead, list(c.leads), "explicit"
            target.is_task = True


def _close_labels(clauses: list[Clause]) -> None:
    """A paragraph that is only a label ("Thời hạn kiểm tra: …", "Đơn vị chủ trì: …") belongs
    to the item it closes: the clause before it under the same parent (other short
    "Thời kỳ …: …" lines skipped), or the parent when it is the first child."""
    for i, c in enumerate(clauses):
        if c.kind not in {"paragraph", "bullet"} or not _LABEL.match(c.text):
            continue
        fields = label_fields(c.text)
        target = None
        for prev in reversed(clauses[:i]):
            if prev.clause_id == c.parent_id:
                target = prev
                break
            if prev.parent_id != c.parent_id:
                continue
            head, colon, _ = prev.text.partition(":")
            if colon and len(head.split()) <= 4 and prev.kind in {"paragraph", "bullet"}:
                continue  # another label line of the same item
            target = prev
            break
        if target is None or target.kind in {"title", "closing", "footnote"}:
            continue
        if fields.get("deadline") and target.deadline is None:
            target.deadline = parse_deadline(fields["deadline"])
        if fields.get("lead") and target.lead_source != "explicit":
            target.lead, target.leads = lead_bodies(fields["lead"])
            target.lead_source = "explicit"
        if fields.get("partners") and not target.partners:
            target.partners = split_partners(fields["partners"])
        if target.kind not in {"section", "group", "part", "appendix"}:
            target.is_task = True
        if target.deadline is None and target.is_task and (written := _written_deadline(target)):
            target.deadline = parse_deadline(written)  # "… khắc phục xong trước ngày …" / "Đơn vị chủ trì: …"
        c.is_task = False  # the label line itself is not another task


def _announced_lists(clauses: list[Clause], parents: set[str]) -> None:
    """"1. Giao phòng … thực hiện các công việc liên quan:" with no sub-items of its own, then
    "2. …", "3. …" numbered as its siblings: the items it announces take its lead."""
    for i, c in enumerate(clauses):
        if c.kind != "item" or c.clause_id in parents or not c.text.rstrip().endswith(":") \
                or c.lead_source != "explicit":
            continue
        for sib in clauses[i + 1:]:
            if sib.parent_id == c.parent_id and sib.kind != c.kind:
                break
            if sib.parent_id != c.parent_id or sib.kind != "item":
                continue
            if sib.lead_source == "explicit":
                break
            sib.lead, sib.leads, sib.lead_source = c.lead, list(c.leads), "section"
            sib.is_task = True


def _title_case(label: str) -> str:
    """An unknown upper-case label, shown in sentence case rather than shouting."""
    text = re.sub(r"\s+", " ", label).strip()
    return text[:1] + text[1:].lower() if text.isupper() else text
