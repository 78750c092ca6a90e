"""`/quiz` in the bot: a per-chat quiz session (items, position, score) and its Telegram HTML.

A session lives in memory only: a restart ends every quiz, and its buttons then get the
"finished" reply. Buttons carry `z:<session token>:<question>:<option>` (well under 64 bytes).
"""
from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from quydinh_bot import DIFFICULTY_LABELS, TYPE_LABELS, QuizItem

from .format import escape

DEFAULT_N = 5
MAX_N = 20
LETTERS = "ABCD"
_BUTTON_TEXT = 48  # characters of an option on its button; the message lists it in full
FINISHED = "Bộ câu hỏi này đã kết thúc. Gõ /quiz để làm bộ mới."
ANSWERED = "Câu này đã được trả lời."
USAGE = (f"Cú pháp: /quiz [số câu] [mã văn bản], ví dụ: /quiz 10 kh-376-2025 "
         f"(mặc định {DEFAULT_N} câu, tối đa {MAX_N}; mã văn bản xem trong /help).")
_CALLBACK = re.compile(r"^z:([\w-]{1,16}):(\d{1,2}):(\d)$")


@dataclass
class QuizArgs:
    n: int = DEFAULT_N
    doc_id: str | None = None


def parse_args(args: list[str], doc_ids: list[str]) -> QuizArgs:
    """`/quiz [n] [doc]` in either order; ValueError with a Vietnamese message otherwise."""
    out = QuizArgs()
    seen_n = False
    for a in args:
        if a.isdigit() and not seen_n:
            out.n, seen_n = int(a), True
            if not 1 <= out.n <= MAX_N:
                raise ValueError(f"Số câu hỏi phải từ 1 đến {MAX_N}. {USAGE}")
        elif out.doc_id is None:
            match = [d for d in doc_ids if d.lower() == a.lower()]
            if not match:
                raise ValueError(f"Không có văn bản mã “{a}”. Các mã hiện có: {', '.join(doc_ids)}.")
            out.doc_id = match[0]
        else:
            raise ValueError(USAGE)
    return out


@dataclass
class QuizSession:
    """One chat's running quiz."""

    items: list[QuizItem]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(6))
    index: int = 0  # the question now waiting for an answer
    score: int = 0

    @property
    def done(self) -> bool:
        return self.index >= len(self.items)

    def answer(self, option: int) -> bool:
        """Record the answer to the current question; True when it is right."""
        right = option == self.items[self.index].correct
        self.score += right
        self.index += 1
        return right


@dataclass
class QuizSessions:
    """Running quizzes by chat id; the oldest are dropped past `max_sessions`."""

    max_sessions: int = 500
    by_chat: OrderedDict = field(default_factory=OrderedDict)
    started: dict[int, int] = field(default_factory=dict)  # chat id -> quizzes started (for the seed)

    def seed_for(self, chat_id: int) -> int:
        """A different, reproducible seed for each quiz a chat starts."""
        count = self.started[chat_id] = self.started.get(chat_id, 0) + 1
        return abs(chat_id) * 1000 + count

    def start(self, chat_id: int, items: list[QuizItem]) -> QuizSession:
        session = QuizSession(items)
        self.by_chat.pop(chat_id, None)
        self.by_chat[chat_id] = session
        while len(self.by_chat) > self.max_sessions:
            self.by_chat.popitem(last=False)
        return session

    def get(self, chat_id: int) -> QuizSession | None:
        return self.by_chat.get(chat_id)

    def stop(self, chat_id: int) -> QuizSession | None:
        return self.by_chat.pop(chat_id, None)


def parse_callback(data: str) -> tuple[str, int, int] | None:
    """(session token, question index, option) from a quiz button's data."""
    m = _CALLBACK.match(data or "")
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def _label(item: QuizItem, i: int) -> str:
    return item.options[i] if item.type == "truefalse" else f"{LETTERS[i]}. {item.options[i]}"


def _short(text: str, limit: int = _BUTTON_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _header(session: QuizSession, i: int) -> str:
    item = session.items[i]
    kind = TYPE_LABELS.get(item.type, item.type)
    level = DIFFICULTY_LABELS.get(item.difficulty, item.difficulty)
    return f"<b>Câu {i + 1}/{len(session.items)}</b> <i>({escape(kind)}, {escape(level)})</i>\n{escape(item.question)}"


def question_html(session: QuizSession) -> str:
    item = session.items[session.index]
    lines = [_header(session, session.index)]
    if item.type != "truefalse":
        lines.append("")
        lines += [escape(_label(item, i)) for i in range(len(item.options))]
    return "\n".join(lines)


def question_keyboard(session: QuizSession) -> InlineKeyboardMarkup:
    item = session.items[session.index]
    return InlineKeyboardMarkup([[InlineKeyboardButton(_short(_label(item, i)),
                                                       callback_data=f"z:{session.token}:{session.index}:{i}")]
                                 for i in range(len(item.options))])


def result_html(session: QuizSession, i: int, chosen: int) -> str:
    """Question `i` once answered with `chosen`: the options marked, the verdict, the
    explanation (which quotes the clause) and the citation."""
    item = session.items[i]
    lines = [_header(session, i), ""]
    for j in range(len(item.options)):
        mark = "✅ " if j == item.correct else ("❌ " if j == chosen else "▫️ ")
        text = escape(_label(item, j))
        lines.append(mark + (f"<b>{text}</b>" if j == chosen else text))
    lines.append("")
    if chosen == item.correct:
        lines.append("✅ <b>Đúng!</b>")
    else:
        lines.append(f"❌ <b>Chưa đúng.</b> Đáp án: <b>{escape(_label(item, item.correct))}</b>")
    lines.append(f"Giải thích: {escape(item.explanation)}")
    lines.append(f"<i>Nguồn: {escape(item.citation)}</i>")
    return "\n".join(lines)


def score_text(session: QuizSession) -> str:
    return f"Bạn trả lời đúng {session.score}/{len(session.items)} câu."
