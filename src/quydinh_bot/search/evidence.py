"""Does a clause state the kind of thing a question asks for (question.asked.asked_kinds): a time,
a duration, a place, a document it refers to, the people it is sent to, who takes part, a purpose,
when it takes effect. Read from the clause's own
words by the shapes Vietnamese administrative text writes them in (dates as 29/4/2026 or "ngày 06
tháng 7 năm 2026", "13h30", "Quý IV"; "Địa điểm:", "tại Hội trường …"; a document number "số
1050/QĐ-SCT", "Nghị định số 181/2024/NĐ-CP", "Kế hoạch 3898"; "Kính gửi:", "Nơi nhận:"), never
from one document's words, so it means the same in any corpus. Ranking and decision both read it."""
from __future__ import annotations

import re

from quydinh_bot.language.text import fold
from quydinh_bot.question.kinds import FOLDED, alternation

_TIME = re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?\b|\bngay \d{1,2} thang \d{1,2}\b"
                   r"|\bthang \d{1,2}\s*(?:/|nam)\s*\d{4}\b|\b\d{1,2}\s*h\s*\d{0,2}\b|\bquy (?:i|ii|iii|iv|[1-4])\b"
                   r"|\b(?:truoc|sau|den|tu|trong) (?:ngay|thang|nam) \d|\bnam 20\d\d\b|\bke tu ngay\b"
                   r"|\b(?:hang|thuong xuyen|dinh ky)\b")
_DURATION = re.compile(r"\b\d+(?:,\d+)?\s*(?:ngay|thang|nam|buoi|gio|tuan|tiet)\b|\b(?:mot|hai|ba|bon|nam|sau|bay|"
                       r"tam|chin|muoi|nua) (?:ngay|thang|nam|buoi|tuan)\b")
_PLACE = re.compile(r"\b(?:dia diem|dia chi|hoi truong|phong hop|tru so)\b|\btai (?:so|hoi truong|tru so|phong|nha"
                    r"|tang|uy ban|so [a-z]|thon|xa|phuong|tinh|thanh pho|dia ban)\b|\bso \d+[a-z]?,? (?:duong|pho)\b")
_DOCUMENT = re.compile(r"\b\d{1,4}\s*/\s*(?:\d{4}\s*/\s*)?[a-zđ]{1,8}(?:-[a-zđ0-9]{1,12})+\b"
                       r"|\b\d{1,4}-[a-zđ]{1,6}/[a-zđ]{1,8}\b"
                       rf"|\b(?:{alternation(FOLDED)}|luat|dieu le) (?:so )?\d", re.IGNORECASE)
_RECIPIENT = re.compile(r"\bkinh gui\b|\bnoi nhan\b|\bgui (?:cac|toi|den|ve|cho)\b"
                        r"|\bthong bao (?:toi|den|cho) (?:cac|toan)\b")

_PARTICIPANTS = re.compile(r"\b(?:doi tuong|thanh phan|hoc vien|thanh vien)\b")
_PURPOSE = re.compile(r"\b(?:muc dich|nham)\b")
_EFFECT = re.compile(r"\bhieu luc\b")

_SHAPES = {"time": _TIME, "duration": _DURATION, "place": _PLACE, "document": _DOCUMENT, "recipient": _RECIPIENT,
           "participants": _PARTICIPANTS, "purpose": _PURPOSE, "effect": _EFFECT}
KINDS = tuple(_SHAPES)

# The label words administrative text puts before the thing itself, as an item's own label ("Thời gian:
# 13h30 ngày 29/4/2026", "Địa điểm: …", "Đối tượng: …", "Kính gửi: …") or as the heading of its section
# ("1. Mục đích", "Điều 4. Hiệu lực thi hành"): the template of plans, notices and decisions (Nghị định
# 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW), not one document's words. Folded; matched as the label's opening.
LABELS: dict[str, tuple[str, ...]] = {
    "time": ("thoi gian", "thoi diem", "thoi han", "thoi ky", "lich", "ngay", "han"),
    "duration": ("thoi gian", "thoi luong", "thoi han"),
    "place": ("dia diem", "dia chi", "noi to chuc", "noi hoc"),
    "document": ("can cu",),
    "recipient": ("kinh gui", "noi nhan"),
    "participants": ("doi tuong", "thanh phan", "hoc vien"),
    "purpose": ("muc dich",),
    "effect": ("hieu luc",),
}
_OWN_LABEL = re.compile(r"^\W*(?:[0-9ivxlc]{1,4}[.)]\s*|[a-zđ][.)]\s*|[-+*•]\s*)?([a-zđ ,/]{2,40}?)\s*:")
_NUMBERING = re.compile(r"^\W*(?:(?:dieu|muc|phan|chuong) [0-9ivxlc]+[.:]?\s*|(?:[0-9ivxlc]{1,4}[.)])+\s*"
                        r"|[a-zđ][.)]\s*|[-+*•]\s*)")


def own_label(folded_text: str) -> str:
    """The label an item opens with ("thoi gian kiem tra" of "Thời gian kiểm tra: 13h30 …"), or ''."""
    m = _OWN_LABEL.match(folded_text)
    return m.group(1).strip() if m and len(m.group(1).split()) <= 6 else ""


def section_label(folded_heading: str) -> str:
    """A heading without its numbering ("muc dich, yeu cau" of "I. MỤC ĐÍCH, YÊU CẦU")."""
    return _NUMBERING.sub("", folded_heading, count=1).strip()


def labelled(kind: str, label: str) -> bool:
    """The label (own_label / section_label) names a thing of `kind`."""
    return bool(label) and any(label == w or label.startswith(w + " ") or label.startswith(w + ",")
                               for w in LABELS[kind])


def states(kind: str, folded_text: str) -> bool:
    """The clause (its folded text: language.text.fold) states a thing of `kind`."""
    return bool(_SHAPES[kind].search(folded_text))


def stated(kinds: frozenset[str], text: str) -> frozenset[str]:
    """Which of `kinds` the clause text states."""
    if not kinds:
        return frozenset()
    f = fold(text)
    return frozenset(k for k in kinds if states(k, f))
