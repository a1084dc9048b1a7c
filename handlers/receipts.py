"""The Diterima button under a delivered letter: one tanda terima, re-checked by the workflow."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.workflow import callback_data
from handlers.common import answer, edit_markup, reply, user_id
from handlers.context import BotApp, BotContext

logger = logging.getLogger(__name__)
PATTERN = r"^r:"


async def on_receipt(update: Update, context: BotContext) -> None:
    """Record the tanda terima; take only the Diterima button off the letter."""
    query = update.callback_query
    assert query is not None
    tap = callback_data.parse(query.data)
    if tap is None or tap.kind != "r":
        outcome = await context.workflow.core.refuse(user_id(update), "receipt", "unknown_button")
    else:
        outcome = await context.workflow.receipts.acknowledge_receipt(user_id(update), tap.ids[0])
    await answer(query, outcome)  # first: the spinner stops as soon as the act is decided
    if outcome.ok:
        await _drop_receipt_button(update)
    await reply(update, context, outcome)


async def _drop_receipt_button(update: Update) -> None:
    query = update.callback_query
    message = query.message if query else None
    if query is None or message is None or not hasattr(message, "reply_markup"):
        return
    markup = message.reply_markup
    rows = [
        [b for b in row if not str(b.callback_data or "").startswith("r:")]
        for row in (markup.inline_keyboard if markup else ())
    ]
    rows = [row for row in rows if row]
    await edit_markup(query, InlineKeyboardMarkup(rows) if rows else None)


def register(app: BotApp) -> None:
    """Before the generic button handler (handlers.callbacks), which does not know `r:`."""
    app.add_handler(CallbackQueryHandler(on_receipt, pattern=PATTERN))
