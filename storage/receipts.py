"""Tanda terima: letters in the outbox that their recipient must acknowledge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, exists, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.db import dialect_name, outbox_queued
from storage.models import Document, Official, OutboxMessage

REMINDER_PREFIX = "receipt:"


@dataclass(frozen=True, slots=True)
class ReceiptDTO:
    """One letter delivery that needs a tanda terima."""

    outbox_id: int
    official_id: int
    official_name: str
    chat_id: int
    document_id: int
    cycle_id: int | None
    filename: str
    letter_number: str | None
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None


def reminder_key(outbox_id: int) -> str:
    """The outbox dedupe key of the one reminder about an unacknowledged letter."""
    return f"{REMINDER_PREFIX}{outbox_id}"


async def enqueue_letter(
    s: AsyncSession,
    *,
    official_id: int,
    chat_id: int,
    text: str,
    now: datetime,
    document_id: int,
    buttons: list[Any] | None,
    receipt_row: Callable[[int], list[Any]],
    dedupe_key: str | None = None,
) -> int | None:
    """Queue a letter that needs a tanda terima; its own id goes into the receipt button.

    `receipt_row(outbox_id)` gives the button row appended below `buttons`. With a dedupe_key
    already used, nothing is written and None is returned.
    """
    outbox_queued(s)
    ins = (pg_insert if dialect_name(s) == "postgresql" else sqlite_insert)(OutboxMessage)
    message_id = await s.scalar(
        ins.values(
            official_id=official_id,
            chat_id=chat_id,
            text=text,
            buttons=list(buttons or []),
            document_id=document_id,
            dedupe_key=dedupe_key,
            created_at=now,
            attempts=0,
            ack_required=True,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    if message_id is None:
        return None
    await s.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(buttons=[*(buttons or []), receipt_row(message_id)])
    )
    return int(message_id)


def _query() -> Any:
    return (
        select(OutboxMessage, Document, Official.name)
        .join(Document, Document.id == OutboxMessage.document_id)
        .join(Official, Official.id == OutboxMessage.official_id)
        .where(OutboxMessage.ack_required.is_(True))
    )


def _receipt(m: OutboxMessage, d: Document, name: str) -> ReceiptDTO:
    assert m.document_id is not None
    return ReceiptDTO(
        outbox_id=m.id,
        official_id=m.official_id,
        official_name=name,
        chat_id=m.chat_id,
        document_id=m.document_id,
        cycle_id=d.cycle_id,
        filename=d.filename,
        letter_number=d.letter_number,
        created_at=m.created_at,
        sent_at=m.sent_at,
        acknowledged_at=m.acknowledged_at,
    )


async def get(s: AsyncSession, outbox_id: int) -> ReceiptDTO | None:
    row = (await s.execute(_query().where(OutboxMessage.id == outbox_id))).first()
    return _receipt(*row) if row else None


async def acknowledge(s: AsyncSession, outbox_id: int, now: datetime) -> bool:
    """Record the tanda terima once; False if it was already recorded."""
    res = await s.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.ack_required.is_(True),
            OutboxMessage.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=now)
    )
    return res.rowcount == 1  # type: ignore[attr-defined]


async def of_cycle(s: AsyncSession, cycle_id: int) -> list[ReceiptDTO]:
    q = _query().where(Document.cycle_id == cycle_id).order_by(OutboxMessage.id)
    return [_receipt(*row) for row in (await s.execute(q)).all()]


async def not_reminded(s: AsyncSession) -> list[ReceiptDTO]:
    """Delivered letters without a tanda terima whose one reminder is not written yet."""
    reminder = aliased(OutboxMessage)
    key = literal(REMINDER_PREFIX) + cast(OutboxMessage.id, String)
    q = (
        _query()
        .where(
            OutboxMessage.sent_at.is_not(None),
            OutboxMessage.acknowledged_at.is_(None),
            ~exists().where(reminder.dedupe_key == key),
        )
        .order_by(OutboxMessage.id)
    )
    return [_receipt(*row) for row in (await s.execute(q)).all()]
