"""`python -m bot backup`: a consistent copy of the database while the bot keeps running.

SQLite: the sqlite3 online backup API copies the database in one step, so the copy is one
consistent snapshot of what was committed (in WAL mode, a writer holding a transaction open does
not block it). The copy is written beside its final name, switched to a single-file journal mode,
checked with ``PRAGMA integrity_check`` after reopening it, made readable by the owner only, and
only then renamed into place. PostgreSQL: ``pg_dump --format=custom`` writes the copy (one
consistent snapshot, taken while the bot runs), ``pg_restore --list`` must read it back, and it
is named and protected the same way (``dik-<UTC time>.dump``). The password goes to pg_dump in
its environment (PGPASSWORD), never on a command line, and never into what is printed.

After a backup into the default folder, copies older than BACKUP_KEEP_DAYS are removed (only
files named ``dik-<UTC time>.sqlite3`` or ``.dump``, by the time in their name).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import URL, make_url

DEFAULT_DIR = Path("data") / "backups"


class BackupError(Exception):
    """The backup could not be made or did not verify; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class BackupDone:
    path: Path
    size: int
    tables: int
    revision: str | None


STAMP_FORMAT = "%Y%m%d-%H%M%SZ"
#: What a backup made here is called: dik-<UTC time>.sqlite3 or .dump.
BACKUP_NAME = re.compile(r"^dik-(\d{8}-\d{6}Z)\.(sqlite3|dump)$")
#: pg_dump and pg_restore may take a while on a big database, but not forever.
PG_TIMEOUT = 3600


def stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(STAMP_FORMAT)


def destination(
    to: Path | None, now: datetime, suffix: str, default_dir: Path = DEFAULT_DIR
) -> Path:
    """`--to` as given; a directory (existing, or written with a trailing slash) gets a
    timestamped name inside it; nothing given means ``<default_dir>/dik-<UTC time>.<suffix>``
    (the CLI passes ``<DIK_HOME>/data/backups``)."""
    if to is not None and not (to.is_dir() or str(to).endswith(("/", os.sep))):
        return to
    folder = default_dir if to is None else to
    # Two backups within one second (a restore backs up the current database first): the
    # later one takes the next free second, so names stay unique and in the pruned pattern.
    while (folder / f"dik-{stamp(now)}.{suffix}").exists():
        now += timedelta(seconds=1)
    return folder / f"dik-{stamp(now)}.{suffix}"


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


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_connection(url: str) -> tuple[list[str], dict[str, str]]:
    """libpq options for pg_dump/pg_restore/psql, and the environment carrying the password."""
    u: URL = make_url(url)
    args = []
    if u.host:
        args.append(f"--host={u.host}")
    if u.port:
        args.append(f"--port={u.port}")
    if u.username:
        args.append(f"--username={u.username}")
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    env.setdefault("PGCONNECT_TIMEOUT", "30")
    return args, env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client (e.g. apt-get install "
            f"postgresql-client, the same major version as the server)"
        )
    return found


def run_pg(command: list[str], env: dict[str, str], what: str, stdin: bytes | None = None) -> str:
    """Run a PostgreSQL client tool; its error (first lines, no password) becomes BackupError."""
    try:
        done = subprocess.run(
            command,
            env=env,
            input=stdin,
            capture_output=True,
            timeout=PG_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} did not finish within {PG_TIMEOUT} s") from None
    err = done.stderr.decode(errors="replace")
    password = env.get("PGPASSWORD")
    if password:
        err = err.replace(password, "<secret>")
    if done.returncode != 0:
        reason = " ".join(line.strip() for line in err.splitlines()[:3] if line.strip())
        raise BackupError(f"{what} failed: {reason or f'exit code {done.returncode}'}")
    return done.stdout.decode(errors="replace")


def backup_postgres(url: str, dest: Path) -> BackupDone:
    """pg_dump (custom format) to `dest` (never overwritten), checked with pg_restore --list."""
    if dest.exists():
        raise BackupError(f"{dest} already exists; not overwritten")
    database = make_url(url).database or ""
    args, env = pg_connection(url)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        run_pg(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                f"--dbname={database}",
                f"--file={partial}",
            ],
            env,
            "pg_dump",
        )
        done = verify_dump(partial)
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupDone(dest, dest.stat().st_size, done.tables, done.revision)


def verify_dump(path: Path) -> BackupDone:
    """pg_restore must list the archive; it must hold the bot's tables (alembic_version too)."""
    listing = run_pg([pg_tool("pg_restore"), "--list", str(path)], dict(os.environ), "pg_restore")
    tables = [line.split()[-2] for line in listing.splitlines() if " TABLE public " in line]
    if "alembic_version" not in tables:
        raise BackupError(
            f"the dump {path} holds no alembic_version table: not the bot's database"
        )
    data = run_pg(
        [pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        dict(os.environ),
        "pg_restore",
    )
    return BackupDone(path, path.stat().st_size, len(tables), _copied_revision(data))


def _copied_revision(script: str) -> str | None:
    """The rows of alembic_version in pg_restore's COPY block."""
    rows, inside = [], False
    for line in script.splitlines():
        if line.startswith("COPY public.alembic_version"):
            inside = True
        elif inside and line == "\\.":
            break
        elif inside and line:
            rows.append(line.split("\t")[0])
    return ", ".join(sorted(rows)) or None


# --- pruning -------------------------------------------------------------------------------------


def prune(folder: Path, keep_days: int, now: datetime) -> list[Path]:
    """Remove the backups in `folder` older than `keep_days` (0: keep all); the removed."""
    if keep_days <= 0 or not folder.is_dir():
        return []
    limit = now.astimezone(UTC) - timedelta(days=keep_days)
    removed = []
    for path in sorted(folder.iterdir()):
        m = BACKUP_NAME.match(path.name)
        if not m or not path.is_file():
            continue
        made = datetime.strptime(m.group(1), STAMP_FORMAT).replace(tzinfo=UTC)
        if made < limit:
            path.unlink()
            removed.append(path)
    return removed


def run(
    url: str,
    to: Path | None,
    now: datetime | None = None,
    default_dir: Path = DEFAULT_DIR,
    keep_days: int = 0,
) -> list[str]:
    """What `python -m bot backup` prints; raises BackupError when it failed."""
    now = now or datetime.now(UTC)
    source = sqlite_path(url)
    if source is None:
        done = backup_postgres(url, destination(to, now, "dump", default_dir))
        check = "pg_restore --list ok"
    else:
        done = backup_sqlite(source, destination(to, now, "sqlite3", default_dir))
        check = "integrity_check ok"
    lines = [
        f"backup written: {done.path} ({done.size} bytes, {done.tables} tables, "
        f"migration {done.revision or 'none'}, {check})"
    ]
    if to is None:
        for gone in prune(default_dir, keep_days, now):
            lines.append(f"removed (older than {keep_days} days): {gone}")
    return lines
