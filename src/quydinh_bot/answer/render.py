"""What an answer says: its first line (the asked figure, deadline or lead, from the cited clause),
the clause with its lead, partners, deadline and citation, and a register answer's count and list,
all in the contract's shape. Nothing is generated beyond the documents' own words."""
from __future__ import annotations

import re
from datetime import date

from quydinh_bot.parse.signature import Signature
from quydinh_bot.question.query import Question
from quydinh_bot.question.register import RegisterQuestion
from quydinh_bot.records import Clause
from quydinh_bot.search.figures import asked_figure, figure_phrase, figures
from quydinh_bot.search.searcher import Hit, Searcher, SearchResult

NOT_FOUND = "Không tìm thấy điều khoản nào trong kho văn bản trả lời câu hỏi này"
NO_WORDS = ("Câu hỏi chưa có từ nào để tra cứu. Bạn hãy hỏi cụ thể nhiệm vụ, nội dung hoặc văn bản cần biết. "
            "Ví dụ: “Ai chủ trì số hóa tài liệu, hạn khi nào?”")


# Asking back: what a vague question should add, by what it asks for (its intent) — a task for who leads or
# by when, the figure's subject for how many, a topic otherwise — with an example of the same shape.
_ASK_BACK = {
    "lead": ("nhiệm vụ hoặc công việc cần biết cơ quan chủ trì", "Ai chủ trì số hóa tài liệu?"),
    "deadline": ("nhiệm vụ hoặc công việc cần biết thời hạn", "Hạn hoàn thành số hóa tài liệu là khi nào?"),
    "fact": ("con số cần biết là về nội dung gì (chỉ tiêu, tỷ lệ của việc nào, năm nào)",
             "Tỷ lệ kết nạp đảng viên mới năm 2026 là bao nhiêu?"),
    "list": ("lĩnh vực hoặc văn bản cần liệt kê nhiệm vụ", "Những nhiệm vụ nào về công tác cán bộ trong năm 2026?"),
    "clause": ("nội dung cần tra cứu", "Ai chủ trì số hóa tài liệu, hạn khi nào?"),
}


def ask_back(q: Question) -> str:
    """A short question back for a vague one (question.Question.vague): what to add — the task, the figure's
    subject — and the document if known, naming what was understood (a body, a date) so it is not typed again."""
    what, example = _ASK_BACK.get(q.intent, _ASK_BACK["clause"])
    known = [b for b in q.bodies] + ([f"năm {q.year}"] if q.year else []) + (
        [f"tháng {q.month[1]}/{q.month[0]}"] if q.month else [])
    about = f" về {', '.join(known)}" if known else ""
    return (f"Câu hỏi chưa đủ rõ để tra cứu{about}. Bạn hãy cho biết thêm {what}, và văn bản (số hoặc tên) "
            f"nếu biết. Ví dụ: “{example}”")


def _bold(s: str) -> str:
    return f"**{s}**"


def _due(d: str | None) -> str:
    if not d:
        return ""
    y, m, dd = (int(x) for x in d.split("-"))
    return f"{dd:02d}/{m:02d}/{y}"


def highlight_figures(text: str) -> str:
    """Bold the figures a 'how many' question asks about (percentages and counts)."""
    spans = figures(text)
    for m in reversed(spans):
        text = text[:m.start(1)] + _bold(m.group(1)) + text[m.end(1):]
    return text


def _asked_figure(text: str, q: Question, idf: dict[str, float]) -> str | None:
    """The figure the question asks for (figures.asked_figure), in bold within the whole phrase that states
    it ('Kết nạp khoảng trên **1.750** đảng viên trong các doanh nghiệp'), never cut inside it."""
    weights = {w: idf.get(w, 1.0) for w in q.content_words}
    best = asked_figure(text, weights, q.folded, q.expansions)
    if best is None:
        return None
    phrase = figure_phrase(text, best)
    value = best.group(1)
    at = phrase.find(value)
    return phrase[:at] + _bold(value) + phrase[at + len(value):] if at >= 0 else f"{_bold(value)} ({phrase})"


