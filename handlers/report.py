"""/laporan [bulan]: the Laporan Bulanan on demand; the timeline photo that goes with /status."""

from __future__ import annotations

import hashlib
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.workflow import Outcome
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext
from handlers.sender import with_retries

logger = logging.getLogger(__name__)
#: Telegram file_ids of timeline pictures kept (newest last).
KEPT_FILE_IDS = 64


async def monthly_report(update: Update, context: BotContext) -> None:
    """/laporan [2026-11]: the XLSX report and its chart for a month (this month by default)."""
    month = " ".join(context.args or []) or None
    await reply(
        update, context, await context.workflow.report.monthly_report(user_id(update), month)
    )


async def send_timeline(update: Update, context: BotContext, status: Outcome) -> None:
    """After a status view of one cycle, its timeline chart as a photo (sent before the text)."""
    cycle_id = status.data.get("cycle_id") if status.ok else None
    chat = update.effective_chat
    if cycle_id is None or chat is None:
        return
    chart = await context.workflow.report.cycle_timeline(user_id(update), cycle_id)
    if not chart.ok or chart.document is None:
        return
    name, png = chart.document
    # a picture sent before is sent again by Telegram's file_id, not uploaded again
    sent_ids: dict[str, str] = context.bot_data.extras.setdefault("timeline_file_ids", {})
    key = hashlib.sha256(png).hexdigest()
    photo: bytes | str = sent_ids.get(key, png)
    try:
        sent = await with_retries(
            lambda: context.bot.send_photo(
                chat.id,
                photo,
                caption=chart.text[:1000],
                parse_mode=ParseMode.HTML,
                filename=name,
            ),
            f"timeline to chat {chat.id}",
        )
    except TelegramError as exc:  # the status text still follows; /status sends it again
        sent_ids.pop(key, None)  # a refused file_id is uploaded the next time
        logger.warning("timeline chart to chat %s not sent: %s", chat.id, exc)
        return
    if sent.photo and key not in sent_ids:
        while len(sent_ids) >= KEPT_FILE_IDS:
            sent_ids.pop(next(iter(sent_ids)))
        sent_ids[key] = sent.photo[-1].file_id


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("laporan", monthly_report))
