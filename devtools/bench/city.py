"""A city to measure against: fresh databases, OPDs, officials, and the workflow or the app.

Setting up is not measured; it goes through the same storage functions the bot uses (or
bulk inserts where thousands of rows are needed), never through the acts being timed.
"""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import build_application, build_workflow
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.sop import StepKind
from bot.workflow import Workflow
from devtools.standin import BotApiStandin
from handlers.context import BotApp
from storage import migrate, people
from storage.db import Database
from storage.models import Cycle, StepRun

TOKEN = "100001:BENCH-token"
BOT_USERNAME = "dik_bench_bot"
START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
"""Monday 30 November 2026, 09.00 WITA: a working day, in office hours."""

KADIS_ID = 1002
PETUGAS_ID = 1001
ADMIN_ID = 9001
FIRST_PPID_ID = 20_001


async def reachable(url: str) -> str | None:
    """None if the database answers, else the reason in one line."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any driver error means: not usable for the bench
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        await engine.dispose()


async def fresh_database(url: str) -> str:
    """Empty the database at ``url`` and migrate it to the newest revision."""
    if url.startswith("postgresql"):
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    else:
        _remove_sqlite(Path(url.split(":///", 1)[1]))
    await migrate.upgrade(url)
    return url


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_url(directory: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{directory / name}.sqlite3"


def settings_for(url: str, workdir: Path, api_base_url: str = "") -> Settings:
    return load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_bot_username=BOT_USERNAME,
        telegram_api_base_url=api_base_url,
        database_url=url,
        publish_dir=workdir / "publik",
        public_base_url="https://ppid.kupangkota.go.id/dik",
        log_level="ERROR",
    )


def workflow_for(settings: Settings, clock: ManualClock | None = None) -> Workflow:
    """The workflow alone (no Telegram), on its own engine: dispose ``wf.db`` when done."""
    return build_workflow(settings, Database(settings.database_url), clock or ManualClock(START))


@dataclass
class Cast:
    """Who was seeded: Telegram user ids by role, and the OPD ids."""

    petugas: int = PETUGAS_ID
    kadis: int = KADIS_ID
    admin: int = ADMIN_ID
    ppid: list[int] = field(default_factory=list)
    others: list[int] = field(default_factory=list)
    office_ids: list[int] = field(default_factory=list)

    @property
    def everyone(self) -> list[int]:
        return [self.petugas, self.kadis, self.admin, *self.ppid, *self.others]


async def seed_city(wf: Workflow, *, offices: int, officials: int = 0) -> Cast:
    """``offices`` OPDs with one PPID Pembantu each, the petugas, the Kepala Dinas, the admin,
    the Asda, the Walikota, the DPRD, two Tim UK members; then second PPID Pembantu for the
    OPDs in turn until there are ``officials`` people (if more than that)."""
    cast = Cast()
    now = wf.core.now()
    nip = "19800101 200501 1 001"
    async with wf.db.transaction() as s:

        async def official(uid: int, name: str, role: str, **kw: object) -> None:
            office_id = kw.pop("office_id", None)
            oid = await people.add_official(
                s,
                name=name,
                now=now,
                telegram_user_id=uid,
                office_id=office_id,  # type: ignore[arg-type]
                nip=nip,
                pangkat="Pembina (IV/a)",
                jabatan=str(kw.pop("jabatan", "")),
            )
            await people.add_role(s, oid, role, now, office_id=office_id, **kw)  # type: ignore[arg-type]

        await official(PETUGAS_ID, "Lumongga Simanjuntak", "petugas", jabatan="Analis Kebijakan")
        await official(
            KADIS_ID,
            "Wildrian Otta",
            "kepala_dinas",
            jabatan="Kepala Dinas Komunikasi dan Informatika Kota Kupang",
        )
        await official(ADMIN_ID, "Admin PPID", "admin")
        fixed = [
            (1003, "Admiral Manafe", "atasan_ppid", {}),
            (3001, "Adrianus Ndun", "tim_uk", {"is_lead": True}),
            (3002, "Febri Tallo", "tim_uk", {}),
            (4001, "George Melkianus", "walikota", {}),
            (5001, "Sekretariat DPRD", "dprd", {}),
        ]
        for uid, name, role, kw in fixed:
            await official(uid, name, role, **kw)
            cast.others.append(uid)
        for i in range(offices):
            office = await people.add_office(
                s, f"OPD{i + 1:03d}", f"Dinas Contoh {i + 1:03d}", now
            )
            cast.office_ids.append(office.id)
        uid = FIRST_PPID_ID
        while len(cast.ppid) < max(offices, officials - 3 - len(fixed)):
            office_id = cast.office_ids[len(cast.ppid) % offices]
            await official(uid, f"PPID Pembantu {uid}", "ppid_pembantu", office_id=office_id)
            cast.ppid.append(uid)
            uid += 1
    return cast


async def city_app(
    url: str, workdir: Path, standin: BotApiStandin, *, offices: int, officials: int = 0
) -> tuple[BotApp, Cast]:
    """A fresh database with a seeded city, and the real Application pointed at ``standin``
    (not started: use ``running(app, standin)``). Every official has opened the chat."""
    settings = settings_for(await fresh_database(url), workdir, standin.base_url)
    app = build_application(settings, clock=ManualClock(START), migrate_on_start=False)
    wf = app.bot_data.workflow
    assert wf is not None
    cast = await seed_city(wf, offices=offices, officials=officials)
    for uid in cast.everyone:
        standin.add_user(uid, f"Pejabat {uid}").started = True
    return app, cast


async def open_collect_run(wf: Workflow) -> int:
    """A cycle standing at step 3 (every OPD asked for its proposal), written directly; the
    step-2 approval that leads there is measured on its own. Returns the run's id."""
    now = wf.core.now()
    collect = wf.core.sop.of_kind(StepKind.COLLECT)[0]
    async with wf.db.transaction() as s:
        cycle = Cycle(
            sop_key=wf.core.sop.key,
            year=2026,
            title="DIK 2026",
            status="open",
            current_step=collect.id,
            current_step_key=collect.key,
            started_at=now,
        )
        s.add(cycle)
        await s.flush()
        run = StepRun(
            cycle_id=cycle.id,
            step_key=collect.key,
            step_no=collect.id,
            phase="collect",
            attempt=1,
            holder_role=collect.actor,
            status="open",
            assigned_at=now,
            due_at=wf.core.due_for(collect, now),
            version=1,
        )
        s.add(run)
        await s.flush()
        return run.id
