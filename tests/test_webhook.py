"""Webhook mode: PTB's own server (tornado) receives updates posted to it with the secret
header, the bot answers through the Bot API stand-in; a request without the right secret is
refused with 403 and changes nothing. `python -m bot run` picks webhook or polling."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot import cli
from bot.app import build_application
from bot.clock import ManualClock
from bot.config import ConfigError, Settings, load_settings
from bot.ops import startup
from bot.ops.webhook import ALLOWED_UPDATES, webhook_kwargs
from devtools.standin import BotApiStandin
from devtools.standin.state import WAIT_LIMIT
from handlers.context import BotApp
from storage import models as m
from storage import people
from tests.logcapture import captured_logs

TOKEN = "123456:TEST-token"
SECRET = "Webhook-Secret_0123456789abcdef"
URL = "https://bot.kupangkota.example/dik-hook"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def webhook_settings(settings: Settings, **more: Any) -> Settings:
    fields = settings.model_dump(exclude={"telegram_bot_token", "webhook_secret"}) | {
        "telegram_bot_token": TOKEN,
        "webhook_url": URL,
        "webhook_secret": SECRET,
        **more,
    }
    return load_settings(_env_file=None, **fields)


def update_json(standin: BotApiStandin, update_id: int) -> dict[str, Any]:
    """The Update the stand-in would deliver (through getUpdates) for `update_id`."""
    for pending in standin._updates:
        if pending.update_id == update_id:
            return {"update_id": pending.update_id, pending.kind: pending.payload}
    raise AssertionError(f"no pending update {update_id}")


@asynccontextmanager
async def serving(app: BotApp, port: int, settings: Settings) -> AsyncIterator[BotApp]:
    """Like `Application.run_webhook`, in-process: initialize, post_init, start_webhook, start;
    then updater.stop, stop, post_stop, shutdown, post_shutdown."""
    assert app.updater is not None
    kwargs = webhook_kwargs(settings) | {"listen": "127.0.0.1", "port": port}
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.updater.start_webhook(**kwargs)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def post(port: int, body: dict[str, Any], secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/dik-hook", json=body, headers=headers) as resp,
    ):
        return resp.status


async def processed(app: BotApp) -> None:
    await asyncio.wait_for(app.update_queue.join(), timeout=WAIT_LIMIT)


async def counts(app: BotApp) -> dict[str, int]:
    wf = app.bot_data.workflow
    assert wf is not None
    out = {}
    async with wf.db.read() as s:
        for table in (m.Cycle, m.StepRun, m.AuditEntry, m.OutboxMessage, m.Document):
            out[table.__tablename__] = int(
                await s.scalar(select(func.count()).select_from(table)) or 0
            )
    return out


async def test_updates_posted_to_the_webhook_are_answered(
    settings: Settings,
    standin: BotApiStandin,
    clock: ManualClock,
) -> None:
    hook = webhook_settings(settings, log_level="DEBUG")
    with captured_logs(hook) as captured:
        await _serve_and_post(hook, standin, clock)
    out = captured.getvalue()
    assert "setWebhook" in out  # PTB logged the call (with its parameters) at DEBUG ...
    assert SECRET not in out and TOKEN not in out  # ... but neither secret


async def _serve_and_post(hook: Settings, standin: BotApiStandin, clock: ManualClock) -> None:
    port = free_port()
    app = build_application(hook, clock=clock, migrate_on_start=False)
    wf = app.bot_data.workflow
    assert wf is not None
    async with serving(app, port, hook):
        assert standin.webhook_url == URL
        set_webhook = [params for name, params, _ in standin.calls if name == "setWebhook"]
        assert set_webhook[-1]["secret_token"] == SECRET
        assert set_webhook[-1]["allowed_updates"] == ALLOWED_UPDATES

        async with wf.db.transaction() as s:
            oid = await people.add_official(
                s, name="Lumongga Simanjuntak", now=clock.now(), telegram_user_id=1001
            )
            await people.add_role(s, oid, "petugas", clock.now())
        standin.add_user(1001, "Lumongga")

        update_id = standin.push_text(1001, "/tugas")
        assert await post(port, update_json(standin, update_id), SECRET) == 200
        await processed(app)
        assert "tidak ada tugas" in standin.sent(1001)[-1].text

        start = update_json(standin, standin.push_text(1001, "/mulai 2026"))
        before, sent_before = await counts(app), len(standin.sent(1001))
        assert await post(port, start, "Wrong-Secret_0123456789abcdef") == 403
        assert await post(port, start, None) == 403
        await processed(app)
        assert await counts(app) == before
        assert len(standin.sent(1001)) == sent_before

        assert await post(port, start, SECRET) == 200  # the same update, with the secret
        await processed(app)
        after = await counts(app)
        assert after["cycles"] == 1 and after["step_runs"] == 1
        replies = standin.sent(1001)[sent_before:]
        assert replies and any("2026" in (r.text or "") for r in replies)


def _never(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("must not be called")


async def _answers(_settings: object) -> str:
    return "dik_test_bot"  # the getMe check before PTB starts (tests/test_startup.py)


def test_run_uses_run_webhook_when_a_url_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: dict[str, Any] = {}
    monkeypatch.setattr(startup, "wait_until_reachable", _answers)
    monkeypatch.setattr(Application, "run_webhook", lambda app, **kw: called.update(kw))
    monkeypatch.setattr(Application, "run_polling", _never)
    s = load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/dik.sqlite3",
        webhook_url=URL,
        webhook_secret=SECRET,
        webhook_port=8444,
    )
    assert cli._run(s) == 0
    assert called == {
        "listen": "127.0.0.1",
        "port": 8444,
        "url_path": "dik-hook",
        "webhook_url": URL,
        "secret_token": SECRET,
        "allowed_updates": ALLOWED_UPDATES,
        "bootstrap_retries": -1,  # PTB retries its own getMe while the network is away
    }


def test_run_polls_without_a_webhook_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    called: dict[str, Any] = {}
    monkeypatch.setattr(startup, "wait_until_reachable", _answers)
    monkeypatch.setattr(Application, "run_polling", lambda app, **kw: called.update(kw))
    monkeypatch.setattr(Application, "run_webhook", _never)
    s = load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/dik.sqlite3",
    )
    assert cli._run(s) == 0
    assert called == {"allowed_updates": ALLOWED_UPDATES, "bootstrap_retries": -1}


def test_webhook_mode_needs_a_secret() -> None:
    s = load_settings(_env_file=None, telegram_bot_token=TOKEN, webhook_url=URL)
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        webhook_kwargs(s)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("webhook_url", "http://bot.kupangkota.example/dik-hook"),
        ("webhook_secret", "short"),
        ("webhook_secret", "has spaces in it, not allowed!!"),
        ("webhook_port", "0"),
        ("log_format", "xml"),
        ("log_level", "LOUD"),
    ],
)
def test_bad_operations_settings_are_named(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{name: value})
    assert name.upper() in str(caught.value)
    if name == "webhook_secret":
        assert value not in str(caught.value)
