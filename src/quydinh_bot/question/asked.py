"""The asked phrase of a question: the verb that goes with its question word ("… ai lãnh đạo, chỉ đạo",
"… cơ quan nào tổ chức", "… gửi về đâu", "tổng số …") says what kind of answer is wanted, not what the clause is
about. Search weighs those words lightly, so a clause does not win because it opens with "Lãnh đạo, chỉ
đạo" when the question only asks who leads. (Kept apart from query.py: it reads, never builds, the index.)"""
from __future__ import annotations

import re

from quydinh_bot.language.bodies import fold_aligned

_ASKED_VERB = (r"(?:lanh dao|chi dao|to chuc|thuc hien|tham muu|chu tri|phu trach|lo|lam|dam nhan|dam nhiem"
               r"|trien khai|chiu trach nhiem|co trach nhiem|giup)")
_ASKED_PHRASES = [
    # "ai lãnh đạo, chỉ đạo" is one asked phrase; in "ai chủ trì tổ chức đại hội" the second verb is the task's own
    re.compile(rf"\b(?:ai|co quan nao|don vi nao|ban nao|cap nao|noi nao)\s+"
               rf"({_ASKED_VERB}(?:\s*,?\s*(?:va\s+)?(?:lanh dao|chi dao))*)\b"),
    re.compile(r"\b(gui|nop|chuyen)\s+(?:ve|o|cho|len|toi|den)\s+(?:dau|ai|noi nao|co quan nao|dau nao)\b"),
    # "tổng số đảng viên" asks how many: the clause says "có 140.549 đảng viên"
    re.compile(r"\b(tong so|tong cong)\b"),
    # "xã phường làm gì": what a body does
    re.compile(r"\b(lam|thuc hien)\s+(?:nhung\s+)?gi\b"),
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
