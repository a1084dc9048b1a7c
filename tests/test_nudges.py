"""Deadline nudges and escalation: what is owed when, to whom, and exactly once.

The calendar of December 2026: Thursday 24 is cuti bersama (Cuti Bersama Hari Raya Natal),
Friday 25 is Natal, 26-27 the weekend, 1 January 2027 Tahun Baru, 5 January Isra Mikraj.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import build_workflow
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.workdays import WorkCalendar
from bot.workflow import Workflow
from bot.workflow.nudges import Owed, owed
from devtools.standin import BotApiStandin
from handlers.sender import ATTEMPTS
from storage import cycles, people
from storage.db import Database
from storage.models import Nudge, Official, OutboxMessage
from tests.harness import Harness

WITA = ZoneInfo("Asia/Makassar")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WITA)


@dataclass(frozen=True)
class Sent:
    kind: str
    to: str
    work_day: date
    at: datetime
    text: str


async def nudge_log(wf: Workflow) -> list[Sent]:
    """Every recorded nudge with its message, oldest first."""
    async with wf.db.read() as s:
        rows = await s.execute(
            select(Nudge.kind, Official.name, Nudge.work_day, Nudge.created_at, OutboxMessage.text)
            .join(Official, Official.id == Nudge.official_id)
            .join(OutboxMessage, OutboxMessage.id == Nudge.outbox_id)
            .order_by(Nudge.id)
        )
        return [Sent(k, n, d, c.astimezone(WITA), t) for k, n, d, c, t in rows.all()]


def brief(log: list[Sent]) -> list[tuple[str, str, str]]:
    return [(e.kind, e.to, e.at.strftime("%Y-%m-%d %H:%M")) for e in log]


async def sweep(h: Harness, times: int = 2) -> None:
    """The JobQueue's minute job, by hand: sweep (more than once: no doubles), then flush."""
    for _ in range(times):
        await h.workflow.nudges.sweep()
    await h.app.bot_data.sender.flush()


GRID = [(6, 0), (7, 29), (7, 30), (8, 0), (9, 0), (9, 30), (10, 0), (12, 0), (15, 59), (16, 0)]


async def sweep_until(h: Harness, end: datetime) -> None:
    """Sweep at the times of GRID on every day from the clock's now up to `end` (inclusive):
    before, at and after the opening, the usual due times, the closing, and the night."""
    start = h.clock.now()
    day = start.astimezone(WITA).date()
    while day <= end.date():
        for hh, mm in [*GRID, (21, 0)]:
            t = at(day.year, day.month, day.day, hh, mm)
            if start <= t <= end:
                h.clock.set(t)
                await sweep(h)
        day += timedelta(days=1)
    h.clock.set(end)


# --- the schedule itself ----------------------------------------------------------------------


def test_schedule_across_cuti_bersama_natal_weekend_and_new_year() -> None:
    cal = WorkCalendar(WITA)
    assigned = at(2026, 12, 23, 9)  # Wednesday; limit 1 working day
    due = cal.add_working_days(assigned, 1)
    assert due == at(2026, 12, 28, 9)  # over the cuti bersama, Natal and the weekend

    def plan(when: datetime) -> Owed | None:
        return owed(cal, assigned, due, when)

    for quiet in (
        at(2026, 12, 23, 10),
        at(2026, 12, 24, 9),  # cuti bersama
        at(2026, 12, 25, 9),  # Natal
        at(2026, 12, 26, 9),  # Saturday
        at(2026, 12, 28, 7, 29),  # before the office opens
    ):
        assert plan(quiet) is None, quiet
    assert plan(at(2026, 12, 28, 7, 30)) == Owed(date(2026, 12, 28), "due_today", 0, False)
    assert plan(at(2026, 12, 28, 8, 59)) == Owed(date(2026, 12, 28), "due_today", 0, False)
    assert plan(at(2026, 12, 28, 9)) == Owed(date(2026, 12, 28), "due_now", 0, False)
    assert plan(at(2026, 12, 28, 15, 59)) == Owed(date(2026, 12, 28), "due_now", 0, False)
    assert plan(at(2026, 12, 28, 16)) is None  # closed
    assert plan(at(2026, 12, 29, 7, 30)) == Owed(date(2026, 12, 29), "overdue", 1, False)
    assert plan(at(2026, 12, 29, 9)) == Owed(date(2026, 12, 29), "overdue", 1, True)
    assert plan(at(2026, 12, 31, 7, 30)) == Owed(date(2026, 12, 31), "overdue", 3, True)
    assert plan(at(2027, 1, 1, 9)) is None  # Tahun Baru
    assert plan(at(2027, 1, 4, 7, 30)) == Owed(date(2027, 1, 4), "overdue", 4, True)
    assert plan(at(2027, 1, 5, 9)) is None  # Isra Mikraj
    assert plan(at(2027, 1, 6, 7, 30)) == Owed(date(2027, 1, 6), "overdue", 5, True)


