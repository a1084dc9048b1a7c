"""/health and /admin for the admin; every update logged at DEBUG with its ids (no content)."""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, TypeHandler

from bot.logs import Redactor
from bot.workflow.admin import Fact, api_fact
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext

logger = logging.getLogger(__name__)
TRACE_GROUP = -100


async def bot_api_probe(bot: Bot) -> Fact:
    """getMe through the same Bot (and base URL) the application uses."""
    try:
        me = await bot.get_me()
    except TelegramError as exc:  # InvalidToken quotes the token: redact it
        error = Redactor([bot.token])(f"{type(exc).__name__}: {exc}")
        return api_fact(configured=True, error=error)
    return api_fact(configured=True, username=me.username)


async def health(update: Update, context: BotContext) -> None:
    """/health: database, migrations, SOP file, outbox, overdue steps, Bot API."""

    async def probe() -> Fact:
        return await bot_api_probe(context.bot)

    await reply(update, context, await context.workflow.admin.health(user_id(update), probe))


async def admin_view(update: Update, context: BotContext) -> None:
    """/admin: messages that failed, refused attempts, steps past their deadline, tasks nobody
    holds; `/admin pejabat`, `/admin nonaktifkan ID`, `/admin aktifkan ID` for officials."""
    args = [a.lower() for a in context.args or []]
    wf, uid = context.workflow, user_id(update)
    if args[:1] == ["pejabat"]:
        outcome = await wf.officials.admin_officials(uid)
    elif args[:1] in (["nonaktifkan"], ["aktifkan"]):
        ref = args[1] if len(args) == 2 else ""
        outcome = await wf.officials.admin_set_official_active(uid, ref, args[0] == "aktifkan")
    else:
        outcome = await wf.admin.admin_view(uid)
    await reply(update, context, outcome)


async def trace(update: Update, context: BotContext) -> None:
    """Log that an update arrived, with update_id/user_id/chat_id as fields (never its text)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    kind = "callback_query" if update.callback_query else "message" if update.message else "other"
    logger.debug(
        "update %s (%s)",
        update.update_id,
        kind,
        extra={
            "update_id": update.update_id,
            "user_id": getattr(update.effective_user, "id", None),
            "chat_id": getattr(update.effective_chat, "id", None),
            "kind": kind,
        },
    )


def register(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, trace), group=TRACE_GROUP)
    app.add_handler(CommandHandler("health", health))
    app.add_handler(CommandHandler("admin", admin_view))
