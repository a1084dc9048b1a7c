"""Deliver the outbox: every message owed, with its file and buttons; retried until sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.texts import split_text
from bot.workflow import Workflow
from storage.dto import OutboxDTO

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Attempts of one Bot API call within one flush or one reply (the first one included).
ATTEMPTS = 4
#: First pause after a 5xx or a dropped connection; doubled after each further failure.
BACKOFF_SECONDS = 0.2
#: A 429 asking for a longer pause than this is left to the sweeper (next flush).
MAX_RETRY_AFTER_SECONDS = 5.0


def transient(exc: Exception) -> bool:
    """Did this call fail before Telegram executed it, so that trying again is safe?

    429 (after PTB's rate limiter gave up), 5xx answers and dropped connections are; a timeout
    is not (the call may have been executed: Telegram has no idempotency key), and neither are
    400 and 403 (trying again gives the same answer).
    """
    if isinstance(exc, RetryAfter):
        return True
    return isinstance(exc, NetworkError) and not isinstance(exc, TimedOut | BadRequest)


def _pause(exc: Exception, backoff: float) -> float:
    if isinstance(exc, RetryAfter):
        after = exc.retry_after
        return after.total_seconds() if isinstance(after, timedelta) else float(after)
    return backoff


async def with_retries(call: Callable[[], Awaitable[T]], what: str) -> T:
    """Run one Bot API call, trying again (with backoff) while the failure is `transient`.

    The last failure is raised: the caller keeps the message pending (the outbox) or logs it.
    """
    backoff = BACKOFF_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except (RetryAfter, NetworkError) as exc:
            pause = _pause(exc, backoff)
            if not transient(exc) or attempt == ATTEMPTS or pause > MAX_RETRY_AFTER_SECONDS:
                raise
            logger.info("%s failed (%s); attempt %s in %.1f s", what, exc, attempt + 1, pause)
            await asyncio.sleep(pause)
            backoff *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _round_robin(batch: list[OutboxDTO]) -> list[OutboxDTO]:
    """The first message of every chat, then the second...: a fan-out to many chats does not
    send twice in a row to one chat (Telegram's per-chat limit), and each chat keeps its order."""
    seen: dict[int, int] = {}
    keyed = []
    for message in batch:
        rank = seen.get(message.chat_id, 0)
        seen[message.chat_id] = rank + 1
        keyed.append((rank, message.id, message))
    return [m for _rank, _id, m in sorted(keyed, key=lambda k: (k[0], k[1]))]


def keyboard(buttons: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


class OutboxSender:
    """Sends pending outbox messages in order; one flush at a time in this process."""

    def __init__(self, workflow: Workflow, bot: Bot) -> None:
        self.workflow = workflow
        self.bot = bot
        self._lock = asyncio.Lock()

    async def flush(self) -> int:
        sent = 0
        async with self._lock:
            while True:
                batch = _round_robin(await self.workflow.pending_messages())
                progressed = False
                failed_chats: set[int] = set()
                for message in batch:
                    if message.chat_id in failed_chats:
                        continue  # keep the order of one chat: retry later
                    if await self._deliver(message):
                        sent += 1
                        progressed = True
                    else:
                        failed_chats.add(message.chat_id)
                if not progressed or len(batch) < 200:
                    return sent

    async def _deliver(self, message: OutboxDTO) -> bool:
        if not await self.workflow.claim_message(message.id):
            return True
        try:
            sent = await self._send(message)
        except TimedOut as exc:
            # Telegram may have delivered it: sent again by the next flush (at least once).
            logger.warning("outbox %s to chat %s timed out: %s", message.id, message.chat_id, exc)
            await self.workflow.message_failed(message.id, f"timed out (may be delivered): {exc}")
            return False
        except RetryAfter as exc:
            logger.warning("outbox %s: rate limited, retry after %s", message.id, exc.retry_after)
            await self.workflow.message_failed(message.id, f"retry after {exc.retry_after}")
            return False
        except (NetworkError, Forbidden) as exc:  # BadRequest is a NetworkError
            logger.warning("outbox %s to chat %s failed: %s", message.id, message.chat_id, exc)
            await self.workflow.message_failed(message.id, str(exc))
            return False
        await self.workflow.message_sent(message.id, sent.message_id)
        return True

    async def _send(self, message: OutboxDTO) -> Message:
        """Each Bot API call is retried on its own (`with_retries`), so the first part of a
        long message is not sent again when the second one needs another try."""
        what = f"outbox {message.id} to chat {message.chat_id}"
        markup = keyboard(message.buttons)
        if message.document_id is None:
            parts = split_text(message.text)  # Telegram takes 4,096 characters a message
            sent: Message | None = None
            for i, part in enumerate(parts):
                sent = await self._send_part(message.chat_id, part, markup, i == len(parts) - 1)
            assert sent is not None
            return sent
        found = await self.workflow.document(message.document_id)
        if found is None:
            raise BadRequest(f"document {message.document_id} is missing")
        doc, content = found
        return await with_retries(
            lambda: self.bot.send_document(
                message.chat_id,
                document=content,
                filename=doc.filename,
                caption=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            ),
            what,
        )

    async def _send_part(
        self, chat_id: int, part: str, markup: InlineKeyboardMarkup | None, last: bool
    ) -> Message:
        return await with_retries(
            lambda: self.bot.send_message(
                chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
            ),
            f"outbox message to chat {chat_id}",
        )