def test_a_deadline_on_a_day_off_is_read_as_the_next_opening() -> None:
    cal = WorkCalendar(WITA)
    assigned = at(2026, 12, 21, 10)
    due = at(2026, 12, 24, 10)  # e.g. set before the cuti bersama was known
    assert owed(cal, assigned, due, at(2026, 12, 24, 10)) is None
    assert owed(cal, assigned, due, at(2026, 12, 28, 7, 30)) == Owed(
        date(2026, 12, 28), "due_now", 0, False
    )
    assert owed(cal, assigned, due, at(2026, 12, 29, 7, 30)) == Owed(
        date(2026, 12, 29), "overdue", 1, True
    )


def test_a_task_given_on_its_due_day_gets_no_due_today_reminder() -> None:
    cal = WorkCalendar(WITA)
    # Assigned on Sunday: counted from Monday's opening, due Tuesday 07.30.
    assigned = at(2026, 12, 6, 20)
    due = cal.add_working_days(assigned, 1)
    assert due == at(2026, 12, 8, 7, 30)
    assert owed(cal, assigned, due, at(2026, 12, 8, 7, 30)) == Owed(
        date(2026, 12, 8), "due_now", 0, False
    )
    same_day = at(2026, 12, 8, 7, 40)
    assert owed(cal, same_day, at(2026, 12, 8, 15), at(2026, 12, 8, 8)) is None


# --- a cycle in chat, over Christmas and New Year -------------------------------------------


