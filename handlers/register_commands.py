"""/register [bulan] (Buku Ekspedisi + Kartu Kendali as XLSX) and /arsip [siklus] (ZIP)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext


async def register_month(update: Update, context: BotContext) -> None:
    """/register, /register 2026-11, /register 11/2026, /register november 2026."""
    month = " ".join(context.args or []) or None
    await reply(update, context, await context.workflow.registers.register(user_id(update), month))


async def archive(update: Update, context: BotContext) -> None:
    """/arsip [nomor siklus]: asks which cycle when there are several."""
    args = context.args or []
    cycle_id = int(args[0]) if args and args[0].isdigit() else None
    await reply(
        update, context, await context.workflow.registers.archive(user_id(update), cycle_id)
    )


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("register", register_month))
    app.add_handler(CommandHandler("arsip", archive))
