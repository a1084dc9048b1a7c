"""Apply Alembic migrations programmatically (`python -m bot migrate`, and at start).

Alembic (with Mako and Pygments, some 10 MB of the bot's memory) is imported only when there is
something to migrate: a database already at `HEAD` is told apart by reading its
``alembic_version`` table with SQLAlchemy alone.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest migration (tests/test_migrations.py checks that it is Alembic's head).
HEAD = "0011"


def current_revisions(connection: Connection) -> set[str]:
    """The migration(s) the database is at; empty when it was never migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def alembic_config(url: str, output: io.StringIO | None = None) -> Config:
    from alembic.config import Config

    cfg = Config(output_buffer=output) if output is not None else Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _upgrade(connection: Connection, url: str, revision: str) -> None:
    if revision == "head" and current_revisions(connection) == {HEAD}:
        return  # up to date: Alembic is not needed (nor imported)
    from alembic import command

    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def _downgrade(connection: Connection, url: str, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(url)
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (a SQLite file's folder must exist)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade, url, revision)
    finally:
        await engine.dispose()


async def downgrade(url: str, revision: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade, url, revision)
    finally:
        await engine.dispose()


def upgrade_sync(url: str, revision: str = "head") -> None:
    asyncio.run(upgrade(url, revision))


@dataclass(frozen=True)
class Plan:
    """What `migrate` would do: from where to where, each revision, and the SQL if Alembic
    can write it without a database (offline mode)."""

    current: tuple[str, ...]
    target: str
    direction: str  # "upgrade", "downgrade" or "none"
    steps: tuple[tuple[str, str], ...] = ()  # (revision, its first docstring line)
    sql: str = ""
    sql_error: str = ""
    notes: list[str] = field(default_factory=list)


def _sqlite_file_missing(url: str) -> bool:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return (
        u.get_backend_name() == "sqlite"
        and bool(u.database)
        and u.database != ":memory:"
        and not Path(str(u.database)).is_file()
    )


async def read_current(url: str) -> set[str]:
    """The revision(s) of the database, read without creating or changing anything."""
    if _sqlite_file_missing(url):
        return set()
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(current_revisions)
    finally:
        await engine.dispose()


async def plan(url: str, target: str = "head") -> Plan:
    """`migrate --dry-run`: the revisions between the database and `target`, oldest first for
    an upgrade (newest first for a downgrade), and Alembic's offline SQL for them."""
    from alembic import command
    from alembic.script import ScriptDirectory

    current = await read_current(url)
    script = ScriptDirectory.from_config(alembic_config(url))
    goal = script.get_current_head() if target == "head" else target
    assert goal is not None
    script.get_revision(goal)  # an unknown revision raises here
    here = sorted(current)[0] if current else None
    if here == goal:
        return Plan(tuple(sorted(current)), goal, "none")
    ahead = here is not None and goal in {
        r.revision for r in script.iterate_revisions(here, "base")
    }
    if ahead:
        revs = list(script.iterate_revisions(here, goal))
        revs = [r for r in revs if r.revision != goal]
        direction = "downgrade"
    else:
        revs = list(reversed(list(script.iterate_revisions(goal, here or "base"))))
        direction = "upgrade"
    steps = tuple((r.revision, (r.doc or "").strip().splitlines()[0]) for r in revs)
    out = io.StringIO()
    cfg = alembic_config(url, out)
    sql, error = "", ""
    try:
        if direction == "upgrade":
            command.upgrade(cfg, f"{here}:{goal}" if here else goal, sql=True)
        else:
            command.downgrade(cfg, f"{here}:{goal}", sql=True)
        sql = out.getvalue()
    except Exception as exc:  # e.g. SQLite's batch operations need the live table
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    notes = []
    if error and not _sqlite_file_missing(url) and url.startswith("sqlite"):
        notes = await trial_on_copy(url, goal, direction)
    return Plan(tuple(sorted(current)), goal, direction, steps, sql, error, notes)


def _schema(path: Path) -> dict[str, tuple[list[str], int]]:
    """Each table of a SQLite file: its columns and its number of rows."""
    import sqlite3

    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            n: (
                [c[1] for c in con.execute(f'PRAGMA table_info("{n}")')],
                con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0],
            )
            for n in sorted(names)
        }
    finally:
        con.close()


async def trial_on_copy(url: str, goal: str, direction: str) -> list[str]:
    """SQLite: Alembic cannot write batch migrations offline, so run them on a copy of the
    database and say what changed (tables, columns, rows); the database itself is untouched."""
    import shutil
    import sqlite3
    import tempfile

    from sqlalchemy.engine import make_url

    source = Path(str(make_url(url).database))
    with tempfile.TemporaryDirectory(prefix="dik-migrate-trial-") as tmp:
        copy = Path(tmp) / source.name
        src, dst = sqlite3.connect(source, timeout=30), sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        before = _schema(copy)
        trial = f"sqlite+aiosqlite:///{copy}"
        try:
            await (upgrade if direction == "upgrade" else downgrade)(trial, goal)
        except Exception as exc:
            return [f"trial on a copy FAILED: {type(exc).__name__}: {exc}".splitlines()[0]]
        after = _schema(copy)
        shutil.rmtree(tmp, ignore_errors=True)
    lines = ["trial on a copy of the database: ok"]
    for table in sorted(set(after) - set(before)):
        lines.append(f"  new table {table} ({', '.join(after[table][0])})")
    for table in sorted(set(before) - set(after)):
        lines.append(f"  table removed: {table} ({before[table][1]} rows)")
    for table in sorted(set(before) & set(after)):
        (old_cols, old_rows), (new_cols, new_rows) = before[table], after[table]
        added = [c for c in new_cols if c not in old_cols]
        dropped = [c for c in old_cols if c not in new_cols]
        if added:
            lines.append(f"  {table}: new column(s) {', '.join(added)}")
        if dropped:
            lines.append(f"  {table}: column(s) removed {', '.join(dropped)}")
        if old_rows != new_rows and table != "alembic_version":
            lines.append(f"  {table}: {old_rows} rows before, {new_rows} after")
    kept = sum(rows for t, (_c, rows) in before.items() if t in after and t != "alembic_version")
    if all(before[t][1] == after[t][1] for t in set(before) & set(after)):
        lines.append(f"  every table that stays keeps its rows ({kept} rows)")
    return lines


async def migrate_to(url: str, target: str) -> Plan:
    """`migrate --to REVISION`: up or down to it (an earlier one undoes the newer migrations)."""
    p = await plan(url, target)
    if p.direction == "upgrade":
        await upgrade(url, p.target)
    elif p.direction == "downgrade":
        await downgrade(url, p.target)
    return p
