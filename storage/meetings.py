"""Step 6–7 records: the meeting, who attends, members' views, and lembar approvals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Attendance, Cycle, ItemView, LembarApproval, Meeting, Official


@dataclass(frozen=True, slots=True)
class MeetingDTO:
    id: int
    cycle_id: int
    starts_at: datetime
    place: str
    agenda: str


@dataclass(frozen=True, slots=True)
class AttendanceDTO:
    official_id: int
    name: str
    present: bool
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class ViewDTO:
    proposal_row_id: int
    official_id: int
    name: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApprovalDTO:
    official_id: int
    name: str
    lembar_version: int
    approved_at: datetime


def _meeting(m: Meeting) -> MeetingDTO:
    return MeetingDTO(m.id, m.cycle_id, m.starts_at, m.place, m.agenda)


async def add_meeting(
    s: AsyncSession,
    *,
    cycle_id: int,
    starts_at: datetime,
    place: str,
    agenda: str,
    created_by_id: int,
    now: datetime,
) -> MeetingDTO:
    meeting = Meeting(
        cycle_id=cycle_id,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        created_by_id=created_by_id,
        created_at=now,
    )
    s.add(meeting)
    await s.flush()
    return _meeting(meeting)


async def latest_meeting(s: AsyncSession, cycle_id: int) -> MeetingDTO | None:
    m = await s.scalar(
        select(Meeting).where(Meeting.cycle_id == cycle_id).order_by(Meeting.id.desc()).limit(1)
    )
    return _meeting(m) if m else None


async def get_meeting(s: AsyncSession, meeting_id: int) -> MeetingDTO | None:
    m = await s.get(Meeting, meeting_id)
    return _meeting(m) if m else None


async def set_attendance(
    s: AsyncSession, meeting_id: int, official_id: int, present: bool, now: datetime
) -> bool:
    """Record an answer; returns False when it repeats the answer already recorded."""
    row = await s.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.official_id == official_id
        )
    )
    if row is None:
        s.add(
            Attendance(
                meeting_id=meeting_id, official_id=official_id, present=present, answered_at=now
            )
        )
        await s.flush()
        return True
    if row.present == present:
        return False
    row.present = present
    row.answered_at = now
    await s.flush()
    return True


async def attendance(s: AsyncSession, meeting_id: int) -> list[AttendanceDTO]:
    q = (
        select(Attendance, Official.name)
        .join(Official, Official.id == Attendance.official_id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Attendance.answered_at)
    )
    return [
        AttendanceDTO(a.official_id, name, a.present, a.answered_at)
        for a, name in (await s.execute(q)).all()
    ]


async def add_view(
    s: AsyncSession, *, cycle_id: int, row_id: int, official_id: int, text: str, now: datetime
) -> None:
    s.add(
        ItemView(
            cycle_id=cycle_id,
            proposal_row_id=row_id,
            official_id=official_id,
            text=text,
            created_at=now,
        )
    )
    await s.flush()


async def views(s: AsyncSession, cycle_id: int) -> list[ViewDTO]:
    q = (
        select(ItemView, Official.name)
        .join(Official, Official.id == ItemView.official_id)
        .where(ItemView.cycle_id == cycle_id)
        .order_by(ItemView.id)
    )
    return [
        ViewDTO(v.proposal_row_id, v.official_id, name, v.text, v.created_at)
        for v, name in (await s.execute(q)).all()
    ]


async def approve_lembar(
    s: AsyncSession, cycle_id: int, official_id: int, version: int, now: datetime
) -> bool:
    existing = await s.scalar(
        select(LembarApproval.id).where(
            LembarApproval.cycle_id == cycle_id,
            LembarApproval.official_id == official_id,
            LembarApproval.lembar_version == version,
        )
    )
    if existing is not None:
        return False
    s.add(
        LembarApproval(
            cycle_id=cycle_id, official_id=official_id, lembar_version=version, approved_at=now
        )
    )
    await s.flush()
    return True


async def approvals(s: AsyncSession, cycle_id: int, version: int) -> list[ApprovalDTO]:
    q = (
        select(LembarApproval, Official.name)
        .join(Official, Official.id == LembarApproval.official_id)
        .where(LembarApproval.cycle_id == cycle_id, LembarApproval.lembar_version == version)
        .order_by(LembarApproval.approved_at)
    )
    return [
        ApprovalDTO(a.official_id, name, a.lembar_version, a.approved_at)
        for a, name in (await s.execute(q)).all()
    ]


async def set_tester(s: AsyncSession, cycle_id: int, official_id: int | None) -> None:
    await s.execute(update(Cycle).where(Cycle.id == cycle_id).values(tester_id=official_id))


async def tester_of(s: AsyncSession, cycle_id: int) -> int | None:
    return await s.scalar(select(Cycle.tester_id).where(Cycle.id == cycle_id))
