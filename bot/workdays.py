"""Working-day arithmetic for SOP deadlines ("waktu" in working days).

Pure module: no Telegram, no database. The calendar is Indonesia's, from the ``holidays``
package with the ``public`` and ``government`` categories (the latter holds the cuti bersama
days), in Indonesian. Admin-maintained days sit on top of it: extra holidays (a decree the package
does not know yet) and extra working days (a listed holiday, or a weekend day, that the city
declares a working day). The caller loads those from the database and passes them in.

Rules, all in local time of the calendar's zone (Kupang: WITA, ``Asia/Makassar``, UTC+8, no DST):

* A working day is a weekday in ``workdays`` that is not a holiday, or any day explicitly listed
  in ``extra_workdays``.
* Office time is ``[office_hours.start, office_hours.end)`` on a working day: the opening minute
  is inside, the closing minute is outside.
* Deadline (:meth:`WorkCalendar.add_working_days`): a step assigned at T with a limit of N working
  days is due as follows. If T is office time, the base is T; otherwise (before opening, at or
  after closing, on a weekend or holiday) the base is the next office opening after T. The due
  moment is the N-th working day after the base's date, at the base's local clock time. Since the
  base is always office time, so is the due moment.
* Lateness (:meth:`WorkCalendar.working_days_between`): the largest k >= 0 such that
  ``add_working_days(a, k) <= b``, i.e. the exact inverse of the deadline rule; 0 when
  ``b <= a``.

Every datetime argument must be timezone-aware (any zone; it is converted to the calendar's);
naive datetimes raise ``ValueError``. Arguments typed ``date`` must be plain dates, not datetimes
(``TypeError``), so that a UTC timestamp is never silently read as a local date.

The underlying ``holidays`` object loads years lazily as they are first asked for; it is mutated
while doing so, so share one calendar per thread (the bot runs on a single event loop).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "HOLIDAY_CATEGORIES",
    "HOLIDAY_COUNTRY",
    "HOLIDAY_LANGUAGE",
    "MON_TO_FRI",
    "WITA",
    "OfficeHours",
    "WorkCalendar",
]

WITA = ZoneInfo("Asia/Makassar")
"""Kupang's time zone (Waktu Indonesia Tengah, UTC+8, no DST)."""

MON_TO_FRI: frozenset[int] = frozenset(range(5))
"""Default office days, as ``date.weekday()`` numbers (Monday is 0)."""

HOLIDAY_COUNTRY = "ID"
HOLIDAY_CATEGORIES = ("public", "government")
"""``public``: national holidays; ``government``: cuti bersama (collective leave) days."""

HOLIDAY_LANGUAGE = "id"
"""Passed explicitly: with ``language=None`` the package follows the process locale (English
under ``LANG=C.UTF-8``)."""


@dataclass(frozen=True)
class OfficeHours:
    """Daily office hours, local wall-clock times; ``start`` inclusive, ``end`` exclusive."""

    start: time = time(7, 30)
    end: time = time(16, 0)

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("office hours are local wall-clock times; drop the tzinfo")
        if not self.start < self.end:
            raise ValueError(f"office hours must open before they close: {self.start}-{self.end}")

    def contains(self, clock: time) -> bool:
        """Whether a local clock time lies within office hours (ignoring the day)."""
        return self.start <= clock < self.end


def _frozen_days(days: Mapping[date, str], what: str) -> Mapping[date, str]:
    for day, description in days.items():
        if type(day) is not date:
            raise TypeError(f"{what} keys must be dates, got {day!r}")
        if not isinstance(description, str) or not description.strip():
            raise ValueError(f"{what} for {day} needs a non-empty description")
    return MappingProxyType(dict(sorted(days.items())))


def _plain_date(value: date) -> date:
    if isinstance(value, datetime):
        raise TypeError(
            "expected a date, got a datetime; convert it to the calendar's zone and take .date()"
        )
    return value


