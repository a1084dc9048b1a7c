"""Proposals of the OPDs (step 3) and the Tim Uji Konsekuensi's decisions (step 7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.documents import next_letter_seq
from storage.dto import DecisionDTO, ProposalDTO, RowDTO
from storage.models import Decision, Office, Proposal, ProposalRow


@dataclass(frozen=True, slots=True)
class NewRow:
    informasi: str
    dasar_hukum: str
    bases: str
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str
    source_row: int | None = None


def _row(r: ProposalRow) -> RowDTO:
    return RowDTO(
        id=r.id,
        proposal_id=r.proposal_id,
        position=r.position,
        informasi=r.informasi,
        dasar_hukum=r.dasar_hukum,
        bases=r.bases,
        other_law=r.other_law,
        konsekuensi_dibuka=r.konsekuensi_dibuka,
        konsekuensi_ditutup=r.konsekuensi_ditutup,
        jangka_waktu=r.jangka_waktu,
    )


async def _dto(s: AsyncSession, p: Proposal, office_name: str) -> ProposalDTO:
    rows = await s.scalars(
        select(ProposalRow).where(ProposalRow.proposal_id == p.id).order_by(ProposalRow.position)
    )
    return ProposalDTO(
        id=p.id,
        cycle_id=p.cycle_id,
        office_id=p.office_id,
        office_name=office_name,
        status=p.status,
        nihil=p.nihil,
        source=p.source,
        created_at=p.created_at,
        submitted_at=p.submitted_at,
        agenda_no=p.agenda_no,
        rows=tuple(_row(r) for r in rows),
    )


async def get_proposal(s: AsyncSession, proposal_id: int) -> ProposalDTO | None:
    pair = (
        await s.execute(
            select(Proposal, Office.name)
            .join(Office, Office.id == Proposal.office_id)
            .where(Proposal.id == proposal_id)
        )
    ).first()
    return await _dto(s, pair[0], pair[1]) if pair else None


async def draft_of(s: AsyncSession, cycle_id: int, office_id: int) -> ProposalDTO | None:
    pid = await s.scalar(
        select(Proposal.id).where(
            Proposal.cycle_id == cycle_id,
            Proposal.office_id == office_id,
            Proposal.status == "draft",
        )
    )
    return await get_proposal(s, pid) if pid else None


async def new_draft(
    s: AsyncSession,
    *,
    cycle_id: int,
    office_id: int,
    source: str,
    now: datetime,
    created_by_id: int,
    rows: list[NewRow],
    nihil: bool = False,
    document_id: int | None = None,
) -> int:
    """Start a new draft for the office, dropping (marking discarded) any earlier draft."""
    await s.execute(
        update(Proposal)
        .where(
            Proposal.cycle_id == cycle_id,
            Proposal.office_id == office_id,
            Proposal.status == "draft",
        )
        .values(status="discarded")
    )
    p = Proposal(
        cycle_id=cycle_id,
        office_id=office_id,
        status="draft",
        nihil=nihil,
        source=source,
        created_at=now,
        created_by_id=created_by_id,
        document_id=document_id,
    )
    s.add(p)
    await s.flush()
    await add_rows(s, p.id, rows)
    return p.id


async def add_rows(s: AsyncSession, proposal_id: int, rows: list[NewRow]) -> None:
    """Append rows in one bulk INSERT (a Form DIK may hold a thousand)."""
    if not rows:
        return
    start = await s.scalar(
        select(func.coalesce(func.max(ProposalRow.position), 0)).where(
            ProposalRow.proposal_id == proposal_id
        )
    )
    await s.execute(
        insert(ProposalRow),
        [
            {
                "proposal_id": proposal_id,
                "position": int(start or 0) + i,
                "informasi": r.informasi,
                "dasar_hukum": r.dasar_hukum,
                "bases": r.bases,
                "other_law": r.other_law,
                "konsekuensi_dibuka": r.konsekuensi_dibuka,
                "konsekuensi_ditutup": r.konsekuensi_ditutup,
                "jangka_waktu": r.jangka_waktu,
                "source_row": r.source_row,
            }
            for i, r in enumerate(rows, start=1)
        ],
    )


async def submit(
    s: AsyncSession, proposal_id: int, cycle_id: int, office_id: int, now: datetime
) -> int | None:
    """Submit a draft: earlier submissions of the office become superseded. Returns agenda no."""
    await s.execute(
        update(Proposal)
        .where(
            Proposal.cycle_id == cycle_id,
            Proposal.office_id == office_id,
            Proposal.status == "submitted",
        )
        .values(status="superseded")
    )
    res = await s.execute(
        update(Proposal)
        .where(Proposal.id == proposal_id, Proposal.status == "draft")
        .values(status="submitted", submitted_at=now)
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return None
    # The Kartu Kendali's agenda number: a gap-free counter per cycle, safe under concurrency.
    agenda = await next_letter_seq(s, f"agenda:cycle:{cycle_id}", 0)
    await s.execute(update(Proposal).where(Proposal.id == proposal_id).values(agenda_no=agenda))
    return agenda


async def submitted(s: AsyncSession, cycle_id: int) -> list[ProposalDTO]:
    pairs = (
        await s.execute(
            select(Proposal, Office.name)
            .join(Office, Office.id == Proposal.office_id)
            .where(Proposal.cycle_id == cycle_id, Proposal.status == "submitted")
            .order_by(Office.name)
        )
    ).all()
    return [await _dto(s, p, name) for p, name in pairs]


@dataclass(frozen=True, slots=True)
class Answered:
    """One OPD's submitted answer, counted (not loaded): for the status view."""

    office_id: int
    nihil: bool
    submitted_at: datetime | None
    rows: int


