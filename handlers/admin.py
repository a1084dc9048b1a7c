"""The admin's chat commands: /undang (invite link) and /opd (offices)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import texts
from bot.workflow import Outcome
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext
from handlers.roles import RoleBook


async def invite(update: Update, context: BotContext) -> None:
    """/undang PERAN [KODE_OPD] Nama | Jabatan."""
    words, _, jabatan = " ".join(context.args or []).partition("|")
    args = words.split()
    book = RoleBook.of_registry(context.workflow.sops)
    if len(args) < 2:
        usage = texts.render("admin", "invite_usage", **book.examples())
        await reply(update, context, Outcome(False, usage))
        return
    role, is_lead = book.invited_role(args[0])
    office = args[1] if role in book.per_office else None
    name = " ".join(args[2:] if office else args[1:])
    username = context.settings.telegram_bot_username or context.bot.username
    await reply(
        update,
        context,
        await context.workflow.onboarding.admin_invite(
            user_id(update), role, office, name, username, is_lead=is_lead, jabatan=jabatan
        ),
    )


async def offices(update: Update, context: BotContext) -> None:
    """/opd, or /opd tambah KODE Nama OPD."""
    args = context.args or []
    if len(args) >= 3 and args[0].lower() == "tambah":
        outcome = await context.workflow.onboarding.admin_add_office(
            user_id(update), args[1], " ".join(args[2:])
        )
    else:
        outcome = await context.workflow.onboarding.list_offices_text(user_id(update))
    await reply(update, context, outcome)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("undang", invite))
    app.add_handler(CommandHandler("opd", offices))
