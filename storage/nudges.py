"""Nudges: a reminder is recorded (with its outbox message) before it counts as sent.

The unique key (step run, official, kind, working day) makes a second recording a no-op, so a
nudge is written at most once, also when two sweeps race or the bot restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_name
from storage.models import Nudge, OutboxMessage

KEY = ["step_run_id", "official_id", "kind", "work_day"]


@dataclass(frozen=True, slots=True)
class NudgeDTO:
    id: int
    step_run_id: int
    official_id: int
    kind: str
    work_day: date
    created_at: datetime
    outbox_id: int | None


def _nudge(n: Nudge) -> NudgeDTO:
    return NudgeDTO(
        id=n.id,
        step_run_id=n.step_run_id,
        official_id=n.official_id,
        kind=n.kind,
        work_day=n.work_day,
        created_at=n.created_at,
        outbox_id=n.outbox_id,
    )


async def record(
    s: AsyncSession,
    *,
    step_run_id: int,
    official_id: int,
    kind: str,
    work_day: date,
    now: datetime,
    chat_id: int,
    text: str,
    buttons: list[Any] | None = None,
) -> int | None:
    """Record a nudge and queue its message in the caller's transaction.

    Returns the outbox id, or None when this nudge was already recorded (nothing is written).
    """
    ins = (pg_insert if dialect_name(s) == "postgresql" else sqlite_insert)(Nudge)
    nudge_id = await s.scalar(
        ins.values(
            step_run_id=step_run_id,
            official_id=official_id,
            kind=kind,
            work_day=work_day,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=KEY)
        .returning(Nudge.id)
    )
    if nudge_id is None:
        return None
    message = OutboxMessage(
        official_id=official_id,
        chat_id=chat_id,
        text=text,
        buttons=buttons or [],
        dedupe_key=f"nudge:{nudge_id}",
        created_at=now,
        attempts=0,
    )
    s.add(message)
    await s.flush()
    await s.execute(update(Nudge).where(Nudge.id == nudge_id).values(outbox_id=message.id))
    return message.id


async def recorded_today(
    s: AsyncSession, step_run_id: int, work_day: date
) -> set[tuple[int, str]]:
    """(official_id, kind) of the nudges already recorded for a run on a working day."""
    rows = await s.execute(
        select(Nudge.official_id, Nudge.kind).where(
            Nudge.step_run_id == step_run_id, Nudge.work_day == work_day
        )
    )
    return {(int(o), str(k)) for o, k in rows.all()}


async def all_nudges(s: AsyncSession, step_run_id: int | None = None) -> list[NudgeDTO]:
    q = select(Nudge).order_by(Nudge.id)
    if step_run_id is not None:
        q = q.where(Nudge.step_run_id == step_run_id)
    return [_nudge(n) for n in await s.scalars(q)]
