"""Lists the bot sends a page at a time: the pages are kept bot-side under a short token (callback
data is limited to 64 bytes), per chat and bounded, and the "‹ Trước" / "Sau ›" buttons carry only
`p:<token>:<page>`. A tap edits the message to that page; a token forgotten (restart, or pushed
out by newer lists) is said to be old."""
from __future__ import annotations

import re
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

PREVIOUS = "‹ Trước"
NEXT = "Sau ›"
EXPIRED_LIST = "Danh sách này đã cũ (trợ lý vừa khởi động lại hoặc đã có nhiều danh sách mới hơn). Hãy gửi lại lệnh."
_CALLBACK = re.compile(r"p:([\w-]{1,16}):(\d{1,4})")


@dataclass(frozen=True)
class PagedList:
    """One list as sent: the chat it was sent to and its pages (Telegram HTML, whole items)."""

    chat_id: int
    pages: tuple[str, ...]


class PageStore:
    """The lists still pageable: at most `per_chat` a chat and `total` in all, oldest dropped first."""

    def __init__(self, per_chat: int = 20, total: int = 2000):
        self.per_chat, self.total = per_chat, total
        self._lists: OrderedDict[str, PagedList] = OrderedDict()
        self._by_chat: dict[int, deque[str]] = {}

    def __len__(self) -> int:
        return len(self._lists)

    def add(self, chat_id: int, pages: list[str]) -> str:
        token = secrets.token_urlsafe(6)
        while token in self._lists:
            token = secrets.token_urlsafe(6)
        self._lists[token] = PagedList(chat_id, tuple(pages))
        tokens = self._by_chat.setdefault(chat_id, deque())
        tokens.append(token)
        while len(tokens) > self.per_chat:
            self._lists.pop(tokens.popleft(), None)
        while len(self._lists) > self.total:
            old, paged = self._lists.popitem(last=False)
            chat = self._by_chat.get(paged.chat_id)
            if chat is not None:
                chat.remove(old)
                if not chat:
                    del self._by_chat[paged.chat_id]
        return token

    def get(self, token: str, chat_id: int) -> PagedList | None:
        """The list under `token` when it was sent to `chat_id` (a forwarded button finds nothing)."""
        paged = self._lists.get(token)
        return paged if paged is not None and paged.chat_id == chat_id else None


def page_keyboard(token: str, page: int, count: int) -> InlineKeyboardMarkup | None:
    """"‹ Trước" and "Sau ›" where there is a page that way; None for a one-page list."""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(PREVIOUS, callback_data=f"p:{token}:{page - 1}"))
    if page < count - 1:
        row.append(InlineKeyboardButton(NEXT, callback_data=f"p:{token}:{page + 1}"))
    return InlineKeyboardMarkup([row]) if row else None


def parse_page_callback(data: str) -> tuple[str, int] | None:
    m = _CALLBACK.fullmatch(data or "")
    return (m.group(1), int(m.group(2))) if m else None
