"""One small handler per command, one for free-text questions, one for the three buttons,
the digest job and the error handler. Everything the bot shows comes from `Assistant`.

The command and text handlers are wired for new messages only (app.py), so the update's message
is always there; their `message is None` checks are for the type checker, not a path taken."""
from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from functools import partial
from typing import Any, Callable, Literal

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from quydinh_bot import Assistant, TaskFilter, has_diacritics, read_task_scope
from quydinh_bot.config import Settings
from quydinh_bot.shells.audit import AuditLog
from quydinh_bot.shells.ratelimit import RateLimiter

from .access import AccessList, refusal
from .digest import DIGEST_DAYS, DigestStore
from .format import (
    MAX_MESSAGE,
    answer_html,
    escape,
    more_hits_pages,
    source_html,
    split_html,
    task_pages,
    utf16_len,
)
from .pages import EXPIRED_LIST, PageStore, page_keyboard, parse_page_callback
from .quiz import (
    ANSWERED,
    FINISHED,
    QuizSessions,
    parse_args,
    parse_callback,
    question_html,
    question_keyboard,
    result_html,
    score_text,
)

log = logging.getLogger(__name__)
VN_TZ = timezone(timedelta(hours=7), "ICT")  # Vietnam keeps no daylight saving time
APOLOGY = "Xin lỗi, đã có lỗi khi xử lý yêu cầu này. Vui lòng thử lại sau ít phút."
NOT_TEXT = ("Tôi chỉ đọc được câu hỏi bằng chữ. Hãy gõ câu hỏi, ví dụ: "
            "“ai chủ trì số hóa tài liệu?” hoặc gõ /help để xem hướng dẫn.")
EXPIRED = "Câu trả lời này đã cũ (trợ lý vừa khởi động lại). Hãy hỏi lại."
ANSWER_HITS = 20  # clauses kept with an answer: the first is the answer, the rest are paged by "Xem thêm"

COMMANDS = [
    ("start", "Bắt đầu, giới thiệu trợ lý"),
    ("help", "Hướng dẫn và câu hỏi mẫu"),
    ("ai", "Ai chủ trì một việc: /ai số hóa tài liệu"),
    ("han", "Thời hạn của một việc: /han tổng kết Nghị quyết 18"),
    ("viec", "Các việc một cơ quan chủ trì, có thể kèm tỉnh hoặc số văn bản: /viec Ban Tổ chức Tỉnh ủy "
             "Lai Châu"),
    ("sap_den_han", "Việc sắp đến hạn trong N ngày (mặc định 30), có thể kèm tỉnh/văn bản: "
                    "/sap_den_han 14 Thái Nguyên"),
    ("qua_han", "Việc đã quá hạn, có thể kèm tỉnh hoặc số văn bản: /qua_han 376"),
    ("nguon", "Toàn văn một điều khoản: /nguon kh-376-2025/VI.2.1"),
    ("nhac_han", "Bật/tắt nhắc việc đến hạn trong 7 ngày, mỗi ngày một lần: /nhac_han on"),
    ("quiz", "Câu hỏi trắc nghiệm ôn tập văn bản: /quiz 10 kh-376-2025 (mặc định 5 câu)"),
    ("quiz_dung", "Dừng bộ câu hỏi trắc nghiệm đang làm"),
]
BOT_COMMANDS = [BotCommand(name, text) for name, text in COMMANDS]

HELP = """<b>Trợ lý tra cứu văn bản</b>
Gõ câu hỏi bằng tiếng Việt, có dấu hoặc không dấu, ví dụ:
• ai chu tri so hoa tai lieu
• Khi nào phải tổng kết việc sắp xếp tổ chức bộ máy theo Nghị quyết 18?
• Năm 2026 phải thành lập mới bao nhiêu tổ chức đảng trong doanh nghiệp?

Mỗi câu trả lời nêu điều khoản, cơ quan chủ trì, phối hợp, thời hạn và nguồn; bấm các nút bên dưới để xem thêm.

Lệnh:
""" + "\n".join(f"/{name} — {escape(text)}" for name, text in COMMANDS)


