"""Render jobs: the documents an act created whose content is made after its commit.

The act inserts the document's row (its id, number and version are fixed there) and one job
with the snapshot the renderer needs; the worker writes the content and the job's result, and
nothing else. A job not done is picked up again after a crash (nothing is kept in memory)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import outbox_queued, render_queued
from storage.models import Document, RenderJob


@dataclass(frozen=True, slots=True)
class RenderJobDTO:
    id: int
    document_id: int
    renderer: str
    snapshot: Any
    attempts: int


@dataclass(frozen=True, slots=True)
class FailingJob:
    """A job that failed at least the reporting threshold's number of times."""

    document_id: int
    filename: str
    attempts: int
    error: str
    since: datetime


@dataclass(frozen=True, slots=True)
class Rendered:
    job_id: int
    document_id: int
    content: bytes


async def enqueue(s: AsyncSession, jobs: list[tuple[int, str, Any]], now: datetime) -> None:
    """Queue (document id, renderer, snapshot) jobs, in one statement."""
    if not jobs:
        return
    render_queued(s)
    await s.execute(
        insert(RenderJob),
        [
            {
                "document_id": doc_id,
                "renderer": renderer,
                "snapshot": snapshot,
                "created_at": now,
                "next_at": now,
                "attempts": 0,
            }
            for doc_id, renderer, snapshot in jobs
        ],
    )


async def due(s: AsyncSession, now: datetime, limit: int) -> list[RenderJobDTO]:
    """Jobs not done whose next attempt is due, oldest first."""
    q = (
        select(RenderJob)
        .where(RenderJob.done_at.is_(None), RenderJob.next_at <= now)
        .order_by(RenderJob.id)
        .limit(limit)
    )
    return [
        RenderJobDTO(j.id, j.document_id, j.renderer, j.snapshot, j.attempts)
        for j in await s.scalars(q)
    ]


async def next_due_at(s: AsyncSession) -> datetime | None:
    """When the earliest job not done is due (None: nothing to render)."""
    return await s.scalar(select(func.min(RenderJob.next_at)).where(RenderJob.done_at.is_(None)))


async def count_pending(s: AsyncSession) -> int:
    q = select(func.count()).select_from(RenderJob).where(RenderJob.done_at.is_(None))
    return int(await s.scalar(q) or 0)


async def finish(s: AsyncSession, results: list[Rendered], now: datetime) -> None:
    """Store the rendered contents and mark their jobs done (bulk updates by primary key).
    The messages waiting for these documents can go now: the sender is told to look."""
    if not results:
        return
    await s.execute(
        update(Document),
        [
            {
                "id": r.document_id,
                "content": r.content,
                "sha256": hashlib.sha256(r.content).hexdigest(),
                "size": len(r.content),
            }
            for r in results
        ],
    )
    await s.execute(
        update(RenderJob),
        [{"id": r.job_id, "done_at": now, "last_error": None} for r in results],
    )
    outbox_queued(s)


async def failed(s: AsyncSession, job_id: int, error: str, next_at: datetime) -> int:
    """Count a failed attempt and when to try again; the attempts so far."""
    res = await s.scalar(
        update(RenderJob)
        .where(RenderJob.id == job_id)
        .values(attempts=RenderJob.attempts + 1, last_error=error[:500], next_at=next_at)
        .returning(RenderJob.attempts)
    )
    return int(res or 0)


async def failing(
    s: AsyncSession, min_attempts: int, limit: int = 10
) -> tuple[int, list[FailingJob]]:
    """Jobs not done that failed `min_attempts` times or more: how many, and the first ones."""
    cond = (RenderJob.done_at.is_(None), RenderJob.attempts >= min_attempts)
    total = int(await s.scalar(select(func.count()).select_from(RenderJob).where(*cond)) or 0)
    q = (
        select(RenderJob, Document.filename)
        .join(Document, Document.id == RenderJob.document_id)
        .where(*cond)
        .order_by(RenderJob.id)
        .limit(limit)
    )
    rows = [
        FailingJob(j.document_id, name, j.attempts, j.last_error or "", j.created_at)
        for j, name in (await s.execute(q)).all()
    ]
    return total, rows


async def pending_among(s: AsyncSession, document_ids: list[int]) -> list[RenderJobDTO]:
    """The jobs not done of these documents (to render them at once when they are needed)."""
    if not document_ids:
        return []
    q = select(RenderJob).where(
        RenderJob.done_at.is_(None), RenderJob.document_id.in_(document_ids)
    )
    return [
        RenderJobDTO(j.id, j.document_id, j.renderer, j.snapshot, j.attempts)
        for j in await s.scalars(q)
    ]
