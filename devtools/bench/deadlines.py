"""Issue 4: the sweeper over many open step runs, and broadcasts under Telegram's limits.

* Sweeper: ``runs`` open step runs (one per cycle, steps 1-10 in turn, each held by the role the
  SOP names) are bulk-inserted; ``owing`` of them are due or overdue now, the rest due later.
  ``Workflow.sweep()`` is timed once (it writes the nudges owed) and then again (nothing new).
* Broadcasts, through the real Application against the stand-in with ``enforce_rate_limits``
  (429 beyond 30 sends/s overall or 1 send/s per chat): one numbered letter queued for the PPID
  Pembantu of ``offices`` OPDs and delivered by ``OutboxSender.flush()``; and the Kepala Dinas's
  tap on Setujui at step 2, which fans the Surat Dinas and each OPD's Form DIK out to every OPD.
"""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bot.documents import letters as L
from bot.sop.kinds import first_phase, holder_of
from bot.workflow import Workflow
from devtools.bench.city import (
    BOT_USERNAME,
    KADIS_ID,
    PETUGAS_ID,
    START,
    TOKEN,
    city_app,
    fresh_database,
    seed_city,
    settings_for,
    workflow_for,
)
from devtools.bench.common import Figure, Figures, median, time_awaits
from devtools.standin import BotApiStandin
from devtools.standin.driver import running
from devtools.standin.faults import SENDING_METHODS, FloodLimiter
from storage import documents
from storage.models import Cycle, Nudge, StepRun

GROUP = "deadlines"
TELEGRAM_RATE = 30.0  # messages per second, overall


# ---------------------------------------------------------------------------------------------
# The sweeper


