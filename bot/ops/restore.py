"""`python -m bot restore FILE --yes`: put a backup made by `backup` back, on either backend.

The database as it is is backed up first (named like any backup), so a restore can itself be
undone. SQLite: the backup must pass ``PRAGMA integrity_check``; SQLite's online backup API then
copies it over the database file (the WAL and the other connections stay consistent). PostgreSQL:
the dump must be listed by ``pg_restore --list``; its SQL replaces the ``public`` schema in one
transaction (``psql --single-transaction``, stopped at the first error), so objects made by
newer migrations go too and a failed restore leaves the database as it was. Stop the bot
before a restore and start it after: it reads the database afresh.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.ops.backup import (
    BackupError,
    backup_postgres,
    backup_sqlite,
    destination,
    pg_connection,
    pg_tool,
    run_pg,
    sqlite_path,
    verify,
    verify_dump,
)

RESET_SCHEMA = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"


def restore(url: str, source: Path, backups_dir: Path, now: datetime | None = None) -> list[str]:
    """Replace the database at `url` with the backup `source`; what to print."""
    now = now or datetime.now(UTC)
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    target = sqlite_path(url)
    if target is None:
        return _restore_postgres(url, source, destination(None, now, "dump", backups_dir))
    return _restore_sqlite(target, source, destination(None, now, "sqlite3", backups_dir))


def _restore_sqlite(target: Path, source: Path, before: Path) -> list[str]:
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError(f"{source} is the database itself")
    checked = verify(source)
    lines = []
    if target.is_file():
        saved = backup_sqlite(target, before)
        lines.append(f"the database as it was: {saved.path}")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"restore into {target} failed: {exc}") from None
    finally:
        src.close()
    os.chmod(target, 0o600)
    after = verify(target)
    lines.append(
        f"restored: {target} from {source} ({after.tables} tables, migration "
        f"{after.revision or checked.revision or 'none'}, integrity_check ok)"
    )
    return lines


def _restore_postgres(url: str, source: Path, before: Path) -> list[str]:
    checked = verify_dump(source)
    saved = backup_postgres(url, before)
    script = run_pg(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(source)],
        dict(os.environ),
        "pg_restore",
    )
    args, env = pg_connection(url)
    database = make_url(url).database or ""
    run_pg(
        [
            pg_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            *args,
            f"--dbname={database}",
        ],
        env,
        "psql (restore)",
        stdin=RESET_SCHEMA + script.encode(),
    )
    return [
        f"the database as it was: {saved.path}",
        f"restored: database {database} from {source} ({checked.tables} tables, migration "
        f"{checked.revision or 'none'})",
    ]
