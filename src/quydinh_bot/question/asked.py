"""The asked phrase of a question: the verb that goes with its question word ("… ai lãnh đạo, chỉ đạo",
"… cơ quan nào tổ chức", "… gửi về đâu", "tổng số …") says what kind of answer is wanted, not what the clause is
about. Search weighs those words lightly, so a clause does not win because it opens with "Lãnh đạo, chỉ
đạo" when the question only asks who leads. (Kept apart from query.py: it reads, never builds, the index.)"""
from __future__ import annotations

import re

from quydinh_bot.language.bodies import fold_aligned

from .kinds import FOLDED, alternation

# the kinds of body a question asks for by "… nào" ("cơ quan nào", "phòng nào"): who, not what (query.py's
# who-words are built from it)
BODY_ASKED = "co quan|don vi|bo phan|phong|ban|cap"
_ASKED_VERB = (r"(?:lanh dao|chi dao|to chuc|thuc hien|tham muu|chu tri|phu trach|lo|lam|dam nhan|dam nhiem"
               r"|trien khai|chiu trach nhiem|co trach nhiem|giup)")
# who signed: "do ai ký", "ai đã ký", "người ký (là ai)", "ký bởi ai" — not "kỳ họp", "ký kết", "kỷ luật",
# "kỷ niệm", "kỳ thi", which fold the same
_SIGNER = (r"\b(?:(?:do|boi)\s+)?(?:ai|nguoi nao|dong chi nao|ong nao|ba nao)\s+(?:da\s+|la nguoi\s+)?ky"
           r"(?:\s+ten|\s+ban hanh)?\b(?!\s+(?:hop|ket|quy|luat|niem|thi|cuong|vong|dieu)\b)"
           r"|\bnguoi ky(?:\s+ten)?\b(?!\s+(?:hop|ket|cuu)\b)(?:\s+(?:la ai|la|cua))?|\bky boi ai\b")
_ASKED_PHRASES = [
    # "ai lãnh đạo, chỉ đạo" is one asked phrase; in "ai chủ trì tổ chức đại hội" the second verb is the task's own
    re.compile(rf"\b(?:ai|nguoi nao|co quan nao|don vi nao|ban nao|cap nao|noi nao)\s+"
               rf"({_ASKED_VERB}(?:\s*,?\s*(?:va\s+)?(?:lanh dao|chi dao))*)\b"),
    re.compile(r"\b(gui|nop|chuyen)\s+(?:ve|o|cho|len|toi|den)\s+(?:dau|ai|noi nao|co quan nao|dau nao)\b"),
    # "tổng số đảng viên" asks how many: the clause says "có 140.549 đảng viên"
    # ("tổng công ty" is a company, folded the same as "tổng cộng")
    re.compile(r"\b(tong so|tong cong(?! ty\b))\b"),
    # "xã phường làm gì": what a body does
    re.compile(r"\b(lam|thuc hien)\s+(?:nhung\s+)?gi\b"),
    # "do ai ký", "người ký là ai": who signed the document (search answers with its signature block)
    re.compile(rf"({_SIGNER})"),
    # "ai được tham gia lớp …", "những ai phải dự": who takes part (asked_kinds' participants); the clause names them
    # ("Đối tượng: …"), and "tham gia" is the question's verb, not its topic ("dự kiến", "dự án" are not asked)
    re.compile(r"\b(?:ai|nhung ai|nguoi nao|nhung nguoi nao)(?:\s+(?:duoc|phai|se|can|co the))?\s+"
               r"(tham gia|tham du|du)\b(?!\s+(?:kien|an|toan|thao|bao|tru|phong|bi|thinh)\b)"),
    # "thay cho / thay thế hướng dẫn nào", "căn cứ vào quy định nào": the document asked for is named by its number
    # ("thay thế Hướng dẫn số 01-HD/TW"); the verb is the question's, the kind of document its topic
    re.compile(r"\b(thay the(?:\s+cho)?|thay cho|can cu(?:\s+vao)?|dua (?:tren|vao))\s+"
               r"(?:[a-z]+\s+){0,3}?(?:nao|gi|so may|so bao nhieu)\b"),
    # "cơ quan nào", "đơn vị nào", "cấp nào": the kind of body asked for; the clause names the body itself
    # ("Ủy ban nhân dân tỉnh tổ chức triển khai …"), not the word "cơ quan"
    re.compile(rf"\b({BODY_ASKED})\s+nao\b"),
]