async def test_a_cycle_walked_over_christmas_and_new_year(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    h.clock.set(at(2026, 12, 23, 9))
    await p["petugas"].say("/mulai 2026")  # step 1 draft: due Monday 28 December, 09.00

    # /tugas counts late days as the nudges do: past the due time on the due day it is
    # overdue but not yet a day late; the next working morning it is one day late
    await sweep_until(h, at(2026, 12, 28, 9, 30))
    (tasks,) = await p["petugas"].say("/tugas")
    assert "lewat batas waktu hari ini" in (tasks.text or "") and "terlambat" not in tasks.text
    await sweep_until(h, at(2026, 12, 29, 9, 30))
    (tasks,) = await p["petugas"].say("/tugas")
    assert "terlambat 1 hari kerja" in (tasks.text or "")
    got = await p["petugas"].tap("📂 Buka tugas")  # the newest nudge's button: the task again
    assert any("Tugas dikirim ulang" in (m.text or "") for m in got), [m.text for m in got]
    assert any("📤 Ajukan" in m.button_texts for m in got)
    h.clock.set(at(2026, 12, 29, 10))
    await p["petugas"].tap("📤 Ajukan")  # review by the Kepala Dinas: due Wednesday 30, 10.00
    h.clock.set(at(2026, 12, 29, 10, 30))
    await sweep_until(h, at(2027, 1, 4, 8, 30))
    h.clock.set(at(2027, 1, 4, 9))
    await p["kadis"].tap("✅ Setujui")  # step 2: due Wednesday 6 January (5th: Isra Mikraj)
    await sweep_until(h, at(2027, 1, 4, 17))

    log = await nudge_log(h.workflow)
    petugas, kadis = "Lumongga Simanjuntak", "Wildrian Otta"
    assert brief(log) == [
        ("due_today", petugas, "2026-12-28 07:30"),
        ("due_now", petugas, "2026-12-28 09:00"),
        ("overdue", petugas, "2026-12-29 07:30"),
        ("escalation", kadis, "2026-12-29 09:00"),
        ("due_today", kadis, "2026-12-30 07:30"),
        ("due_now", kadis, "2026-12-30 10:00"),
        ("due_now", petugas, "2026-12-30 10:00"),
        ("overdue", kadis, "2026-12-31 07:30"),
        ("overdue", kadis, "2027-01-04 07:30"),
    ]
    assert [e.work_day for e in log] == [e.at.date() for e in log]
    due_1 = "Senin, 28 Desember 2026 pukul 09.00 WITA"
    due_review = "Rabu, 30 Desember 2026 pukul 10.00 WITA"
    texts = [e.text for e in log]
    assert "Langkah 1: Nota Dinas kepada pimpinan" in texts[0]
    assert f"Batas waktu tugas ini hari ini: {due_1}" in texts[0]
    assert f"Batas waktu tugas ini telah tiba ({due_1})" in texts[1]
    assert "Terlambat 1 hari kerja." in texts[2] and due_1 in texts[2]
    assert "Eskalasi" in texts[3] and "terlambat 1 hari kerja" in texts[3]
    assert "Dipegang: Petugas PLID (Lumongga Simanjuntak)" in texts[3]
    assert due_review in texts[4] and due_review in texts[5]
    assert "Dipegang: Kepala Dinas Kominfo (PPID Utama) (Wildrian Otta)" in texts[6]
    assert "Terlambat 1 hari kerja." in texts[7]
    assert "Terlambat 2 hari kerja." in texts[8]  # Friday 1 January was Tahun Baru

    # What the officials saw in chat: each nudge once, with a button to the task or status.
    def nudges_in(inbox: list) -> list:
        marks = ("⏰ Pengingat", "⌛", "⚠️", "🔺 Eskalasi")
        return [m for m in inbox if (m.text or "").startswith(marks)]

    seen_petugas = nudges_in(p["petugas"].inbox)
    assert [m.raw_text for m in seen_petugas] == [e.text for e in log if e.to == petugas]
    assert seen_petugas[0].button_texts == ["📂 Buka tugas"]
    assert seen_petugas[2].button_texts == []  # tapped: the button went with the tap
    assert seen_petugas[-1].button_texts == ["📊 Lihat status"]  # the review is not hers
    seen_kadis = nudges_in(p["kadis"].inbox)
    assert [m.raw_text for m in seen_kadis] == [e.text for e in log if e.to == kadis]
    assert seen_kadis[0].button_texts == ["📊 Lihat status"]  # the escalation
    assert seen_kadis[1].button_texts == ["📂 Buka tugas"]
    for key in ("asda", "dinkes", "walikota", "admin"):
        assert nudges_in(p[key].inbox) == []


# --- step 3 -----------------------------------------------------------------------------------


async def test_step_3_nudges_only_offices_without_an_answer(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()  # Monday 30 November 09.00: every OPD is asked, due 7 December
    async with h.workflow.db.read() as s:
        run = next(r for r in await cycles.open_runs(s) if r.phase == "collect")
    assert run.due_at == at(2026, 12, 7, 9)
    h.clock.set(at(2026, 12, 1, 10))
    await p["dinkes"].tap("🚫 Nihil")
    await p["dinkes"].tap("✅ Kirim usulan")

    h.clock.set(at(2026, 12, 7, 7, 0))
    await sweep_until(h, at(2026, 12, 8, 9, 30))
    h.clock.set(at(2026, 12, 8, 10))
    await p["bkpsdm"].tap("🚫 Nihil")
    await p["bkpsdm"].tap("✅ Kirim usulan")
    h.clock.set(at(2026, 12, 8, 10, 30))
    await sweep_until(h, at(2026, 12, 9, 9, 30))

    log = await nudge_log(h.workflow)
    bkpsdm, disduk = "Yosef Lake", "Agustina Nope"
    petugas, kadis = "Lumongga Simanjuntak", "Wildrian Otta"
    assert brief(log) == [
        ("due_today", bkpsdm, "2026-12-07 07:30"),
        ("due_today", disduk, "2026-12-07 07:30"),
        ("due_now", bkpsdm, "2026-12-07 09:00"),
        ("due_now", disduk, "2026-12-07 09:00"),
        ("due_now", petugas, "2026-12-07 09:00"),
        ("overdue", bkpsdm, "2026-12-08 07:30"),
        ("overdue", disduk, "2026-12-08 07:30"),
        ("escalation", kadis, "2026-12-08 09:00"),
        ("overdue", disduk, "2026-12-09 07:30"),
        ("escalation", kadis, "2026-12-09 07:30"),
    ]
    by = {(e.kind, e.to, e.work_day.day): e.text for e in log}
    assert "usulan DIK Badan Kepegawaian dan Pengembangan SDM" in by[("due_today", bkpsdm, 7)]
    assert "usulan DIK Dinas Kependudukan dan Pencatatan Sipil" in by[("overdue", disduk, 9)]
    assert "Terlambat 2 hari kerja." in by[("overdue", disduk, 9)]
    missing_both = (
        "OPD yang belum menjawab: Badan Kepegawaian dan Pengembangan SDM, "
        "Dinas Kependudukan dan Pencatatan Sipil"
    )
    assert missing_both in by[("due_now", petugas, 7)]
    assert "Pengumpulan kini dapat ditutup" in by[("due_now", petugas, 7)]
    assert missing_both in by[("escalation", kadis, 8)]
    assert (
        "OPD yang belum menjawab: Dinas Kependudukan dan Pencatatan Sipil."
        in by[("escalation", kadis, 9)]
    )
    assert not [m for m in p["dinkes"].inbox if "Batas waktu usulan DIK" in (m.text or "")]
    # The petugas's button opens the task of closing the collection (the limit has passed).
    got = await p["petugas"].tap("📂 Buka tugas")
    assert any("Tutup pengumpulan" in b for m in got for b in m.button_texts), [
        m.button_texts for m in got
    ]


# --- escalation goes to the SOP's escalate_to role ------------------------------------------


@pytest.fixture
async def engine(db_url: str, clock: ManualClock) -> AsyncIterator[Workflow]:
    """The workflow without Telegram: one official per role, no OPD."""
    settings = load_settings(_env_file=None, database_url=db_url)
    db = Database(db_url)
    wf = build_workflow(settings, db, clock)
    now = clock.now()
    async with db.transaction() as s:
        for tg, name, role in [
            (1001, "Lumongga Simanjuntak", "petugas"),
            (1002, "Wildrian Otta", "kepala_dinas"),
            (1003, "Admiral Manafe", "atasan_ppid"),
            (4001, "George Melkianus", "walikota"),
        ]:
            oid = await people.add_official(s, name=name, now=now, telegram_user_id=tg)
            await people.add_role(s, oid, role, now)
    try:
        yield wf
    finally:
        await db.dispose()


async def open_review(wf: Workflow, step_no: int, role: str) -> int:
    """An open review run of a step, as the engine would have opened it now."""
    async with wf.db.transaction() as s:
        cycle = await cycles.add_cycle(
            s,
            sop_key=wf.core.sop.key,
            year=2026,
            title=f"DIK {step_no}",
            now=wf.core.now(),
            started_by_id=1,
        )
        step = wf.core.sop.step(step_no)
        await cycles.set_cycle_step(s, cycle.id, step.key, step_no)
        run = await cycles.add_run(
            s,
            cycle_id=cycle.id,
            step_key=step.key,
            step_no=step_no,
            phase="review",
            holder_role=role,
            attempt=1,
            now=wf.core.now(),
            due_at=wf.core.due_for(wf.core.sop.step(step_no), wf.core.now()),
        )
        return run.id


async def test_escalation_goes_to_the_escalate_to_role_not_to_the_holder(
    engine: Workflow, clock: ManualClock
) -> None:
    wf = engine
    assert wf.core.sop.step(9).escalate_to == "atasan_ppid"
    assert wf.core.sop.step(8).escalate_to == "atasan_ppid"
    sign = await open_review(wf, 9, "walikota")  # due Tuesday 1 December, 09.00
    await open_review(wf, 8, "atasan_ppid")  # its holder is its own escalate_to role
    clock.set(at(2026, 12, 2, 9))
    for _ in range(3):
        await wf.nudges.sweep()
    log = await nudge_log(wf)
    assert brief(log) == [
        ("overdue", "George Melkianus", "2026-12-02 09:00"),
        ("escalation", "Admiral Manafe", "2026-12-02 09:00"),
        ("overdue", "Admiral Manafe", "2026-12-02 09:00"),
    ]
    async with wf.db.read() as s:
        first = (await s.scalars(select(Nudge).where(Nudge.step_run_id == sign))).all()
    assert {n.kind for n in first} == {"overdue", "escalation"}
    assert "Penandatanganan SK oleh Walikota" in log[1].text
    assert "Dipegang: Walikota (George Melkianus)" in log[1].text


async def test_sweeps_racing_write_each_nudge_once(engine: Workflow, clock: ManualClock) -> None:
    wf = engine
    await open_review(wf, 9, "walikota")
    clock.set(at(2026, 12, 2, 9))
    counts = await asyncio.gather(*(wf.nudges.sweep() for _ in range(6)))
    assert sum(counts) == 2
    assert len(await nudge_log(wf)) == 2
    async with wf.db.read() as s:
        messages = (await s.scalars(select(OutboxMessage))).all()
    assert len(messages) == 2


async def test_the_sweep_writes_nothing_outside_office_time(
    engine: Workflow, clock: ManualClock
) -> None:
    wf = engine
    await open_review(wf, 9, "walikota")  # due Tuesday 1 December 09.00
    for when in (
        at(2026, 12, 1, 16),
        at(2026, 12, 1, 23),
        at(2026, 12, 2, 7),
        at(2026, 12, 5, 9),  # Saturday
    ):
        clock.set(when)
        assert await wf.nudges.sweep() == 0
    assert await nudge_log(wf) == []
    clock.set(at(2026, 12, 7, 7, 30))  # Monday: only the newest owed, once
    assert await wf.nudges.sweep() == 2
    assert brief(await nudge_log(wf)) == [
        ("overdue", "George Melkianus", "2026-12-07 07:30"),
        ("escalation", "Admiral Manafe", "2026-12-07 07:30"),
    ]


# --- restarts and failed sends ----------------------------------------------------------------


def nudge_texts(standin: BotApiStandin, user_id: int) -> list[str]:
    marks = ("⏰ Pengingat", "⌛", "⚠️", "🔺 Eskalasi")
    return [m.text for m in standin.sent(user_id) if (m.text or "").startswith(marks)]


async def test_nudges_owed_while_the_bot_was_down_are_sent_once(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    async with Harness.running(settings, standin, clock) as h:
        p = await h.seed_city()
        await p["petugas"].say("/mulai 2026")  # Monday 30 November 09.00: due Tuesday 09.00
    clock.set(at(2026, 12, 4, 10))  # down from Monday to Friday
    async with Harness.running(settings, standin, clock) as h2:
        # post_init swept and flushed: one overdue (the newest), one escalation.
        assert brief(await nudge_log(h2.workflow)) == [
            ("overdue", "Lumongga Simanjuntak", "2026-12-04 10:00"),
            ("escalation", "Wildrian Otta", "2026-12-04 10:00"),
        ]
        await sweep(h2, times=3)
    async with Harness.running(settings, standin, clock) as h3:
        await sweep(h3)
        assert len(await nudge_log(h3.workflow)) == 2
    petugas = nudge_texts(standin, 1001)
    assert len(petugas) == 1 and "Terlambat 3 hari kerja." in petugas[0]
    assert len(nudge_texts(standin, 1002)) == 1
    clock.set(at(2026, 12, 7, 7, 30))  # the next working morning: the next ones
    async with Harness.running(settings, standin, clock) as h4:
        await sweep(h4)
    assert "Terlambat 4 hari kerja." in nudge_texts(standin, 1001)[-1]
    assert len(nudge_texts(standin, 1001)) == 2 and len(nudge_texts(standin, 1002)) == 2


async def test_a_failed_send_is_retried_by_the_next_flush_without_a_second_nudge(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    h.clock.set(at(2026, 12, 1, 9))  # due now: one message, to the petugas
    # Every try of this flush fails (the sender tries a 5xx again ATTEMPTS times in a flush).
    h.standin.fail_next("sendMessage", "500", count=ATTEMPTS)
    await sweep(h)
    assert nudge_texts(h.standin, 1001) == []
    async with h.workflow.db.read() as s:
        row = (await s.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))).one()
    assert row.attempts == 1 and row.last_error
    await sweep(h, times=3)  # the next minute's job: no second nudge, the first one is sent
    texts = nudge_texts(h.standin, 1001)
    assert len(texts) == 1 and texts[0].startswith("⌛")
    assert len(await nudge_log(h.workflow)) == 1
    assert p["petugas"].last.button_texts == ["📂 Buka tugas"]
