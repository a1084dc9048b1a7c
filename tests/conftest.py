"""Fixtures: a real database (SQLite file, or PostgreSQL when DIK_TEST_DATABASE_URL is set),
the Bot API stand-in on 127.0.0.1, and the real PTB Application driven by simulated officials."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.clock import ManualClock
from bot.config import Settings, load_settings
from devtools.standin import BotApiStandin
from storage import migrate
from tests.harness import Harness

PG_ENV = "DIK_TEST_DATABASE_URL"
# Monday 30 November 2026, 09.00 WITA: a working day in office hours.
START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


async def reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture
async def empty_db_url(tmp_path: Path) -> str:
    """A database with nothing in it (no tables)."""
    url = os.environ.get(PG_ENV)
    if url:
        url = Settings._async_driver(url)  # type: ignore[operator]
        await reset_postgres(url)
        return url
    return f"sqlite+aiosqlite:///{tmp_path}/dik-test.sqlite3"


@pytest.fixture
async def db_url(empty_db_url: str) -> str:
    """A migrated, empty database."""
    await migrate.upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    async with BotApiStandin(token="123456:TEST-token", bot_username="dik_test_bot") as s:
        yield s


@pytest.fixture
def public_dir() -> Iterator[Path]:
    """A folder a web server (another user) could serve: under /tmp, open to others; pytest's
    own tmp folders are 0700, which the health check rightly reports as unreadable."""
    path = Path(tempfile.mkdtemp(prefix="dik-www-"))
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def settings(db_url: str, standin: BotApiStandin, public_dir: Path) -> Settings:
    return load_settings(
        _env_file=None,
        telegram_bot_token="123456:TEST-token",
        telegram_bot_username="dik_test_bot",
        telegram_api_base_url=standin.base_url,
        database_url=db_url,
        publish_dir=public_dir / "publik",
        public_base_url="https://ppid.kupangkota.go.id/dik",
        # back to back: the stand-in does not enforce Telegram's limits unless a test asks
        # (tests/test_faults.py paces with the product's default under enforced limits)
        outbox_chat_gap_seconds=0,
        # documents rendered in a thread: a worker process per test would add its start-up
        # (~1 s) to hundreds of tests; tests/test_render_jobs.py runs the process pool
        render_processes=0,
    )


@pytest.fixture
async def harness(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> AsyncIterator[Harness]:
    async with Harness.running(settings, standin, clock) as h:
        yield h
