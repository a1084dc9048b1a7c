"""Tests for bot.workdays, on the real Indonesian calendar the ``holidays`` package gives.

What the package lists for 2026-12-20..2027-01-05 (categories public + government, Indonesian):

    2026-12-24 Thu  Cuti Bersama Hari Raya Natal   (government: cuti bersama)
    2026-12-25 Fri  Hari Raya Natal                (public)
    2027-01-01 Fri  Tahun Baru Masehi              (public)
    2027-01-05 Tue  Isra Mikraj Nabi Muhammad      (public)

plus the weekends 19-20, 26-27 Dec and 2-3 Jan. Office hours 07:30-16:00 WITA (UTC+8).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.workdays import WITA, OfficeHours, WorkCalendar

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7, e.g. a server in Jakarta

PACKAGE_DAYS: dict[date, str] = {
    date(2026, 12, 24): "Cuti Bersama Hari Raya Natal",
    date(2026, 12, 25): "Hari Raya Natal",
    date(2027, 1, 1): "Tahun Baru Masehi",
    date(2027, 1, 5): "Isra Mikraj Nabi Muhammad",
}
ADMIN_HOLIDAY = {date(2026, 12, 31): "Cuti bersama Tahun Baru (Pemkot Kupang)"}
ADMIN_WORKDAY = {date(2026, 12, 24): "Masuk kerja (keputusan Wali Kota)"}


def wita(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=WITA)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(WITA)


@pytest.fixture(scope="module")
def cal_admin_holiday(cal: WorkCalendar) -> WorkCalendar:
    return cal.with_extra(extra_holidays=ADMIN_HOLIDAY)


@pytest.fixture(scope="module")
def cal_admin_workday(cal: WorkCalendar) -> WorkCalendar:
    return cal.with_extra(extra_workdays=ADMIN_WORKDAY)


# -- the package's calendar --------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", [date(2026, 12, 20) + timedelta(days=i) for i in range(17)], ids=str
)
def test_package_calendar_year_end(cal: WorkCalendar, day: date) -> None:
    expected_name = PACKAGE_DAYS.get(day)
    assert cal.holiday_name(day) == expected_name
    assert cal.is_working_day(day) is (day.weekday() < 5 and expected_name is None)


def test_names_are_indonesian_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "en_US")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert WorkCalendar(WITA).holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"


def test_years_load_lazily(cal: WorkCalendar) -> None:
    assert cal.holiday_name(date(2031, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert cal.is_working_day(date(2031, 8, 18))  # an ordinary Monday


# -- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # inside office hours: same clock time, N working days on
        pytest.param(wita(2026, 12, 21, 10), 1, wita(2026, 12, 22, 10), id="plain-weekday"),
        pytest.param(wita(2026, 12, 18, 9, 15), 1, wita(2026, 12, 21, 9, 15), id="over-weekend"),
        pytest.param(
            wita(2026, 12, 23, 10), 1, wita(2026, 12, 28, 10), id="over-cuti-natal-weekend"
        ),
        pytest.param(wita(2026, 12, 22, 9, 15), 2, wita(2026, 12, 28, 9, 15), id="two-over-natal"),
        pytest.param(wita(2026, 12, 30, 14), 2, wita(2027, 1, 4, 14), id="over-new-year"),
        pytest.param(wita(2027, 1, 4, 11), 1, wita(2027, 1, 6, 11), id="over-isra-mikraj"),
        pytest.param(wita(2026, 12, 21, 9), 5, wita(2026, 12, 30, 9), id="five-days"),
        pytest.param(wita(2026, 12, 21, 7, 30), 1, wita(2026, 12, 22, 7, 30), id="at-opening"),
        pytest.param(
            wita(2026, 12, 21, 15, 59, 59), 1, wita(2026, 12, 22, 15, 59, 59), id="last-second"
        ),
        pytest.param(wita(2026, 12, 21, 10), 0, wita(2026, 12, 21, 10), id="zero-in-hours"),
        # outside office hours: first to the next opening, then N working days at 07:30
        pytest.param(wita(2026, 12, 21, 6), 1, wita(2026, 12, 22, 7, 30), id="before-opening"),
        pytest.param(wita(2026, 12, 21, 16), 1, wita(2026, 12, 23, 7, 30), id="at-closing"),
        pytest.param(wita(2026, 12, 21, 17, 45), 1, wita(2026, 12, 23, 7, 30), id="evening"),
        pytest.param(
            wita(2026, 12, 23, 20), 1, wita(2026, 12, 29, 7, 30), id="evening-before-cuti"
        ),
        pytest.param(wita(2026, 12, 19, 10), 1, wita(2026, 12, 22, 7, 30), id="saturday"),
        pytest.param(wita(2026, 12, 26, 10), 3, wita(2026, 12, 31, 7, 30), id="saturday-3"),
        pytest.param(wita(2026, 12, 25, 9), 1, wita(2026, 12, 29, 7, 30), id="on-natal"),
        pytest.param(wita(2026, 12, 24, 9), 1, wita(2026, 12, 29, 7, 30), id="on-cuti-bersama"),
        pytest.param(wita(2026, 12, 19, 10), 0, wita(2026, 12, 21, 7, 30), id="zero-saturday"),
        pytest.param(wita(2026, 12, 31, 23, 59), 1, wita(2027, 1, 6, 7, 30), id="new-years-eve"),
    ],
)
def test_add_working_days(cal: WorkCalendar, start: datetime, n: int, due: datetime) -> None:
    result = cal.add_working_days(start, n)
    assert result == due
    assert (result.date(), result.time()) == (due.date(), due.time())  # same wall clock
    assert result.tzinfo is WITA
    assert cal.is_office_time(result)


@pytest.mark.parametrize(
    ("start", "n", "due_wita"),
    [
        # 02:00 UTC is 10:00 WITA
        pytest.param(
            datetime(2026, 12, 23, 2, tzinfo=UTC), 1, wita(2026, 12, 28, 10), id="utc-in-hours"
        ),
        # 09:00 UTC Monday is 17:00 WITA: after closing
        pytest.param(
            datetime(2026, 12, 21, 9, tzinfo=UTC), 1, wita(2026, 12, 23, 7, 30), id="utc-evening"
        ),
        # Sunday 23:30 UTC is already Monday 07:30 WITA: office time
        pytest.param(
            datetime(2026, 12, 20, 23, 30, tzinfo=UTC),
            1,
            wita(2026, 12, 22, 7, 30),
            id="utc-sunday-is-wita-monday",
        ),
        # Thursday 16:30 UTC (cuti bersama in UTC too) is Friday 00:30 WITA, Christmas
        pytest.param(
            datetime(2026, 12, 24, 16, 30, tzinfo=UTC),
            1,
            wita(2026, 12, 29, 7, 30),
            id="utc-late-night",
        ),
        # 15:30 WIB is 16:30 WITA: closed in Kupang although open in Jakarta
        pytest.param(
            datetime(2026, 12, 21, 15, 30, tzinfo=WIB), 1, wita(2026, 12, 23, 7, 30), id="wib"
        ),
    ],
)
def test_add_working_days_converts_zones(
    cal: WorkCalendar, start: datetime, n: int, due_wita: datetime
) -> None:
    result = cal.add_working_days(start, n)
    assert result.tzinfo is WITA
    assert result.utcoffset() == timedelta(hours=8)
    assert (result.date(), result.time()) == (due_wita.date(), due_wita.time())


def test_utc_result_instant(cal: WorkCalendar) -> None:
    due = cal.add_working_days(datetime(2026, 12, 23, 2, tzinfo=UTC), 1)
    assert due.astimezone(UTC) == datetime(2026, 12, 28, 2, tzinfo=UTC)


# -- admin overrides ---------------------------------------------------------------------------


def test_admin_holiday(cal: WorkCalendar, cal_admin_holiday: WorkCalendar) -> None:
    day = date(2026, 12, 31)
    assert cal.is_working_day(day)
    assert cal.holiday_name(day) is None
    assert not cal_admin_holiday.is_working_day(day)
    assert cal_admin_holiday.holiday_name(day) == "Cuti bersama Tahun Baru (Pemkot Kupang)"
    assert cal_admin_holiday.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        pytest.param(wita(2026, 12, 30, 14), 1, wita(2027, 1, 4, 14), id="over-admin-and-ny"),
        pytest.param(wita(2026, 12, 29, 8), 2, wita(2027, 1, 4, 8), id="two"),
        pytest.param(wita(2026, 12, 30, 16, 30), 1, wita(2027, 1, 6, 7, 30), id="evening"),
    ],
)
def test_add_working_days_admin_holiday(
    cal_admin_holiday: WorkCalendar, start: datetime, n: int, due: datetime
) -> None:
    assert cal_admin_holiday.add_working_days(start, n) == due


def test_admin_description_replaces_package_name(cal: WorkCalendar) -> None:
    custom = cal.with_extra(extra_holidays={date(2026, 12, 24): "Cuti bersama"})
    assert custom.holiday_name(date(2026, 12, 24)) == "Cuti bersama"
    assert not custom.is_working_day(date(2026, 12, 24))


def test_admin_workday_on_cuti_bersama(cal_admin_workday: WorkCalendar) -> None:
    day = date(2026, 12, 24)
    assert cal_admin_workday.is_working_day(day)
    assert cal_admin_workday.holiday_name(day) is None
    assert cal_admin_workday.add_working_days(wita(2026, 12, 23, 10), 1) == wita(2026, 12, 24, 10)
    assert cal_admin_workday.next_working_day(date(2026, 12, 23)) == day
    assert cal_admin_workday.next_office_open(wita(2026, 12, 23, 17)) == wita(2026, 12, 24, 7, 30)


def test_admin_workday_on_saturday(cal: WorkCalendar) -> None:
    custom = cal.with_extra(extra_workdays={date(2026, 12, 26): "Apel dan kerja bakti"})
    assert custom.is_working_day(date(2026, 12, 26))
    assert not custom.is_working_day(date(2026, 12, 27))
    # Christmas 09:00 -> next opening Saturday 07:30 -> one working day later, Monday 07:30
    assert custom.add_working_days(wita(2026, 12, 25, 9), 1) == wita(2026, 12, 28, 7, 30)
    assert custom.add_working_days(wita(2026, 12, 26, 10), 1) == wita(2026, 12, 28, 10)


def test_with_extra_copies_and_replaces(cal: WorkCalendar) -> None:
    first = cal.with_extra(extra_holidays=ADMIN_HOLIDAY)
    second = first.with_extra(extra_workdays=ADMIN_WORKDAY)
    assert second.extra_holidays == ADMIN_HOLIDAY  # kept
    assert second.extra_workdays == ADMIN_WORKDAY
    replaced = second.with_extra(extra_holidays={})
    assert replaced.is_working_day(date(2026, 12, 31))
    assert replaced.is_working_day(date(2026, 12, 24))
    # the originals are untouched
    assert cal.extra_holidays == {} and cal.is_working_day(date(2026, 12, 31))
    assert not cal.is_working_day(date(2026, 12, 24))
    assert not first.is_working_day(date(2026, 12, 31))
    assert first == WorkCalendar(WITA, extra_holidays=ADMIN_HOLIDAY)
    assert hash(first) == hash(WorkCalendar(WITA, extra_holidays=ADMIN_HOLIDAY))
    assert first != cal


def test_extra_days_are_frozen(cal: WorkCalendar) -> None:
    source = dict(ADMIN_HOLIDAY)
    custom = cal.with_extra(extra_holidays=source)
    source[date(2026, 12, 30)] = "later edit"
    assert custom.is_working_day(date(2026, 12, 30))
    with pytest.raises(TypeError):
        custom.extra_holidays[date(2026, 12, 29)] = "x"  # type: ignore[index]


def test_admin_days_in_a_year_not_loaded_yet() -> None:
    custom = WorkCalendar(
        WITA,
        extra_holidays={date(2030, 8, 16): "Cuti bersama HUT RI"},
        extra_workdays={date(2030, 8, 17): "Upacara"},  # a Saturday and Independence Day
    )
    assert not custom.is_working_day(date(2030, 8, 16))
    assert custom.is_working_day(date(2030, 8, 17))
    assert custom.holiday_name(date(2030, 8, 17)) is None


# -- office time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (wita(2026, 12, 21, 7, 29, 59), False),
        (wita(2026, 12, 21, 7, 30), True),
        (wita(2026, 12, 21, 15, 59, 59), True),
        (wita(2026, 12, 21, 16), False),
        (wita(2026, 12, 19, 10), False),  # Saturday
        (wita(2026, 12, 24, 10), False),  # cuti bersama
        (wita(2026, 12, 25, 10), False),  # Natal
        (datetime(2026, 12, 21, 2, tzinfo=UTC), True),  # 10:00 WITA
        (datetime(2026, 12, 21, 8, tzinfo=UTC), False),  # 16:00 WITA
        (datetime(2026, 12, 20, 23, 30, tzinfo=UTC), True),  # Sunday UTC, Monday 07:30 WITA
    ],
    ids=str,
)
def test_is_office_time(cal: WorkCalendar, moment: datetime, expected: bool) -> None:
    assert cal.is_office_time(moment) is expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        pytest.param(wita(2026, 12, 21, 6), wita(2026, 12, 21, 7, 30), id="before-opening"),
        pytest.param(wita(2026, 12, 21, 7, 30), wita(2026, 12, 22, 7, 30), id="strictly-after"),
        pytest.param(wita(2026, 12, 21, 10), wita(2026, 12, 22, 7, 30), id="in-hours"),
        pytest.param(wita(2026, 12, 23, 16), wita(2026, 12, 28, 7, 30), id="before-natal"),
        pytest.param(wita(2026, 12, 24, 6), wita(2026, 12, 28, 7, 30), id="cuti-morning"),
        pytest.param(wita(2026, 12, 31, 12), wita(2027, 1, 4, 7, 30), id="new-year"),
        pytest.param(wita(2027, 1, 4, 18), wita(2027, 1, 6, 7, 30), id="isra-mikraj"),
        pytest.param(datetime(2026, 12, 20, 22, tzinfo=UTC), wita(2026, 12, 21, 7, 30), id="utc"),
    ],
)
def test_next_office_open(cal: WorkCalendar, after: datetime, expected: datetime) -> None:
    result = cal.next_office_open(after)
    assert result == expected
    assert result.tzinfo is WITA


def test_office_open_on(cal: WorkCalendar) -> None:
    assert cal.office_open_on(date(2026, 12, 28)) == wita(2026, 12, 28, 7, 30)
    assert cal.office_open_on(date(2026, 12, 28)).tzinfo is WITA


def test_custom_office_hours_and_workdays() -> None:
    custom = WorkCalendar(
        WITA, workdays=frozenset(range(6)), office_hours=OfficeHours(time(8), time(14))
    )
    assert custom.is_working_day(date(2026, 12, 26))  # Saturday now worked
    assert not custom.is_working_day(date(2026, 12, 27))
    assert custom.is_office_time(wita(2026, 12, 26, 13, 59))
    assert not custom.is_office_time(wita(2026, 12, 23, 14))
    # Wednesday 15:00 is after closing -> Saturday 08:00 (24-25 are holidays) -> Monday 08:00
    assert custom.add_working_days(wita(2026, 12, 23, 15), 1) == wita(2026, 12, 28, 8)
    assert custom.last_working_day_of_month(2027, 1) == date(2027, 1, 30)


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 18), date(2026, 12, 21)),
        (date(2026, 12, 23), date(2026, 12, 28)),
        (date(2026, 12, 24), date(2026, 12, 28)),
        (date(2026, 12, 31), date(2027, 1, 4)),
        (date(2027, 1, 4), date(2027, 1, 6)),
    ],
    ids=str,
)
def test_next_working_day(cal: WorkCalendar, day: date, expected: date) -> None:
    assert cal.next_working_day(day) == expected


@pytest.mark.parametrize(
    ("calendar", "year", "month", "expected"),
    [
        ("cal", 2026, 12, date(2026, 12, 31)),
        ("cal_admin_holiday", 2026, 12, date(2026, 12, 30)),
        ("cal", 2027, 1, date(2027, 1, 29)),  # 30-31 Jan 2027 is a weekend
        ("cal", 2026, 11, date(2026, 11, 30)),
    ],
)
def test_last_working_day_of_month(
    request: pytest.FixtureRequest, calendar: str, year: int, month: int, expected: date
) -> None:
    cal: WorkCalendar = request.getfixturevalue(calendar)
    assert cal.last_working_day_of_month(year, month) == expected


# -- lateness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "done", "late"),
    [
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 23, 9), 0, id="early"),
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 23, 10), 0, id="on-time"),
        pytest.param(wita(2026, 12, 21, 10), wita(2026, 12, 21, 15), 0, id="same-day"),
        pytest.param(wita(2026, 12, 21, 10), wita(2026, 12, 22, 9, 59), 0, id="under-a-day"),
        pytest.param(wita(2026, 12, 21, 10), wita(2026, 12, 22, 10), 1, id="one-day"),
        pytest.param(wita(2026, 12, 21, 10), wita(2026, 12, 23, 10), 2, id="two-days"),
        # across cuti bersama, Natal and the weekend: Monday is only one working day later
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 28, 9, 59), 0, id="natal-under"),
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 28, 10), 1, id="natal-one"),
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 29, 12), 2, id="natal-two"),
        # done on a holiday or a weekend: counts the working days passed by then
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 26, 8), 0, id="done-saturday"),
        pytest.param(wita(2026, 12, 30, 14), wita(2027, 1, 5, 20), 2, id="done-isra-mikraj"),
        pytest.param(wita(2026, 12, 30, 14), wita(2027, 1, 6, 13, 59), 2, id="after-isra"),
        pytest.param(wita(2026, 12, 30, 14), wita(2027, 1, 6, 14), 3, id="after-isra-3"),
        # zones mixed: 02:00 UTC is 10:00 WITA
        pytest.param(
            datetime(2026, 12, 21, 2, tzinfo=UTC), wita(2026, 12, 22, 10), 1, id="utc-due"
        ),
        pytest.param(
            wita(2026, 12, 21, 10), datetime(2026, 12, 22, 1, 59, tzinfo=UTC), 0, id="utc-done"
        ),
    ],
)
def test_working_days_between(cal: WorkCalendar, due: datetime, done: datetime, late: int) -> None:
    assert cal.working_days_between(due, done) == late


@pytest.mark.parametrize(
    ("due", "now", "late"),
    [
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 23, 15), 0, id="due-day-past-time"),
        # 24 cuti bersama, 25 Natal, 26-27 weekend: the first working day after is the 28th
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 26, 9), 0, id="holidays-after"),
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 28, 7), 1, id="next-working-day"),
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 29, 16), 2, id="two"),
        # due in the evening: read as the next opening (Monday 28th), so due that day
        pytest.param(wita(2026, 12, 23, 20), wita(2026, 12, 28, 15), 0, id="evening-due"),
        pytest.param(wita(2026, 12, 23, 20), wita(2026, 12, 29, 8), 1, id="evening-due-1"),
        pytest.param(wita(2026, 12, 23, 10), wita(2026, 12, 22, 10), 0, id="not-due-yet"),
    ],
)
def test_days_late_as_the_nudges_count(
    cal: WorkCalendar, due: datetime, now: datetime, late: int
) -> None:
    assert cal.days_late(due, now) == late


def test_working_days_between_admin_holiday(cal_admin_holiday: WorkCalendar) -> None:
    assert (
        cal_admin_holiday.working_days_between(wita(2026, 12, 30, 14), wita(2027, 1, 4, 14)) == 1
    )


@pytest.mark.parametrize(
    "start",
    [
        wita(2026, 12, 21, 10),
        wita(2026, 12, 23, 15, 45),
        wita(2026, 12, 23, 20),  # outside hours
        wita(2026, 12, 26, 11),  # Saturday
        datetime(2026, 12, 24, 16, 30, tzinfo=UTC),
    ],
    ids=str,
)
@pytest.mark.parametrize("n", range(8))
def test_working_days_between_inverts_add(cal: WorkCalendar, start: datetime, n: int) -> None:
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due) == n
    assert cal.working_days_between(start, due - timedelta(microseconds=1)) == max(n - 1, 0)


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_days(datetime(2026, 12, 21, 10), 1),
        lambda c: c.working_days_between(datetime(2026, 12, 21, 10), wita(2026, 12, 22)),
        lambda c: c.working_days_between(wita(2026, 12, 21), datetime(2026, 12, 22, 10)),
        lambda c: c.next_office_open(datetime(2026, 12, 21, 10)),
        lambda c: c.is_office_time(datetime(2026, 12, 21, 10)),
        lambda c: c.add_working_days(wita(2026, 12, 21, 10), -1),
    ],
    ids=["add", "between-a", "between-b", "next-open", "office-time", "negative-n"],
)
def test_value_errors(cal: WorkCalendar, call: Callable[[WorkCalendar], object]) -> None:
    with pytest.raises(ValueError):
        call(cal)


def test_datetime_where_date_expected(cal: WorkCalendar) -> None:
    with pytest.raises(TypeError):
        cal.is_working_day(wita(2026, 12, 21, 10))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"extra_holidays": {date(2026, 12, 24): "a"}, "extra_workdays": {date(2026, 12, 24): "b"}},
        {"workdays": frozenset()},
        {"workdays": frozenset({7})},
        {"extra_holidays": {date(2026, 12, 24): " "}},
    ],
)
def test_invalid_calendar(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(WITA, **kwargs)  # type: ignore[arg-type]


def test_invalid_office_hours() -> None:
    with pytest.raises(ValueError):
        OfficeHours(time(16), time(7, 30))
