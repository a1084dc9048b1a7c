"""The admin's holidays: /libur in chat, `python -m bot holiday` on the command line, and the
deadlines that move with them."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.config import Settings
from bot.workdays import WorkCalendar
from devtools.standin import BotApiStandin
from storage import audit, cycles, extra_days
from storage.dto import StepRunDTO
from tests.harness import Harness

ROOT = Path(__file__).resolve().parents[1]
WITA = ZoneInfo("Asia/Makassar")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WITA)


async def open_run(h: Harness) -> StepRunDTO:
    async with h.workflow.db.read() as s:
        (run,) = await cycles.open_runs(s)
    return run


async def stored_days(h: Harness) -> list[tuple[date, str, str]]:
    async with h.workflow.db.read() as s:
        return [(d.day, d.kind, d.description) for d in await extra_days.list_days(s)]


async def test_libur_lists_the_coming_holidays(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["petugas"].say("/libur")
    text = got[-1].text
    assert "Kamis, 24 Desember 2026: Cuti Bersama Hari Raya Natal" in text
    assert "Jumat, 25 Desember 2026: Hari Raya Natal" in text
    assert "Jumat, 1 Januari 2027: Tahun Baru Masehi" in text
    assert "Sabtu" not in text  # weekends are not listed
    assert "/libur tambah" not in text  # only the admin is shown how to change it
    got = await p["admin"].say("/libur")
    assert "/libur tambah 2026-12-24 Cuti bersama" in got[-1].text


async def test_only_the_admin_changes_the_calendar(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["petugas"].say("/libur tambah 2026-12-07 Cuti bersama daerah")
    assert "hanya untuk Admin" in got[-1].text
    assert await stored_days(h) == []
    assert h.workflow.core.calendar.is_working_day(date(2026, 12, 7))


async def test_an_admin_holiday_moves_an_open_deadline_and_back(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()  # step 3 opened Monday 30 November 09.00, due Monday 7 December
    old_due = "Senin, 7 Desember 2026 pukul 09.00 WITA"
    new_due = "Selasa, 8 Desember 2026 pukul 09.00 WITA"
    assert (await open_run(h)).due_at == at(2026, 12, 7)

    h.clock.set(at(2026, 12, 1, 10))
    got = await p["admin"].say("/libur tambah 2026-12-07 Cuti bersama daerah")
    reply = got[-1].text
    assert "Senin, 7 Desember 2026 ditetapkan sebagai hari libur: Cuti bersama daerah." in reply
    assert f"DIK 2026 langkah 3: {old_due} → {new_due}" in reply
    assert (await open_run(h)).due_at == at(2026, 12, 8)
    assert not h.workflow.core.calendar.is_working_day(date(2026, 12, 7))
    for key in ("dinkes", "bkpsdm", "disduk"):  # the holders are told
        assert f"menjadi {new_due}" in p[key].last.text, p[key].last.text
    status = await p["petugas"].say("status")
    assert f"Batas waktu: {new_due}" in status[-1].text

    got = await p["admin"].say("/libur hapus 2026-12-07")
    assert "dihapus" in got[-1].text and f"{new_due} → {old_due}" in got[-1].text
    assert (await open_run(h)).due_at == at(2026, 12, 7)
    assert h.workflow.core.calendar.is_working_day(date(2026, 12, 7))
    await p["admin"].say("/libur tambah 7-12-2026 Cuti bersama daerah")
    assert await stored_days(h) == [(date(2026, 12, 7), "holiday", "Cuti bersama daerah")]

    # Mistakes are refused with a reason, and change nothing.
    for command, expected in [
        ("/libur tambah 2026-12-07 Lagi", "sudah ditetapkan admin sebagai hari libur"),
        ("/libur tambah 2026-12-25 Natal", "memang bukan hari kerja (Hari Raya Natal)"),
        ("/libur tambah 2026-12-12 Sabtu", "memang bukan hari kerja (Sabtu)"),
        ("/libur tambah 2026-11-30 Kemarin", "sudah lewat"),
        ("/libur tambah 2026-02-31 Tidak ada", "tidak dikenali"),
        ("/libur tambah 2026-12-10", "Sebutkan keterangannya"),
        ("/libur kerja 2026-12-09 Masuk", "sudah hari kerja"),
        ("/libur hapus 2026-12-09", "Tidak ada penetapan admin"),
        ("/libur pindah 2026-12-09", "Cara pakai"),
    ]:
        got = await p["admin"].say(command)
        assert expected in got[-1].text, (command, got[-1].text)
    assert await stored_days(h) == [(date(2026, 12, 7), "holiday", "Cuti bersama daerah")]
    assert (await open_run(h)).due_at == at(2026, 12, 8)

    # The nudges follow the moved deadline: nothing on the new holiday, due on Tuesday.
    h.clock.set(at(2026, 12, 7, 9))
    assert await h.workflow.nudges.sweep() == 0
    h.clock.set(at(2026, 12, 8, 7, 30))
    assert await h.workflow.nudges.sweep() >= 3
    await h.app.bot_data.sender.flush()
    reminded = [m.text for m in p["dinkes"].inbox if "hari ini" in (m.text or "")]
    assert reminded == [
        "⏰ Pengingat — DIK 2026 · Langkah 3: Usulan DIK dari setiap PPID Pembantu\n"
        f"Batas waktu usulan DIK Dinas Kesehatan hari ini: {new_due}. "
        "Mohon diselesaikan tepat waktu. Terima kasih."
    ]

    async with h.workflow.db.read() as s:
        log = await audit.entries(s)
    changes = [(a, o) for a, o, _d in log if a.startswith("holiday_")]
    assert changes.count(("holiday_add", "ok")) == 2
    assert changes.count(("holiday_remove", "ok")) == 1
    assert ("holiday_add", "refused") in changes


async def test_a_listed_holiday_declared_a_working_day(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    async with Harness.running(settings, standin, clock) as h:
        p = await h.seed_city()
        got = await p["admin"].say("/libur kerja 2026-12-24 Tetap masuk, pelayanan akhir tahun")
        assert "Kamis, 24 Desember 2026 ditetapkan sebagai hari kerja" in got[-1].text
        got = await p["petugas"].say("/libur")
        assert (
            "Kamis, 24 Desember 2026: tetap masuk kerja — Tetap masuk, pelayanan akhir tahun"
            in got[-1].text
        )
        h.clock.set(at(2026, 12, 23, 9))
        await p["petugas"].say("/mulai 2026")
        assert (await open_run(h)).due_at == at(2026, 12, 24)  # not Monday 28
    async with Harness.running(settings, standin, clock) as h2:  # loaded again at start
        assert h2.workflow.core.calendar.is_working_day(date(2026, 12, 24))
        assert not h2.workflow.core.calendar.is_working_day(date(2026, 12, 25))


# --- the command line -------------------------------------------------------------------------


async def run_cli(cwd: Path, database_url: str, *args: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` in a clean environment, without blocking the loop."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DIK_HOME": str(cwd),
        "DATABASE_URL": database_url,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def a_future_working_day() -> date:
    """A Tuesday to Friday, a month or more ahead of the real date (the CLI's clock), whose
    previous day is a working day too."""
    cal = WorkCalendar(WITA)
    d = date.today() + timedelta(days=30)
    while not (
        d.weekday() in (1, 2, 3, 4)
        and cal.is_working_day(d)
        and cal.is_working_day(d - timedelta(days=1))
    ):
        d += timedelta(days=1)
    return d


async def test_the_cli_adds_lists_and_removes_holidays(
    harness: Harness, db_url: str, tmp_path: Path
) -> None:
    h = harness
    p = await h.seed_city()
    day = a_future_working_day()
    before = day - timedelta(days=1)
    h.clock.set(datetime(before.year, before.month, before.day, 9, tzinfo=WITA))
    await p["petugas"].say(f"/mulai {before.year}")
    due = datetime(day.year, day.month, day.day, 9, tzinfo=WITA)
    assert (await open_run(h)).due_at == due

    code, out, err = await run_cli(
        tmp_path, db_url, "holiday", "add", day.isoformat(), "Cuti", "bersama", "daerah"
    )
    assert code == 0, err
    assert f"holiday added: {day.isoformat()} Cuti bersama daerah" in out
    assert "deadline moved: DIK" in out and "step 1" in out
    moved = (await open_run(h)).due_at
    assert moved > due and moved.astimezone(WITA).time() == due.time()
    assert h.workflow.core.calendar.is_working_day(day)  # the running bot has not looked yet
    await h.workflow.nudges.sweep()  # every sweep reloads the admin's days
    assert not h.workflow.core.calendar.is_working_day(day)
    h.clock.set(datetime(day.year, day.month, day.day, 10, tzinfo=WITA))
    assert await h.workflow.nudges.sweep() == 0  # the new holiday: nothing is sent
    await h.app.bot_data.sender.flush()
    assert "Batas waktu bergeser" in p["petugas"].last.text

    code, out, err = await run_cli(tmp_path, db_url, "holiday", "list")
    assert code == 0, err
    assert f"{day.isoformat()}  holiday  Cuti bersama daerah" in out
    assert f"{day.isoformat()}  admin_holiday Cuti bersama daerah" in out

    code, out, err = await run_cli(tmp_path, db_url, "holiday", "add", day.isoformat(), "Lagi")
    assert code == 1 and "sudah ditetapkan admin" in err
    code, out, err = await run_cli(tmp_path, db_url, "holiday", "add", "2020-01-02", "Lama")
    assert code == 1 and "sudah lewat" in err

    code, out, err = await run_cli(tmp_path, db_url, "holiday", "remove", day.isoformat())
    assert code == 0, err
    assert f"admin's day removed: {day.isoformat()} Cuti bersama daerah" in out
    assert (await open_run(h)).due_at == due
    async with h.workflow.db.read() as s:
        log = await audit.entries(s)
    cli = [(a, o) for a, o, d in log if a.startswith("holiday") and d.endswith("(cli)")]
    assert cli == [("holiday_add", "ok"), ("holiday_remove", "ok")]
