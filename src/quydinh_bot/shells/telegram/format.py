"""Telegram HTML from the contract's shapes: escaped document text, bold for what the
question asks about, lists as pages of whole items (`pages_html`: a few items a page, never over
Telegram's 4096-character limit, a long item shortened at a word), and other messages split under
that limit without breaking a tag or an entity.

Only the tags Telegram's HTML mode accepts are produced (<b>, <i>, <code>); everything that
comes from a document goes through `escape` first, so `<`, `&` and quotes in a clause are shown
as written and `*`/`_` are never read as markup (HTML mode has no Markdown).
"""
from __future__ import annotations

import html
import re
from datetime import date
from typing import Callable

MAX_MESSAGE = 4096
PAGE_SIZE = 5  # items on one page of a list
ITEM_MAX = 1200  # UTF-16 units one list item may take (its text is shortened to fit)
_TASK_TEXT = 300  # characters of a task's text in a list

_BOLD = re.compile(r"\*\*(.+?)\*\*")
# a tag, a newline, a run of other whitespace, or a word (entities inside it kept whole)
_TOKEN = re.compile(r"<[^>]*>|\n|[^\S\n]+|(?:&#?\w+;|[^\s<])+|<")
_UNIT = re.compile(r"&#?\w+;|.", re.S)
_TAG = re.compile(r"<(/?)(\w+)[^>]*>")


def escape(text: str | None) -> str:
    return html.escape(text or "", quote=False)


def answer_html(answer: str) -> str:
    """The contract's `answer` text as Telegram HTML: escaped, `**x**` (the lead, deadline or
    figure the question asks about) in bold, the citation line in italics."""
    lines = []
    for line in (answer or "").splitlines():
        out = _BOLD.sub(lambda m: f"<b>{m.group(1)}</b>", escape(line))
        if line.startswith("Nguồn: "):
            out = f"<i>{out}</i>"
        lines.append(out)
    return "\n".join(lines)


def _due(d: dict | None) -> str:
    due = (d or {}).get("due")
    if not due:
        return ""
    return date.fromisoformat(due).strftime("%d/%m/%Y")


