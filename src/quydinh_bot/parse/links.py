"""Linking the same task written twice: once in the narrative, once as an assignment-table row.

Programmes state a task in prose ("Xây dựng và ban hành quy chế làm việc mẫu … (*thực hiện
khi có hướng dẫn của Trung ương*)") and again in their assignment table with its lead body.
The prose clause then shows the table's lead, partners and deadline, so an answer found in
either place names who leads it.
"""
from __future__ import annotations

import re

from quydinh_bot.language.text import fold
from quydinh_bot.records import Clause

_STOP = set("va cac cua trong cho voi ve theo tai de the nhung mot duoc co la tiep tuc thuc hien".split())
MIN_OVERLAP = 0.5
_CODE = re.compile(r"\d+-[A-Za-zĐđ]+/[A-Za-zĐđ]+")


def _terms(text: str) -> set[str]:
    toks = re.findall(r"[a-z0-9]+", fold(text))
    return {f"{a} {b}" for a, b in zip(toks, toks[1:]) if a not in _STOP or b not in _STOP}


def link_tasks(clauses: list[Clause]) -> None:
    """Set `linked_id` both ways and give prose clauses the lead of their table row."""
    rows = [c for c in clauses if c.kind == "row" and c.lead_source == "explicit"]
    if not rows:
        return
    row_terms = [(_terms(r.text), set(_CODE.findall(r.text)), r) for r in rows]
    for c in clauses:
        if c.kind not in {"bullet", "enum", "paragraph", "item"} or c.lead_source == "explicit":
            continue
        if c.kind == "item" and len(c.text) < 90:  # a numbered heading, not a task
            continue
        mine = _terms(c.text)
        if len(mine) < 3:
            continue
        my_codes = set(_CODE.findall(c.text))
        best, best_score = None, 0.0
        for terms, codes, row in row_terms:
            if not terms or (codes and my_codes and not codes <= my_codes):
                continue  # both cite documents, and the row cites one the prose does not
            shared = len(mine & terms)
            score = min(shared / len(mine), shared / len(terms))  # both sides mostly the same words
            if score > best_score:
                best, best_score = row, score
        if best is None or best_score < MIN_OVERLAP:
            continue
        c.linked_id = best.clause_id
        best.linked_id = best.linked_id or c.clause_id
        c.lead, c.leads, c.lead_source = best.lead, list(best.leads), "explicit"
        if not c.partners:
            c.partners = list(best.partners)
        if c.deadline is None:
            c.deadline = best.deadline
        c.is_task = True
