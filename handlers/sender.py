"""Deliver the outbox: every message owed, with its file and buttons; retried until sent."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.workflow import Workflow
from storage.dto import OutboxDTO

logger = logging.getLogger(__name__)


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
                batch = await self.workflow.pending_messages()
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
        except RetryAfter as exc:
            logger.warning("outbox %s: rate limited, retry after %s", message.id, exc.retry_after)
            await self.workflow.message_failed(message.id, f"retry after {exc.retry_after}")
            return False
        except (TimedOut, NetworkError, Forbidden, BadRequest) as exc:
            logger.warning("outbox %s to chat %s failed: %s", message.id, message.chat_id, exc)
            await self.workflow.message_failed(message.id, str(exc))
            return False
        await self.workflow.message_sent(message.id, sent.message_id)
        return True

    async def _send(self, message: OutboxDTO) -> Message:
        markup = keyboard(message.buttons)
        if message.document_id is None:
            return await self.bot.send_message(
                message.chat_id, message.text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        found = await self.workflow.document(message.document_id)
        if found is None:
            raise BadRequest(f"document {message.document_id} is missing")
        doc, content = found
        return await self.bot.send_document(
            message.chat_id,
            document=content,
            filename=doc.filename,
            caption=message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
