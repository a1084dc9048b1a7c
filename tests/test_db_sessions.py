"""Reads do not queue behind a writer (SQLite: a read begins a deferred transaction in WAL
mode); writes still take SQLite's write lock at their start; a read-only view that changed
data would be a bug, and says so."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, func, select

from storage import models as m
from storage import people
from storage.db import Database
from tests.conftest import START
from tests.harness import Harness

#: Longer than nothing, far shorter than SQLite's busy_timeout (10 s): a read that waited
#: for the writer's lock would still be waiting.
NOT_BLOCKED = 5.0


async def test_a_read_goes_on_while_a_write_is_open(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.transaction() as w:
            await people.add_office(w, "DINKES", "Dinas Kesehatan", START)
            await w.flush()

            async def count() -> int:
                async with db.read() as r:
                    return int(await r.scalar(select(func.count()).select_from(m.Office)) or 0)

            # the writer has not committed: the read sees the committed state
            assert await asyncio.wait_for(count(), NOT_BLOCKED) == 0
        async with db.read() as r:
            assert await r.scalar(select(func.count()).select_from(m.Office)) == 1
    finally:
        await db.dispose()


async def test_sqlite_writes_still_lock_at_their_start(db_url: str) -> None:
    db = Database(db_url)
    if not db.is_sqlite:
        await db.dispose()
        pytest.skip("SQLite's BEGIN statements")
    begins: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        for _ in range(2):  # the pooled connection does not keep the read's option
            async with db.read() as r:
                await r.scalar(select(func.count()).select_from(m.Office))
            async with db.transaction() as w:
                await people.add_office(w, f"OPD{len(begins)}", "Dinas", START)
        assert begins == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN", "BEGIN IMMEDIATE"]
    finally:
        await db.dispose()


async def test_a_view_does_not_read_the_outbox_and_an_act_does(harness: Harness) -> None:
    """The outbox is delivered in the background after a handler that committed something;
    /tugas and /status commit nothing, so they cost no outbox query (the sweeper's flush still
    sends what another process queued)."""
    p = await harness.seed_city()
    await p["petugas"].say("/mulai 2026")
    await harness.chat.settle()
    reads: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "FROM outbox" in statement and "outbox.sent_at IS NULL" in statement:
            reads.append(statement)  # what is owed: the sender's query, or /status's count

    event.listen(harness.workflow.db.engine.sync_engine, "before_cursor_execute", seen)
    await p["petugas"].say("/tugas")
    await p["kadis"].say("/status")
    await harness.chat.settle()
    # /status counts what is pending (one count); nothing reads the messages themselves
    assert [s for s in reads if "count(" not in s] == []
    got = await p["petugas"].tap("📤 Ajukan")  # an act: the Kepala Dinas is told (outbox)
    await harness.chat.settle()
    assert [s for s in reads if "count(" not in s], got
    assert "Setujui" in str(p["kadis"].inbox)
