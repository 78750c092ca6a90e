"""The records every layer passes along: a clause of a document and its deadline.

One dataclass for all clause kinds (headings, paragraphs, list items, table rows,
footnotes) keeps the index, the API and the bot speaking the same shape.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Deadline:
    """A deadline as written (`text`), the last allowed day (`due`, ISO) and its `kind`."""

    text: str
    due: str | None = None
    kind: str | None = None  # date | month | quarter | year | recurring | conditional | done | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "due": self.due, "kind": self.kind}


@dataclass
class Clause:
    """One numbered (or positioned) piece of a document, with what extraction found in it."""

    doc_id: str
    number: str  # number path as cited: "VI.2.1", "III.1.1.y2", "PL.3.(1)", "cth3"
    # title | part | appendix | heading | item | star | bullet | enum | paragraph | row | group | section | footnote
    kind: str
    text: str  # the document's own words, markup removed, whitespace collapsed
    heading_path: list[str] = field(default_factory=list)
    label: str = ""  # the clause's own marker as printed: "2.1", "(3)", "I", "-"
    parent_id: str | None = None
    order: int = 0
    raw: str = ""  # the same words with their markup, for extraction (italic deadlines)
    cells: dict[str, str] = field(default_factory=dict)  # table cells: lead / partners / deadline
    footnote_ids: list[str] = field(default_factory=list)  # footnotes cited in this clause
    # filled by extract.py
    lead: str | None = None
    lead_source: str | None = None  # explicit | section | issuer | None
    leads: list[str] = field(default_factory=list)  # the lead's bodies, canonical: two for a co-led task
    partners: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    citation: str = ""
    is_task: bool = False
    linked_id: str | None = None  # the same task elsewhere (narrative text <-> assignment-table row)

    @property
    def clause_id(self) -> str:
        return f"{self.doc_id}/{self.number}"

    def to_dict(self, doc_title: str | None = None) -> dict[str, Any]:
        """The contract's hit fields, the one serialiser of a clause: with `doc_title` when given
        (its document's title, which the clause does not hold); the caller adds `score`."""
        d = {
            "clause_id": self.clause_id,
            "doc_id": self.doc_id,
            "number": self.number,
            "kind": self.kind,
            "heading_path": list(self.heading_path),
            "text": self.text,
            "lead": self.lead,
            "lead_source": self.lead_source,
            "leads": list(self.leads),
            "partners": list(self.partners),
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "citation": self.citation,
            "parent_id": self.parent_id,
            "footnote_ids": list(self.footnote_ids),
            "is_task": self.is_task,
            "linked_id": self.linked_id,
        }
        if doc_title is not None:
            d["doc_title"] = doc_title
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Clause":
        dl = d.get("deadline")
        return cls(
            doc_id=d["doc_id"], number=d["number"], kind=d.get("kind", "paragraph"), text=d["text"],
            heading_path=list(d.get("heading_path") or []), label=d.get("label", ""), parent_id=d.get("parent_id"),
            order=d.get("order", 0), raw=d.get("raw", ""), cells=dict(d.get("cells") or {}),
            footnote_ids=list(d.get("footnote_ids") or []), lead=d.get("lead"),
            lead_source=d.get("lead_source"), leads=list(d.get("leads") or []), partners=list(d.get("partners") or []),
            deadline=Deadline(**dl) if dl else None, citation=d.get("citation", ""),
            is_task=bool(d.get("is_task")), linked_id=d.get("linked_id"),
        )

    def to_store(self) -> dict[str, Any]:
        """Everything, for the clause store on disk."""
        d = asdict(self)
        d["clause_id"] = self.clause_id
        return d