NO_FIGURE = "Trả lời: văn bản không nêu con số cụ thể cho nội dung này; điều khoản liên quan:"


def _asked_line(c: Clause, q: Question, idf: dict[str, float] | None = None, no_figure: bool = False) -> str | None:
    """The first line: the thing asked — the figure, the deadline or the responsible body."""
    if no_figure:
        return NO_FIGURE
    if q.intent == "fact":
        fig = _asked_figure(c.text, q, idf or {})
        return f"Trả lời: {fig}" if fig else None
    if (q.intent == "deadline" or q.wants_deadline) and c.deadline:
        due = f" (hạn chót {_due(c.deadline.due)})" if c.deadline.due else ""
        return f"Trả lời: thời hạn {_bold(c.deadline.text)}{due}"
    if (q.intent == "lead" or q.wants_lead) and c.lead:
        return f"Trả lời: {_bold(c.lead)} chủ trì"
    return None


def _signer_line(sig: Signature) -> str:
    """'Trả lời: người ký KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC **Hoàng Văn Thuân**' (the office alone where no name is printed)."""
    return f"Trả lời: người ký {sig.office} {_bold(sig.name)}" if sig.name else f"Trả lời: người ký {_bold(sig.office)}"


def hit_dict(h: Hit, searcher: Searcher) -> dict:
    d = h.clause.to_dict(searcher.title_of(h.clause.doc_id))
    d["score"] = round(float(h.score) * 60, 4)  # RRF scale -> about 0..2; only the order matters
    return d


def _clause_lines(c: Clause, intent: str) -> list[str]:
    text = highlight_figures(c.text) if intent == "fact" else c.text
    lines = [text]
    if c.lead:
        lines.append(f"Chủ trì: {_bold(c.lead) if intent == 'lead' else c.lead}")
    if c.partners:
        lines.append("Phối hợp: " + "; ".join(c.partners))
    if c.deadline:
        dl = c.deadline.text + (f" (hạn chót {_due(c.deadline.due)})" if c.deadline.due else "")
        lines.append(f"Thời hạn: {_bold(dl) if intent == 'deadline' else dl}")
    lines.append(f"Nguồn: {c.citation}")
    return lines


def answer_text(result: SearchResult, searcher: Searcher) -> str:
    if result.vague:
        return ask_back(result.query)
    if not result.answered:
        why = f" ({result.reason})" if result.reason else ""
        return f"{NOT_FOUND}{why}."
    q, top = result.query, result.hits[0].clause
    if result.expanded_from:
        head = searcher.clause(result.expanded_from)
        assert head is not None  # the searcher set it to a clause of its own index
        items = result.items
        lines = [f"{head.text}:"]
        for i, c in enumerate(items, 1):
            extra = f" — Chủ trì: {c.lead}" if c.lead and c.lead_source in {"explicit", "section"} else ""
            lines.append(f"{i}. {c.text}{extra}")
        shared = items[0].deadline if items and all(c.deadline == items[0].deadline for c in items) else None
        dl = head.deadline or shared
        if dl:
            lines.append(f"Thời hạn: {dl.text}")
        lines.append(f"Nguồn: {head.citation}")
        return "\n".join(lines)
    first = (_signer_line(result.signature) if result.signature
             else _asked_line(top, q, searcher.idf, result.no_figure))
    return "\n".join(([first] if first else []) + _clause_lines(top, q.intent))


def to_contract(question: str, result: SearchResult, searcher: Searcher) -> dict:
    return {
        "question": question,
        "answered": result.answered,
        "intent": result.query.intent,
        "answer": answer_text(result, searcher),
        "hits": [hit_dict(h, searcher) for h in result.hits],
    }


# -- register questions: answered from the task register, as a count and a list -------------
REGISTER_DISPLAY = 10  # lines a person reads at a glance; the rest is counted
_STATUS_WORDS = {"overdue": "đã quá hạn", "upcoming": "sắp đến hạn", "undated": "chưa có hạn cụ thể"}
_KIND_WORDS = {"recurring": "thực hiện thường xuyên", "done": "đã hoàn thành"}


