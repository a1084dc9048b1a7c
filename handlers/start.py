"""/start with an invite token, /help per role, and the polite answer to strangers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot import texts
from handlers.common import reply, say, user_id
from handlers.context import BotApp, BotContext
from handlers.menu import set_commands_for
from handlers.roles import RoleBook

STRANGER = "not_registered"


async def start(update: Update, context: BotContext) -> None:
    """Register with an invite token, or greet someone already registered."""
    token = context.args[0] if context.args else ""
    if token:
        outcome = await context.workflow.onboarding.redeem(user_id(update), token)
        await reply(update, context, outcome)
        if outcome.ok:
            book = RoleBook.of_registry(context.workflow.sops)
            await set_commands_for(context.bot, user_id(update), outcome.data["roles"], book)
        return
    await help_command(update, context)


async def help_command(update: Update, context: BotContext) -> None:
    """Explain what this person can do here."""
    person = await context.workflow.onboarding.whoami(user_id(update))
    if person is None:
        await reply(
            update, context, await context.workflow.core.refuse(user_id(update), "help", STRANGER)
        )
        return
    book = RoleBook.of_registry(context.workflow.sops)
    text = texts.render(
        "help",
        "help",
        name=person.name,
        can=book.capabilities(person.role_keys),
        invite_roles=", ".join(book.invite_words()),
    )
    await say(update, context, text)


async def unknown_text(update: Update, context: BotContext) -> None:
    """Anything typed outside a conversation: point to /tugas and /help."""
    person = await context.workflow.onboarding.whoami(user_id(update))
    if person is None:
        await reply(
            update,
            context,
            await context.workflow.core.refuse(user_id(update), "message", STRANGER),
        )
        return
    await say(update, context, texts.render("help", "unknown", name=person.name))


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler(["help", "bantuan"], help_command))


def register_fallback(app: BotApp) -> None:
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.ALL, unknown_text))
