"""/mulai, /tugas, /status (or the plain word "status") and /dokumen."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.workflow.sop_choice import choose_sop
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext
from handlers.report import send_timeline


async def start_cycle(update: Update, context: BotContext) -> None:
    """/mulai 2026 [sop] [judul]: the petugas starts a cycle (of the default SOP unless a
    SOP key follows the year); a bare /mulai asks which SOP when more than one can start."""
    args = context.args or []
    wf = context.workflow
    if not args and len(wf.sops.keys) > 1:
        await reply(
            update, context, await choose_sop(wf.core, user_id(update), wf.core.today().year)
        )
        return
    year = int(args[0]) if args and args[0].isdigit() else 0  # 0: refused as bad_year
    sop_key = args[1] if len(args) > 1 and args[1] in wf.sops.keys else None
    title = " ".join(args[2 if sop_key else 1 :]) or None
    await reply(update, context, await wf.acts.start_cycle(user_id(update), year, title, sop_key))


async def tasks(update: Update, context: BotContext) -> None:
    """/tugas: what this person must do now."""
    await reply(update, context, await context.workflow.views.tasks(user_id(update)))


async def status(update: Update, context: BotContext) -> None:
    """/status [nomor siklus]: where a cycle stands."""
    args = context.args or []
    cycle_id = int(args[0]) if args and args[0].isdigit() else None
    outcome = await context.workflow.views.status(user_id(update), cycle_id)
    await send_timeline(update, context, outcome)
    await reply(update, context, outcome)


async def documents(update: Update, context: BotContext) -> None:
    """/dokumen: the current documents of a cycle, again."""
    args = context.args or []
    cycle_id = int(args[0]) if args and args[0].isdigit() else None
    await reply(
        update, context, await context.workflow.views.cycle_documents(user_id(update), cycle_id)
    )


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("mulai", start_cycle))
    app.add_handler(CommandHandler("tugas", tasks))
    app.add_handler(CommandHandler("status", status))
    app.add_handler(CommandHandler("dokumen", documents))
    word = filters.Regex(re.compile(r"^\s*status\s*$", re.IGNORECASE))
    app.add_handler(MessageHandler(filters.TEXT & word, status))