def split_asked(text: str) -> tuple[str, str]:
    """(topic, asked): `text` without the verb that goes with its question word, and that verb.
    'đại hội MTTQ ai lãnh đạo, chỉ đạo' -> ('đại hội MTTQ ai', 'lãnh đạo, chỉ đạo'); accents kept."""
    folded = fold_aligned(text)
    spans = [m.span(1) for rx in _ASKED_PHRASES for m in rx.finditer(folded)]
    if not spans:
        return text, ""
    spans.sort()
    topic, asked, pos = [], [], 0
    for a, b in spans:
        if a < pos:
            continue
        topic.append(text[pos:a])
        asked.append(text[a:b])
        pos = b
    topic.append(text[pos:])
    return re.sub(r"\s+", " ", " ".join(topic)).strip(), " ".join(asked)


# What kind of thing the question asks for, whatever the document: a time, a duration, a place, a
# document it refers to, the people it is sent to, who takes part, what for, when it takes effect. Read
# from the question words only (folded), so the same question asks the same in any corpus; search
# prefers clauses that state that kind of thing (search/evidence.py), and the decision reads whether
# the best clause states it.
_ASKS: list[tuple[str, re.Pattern[str]]] = [
    ("duration", re.compile(r"\b(bao lau|keo dai|may (ngay|thang|nam|buoi|gio|tuan)|trong bao (lau|nhieu))\b")),
    ("time", re.compile(r"\b(khi nao|bao gio|luc nao|ngay nao|ngay may|thang nao|thang may|nam nao|gio nao"
                        r"|tu ngay nao|den ngay nao|thoi gian nao|thoi diem nao|thoi han|han chot|han cuoi"
                        r"|bat dau tu|(co )?hieu luc (khi|tu|ke tu)?\s*(nao|bao gio|ngay (nao|may)|ngay\s*\??$)"
                        r"|(tu|vao) (ngay|luc|thoi diem) (nao|may))\b")),
    # "phòng nào" is a room, unless it is the one that acts ("Phòng nào được giao tổ chức …": a department)
    ("place", re.compile(r"\b(o dau|tai dau|dia chi|dia diem|noi nao|cho nao|(hoi truong|tang|nha) nao"
                         r"|hoc o|hop o|to chuc o)\b"
                         rf"|(?<!^)\bphong nao\b(?!\s+(duoc|se|phai|co trach nhiem|{_ASKED_VERB[3:-1]})\b)")),
    ("document", re.compile(rf"\b(van ban|luat|{alternation(FOLDED)}) (nao|so may|so bao nhieu|gi)\b"
                            r"|\b(can cu|thay (the )?cho|thay the) (vao )?(van ban|quy dinh|[a-z ]{0,20})?\s*nao\b"
                            r"|\btheo (van ban|[a-z]+ )?(so may|nao)\b")),
    ("recipient", re.compile(r"\bgui (toi|cho|den|ve)? ?(nhung )?(ai|dau|co quan nao|don vi nao|noi nao)\b"
                             r"|\bnoi nhan\b|\bkinh gui\b")),
    # who takes part (not who leads): "ai được tham gia lớp", "những người nào phải dự", "đối tượng … là ai"
    ("participants", re.compile(r"\b(ai|nhung ai|nguoi nao|nhung nguoi nao|doi tuong nao|nhung doi tuong nao)"
                                r"( (duoc|phai|se|can|co the))? (tham gia|tham du|du)\b"
                                r"|\b(doi tuong|thanh phan)( [a-z]+,?){0,8} (la ai|la nhung ai|gom nhung ai|gom ai)\b"
                                r"|\b(doi tuong|thanh phan) nao\b")),
    ("purpose", re.compile(r"\b(de|nham) (lam gi|lam chi|muc dich gi|gi)\b|\bmuc dich (gi|la gi|nao|cua)\b")),
    ("signer", re.compile(_SIGNER)),
    # when a document takes effect: its closing article ("có hiệu lực kể từ ngày ký")
    ("effect", re.compile(r"\bhieu luc\b|\b(bat dau )?ap dung (tu |ke tu |vao )?(ngay nao|khi nao|bao gio|luc nao"
                          r"|thoi diem nao|tu ngay nao)\b")),
]


def asked_kinds(folded: str) -> frozenset[str]:
    """The kinds of thing the (folded) question asks for: 'time', 'duration', 'place', 'document',
    'recipient', 'participants', 'purpose', 'effect', 'signer' ('lớp học ở địa chỉ nào' -> {'place'}); empty when
    it asks none of them."""
    return frozenset(name for name, rx in _ASKS if rx.search(folded))
