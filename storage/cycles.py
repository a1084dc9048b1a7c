"""Cycles and step runs. Transitions are compare-and-set on (status, version)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import CycleDTO, StepRunDTO
from storage.models import Cycle, StepRun


def _cycle(c: Cycle) -> CycleDTO:
    return CycleDTO(
        id=c.id,
        sop_key=c.sop_key,
        year=c.year,
        title=c.title,
        status=c.status,
        current_step=c.current_step,
        started_at=c.started_at,
        finished_at=c.finished_at,
        published_url=c.published_url,
        collect_deadline=c.collect_deadline,
        sop_version=c.sop_version,
        current_step_key=c.current_step_key,
    )


def _run(r: StepRun) -> StepRunDTO:
    return StepRunDTO(
        id=r.id,
        cycle_id=r.cycle_id,
        step_no=r.step_no,
        step_key=r.step_key,
        phase=r.phase,
        attempt=r.attempt,
        holder_role=r.holder_role,
        status=r.status,
        assigned_at=r.assigned_at,
        due_at=r.due_at,
        done_at=r.done_at,
        outcome=r.outcome,
        actor_id=r.actor_id,
        reason=r.reason,
        version=r.version,
        office_id=r.office_id,
    )


async def add_cycle(
    s: AsyncSession,
    *,
    sop_key: str,
    year: int,
    title: str,
    now: datetime,
    started_by_id: int,
    sop_version: int = 1,
    first_step_key: str = "",
) -> CycleDTO:
    cycle = Cycle(
        sop_key=sop_key,
        sop_version=sop_version,
        year=year,
        title=title,
        status="open",
        current_step=1,
        current_step_key=first_step_key,
        started_at=now,
        started_by_id=started_by_id,
    )
    s.add(cycle)
    await s.flush()
    return _cycle(cycle)


async def get_cycle(s: AsyncSession, cycle_id: int) -> CycleDTO | None:
    c = await s.get(Cycle, cycle_id)
    return _cycle(c) if c else None


async def open_cycles(s: AsyncSession) -> list[CycleDTO]:
    q = select(Cycle).where(Cycle.status == "open").order_by(Cycle.id)
    return [_cycle(c) for c in await s.scalars(q)]


async def all_cycles(s: AsyncSession) -> list[CycleDTO]:
    return [_cycle(c) for c in await s.scalars(select(Cycle).order_by(Cycle.id))]


async def title_taken(s: AsyncSession, title: str) -> bool:
    n = await s.scalar(select(func.count()).select_from(Cycle).where(Cycle.title == title))
    return bool(n)


async def set_cycle_step(s: AsyncSession, cycle_id: int, step_key: str, step_no: int) -> None:
    await s.execute(
        update(Cycle)
        .where(Cycle.id == cycle_id)
        .values(current_step=step_no, current_step_key=step_key)
    )


async def finish_cycle(s: AsyncSession, cycle_id: int, now: datetime, url: str | None) -> None:
    await s.execute(
        update(Cycle)
        .where(Cycle.id == cycle_id)
        .values(status="finished", finished_at=now, published_url=url)
    )


async def set_published_url(s: AsyncSession, cycle_id: int, url: str) -> None:
    await s.execute(update(Cycle).where(Cycle.id == cycle_id).values(published_url=url))


async def add_run(
    s: AsyncSession,
    *,
    cycle_id: int,
    step_no: int,
    phase: str,
    holder_role: str,
    attempt: int,
    now: datetime,
    due_at: datetime,
    step_key: str,
    office_id: int | None = None,
) -> StepRunDTO:
    run = StepRun(
        office_id=office_id,
        cycle_id=cycle_id,
        step_key=step_key,
        step_no=step_no,
        phase=phase,
        holder_role=holder_role,
        attempt=attempt,
        status="open",
        assigned_at=now,
        due_at=due_at,
        version=1,
    )
    s.add(run)
    await s.flush()
    return _run(run)


async def get_run(s: AsyncSession, run_id: int) -> StepRunDTO | None:
    r = await s.get(StepRun, run_id)
    return _run(r) if r else None


async def lock_run(s: AsyncSession, run_id: int) -> StepRunDTO | None:
    """Read a run with a row lock (PostgreSQL); SQLite's write lock is already held."""
    r = await s.scalar(
        select(StepRun)
        .where(StepRun.id == run_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return _run(r) if r else None


async def close_run(
    s: AsyncSession,
    run: StepRunDTO,
    *,
    outcome: str,
    actor_id: int | None,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Close an open run if nobody else did first; False when it was already moved on."""
    res = await s.execute(
        update(StepRun)
        .where(StepRun.id == run.id, StepRun.status == "open", StepRun.version == run.version)
        .values(
            status="done",
            outcome=outcome,
            actor_id=actor_id,
            done_at=now,
            reason=reason,
            version=StepRun.version + 1,
        )
    )
    return res.rowcount == 1  # type: ignore[attr-defined]


async def open_runs(s: AsyncSession, cycle_id: int | None = None) -> list[StepRunDTO]:
    q = select(StepRun).where(StepRun.status == "open").order_by(StepRun.id)
    if cycle_id is not None:
        q = q.where(StepRun.cycle_id == cycle_id)
    return [_run(r) for r in await s.scalars(q)]


async def open_runs_with_cycles(s: AsyncSession) -> list[tuple[StepRunDTO, CycleDTO]]:
    """Every open run with its cycle, in one query (for /tugas)."""
    q = (
        select(StepRun, Cycle)
        .join(Cycle, Cycle.id == StepRun.cycle_id)
        .where(StepRun.status == "open")
        .order_by(StepRun.id)
    )
    return [(_run(r), _cycle(c)) for r, c in (await s.execute(q)).all()]


async def runs_of(s: AsyncSession, cycle_id: int) -> list[StepRunDTO]:
    q = select(StepRun).where(StepRun.cycle_id == cycle_id).order_by(StepRun.id)
    return [_run(r) for r in await s.scalars(q)]


async def attempts_of_step(s: AsyncSession, cycle_id: int, step_key: str) -> int:
    n = await s.scalar(
        select(func.max(StepRun.attempt)).where(
            StepRun.cycle_id == cycle_id, StepRun.step_key == step_key
        )
    )
    return int(n or 0)


async def sop_of_cycle(s: AsyncSession, cycle_id: int) -> tuple[str, int] | None:
    """The SOP key and version a cycle runs on (fixed when it starts)."""
    row = (
        await s.execute(select(Cycle.sop_key, Cycle.sop_version).where(Cycle.id == cycle_id))
    ).first()
    return (row[0], row[1]) if row else None


async def set_collect_deadline(s: AsyncSession, cycle_id: int, when: datetime) -> None:
    await s.execute(update(Cycle).where(Cycle.id == cycle_id).values(collect_deadline=when))