async def answered(s: AsyncSession, cycle_id: int) -> list[Answered]:
    """Every submitted answer of a cycle with its number of rows, in one query."""
    q = (
        select(
            Proposal.office_id,
            Proposal.nihil,
            Proposal.submitted_at,
            func.count(ProposalRow.id),
        )
        .outerjoin(ProposalRow, ProposalRow.proposal_id == Proposal.id)
        .where(Proposal.cycle_id == cycle_id, Proposal.status == "submitted")
        .group_by(Proposal.id, Proposal.office_id, Proposal.nihil, Proposal.submitted_at)
    )
    return [Answered(o, bool(n), t, int(c)) for o, n, t, c in (await s.execute(q)).all()]


async def answered_office_ids(s: AsyncSession, cycle_id: int) -> set[int]:
    q = select(Proposal.office_id).where(
        Proposal.cycle_id == cycle_id, Proposal.status == "submitted"
    )
    return set(await s.scalars(q))


CONSEQUENCE_FIELDS = ("konsekuensi_dibuka", "konsekuensi_ditutup")


async def complete_draft_row(
    s: AsyncSession, proposal_id: int, row_id: int, field: str, text: str
) -> bool:
    """Fill an empty consequence of a row of a draft; False if there is no such empty field
    (the row is not in this draft, the draft was sent, or the field is already filled)."""
    if field not in CONSEQUENCE_FIELDS:
        raise ValueError(f"not a consequence field: {field!r}")
    column = getattr(ProposalRow, field)
    draft = await s.scalar(
        select(Proposal.id).where(Proposal.id == proposal_id, Proposal.status == "draft")
    )
    if draft is None:
        return False
    result = await s.execute(
        update(ProposalRow)
        .where(
            ProposalRow.id == row_id,
            ProposalRow.proposal_id == proposal_id,
            func.trim(column) == "",
        )
        .values({field: text})
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def row_by_id(s: AsyncSession, row_id: int) -> tuple[RowDTO, int, int] | None:
    """A row with its proposal's cycle id and status-checked office id."""
    pair = (
        await s.execute(
            select(ProposalRow, Proposal)
            .join(Proposal, Proposal.id == ProposalRow.proposal_id)
            .where(ProposalRow.id == row_id, Proposal.status == "submitted")
        )
    ).first()
    return (_row(pair[0]), pair[1].cycle_id, pair[1].office_id) if pair else None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The Tim UK's own reading of an item (may differ from the OPD's proposal)."""

    bases: str
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str


async def record_decision(
    s: AsyncSession,
    *,
    cycle_id: int,
    row_id: int,
    decision: str,
    blacked_out: str | None,
    official_id: int,
    now: datetime,
    analysis: Analysis | None = None,
    source: str = "chat",
    open_reason: str | None = None,
) -> None:
    await s.execute(
        update(Decision)
        .where(Decision.proposal_row_id == row_id, Decision.superseded.is_(False))
        .values(superseded=True)
    )
    s.add(
        Decision(
            cycle_id=cycle_id,
            proposal_row_id=row_id,
            decision=decision,
            blacked_out=blacked_out,
            decided_by_id=official_id,
            decided_at=now,
            superseded=False,
            bases=analysis.bases if analysis else None,
            other_law=analysis.other_law if analysis else None,
            konsekuensi_dibuka=analysis.konsekuensi_dibuka if analysis else None,
            konsekuensi_ditutup=analysis.konsekuensi_ditutup if analysis else None,
            jangka_waktu=analysis.jangka_waktu if analysis else None,
            source=source,
            open_reason=open_reason,
        )
    )
    await s.flush()


async def current_decisions(s: AsyncSession, cycle_id: int) -> dict[int, DecisionDTO]:
    q = select(Decision).where(Decision.cycle_id == cycle_id, Decision.superseded.is_(False))
    return {
        d.proposal_row_id: DecisionDTO(
            id=d.id,
            proposal_row_id=d.proposal_row_id,
            decision=d.decision,
            blacked_out=d.blacked_out,
            decided_by_id=d.decided_by_id,
            decided_at=d.decided_at,
            bases=d.bases,
            other_law=d.other_law,
            konsekuensi_dibuka=d.konsekuensi_dibuka,
            konsekuensi_ditutup=d.konsekuensi_ditutup,
            jangka_waktu=d.jangka_waktu,
            source=d.source,
            open_reason=d.open_reason,
        )
        for d in await s.scalars(q)
    }


async def discard(s: AsyncSession, proposal_id: int) -> None:
    await s.execute(
        update(Proposal)
        .where(Proposal.id == proposal_id, Proposal.status == "draft")
        .values(status="discarded")
    )
