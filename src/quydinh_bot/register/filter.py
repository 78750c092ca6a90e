"""The task register, filtered: one implementation for `quydinh-bot tasks`, `GET /tasks`,
register questions in `ask`, and the bot's /viec, /sap_den_han and /qua_han.

A filter works on any list of task clauses (the parsed corpus or the index's clause store),
so every shell sees the same rows in the same order. Province and status read two things a
clause does not hold: its document's province (`documents`) and the operator's marks (`marks`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from quydinh_bot.language.bodies import abbreviations, body_of_label, find_bodies
from quydinh_bot.language.text import fold
from quydinh_bot.records import Clause

from .marks import Mark
from .status import is_recurring, nearest_key, state_of
from .tasks import TaskDocument, province_key

# overdue / upcoming (within `within_days`) / undated (no due date, recurring ones too) / recurring /
# done / ongoing (an operator said the work is under way)
STATUSES = ("overdue", "upcoming", "undated", "recurring", "done", "ongoing")
SORTS = ("nearest", "due", "document")
DEADLINE_KINDS = ("date", "month", "quarter", "year", "recurring", "conditional", "done")


def parse_date(value: str, name: str = "ngày") -> str:
    """ISO date from '2025-08-31' or '31/8/2025'; a Vietnamese ValueError otherwise."""
    value = (value or "").strip()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            except ValueError:
                pass
    raise ValueError(f"{name}: ngày không hợp lệ '{value}' (dùng dạng 2025-08-31 hoặc 31/8/2025).")


def name_keys(name: str) -> list[str]:
    """Folded forms of a body filter, with abbreviations expanded ('BTC' -> 'ban to chuc')."""
    keys = {fold(name)}
    expanded = name
    for abbr, full in sorted(abbreviations().items(), key=lambda kv: -len(kv[0])):
        expanded = re.sub(rf"(?<!\w){re.escape(abbr)}(?!\w)", full, expanded, flags=re.IGNORECASE)
    keys.add(fold(expanded))
    return [k for k in keys if k]


def lead_key(name: str) -> tuple[str, ...] | None:
    """The canonical bodies a lead filter names exactly ('BTC Tỉnh ủy', 'ban to chuc tinh uy' ->
    ('Ban Tổ chức Tỉnh ủy',)), or None when it is not wholly a gazetteer body ('ban to chuc')."""
    if not body_of_label(name):
        return None
    return tuple(dict.fromkeys(m.canonical for m in find_bodies(name)))


def lead_matches(c: Clause, bodies: tuple[str, ...] | None, keys: list[str]) -> bool:
    """A gazetteer body matches the task's own bodies (co-leads each count); other text matches
    inside the lead's wording, accent-insensitively."""
    if bodies:
        leads: Sequence[str | None] = c.leads or [c.lead]
        return any(b in leads for b in bodies)
    return any(k in fold(c.lead or "") for k in keys)


@dataclass
class TaskFilter:
    """What a register question or a `/tasks` request asks for; None means 'any'."""

    lead: str | None = None
    partner: str | None = None
    doc_id: str | None = None
    due_before: str | None = None  # ISO, inclusive
    due_after: str | None = None  # ISO, inclusive
    kind: str | None = None  # deadline kind, or "none" for tasks without a deadline
    status: str | None = None  # overdue | upcoming | undated (relative to `today`)
    within_days: int = 30  # the window of "upcoming"
    q: str | None = None  # free text, accent-insensitive, in the task's text or heading
    today: date | None = None
    doc_ids: list[str] | None = None  # any of these documents (a province with two documents)
    province: str | None = None  # the province of the task's document ("Lai Châu", "tinh lai chau")

    def __post_init__(self) -> None:
        if self.due_before:
            self.due_before = parse_date(self.due_before, "due_before")
        if self.due_after:
            self.due_after = parse_date(self.due_after, "due_after")
        if self.status and self.status not in STATUSES:
            raise ValueError(f"Trạng thái không hợp lệ '{self.status}' (dùng: {', '.join(STATUSES)}).")
        if self.kind and self.kind not in DEADLINE_KINDS + ("none",):
            raise ValueError(f"Loại thời hạn không hợp lệ '{self.kind}' (dùng: {', '.join(DEADLINE_KINDS)}, none).")
        if not 0 <= self.within_days <= 3660:
            raise ValueError("Số ngày phải từ 0 đến 3660.")

    def as_dict(self) -> dict:
        d = asdict(self)
        d["today"] = self.today.isoformat() if self.today else None
        return d


