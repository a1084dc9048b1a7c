"""The registers, read from the records the procedure already keeps (no table of their own).

- Buku Ekspedisi (letters out): the documents that carry a letter number (plus the kinds the
  caller names, e.g. the signed SK that is distributed), each with its deliveries from the
  outbox (queued, sent, acknowledged) to the officials it reached.
- Kartu Kendali (proposals in): every proposal that received an agenda number at submission,
  with what later happened to it (superseded, compiled, tested).
- The archive: every stored version of every file of a cycle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import documents
from storage.dto import DocumentDTO
from storage.models import (
    Cycle,
    Decision,
    Document,
    Office,
    Official,
    OutboxMessage,
    Proposal,
    ProposalRow,
    RoleAssignment,
)


@dataclass(frozen=True, slots=True)
class Dispatch:
    """One official's copy of a letter: the first time it was queued for them, the first time
    Telegram accepted it, and when they acknowledged receipt (if they did)."""

    official_id: int
    name: str
    office_name: str | None
    roles: frozenset[str]
    queued_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutgoingLetter:
    document_id: int
    cycle_id: int | None
    cycle_title: str
    cycle_year: int | None
    step_no: int | None
    kind: str
    version: int
    filename: str
    letter_number: str | None
    created_at: datetime
    dispatches: tuple[Dispatch, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceivedProposal:
    proposal_id: int
    cycle_id: int
    cycle_title: str
    agenda_no: int
    office_name: str
    submitted_at: datetime
    status: str  # submitted / superseded
    nihil: bool
    source: str
    rows: int
    decisions: dict[str, int] = field(default_factory=dict)  # current decisions by kind
    superseded_by: int | None = None  # agenda number of the office's next submission
    superseded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document's identity and dates, without its content."""

    id: int
    cycle_id: int | None
    kind: str
    version: int
    letter_number: str | None
    created_at: datetime


async def outgoing_letters(
    s: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    unnumbered_kinds: Collection[str] = (),
) -> list[OutgoingLetter]:
    """Letters dated in [start, end): numbered documents and the given kinds, oldest first."""
    is_letter: ColumnElement[bool] = Document.letter_number.is_not(None)
    if unnumbered_kinds:
        is_letter = or_(is_letter, Document.kind.in_(list(unnumbered_kinds)))
    q = (
        select(
            Document.id,
            Document.cycle_id,
            Cycle.title,
            Cycle.year,
            Document.step_no,
            Document.kind,
            Document.version,
            Document.filename,
            Document.letter_number,
            Document.created_at,
        )
        .outerjoin(Cycle, Cycle.id == Document.cycle_id)
        .where(is_letter, Document.created_at >= start, Document.created_at < end)
        .order_by(Document.created_at, Document.id)
    )
    rows = (await s.execute(q)).all()
    sent = await _dispatches(s, [r.id for r in rows])
    return [
        OutgoingLetter(
            document_id=r.id,
            cycle_id=r.cycle_id,
            cycle_title=r.title or "",
            cycle_year=r.year,
            step_no=r.step_no,
            kind=r.kind,
            version=r.version,
            filename=r.filename,
            letter_number=r.letter_number,
            created_at=r.created_at,
            dispatches=tuple(sent.get(r.id, ())),
        )
        for r in rows
    ]


async def _dispatches(s: AsyncSession, document_ids: list[int]) -> dict[int, list[Dispatch]]:
    """Outbox rows carrying these documents, one Dispatch per (document, official): a copy
    re-sent (a task shown again, /dokumen) is the same copy, not a new one."""
    if not document_ids:
        return {}
    q = (
        select(
            OutboxMessage.document_id,
            OutboxMessage.official_id,
            OutboxMessage.created_at,
            OutboxMessage.sent_at,
            OutboxMessage.acknowledged_at,
            Official.name,
            Office.name.label("office_name"),
        )
        .join(Official, Official.id == OutboxMessage.official_id)
        .outerjoin(Office, Office.id == Official.office_id)
        .where(OutboxMessage.document_id.in_(document_ids))
        .order_by(OutboxMessage.id)
    )
    rows = (await s.execute(q)).all()
    roles = await _roles(s, {r.official_id for r in rows})
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for r in rows:
        grouped[(r.document_id, r.official_id)].append(r)
    out: dict[int, list[Dispatch]] = defaultdict(list)
    for (doc_id, official_id), copies in grouped.items():
        first = copies[0]
        out[doc_id].append(
            Dispatch(
                official_id=official_id,
                name=first.name,
                office_name=first.office_name,
                roles=roles.get(official_id, frozenset()),
                queued_at=first.created_at,
                sent_at=_earliest(c.sent_at for c in copies),
                acknowledged_at=_earliest(c.acknowledged_at for c in copies),
            )
        )
    return out


