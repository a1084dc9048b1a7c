"""The outbox as the Telegram layer sees it: what is owed, and marking it delivered."""

from __future__ import annotations

from bot.workflow.callback_data import Buttons
from bot.workflow.core import WorkflowCore
from storage import documents, outbox, people
from storage.dto import DocumentDTO, OutboxDTO


class Delivery:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def pending_messages(self, limit: int = 200) -> list[OutboxDTO]:
        async with self.core.db.read() as s:
            return await outbox.pending(s, limit=limit)

    async def claim_message(self, message_id: int) -> bool:
        async with self.core.db.transaction() as s:
            return await outbox.claim(s, message_id)

    async def message_sent(self, message_id: int, telegram_message_id: int | None) -> None:
        async with self.core.db.transaction() as s:
            await outbox.mark_sent(s, message_id, self.core.now(), telegram_message_id)

    async def message_failed(self, message_id: int, error: str) -> None:
        async with self.core.db.transaction() as s:
            await outbox.mark_failed(s, message_id, error)

    async def queue_reply(self, chat_id: int, text: str, buttons: Buttons | None = None) -> bool:
        """A reply Telegram did not take: into the outbox, for the sweeper to retry.

        False when the chat is no registered official's (the outbox is per official)."""
        async with self.core.db.transaction() as s:
            person = await people.person_by_telegram(s, chat_id, self.core.today())
            if person is None:
                return False
            await outbox.enqueue(
                s,
                official_id=person.id,
                chat_id=chat_id,
                text=text,
                now=self.core.now(),
                buttons=buttons or None,
            )
            return True

    async def document(self, document_id: int) -> tuple[DocumentDTO, bytes] | None:
        """A document with its content (rendered now if its job is still queued)."""
        await self.core.renders.ensure([document_id])
        async with self.core.db.read() as s:
            return await documents.get_document(s, document_id)
