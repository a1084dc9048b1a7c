"""A button tapped inside a conversation: its spinner stopped, its callback data read.

The conversation's patterns have already matched the data; the workflow checks what it names
again (callback data comes from the client and is never trusted).
"""

from __future__ import annotations

from telegram import Update

from bot.workflow import actions
from bot.workflow.actions import Tap
from handlers.common import answer


async def pressed(update: Update) -> str:
    """Stop the spinner of the tapped button and return its callback data."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer(query)
    return query.data


async def opening_tap(update: Update) -> Tap:
    """The button that opens a conversation, decoded (its entry point admits only what
    `actions.parse` decodes)."""
    tap = actions.parse(await pressed(update))
    assert tap is not None
    return tap
