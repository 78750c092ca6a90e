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
from quydinh_bot.language.bodies import body_of_label, find_bodies, lead_bodies
from quydinh_bot.language.text import fold, normalize
from quydinh_bot.records import Clause

from .deadlines import is_deadline_phrase, parse_deadline

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


def _text_partners(text: str) -> list[str]:
    """Bodies named right after 'phối hợp (với)' up to the end of that phrase."""
    m = re.search(r"phối hợp(?: chặt chẽ)?(?: với)?\s+(.+?)(?:[;.]|\s(?:thường xuyên|để|trong|theo)\s|$)", text)
    if not m:
        return []
    seg = m.group(1)
    return list(dict.fromkeys(b.surface for b in find_bodies(seg)))


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
        in_closing = c.kind == "closing" or any(a.clause_id in closing_ids for a in ancestors(c))
        # --- deadline
        deadline_text = c.cells.get("deadline") or _text_deadline(c.raw, c.text)
        if not deadline_text and c.kind in {"enum", "bullet", "paragraph", "row"}:
            for a in ancestors(c):
                if m := _MONTH_HEAD.match(a.text):
                    deadline_text = m.group(1)
                    break
        c.deadline = parse_deadline(deadline_text) if deadline_text else None
        # --- partners
        c.partners = split_partners(c.cells["partners"]) if c.cells.get("partners") else _text_partners(c.text)
        # --- lead
        lead, source = None, None
        if c.cells.get("lead"):
            lead, source = re.sub(r"\s+", " ", c.cells["lead"]).strip(), "explicit"
        elif c.kind != "row" and (explicit := _explicit_lead(c.text)) is not None:
            lead, source = explicit, "explicit"
        elif ":" in c.text[:60] and (labelled := body_of_label(c.text.split(":", 1)[0])):
            lead, source = labelled, "explicit"  # "Ban Tổ chức Tỉnh ủy: Thống nhất tiếp nhận …"
        elif c.kind not in _NO_LEAD_KINDS and not in_closing:
            for a in ancestors(c):
                label = a.cells.get("lead_label") or (a.text if a.kind in _HEADING_KINDS else "")
                if label and (body := body_of_label(label)):
                    lead, source = body, "section"
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
        c.is_task = not in_closing and c.kind not in {"title", "footnote", "section", "group", "part", "appendix"} and (
            is_row or in_month_list or c.deadline is not None or source == "explicit"
            or (source == "section" and c.kind not in _HEADING_KINDS)
        )
    return clauses


def _title_case(label: str) -> str:
    """An unknown upper-case label, shown in sentence case rather than shouting."""
    text = re.sub(r"\s+", " ", label).strip()
    return text[:1] + text[1:].lower() if text.isupper() else text
