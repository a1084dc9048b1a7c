"""The outbox as the Telegram layer sees it: what is owed, and marking it delivered."""

from __future__ import annotations

from bot.workflow.core import WorkflowCore
from storage import documents, outbox
from storage.dto import DocumentDTO, OutboxDTO


class DeliveryMixin(WorkflowCore):
    async def pending_messages(self, limit: int = 200) -> list[OutboxDTO]:
        async with self.db.read() as s:
            return await outbox.pending(s, limit=limit)

    async def claim_message(self, message_id: int) -> bool:
        async with self.db.transaction() as s:
            return await outbox.claim(s, message_id)

    async def message_sent(self, message_id: int, telegram_message_id: int | None) -> None:
        async with self.db.transaction() as s:
            await outbox.mark_sent(s, message_id, self.now(), telegram_message_id)

    async def message_failed(self, message_id: int, error: str) -> None:
        async with self.db.transaction() as s:
            await outbox.mark_failed(s, message_id, error)

    async def document(self, document_id: int) -> tuple[DocumentDTO, bytes] | None:
        async with self.db.read() as s:
            return await documents.get_document(s, document_id)
