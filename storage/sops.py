"""The stored text of each SOP version a cycle was started on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SopVersion


@dataclass(frozen=True, slots=True)
class SopSnapshot:
    sop_key: str
    version: int
    sha256: str
    content: str


async def snapshot(s: AsyncSession, sop_key: str, version: int) -> SopSnapshot | None:
    row = await s.scalar(
        select(SopVersion).where(SopVersion.sop_key == sop_key, SopVersion.version == version)
    )
    return SopSnapshot(row.sop_key, row.version, row.sha256, row.content) if row else None


async def add_snapshot(
    s: AsyncSession, *, sop_key: str, version: int, sha256: str, content: str, now: datetime
) -> None:
    s.add(
        SopVersion(
            sop_key=sop_key, version=version, sha256=sha256, content=content, installed_at=now
        )
    )
    await s.flush()


async def all_snapshots(s: AsyncSession) -> list[SopSnapshot]:
    rows = await s.scalars(select(SopVersion).order_by(SopVersion.sop_key, SopVersion.version))
    return [SopSnapshot(r.sop_key, r.version, r.sha256, r.content) for r in rows]
