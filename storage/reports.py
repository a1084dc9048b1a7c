"""Read-only queries behind the Laporan Bulanan (monthly report) and the cycle timeline.

Everything here returns plain dataclasses; the measuring (working days, late or not) is done
by `bot.reports.measure`, which never sees the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.cycles import _cycle, _run
from storage.dto import CycleDTO, StepRunDTO
from storage.models import Cycle, Document, Office, OutboxMessage, Proposal, ProposalRow, StepRun

ANSWER_STATUSES = ("submitted", "superseded")


@dataclass(frozen=True, slots=True)
class ProposalFact:
    """One answer an OPD sent in step 3 (the current one or one it later replaced)."""

    cycle_id: int
    office_id: int
    status: str
    nihil: bool
    submitted_at: datetime
    rows: int


@dataclass(frozen=True, slots=True)
class OfficeFact:
    id: int
    code: str
    name: str
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LetterFact:
    """A numbered letter (surat keluar) archived by the bot."""

    document_id: int
    cycle_id: int | None
    cycle_title: str
    step_no: int | None
    kind: str
    letter_number: str
    filename: str
    version: int
    created_at: datetime


async def cycles_active_between(s: AsyncSession, start: datetime, end: datetime) -> list[CycleDTO]:
    """Cycles started before `end` and not finished before `start`, oldest first."""
    q = (
        select(Cycle)
        .where(
            Cycle.started_at < end,
            or_(Cycle.finished_at.is_(None), Cycle.finished_at >= start),
        )
        .order_by(Cycle.started_at, Cycle.id)
    )
    return [_cycle(c) for c in await s.scalars(q)]


async def runs_of_cycles(s: AsyncSession, cycle_ids: Sequence[int]) -> dict[int, list[StepRunDTO]]:
    """Every run of the given cycles, grouped by cycle, in the order they were opened."""
    out: dict[int, list[StepRunDTO]] = {cid: [] for cid in cycle_ids}
    if not cycle_ids:
        return out
    q = select(StepRun).where(StepRun.cycle_id.in_(cycle_ids)).order_by(StepRun.id)
    for r in await s.scalars(q):
        out[r.cycle_id].append(_run(r))
    return out


async def proposal_facts(s: AsyncSession, cycle_ids: Sequence[int]) -> list[ProposalFact]:
    """Every submitted (or later superseded) answer of the given cycles, with its row count."""
    if not cycle_ids:
        return []
    counts = (
        select(ProposalRow.proposal_id, func.count().label("n"))
        .group_by(ProposalRow.proposal_id)
        .subquery()
    )
    q = (
        select(Proposal, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.proposal_id == Proposal.id)
        .where(
            Proposal.cycle_id.in_(cycle_ids),
            Proposal.status.in_(ANSWER_STATUSES),
            Proposal.submitted_at.is_not(None),
        )
        .order_by(Proposal.submitted_at, Proposal.id)
    )
    out = []
    for p, n in (await s.execute(q)).all():
        assert p.submitted_at is not None
        out.append(
            ProposalFact(
                cycle_id=p.cycle_id,
                office_id=p.office_id,
                status=p.status,
                nihil=p.nihil,
                submitted_at=p.submitted_at,
                rows=int(n),
            )
        )
    return out


async def offices_sent_form(s: AsyncSession, cycle_ids: Sequence[int]) -> dict[int, set[int]]:
    """Per cycle, the offices that were sent their own Form DIK in step 3."""
    out: dict[int, set[int]] = defaultdict(set)
    if not cycle_ids:
        return out
    q = select(Document.cycle_id, Document.office_id).where(
        Document.cycle_id.in_(cycle_ids),
        Document.kind == "form_dik",
        Document.office_id.is_not(None),
    )
    for cycle_id, office_id in (await s.execute(q)).all():
        if cycle_id is not None and office_id is not None:
            out[cycle_id].add(office_id)
    return out


async def all_offices(s: AsyncSession) -> list[OfficeFact]:
    q = select(Office).order_by(Office.name, Office.id)
    return [
        OfficeFact(id=o.id, code=o.code, name=o.name, active=o.active, created_at=o.created_at)
        for o in await s.scalars(q)
    ]


async def letters_between(s: AsyncSession, start: datetime, end: datetime) -> list[LetterFact]:
    """Numbered letters archived in [start, end), in the order they were issued."""
    q = (
        select(Document, Cycle.title)
        .outerjoin(Cycle, Cycle.id == Document.cycle_id)
        .where(
            Document.letter_number.is_not(None),
            Document.created_at >= start,
            Document.created_at < end,
        )
        .order_by(Document.created_at, Document.id)
    )
    out = []
    for d, title in (await s.execute(q)).all():
        assert d.letter_number is not None
        out.append(
            LetterFact(
                document_id=d.id,
                cycle_id=d.cycle_id,
                cycle_title=title or "",
                step_no=d.step_no,
                kind=d.kind,
                letter_number=d.letter_number,
                filename=d.filename,
                version=d.version,
                created_at=d.created_at,
            )
        )
    return out


async def dedupe_key_used(s: AsyncSession, key: str) -> bool:
    """Whether the outbox already holds `key`, or `key:<n>` (one per file of a message)."""
    q = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            or_(
                OutboxMessage.dedupe_key == key,
                OutboxMessage.dedupe_key.startswith(f"{key}:", autoescape=True),
            )
        )
    )
    return bool(await s.scalar(q))
