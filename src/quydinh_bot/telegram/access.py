"""Who may use the bot, and how often.

Documents belong to Party bodies, so the bot answers only ids an operator listed: in a private
chat the user (or that chat) must be listed; in a group the group itself must be listed, since
everyone in it would see the answer. Anyone else is told their id and nothing more.
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class AccessList:
    users: frozenset[int]
    chats: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.users and not self.chats

    def allows(self, user_id: int | None, chat_id: int | None, chat_type: str | None) -> bool:
        if chat_type in (None, "private"):
            return (user_id is not None and user_id in self.users) or (chat_id is not None and chat_id in self.chats)
        return chat_id is not None and chat_id in self.chats


def refusal(user_id: int | None, chat_id: int | None, chat_type: str | None) -> str:
    """The polite refusal: the ids an operator needs, nothing from the documents."""
    ids = f"Mã người dùng của bạn: {user_id}"
    if chat_type not in (None, "private"):
        ids += f"; mã nhóm này: {chat_id}"
    return (f"Xin lỗi, bạn chưa được cấp quyền sử dụng trợ lý này. {ids}. "
            "Hãy gửi mã này cho quản trị viên để được bổ sung vào danh sách cho phép.")


@dataclass
class RateLimiter:
    """At most `per_minute` requests per user in any sliding 60-second window."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, deque] = field(default_factory=dict)

    def check(self, user_id: int) -> float:
        """0 when the request may go ahead (and counts it), else the seconds to wait."""
        if self.per_minute <= 0:
            return 0.0
        now = self.clock()
        q = self._seen.setdefault(user_id, deque())
        while q and now - q[0] >= 60:
            q.popleft()
        if len(q) >= self.per_minute:
            return max(0.1, 60 - (now - q[0]))
        q.append(now)
        return 0.0
