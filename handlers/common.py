"""Small helpers shared by the handlers: replying with an Outcome, and flushing the outbox."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.workflow import Outcome
from handlers.context import BotContext
from handlers.sender import keyboard

logger = logging.getLogger(__name__)


def user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def reply(update: Update, context: BotContext, outcome: Outcome) -> None:
    """Send the acting person the outcome text (with its buttons and file), then the outbox."""
    chat = update.effective_chat
    if chat is not None and outcome.text:
        markup = keyboard(outcome.buttons)
        if outcome.document is not None:
            name, content = outcome.document
            await context.bot.send_document(
                chat.id,
                content,
                filename=name,
                caption=outcome.text[:1000],
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        else:
            await context.bot.send_message(
                chat.id, outcome.text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
    await flush(context)


async def say(update: Update, context: BotContext, text: str) -> None:
    await reply(update, context, Outcome(True, text))


async def flush(context: BotContext) -> None:
    if context.sender is not None:
        await context.sender.flush()


async def drop_buttons(update: Update) -> None:
    """Take the buttons off the message that was tapped, so it reads as done."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:  # already without buttons, or too old to edit
        logger.debug("could not remove buttons: %s", exc)
