"""Backups that are real on both backends, and restores that are tested: back up, change,
restore, compare. PostgreSQL: `backup` runs pg_dump (custom format) itself and checks the file
with pg_restore; `restore` replaces the schema in one transaction. Old copies are pruned."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot import exitcodes
from bot.ops import backup
from storage import ops
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


async def sql(url: str, *statements: str) -> list[tuple[object, ...]]:
    """Run the statements in one transaction; the rows of the last."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            rows: list[tuple[object, ...]] = []
            for statement in statements:
                result = await conn.execute(text(statement))
                rows = [tuple(r) for r in result.all()] if result.returns_rows else []
            return rows
    finally:
        await engine.dispose()


OFFICES = "SELECT code, name, active FROM offices ORDER BY code"


async def test_back_up_change_restore_compare(db_url: str, tmp_path: Path) -> None:
    """On the backend of this run (SQLite, or PostgreSQL with DIK_TEST_DATABASE_URL)."""
    pg = is_postgres(db_url)
    if pg and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    await sql(
        db_url,
        "INSERT INTO offices (code, name, active, created_at) "
        "VALUES ('DINKES', 'Dinas Kesehatan', true, '2026-11-30 01:00:00')",
    )
    original = await sql(db_url, OFFICES)
    code, out, err = await run_cli(tmp_path, db_url, "backup")
    assert code == 0, err
    written = sorted((tmp_path / "data" / "backups").iterdir())
    assert len(written) == 1 and backup.BACKUP_NAME.match(written[0].name)
    assert written[0].suffix == (".dump" if pg else ".sqlite3")
    assert oct(written[0].stat().st_mode & 0o777) == "0o600"
    head = ", ".join(sorted(ops.head_revisions()))
    check = "pg_restore --list ok" if pg else "integrity_check ok"
    assert f"migration {head}, {check})" in out, out
    if pg:  # the file is pg_dump's custom format, and readable
        listing = await asyncio.to_thread(
            subprocess.run,
            ["pg_restore", "--list", str(written[0])],
            capture_output=True,
            check=True,
        )
        assert b"TABLE DATA public offices" in listing.stdout

    later = [
        "UPDATE offices SET name = 'Dinas Kesehatan (diubah)' WHERE code = 'DINKES'",
        "INSERT INTO offices (code, name, active, created_at) "
        "VALUES ('BKPSDM', 'Badan Kepegawaian', true, '2026-12-01 01:00:00')",
        "CREATE TABLE made_by_a_newer_migration (id integer PRIMARY KEY)",
    ]
    await sql(db_url, *later)
    changed = await sql(db_url, OFFICES)
    assert changed != original

    code, out, err = await run_cli(tmp_path, db_url, "restore", str(written[0]))
    assert code == exitcodes.FAILED and "--yes" in err  # asked to confirm: nothing done
    assert await sql(db_url, OFFICES) == changed

    code, out, err = await run_cli(tmp_path, db_url, "restore", str(written[0]), "--yes")
    assert code == 0, err
    assert await sql(db_url, OFFICES) == original
    assert "restored:" in out and f"migration {head}" in out
    tables = await sql(
        db_url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        if pg
        else "SELECT name FROM sqlite_master WHERE type = 'table'",
    )
    assert ("made_by_a_newer_migration",) not in tables  # what came after the backup is gone
    before_line = next(line for line in out.splitlines() if "the database as it was" in line)
    saved = Path(before_line.split(": ", 1)[1])
    assert (
        await asyncio.to_thread(saved.is_file) and saved != written[0]
    )  # the restore itself can be undone
    code, out, err = await run_cli(tmp_path, db_url, "restore", str(saved), "--yes")
    assert code == 0, err
    assert await sql(db_url, OFFICES) == changed


async def test_a_pg_dump_that_fails_is_an_error_without_the_password(tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    url = "postgresql://dik_app:Sup3r-Secret-pw@127.0.0.1:1/dik_prod"  # nothing listens there
    code, out, err = await run_cli(tmp_path, url, "backup")
    assert code == exitcodes.FAILED, out + err
    lines = err.splitlines()
    assert lines[0] == "database: postgresql+asyncpg://dik_app:***@127.0.0.1:1/dik_prod"
    assert lines[1].startswith("error: pg_dump failed: ") and len(lines) == 2, err
    assert "Sup3r-Secret-pw" not in out + err
    assert list((tmp_path / "data" / "backups").iterdir()) == []  # no partial file left


def test_old_backups_are_pruned_by_the_time_in_their_name(tmp_path: Path) -> None:
    names = [
        "dik-20261020-023000Z.sqlite3",  # 41 days old
        "dik-20261030-020000Z.dump",  # 31 days
        "dik-20261031-023000Z.sqlite3",  # 30 days less half an hour: kept
        "dik-20261129-023000Z.sqlite3",
        "dik-20261020-023000Z.sqlite3.partial",  # not a backup's name
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = backup.prune(tmp_path, 30, NOW)
    assert [p.name for p in removed] == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])
    assert backup.prune(tmp_path, 0, NOW + timedelta(days=999)) == []  # 0 keeps everything


async def test_a_backup_prunes_the_default_folder_only(db_url: str, tmp_path: Path) -> None:
    if is_postgres(db_url):
        pytest.skip("the pruning is the same on both; this run uses PostgreSQL")
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "dik-20261001-023000Z.sqlite3").write_bytes(b"old")
    lines = backup.run(db_url, None, now=NOW, default_dir=folder, keep_days=30)
    assert lines[0].startswith(f"backup written: {folder}/dik-20261130-010000Z.sqlite3")
    assert lines[1] == f"removed (older than 30 days): {folder}/dik-20261001-023000Z.sqlite3"
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "dik-20261001-023000Z.sqlite3").write_bytes(b"old")
    backup.run(db_url, other, now=NOW, default_dir=folder, keep_days=30)
    assert (other / "dik-20261001-023000Z.sqlite3").exists()  # --to: nothing removed


def test_two_backups_in_one_second_get_two_names(tmp_path: Path) -> None:
    """A restore backs up the current database first, often in the same second as the backup
    it restores: the second name moves to the next free second, in the same pattern."""
    from datetime import UTC, datetime

    from bot.ops.backup import BACKUP_NAME, destination

    now = datetime(2026, 12, 4, 2, 4, 28, 500_000, tzinfo=UTC)
    first = destination(None, now, "sqlite3", tmp_path)
    first.write_bytes(b"x")
    second = destination(None, now, "sqlite3", tmp_path)
    assert first.name == "dik-20261204-020428Z.sqlite3"
    assert second.name == "dik-20261204-020429Z.sqlite3"
    assert BACKUP_NAME.match(second.name)
    given = tmp_path / "mine.sqlite3"
    given.write_bytes(b"x")
    assert destination(given, now, "sqlite3", tmp_path) == given  # a file named is kept as is
