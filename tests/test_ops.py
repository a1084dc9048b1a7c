"""Operations: online SQLite backups (PostgreSQL's: tests/test_backup_restore.py), the health
check (CLI and /health), the /admin view of errors and stuck steps, and logs that never carry
the token."""

from __future__ import annotations

import asyncio
import configparser
import json
import logging
import os
import sqlite3
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot import exitcodes
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.ops import backup, health
from bot.ops.backup import BackupError, backup_sqlite
from bot.workflow.admin import healthy
from devtools.standin import BotApiStandin
from storage import migrate, ops, people
from storage.db import Database
from storage.models import AuditEntry
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness
from tests.logcapture import captured_logs

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:TEST-token"
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def sqlite_file(url: str) -> Path:
    if make_url(url).get_backend_name() != "sqlite":
        pytest.skip("SQLite backup: this run uses PostgreSQL")
    database = make_url(url).database
    assert database is not None
    return Path(database)


def office_codes(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT code FROM offices ORDER BY code")]
    finally:
        con.close()


def listing(directory: Path) -> list[Path]:
    return sorted(directory.iterdir())


def cli_env(home: Path, **settings: str) -> dict[str, str]:
    """A clean environment for `python -m bot`: PATH, PYTHONPATH, DIK_HOME and the settings."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DIK_HOME": str(home),
    }
    env.update({k.upper(): v for k, v in settings.items()})
    return env


async def run_cli(cwd: Path, *args: str, **settings: str) -> tuple[int, str, str]:
    """`python -m bot ARGS` without blocking the loop (the stand-in must keep answering)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=cli_env(cwd, **settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


# --- backup ------------------------------------------------------------------------------------


async def test_backup_while_the_bot_holds_a_write_transaction(db_url: str, tmp_path: Path) -> None:
    source = sqlite_file(db_url)
    db = Database(db_url)
    try:
        async with db.transaction() as s:
            await people.add_office(s, "DINKES", "Dinas Kesehatan", NOW)
        async with db.transaction() as s:  # BEGIN IMMEDIATE: SQLite's write lock is held
            await people.add_office(s, "BKPSDM", "Badan Kepegawaian", NOW)
            dest = tmp_path / "copy" / "dik.sqlite3"
            done = await asyncio.wait_for(asyncio.to_thread(backup_sqlite, source, dest), 120)
    finally:
        await db.dispose()
    assert done.path == dest and dest.is_file()
    assert done.revision == ", ".join(sorted(ops.head_revisions()))
    assert office_codes(dest) == ["DINKES"]  # committed data only: one consistent snapshot
    assert office_codes(source) == ["BKPSDM", "DINKES"]
    assert backup.verify(dest).tables == done.tables > 10
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert sorted(p.name for p in dest.parent.iterdir()) == ["dik.sqlite3"]  # single file
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(source, dest)


async def test_backup_with_a_plain_sqlite_writer_mid_transaction(
    db_url: str, tmp_path: Path
) -> None:
    source = sqlite_file(db_url)
    writer = sqlite3.connect(source, isolation_level=None)
    try:
        writer.execute(
            "INSERT INTO offices (code, name, active, created_at) "
            "VALUES ('DISDUK', 'Dinas Kependudukan', 1, '2026-11-30 01:00:00')"
        )
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE offices SET name = 'uncommitted' WHERE code = 'DISDUK'")
        lines = backup.run(db_url, tmp_path, now=NOW)
        writer.execute("COMMIT")
    finally:
        writer.close()
    dest = tmp_path / "dik-20261130-010000Z.sqlite3"
    assert lines == [
        f"backup written: {dest} ({dest.stat().st_size} bytes, "
        f"{backup.verify(dest).tables} tables, migration "
        f"{', '.join(sorted(ops.head_revisions()))}, integrity_check ok)"
    ]
    con = sqlite3.connect(dest)
    try:
        assert con.execute("SELECT name FROM offices").fetchall() == [("Dinas Kependudukan",)]
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        con.close()


def test_a_damaged_copy_does_not_verify(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 500)
    with pytest.raises(BackupError):
        backup.verify(bad)
    with pytest.raises(BackupError, match="no database file"):
        backup_sqlite(tmp_path / "missing.sqlite3", tmp_path / "x.sqlite3")
    assert not (tmp_path / "x.sqlite3").exists()


async def test_backup_cli_writes_under_data_backups(db_url: str, tmp_path: Path) -> None:
    source = sqlite_file(db_url)
    workdir = tmp_path / "srv"
    workdir.mkdir()
    code, out, err = await run_cli(workdir, "backup", database_url=f"sqlite+aiosqlite:///{source}")
    assert code == 0, err
    written = listing(workdir / "data" / "backups")
    assert len(written) == 1 and written[0].name.startswith("dik-")
    assert written[0].suffix == ".sqlite3"
    assert f"backup written: {workdir}/data/backups/{written[0].name}" in out
    assert "integrity_check ok" in out


# --- health (CLI) ------------------------------------------------------------------------------


async def test_health_cli_on_a_good_database(
    db_url: str, standin: BotApiStandin, tmp_path: Path
) -> None:
    code, out, err = await run_cli(
        tmp_path,
        "health",
        database_url=db_url,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
    )
    assert code == 0, out + err
    lines = out.splitlines()
    assert [line.split()[1] for line in lines] == [
        "database:",
        "migrations:",
        "sop:",
        "publish:",
        "outbox:",
        "render:",
        "overdue:",
        "bot_api:",
    ]
    # PUBLISH_DIR sits in pytest's tmp folder, which others cannot enter: a warning only
    assert all(line.startswith("ok ") or " publish: " in line for line in lines), out
    assert "getMe ok: @dik_test_bot" in out
    assert "0 pending" in out
    assert "0 document(s) waiting to be rendered" in out
    assert TOKEN not in out + err
    assert any(call[0] == "getMe" for call in standin.calls)


async def test_health_cli_fails_without_migrations(
    empty_db_url: str, standin: BotApiStandin, tmp_path: Path
) -> None:
    code, out, err = await run_cli(
        tmp_path,
        "health",
        database_url=empty_db_url,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
    )
    assert code == 1, out + err
    by_key = {line.split()[1].rstrip(":"): line for line in out.splitlines()}
    if make_url(empty_db_url).get_backend_name() == "sqlite":
        assert by_key["database"].startswith("fail") and "no database file" in out
        assert listing(tmp_path) == []  # the check did not create the database
    else:
        assert by_key["database"].startswith("ok")
        assert by_key["migrations"].startswith("fail") and "not migrated" in out
    assert by_key["sop"].startswith("ok") and by_key["bot_api"].startswith("ok")


async def test_health_names_an_old_migration_and_a_wrong_token(
    empty_db_url: str, standin: BotApiStandin
) -> None:
    await migrate.upgrade(empty_db_url, "0001")
    settings = load_settings(
        _env_file=None,
        database_url=empty_db_url,
        telegram_bot_token="999:wrong-token-value",
        telegram_api_base_url=standin.base_url,
    )
    facts = await health.check(settings)
    assert not healthy(facts)
    by_key = dict(zip([f.key for f in facts], health.lines(facts), strict=True))
    assert by_key["migrations"].startswith("fail") and "at 0001, head is" in by_key["migrations"]
    assert by_key["outbox"].startswith("skip") and by_key["overdue"].startswith("skip")
    assert by_key["render"].startswith("skip")
    assert by_key["bot_api"].startswith("fail") and "InvalidToken" in by_key["bot_api"]
    assert "wrong-token-value" not in "\n".join(by_key.values())  # PTB's message quotes it


# --- /health and /admin in chat -----------------------------------------------------------------


async def test_health_in_chat_for_the_admin_only(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["admin"].say("/health")
    text = got[-1].text
    assert "Kesehatan bot DIK: sehat" in text
    assert "Basis data terhubung" in text
    assert "Skema basis data mutakhir" in text
    assert "Berkas SOP valid (10 langkah)" in text
    assert "SOP lain: dip v1 (6 langkah)" in text
    assert "Antrean pesan: 0 belum terkirim" in text
    assert "Tahap lewat batas waktu: 0" in text
    assert "Bot API terhubung (@dik_test_bot)" in text
    before = await h.snapshot()
    got = await p["petugas"].say("/health")
    assert "hanya untuk" in got[-1].text and "Kesehatan" not in got[-1].text
    got = await p["dinkes"].say("/admin")
    assert "hanya untuk" in got[-1].text and "Panel admin" not in got[-1].text
    assert await h.snapshot() == before
    async with h.workflow.db.read() as s:
        refused = await ops.refusals_since(s, NOW)
    assert refused == [("wrong_role", 2)]


async def test_admin_view_shows_failed_messages_refusals_and_stuck_steps(
    harness: Harness,
) -> None:
    h = harness
    p = await h.seed_city()
    h.standin.block_user(2002)  # Yosef (BKPSDM) blocked the bot: his messages fail with 403
    await h.play_to_collect()
    await p["dinkes"].upload("form-dinkes.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS))
    await p["dinkes"].tap("✅ Kirim usulan")
    await p["petugas"].say("/admin")  # refused, but more than 7 days before /admin is asked
    h.clock.advance(days=14)  # step 3 (five working days) is now well past its deadline
    await p["petugas"].say("/health")  # refused: not an admin
    await p["dinkes"].tap_data(1, "a:99999:ok:1")  # refused: a forged button

    got = await p["admin"].say("/admin")
    text = got[-1].text
    assert "Panel admin" in text
    assert "Pesan gagal terkirim: 1" in text
    assert "Yosef Lake" in text and "blocked by the user" in text and "dicoba" in text
    assert "Tindakan ditolak (7 hari terakhir): 2" in text
    assert "• wrong_role: 1" in text and "• unknown_button: 1" in text, text
    assert "Tahap macet (lewat batas waktu): 1" in text
    assert "Langkah 3" in text and "PPID Pembantu" in text
    assert "terlambat" in text and "hari kerja" in text

    got = await p["admin"].say("/health")
    text = got[-1].text
    assert "⚠️ Tahap lewat batas waktu: 1 (lihat /admin)" in text
    assert "⚠️ Antrean pesan:" in text and "tertua" in text
    assert ": sehat" in text  # warnings, nothing failed

    async with h.workflow.db.read() as s:
        stuck = await ops.overdue_runs(s, h.clock.now())
        old = await s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "refused")
        )
    assert [(o.run.step_no, o.run.holder_role) for o in stuck] == [(3, "ppid_pembantu")]
    assert old == 3


# --- logs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
async def test_the_token_never_appears_in_debug_logs(
    fmt: str,
    settings: Settings,
    standin: BotApiStandin,
    clock: ManualClock,
) -> None:
    secret = "w3bhook-Secret-value-0123456789"
    fields = settings.model_dump(exclude={"telegram_bot_token", "webhook_secret"}) | {
        "telegram_bot_token": TOKEN,
        "webhook_secret": secret,
        "log_level": "DEBUG",
        "log_format": fmt,
    }
    debug = load_settings(_env_file=None, **fields)
    with captured_logs(debug) as captured:
        async with Harness.running(debug, standin, clock) as h:
            p = await h.seed_city()
            await h.play_to_collect()
            await p["dinkes"].upload(
                "form-dinkes.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS)
            )
            logging.getLogger("tests").debug("a secret in an extra field", extra={"s": secret})
    out = captured.getvalue()
    assert "getFile" in out and "sendDocument" in out  # the HTTP calls were logged ...
    assert "/bot<token>/" in out and "/file/bot<token>/" in out  # ... with the token redacted
    assert TOKEN not in out
    assert TOKEN.split(":", 1)[1] not in out
    assert secret not in out
    if fmt == "json":
        records = [json.loads(line) for line in out.splitlines() if line.strip()]
        assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
        traced = [r for r in records if r.get("update_id") is not None]
        assert traced and all(r.get("user_id") for r in traced)
        assert any(r["logger"].startswith("httpx") for r in records)
    else:
        assert "update_id=" in out and "user_id=2001" in out


# --- deployment ----------------------------------------------------------------------------------


def unit(name: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "deploy" / name, encoding="utf-8")
    return {section: dict(parser[section]) for section in parser.sections()}


def test_systemd_units() -> None:
    bot = unit("dik-bot.service")["Service"]
    assert bot["User"] == "dikbot" and bot["WorkingDirectory"] == "/opt/dik-bot"
    assert bot["EnvironmentFile"] == "/opt/dik-bot/.env"
    assert "DIK_HOME=/opt/dik-bot" in bot["Environment"].split()
    assert "ExecStartPre" not in bot  # `run` migrates: its exit code is the one systemd reads
    assert bot["ExecStart"] == "/opt/dik-bot/.venv/bin/python -m bot run"
    assert bot["Restart"] == "on-failure"
    # a wrong setting or a rejected token: no restart; a database away (75): restarted
    assert bot["RestartPreventExitStatus"] == str(exitcodes.CONFIG) == "78"
    assert exitcodes.TEMPFAIL not in (exitcodes.CONFIG, exitcodes.USAGE, exitcodes.FAILED)
    assert bot["UMask"] == "0077"  # the public files are made readable explicitly
    assert bot["NoNewPrivileges"] == "yes" and bot["ProtectSystem"] == "strict"
    assert bot["ReadWritePaths"] == "/opt/dik-bot/data"
    backup_unit = unit("dik-bot-backup.service")["Service"]
    assert backup_unit["Type"] == "oneshot"
    assert backup_unit["ExecStart"] == "/opt/dik-bot/.venv/bin/python -m bot backup"
    assert "ExecStartPost" not in backup_unit  # the command prunes (BACKUP_KEEP_DAYS)
    assert backup_unit["ReadWritePaths"] == "/opt/dik-bot/data"
    timer = unit("dik-bot-backup.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    dropin = unit("publish-dir.conf")["Service"]
    assert dropin["ReadWritePaths"] == "/var/www/dik"