def _short(text: str, limit: int = 110) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _register_scope(rq: RegisterQuestion, today: date) -> str:
    """'do Ban Tổ chức Tỉnh ủy chủ trì trong Kế hoạch số 376-KH/TU, có hạn trong tháng 9/2025'."""
    f, parts = rq.filter, []
    if rq.lead:
        parts.append(f"do {rq.lead} chủ trì")
    if f.partner:
        parts.append(f"có {f.partner} phối hợp")
    if rq.doc_label:
        parts.append(f"trong {_short(rq.doc_label, 90)}")
    if rq.window:
        parts.append(f"có hạn {rq.window.label}" if rq.window.label.startswith(("trong", "trước", "từ", "sau"))
                     else f"có hạn trong {rq.window.label}")
    if f.kind:
        parts.append(_KIND_WORDS.get(f.kind, f"hạn loại {f.kind}"))
    if f.status:
        word = _STATUS_WORDS[f.status]
        if f.status == "upcoming" and not rq.window:
            word += f" (trong {f.within_days} ngày tới)"
        if f.status in {"overdue", "upcoming"}:
            word += f", tính đến ngày {today:%d/%m/%Y}"
        parts.append(word)
    return ", ".join(parts)


def _task_line(i: int, c: Clause) -> str:
    bits = [f"{i}. {_short(c.text)}", f"Chủ trì: {c.lead or '—'}"]
    if c.deadline:
        dated = re.search(r"\d{1,2}/\d{1,2}/\d{4}", c.deadline.text)
        due = f" (hạn chót {_due(c.deadline.due)})" if c.deadline.due and not dated else ""
        bits.append(f"Hạn: {c.deadline.text}{due}")
    else:
        bits.append("Hạn: chưa ghi")
    bits.append(c.citation)
    return " — ".join(bits)


def register_text(rq: RegisterQuestion, tasks: list[Clause], shown: int, today: date) -> str:
    """The count, then one line per task (text shortened, lead, deadline, citation), then the rest counted."""
    scope = _register_scope(rq, today)
    if rq.decline or not tasks:  # declined in the one wording every shell knows, with the reason
        reason = rq.decline or f"Kho văn bản không có nhiệm vụ nào {scope}".rstrip()
        return f"{NOT_FOUND} ({reason[:1].lower()}{reason[1:]})."
    head = f"Có {_bold(str(len(tasks)))} nhiệm vụ {scope}".rstrip() + (" (xếp theo hạn):" if len(tasks) > 1 else ":")
    lines = [head]
    if rq.ask in {"earliest", "latest"}:
        dated = [(c, c.deadline.due) for c in tasks if c.deadline and c.deadline.due]
        if dated:
            pick, due = dated[0] if rq.ask == "earliest" else dated[-1]
            word = "sớm nhất" if rq.ask == "earliest" else "muộn nhất"
            lines = [f"Nhiệm vụ có hạn {word} ({_due(due)}): {pick.text} — Chủ trì: {pick.lead or '—'}"
                     f" — {pick.citation}", head]
    lines += [_task_line(i, c) for i, c in enumerate(tasks[:shown], 1)]
    if len(tasks) > shown:
        lines.append(f"và {len(tasks) - shown} nhiệm vụ khác.")
    return "\n".join(lines)


def register_filters(rq: RegisterQuestion) -> dict:
    """The contract's `filters`: lead, doc_id, due_after, due_before, status, and what else was read."""
    f = rq.filter
    return {"lead": f.lead, "doc_id": f.doc_id, "due_after": f.due_after, "due_before": f.due_before,
            "status": f.status, "partner": f.partner, "kind": f.kind, "doc_ids": f.doc_ids,
            "within_days": f.within_days if f.status == "upcoming" else None,
            "today": f.today.isoformat() if f.today else None, "ask": rq.ask}
