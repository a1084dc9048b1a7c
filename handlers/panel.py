"""The commands of a panel (a role with a lead): /pandangan (a member's view on an item),
/tugaskan (the lead assigns who records the test)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import texts
from bot.workflow import Outcome
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext


async def view(update: Update, context: BotContext) -> None:
    """/pandangan NOMOR_BUTIR teks."""
    args = context.args or []
    if len(args) < 2 or not args[0].isdigit():
        await reply(update, context, Outcome(False, texts.render("refusals", "view_usage")))
        return
    await reply(
        update,
        context,
        await context.workflow.consequence.add_view(
            user_id(update), int(args[0]), " ".join(args[1:])
        ),
    )


async def assign(update: Update, context: BotContext) -> None:
    """/tugaskan Nama anggota (or /tugaskan batal)."""
    await reply(
        update,
        context,
        await context.workflow.consequence.assign_tester(
            user_id(update), " ".join(context.args or [])
        ),
    )


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("pandangan", view))
    app.add_handler(CommandHandler("tugaskan", assign))
