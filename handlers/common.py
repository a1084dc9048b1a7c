"""Small helpers shared by the handlers: replying with an Outcome, and flushing the outbox.

Every message to a person goes through `send()`: a call that did not reach Telegram (429, 5xx,
dropped connection) is tried again with backoff; if it still fails, or timed out, the message is
written to the outbox, which the sweeper retries, so a Telegram fault never loses it.
"""

from __future__ import annotations

import html
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot import texts
from bot.workflow import Outcome
from handlers.context import BotContext
from handlers.sender import keyboard, with_retries

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Deferred:
    """A message held back until the conversation's new state is stored (handlers.durable)."""

    chat_id: int
    text: str
    markup: Any
    document: tuple[str, bytes] | None
    parse_mode: str | None


#: Set by a DurableConversation while its callback runs: `send` collects here instead.
DEFERRED: ContextVar[list[Deferred] | None] = ContextVar("deferred_messages", default=None)


def user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def button_rows(markup: Any) -> list[list[list[str]]]:
    """An inline keyboard as the outbox stores it: rows of [label, callback data]."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [
        [[b.text, str(b.callback_data)] for b in row if b.callback_data is not None]
        for row in markup.inline_keyboard
    ]


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    *,
    markup: Any = None,
    document: tuple[str, bytes] | None = None,
    parse_mode: str | None = ParseMode.HTML,
) -> None:
    """Send one message (or file) to a person now; if Telegram fails, through the outbox."""
    held = DEFERRED.get()
    if held is not None:
        held.append(Deferred(chat_id, text, markup, document, parse_mode))
        return
    parts: list[str] = []
    try:
        if document is not None:
            name, content = document
            await with_retries(
                lambda: context.bot.send_document(
                    chat_id,
                    content,
                    filename=name,
                    caption=text[:1000],
                    parse_mode=parse_mode,
                    reply_markup=markup,
                ),
                f"reply with {name} to chat {chat_id}",
            )
        else:
            parts = texts.split_text(text)  # Telegram takes 4,096 characters a message
            while parts:
                await _send_part(context, chat_id, parts[0], markup, parse_mode, len(parts))
                parts.pop(0)
        return
    except BadRequest:
        raise  # our mistake (bad markup, too long): the error handler reports it
    except TelegramError as exc:
        failure = exc
    if document is None:  # only what was not sent yet
        text = "\n".join(parts)
    else:  # the file is not stored: say so, the person can ask again
        text = texts.render("notices", "reply_file_failed", text=text, filename=document[0])
    queued = await context.workflow.delivery.queue_reply(chat_id, text, button_rows(markup))
    if not queued:  # not a registered official: there is no outbox row for them
        logger.error("reply to unregistered chat %s could not be sent: %s", chat_id, failure)
        return
    logger.warning("reply to chat %s failed (%s); queued in the outbox", chat_id, failure)


async def send_here(update: Update, context: BotContext, text: str, markup: Any = None) -> None:
    """`send` to the chat the update came from (a conversation's next question)."""
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, text, markup=markup)


async def _send_part(
    context: BotContext,
    chat_id: int,
    part: str,
    markup: Any,
    parse_mode: str | None,
    left: int,
) -> None:
    """One part of a long message; its buttons go with the last part."""
    await with_retries(
        lambda: context.bot.send_message(
            chat_id, part, parse_mode=parse_mode, reply_markup=markup if left == 1 else None
        ),
        f"reply to chat {chat_id}",
    )


async def reply(update: Update, context: BotContext, outcome: Outcome) -> None:
    """Send the acting person the outcome text (with its buttons and file), then the outbox."""
    chat = update.effective_chat
    if chat is not None and outcome.text:
        await send(
            context,
            chat.id,
            outcome.text,
            markup=keyboard(outcome.buttons),
            document=outcome.document,
        )
    if DEFERRED.get() is None:  # else the conversation flushes after its own messages
        await flush(context)


async def say(update: Update, context: BotContext, text: str) -> None:
    await reply(update, context, Outcome(True, text))


async def flush(context: BotContext) -> None:
    """Start delivering the outbox (other people's messages) without waiting for it."""
    if context.sender is not None:
        context.sender.kick()


#: Telegram shows at most 200 characters of a callback answer (longer ones are refused).
ANSWER_LIMIT = 200
_TAG = re.compile(r"<[^>]+>")


def short_text(text: str) -> str:
    """The first line of a reply, without its HTML, as a callback answer shows it."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    plain = html.unescape(_TAG.sub("", first)).strip()
    if len(plain) > ANSWER_LIMIT:
        plain = plain[: ANSWER_LIMIT - 1].rstrip() + "…"
    return plain


async def answer(query: CallbackQuery, outcome: Outcome | None = None) -> None:
    """Stop the button's spinner, with the act's short result when there is one (called as
    soon as the act is decided, before the buttons are changed and the reply is sent).
    Best effort: the act and its reply do not depend on it (Telegram stops the spinner by
    itself), so a failure is logged, not raised."""
    text = short_text(outcome.text) if outcome is not None and outcome.text else None
    try:
        await with_retries(lambda: query.answer(text=text), f"answer to callback {query.id}")
    except TelegramError as exc:
        logger.warning("could not answer callback query %s: %s", query.id, exc)


async def edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Change the buttons of the tapped message. Cosmetic (every tap is re-checked against
    the database), so a failure is logged, not raised."""
    try:
        await with_retries(
            lambda: query.edit_message_reply_markup(reply_markup=markup),
            f"edit of the buttons for callback {query.id}",
        )
    except BadRequest as exc:  # already without buttons, or too old to edit
        logger.debug("could not change the buttons: %s", exc)
    except TelegramError as exc:
        logger.warning("could not change the buttons for callback %s: %s", query.id, exc)


async def drop_buttons(update: Update) -> None:
    """Take the buttons off the message that was tapped, so it reads as done."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    await edit_markup(query, None)