def due_of(c: Clause) -> str | None:
    return c.deadline.due if c.deadline else None


def status_matches(status: str, c: Clause, today: date, mark: Mark | None, within_days: int = 30) -> bool:
    """Whether a task is `status` today (the STATUSES filter values; see register/status.py)."""
    state = state_of(c, today, mark)
    due = due_of(c)
    if status == "upcoming":
        return state == "upcoming" and due is not None and due <= (today + timedelta(days=within_days)).isoformat()
    if status == "undated":
        return state != "done" and not due
    if status == "recurring":
        return state != "done" and is_recurring(c.deadline)
    if status == "ongoing":
        return mark is not None and mark.status == "ongoing" and state != "done"
    return state == status


def _matches(c: Clause, f: TaskFilter, lead_keys: list[str], partner_keys: list[str], q: str, today: date,
             lead_bodies: tuple[str, ...] | None = None, documents: Mapping[str, TaskDocument] | None = None,
             marks: Mapping[str, Mark] | None = None) -> bool:
    if f.doc_id and c.doc_id != f.doc_id:
        return False
    if f.doc_ids is not None and c.doc_id not in f.doc_ids:
        return False
    if f.province:
        doc = (documents or {}).get(c.doc_id)
        if doc is None or province_key(doc.province) != province_key(f.province):
            return False
    if (lead_keys or lead_bodies) and not lead_matches(c, lead_bodies, lead_keys):
        return False
    if partner_keys:
        partners = fold("; ".join(c.partners))
        if not any(k in partners for k in partner_keys):
            return False
    due = due_of(c)
    if f.due_before and (not due or due > f.due_before):
        return False
    if f.due_after and (not due or due < f.due_after):
        return False
    if f.kind:
        kind = c.deadline.kind if c.deadline else None
        if (kind or "none") != f.kind:
            return False
    if f.status and not status_matches(f.status, c, today, (marks or {}).get(c.clause_id), f.within_days):
        return False
    if q and q not in fold(c.text + " " + " ".join(c.heading_path[-1:])):
        return False
    return True


def filter_tasks(clauses: Iterable[Clause], f: TaskFilter | None = None, sort: str = "document",
                 today: date | None = None, documents: Mapping[str, TaskDocument] | None = None,
                 marks: Mapping[str, Mark] | None = None) -> list[Clause]:
    """The tasks among `clauses` that pass `f`: in document order (`sort="document"`), earliest
    due first (`"due"`; undated last, document order within a day), or nearest deadline first
    (`"nearest"`: upcoming soonest, then overdue most recent, then undated, then done).
    `documents` (by doc id) are needed for a province filter, `marks` (by clause id) for the
    operator's done/ongoing."""
    f = f or TaskFilter()
    today = today or f.today
    if today is None:  # "overdue" means nothing without it; the caller has the settings that say it
        raise TypeError("filter_tasks needs today's date (settings.today()), in `today` or in the filter")
    if f.province and documents is None:
        raise TypeError("filter_tasks needs the documents (their provinces) for a province filter")
    if sort not in SORTS:
        raise ValueError(f"Cách sắp xếp không hợp lệ '{sort}' (dùng: {', '.join(SORTS)}).")
    lead_keys = name_keys(f.lead) if f.lead else []
    bodies = lead_key(f.lead) if f.lead else None
    partner_keys = name_keys(f.partner) if f.partner else []
    q = fold(f.q) if f.q else ""
    marks = marks or {}
    out = [c for c in clauses
           if c.is_task and _matches(c, f, lead_keys, partner_keys, q, today, bodies, documents, marks)]
    if sort == "due":
        ranked = sorted(enumerate(out), key=lambda ic: (due_of(ic[1]) or "9999-99-99", ic[0]))
        out = [c for _, c in ranked]
    elif sort == "nearest":
        near = sorted(enumerate(out), key=lambda ic: (nearest_key(ic[1], state_of(ic[1], today, marks.get(
            ic[1].clause_id))), ic[0]))
        out = [c for _, c in near]
    return out
