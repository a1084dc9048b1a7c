"""Nudges: a reminder is recorded (with its outbox message) before it counts as sent.

The unique key (step run, official, kind, working day) makes a second recording a no-op, so a
nudge is written at most once, also when two sweeps race or the bot restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import dialect_name
from storage.models import Nudge, OutboxMessage, StepRun

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
    insert = pg_insert if dialect_name(s) == "postgresql" else sqlite_insert
    # The outbox's own dedupe key spells the nudge's unique key: a second recording (another
    # sweep, a restart) writes nothing, and the message and its nudge row go in together.
    outbox_id = await s.scalar(
        insert(OutboxMessage)
        .values(
            official_id=official_id,
            chat_id=chat_id,
            text=text,
            buttons=buttons or [],
            dedupe_key=f"nudge:{step_run_id}:{official_id}:{kind}:{work_day.isoformat()}",
            created_at=now,
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    if outbox_id is None:
        return None
    nudge_id = await s.scalar(
        insert(Nudge)
        .values(
            step_run_id=step_run_id,
            official_id=official_id,
            kind=kind,
            work_day=work_day,
            created_at=now,
            outbox_id=outbox_id,
        )
        .on_conflict_do_nothing(index_elements=KEY)
        .returning(Nudge.id)
    )
    if nudge_id is None:  # recorded before under the same key: do not send it twice
        await s.execute(delete(OutboxMessage).where(OutboxMessage.id == outbox_id))
        return None
    return int(outbox_id)


@dataclass(frozen=True, slots=True)
class DueRun:
    """What the sweep needs to know of an open run to tell whether it owes a nudge."""

    id: int
    cycle_id: int
    step_key: str
    holder_role: str
    assigned_at: datetime
    due_at: datetime


async def open_runs_due_by(s: AsyncSession, until: datetime) -> list[DueRun]:
    """Open runs due before `until` (a run due later owes nothing yet), oldest first."""
    rows = await s.execute(
        select(
            StepRun.id,
            StepRun.cycle_id,
            StepRun.step_key,
            StepRun.holder_role,
            StepRun.assigned_at,
            StepRun.due_at,
        )
        .where(StepRun.status == "open", StepRun.due_at < until)
        .order_by(StepRun.id)
    )
    return [DueRun(*row) for row in rows.all()]


async def kinds_recorded(
    s: AsyncSession, step_run_ids: list[int], work_day: date
) -> dict[int, set[str]]:
    """The kinds of nudge already recorded on a working day, per run."""
    out: dict[int, set[str]] = {i: set() for i in step_run_ids}
    for start in range(0, len(step_run_ids), 500):
        chunk = step_run_ids[start : start + 500]
        rows = await s.execute(
            select(Nudge.step_run_id, Nudge.kind).where(
                Nudge.step_run_id.in_(chunk), Nudge.work_day == work_day
            )
        )
        for run_id, kind in rows.all():
            out[int(run_id)].add(str(kind))
    return out


async def all_nudges(s: AsyncSession, step_run_id: int | None = None) -> list[NudgeDTO]:
    q = select(Nudge).order_by(Nudge.id)
    if step_run_id is not None:
        q = q.where(Nudge.step_run_id == step_run_id)
    return [_nudge(n) for n in await s.scalars(q)]
