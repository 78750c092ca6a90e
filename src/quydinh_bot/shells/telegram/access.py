"""Who may use the bot (how often: `shells.ratelimit`).

Documents belong to Party bodies, so the bot answers only ids an operator listed: in a private
chat the user (or that chat) must be listed; in a group the group itself must be listed, since
everyone in it would see the answer. Anyone else is told their id and nothing more.
"""
from __future__ import annotations

from dataclasses import dataclass


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