def _earliest(values: Iterable[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


async def _roles(s: AsyncSession, official_ids: set[int]) -> dict[int, frozenset[str]]:
    """Every role an official holds or held (a register looks back, so dates do not matter)."""
    if not official_ids:
        return {}
    q = select(RoleAssignment.official_id, RoleAssignment.role).where(
        RoleAssignment.official_id.in_(official_ids)
    )
    found: dict[int, set[str]] = defaultdict(set)
    for official_id, role in (await s.execute(q)).all():
        found[official_id].add(role)
    return {k: frozenset(v) for k, v in found.items()}


async def proposals_received(
    s: AsyncSession, start: datetime, end: datetime
) -> list[ReceivedProposal]:
    """Proposals submitted in [start, end) (those with an agenda number), by cycle and agenda."""
    q = (
        select(Proposal, Office.name, Cycle.title)
        .join(Office, Office.id == Proposal.office_id)
        .join(Cycle, Cycle.id == Proposal.cycle_id)
        .where(
            Proposal.agenda_no.is_not(None),
            Proposal.submitted_at.is_not(None),
            Proposal.submitted_at >= start,
            Proposal.submitted_at < end,
        )
        .order_by(Proposal.cycle_id, Proposal.agenda_no, Proposal.id)
    )
    found = (await s.execute(q)).all()
    if not found:
        return []
    ids = [p.id for p, _, _ in found]
    row_counts = dict(
        (
            await s.execute(
                select(ProposalRow.proposal_id, func.count())
                .where(ProposalRow.proposal_id.in_(ids))
                .group_by(ProposalRow.proposal_id)
            )
        ).all()
    )
    decided: dict[int, dict[str, int]] = defaultdict(dict)
    q_dec = (
        select(ProposalRow.proposal_id, Decision.decision, func.count())
        .join(Decision, Decision.proposal_row_id == ProposalRow.id)
        .where(ProposalRow.proposal_id.in_(ids), Decision.superseded.is_(False))
        .group_by(ProposalRow.proposal_id, Decision.decision)
    )
    for proposal_id, decision, count in (await s.execute(q_dec)).all():
        decided[proposal_id][decision] = int(count)
    successors = await _successors(s, {p.cycle_id for p, _, _ in found})
    out = []
    for p, office_name, cycle_title in found:
        nxt = _next_submission(successors.get((p.cycle_id, p.office_id), []), p.agenda_no or 0)
        out.append(
            ReceivedProposal(
                proposal_id=p.id,
                cycle_id=p.cycle_id,
                cycle_title=cycle_title,
                agenda_no=int(p.agenda_no or 0),
                office_name=office_name,
                submitted_at=p.submitted_at or start,
                status=p.status,
                nihil=p.nihil,
                source=p.source,
                rows=int(row_counts.get(p.id, 0)),
                decisions=decided.get(p.id, {}),
                superseded_by=nxt[0] if nxt and p.status == "superseded" else None,
                superseded_at=nxt[1] if nxt and p.status == "superseded" else None,
            )
        )
    return out


async def _successors(
    s: AsyncSession, cycle_ids: set[int]
) -> dict[tuple[int, int], list[tuple[int, datetime]]]:
    q = (
        select(Proposal.cycle_id, Proposal.office_id, Proposal.agenda_no, Proposal.submitted_at)
        .where(Proposal.cycle_id.in_(list(cycle_ids)), Proposal.agenda_no.is_not(None))
        .order_by(Proposal.agenda_no)
    )
    out: dict[tuple[int, int], list[tuple[int, datetime]]] = defaultdict(list)
    for cycle_id, office_id, agenda_no, submitted_at in (await s.execute(q)).all():
        if agenda_no is not None and submitted_at is not None:
            out[(cycle_id, office_id)].append((agenda_no, submitted_at))
    return out


def _next_submission(
    submissions: list[tuple[int, datetime]], agenda_no: int
) -> tuple[int, datetime] | None:
    return next((sub for sub in submissions if sub[0] > agenda_no), None)


async def documents_of_kinds(
    s: AsyncSession, cycle_ids: Collection[int], kinds: Collection[str]
) -> list[DocRef]:
    """Every version of the given kinds in these cycles, oldest first (no content)."""
    if not cycle_ids or not kinds:
        return []
    q = (
        select(
            Document.id,
            Document.cycle_id,
            Document.kind,
            Document.version,
            Document.letter_number,
            Document.created_at,
        )
        .where(Document.cycle_id.in_(list(cycle_ids)), Document.kind.in_(list(kinds)))
        .order_by(Document.created_at, Document.id)
    )
    return [DocRef(*r) for r in (await s.execute(q)).all()]


async def archive_listing(
    s: AsyncSession, cycle_id: int, *, exclude_kinds: Collection[str] = ()
) -> list[DocumentDTO]:
    """Every version of every document of a cycle (no content), in the order stored."""
    return [d for d in await documents.all_documents(s, cycle_id) if d.kind not in exclude_kinds]


async def contents(s: AsyncSession, document_ids: Iterable[int]) -> dict[int, bytes]:
    """The stored bytes of these documents."""
    ids = list(document_ids)
    if not ids:
        return {}
    q = select(Document.id, Document.content).where(Document.id.in_(ids))
    return {doc_id: bytes(content) for doc_id, content in (await s.execute(q)).all()}


async def office_codes(s: AsyncSession) -> dict[int, str]:
    """Every office's code, active or not (archived files keep their office)."""
    return dict((await s.execute(select(Office.id, Office.code))).all())
