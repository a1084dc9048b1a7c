"""What a person answers inside a conversation: a tapped button or a typed text.

A button's data has already matched the conversation's pattern; the workflow checks what it
names again (callback data comes from the client and is never trusted).
"""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.workflow import callback_data
from bot.workflow.callback_data import Tap
from handlers.common import answer, say
from handlers.context import BotContext

#: The longest text one answer may be (a field of a letter or of the Lembar Analisa).
MAX_FIELD = 4000


async def pressed(update: Update) -> str:
    """Stop the spinner of the tapped button and return its callback data."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer(query)
    return query.data


async def opening_tap(update: Update) -> Tap:
    """The button that opens a conversation, decoded (its entry point admits only what
    `callback_data.parse` decodes)."""
    tap = callback_data.parse(await pressed(update))
    assert tap is not None
    return tap


def typed_text(update: Update) -> str:
    """The typed text, without surrounding blanks."""
    assert update.message is not None
    return (update.message.text or "").strip()


async def empty_or_too_long(update: Update, context: BotContext, value: str) -> bool:
    """Say so, and True, when a typed answer is empty or longer than MAX_FIELD."""
    if not value:
        await say(update, context, texts.render("prompts", "empty"))
        return True
    if len(value) > MAX_FIELD:
        await say(update, context, texts.render("prompts", "too_long", limit=MAX_FIELD))
        return True
    return False
