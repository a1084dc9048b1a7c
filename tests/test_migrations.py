"""Alembic migrations: every revision goes up, down and up again, and head matches the models.

Runs on SQLite by default and on PostgreSQL when DIK_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import itertools
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage import migrate
from storage.models import Base


def revisions(url: str) -> list[Script]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config(url))
    return list(reversed(list(script.walk_revisions("base", "heads"))))


async def inspect_db(url: str, fn: Any) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(fn)
    finally:
        await engine.dispose()


def _tables(conn: Connection) -> set[str]:
    """Our tables (Alembic's own version table apart)."""
    return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _diff(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(
        conn,
        opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"},
    )
    return compare_metadata(context, Base.metadata)


def test_the_revisions_form_one_line() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite+aiosqlite://"))
    revs = revisions("sqlite+aiosqlite://")
    assert revs, "no migrations found"
    assert script.get_heads() == [migrate.HEAD]  # the start-up shortcut knows the newest
    assert revs[0].down_revision is None
    for older, newer in itertools.pairwise(revs):
        assert newer.down_revision == older.revision


async def test_upgrade_at_start_leaves_an_up_to_date_database_alone(empty_db_url: str) -> None:
    """At start the bot upgrades; a database at HEAD is recognised without Alembic, one behind
    it is still upgraded."""
    await migrate.upgrade(empty_db_url, "0002")
    engine = create_async_engine(empty_db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(migrate.current_revisions) == {"0002"}
        await migrate.upgrade(empty_db_url)
        async with engine.connect() as conn:
            assert await conn.run_sync(migrate.current_revisions) == {migrate.HEAD}
            assert await conn.run_sync(_current) == migrate.HEAD
        await migrate.upgrade(empty_db_url)  # nothing to do
        async with engine.connect() as conn:
            assert await conn.run_sync(migrate.current_revisions) == {migrate.HEAD}
    finally:
        await engine.dispose()


async def test_stairway(empty_db_url: str) -> None:
    """For every revision in order: upgrade to it, downgrade one step, upgrade again."""
    url = empty_db_url
    revs = revisions(url)
    tables_after: dict[str, set[str]] = {}
    for rev in revs:
        assert rev.down_revision is None or isinstance(rev.down_revision, str), "a merge"
        below = rev.down_revision or "base"
        before = await inspect_db(url, _tables)

        await migrate.upgrade(url, rev.revision)
        assert await inspect_db(url, _current) == rev.revision
        tables_after[rev.revision] = await inspect_db(url, _tables)

        await migrate.downgrade(url, below)
        assert await inspect_db(url, _current) == rev.down_revision
        assert await inspect_db(url, _tables) == before, f"downgrade of {rev.revision}"

        await migrate.upgrade(url, rev.revision)
        assert await inspect_db(url, _current) == rev.revision
        assert await inspect_db(url, _tables) == tables_after[rev.revision]

    # All the way down leaves no table of ours behind.
    await migrate.downgrade(url, "base")
    assert await inspect_db(url, _tables) == set()


async def test_head_matches_the_models(empty_db_url: str) -> None:
    await migrate.upgrade(empty_db_url, "head")
    assert await inspect_db(empty_db_url, _diff) == []
    assert await inspect_db(empty_db_url, _tables) == set(Base.metadata.tables)
