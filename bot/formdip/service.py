"""The DIP acts the engine calls, one per thing a person does, each inside the caller's
transaction: send an OPD its pre-filled form, take an upload / typed rows / "tidak ada
perubahan", show the petugas an OPD's changes, accept or return, compile, adopt the accepted
lists, and build what is published. Bad input changes nothing stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.documents.dip_letters import DipItem
from bot.formdik.reader import Problem
from bot.formdip.compare import DikConflict, DikItemRef, DipDiff, against_dik, diff
from bot.formdip.compiled import (
    CompiledDipRow,
    DipOfficeStatus,
    DipOfficeSummary,
    build_compiled_dip,
)
from bot.formdip.model import DipRow
from bot.formdip.reader import read_form_dip
from bot.formdip.stored import new_rows, row_of_entry, row_of_submitted
from bot.formdip.template import build_form_dip
from bot.publish.dip_model import KeputusanRef, PublicDip, PublishedDipItem
from storage import dip
from storage.dto import DipEntryDTO, DipSubmissionDTO, OfficeDTO

UPLOAD = "upload"
CHAT = "chat"
UNCHANGED = "tidak_berubah"


@dataclass(frozen=True, slots=True)
class Intake:
    """What came of an OPD's upload or typed rows: the draft saved (None when refused, and
    then ``problems`` says why), the rows to show back, and what to point out."""

    submission: DipSubmissionDTO | None
    rows: tuple[DipRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    conflicts: tuple[DikConflict, ...] = ()
    changes: DipDiff = field(default_factory=DipDiff)
    cause: str = ""  # why a file could not be read at all, for the log

    @property
    def ok(self) -> bool:
        return self.submission is not None


@dataclass(frozen=True, slots=True)
class Review:
    """An OPD's newest answer with its changes against its DIP in force, for the petugas."""

    submission: DipSubmissionDTO
    changes: DipDiff
    conflicts: tuple[DikConflict, ...]


async def in_force_rows(s: AsyncSession, office_id: int) -> list[DipRow]:
    return [row_of_entry(e) for e in await dip.in_force(s, office_id)]


async def form_for(
    s: AsyncSession,
    office: OfficeDTO,
    *,
    cycle_title: str,
    deadline_text: str,
    label_ppid: str = "PPID Pembantu",
) -> bytes:
    """The OPD's Form DIP, pre-filled with its DIP in force."""
    return build_form_dip(
        office_name=office.name,
        cycle_title=cycle_title,
        deadline_text=deadline_text,
        rows=await in_force_rows(s, office.id),
        label_ppid=label_ppid,
    )


async def _save(
    s: AsyncSession,
    *,
    cycle_id: int,
    office: OfficeDTO,
    rows: Sequence[DipRow],
    dik: Sequence[DikItemRef],
    now: datetime,
    source: str,
    actor_id: int | None,
    document_id: int | None,
    warnings: tuple[Problem, ...] = (),
) -> Intake:
    current = await in_force_rows(s, office.id)
    submission = await dip.save_draft(
        s,
        cycle_id,
        office.id,
        new_rows(rows),
        source=source,
        now=now,
        actor_id=actor_id,
        document_id=document_id,
    )
    return Intake(
        submission,
        tuple(rows),
        warnings=warnings,
        conflicts=tuple(against_dik(office.code, rows, dik)),
        changes=diff(current, rows),
    )


async def take_upload(
    s: AsyncSession,
    *,
    cycle_id: int,
    office: OfficeDTO,
    data: bytes,
    dik: Sequence[DikItemRef],
    now: datetime,
    actor_id: int | None = None,
    document_id: int | None = None,
    max_bytes: int = 5_000_000,
) -> Intake:
    """Read an uploaded Form DIP; when it has no problem, it becomes the OPD's draft."""
    known = {e.ref for e in await dip.in_force(s, office.id)}
    result = read_form_dip(data, known_refs=known, max_bytes=max_bytes)
    if not result.ok:
        return Intake(None, result.rows, result.problems, result.warnings, cause=result.cause)
    return await _save(
        s,
        cycle_id=cycle_id,
        office=office,
        rows=result.rows,
        dik=dik,
        now=now,
        source=UPLOAD,
        actor_id=actor_id,
        document_id=document_id,
        warnings=result.warnings,
    )


async def take_rows(
    s: AsyncSession,
    *,
    cycle_id: int,
    office: OfficeDTO,
    rows: Sequence[DipRow],
    dik: Sequence[DikItemRef],
    now: datetime,
    actor_id: int | None = None,
) -> Intake:
    """Rows typed in chat (each already checked with :func:`bot.formdip.parse_typed_row`)."""
    if not rows:
        return Intake(None, problems=(Problem(None, None, "Belum ada baris DIP yang diketik."),))
    return await _save(
        s,
        cycle_id=cycle_id,
        office=office,
        rows=rows,
        dik=dik,
        now=now,
        source=CHAT,
        actor_id=actor_id,
        document_id=None,
    )


async def take_unchanged(
    s: AsyncSession, *, cycle_id: int, office_id: int, now: datetime, actor_id: int | None = None
) -> DipSubmissionDTO:
    """ "Tidak ada perubahan": the OPD's list in force stays; sent at once."""
    draft = await dip.save_draft(
        s, cycle_id, office_id, [], source=UNCHANGED, unchanged=True, now=now, actor_id=actor_id
    )
    return await dip.submit(s, draft.id, now=now)


