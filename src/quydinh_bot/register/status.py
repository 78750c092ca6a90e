"""Where a task stands today: done, overdue, upcoming, recurring or undated, from its deadline,
the day, and what an operator marked (`marks.py`). One function for every view and filter, so
the CLI, the API, the web page, the bot and the exports agree.

A deadline that repeats ("thực hiện thường xuyên", "hằng năm", "hàng quý", "định kỳ") is never
overdue: the date beside it ("… tổng kết vào quý IV/2025") is when a step falls due, not when the
work stops. The operator's "done" ends a task; their "ongoing" reopens one the document calls done.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from quydinh_bot.language.text import fold
from quydinh_bot.records import Clause, Deadline

from .marks import Mark

STATES = ("done", "overdue", "upcoming", "recurring", "undated")  # a task is in exactly one
STATE_LABELS = {"done": "Đã xong", "overdue": "Quá hạn", "upcoming": "Còn hạn", "recurring": "Thường xuyên",
                "undated": "Chưa có hạn cụ thể"}
SOON_DAYS = 30  # "upcoming" within this many days is labelled "Sắp đến hạn"
_RECURRING = re.compile(r"\b(thuong xuyen|hang (nam|quy|thang|tuan|ngay|ky)|dinh ky|moi (nam|quy|thang|tuan)"
                        r"|hang nam|lien tuc|thuong nien)\b")


def is_recurring(deadline: Deadline | None) -> bool:
    """A deadline that repeats or runs on: its kind says so, or its words do."""
    if deadline is None:
        return False
    return deadline.kind == "recurring" or bool(_RECURRING.search(fold(deadline.text or "")))


def state_of(c: Clause, today: date, mark: Mark | None = None) -> str:
    """The one state of a task today (see STATES)."""
    dl = c.deadline
    if mark is not None and mark.status == "done":
        return "done"
    if dl is not None and dl.kind == "done" and not (mark is not None and mark.status == "ongoing"):
        return "done"
    due = dl.due if dl else None
    if due and due >= today.isoformat():
        return "upcoming"
    if is_recurring(dl):
        return "recurring"
    if due:
        return "overdue"
    return "undated"


def state_label(state: str, c: Clause, today: date, mark: Mark | None = None) -> str:
    """The state in words: "Quá hạn", "Sắp đến hạn" (within SOON_DAYS), "Đã xong"…, with
    "đang thực hiện" when an operator said the work is under way."""
    label = STATE_LABELS[state]
    due = c.deadline.due if c.deadline else None
    if state == "upcoming" and due and due <= (today + timedelta(days=SOON_DAYS)).isoformat():
        label = "Sắp đến hạn"
    if mark is not None and mark.status == "ongoing" and state != "done":
        label = "Đang thực hiện" if state in {"upcoming", "recurring", "undated"} else f"{label}, đang thực hiện"
    return label


def nearest_key(c: Clause, state: str) -> tuple:
    """Sort key of "nearest deadline first": upcoming soonest first, then overdue most recent
    first, then tasks without a date (recurring, undated), then done ones."""
    due = c.deadline.due if c.deadline else None
    day = date.fromisoformat(due).toordinal() if due else 0
    if state == "upcoming":
        return (0, day)
    if state == "overdue":
        return (1, -day)  # the most recent first
    return (2 if state in {"recurring", "undated"} else 3, 0)
