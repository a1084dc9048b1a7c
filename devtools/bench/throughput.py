"""Issue 6: updates per second of the real Application, against a minimal PTB echo bot.

Everything runs in this process on one event loop: the Bot API stand-in on 127.0.0.1 (no flood
limits here), the bot long-polling it, and the simulated officials pushing updates. Both bots
run with PTB's defaults for update processing (the product's ``CONCURRENT_UPDATES`` is off), so
the ratio compares the work done per update.

The city: ``offices`` OPDs and ``officials`` officials; one cycle stands at step 3 while
``/tugas`` (from every official) and ``/status`` (from the petugas, the Kepala Dinas and the
admin, who may ask it) are measured. Then ``taps`` more cycles wait at step 1 for the Kepala
Dinas, whose taps on Setujui are pushed all at once; and ``latency_taps`` more are tapped one at
a time, each timed from the tap to the moment the next holder (the petugas) is sent the step-2
Surat Dinas DOCX. Updates a handler failed on are counted and named in a note.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy import text
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from devtools.bench.city import (
    ADMIN_ID,
    BOT_USERNAME,
    KADIS_ID,
    PETUGAS_ID,
    TOKEN,
    city_app,
    open_collect_run,
)
from devtools.bench.common import Figure, Figures, median, percentile
from devtools.standin import BotApiStandin
from devtools.standin.driver import ChatDriver, running
from handlers.context import BotApp
from storage import cycles
from storage.db import Database

GROUP = "throughput"
APPROVE = "✅ Setujui"


@dataclass
class Rates:
    """Updates per second per kind, tap latencies in seconds, and handler errors per kind."""

    per_second: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    async def measure(
        self, kind: str, chat: ChatDriver, pushes: Sequence[Callable[[], int]], warmup: int
    ) -> None:
        """Push ``warmup`` updates and wait; then push the rest at once and time until the bot
        has handled every one of them: each handler has returned (its answer to the person who
        wrote is sent). Messages to others, which the outbox delivers in the background at
        Telegram's pace, are waited for afterwards, untimed (the tap-to-DOCX latency times
        them). Handler errors are counted, not raised."""
        for push in pushes[:warmup]:
            push()
        await chat.settle()
        timed = pushes[warmup:]
        before = len(chat.errors)
        start = time.perf_counter()
        for push in timed:
            push()
        await chat.settle(background=False)
        self.per_second[kind] = len(timed) / (time.perf_counter() - start)
        await chat.settle()
        errors = chat.errors[before:]
        if errors:
            first = f"{type(errors[0]).__name__}: {errors[0]}"
            self.errors[kind] = f"{len(errors)} of {len(timed)} updates failed ({first})"


def _texts(standin: BotApiStandin, users: list[int], text: str, n: int) -> list[Callable[[], int]]:
    """``n`` pushes of ``text``, from ``users`` in turn."""
    return [partial(standin.push_text, users[i % len(users)], text) for i in range(n)]


def _approve_buttons(standin: BotApiStandin) -> list[tuple[int, str]]:
    """(message_id, callback data) of every Setujui button the Kepala Dinas holds now."""
    return [
        (m.message_id, b.callback_data)
        for m in standin.sent(KADIS_ID)
        for row in m.buttons
        for b in row
        if b.text == APPROVE and b.callback_data
    ]


async def _cycles_at_review(app: BotApp, count: int, first: int) -> None:
    """``count`` more cycles whose step 1 waits for the Kepala Dinas; their messages sent."""
    wf, sender = app.bot_data.workflow, app.bot_data.sender
    assert wf is not None and sender is not None
    for i in range(count):
        started = await wf.acts.start_cycle(PETUGAS_ID, 2026, f"DIK bench {first + i}")
        assert started.ok, started.text
        async with wf.db.read() as s:
            run = (await cycles.open_runs(s, started.data["cycle_id"]))[0]
        submitted = await wf.acts.act(PETUGAS_ID, run.id, "submit", run.version)
        assert submitted.ok, submitted.text
    await sender.flush()


def _docx_to(standin: BotApiStandin, chat_id: int, since: float) -> list[float]:
    return [
        t
        for method, params, t in standin.calls
        if t >= since
        and method.lower() == "senddocument"
        and params.get("chat_id") == chat_id
        and ".docx" in str(params.get("document", ""))
    ]


async def measure_app(
    url: str,
    *,
    offices: int,
    officials: int,
    updates: int,
    status_updates: int,
    taps: int,
    latency_taps: int,
) -> Rates:
    rates = Rates()
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        with tempfile.TemporaryDirectory(prefix="dik-bench-tp-") as tmp:
            app, cast = await city_app(
                url, Path(tmp), standin, offices=offices, officials=officials
            )
            async with running(app, standin, action_timeout=600) as chat:
                assert app.bot_data.workflow is not None
                await open_collect_run(app.bot_data.workflow)
                warm = max(updates // 10, 3)
                tugas = _texts(standin, cast.everyone, "/tugas", updates + warm)
                await rates.measure("/tugas", chat, tugas, warm)
                status_users = [PETUGAS_ID, KADIS_ID, ADMIN_ID]
                status = _texts(standin, status_users, "/status", status_updates + 3)
                await rates.measure("/status", chat, status, 3)
                await _cycles_at_review(app, taps + 2 + latency_taps, first=1)
                buttons = _approve_buttons(standin)
                taps_pushed = [
                    partial(standin.push_callback, KADIS_ID, mid, data)
                    for mid, data in buttons[: taps + 2]
                ]
                await rates.measure("approve taps", chat, taps_pushed, 2)
                kadis = chat.person(KADIS_ID, "Kepala Dinas")
                for mid, data in buttons[taps + 2 :]:
                    start = time.monotonic()
                    await kadis.tap_data(mid, data)
                    docs = _docx_to(standin, PETUGAS_ID, start)
                    if docs:
                        rates.latencies.append(docs[-1] - start)
    return rates


async def read_floor(url: str, sessions: int = 2000) -> float:
    """Seconds per `Database.read()` session that runs one trivial query (``SELECT 1``): what
    any handler that reads the database pays at least. Set against the echo bot's whole
    update, it shows how much of the 0.5× budget a single read already takes."""
    db = Database(url)
    try:
        for _ in range(100):
            async with db.read() as s:
                await s.execute(text("SELECT 1"))
        start = time.perf_counter()
        for _ in range(sessions):
            async with db.read() as s:
                await s.execute(text("SELECT 1"))
        return (time.perf_counter() - start) / sessions
    finally:
        await db.dispose()


# ---------------------------------------------------------------------------------------------
# The minimal echo bot


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None and update.message.text:
        await update.message.reply_text(update.message.text)


async def _echo_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.answer()
        await context.bot.send_message(query.message.chat.id, str(query.data))


async def measure_echo(
    users: int, updates: int, status_updates: int, taps: int, *, rate_limiter: bool
) -> Rates:
    """PTB with two handlers: a text is echoed, a tap is answered and echoed."""
    rates = Rates()
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        builder = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(standin.base_url + "/bot")
            .base_file_url(standin.base_url + "/file/bot")
        )
        if rate_limiter:
            # as bot/app.py builds the product (mypy cannot see the builder's type here)
            builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
        app = builder.build()
        app.add_handler(MessageHandler(filters.TEXT, _echo))
        app.add_handler(CallbackQueryHandler(_echo_tap))
        ids = list(range(50_001, 50_001 + users))
        for uid in ids:
            standin.add_user(uid, f"Pengguna {uid}").started = True
        async with running(app, standin, action_timeout=600) as chat:
            warm = max(updates // 10, 3)
            await rates.measure(
                "/tugas", chat, _texts(standin, ids, "/tugas", updates + warm), warm
            )
            status = _texts(standin, ids, "/status", status_updates + 3)
            await rates.measure("/status", chat, status, 3)
            pushes = [
                partial(standin.push_callback, ids[i % users], 1, "act:1:approve:1")
                for i in range(taps + 2)
            ]
            await rates.measure("approve taps", chat, pushes, 2)
    return rates


# ---------------------------------------------------------------------------------------------
# Figures


def figures(
    app_rates: dict[str, Rates],
    echo: Rates,
    echo_limited: Rates,
    officials: int,
    floors: dict[str, float] | None = None,
) -> Figures:
    out: Figures = []
    for label, seconds in (floors or {}).items():
        out.append(
            Figure(
                GROUP,
                f"one read session with SELECT 1 ({label}) vs one whole echo update",
                seconds * 1000,
                "ms",
                baseline=1000 / echo.per_second["/tugas"],
            )
        )
    for kind in ("/tugas", "/status", "approve taps"):
        for label, rates in app_rates.items():
            out.append(
                Figure(
                    GROUP,
                    f"{kind}, {officials} officials ({label}) vs plain PTB echo",
                    rates.per_second[kind],
                    "upd/s",
                    baseline=echo.per_second[kind],
                    limit=0.5,
                    on="ratio",
                    at_most=False,
                    note=f"{label} {kind}: {rates.errors[kind]}" if kind in rates.errors else "",
                )
            )
        out.append(
            Figure(
                GROUP,
                f"{kind}: PTB echo with AIORateLimiter (for reference)",
                echo_limited.per_second[kind],
                "upd/s",
                baseline=echo.per_second[kind],
            )
        )
    for label, rates in app_rates.items():
        if rates.latencies:
            n = len(rates.latencies)
            out.append(
                Figure(
                    GROUP,
                    f"Setujui → next holder has DOCX, p50 of {n} ({label})",
                    median(rates.latencies) * 1000,
                    "ms",
                )
            )
            out.append(
                Figure(
                    GROUP,
                    f"Setujui → next holder has DOCX, p99 of {n} ({label})",
                    percentile(rates.latencies, 99) * 1000,
                    "ms",
                )
            )
    return out