@dataclass(frozen=True)
class WorkCalendar:
    """Indonesian working-day calendar with office hours and admin overrides.

    ``extra_holidays`` maps a date to the admin's description (it replaces the package's name on
    that date, if any); ``extra_workdays`` maps a date to the reason it is worked anyway (a listed
    holiday, or a day outside ``workdays``). A date may not be in both.
    """

    tz: ZoneInfo
    _: KW_ONLY
    workdays: frozenset[int] = MON_TO_FRI
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    extra_holidays: Mapping[date, str] = field(default_factory=dict)
    extra_workdays: Mapping[date, str] = field(default_factory=dict)
    _holidays: holidays.HolidayBase = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.tz, ZoneInfo):
            raise TypeError(f"tz must be a zoneinfo.ZoneInfo, got {self.tz!r}")
        workdays = frozenset(self.workdays)
        if not workdays or not workdays <= frozenset(range(7)):
            raise ValueError(f"workdays must be a non-empty subset of 0..6, got {self.workdays!r}")
        extra_holidays = _frozen_days(self.extra_holidays, "extra_holidays")
        extra_workdays = _frozen_days(self.extra_workdays, "extra_workdays")
        if clash := sorted(extra_holidays.keys() & extra_workdays.keys()):
            raise ValueError(
                f"dates both extra holidays and extra working days: {', '.join(map(str, clash))}"
            )
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "extra_holidays", extra_holidays)
        object.__setattr__(self, "extra_workdays", extra_workdays)
        object.__setattr__(self, "_holidays", self._build_holidays())

    def __hash__(self) -> int:
        return hash(
            (
                self.tz,
                self.workdays,
                self.office_hours,
                frozenset(self.extra_holidays.items()),
                frozenset(self.extra_workdays.items()),
            )
        )

    def _build_holidays(self) -> holidays.HolidayBase:
        # No ``years``: the package populates each year the first time a date in it is looked up.
        # Touching a date (``in``) populates its year before the override is applied, so the
        # override is never undone by a later population of that year.
        hols = holidays.country_holidays(
            HOLIDAY_COUNTRY, categories=HOLIDAY_CATEGORIES, language=HOLIDAY_LANGUAGE
        )
        # Indonesia has no weekend-dependent "observed" rules, so redefining the weekend only
        # changes which weekdays count as working days.
        hols.weekend = set(range(7)) - self.workdays
        for day, description in self.extra_holidays.items():
            if day in hols:
                hols.pop(day)
            hols[day] = description
        weekend_workdays = set(hols.weekend_workdays)  # a fresh set: never mutate shared state
        for day in self.extra_workdays:
            if day in hols:
                hols.pop(day)
            if hols.is_weekend(day):
                weekend_workdays.add(day)
        hols.weekend_workdays = weekend_workdays
        return hols

    def with_extra(
        self,
        *,
        extra_holidays: Mapping[date, str] | None = None,
        extra_workdays: Mapping[date, str] | None = None,
    ) -> WorkCalendar:
        """A copy whose admin days are replaced by the given ones (``None`` keeps the current)."""
        return dataclasses.replace(
            self,
            extra_holidays=self.extra_holidays if extra_holidays is None else extra_holidays,
            extra_workdays=self.extra_workdays if extra_workdays is None else extra_workdays,
        )

    # -- dates -------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (office day, not a holiday, or declared working)."""
        return self._holidays.is_working_day(_plain_date(d))

    def holiday_name(self, d: date) -> str | None:
        """The holiday's name on ``d``: the admin's description, else the package's (Indonesian;
        several names are joined by ``"; "``). ``None`` if ``d`` is not a listed holiday or was
        declared a working day. Ordinary weekends have no name."""
        name: str | None = self._holidays.get(_plain_date(d))
        return name

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._holidays.get_nth_working_day(_plain_date(d), 1)

    def last_working_day_of_month(self, year: int, month: int) -> date:
        """The last working day of the given month."""
        first_of_next = date(year + month // 12, month % 12 + 1, 1)
        return self._holidays.get_nth_working_day(first_of_next, -1)

    # -- moments -----------------------------------------------------------------------------

    def _local(self, dt: datetime) -> datetime:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"naive datetime {dt.isoformat()}; pass a timezone-aware datetime")
        return dt.astimezone(self.tz)

    def _at(self, d: date, clock: time) -> datetime:
        return datetime.combine(d, clock, tzinfo=self.tz)

    def office_open_on(self, d: date) -> datetime:
        """The office opening moment on ``d`` (whether or not ``d`` is a working day)."""
        return self._at(_plain_date(d), self.office_hours.start)

    def is_office_time(self, dt: datetime) -> bool:
        """Whether ``dt`` falls within office hours on a working day."""
        local = self._local(dt)
        return self.is_working_day(local.date()) and self.office_hours.contains(local.time())

    def next_office_open(self, after: datetime) -> datetime:
        """The first office opening strictly later than ``after``, in the calendar's zone."""
        local = self._local(after)
        today = local.date()
        if self.is_working_day(today) and local.time() < self.office_hours.start:
            return self.office_open_on(today)
        return self.office_open_on(self.next_working_day(today))

    def _office_base(self, dt: datetime) -> datetime:
        """``dt`` in local time if it is office time, else the next office opening."""
        local = self._local(dt)
        return local if self.is_office_time(local) else self.next_office_open(local)

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """When a step assigned at ``start`` with a limit of ``n`` working days is due.

        ``start`` outside office time is first moved to the next office opening; the result is
        the ``n``-th working day after that, at the same local clock time. ``n == 0`` gives the
        moved ``start`` itself. Raises ``ValueError`` for a negative ``n``.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        base = self._office_base(start)
        due_day = self._holidays.get_nth_working_day(base.date(), n)
        return self._at(due_day, base.time())

    def days_late(self, due_at: datetime, at: datetime) -> int:
        """Working days a step due at ``due_at`` is late at ``at``, as the nudges say it: 0 on
        the due day itself (the due time moved into office hours), ``k`` from the ``k``-th
        working day after it. (Past the due time on the due day it is overdue, 0 days late.)
        """
        due = due_at if self.is_office_time(due_at) else self.next_office_open(due_at)
        due_day = self._local(due).date()
        today = self._local(at).date()
        if today <= due_day:
            return 0
        return self.working_days_between(self.office_open_on(due_day), self.office_open_on(today))

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """How many whole working days ``b`` is after ``a`` (e.g. a due date and a completion).

        The largest ``k >= 0`` with ``add_working_days(a, k) <= b``; 0 if ``b <= a``.
        """
        local_b = self._local(b)
        base = self._office_base(a)
        if local_b <= base:
            return 0
        first = base.date() + timedelta(days=1)
        if local_b.date() < first:
            return 0
        # Working days in [first, b's date]; the last of them is b's date iff b's date is one.
        last = local_b.date()
        count = self._holidays.get_working_days_count(first, last)
        if self.is_working_day(last) and self._at(last, base.time()) > local_b:
            count -= 1  # b is on the count-th working day, but before the due clock time
        return count
