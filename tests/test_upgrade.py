"""Upgrading: a database made by the previous release's migrations (at 0002), with a city and
a cycle under way in it, is shown what `migrate` would do (`--dry-run` changes nothing), is
upgraded keeping every row, and the bot then works on it; `migrate --to 0002` goes back.
Runs on SQLite, and on PostgreSQL with DIK_TEST_DATABASE_URL."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.clock import ManualClock
from bot.config import load_settings
from devtools.standin import BotApiStandin
from storage import migrate
from tests.cli import run_cli as cli
from tests.harness import Harness

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = "0002"  # the newest migration of the release before this one
TS = datetime(2026, 11, 30, 1, 0)  # naive UTC, as the columns store it
DUE = datetime(2026, 12, 1, 1, 0)
DOCX = b"PK\x03\x04 not really a docx, an archived file all the same"

ROWS = [
    "INSERT INTO offices (id, code, name, active, created_at) "
    "VALUES (1, 'DINKES', 'Dinas Kesehatan', true, :ts)",
    "INSERT INTO officials (id, name, nip, pangkat, jabatan, telegram_user_id, office_id, "
    "active, created_at) VALUES (1, 'Lumongga Simanjuntak', '', '', 'Analis', 1001, NULL, "
    "true, :ts), (2, 'Wildrian Otta', '', '', 'Kepala Dinas', 1002, NULL, true, :ts), "
    "(3, 'Maria Bria', '', '', '', 2001, 1, true, :ts)",
    "INSERT INTO role_assignments (id, official_id, role, office_id, is_lead, created_at) "
    "VALUES (1, 1, 'petugas', NULL, false, :ts), (2, 2, 'kepala_dinas', NULL, false, :ts), "
    "(3, 3, 'ppid_pembantu', 1, false, :ts), (4, 1, 'admin', NULL, false, :ts)",
    "INSERT INTO cycles (id, sop_key, year, title, status, current_step, started_at, "
    "started_by_id) VALUES (1, 'usulan_dik', 2026, 'DIK 2026', 'open', 1, :ts, 1)",
    "INSERT INTO step_runs (id, cycle_id, step_no, phase, attempt, holder_role, status, "
    "assigned_at, due_at, version) VALUES (1, 1, 1, 'draft', 1, 'petugas', 'open', :ts, :due, 1)",
    "INSERT INTO documents (id, cycle_id, step_no, kind, office_id, version, filename, "
    "mime_type, sha256, size, content, uploaded, created_at, created_by_id) VALUES (1, 1, 1, "
    "'nota_dinas', NULL, 1, 'Nota_Dinas_2026.docx', 'application/octet-stream', :sha, :size, "
    ":content, false, :ts, 1)",
]
COUNTED = ["offices", "officials", "role_assignments", "cycles", "step_runs", "documents"]


async def execute(url: str, *statements: str, **params: object) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                names = {k: v for k, v in params.items() if f":{k}" in statement}
                await conn.execute(text(statement), names)
    finally:
        await engine.dispose()


async def counts(url: str) -> dict[str, int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return {
                t: int((await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one())
                for t in COUNTED
            }
    finally:
        await engine.dispose()


async def test_a_database_of_the_previous_release_is_upgraded_with_its_data(
    empty_db_url: str, standin: BotApiStandin, clock: ManualClock, tmp_path: Path
) -> None:
    url = empty_db_url
    pg = make_url(url).get_backend_name() == "postgresql"
    await migrate.upgrade(url, PREVIOUS)

    await execute(
        url,
        *ROWS,
        ts=TS,
        due=DUE,
        content=DOCX,
        sha=hashlib.sha256(DOCX).hexdigest(),
        size=len(DOCX),
    )
    if pg:  # as if the rows had taken their ids from the sequences
        await execute(
            url,
            *(
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                for t in COUNTED
            ),
        )
    before = await counts(url)

    code, out, err = await cli(tmp_path, url, "migrate", "--dry-run")
    assert code == 0, err
    assert out.startswith(f"Database at {PREVIOUS}; `migrate` would apply (nothing was changed):")
    assert "  0003: " in out and f"  {migrate.HEAD}: " in out
    if pg:
        assert "ALTER TABLE documents ADD COLUMN original_filename VARCHAR(255)" in out
    else:
        assert "trial on a copy of the database: ok" in out
        assert "documents: new column(s) original_filename" in out
        assert "every table that stays keeps its rows" in out
    assert await migrate.read_current(url) == {PREVIOUS}  # nothing was changed
    assert await counts(url) == before

    code, out, err = await cli(tmp_path, url, "migrate")
    assert code == 0, err
    assert out.splitlines()[0] == f"Database migrated from {PREVIOUS} to {migrate.HEAD} (upgrade):"
    assert await migrate.read_current(url) == {migrate.HEAD}
    assert await counts(url) == before

    settings = load_settings(
        _env_file=None,
        telegram_bot_token="123456:TEST-token",
        telegram_bot_username="dik_test_bot",
        telegram_api_base_url=standin.base_url,
        database_url=url,
        outbox_chat_gap_seconds=0,
    )
    async with Harness.running(settings, standin, clock) as h:
        petugas = h.chat.person(1001, "Lumongga Simanjuntak")
        tasks = (await petugas.say("/tugas"))[-1].text
        assert "DIK 2026" in tasks and "1" in tasks, tasks
        status = "\n".join(m.text or "" for m in await petugas.say("/status"))
        assert "DIK 2026" in status
        archive = (await petugas.say("/arsip"))[-1]
        assert archive.document is not None and archive.document.filename.endswith(".zip")

    code, out, err = await cli(tmp_path, url, "migrate", "--to", PREVIOUS, "--dry-run")
    assert code == 0, err
    assert f"`migrate --to {PREVIOUS}` would undo" in out
    assert out.index(f"  {migrate.HEAD}: ") < out.index("  0003: ")  # newest first
    code, out, err = await cli(tmp_path, url, "migrate", "--to", PREVIOUS)
    assert code == 0, err
    assert await migrate.read_current(url) == {PREVIOUS}
    after = await counts(url)
    assert after["offices"] == 1 and after["officials"] == 3 and after["documents"] >= 1
    code, out, err = await cli(tmp_path, url, "migrate", "--to", "9999")
    assert code == 1 and "unknown revision '9999'" in err
