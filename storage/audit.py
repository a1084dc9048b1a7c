"""The append-only audit log: every act, and every refused attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    s: AsyncSession,
    *,
    now: datetime,
    action: str,
    outcome: str,
    official_id: int | None = None,
    telegram_user_id: int | None = None,
    cycle_id: int | None = None,
    step_run_id: int | None = None,
    detail: str = "",
) -> None:
    s.add(
        AuditEntry(
            at=now,
            action=action,
            outcome=outcome,
            official_id=official_id,
            telegram_user_id=telegram_user_id,
            cycle_id=cycle_id,
            step_run_id=step_run_id,
            detail=detail[:2000],
        )
    )
    await s.flush()


async def entries(s: AsyncSession, cycle_id: int | None = None) -> list[tuple[str, str, str]]:
    q = select(AuditEntry).order_by(AuditEntry.id)
    if cycle_id is not None:
        q = q.where(AuditEntry.cycle_id == cycle_id)
    return [(e.action, e.outcome, e.detail) for e in await s.scalars(q)]