@dataclass
class BotCore:
    """What every handler shares: the assistant, the access rules and the bot's small state."""

    assistant: Assistant
    settings: Settings
    access: AccessList
    limiter: RateLimiter  # questions and commands a minute, per user
    taps: RateLimiter  # quiz answers and page turns a minute, per user: apart, so they spend no question
    store: DigestStore
    audit: AuditLog
    digest_time: time
    answers: OrderedDict = field(default_factory=OrderedDict)  # token -> the contract answer
    quizzes: QuizSessions = field(default_factory=QuizSessions)  # chat id -> the running /quiz
    pages: PageStore = field(default_factory=PageStore)  # token -> a list sent a page at a time
    max_answers: int = 2000
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    digest_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a call into the assistant off the event loop, one at a time."""
        async with self.lock:
            return await asyncio.to_thread(fn, *args)

    def remember(self, answer: dict) -> str:
        """A short token for an answer (callback data is limited to 64 bytes)."""
        token = secrets.token_urlsafe(8)
        self.answers[token] = answer
        while len(self.answers) > self.max_answers:
            self.answers.popitem(last=False)
        return token

    def recall(self, token: str) -> dict | None:
        return self.answers.get(token)


def core_of(context: ContextTypes.DEFAULT_TYPE) -> BotCore:
    return context.bot_data["core"]


# --- sending ------------------------------------------------------------------------------
async def send_html(message: Message, html: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Reply with Telegram HTML, split under 4096 characters; the keyboard goes under the last part."""
    parts = split_html(html)
    for i, part in enumerate(parts):
        await message.reply_text(part, reply_markup=keyboard if i == len(parts) - 1 else None)


async def send_pages(core: BotCore, message: Message, pages: list[str]) -> None:
    """The first page of a list; when there are more, it is kept and "‹ Trước" / "Sau ›" turn it."""
    if not pages:
        return
    if len(pages) == 1:
        await send_html(message, pages[0])
        return
    token = core.pages.add(message.chat_id, pages)
    await send_html(message, pages[0], page_keyboard(token, 0, len(pages)))


async def send_plain(message: Message, text: str) -> None:
    await message.reply_text(text, parse_mode=None)


def keyboard_for(token: str, answer: dict) -> InlineKeyboardMarkup | None:
    hits = answer.get("hits") or []
    if not answer.get("answered") or not hits:
        return None
    row = []
    if len(hits) > 1:
        row.append(InlineKeyboardButton("Xem thêm", callback_data=f"m:{token}"))
    row.append(InlineKeyboardButton("Nguồn đầy đủ", callback_data=f"s:{token}"))
    rows = [row]
    if hits[0].get("lead"):
        rows.append([InlineKeyboardButton("Cùng cơ quan chủ trì", callback_data=f"l:{token}")])
    return InlineKeyboardMarkup(rows)


# --- who may ask --------------------------------------------------------------------------
async def admitted(update: Update, context: ContextTypes.DEFAULT_TYPE,
                   budget: Literal["question", "tap", "none"] = "question") -> BotCore | None:
    """The core when the sender may use the bot now; else they are refused (with their id)
    or asked to slow down, and None is returned. `budget` is what the request spends: "question"
    (the per-minute limit), "tap" (a quiz answer or a page turn: counted apart, a quiz never
    eats the question allowance) or "none" (stopping a quiz, which costs nothing)."""
    core = core_of(context)
    user, chat = update.effective_user, update.effective_chat
    user_id, chat_id = (user.id if user else None), (chat.id if chat else None)
    chat_type = chat.type if chat else None
    query = update.callback_query
    if not core.access.allows(user_id, chat_id, chat_type):
        log.info("Từ chối người dùng %s (nhóm %s)", user_id, chat_id)
        text = refusal(user_id, chat_id, chat_type)
        if query:
            await query.answer(text, show_alert=True)
        elif update.effective_message:
            await send_plain(update.effective_message, text)
        return None
    limiter = {"question": core.limiter, "tap": core.taps}.get(budget)
    wait = limiter.wait(user_id) if limiter is not None and user_id is not None else 0.0
    if wait:
        text = f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {int(wait) + 1} giây."
        if query:
            await query.answer(text, show_alert=True)
        elif update.effective_message:
            await send_plain(update.effective_message, text)
        return None
    return core