async def seed_open_runs(wf: Workflow, runs: int, owing: int) -> None:
    """``runs`` cycles with one open run each; every ``runs // owing``-th is due or overdue."""
    now = wf.core.now()
    cal = wf.core.calendar
    later = cal.add_working_days(now, 3)
    earlier_today = now - timedelta(minutes=30)
    last_friday = now - timedelta(days=3)  # START is a Monday: overdue by one working day
    every = max(runs // owing, 1) if owing else runs + 1
    cycles = [
        {
            "sop_key": wf.core.sop.key,
            "year": 2026,
            "title": f"DIK bench {i}",
            "status": "open",
            "current_step": i % 10 + 1,
            "started_at": now - timedelta(days=3),
        }
        for i in range(runs)
    ]
    async with wf.db.transaction() as s:
        await s.execute(insert(Cycle), cycles)
        first = int(await s.scalar(select(func.min(Cycle.id))) or 1)
        rows = []
        for i in range(runs):
            step = wf.core.sop.step(i % 10 + 1)
            phase = first_phase(step)
            role = holder_of(step, phase)
            owes = i % every == 0
            due = (earlier_today if i % (2 * every) == 0 else last_friday) if owes else later
            rows.append(
                {
                    "cycle_id": first + i,
                    "step_key": step.key,
                    "step_no": step.id,
                    "phase": phase.name,
                    "attempt": 1,
                    "holder_role": role,
                    "status": "open",
                    "assigned_at": now - timedelta(days=2),
                    "due_at": due,
                    "version": 1,
                }
            )
        await s.execute(insert(StepRun), rows)


async def sweep_figures(url: str, label: str, runs: int = 10_000, owing: int = 100) -> Figures:
    with tempfile.TemporaryDirectory(prefix="dik-bench-sweep-") as tmp:
        wf = workflow_for(settings_for(await fresh_database(url), Path(tmp)))
        try:
            await seed_city(wf, offices=10)
            await seed_open_runs(wf, runs, owing)
            start = time.perf_counter()
            queued = await wf.nudges.sweep()
            first = time.perf_counter() - start
            again = await time_awaits(wf.nudges.sweep, repeat=3, warmup=0)
            async with wf.db.read() as s:
                nudges = int(await s.scalar(select(func.count()).select_from(Nudge)) or 0)
        finally:
            await wf.db.dispose()
    name = f"sweep {runs:,} open runs, {owing} owing"
    return [
        Figure(
            GROUP,
            f"{name}: 1st sweep ({label})",
            first,
            "s",
            limit=1.0,
            extra={"queued": queued, "nudges": nudges},
        ),
        Figure(GROUP, f"{name}: next sweep, nothing new ({label})", median(again), "s", limit=1.0),
        Figure(
            GROUP,
            f"{name}: 1st sweep per owing run ({label})",
            (first - median(again)) / max(owing, 1) * 1000,
            "ms",
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Broadcasts


def _delivered(standin: BotApiStandin) -> int:
    """Messages the stand-in holds (a call answered 429 delivered nothing)."""
    return sum(len(standin.sent(uid)) for uid in list(standin.users))


def _sends_since(standin: BotApiStandin, since: float) -> list[float]:
    """Times of the send calls since ``since``, those answered 429 included."""
    return [
        t for method, _p, t in standin.calls if method.lower() in SENDING_METHODS and t >= since
    ]


def _limited(standin: BotApiStandin) -> None:
    """Fresh flood windows and counters, then Telegram's limits on."""
    standin.flood = FloodLimiter()
    standin.stats.clear()
    standin.enforce_rate_limits = True


def _broadcast_figures(
    label: str, messages: int, seconds: float, standin: BotApiStandin, note: str = ""
) -> Figures:
    target = 1.15 * messages / TELEGRAM_RATE
    return [
        Figure(
            GROUP,
            f"{label}: {messages} messages",
            seconds,
            "s",
            limit=round(target, 2),
            note=note,
            extra={"messages_per_second": messages / seconds if seconds else None},
        ),
        Figure(GROUP, f"{label}: messages per second", messages / seconds, "/s"),
        Figure(GROUP, f"{label}: 429 answers", standin.stats["429"], "", limit=0),
    ]


async def letter_broadcast(url: str, offices: int = 100) -> Figures:
    """One numbered letter to the PPID Pembantu of every OPD, through the outbox."""
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        with tempfile.TemporaryDirectory(prefix="dik-bench-bc-") as tmp:
            app, _cast = await city_app(url, Path(tmp), standin, offices=offices)
            async with running(app, standin, action_timeout=600):
                wf = app.bot_data.workflow
                sender = app.bot_data.sender
                assert wf is not None and sender is not None
                await sender.flush()
                letter = L.render_letter(
                    L.NotaDinas(
                        L.OrgInfo(),
                        L.LetterHead("000.9/001/Kominfo/XI/2026", START.date(), "Pemberitahuan"),
                        L.Signer("Kepala Dinas", "Wildrian Otta"),
                        START.date(),
                    )
                )
                async with wf.db.transaction() as s:
                    cycle = Cycle(
                        sop_key=wf.core.sop.key,
                        year=2026,
                        title="DIK 2026",
                        status="open",
                        current_step=10,
                        started_at=wf.core.now(),
                    )
                    s.add(cycle)
                    await s.flush()
                    doc = await documents.add_document(
                        s,
                        cycle_id=cycle.id,
                        step_no=10,
                        kind="surat_permintaan",
                        filename="Surat_Dinas_DIK_2026.docx",
                        mime_type="application/docx",
                        content=letter,
                        now=wf.core.now(),
                        letter_number="000.9/001/Kominfo/XI/2026",
                    )
                    for person in await wf.core.holders(s, "ppid_pembantu"):
                        await wf.core.tell(
                            s, person, "Surat Dinas DIK 2026", documents=[doc], actor=None
                        )
                _limited(standin)
                before = _delivered(standin)
                start = time.monotonic()
                await sender.flush()
                seconds = time.monotonic() - start
                sent = _delivered(standin) - before
            return _broadcast_figures(
                f"one letter to {offices} OPDs (outbox)", sent, seconds, standin
            )


async def approval_fanout(url: str, offices: int = 100) -> Figures:
    """The Kepala Dinas taps Setujui at step 2: the letter and every OPD's Form DIK go out."""
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        with tempfile.TemporaryDirectory(prefix="dik-bench-fan-") as tmp:
            app, _cast = await city_app(url, Path(tmp), standin, offices=offices)
            async with running(app, standin, action_timeout=600) as chat:
                wf = app.bot_data.workflow
                assert wf is not None
                kadis = chat.person(KADIS_ID, "Wildrian Otta")
                petugas = chat.person(PETUGAS_ID, "Lumongga Simanjuntak")
                await petugas.say("/mulai 2026")
                for who, button in (
                    (petugas, "📤 Ajukan"),
                    (kadis, "✅ Setujui"),
                    (petugas, "📤 Ajukan"),
                ):
                    await who.tap(button)
                _limited(standin)
                before = _delivered(standin)
                start = time.monotonic()
                await kadis.tap("✅ Setujui")
                total = time.monotonic() - start
                sends = _sends_since(standin, start)
                sent = _delivered(standin) - before
            delivery = sends[-1] - sends[0] if sends else 0.0
            figures = _broadcast_figures(
                f"step-2 approval to {offices} OPDs, delivery",
                sent,
                delivery,
                standin,
                note="each OPD gets two messages (the Surat Dinas, then its own Form DIK), the "
                "Kepala Dinas and the petugas one or two; the target is scaled to the messages "
                "delivered: 1.15 × messages / 30 s; the time runs from the first send to the last",
            )
            figures.append(
                Figure(
                    GROUP, f"step-2 approval to {offices} OPDs: tap to last delivery", total, "s"
                )
            )
            return figures
