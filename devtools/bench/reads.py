"""Issue 15 point 4: the read path of `/tugas`, the access check of every act, and `/status`.

For each database, a city of ``officials`` officials with one cycle at step 3, run by the real
Application against the Bot API stand-in (this process, one loop, no flood limits, as the
throughput group). Measured in the same run:

- the per-call cost of `/tugas`'s reads the old way (a `Database.read()` ORM session with the
  person's query and the open runs' query) and through the read model at a hit (one tiny query
  for the stamps on a bare connection; person and runs from memory), the read model's reload
  when a stamp moved (every official and open run read again), the whole `Workflow.tasks`
  call, and an act's access check the old way and through `person_in` (both inside an empty
  write transaction, which every act pays anyway);
- the Application's `/tugas` and `/status` updates per second against a plain PTB echo bot
  (measured in this run too), with the targets of issue 15 (≥ 0.7× and ≥ 0.3×).

The per-call figures are printed against one whole echo update (ms per update), so their ratio
says how much of a bare update's cost they take. The echo bot is measured before and after the
bot and the faster run is the baseline (a shared machine's moment of load only lowers ratios).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.workflow import Workflow
from bot.workflow.readmodel import ReadModel
from devtools.bench.city import (
    ADMIN_ID,
    BOT_USERNAME,
    KADIS_ID,
    PETUGAS_ID,
    TOKEN,
    city_app,
    open_collect_run,
)
from devtools.bench.common import Figure, Figures, median
from devtools.bench.throughput import Rates, _texts, measure_echo
from devtools.standin import BotApiStandin
from devtools.standin.driver import running
from storage import cycles, people

GROUP = "reads"


async def _per_call(call: Callable[[], Awaitable[object]], n: int) -> float:
    """Median ms per call of `call`, over ``n`` calls in batches of 10 (after 10 to warm)."""
    for _ in range(10):
        await call()
    batches = []
    for _ in range(max(n // 10, 1)):
        start = time.perf_counter()
        for _ in range(10):
            await call()
        batches.append((time.perf_counter() - start) / 10)
    return median(batches) * 1000


async def micro(wf: Workflow, users: list[int], n: int) -> dict[str, float]:
    """ms per call of each read path (see the module's docstring)."""
    db, today = wf.db, wf.core.today()
    turn = iter(range(10**9))

    def who() -> int:
        return users[next(turn) % len(users)]

    async def orm_tugas_reads() -> None:
        async with db.read() as s:
            await people.person_by_telegram(s, who(), today)
            await cycles.open_runs_with_cycles(s)

    async def model_tugas_reads() -> None:
        await wf.core.reads.fresh()
        wf.core.reads.person(who(), today)
        wf.core.reads.open_runs()

    async def model_reload() -> None:
        await ReadModel(db).fresh()  # an empty memory: every area is read

    async def tasks_call() -> None:
        await wf.views.tasks(who())

    async def orm_access() -> None:
        async with db.transaction() as s:
            await people.person_by_telegram(s, who(), today)

    async def model_access() -> None:
        async with db.transaction() as s:
            await wf.core.reads.person_in(s, who(), today)

    async def status_call() -> None:
        await wf.views.status(PETUGAS_ID)

    out = {}
    for name, call, count in (
        ("/tugas reads, ORM session (before)", orm_tugas_reads, n),
        ("/tugas reads, read model hit (after)", model_tugas_reads, n),
        ("read model reload (a stamp moved)", model_reload, max(n // 5, 10)),
        ("Workflow.tasks, whole (after)", tasks_call, n),
        ("access check in an act's transaction, ORM query (before)", orm_access, n),
        ("access check in an act's transaction, person_in (after)", model_access, n),
        ("Workflow.status, whole (after)", status_call, max(n // 5, 10)),
    ):
        out[name] = await _per_call(call, count)
    return out


async def measure(
    url: str, *, offices: int, officials: int, updates: int, status_updates: int, n: int
) -> tuple[dict[str, float], Rates]:
    rates = Rates()
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        with tempfile.TemporaryDirectory(prefix="dik-bench-reads-") as tmp:
            app, cast = await city_app(
                url, Path(tmp), standin, offices=offices, officials=officials
            )
            async with running(app, standin, action_timeout=600) as chat:
                wf = app.bot_data.workflow
                assert wf is not None
                await open_collect_run(wf)
                calls = await micro(wf, cast.everyone, n)
                warm = max(updates // 10, 3)
                tugas = _texts(standin, cast.everyone, "/tugas", updates + warm)
                await rates.measure("/tugas", chat, tugas, warm)
                status_users = [PETUGAS_ID, KADIS_ID, ADMIN_ID]
                status = _texts(standin, status_users, "/status", status_updates + 3)
                await rates.measure("/status", chat, status, 3)
    return calls, rates


async def read_figures(
    databases: list[tuple[str, str]],
    *,
    offices: int,
    officials: int,
    updates: int,
    status_updates: int,
    n: int,
) -> Figures:
    echoes = [await measure_echo(officials, updates, status_updates, 2, rate_limiter=False)]
    measured = []
    for label, url in databases:
        calls, rates = await measure(
            url,
            offices=offices,
            officials=officials,
            updates=updates,
            status_updates=status_updates,
            n=n,
        )
        measured.append((label, calls, rates))
    # the echo bot once more after the bot: the faster of the two, so that a moment of load on
    # a shared machine does not flatter the ratios
    echoes.append(await measure_echo(officials, updates, status_updates, 2, rate_limiter=False))
    echo = Rates(
        per_second={k: max(e.per_second[k] for e in echoes) for k in ("/tugas", "/status")}
    )
    echo_ms = 1000 / echo.per_second["/tugas"]
    out: Figures = [
        Figure(GROUP, "plain PTB echo: one text update (the faster of two runs)", echo_ms, "ms")
    ]
    for label, calls, rates in measured:
        for name, ms in calls.items():
            out.append(Figure(GROUP, f"{name} ({label}) vs one echo update", ms, "ms", echo_ms))
        for kind, target in (("/tugas", 0.7), ("/status", 0.3)):
            out.append(
                Figure(
                    GROUP,
                    f"{kind}, {officials} officials ({label}) vs plain PTB echo",
                    rates.per_second[kind],
                    "upd/s",
                    baseline=echo.per_second[kind],
                    limit=target,
                    on="ratio",
                    at_most=False,
                    note=f"{label} {kind}: {rates.errors[kind]}" if kind in rates.errors else "",
                )
            )
    return out
