"""Drive a real PTB ``Application`` against the stand-in, playing simulated officials.

Every action returns only after the bot has processed the update: the stand-in reports that
the Updater fetched the update and polled again past it (so it is in ``update_queue``), then
``update_queue.join()`` waits until PTB called ``task_done()``, which PTB 22 does in
``Application.__process_update_wrapper`` *after* ``process_update`` awaited every blocking
handler (and any blocking error handler).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, cast

from telegram.ext import Application, ContextTypes

from devtools.standin.models import SentMessage
from devtools.standin.server import BotApiStandin
from devtools.standin.state import WAIT_LIMIT

logger = logging.getLogger(__name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class Person:
    """A simulated official chatting with the bot in a private chat."""

    def __init__(self, chat: ChatDriver, user_id: int, name: str) -> None:
        self.chat = chat
        self.user_id = user_id
        self.name = name

    def __repr__(self) -> str:
        return f"Person({self.user_id}, {self.name!r})"

    async def say(self, text: str) -> list[SentMessage]:
        """Send ``text`` (``/command`` gets a bot_command entity); returns what came back."""
        return await self.chat.act(self.user_id, lambda s: s.push_text(self.user_id, text))

    async def tap(self, button_text: str) -> list[SentMessage]:
        """Tap the button labelled ``button_text`` on the newest message that has it."""
        message_id, data = self.chat.standin.find_button(self.user_id, button_text)
        return await self.tap_data(message_id, data)

    async def tap_data(self, message_id: int, data: str) -> list[SentMessage]:
        """Send a callback query with arbitrary (possibly forged or stale) ``data``."""
        return await self.chat.act(
            self.user_id, lambda s: s.push_callback(self.user_id, message_id, data)
        )

    async def upload(
        self,
        filename: str,
        data: bytes,
        mime_type: str = XLSX_MIME,
        caption: str | None = None,
    ) -> list[SentMessage]:
        """Send a document; the bot can getFile and download it."""
        return await self.chat.act(
            self.user_id,
            lambda s: s.push_document(self.user_id, filename, data, mime_type, caption),
        )

    @property
    def inbox(self) -> list[SentMessage]:
        """Everything the bot sent to this person, oldest first."""
        return self.chat.received(self.user_id)

    @property
    def last(self) -> SentMessage:
        """The newest message the bot sent to this person."""
        inbox = self.inbox
        if not inbox:
            raise AssertionError(f"{self!r} has received nothing")
        return inbox[-1]


class ChatDriver:
    """Handle returned by :func:`running`: creates persons and waits for the bot."""

    def __init__(
        self,
        application: AnyApplication,
        standin: BotApiStandin,
        *,
        raise_handler_errors: bool = True,
        timeout: float = WAIT_LIMIT,
    ) -> None:
        self.application = application
        self.standin = standin
        self.raise_handler_errors = raise_handler_errors
        self.timeout = timeout
        #: Exceptions raised by handlers (collected by an error handler added by running()).
        self.errors: list[BaseException] = []
        self.persons: dict[int, Person] = {}

    def person(self, user_id: int, name: str, username: str | None = None) -> Person:
        """Add a simulated user to the stand-in (idempotent) and return their Person."""
        self.standin.add_user(user_id, name, username)
        if user_id not in self.persons:
            self.persons[user_id] = Person(self, user_id, name)
        return self.persons[user_id]

    def received(self, user_id: int) -> list[SentMessage]:
        """Everything the bot sent to ``user_id``, oldest first."""
        return self.standin.sent(user_id)

    async def act(self, user_id: int, push: Callable[[BotApiStandin], int]) -> list[SentMessage]:
        """Push one update, wait until the bot processed it, return what ``user_id`` got."""
        mark = self.standin.mark()
        errors_before = len(self.errors)
        update_id = push(self.standin)
        await self.standin.wait_acknowledged(update_id, timeout=self.timeout)
        await self._join()
        new_errors = self.errors[errors_before:]
        if new_errors and self.raise_handler_errors:
            raise AssertionError(
                f"a handler raised while processing update {update_id}: {new_errors[0]!r}"
            ) from new_errors[0]
        return self.standin.changes_since(mark, user_id)

    async def settle(self, *, background: bool = True) -> None:
        """Wait until every pushed update was fetched and processed, and (``background``)
        until the bot's background delivery, if it has one, is done."""
        for update_id in self.standin.pending_update_ids():
            await self.standin.wait_acknowledged(update_id, timeout=self.timeout)
        await self._join(background=background)

    async def _join(self, *, background: bool = True) -> None:
        """Wait for update_queue.join(), then for tasks made by ``Application.create_task``,
        then (``background``) for the delivery the bot runs on its own: an object in bot_data
        with an ``idle()`` coroutine (this project's outbox sender, ``bot_data.sender``).

        The second part covers ``block=False`` handlers and ``concurrent_updates``: PTB keeps
        those tasks in a private set (``Application.__create_task_tasks``, awaited by
        ``Application.stop``); if a PTB release renames it, only that part is skipped.
        """
        app_tasks: set[asyncio.Task[Any]] = getattr(
            self.application, "_Application__create_task_tasks", set()
        )
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    await self.application.update_queue.join()
                    pending = [t for t in app_tasks if not t.done()]
                    if pending:
                        await asyncio.wait(pending)
                        continue
                    idle = self._background_idle() if background else None
                    if idle is None or await idle():
                        return
        except TimeoutError:
            raise AssertionError(
                f"the bot did not finish processing within {self.timeout}s "
                f"(update_queue size {self.application.update_queue.qsize()}, "
                f"pending tasks {sum(not t.done() for t in app_tasks)})"
            ) from None

    def _background_idle(self) -> Callable[[], Awaitable[bool]] | None:
        """The bot's ``sender.idle`` when it has one and is ``delivering`` now, else None."""
        sender = getattr(self.application.bot_data, "sender", None)
        if sender is None or not getattr(sender, "delivering", False):
            return None
        return cast("Callable[[], Awaitable[bool]]", sender.idle)

    async def _collect_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            logger.debug("handler error for %s", update, exc_info=context.error)
            self.errors.append(context.error)


@contextlib.asynccontextmanager
async def running(
    application: AnyApplication,
    standin: BotApiStandin,
    *,
    poll_timeout: float = 5.0,
    raise_handler_errors: bool = True,
    action_timeout: float = WAIT_LIMIT,
) -> AsyncIterator[ChatDriver]:
    """Run ``application`` against ``standin`` like ``run_polling`` does, then shut it down.

    Mirrors ``Application.run_polling``: initialize, post_init, start_polling, start; on exit
    updater.stop, stop, post_stop, shutdown, post_shutdown. Handler exceptions fail the action
    that caused them unless ``raise_handler_errors`` is False (they are in ``chat.errors``).
    """
    updater = application.updater
    if updater is None:
        raise ValueError("the Application has no Updater; build it without .updater(None)")
    chat = ChatDriver(
        application, standin, raise_handler_errors=raise_handler_errors, timeout=action_timeout
    )
    application.add_error_handler(chat._collect_error)
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=poll_timeout))
        await application.start()
        try:
            yield chat
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
                if application.post_stop:
                    await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        application.remove_error_handler(chat._collect_error)


__all__ = ["XLSX_MIME", "ChatDriver", "Person", "running"]