def addressed_text(message: Message, bot_id: int, username: str | None) -> str | None:
    """The question in a message meant for the bot: any text in a private chat; in a group only
    a reply to the bot or a message that mentions it (the mention removed). None otherwise."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    reply = message.reply_to_message
    if reply and reply.from_user and reply.from_user.id == bot_id:
        return text
    if username:
        mention = "@" + username.lower()
        for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
            if value.lower() == mention:
                return text.replace(value, " ", 1).strip()
        if mention in text.lower():
            return re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip()
    return None


# --- questions ----------------------------------------------------------------------------
async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    core = await admitted(update, context)
    message, user = update.effective_message, update.effective_user
    if core is None or message is None or user is None:  # a new message has both
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    try:
        answer = await core.run(core.assistant.ask, question, ANSWER_HITS)
    except ValueError as exc:  # empty or too long: the assistant says why, in Vietnamese
        await send_plain(message, str(exc))
        return
    core.audit.record("telegram", user.id, answer["question"],
                      [h["clause_id"] for h in answer["hits"]])
    token = core.remember(answer)
    await send_html(message, answer_html(answer["answer"]), keyboard_for(token, answer))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    question = addressed_text(message, context.bot.id, context.bot.username)
    if question is None:
        return
    await answer_question(update, context, question)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, empty text: a hint in a private chat, silence in a group."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    if await admitted(update, context):
        await send_plain(message, NOT_TEXT)


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have: a pointer to /help (in a group only if meant for this bot)."""
    message = update.effective_message
    if message is None:
        return
    command = (message.text or "").split()[0]
    name, _, target = command.partition("@")
    if message.chat.type != ChatType.PRIVATE and target.lower() != (context.bot.username or "").lower():
        return
    if await admitted(update, context):
        await send_plain(message, f"Không có lệnh {name}. Gõ /help để xem các lệnh và câu hỏi mẫu.")


# --- commands -----------------------------------------------------------------------------
def _arg(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or []).strip()


async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if await admitted(update, context) and message is not None:
        await send_html(message, "Xin chào! Tôi trả lời câu hỏi về các văn bản quy định: "
                        "ai chủ trì, ai phối hợp, thời hạn và nguồn trích dẫn.\n\n" + HELP)


async def cmd_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if await admitted(update, context) and message is not None:
        await send_html(message, HELP)


async def _ask_about(update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str, accented: str,
                    plain: str) -> None:
    """`/ai <việc>`, `/han <việc>`: the question written around the words, in their own accents."""
    what, message = _arg(context), update.effective_message
    if message is None:
        return
    if not what:
        await send_plain(message, usage)
        return
    await answer_question(update, context, (accented if has_diacritics(what) else plain).format(what))