def shorten(text: str | None, limit: int = _TASK_TEXT) -> str:
    """`text` in at most `limit` characters: cut at a word boundary (a word is never halved unless
    it alone is longer than half the room) and marked with "…"."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def hit_html(hit: dict, *, full: bool = False, text_limit: int = 600) -> str:
    """One clause with its lead, partners, deadline and citation."""
    lines = [escape(hit["text"] if full else shorten(hit["text"], text_limit))]
    if hit.get("lead"):
        lines.append(f"Chủ trì: {escape(hit['lead'])}")
    if hit.get("partners"):
        lines.append("Phối hợp: " + escape("; ".join(hit["partners"])))
    if hit.get("deadline"):
        due = _due(hit["deadline"])
        lines.append("Thời hạn: " + escape(hit["deadline"]["text"]) + (f" (hạn chót {due})" if due else ""))
    lines.append(f"<i>Nguồn: {escape(hit['citation'])}</i>")
    return "\n".join(lines)


STATUS_LABELS = {"overdue": "quá hạn", "upcoming": "sắp đến hạn", "undated": "chưa có hạn cụ thể",
                 "done": "đã thực hiện", "ongoing": "đang thực hiện", "later": "còn hạn"}


def _fitted(build: Callable[[int], str], limit: int) -> str:
    """`build(text_limit)` with the text shortened until the whole item fits in ITEM_MAX units."""
    item = build(limit)
    while utf16_len(item) > ITEM_MAX and limit > 40:
        limit = max(40, limit * ITEM_MAX // utf16_len(item) - 20)
        item = build(limit)
    return item


def task_item_html(n: int, t: dict) -> str:
    """One task of a list, numbered `n`: due date, text, lead, status and province when the task
    carries them, citation and clause id. Never over ITEM_MAX units, so a page never cuts it."""
    due = _due(t.get("deadline"))
    deadline_text = shorten((t.get("deadline") or {}).get("text"), 120)
    when = f"<b>{due}</b> " if due else (f"<b>{escape(deadline_text)}</b> " if deadline_text else "")
    extra = []
    if t.get("lead"):
        extra.append(f"Chủ trì: {escape(shorten(t['lead'], 200))}")
    status = t.get("status_label") or t.get("status")
    if isinstance(status, str) and status:
        extra.append(f"Tình trạng: {escape(STATUS_LABELS.get(status, status))}")
    where = [escape(shorten(str(t[k]), 80)) for k in ("document", "province") if t.get(k)]
    if where:
        extra.append(("Văn bản: " if t.get("document") else "Tỉnh: ") + " · ".join(where))
    tail = "".join(f"\n   {e}" for e in extra)
    cite = f"\n   <i>{escape(shorten(t.get('citation'), 200))}</i> · <code>{escape(t['clause_id'])}</code>"
    return _fitted(lambda limit: f"{n}. {when}{escape(shorten(t['text'], limit))}{tail}{cite}", _TASK_TEXT)


def hit_item_html(n: int, hit: dict) -> str:
    """One clause of the "Xem thêm" list, numbered `n`, fitted like a task item."""
    short = dict(hit, partners=[shorten("; ".join(hit.get("partners") or []), 400)] if hit.get("partners") else [],
                 lead=shorten(hit.get("lead"), 200) or None, citation=shorten(hit.get("citation"), 200))
    return _fitted(lambda limit: f"<b>{n}.</b> " + hit_html(short, text_limit=limit), 600)


def pages_html(title: str, items: list[str], unit: str = "việc") -> list[str]:
    """Whole items grouped PAGE_SIZE to a page (fewer where a page would pass MAX_MESSAGE), each
    page headed by the bold title, the count of `unit`s and "trang i/n". `title` is plain text."""
    head = f"<b>{escape(shorten(title, 300))}</b> ({len(items)} {unit}"
    room = MAX_MESSAGE - utf16_len(head) - 40  # ", trang 999/999)" and the blank line
    groups: list[list[str]] = []
    size = 0
    for item in items:
        cost = utf16_len(item) + 2
        if not groups or len(groups[-1]) >= PAGE_SIZE or size + cost > room:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += cost
    if len(groups) <= 1:
        return [f"{head})\n" + "\n\n".join(items)] if items else []
    return [f"{head}, trang {i}/{len(groups)})\n" + "\n\n".join(g) for i, g in enumerate(groups, 1)]


def task_pages(title: str, tasks: list[dict]) -> list[str]:
    """A task list (soonest due first as given) as pages of whole items."""
    return pages_html(title, [task_item_html(i, t) for i, t in enumerate(tasks, 1)])


def more_hits_pages(hits: list[dict]) -> list[str]:
    """The clauses after the first of an answer, as pages (numbered from 2, as under the answer)."""
    if not hits:
        return ["Không còn điều khoản nào khác."]
    return pages_html("Các điều khoản liên quan khác", [hit_item_html(i, h) for i, h in enumerate(hits, 2)],
                      "điều khoản")


def source_html(ctx: dict) -> str:
    """A clause in full with its heading path and, for a heading, the items under it."""
    clause = ctx["clause"]
    lines = [f"<b>{escape(clause['doc_title'])}</b>"]
    lines += [f"{'  ' * i}› {escape(h)}" for i, h in enumerate(ctx.get("heading_path") or [])]
    lines += ["", hit_html(clause, full=True)]
    children = ctx.get("children") or []
    if children:
        lines.append("")
        lines += [f"• {escape(c['text'])}" + (f" — Chủ trì: {escape(c['lead'])}" if c.get("lead") else "")
                  for c in children]
    lines.append(f"\nMã điều khoản: <code>{escape(clause['clause_id'])}</code>")
    return "\n".join(lines)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _hard_pieces(token: str, size: int) -> list[str]:
    out, cur = [], ""
    for ch in _UNIT.findall(token):
        if cur and utf16_len(cur + ch) > size:
            out.append(cur)
            cur = ""
        cur += ch
    return out + [cur] if cur else out


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into messages of at most `limit` UTF-16 units.

    Cuts at the last line break that has no tag open when one lies in the second half of a
    message, else between words; a tag open at a cut is closed before it and re-opened after
    it, and an entity (`&amp;`) or tag is never cut."""
    if utf16_len(text) <= limit:
        return [text]
    tokens = _TOKEN.findall(text)
    chunks: list[str] = []
    cur: list[str] = []
    cur_len = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag)
    safe: tuple[int, int] | None = None  # (tokens in cur, token index) just after a newline, no tag open

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(stack))

    def flush(keep: int | None = None) -> None:
        nonlocal cur, cur_len, safe
        body = "".join(cur if keep is None else cur[:keep]).rstrip()
        if keep is None:
            body += closing()
        if body.strip():
            chunks.append(body)
        cur = [t for _, t in stack] if keep is None else []
        cur_len = utf16_len("".join(cur))
        safe = None

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        tag = _TAG.fullmatch(tok)
        if tag and tag.group(1):  # a closing tag always fits: room for it was kept
            if stack and stack[-1][0] == tag.group(2):
                stack.pop()
            cur.append(tok)
            cur_len += utf16_len(tok)
            i += 1
            continue
        closing_len = utf16_len(closing()) + (len(tag.group(2)) + 3 if tag else 0)
        tok_len = utf16_len(tok)
        if cur_len + tok_len + closing_len > limit:
            if safe and utf16_len("".join(cur[: safe[0]])) * 2 >= limit:
                keep, i = safe
                flush(keep)
                stack.clear()  # as it was at the line break
                continue
            if "".join(cur).strip() != "".join(t for _, t in stack).strip():
                flush()
                if tok.isspace():
                    i += 1
                    continue
                closing_len = utf16_len(closing()) + (len(tag.group(2)) + 3 if tag else 0)
            if cur_len + tok_len + closing_len > limit:  # one word longer than a message
                room = max(1, limit - cur_len - closing_len)
                first, *rest = _hard_pieces(tok, room)
                tokens[i:i + 1] = [first] + (_hard_pieces("".join(rest), max(1, limit // 2)) if rest else [])
                tok, tok_len = first, utf16_len(first)
        cur.append(tok)
        cur_len += tok_len
        if tag:
            stack.append((tag.group(2), tok))
        elif tok == "\n" and not stack:
            safe = (len(cur), i + 1)
        i += 1
    flush()
    return chunks
