"""The workflow's working-day calendar, with the admin's extra days from the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.workdays import WorkCalendar
from bot.workflow.core import WorkflowCore
from storage import extra_days
from storage.extra_days import ExtraDayDTO


class CalendarDays:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    def calendar_with(self, days: Sequence[ExtraDayDTO]) -> WorkCalendar:
        """The current calendar with exactly these admin days on top of the package's."""
        holidays = {d.day: d.description for d in days if d.kind == extra_days.HOLIDAY}
        workdays = {d.day: d.description for d in days if d.kind == extra_days.WORKDAY}
        cal = self.core.calendar
        if dict(cal.extra_holidays) == holidays and dict(cal.extra_workdays) == workdays:
            return cal
        return cal.with_extra(extra_holidays=holidays, extra_workdays=workdays)

    async def calendar_in(self, s: AsyncSession) -> WorkCalendar:
        """The calendar as the database holds it inside this transaction."""
        return self.calendar_with(await extra_days.list_days(s))

    async def refresh_calendar(self) -> WorkCalendar:
        """Load the admin's extra days (at start, after a change, and before every sweep, so a
        change made with the CLI reaches a running bot within a minute)."""
        async with self.core.db.read() as s:
            cal = await self.calendar_in(s)
        if cal is not self.core.calendar:
            self.core.calendar = cal
            self.core.deps.calendar = cal
        return cal
