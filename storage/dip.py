"""The Daftar Informasi Publik: each OPD's list in force, and the OPDs' submissions in a DIP
cycle with the petugas' review (accepted, or returned with notes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dto import DipEntryDTO, DipFieldsDTO, DipSubmissionDTO, DipSubmissionRowDTO
from storage.models import DipEntry, DipSubmission, DipSubmissionRow, Office

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"


@dataclass(frozen=True, slots=True)
class NewDipRow:
    fields: DipFieldsDTO
    ref: str = ""
    source_row: int | None = None


class DipStateError(ValueError):
    """A submission is not in the state the act needs (e.g. accepting a draft)."""


def _fields(r: DipEntry | DipSubmissionRow) -> DipFieldsDTO:
    return DipFieldsDTO(
        ringkasan=r.ringkasan,
        pejabat=r.pejabat,
        penanggung_jawab=r.penanggung_jawab,
        waktu_tempat=r.waktu_tempat,
        bentuk=tuple(b for b in r.bentuk.split(",") if b),
        retensi=r.retensi,
        jenis=r.jenis,
    )


def _columns(f: DipFieldsDTO) -> dict[str, str]:
    return {
        "ringkasan": f.ringkasan,
        "pejabat": f.pejabat,
        "penanggung_jawab": f.penanggung_jawab,
        "waktu_tempat": f.waktu_tempat,
        "bentuk": ",".join(f.bentuk),
        "retensi": f.retensi,
        "jenis": f.jenis,
    }


async def in_force(s: AsyncSession, office_id: int | None = None) -> list[DipEntryDTO]:
    """The DIP in force, by OPD (in the order of their codes) then position; one OPD's only
    when ``office_id`` is given."""
    query = (
        select(DipEntry, Office.code, Office.name)
        .join(Office, Office.id == DipEntry.office_id)
        .where(DipEntry.superseded_at.is_(None))
        .order_by(Office.code, DipEntry.position)
    )
    if office_id is not None:
        query = query.where(DipEntry.office_id == office_id)
    return [
        DipEntryDTO(
            id=e.id,
            office_id=e.office_id,
            office_code=code,
            office_name=name,
            position=e.position,
            fields=_fields(e),
            set_in_cycle_id=e.set_in_cycle_id,
            valid_from=e.valid_from,
        )
        for e, code, name in (await s.execute(query)).all()
    ]


async def replace_in_force(
    s: AsyncSession,
    office_id: int,
    rows: Sequence[DipFieldsDTO],
    *,
    cycle_id: int | None,
    now: datetime,
) -> list[DipEntryDTO]:
    """Make ``rows`` the OPD's DIP in force; the old entries are kept, superseded at ``now``."""
    await s.execute(
        update(DipEntry)
        .where(DipEntry.office_id == office_id, DipEntry.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    for position, fields in enumerate(rows, start=1):
        s.add(
            DipEntry(
                office_id=office_id,
                position=position,
                set_in_cycle_id=cycle_id,
                valid_from=now,
                **_columns(fields),
            )
        )
    await s.flush()
    return await in_force(s, office_id)


async def _dto(s: AsyncSession, sub: DipSubmission) -> DipSubmissionDTO:
    office = await s.get_one(Office, sub.office_id)
    rows = await s.scalars(
        select(DipSubmissionRow)
        .where(DipSubmissionRow.submission_id == sub.id)
        .order_by(DipSubmissionRow.position)
    )
    return DipSubmissionDTO(
        id=sub.id,
        cycle_id=sub.cycle_id,
        office_id=sub.office_id,
        office_code=office.code,
        office_name=office.name,
        attempt=sub.attempt,
        status=sub.status,
        unchanged=sub.unchanged,
        source=sub.source,
        created_at=sub.created_at,
        submitted_at=sub.submitted_at,
        document_id=sub.document_id,
        review_notes=sub.review_notes,
        reviewed_at=sub.reviewed_at,
        rows=tuple(DipSubmissionRowDTO(r.position, r.ref, _fields(r), r.source_row) for r in rows),
    )


async def _latest_row(s: AsyncSession, cycle_id: int, office_id: int) -> DipSubmission | None:
    return await s.scalar(
        select(DipSubmission)
        .where(DipSubmission.cycle_id == cycle_id, DipSubmission.office_id == office_id)
        .order_by(DipSubmission.attempt.desc())
        .limit(1)
    )


async def get(s: AsyncSession, submission_id: int) -> DipSubmissionDTO | None:
    """One submission by id (None when there is none)."""
    sub = await s.get(DipSubmission, submission_id)
    return await _dto(s, sub) if sub else None


async def latest(s: AsyncSession, cycle_id: int, office_id: int) -> DipSubmissionDTO | None:
    """The OPD's newest attempt in the cycle (a draft, or the one sent, returned, accepted)."""
    sub = await _latest_row(s, cycle_id, office_id)
    return await _dto(s, sub) if sub else None


async def latest_per_office(s: AsyncSession, cycle_id: int) -> list[DipSubmissionDTO]:
    """Each OPD's newest attempt in the cycle, by OPD code."""
    newest = (
        select(DipSubmission.office_id, func.max(DipSubmission.attempt).label("attempt"))
        .where(DipSubmission.cycle_id == cycle_id)
        .group_by(DipSubmission.office_id)
        .subquery()
    )
    subs = await s.scalars(
        select(DipSubmission)
        .join(
            newest,
            (newest.c.office_id == DipSubmission.office_id)
            & (newest.c.attempt == DipSubmission.attempt),
        )
        .join(Office, Office.id == DipSubmission.office_id)
        .where(DipSubmission.cycle_id == cycle_id)
        .order_by(Office.code)
    )
    return [await _dto(s, sub) for sub in subs.all()]


async def save_draft(
    s: AsyncSession,
    cycle_id: int,
    office_id: int,
    rows: Sequence[NewDipRow],
    *,
    source: str,
    now: datetime,
    unchanged: bool = False,
    actor_id: int | None = None,
    document_id: int | None = None,
) -> DipSubmissionDTO:
    """The OPD's draft with exactly ``rows`` (an open draft is replaced; after a return, or
    with none yet, a new attempt starts). A sent, unreviewed or accepted answer stays as is."""
    if unchanged and rows:
        raise ValueError("an answer 'tidak ada perubahan' carries no rows")
    sub = await _latest_row(s, cycle_id, office_id)
    if sub is not None and sub.status in (SUBMITTED, ACCEPTED):
        raise DipStateError(f"submission {sub.id} is {sub.status}")
    if sub is None or sub.status == RETURNED:
        sub = DipSubmission(
            cycle_id=cycle_id,
            office_id=office_id,
            attempt=1 if sub is None else sub.attempt + 1,
            status=DRAFT,
            created_at=now,
            source=source,
            unchanged=unchanged,
        )
        s.add(sub)
    else:
        for old in await s.scalars(
            select(DipSubmissionRow).where(DipSubmissionRow.submission_id == sub.id)
        ):
            await s.delete(old)
    sub.source, sub.unchanged, sub.created_by_id = source, unchanged, actor_id
    sub.document_id = document_id
    await s.flush()
    for position, row in enumerate(rows, start=1):
        s.add(
            DipSubmissionRow(
                submission_id=sub.id,
                position=position,
                ref=row.ref,
                source_row=row.source_row,
                **_columns(row.fields),
            )
        )
    await s.flush()
    return await _dto(s, sub)


async def _move(
    s: AsyncSession, submission_id: int, want: str, **values: object
) -> DipSubmissionDTO:
    sub = await s.get(DipSubmission, submission_id, with_for_update=True)
    if sub is None:
        raise DipStateError(f"no submission {submission_id}")
    if sub.status != want:
        raise DipStateError(f"submission {submission_id} is {sub.status}, not {want}")
    for key, value in values.items():
        setattr(sub, key, value)
    await s.flush()
    return await _dto(s, sub)


async def submit(s: AsyncSession, submission_id: int, *, now: datetime) -> DipSubmissionDTO:
    """Send a draft to the petugas."""
    return await _move(s, submission_id, DRAFT, status=SUBMITTED, submitted_at=now)


async def accept(
    s: AsyncSession, submission_id: int, *, actor_id: int | None, now: datetime
) -> DipSubmissionDTO:
    return await _move(
        s, submission_id, SUBMITTED, status=ACCEPTED, reviewed_at=now, reviewed_by_id=actor_id
    )


async def return_with_notes(
    s: AsyncSession, submission_id: int, notes: str, *, actor_id: int | None, now: datetime
) -> DipSubmissionDTO:
    """Send a submission back to its OPD; the notes say what to fix (required)."""
    text = notes.strip()
    if not text:
        raise ValueError("a return needs notes")
    return await _move(
        s,
        submission_id,
        SUBMITTED,
        status=RETURNED,
        review_notes=text,
        reviewed_at=now,
        reviewed_by_id=actor_id,
    )


async def adopt_accepted(s: AsyncSession, cycle_id: int, *, now: datetime) -> list[int]:
    """Make every accepted list of the cycle the OPD's DIP in force ("tidak ada perubahan"
    and OPDs without an accepted answer keep theirs); return the offices whose list changed."""
    changed = []
    for sub in await latest_per_office(s, cycle_id):
        if sub.status != ACCEPTED or sub.unchanged:
            continue
        await replace_in_force(
            s, sub.office_id, [r.fields for r in sub.rows], cycle_id=cycle_id, now=now
        )
        changed.append(sub.office_id)
    return changed
