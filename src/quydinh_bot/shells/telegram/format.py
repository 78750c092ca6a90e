"""Telegram HTML from the contract's shapes: escaped document text, bold for what the
question asks about, and messages split under Telegram's 4096-character limit without
breaking a tag or an entity.

Only the tags Telegram's HTML mode accepts are produced (<b>, <i>, <code>); everything that
comes from a document goes through `escape` first, so `<`, `&` and quotes in a clause are shown
as written and `*`/`_` are never read as markup (HTML mode has no Markdown).
"""
from __future__ import annotations

import html
import re
from datetime import date

MAX_MESSAGE = 4096
MAX_LIST = 30  # tasks listed in one reply; the rest are counted
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


def _short(text: str, limit: int = _TASK_TEXT) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def hit_html(hit: dict, *, full: bool = False) -> str:
    """One clause with its lead, partners, deadline and citation."""
    lines = [escape(hit["text"] if full else _short(hit["text"], 600))]
    if hit.get("lead"):
        lines.append(f"Chủ trì: {escape(hit['lead'])}")
    if hit.get("partners"):
        lines.append("Phối hợp: " + escape("; ".join(hit["partners"])))
    if hit.get("deadline"):
        due = _due(hit["deadline"])
        lines.append("Thời hạn: " + escape(hit["deadline"]["text"]) + (f" (hạn chót {due})" if due else ""))
    lines.append(f"<i>Nguồn: {escape(hit['citation'])}</i>")
    return "\n".join(lines)


def more_hits_html(hits: list[dict]) -> str:
    if not hits:
        return "Không còn điều khoản nào khác."
    parts = [f"<b>{i}.</b> {hit_html(h)}" for i, h in enumerate(hits, 2)]
    return "<b>Các điều khoản liên quan khác:</b>\n\n" + "\n\n".join(parts)


def task_list_html(title: str, tasks: list[dict], empty: str) -> str:
    """A numbered task list (soonest due first as given), at most MAX_LIST shown."""
    if not tasks:
        return escape(empty)
    lines = [f"<b>{escape(title)}</b> ({len(tasks)} việc)"]
    for i, t in enumerate(tasks[:MAX_LIST], 1):
        due = _due(t.get("deadline"))
        when = f"<b>{due}</b> " if due else (f"<b>{escape(t['deadline']['text'])}</b> " if t.get("deadline") else "")
        lead = f"\n   Chủ trì: {escape(t['lead'])}" if t.get("lead") else ""
        lines.append(f"{i}. {when}{escape(_short(t['text']))}{lead}\n   <i>{escape(t['citation'])}</i> · "
                     f"<code>{escape(t['clause_id'])}</code>")
    if len(tasks) > MAX_LIST:
        lines.append(f"… và {len(tasks) - MAX_LIST} việc khác.")
    return "\n".join(lines)


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
