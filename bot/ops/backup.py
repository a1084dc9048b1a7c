"""`python -m bot backup`: a consistent copy of the database while the bot keeps running.

SQLite: the sqlite3 online backup API copies the database in one step, so the copy is one
consistent snapshot of what was committed (in WAL mode, a writer holding a transaction open does
not block it). The copy is written beside its final name, switched to a single-file journal mode,
checked with ``PRAGMA integrity_check`` after reopening it, made readable by the owner only, and
only then renamed into place. PostgreSQL: the backup is pg_dump's job; we print the command.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

DEFAULT_DIR = Path("data") / "backups"


class BackupError(Exception):
    """The backup could not be made or did not verify; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class BackupDone:
    path: Path
    size: int
    tables: int
    revision: str | None


def stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%d-%H%M%SZ")


def destination(
    to: Path | None, now: datetime, suffix: str, default_dir: Path = DEFAULT_DIR
) -> Path:
    """`--to` as given; a directory (existing, or written with a trailing slash) gets a
    timestamped name inside it; nothing given means ``<default_dir>/dik-<UTC time>.<suffix>``
    (the CLI passes ``<DIK_HOME>/data/backups``)."""
    name = f"dik-{stamp(now)}.{suffix}"
    if to is None:
        return default_dir / name
    if to.is_dir() or str(to).endswith(("/", os.sep)):
        return to / name
    return to


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def backup_sqlite(source: Path, dest: Path) -> BackupDone:
    """Copy `source` to `dest` (never overwritten) with the online backup API and verify it."""
    if not source.is_file():
        raise BackupError(f"no database file {source}")
    if dest.exists():
        raise BackupError(f"{dest} already exists; not overwritten")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        _copy(source, partial)
        done = verify(partial)
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupDone(dest, dest.stat().st_size, done.tables, done.revision)


def _copy(source: Path, target: Path) -> None:
    # timeout: wait up to 30 s for a lock (SQLite's busy handler) instead of failing at once.
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
            # The copy inherits WAL mode from the page it copied; make it one self-contained file.
            dst.execute("PRAGMA journal_mode=DELETE").fetchall()
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {source} failed: {exc}") from None
    finally:
        src.close()


def verify(path: Path) -> BackupDone:
    """Open the copy afresh: integrity_check must say ok; report its tables and migration."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"the copy {path} cannot be opened: {exc}") from None
    try:
        result = [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            raise BackupError(f"the copy {path} failed integrity_check: {'; '.join(result[:3])}")
        tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
            0
        ]
        revision = None
        with contextlib.suppress(sqlite3.Error):
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
            revision = ", ".join(sorted(r[0] for r in rows)) or None
    except sqlite3.Error as exc:
        raise BackupError(f"the copy {path} cannot be read: {exc}") from None
    finally:
        con.close()
    return BackupDone(path, path.stat().st_size, int(tables), revision)


def pg_dump_advice(url: str, dest: Path) -> list[str]:
    """The pg_dump (and pg_restore) command for a PostgreSQL URL; the password is never shown."""
    u = make_url(url)
    args = ["pg_dump", "--format=custom", "--no-owner"]
    if u.host:
        args.append(f"--host={u.host}")
    if u.port:
        args.append(f"--port={u.port}")
    if u.username:
        args.append(f"--username={u.username}")
    args += [f"--dbname={u.database or ''}", f"--file={dest}"]
    command = shlex.join(args)
    if not dest.parent.is_dir():
        command = f"{shlex.join(['mkdir', '-p', str(dest.parent)])} && {command}"
    restore = shlex.join(["pg_restore", "--clean", "--if-exists", "--no-owner"])
    return [
        "DATABASE_URL is PostgreSQL: back it up with pg_dump (nothing was done). Run:",
        f"  {command}",
        "pg_dump asks for the password, or reads it from ~/.pgpass or PGPASSWORD "
        "(it is not shown here).",
        f"Restore into an empty database with: {restore} --dbname=<database> {dest}",
    ]


def run(
    url: str, to: Path | None, now: datetime | None = None, default_dir: Path = DEFAULT_DIR
) -> list[str]:
    """What `python -m bot backup` prints; raises BackupError when it failed."""
    now = now or datetime.now(UTC)
    source = sqlite_path(url)
    if source is None:
        return pg_dump_advice(url, destination(to, now, "dump", default_dir))
    done = backup_sqlite(source, destination(to, now, "sqlite3", default_dir))
    return [
        f"backup written: {done.path} ({done.size} bytes, {done.tables} tables, "
        f"migration {done.revision or 'none'}, integrity_check ok)"
    ]
