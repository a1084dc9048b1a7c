"""The outbox: messages owed to officials, written with the act, marked when delivered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_name, outbox_queued
from storage.dto import OutboxDTO
from storage.models import OutboxMessage, RenderJob


async def enqueue(
    s: AsyncSession,
    *,
    official_id: int,
    chat_id: int,
    text: str,
    now: datetime,
    buttons: list[Any] | None = None,
    document_id: int | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Queue a message; with a dedupe_key, a second one with the same key is ignored."""
    outbox_queued(s)
    values = {
        "official_id": official_id,
        "chat_id": chat_id,
        "text": text,
        "buttons": buttons or [],
        "document_id": document_id,
        "dedupe_key": dedupe_key,
        "created_at": now,
        "attempts": 0,
    }
    if dedupe_key is None:
        s.add(OutboxMessage(**values))
        await s.flush()
        return True
    dialect = dialect_name(s)
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(OutboxMessage)
    res = await s.execute(
        ins.values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return res.rowcount == 1  # type: ignore[attr-defined]


async def pending(s: AsyncSession, limit: int = 200, max_attempts: int = 20) -> list[OutboxDTO]:
    """The messages owed, oldest first; a chat's messages from the first one whose document
    is not rendered yet wait (its order is kept, the other chats are not held up)."""
    # Per chat, the first message owed whose document waits for its render job: computed
    # once (a grouped join), not per message (a correlated subquery is quadratic at fan-out).
    blocked = (
        select(
            OutboxMessage.chat_id.label("chat_id"),
            func.min(OutboxMessage.id).label("first_id"),
        )
        .join(RenderJob, RenderJob.document_id == OutboxMessage.document_id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < max_attempts,
            RenderJob.done_at.is_(None),
        )
        .group_by(OutboxMessage.chat_id)
        .subquery()
    )
    q = (
        select(OutboxMessage)
        .outerjoin(blocked, blocked.c.chat_id == OutboxMessage.chat_id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
        .where((blocked.c.first_id.is_(None)) | (OutboxMessage.id < blocked.c.first_id))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return [
        OutboxDTO(
            id=m.id,
            official_id=m.official_id,
            chat_id=m.chat_id,
            text=m.text,
            buttons=m.buttons,
            document_id=m.document_id,
            attempts=m.attempts,
        )
        for m in await s.scalars(q)
    ]


async def count_pending(s: AsyncSession, max_attempts: int = 20) -> int:
    """How many messages `pending` would still give (counted in the database)."""
    q = select(func.count()).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts
    )
    return int(await s.scalar(q) or 0)


async def claim(s: AsyncSession, message_id: int) -> bool:
    """Count a send attempt; False if the message was sent meanwhile."""
    res = await s.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .values(attempts=OutboxMessage.attempts + 1)
    )
    return res.rowcount == 1  # type: ignore[attr-defined]


async def mark_sent(
    s: AsyncSession, message_id: int, now: datetime, telegram_message_id: int | None
) -> None:
    await s.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(sent_at=now, telegram_message_id=telegram_message_id, last_error=None)
    )


async def mark_failed(s: AsyncSession, message_id: int, error: str) -> None:
    await s.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(last_error=error[:500])
    )


async def give_up_for(s: AsyncSession, official_id: int, reason: str, attempts: int) -> int:
    """Stop delivering what is still owed to this official (deactivated): the messages stay,
    marked as given up with `reason`; how many there were."""
    res = await s.execute(
        update(OutboxMessage)
        .where(OutboxMessage.official_id == official_id, OutboxMessage.sent_at.is_(None))
        .where(OutboxMessage.attempts < attempts)
        .values(attempts=attempts, last_error=reason[:500])
    )
    return int(res.rowcount or 0)  # type: ignore[attr-defined]


async def enqueue_many(
    s: AsyncSession,
    rows: list[dict[str, Any]],
    *,
    now: datetime,
    receipt_row: Callable[[int], list[Any]],
) -> list[int]:
    """Queue many messages in one INSERT, in the order given (a chat's order is its ids').

    Each row: official_id, chat_id, text, buttons, document_id, and `ack_required` for a
    letter with a tanda terima: its own id goes into the Diterima button (`receipt_row`),
    set by one bulk UPDATE afterwards. No dedupe keys here (`enqueue` has them)."""
    if not rows:
        return []
    outbox_queued(s)
    values = [
        {
            "official_id": r["official_id"],
            "chat_id": r["chat_id"],
            "text": r["text"],
            "buttons": list(r.get("buttons") or []),
            "document_id": r.get("document_id"),
            "dedupe_key": None,
            "created_at": now,
            "attempts": 0,
            "ack_required": bool(r.get("ack_required")),
        }
        for r in rows
    ]
    ids = list(
        await s.scalars(
            insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True),
            values,
        )
    )
    acks = [
        {"id": i, "buttons": [*v["buttons"], receipt_row(i)]}
        for i, v in zip(ids, values, strict=True)
        if v["ack_required"]
    ]
    if acks:
        await s.execute(update(OutboxMessage), acks)
    return ids
