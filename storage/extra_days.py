"""The admin's calendar overrides (table `extra_days`), and moving open deadlines with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ExtraDay, StepRun

HOLIDAY = "holiday"
WORKDAY = "workday"


@dataclass(frozen=True, slots=True)
class ExtraDayDTO:
    day: date
    kind: str  # holiday / workday
    description: str


async def list_days(s: AsyncSession) -> list[ExtraDayDTO]:
    rows = await s.scalars(select(ExtraDay).order_by(ExtraDay.day))
    return [ExtraDayDTO(r.day, r.kind, r.description) for r in rows]


async def get_day(s: AsyncSession, day: date) -> ExtraDayDTO | None:
    r = await s.get(ExtraDay, day)
    return ExtraDayDTO(r.day, r.kind, r.description) if r else None


async def add_day(s: AsyncSession, day: date, kind: str, description: str) -> None:
    if kind not in (HOLIDAY, WORKDAY):
        raise ValueError(f"unknown extra day kind {kind!r}")
    s.add(ExtraDay(day=day, kind=kind, description=description))
    await s.flush()


async def remove_day(s: AsyncSession, day: date) -> bool:
    res = await s.execute(delete(ExtraDay).where(ExtraDay.day == day))
    return bool(res.rowcount)  # type: ignore[attr-defined]


async def move_due(s: AsyncSession, run_id: int, old: datetime, new: datetime) -> bool:
    """Set an open run's deadline, if it still is `old` (compare-and-set)."""
    res = await s.execute(
        update(StepRun)
        .where(StepRun.id == run_id, StepRun.status == "open", StepRun.due_at == old)
        .values(due_at=new)
    )
    return res.rowcount == 1  # type: ignore[attr-defined]
