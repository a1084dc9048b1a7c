"""Queries for the people who run the bot: schema revision, outbox backlog, errors, stuck steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.cycles import _run
from storage.dto import StepRunDTO
from storage.migrate import alembic_config, current_revisions
from storage.models import AuditEntry, Cycle, Official, OutboxMessage, StepRun

#: After this many attempts the outbox stops retrying a message (`outbox.pending`'s default).
GIVE_UP_AFTER = 20


@dataclass(frozen=True, slots=True)
class Backlog:
    """Messages still to be sent (and tried), the oldest of them, and those given up."""

    pending: int
    oldest: datetime | None
    given_up: int


@dataclass(frozen=True, slots=True)
class FailedMessage:
    id: int
    recipient: str
    chat_id: int
    attempts: int
    last_error: str
    created_at: datetime
    given_up: bool


@dataclass(frozen=True, slots=True)
class OverdueRun:
    run: StepRunDTO
    cycle_title: str


def head_revisions() -> set[str]:
    """The newest migration(s) the code knows."""
    from alembic.script import ScriptDirectory  # imported when asked: it is heavy

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return set(script.get_heads())


async def schema_revisions(s: AsyncSession) -> set[str]:
    """The migration(s) the database is at; empty when it was never migrated."""

    def current(sync: Session) -> set[str]:
        return current_revisions(sync.connection())

    return await s.run_sync(current)


async def outbox_backlog(s: AsyncSession) -> Backlog:
    unsent = OutboxMessage.sent_at.is_(None)
    trying = OutboxMessage.attempts < GIVE_UP_AFTER
    row = (
        await s.execute(
            select(func.count(), func.min(OutboxMessage.created_at))
            .select_from(OutboxMessage)
            .where(unsent, trying)
        )
    ).one()
    given_up = await s.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(unsent, OutboxMessage.attempts >= GIVE_UP_AFTER)
    )
    oldest = row[1]
    if oldest is not None and oldest.tzinfo is None:  # in case min() lost the column's type
        oldest = oldest.replace(tzinfo=UTC)
    return Backlog(pending=int(row[0]), oldest=oldest, given_up=int(given_up or 0))


async def failed_messages(s: AsyncSession, limit: int = 10) -> tuple[int, list[FailedMessage]]:
    """Unsent messages whose last attempt failed, newest first, and how many there are."""
    failed = (OutboxMessage.sent_at.is_(None), OutboxMessage.last_error.is_not(None))
    total = await s.scalar(select(func.count()).select_from(OutboxMessage).where(*failed))
    q = (
        select(OutboxMessage, Official.name)
        .join(Official, Official.id == OutboxMessage.official_id)
        .where(*failed)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    out = [
        FailedMessage(
            id=m.id,
            recipient=name,
            chat_id=m.chat_id,
            attempts=m.attempts,
            last_error=m.last_error or "",
            created_at=m.created_at,
            given_up=m.attempts >= GIVE_UP_AFTER,
        )
        for m, name in (await s.execute(q)).all()
    ]
    return int(total or 0), out


async def refusals_since(s: AsyncSession, since: datetime) -> list[tuple[str, int]]:
    """Refused attempts in the audit log since `since`, counted per refusal code, most first."""
    n = func.count().label("n")
    q = (
        select(AuditEntry.detail, n)
        .where(AuditEntry.outcome == "refused", AuditEntry.at >= since)
        .group_by(AuditEntry.detail)
        .order_by(n.desc(), AuditEntry.detail)
    )
    return [(code or "?", int(count)) for code, count in (await s.execute(q)).all()]


def _overdue(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (StepRun.status == "open", StepRun.due_at < now)


async def count_overdue(s: AsyncSession, now: datetime) -> int:
    q = select(func.count()).select_from(StepRun).where(*_overdue(now))
    return int(await s.scalar(q) or 0)


async def overdue_runs(s: AsyncSession, now: datetime, limit: int = 20) -> list[OverdueRun]:
    """Open step runs past their deadline, the longest overdue first."""
    q = (
        select(StepRun, Cycle.title)
        .join(Cycle, Cycle.id == StepRun.cycle_id)
        .where(*_overdue(now))
        .order_by(StepRun.due_at, StepRun.id)
        .limit(limit)
    )
    return [OverdueRun(_run(r), title) for r, title in (await s.execute(q)).all()]