async def send(s: AsyncSession, submission_id: int, *, now: datetime) -> DipSubmissionDTO:
    """The OPD taps "Kirim" after seeing its rows back."""
    return await dip.submit(s, submission_id, now=now)


async def review(
    s: AsyncSession, *, cycle_id: int, office: OfficeDTO, dik: Sequence[DikItemRef]
) -> Review | None:
    sub = await dip.latest(s, cycle_id, office.id)
    if sub is None:
        return None
    current = await in_force_rows(s, office.id)
    rows = current if sub.unchanged else [row_of_submitted(r) for r in sub.rows]
    return Review(sub, diff(current, rows), tuple(against_dik(office.code, rows, dik)))


async def accept(
    s: AsyncSession, submission_id: int, *, actor_id: int | None, now: datetime
) -> DipSubmissionDTO:
    return await dip.accept(s, submission_id, actor_id=actor_id, now=now)


async def return_to_office(
    s: AsyncSession, submission_id: int, notes: str, *, actor_id: int | None, now: datetime
) -> DipSubmissionDTO:
    """Return with notes (required: empty notes raise ValueError, nothing changes)."""
    return await dip.return_with_notes(s, submission_id, notes, actor_id=actor_id, now=now)


@dataclass(frozen=True, slots=True)
class OfficeList:
    """One OPD's list as the cycle will set it, and how it came to be."""

    office: OfficeDTO
    status: DipOfficeStatus
    rows: tuple[DipRow, ...]
    note: str = ""


_NOTES = {
    dip.DRAFT: "belum dikirim",
    dip.SUBMITTED: "belum diverifikasi",
    dip.RETURNED: "dikembalikan, belum dikirim ulang",
}


async def resulting_lists(
    s: AsyncSession, cycle_id: int, offices: Sequence[OfficeDTO]
) -> list[OfficeList]:
    """Each OPD's list after the cycle: an accepted update, else its DIP in force."""
    latest = {sub.office_id: sub for sub in await dip.latest_per_office(s, cycle_id)}
    out = []
    for office in offices:
        sub = latest.get(office.id)
        current = tuple(await in_force_rows(s, office.id))
        if sub is not None and sub.status == dip.ACCEPTED and not sub.unchanged:
            rows = tuple(row_of_submitted(r) for r in sub.rows)
            out.append(OfficeList(office, DipOfficeStatus.DIPERBARUI, rows))
        elif sub is not None and sub.status == dip.ACCEPTED:
            out.append(OfficeList(office, DipOfficeStatus.TIDAK_BERUBAH, current))
        else:
            note = _NOTES.get(sub.status, "") if sub is not None else ""
            out.append(OfficeList(office, DipOfficeStatus.TIDAK_MENJAWAB, current, note))
    return out


def compiled_xlsx(title: str, lists: Sequence[OfficeList]) -> bytes:
    """The compiled DIP (by OPD, by jenis, summary) of :func:`resulting_lists`."""
    return build_compiled_dip(
        title=title,
        rows=[CompiledDipRow(x.office.name, r) for x in lists for r in x.rows],
        offices=[DipOfficeSummary(x.office.name, x.status, x.note) for x in lists],
    )


def keputusan_items(lists: Sequence[OfficeList]) -> list[DipItem]:
    """The lampiran of the Keputusan PPID Utama."""
    return [DipItem(x.office.name, r) for x in lists for r in x.rows]


async def adopt(s: AsyncSession, cycle_id: int, *, now: datetime) -> list[int]:
    """After the Keputusan is signed: the accepted lists become the DIP in force."""
    return await dip.adopt_accepted(s, cycle_id, now=now)


async def public_dip(
    s: AsyncSession,
    *,
    badan_publik: str,
    ppid: str,
    keputusan: KeputusanRef,
    now: datetime,
    dik_page: str = "",
    keputusan_published: bool = False,
    permohonan_url: str = "",
) -> PublicDip:
    """The DIP in force as it is published (call after :func:`adopt`)."""
    entries = await dip.in_force(s)
    items = [
        PublishedDipItem(no, e.office_code, e.office_name, row_of_entry(e))
        for no, e in enumerate(entries, start=1)
    ]
    return PublicDip(
        badan_publik,
        ppid,
        keputusan,
        now,
        items,
        dik_page=dik_page,
        keputusan_published=keputusan_published,
        permohonan_url=permohonan_url,
    )


def lookup(entries: Sequence[DipEntryDTO], query: str) -> list[DipEntryDTO]:
    """/dip [OPD atau kata kunci]: entries in force where every word of the query is in the
    OPD's code or name, the ringkasan, the pejabat/unit or the penanggung jawab."""
    words = query.casefold().split()
    if not words:
        return list(entries)

    def haystack(e: DipEntryDTO) -> str:
        f = e.fields
        return " ".join(
            (e.office_code, e.office_name, f.ringkasan, f.pejabat, f.penanggung_jawab)
        ).casefold()

    return [e for e in entries if all(w in haystack(e) for w in words)]
