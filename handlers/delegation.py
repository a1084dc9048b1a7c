"""/plh PERAN "Nama pejabat" "Nama Plh." MULAI SELESAI: delegate a role for a date range."""

from __future__ import annotations

import shlex
from datetime import date

from telegram import Update
from telegram.ext import CommandHandler

from bot import texts
from bot.tanggal_input import parse_tanggal
from bot.workflow import Outcome
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext
from handlers.roles import RoleBook


async def plh(update: Update, context: BotContext) -> None:
    """Parse the arguments (quotes group a name), then one workflow call."""
    assert update.message is not None
    raw = (update.message.text or "").split(maxsplit=1)
    try:
        args = shlex.split(raw[1]) if len(raw) > 1 else []
    except ValueError:
        args = []
    start: date | None = parse_tanggal(args[3]) if len(args) == 5 else None
    end: date | None = parse_tanggal(args[4]) if len(args) == 5 else None
    if start is None or end is None:
        example = RoleBook.of_registry(context.workflow.sops).example_signer()
        usage = texts.render("refusals", "plh_usage", role=example)
        await reply(update, context, Outcome(False, usage))
        return
    await reply(
        update,
        context,
        await context.workflow.delegation.delegate(
            user_id(update), args[0].lower(), args[1], args[2], start, end
        ),
    )


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("plh", plh))
