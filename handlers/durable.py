"""Conversations that survive a crash at any moment.

While a callback of a `DurableConversation` runs, `handlers.common.send` only collects the
messages, and PTB's own persistence leaves this conversation and this person's user data
alone (`DbPersistence.held_*`). Afterwards the handler writes the new state with the user data
in one transaction, and orders that write with the messages so that a kill at any instant leaves
the person with a true last word:

- the conversation goes on (a new state): the state is stored first, then the messages are
  queued in the outbox and delivered. Killed in between, the person gets no question, but at
  the next start `tell_unfinished` tells them what the stored state waits for;
- the conversation ends: its last messages (often the result of an act, with the buttons to
  go on) are queued first, then the end is stored. Killed in between, they are delivered after
  the restart, followed by the note of what the still-stored state waits for; answering it
  again is harmless, because every act inside a conversation is idempotent when replayed (the
  run's version, a row's position).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, ConversationHandler

from bot import texts
from bot.workflow import Workflow
from handlers.common import DEFERRED, Deferred, button_rows, flush, send
from handlers.persistence import DbPersistence

logger = logging.getLogger(__name__)

#: (stored state, the person's user_data) -> (what it waits for: a key of the `resumed` text
#: in templates/texts/prompts.j2, the buttons to answer with or None).
Hint = Callable[[Any, dict[str, Any]], tuple[str, InlineKeyboardMarkup | None]]


class DurableConversation(ConversationHandler[Any]):
    """A persistent ConversationHandler that stores its state in order with its messages."""

    def __init__(self, *args: Any, hint: Hint, **kwargs: Any) -> None:
        kwargs["persistent"] = True
        super().__init__(*args, **kwargs)
        self.hint = hint

    async def handle_update(  # type: ignore[override]
        self,
        update: Update,
        application: Application[Any, Any, Any, Any, Any, Any],
        check_result: Any,
        context: Any,
    ) -> object | None:
        persistence = application.persistence
        if not isinstance(persistence, DbPersistence) or self.name is None:
            return await super().handle_update(update, application, check_result, context)
        key = self._get_key(update)
        user_id = update.effective_user.id if update.effective_user else 0
        held_key = (self.name, tuple(key))
        persistence.held_conversations.add(held_key)
        persistence.held_users.add(user_id)
        before = self._conversations.get(key)
        held: list[Deferred] = []
        token = DEFERRED.set(held)
        try:
            try:
                result = await super().handle_update(update, application, check_result, context)
            finally:
                DEFERRED.reset(token)
            state = self._conversations.get(key)  # None: ended, or never began
            if state is None and before is None:  # refused at the door: nothing to order
                for item in held:
                    await _send_now(context, item)
                held = []
            elif state is None:
                await _queue(context, held)  # what the end says, before the end is stored
                held = []
            user_data = dict(application.user_data.get(user_id) or {})
            await persistence.write_conversation(self.name, key, state, user_id, user_data)
        finally:
            persistence.held_conversations.discard(held_key)
            persistence.held_users.discard(user_id)
            await _queue(context, held)  # a new question, once its state is stored
            await flush(context)
        return result


async def _queue(context: Any, held: list[Deferred]) -> None:
    """Into the outbox; a stranger (no outbox of their own) or a file is sent at once."""
    for item in held:
        if item.document is None and await context.workflow.delivery.queue_reply(
            item.chat_id, item.text, button_rows(item.markup)
        ):
            continue
        await _send_now(context, item)


async def _send_now(context: Any, item: Deferred) -> None:
    await send(
        context,
        item.chat_id,
        item.text,
        markup=item.markup,
        document=item.document,
        parse_mode=item.parse_mode,
    )


async def tell_unfinished(app: Application[Any, Any, Any, Any, Any, Any], wf: Workflow) -> int:
    """At start-up: tell everyone in the middle of a conversation what it waits for."""
    if app.persistence is None:
        return 0
    told = 0
    for group in app.handlers.values():
        for handler in group:
            if not isinstance(handler, DurableConversation) or handler.name is None:
                continue
            stored = await app.persistence.get_conversations(handler.name)
            for key, state in stored.items():
                if state is None:
                    continue
                chat_id, user_id = int(key[0]), int(key[-1])
                user_data = app.user_data.get(user_id, {})
                try:
                    waiting, markup = handler.hint(state, user_data)
                except (KeyError, ValueError, TypeError):  # data of an older release
                    logger.warning("no hint for %s state %r", handler.name, state)
                    waiting, markup = "", None
                text = texts.render("prompts", "resumed", name=handler.name, waiting=waiting)
                if await wf.delivery.queue_reply(chat_id, text, button_rows(markup)):
                    told += 1
    return told
