"""/libur: the coming holidays; the admin adds, removes or overrides a day."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import texts
from bot.workflow import Outcome
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext

OPS = {"tambah": "add", "hapus": "remove", "kerja": "workday"}


async def holidays(update: Update, context: BotContext) -> None:
    """/libur, /libur tambah TANGGAL Keterangan, /libur hapus TANGGAL, /libur kerja TANGGAL Ket."""
    args = context.args or []
    wf = context.workflow
    if not args:
        outcome = await wf.holidays.holidays_text(user_id(update))
    elif args[0].lower() in OPS and len(args) >= 2:
        op = OPS[args[0].lower()]
        outcome = await wf.holidays.admin_extra_day(
            user_id(update), op, args[1], " ".join(args[2:])
        )
    else:
        outcome = Outcome(False, texts.render("refusals", "holiday_usage"))
    await reply(update, context, outcome)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("libur", holidays))
