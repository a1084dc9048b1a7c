"""Letter numbers: one counter per (pattern, year); no duplicate and no gap, even when several
transactions take a number at the same moment, and a rolled-back transaction gives its number
back. On PostgreSQL the transactions really overlap (all of them are open when the numbers are
taken); on SQLite the write lock serialises them, and the same assertions hold.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bot.app import build_workflow
from bot.clock import ManualClock
from bot.config import load_settings
from bot.workflow import Workflow
from bot.workflow.paperwork import Paperwork
from storage import cycles, documents, people
from storage.db import Database
from storage.models import Document, LetterCounter

PATTERN = "000.9/{seq:03d}/Kominfo/{roman_month}/{year}"


class Boom(Exception):
    pass


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def sessions(db: Database) -> AsyncIterator[Callable[[], AsyncSession]]:
    """Sessions for concurrent transactions: on PostgreSQL a pool big enough for all of them
    to be open at once; on SQLite the application's own engine (BEGIN IMMEDIATE)."""
    if db.is_sqlite:
        yield db._sessions
        return
    engine = create_async_engine(db.url, pool_size=25, max_overflow=0)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()


async def take_together(
    db: Database, sessions: Callable[[], AsyncSession], n: int, pattern: str = PATTERN
) -> list[int]:
    """n transactions take a number at the same moment, then commit."""
    ready = asyncio.Barrier(n)

    async def one() -> int:
        async with sessions() as s, s.begin():
            if not db.is_sqlite:
                await s.execute(text("SELECT 1"))  # the transaction is open before the barrier
            await ready.wait()
            return await documents.next_letter_seq(s, pattern, 2026)

    return await asyncio.gather(*(one() for _ in range(n)))


async def counter(db: Database, pattern: str = PATTERN, year: int = 2026) -> int | None:
    async with db.read() as s:
        return await s.scalar(
            select(LetterCounter.last_seq).where(
                LetterCounter.pattern == pattern, LetterCounter.year == year
            )
        )


@pytest.mark.parametrize("n", [2, 20])
async def test_simultaneous_numbers_are_unique_and_gap_free(
    db: Database, sessions: Callable[[], AsyncSession], n: int
) -> None:
    got = await take_together(db, sessions, n)
    assert sorted(got) == list(range(1, n + 1))
    assert await counter(db) == n
    again = await take_together(db, sessions, n)
    assert sorted(again) == list(range(n + 1, 2 * n + 1))


async def test_rolled_back_transaction_gives_its_number_back(
    db: Database, sessions: Callable[[], AsyncSession]
) -> None:
    for _ in range(3):
        async with db.transaction() as s:
            await documents.next_letter_seq(s, PATTERN, 2026)
    taken = asyncio.Event()
    seen: dict[str, int] = {}

    async def doomed() -> None:
        async with sessions() as s, s.begin():
            seen["doomed"] = await documents.next_letter_seq(s, PATTERN, 2026)
            taken.set()
            await asyncio.sleep(0.3)  # the other transaction is waiting for this one now
            raise Boom

    async def survivor() -> None:
        await taken.wait()
        async with sessions() as s, s.begin():
            seen["survivor"] = await documents.next_letter_seq(s, PATTERN, 2026)

    results = await asyncio.gather(doomed(), survivor(), return_exceptions=True)
    assert isinstance(results[0], Boom) and results[1] is None
    assert seen == {"doomed": 4, "survivor": 4}
    assert await counter(db) == 4


async def test_counter_per_pattern_and_local_year(db: Database, db_url: str) -> None:
    paperwork = Paperwork(load_settings(_env_file=None, database_url=db_url))
    other = "800/{seq}/DISKOMINFO/{year}"
    async with db.transaction() as s:
        first = await paperwork.next_number(s, datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
        second = await paperwork.next_number(s, datetime(2026, 12, 31, 15, 30, tzinfo=UTC))
        # 1 January 2027, 00.30 WITA: already the next year in Kupang.
        new_year = await paperwork.next_number(s, datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
        own = await documents.next_letter_seq(s, other, 2026)
    assert first == "000.9/001/Kominfo/XI/2026"
    assert second == "000.9/002/Kominfo/XII/2026"
    assert new_year == "000.9/001/Kominfo/I/2027"
    assert own == 1
    assert await counter(db, other) == 1


# --- through the workflow: two letters signed at the same moment -------------------------------
PETUGAS, KADIS = 1001, 1002


@pytest.fixture
async def wf(db: Database, db_url: str) -> AsyncIterator[Workflow]:
    clock = ManualClock(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    workflow = build_workflow(load_settings(_env_file=None, database_url=db_url), db, clock)
    now = clock.now()
    async with db.transaction() as s:
        await people.add_office(s, "DINKES", "Dinas Kesehatan", now)
        for tg, name, role in ((PETUGAS, "Petugas", "petugas"), (KADIS, "Kadis", "kepala_dinas")):
            oid = await people.add_official(s, name=name, now=now, telegram_user_id=tg)
            await people.add_role(s, oid, role, now)
    yield workflow


async def test_two_letters_signed_at_once_get_two_numbers(wf: Workflow) -> None:
    cycle_ids = [
        (await wf.acts.start_cycle(PETUGAS, 2026, f"DIK {t}")).data["cycle_id"] for t in "AB"
    ]
    for cid in cycle_ids:
        async with wf.db.read() as s:
            run = (await cycles.open_runs(s, cid))[0]
        assert (await wf.acts.act(PETUGAS, run.id, "submit", run.version)).ok
    reviews = []
    for cid in cycle_ids:
        async with wf.db.read() as s:
            reviews.append((await cycles.open_runs(s, cid))[0])
    outcomes = await asyncio.gather(
        *(wf.acts.act(KADIS, run.id, "approve", run.version) for run in reviews)
    )
    assert all(o.ok for o in outcomes), [o.text for o in outcomes]
    async with wf.db.read() as s:
        numbers = list(
            await s.scalars(
                select(Document.letter_number).where(Document.letter_number.is_not(None))
            )
        )
    assert sorted(numbers) == ["000.9/001/Kominfo/XI/2026", "000.9/002/Kominfo/XI/2026"]
