"""The admin's holidays: /libur in chat and `python -m bot holiday` on the command line.

An extra holiday (a decree the `holidays` package does not know yet) or an extra working day (a
listed holiday the city works anyway) is stored in `extra_days` and loaded into the calendar.
Open step runs whose deadline was counted over the changed day get their deadline moved (only
when it is still the one the old calendar gave: a deadline set otherwise is left alone), and
their holders are told. Days before today cannot be changed: past lateness stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.workdays import WorkCalendar
from bot.workflow.calendar_days import CalendarDays
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from bot.workflow.nudges import Nudges
from storage import cycles, extra_days
from storage.dto import PersonDTO
from storage.extra_days import HOLIDAY, WORKDAY, ExtraDayDTO

DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
MAX_DESCRIPTION = 200
LIST_DAYS_AHEAD = 366
OPS = ("add", "remove", "workday")


def parse_day(text: str) -> date | None:
    """`2026-12-24`, `24-12-2026`, `24/12/2026` or `24.12.2026`; None if it is not a date."""
    m = DATE_RE.match(text.strip())
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(6, 5, 4)
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class MovedDeadline:
    run_id: int
    cycle: str
    step_no: int
    old: datetime
    new: datetime


@dataclass(frozen=True, slots=True)
class DayChange:
    op: str  # add / remove / workday
    day: date
    description: str
    moved: list[MovedDeadline] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DayListing:
    day: date
    name: str
    kind: str  # holiday (package) / admin_holiday / admin_workday


class Holidays:
    def __init__(self, core: WorkflowCore, calendar_days: CalendarDays, nudges: Nudges) -> None:
        self.core = core
        self.calendar_days = calendar_days
        self.nudges = nudges

    # --- chat ---------------------------------------------------------------------------------
    async def holidays_text(self, tg_user_id: int) -> Outcome:
        """/libur: the coming holidays and the admin's extra days."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            cal = await self.calendar_days.calendar_in(s)
            listing = self._holiday_listing(cal, await extra_days.list_days(s))
            return Outcome(
                True,
                texts.render(
                    "holidays",
                    "listing",
                    items=[(tanggal.format_hari_tanggal(i.day), i.name, i.kind) for i in listing],
                    until=tanggal.format_tanggal(
                        self.core.today() + timedelta(days=LIST_DAYS_AHEAD)
                    ),
                    admin=person.has("admin"),
                ),
            )

        return await self.core.guarded(tg_user_id, "holidays", body)

    async def admin_extra_day(
        self, tg_user_id: int, op: str, day_text: str, description: str = ""
    ) -> Outcome:
        """/libur tambah|hapus|kerja: the admin changes the calendar."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            change = await self._change_extra_day(s, person, op, day_text, description)
            return Outcome(
                True,
                texts.render(
                    "holidays",
                    "changed",
                    op=change.op,
                    day=tanggal.format_hari_tanggal(change.day),
                    description=change.description,
                    moved=[
                        (m.cycle, m.step_no, self.core.fmt_time(m.old), self.core.fmt_time(m.new))
                        for m in change.moved
                    ],
                ),
            )

        outcome = await self.core.guarded(tg_user_id, f"holiday_{op}", body)
        if outcome.ok:
            await self.calendar_days.refresh_calendar()
        return outcome

    # --- command line -------------------------------------------------------------------------
    async def change_extra_day(self, op: str, day_text: str, description: str = "") -> DayChange:
        """CLI: add/remove/workday (raises Refused with the reason)."""
        async with self.core.db.transaction() as s:
            change = await self._change_extra_day(s, None, op, day_text, description)
        await self.calendar_days.refresh_calendar()
        return change

    async def list_extra_days(self) -> tuple[list[ExtraDayDTO], list[DayListing]]:
        """CLI: the admin's days, and the coming holidays of the effective calendar."""
        async with self.core.db.read() as s:
            days = await extra_days.list_days(s)
            cal = await self.calendar_days.calendar_in(s)
        return days, self._holiday_listing(cal, days)

    # --- the change itself -------------------------------------------------------------------
    async def _change_extra_day(
        self, s: AsyncSession, person: PersonDTO | None, op: str, day_text: str, description: str
    ) -> DayChange:
        if op not in OPS:
            raise Refused("holiday_usage")
        day = parse_day(day_text)
        if day is None:
            raise Refused("holiday_bad_date", text=day_text[:40])
        shown = tanggal.format_hari_tanggal(day)
        if day < self.core.today():
            raise Refused("holiday_past", day=shown)
        description = " ".join(description.split())
        if op != "remove" and not description:
            raise Refused("holiday_no_description")
        if len(description) > MAX_DESCRIPTION:
            raise Refused("too_long", limit=MAX_DESCRIPTION)
        existing = await extra_days.get_day(s, day)
        old_cal = await self.calendar_days.calendar_in(s)
        if op == "remove":
            if existing is None:
                raise Refused("holiday_not_listed", day=shown)
            await extra_days.remove_day(s, day)
            description = existing.description
        else:
            if existing is not None:
                raise Refused(
                    "holiday_exists",
                    day=shown,
                    kind=existing.kind,
                    description=existing.description,
                )
            if op == "add" and not old_cal.is_working_day(day):
                name = old_cal.holiday_name(day) or tanggal.nama_hari(day)
                raise Refused("holiday_not_workday", day=shown, name=name)
            if op == "workday" and old_cal.is_working_day(day):
                raise Refused("holiday_already_workday", day=shown)
            await extra_days.add_day(s, day, HOLIDAY if op == "add" else WORKDAY, description)
        new_cal = await self.calendar_days.calendar_in(s)
        moved = await self._move_deadlines(s, old_cal, new_cal, description)
        await self.core.record(
            s,
            person,
            f"holiday_{op}",
            detail=f"{day.isoformat()} {description}; deadlines moved: {len(moved)}"
            + ("" if person else " (cli)"),
        )
        return DayChange(op, day, description, moved)

    async def _move_deadlines(
        self, s: AsyncSession, old_cal: WorkCalendar, new_cal: WorkCalendar, reason: str
    ) -> list[MovedDeadline]:
        """Recount the deadline of every open run whose deadline the old calendar gave."""
        moved: list[MovedDeadline] = []
        for run in await cycles.open_runs(s):
            step = await self.core.step_of(s, run)
            was = old_cal.add_working_days(run.assigned_at, step.limit_days)
            if run.due_at != was:
                continue  # not a deadline counted from the assignment: leave it alone
            new = new_cal.add_working_days(run.assigned_at, step.limit_days)
            if new == was or not await extra_days.move_due(s, run.id, run.due_at, new):
                continue
            cycle = await cycles.get_cycle(s, run.cycle_id)
            assert cycle is not None
            moved.append(MovedDeadline(run.id, cycle.title, step.id, was, new))
            text = texts.render(
                "nudges",
                "deadline_moved",
                cycle=cycle.title,
                step=step,
                old=self.core.fmt_time(was),
                new=self.core.fmt_time(new),
                reason=reason,
            )
            fresh = await cycles.get_run(s, run.id)
            assert fresh is not None
            for p in await self.nudges.nudge_holders(s, fresh, cycle):
                await self.core.tell(s, p, text, actor=None)
        return moved

    def _holiday_listing(self, cal: WorkCalendar, days: list[ExtraDayDTO]) -> list[DayListing]:
        """Holidays on office days from today for a year, with the admin's days marked."""
        today = self.core.today()
        admin = {d.day: d for d in days}
        out: list[DayListing] = []
        for i in range(LIST_DAYS_AHEAD + 1):
            d = today + timedelta(days=i)
            extra = admin.get(d)
            if extra is not None:
                kind = "admin_holiday" if extra.kind == HOLIDAY else "admin_workday"
                out.append(DayListing(d, extra.description, kind))
                continue
            name = cal.holiday_name(d)
            if name and d.weekday() in cal.workdays:
                out.append(DayListing(d, name, "holiday"))
        return out
