"""/dik and /dip [OPD atau kata kunci]: the DIK and the DIP in force; and the daily check of
expiring items."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot.workflow.dip_lookup import dip_lookup
from bot.workflow.reminders import send_yearly_reminders
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext

logger = logging.getLogger(__name__)


async def dik(update: Update, context: BotContext) -> None:
    """/dik [OPD atau kata kunci]: search the current SK's list (any registered official)."""
    query = " ".join(context.args or [])
    await reply(
        update, context, await context.workflow.publication.dik_lookup(user_id(update), query)
    )


async def dip(update: Update, context: BotContext) -> None:
    """/dip [OPD atau kata kunci]: search the Daftar Informasi Publik in force."""
    query = " ".join(context.args or [])
    await reply(update, context, await dip_lookup(context.workflow.core, user_id(update), query))


async def expiry_check(context: BotContext) -> None:
    """Daily job: tell the petugas, once per item, which exemptions end within 90 days."""
    flagged = await context.workflow.publication.flag_expiring()
    if flagged:
        logger.info("expiry check: %s new flag(s) for the petugas", flagged)
    await context.sender.flush()


async def yearly_reminders(context: BotContext) -> None:
    """Daily job: the yearly reminder that a SOP's cycle is due (SOP_YEARLY_REMINDERS)."""
    queued = await send_yearly_reminders(context.workflow.core)
    if queued:
        logger.info("yearly reminders: %s queued", queued)
        await context.sender.flush()


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("dik", dik))
    app.add_handler(CommandHandler("dip", dip))