async def cmd_ai(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _ask_about(update, context, "Cú pháp: /ai <việc>, ví dụ: /ai số hóa tài liệu", "Ai chủ trì {}?",
                     "ai chu tri {}")


async def cmd_han(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _ask_about(update, context, "Cú pháp: /han <việc>, ví dụ: /han số hóa tài liệu", "Thời hạn {} là khi nào?",
                     "thoi han {} la khi nao")


async def _task_list(update: Update, context: ContextTypes.DEFAULT_TYPE, f: TaskFilter, title: str,
                     empty: str, exclude: str | None = None, message: Message | None = None) -> None:
    core = core_of(context)
    message = message or update.effective_message
    if message is None:
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    if f.today is None:  # the bot's today, for the order and every status shown
        f.today = core.settings.today()
    tasks = await core.run(core.assistant.tasks, f, "nearest")
    tasks = [t for t in tasks if t["clause_id"] != exclude]
    if not tasks:
        await send_plain(message, empty)
        return
    await send_pages(core, message, task_pages(title, tasks))


def _scoped(core: BotCore, text: str) -> tuple[str, dict, str]:
    """A command's argument read for a province or a document (`read_task_scope`): the words left,
    the filter fields, and how the title names the scope (" · Lai Châu", " · 376-KH/TU")."""
    docs = core.assistant.documents()
    scope = read_task_scope(text, docs)
    fields: dict = {"province": scope.province, "doc_id": scope.doc_id}
    number = next((d.get("number") or d["doc_id"] for d in docs if d["doc_id"] == scope.doc_id), None)
    where = "".join(f" · {x}" for x in (scope.province, number) if x)
    return scope.rest, fields, where


async def cmd_viec(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not (core := await admitted(update, context)) or message is None:
        return
    body, scope, where = _scoped(core, _arg(context))
    if not body:
        await send_plain(message, "Cú pháp: /viec <cơ quan> [tỉnh] [số văn bản], ví dụ: /viec Ban Tổ chức Tỉnh ủy "
                                  "Lai Châu")
    else:
        await _task_list(update, context, TaskFilter(lead=body, **scope),
                         f"Việc do “{body}” chủ trì{where}, hạn gần nhất trước",
                         f"Không thấy việc nào do “{body}” chủ trì{where}.")


async def cmd_sap_den_han(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not (core := await admitted(update, context)) or message is None:
        return
    words = _arg(context).split()
    arg = words.pop(0) if words and words[0].isdigit() else "30"
    rest, scope, where = _scoped(core, " ".join(words))
    if not arg.isdigit() or not 1 <= int(arg) <= 3660 or rest:
        await send_plain(message, "Cú pháp: /sap_den_han [số ngày từ 1 đến 3660] [tỉnh hoặc số văn bản], ví dụ: "
                                  "/sap_den_han 14 Thái Nguyên")
    else:
        days, today = int(arg), core.settings.today()
        await _task_list(update, context, TaskFilter(status="upcoming", within_days=days, today=today, **scope),
                         f"Việc đến hạn trong {days} ngày tới (từ {today:%d/%m/%Y}){where}",
                         f"Không có việc nào đến hạn trong {days} ngày tới{where}.")


async def cmd_qua_han(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not (core := await admitted(update, context)) or message is None:
        return
    rest, scope, where = _scoped(core, _arg(context))
    if rest:
        await send_plain(message, "Cú pháp: /qua_han [tỉnh hoặc số văn bản], ví dụ: /qua_han Lai Châu")
        return
    today = core.settings.today()
    await _task_list(update, context, TaskFilter(status="overdue", today=today, **scope),
                     f"Việc đã quá hạn (tính đến {today:%d/%m/%Y}){where}, gần nhất trước",
                     f"Không có việc nào quá hạn{where}.")


async def cmd_nguon(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not (core := await admitted(update, context)) or message is None:
        return
    clause_id = _arg(context)
    if not clause_id:
        await send_plain(message, "Cú pháp: /nguon <mã điều khoản>, ví dụ: /nguon kh-376-2025/VI.2.1")
    else:
        ctx = await core.run(core.assistant.clause_context, clause_id)
        if ctx is None:
            await send_plain(message, f"Không có điều khoản mã “{clause_id}”.")
            return
        await send_html(message, source_html(ctx))


async def cmd_nhac_han(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    core = await admitted(update, context)
    message = update.effective_message
    if core is None or message is None:
        return
    chat_id, arg = message.chat_id, _arg(context).lower()
    at = core.digest_time.strftime("%H:%M")
    if arg in ("on", "bat", "bật"):
        core.store.subscribe(chat_id, True)
        text = (f"Đã bật nhắc hạn: mỗi ngày khoảng {at} tôi gửi các việc đến hạn trong {DIGEST_DAYS} ngày tới. "
                "Tắt bằng /nhac_han off.")
    elif arg in ("off", "tat", "tắt"):
        core.store.subscribe(chat_id, False)
        text = "Đã tắt nhắc hạn cho cuộc trò chuyện này."
    else:
        state = "đang bật" if core.store.is_subscribed(chat_id) else "đang tắt"
        text = f"Nhắc hạn hằng ngày {state}. Dùng /nhac_han on hoặc /nhac_han off."
    await send_plain(message, text)


async def cmd_quiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start (or restart) this chat's quiz and send its first question."""
    message = update.effective_message
    if not (core := await admitted(update, context)) or message is None:
        return
    chat_id = message.chat_id
    documents = await core.run(core.assistant.documents)
    try:
        args = parse_args(context.args or [], [d["doc_id"] for d in documents])
    except ValueError as exc:
        await send_plain(message, str(exc))
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    seed = core.quizzes.seed_for(chat_id)
    try:  # the first quiz of a seed builds its candidate pool (a few seconds)
        items = await core.run(partial(core.assistant.quiz, doc_id=args.doc_id, n=args.n, seed=seed))
    except ValueError as exc:  # QuizShortage included: the builder says why, in Vietnamese
        await send_plain(message, str(exc))
        return
    session = core.quizzes.start(chat_id, items)
    await send_html(message, question_html(session), question_keyboard(session))


async def cmd_quiz_dung(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if not (core := await admitted(update, context, budget="none")) or message is None:
        return
    session = core.quizzes.stop(message.chat_id)
    if session is None:
        text = "Không có bộ câu hỏi nào đang làm. Gõ /quiz để bắt đầu."
    else:
        text = f"Đã dừng bộ câu hỏi: bạn trả lời đúng {session.score}/{session.index} câu đã làm."
    await send_plain(message, text)


async def on_quiz_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An answer: the question is edited to show the verdict, explanation and citation, then
    the next question (or the score) follows."""
    query = update.callback_query
    if not (core := await admitted(update, context, budget="tap")) or query is None:
        return
    parsed = parse_callback(query.data or "")
    message = query.message if isinstance(query.message, Message) else None  # not an InaccessibleMessage
    session = core.quizzes.get(message.chat.id) if message is not None else None
    if parsed is None or message is None or session is None or session.token != parsed[0] or session.done:
        await query.answer(FINISHED, show_alert=True)
        return
    _, index, chosen = parsed
    if index != session.index or not 0 <= chosen < len(session.items[index].options):
        await query.answer(ANSWERED)
        return
    right = session.answer(chosen)
    await query.answer("Đúng!" if right else "Chưa đúng.")
    html = result_html(session, index, chosen)
    if utf16_len(html) <= MAX_MESSAGE:
        await query.edit_message_text(html, reply_markup=None)
    else:
        await query.edit_message_reply_markup(None)
        await send_html(message, html)
    if session.done:
        core.quizzes.stop(message.chat.id)
        await message.reply_text(score_text(session), parse_mode=None)
    else:
        await send_html(message, question_html(session), question_keyboard(session))


# --- buttons ------------------------------------------------------------------------------
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    core = await admitted(update, context)
    if core is None or query is None:
        return
    action, _, token = (query.data or "").partition(":")
    answer, message = core.recall(token), query.message
    if answer is None or not isinstance(message, Message):  # None, or an InaccessibleMessage
        await query.answer(EXPIRED, show_alert=True)
        return
    await query.answer()
    hits = answer["hits"]
    if action == "m":
        await send_pages(core, message, more_hits_pages(hits[1:]))
    elif action == "s":
        ctx = await core.run(core.assistant.clause_context, hits[0]["clause_id"])
        html = source_html(ctx) if ctx else escape(f"Không còn điều khoản mã “{hits[0]['clause_id']}”.")
        if utf16_len(html) <= MAX_MESSAGE:
            await query.edit_message_text(html, reply_markup=keyboard_for(token, answer))
        else:
            await send_html(message, html)
    elif action == "l":
        lead = hits[0].get("lead") or ""
        await _task_list(update, context, TaskFilter(lead=lead), f"Việc khác do {lead} chủ trì, hạn gần nhất trước",
                         f"Không có việc nào khác do {lead} chủ trì.", exclude=hits[0]["clause_id"], message=message)


async def on_page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"‹ Trước" / "Sau ›": the list's message edited to that page, its buttons with it."""
    query = update.callback_query
    if not (core := await admitted(update, context, budget="tap")) or query is None:
        return
    parsed, message = parse_page_callback(query.data or ""), query.message
    paged = core.pages.get(parsed[0], message.chat.id) if parsed and isinstance(message, Message) else None
    if parsed is None or paged is None:
        await query.answer(EXPIRED_LIST, show_alert=True)
        return
    token, page = parsed
    if not 0 <= page < len(paged.pages):
        await query.answer()
        return
    await query.answer()
    await query.edit_message_text(paged.pages[page], reply_markup=page_keyboard(token, page, len(paged.pages)))


# --- the daily digest ---------------------------------------------------------------------
async def send_digests(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sent to each subscribed, still allowed chat once a day after the digest time; the
    date is recorded per chat, so a restart (or this job running again) does not resend."""
    core = core_of(context)
    async with core.digest_lock:
        if datetime.now(VN_TZ).time() < core.digest_time.replace(tzinfo=None):
            return
        today = core.settings.today()
        chats = [c for c in core.store.due_today(today) if c in core.access.chats or c in core.access.users]
        if not chats:
            return
        f = TaskFilter(status="upcoming", within_days=DIGEST_DAYS, today=today)
        tasks = await core.run(core.assistant.tasks, f, "due")
        # every page a message of its own: a digest is read later, without buttons to press
        parts = task_pages(f"Nhắc hạn: việc đến hạn trong {DIGEST_DAYS} ngày tới (từ {today:%d/%m/%Y})", tasks)
        for chat_id in chats:
            try:
                for part in parts:
                    await context.bot.send_message(chat_id, part)
            except Forbidden:  # the bot was removed from the chat: do not try again today
                log.warning("Không gửi được nhắc hạn tới %s: bot không còn trong cuộc trò chuyện", chat_id)
            except TelegramError as exc:  # tried again at the next check
                log.warning("Không gửi được nhắc hạn tới %s: %r", chat_id, exc)
                continue
            core.store.mark_sent(chat_id, today)


# --- errors -------------------------------------------------------------------------------
async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception (not the message text) and apologise; the bot keeps running."""
    log.error("Lỗi khi xử lý cập nhật: %r", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, APOLOGY, parse_mode=None)
        except TelegramError as exc:
            log.error("Không gửi được lời xin lỗi: %r", exc)
