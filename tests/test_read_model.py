"""The read model of the hot views is keyed by stamps every writing transaction sets: a write
by another process (the CLI) moves them, so the memory is read again and never trusted stale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from storage import models as m
from storage import versions
from storage.db import Database
from tests.cli import run_cli
from tests.harness import Harness


def test_the_tables_of_each_area_are_told_apart() -> None:
    assert versions.touched_area("INSERT INTO officials (name) VALUES (?)") == "people"
    assert versions.touched_area("UPDATE role_assignments SET ends_on=? WHERE id=?") == "people"
    assert versions.touched_area('DELETE FROM "offices" WHERE id = $1') == "people"
    assert versions.touched_area("update step_runs set status=?") == "runs"
    assert versions.touched_area("INSERT OR IGNORE INTO cycles (title) VALUES (?)") == "runs"
    assert versions.touched_area("UPDATE outbox SET sent_at=?") is None
    assert versions.touched_area("SELECT * FROM officials") is None


async def _stamps(db: Database) -> dict[str, int]:
    async with db.connect_read() as conn:
        return await versions.read_stamps(conn)


async def test_a_write_stamps_its_areas_only_and_a_rollback_none(db_url: str) -> None:
    db = Database(db_url)
    try:
        before = await _stamps(db)
        assert set(before) == {"people", "runs"}
        async with db.transaction() as s:  # an ORM insert, flushed at commit
            s.add(m.Office(code="X", name="Dinas X", active=True, created_at=_now()))
        after = await _stamps(db)
        assert after["people"] != before["people"] and after["runs"] == before["runs"]
        with pytest.raises(RuntimeError):
            async with db.transaction() as s:  # a Core update, then a failure: rolled back
                await s.execute(update(m.Office).values(active=False))
                raise RuntimeError("boom")
        assert await _stamps(db) == after
        async with db.transaction() as s:  # a table no read model reads: no bump
            await s.execute(select(m.Official.id))
            await s.execute(update(m.OutboxMessage).values(attempts=0))
        assert await _stamps(db) == after
        async with db.transaction():  # nothing at all
            pass
        assert await _stamps(db) == after
        async with db.transaction() as s:  # a role ends: people again
            await s.execute(update(m.RoleAssignment).values(ends_on=None))
        assert (await _stamps(db))["people"] != after["people"]
    finally:
        await db.dispose()


async def test_a_deactivation_by_the_cli_invalidates_the_read_model(
    harness: Harness, db_url: str, tmp_path: Path
) -> None:
    h = harness
    p = await h.seed_city()
    wf = h.workflow
    assert await p["kadis"].say("/tugas")  # the bot has just read their roles
    reads = wf.core.reads
    today = wf.core.today()
    assert reads.person(1002, today) is not None  # in memory since that /tugas
    loads = dict(reads.loads)
    await reads.fresh()
    assert reads.loads == loads  # nothing changed: nothing read again

    async with wf.db.read() as s:
        kadis = await s.scalar(select(m.Official.id).where(m.Official.telegram_user_id == 1002))
    code, _out, err = await run_cli(tmp_path, db_url, "official", "deactivate", str(kadis))
    assert code == 0, err

    # The memory alone still says they are registered: trusting it would let them act.
    assert reads.person(1002, today) is not None
    # An act reads the stamps in its own transaction and so reads the person afresh.
    async with wf.db.transaction() as s:
        assert await reads.person_in(s, 1002, today) is None
        assert await reads.person_in(s, 1001, today) is not None  # the petugas still is
    # A view's refresh sees the moved stamp and reads people again.
    await reads.fresh()
    assert reads.loads["people"] == loads["people"] + 1
    assert reads.loads["runs"] == loads["runs"]
    assert reads.person(1002, today) is None


def _now() -> datetime:
    return datetime.now(UTC)
