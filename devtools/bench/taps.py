"""Issue 15: what people feel around one tap, with Telegram's flood limits on.

* Echo baseline: a bare PTB bot in **another process** (devtools/bench/echo_bot.py) answers taps
  and texts from this process's stand-in; tap → answerCallbackQuery and text → reply, p50/p99.
* The step-2 approval for ``offices`` OPDs (20 and 300; 1,000 with ``DIK_BENCH_BIG=1``): the
  Kepala Dinas taps Setujui; while the act runs, ``bystanders`` officials send ``/tugas``.
  Figures: tap → answerCallbackQuery, the act's call (one transaction; documents are still
  rendered inside it), tap → the first OPD has its message to act on (the Form DIK with its
  buttons), tap → the last OPD has it, each bystander's /tugas answer, 429s, and the peak RSS
  of this process (bot and stand-in together: an upper bound of the bot's).
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from devtools.bench.city import BOT_USERNAME, KADIS_ID, PETUGAS_ID, TOKEN, city_app
from devtools.bench.common import Figure, Figures, median, percentile, wait_until
from devtools.bench.deadlines import _limited
from devtools.standin import BotApiStandin
from devtools.standin.driver import running
from devtools.standin.state import WAIT_LIMIT

GROUP = "taps"
ROOT = Path(__file__).resolve().parent.parent.parent


def sizes(default: tuple[int, ...]) -> tuple[int, ...]:
    """The fan-outs measured; 1,000 OPDs too with DIK_BENCH_BIG=1 (it takes minutes)."""
    return (*default, 1000) if os.environ.get("DIK_BENCH_BIG") == "1" else default


def _answered_at(standin: BotApiStandin, since: float) -> float | None:
    times = [t for m, _p, t in standin.calls if m.lower() == "answercallbackquery" and t >= since]
    return times[0] if times else None


def _sent_at(standin: BotApiStandin, chat: int, since: float, *, buttons: bool) -> float | None:
    for m, p, t in standin.calls:
        if t < since or str(p.get("chat_id")) != str(chat):
            continue
        if m.lower() not in ("sendmessage", "senddocument"):
            continue
        if buttons and not p.get("reply_markup"):
            continue
        return t
    return None


def _has_answer(standin: BotApiStandin, since: float) -> bool:
    return _answered_at(standin, since) is not None


def _has_reply(standin: BotApiStandin, chat: int, since: float) -> bool:
    return _sent_at(standin, chat, since, buttons=False) is not None


async def echo_baseline(taps: int) -> dict[str, list[float]]:
    """Tap → answer and text → reply of a bare PTB bot that runs in another process."""
    out: dict[str, list[float]] = {"tap": [], "text": []}
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        uid = 50_001
        standin.add_user(uid, "Pengguna").started = True
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "devtools.bench.echo_bot", standin.base_url, env=env, cwd=ROOT
        )
        try:
            for i in range(taps + 3):  # the first three warm it up
                start = time.monotonic()
                standin.push_callback(uid, 1, f"tap:{i}")
                ok = await wait_until(partial(_has_answer, standin, start), WAIT_LIMIT)
                answered = _answered_at(standin, start)
                if i >= 3 and ok and answered is not None:
                    out["tap"].append(answered - start)
                start = time.monotonic()
                standin.push_text(uid, f"teks {i}")
                await wait_until(
                    partial(_has_reply, standin, uid, start),
                    WAIT_LIMIT,
                )
                replied = _sent_at(standin, uid, start, buttons=False)
                if i >= 3 and replied is not None:
                    out["text"].append(replied - start)
        finally:
            proc.terminate()
            await proc.wait()
    return out


async def approval(url: str, offices: int, bystanders: int = 10) -> dict[str, Any]:
    """The step-2 approval to ``offices`` OPDs, measured as its people feel it."""
    async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        with tempfile.TemporaryDirectory(prefix="dik-bench-tap-") as tmp:
            app, cast = await city_app(url, Path(tmp), standin, offices=offices)
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
                await app.bot_data.sender.idle()  # type: ignore[union-attr]
                acts: list[float] = []
                act = wf.acts.act

                async def timed_act(*args: Any, **kw: Any) -> Any:
                    begun = time.perf_counter()
                    try:
                        return await act(*args, **kw)
                    finally:
                        acts.append(time.perf_counter() - begun)

                wf.acts.act = timed_act  # type: ignore[method-assign,assignment]
                _limited(standin)
                message_id, data = standin.find_button(KADIS_ID, "✅ Setujui")
                start = time.monotonic()
                standin.push_callback(KADIS_ID, message_id, data)
                asked = cast.others[:bystanders] + cast.ppid[: max(0, bystanders - 5)]
                asked_at: dict[int, float] = {}
                for uid in asked[:bystanders]:
                    await asyncio.sleep(0.05)
                    asked_at[uid] = time.monotonic()
                    standin.push_text(uid, "/tugas")
                holders = cast.ppid[:offices]

                def served() -> bool:
                    return all(
                        _sent_at(standin, uid, start, buttons=True) is not None for uid in holders
                    )

                await wait_until(served, WAIT_LIMIT * 5, step=0.05)
                await app.bot_data.sender.idle()  # type: ignore[union-attr]
                workers = [_peak_rss_mb(pid) for pid in wf.core.renders.worker_pids()]
                wf.acts.act = act  # type: ignore[method-assign]
                answered = _answered_at(standin, start)
                firsts = [_sent_at(standin, uid, start, buttons=True) for uid in holders]
                got = [t for t in firsts if t is not None]
                tugas = []
                for uid, asked_time in asked_at.items():
                    t = _sent_at(standin, uid, asked_time, buttons=False)
                    t2 = _sent_at(standin, uid, asked_time, buttons=True)
                    done = min(x for x in (t, t2) if x is not None) if (t or t2) else None
                    if done is not None:
                        tugas.append(done - asked_time)
                return {
                    "answer": None if answered is None else answered - start,
                    "act": acts[0] if acts else None,
                    "first": min(got) - start if got else None,
                    "last": max(got) - start if got else None,
                    "served": len(got),
                    "tugas": tugas,
                    "429": standin.stats["429"],
                    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    "worker_rss_mb": max((w for w in workers if w), default=None),
                }


def _peak_rss_mb(pid: int) -> float | None:
    """A live process's peak resident memory (VmHWM), in MB; None where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def tap_figures(url: str, label: str, echo_taps: int, fanouts: tuple[int, ...]) -> Figures:
    echo = await echo_baseline(echo_taps)
    echo_p99 = percentile(echo["tap"], 99)
    out: Figures = [
        Figure(
            GROUP, "echo bot (other process): tap → answer, p50", median(echo["tap"]) * 1e3, "ms"
        ),
        Figure(GROUP, "echo bot (other process): tap → answer, p99", echo_p99 * 1e3, "ms"),
        Figure(
            GROUP,
            "echo bot (other process): text → reply, p99",
            percentile(echo["text"], 99) * 1e3,
            "ms",
        ),
    ]
    for offices in fanouts:
        r = await approval(url, offices)
        name = f"step-2 approval, {offices} OPDs ({label})"
        answer = r["answer"]
        out.append(
            Figure(
                GROUP,
                f"{name}: tap → answerCallbackQuery",
                None if answer is None else float(answer) * 1e3,  # type: ignore[arg-type]
                "ms",
                baseline=echo_p99 * 1e3,
                limit=2,
                on="ratio",
                note="target: ≤ 2 × the echo bot's tap → answer p99",
            )
        )
        act_limit = {300: 0.2, 1000: 0.5}.get(offices)
        out.append(Figure(GROUP, f"{name}: the act's transaction", r["act"], "s", limit=act_limit))  # type: ignore[arg-type]
        out.append(
            Figure(
                GROUP,
                f"{name}: tap → first OPD has its message to act on",
                r["first"],
                "s",
                limit=1.2,
            )  # type: ignore[arg-type]
        )
        served = int(r["served"])  # type: ignore[call-overload]
        out.append(
            Figure(
                GROUP,
                f"{name}: tap → last OPD has it ({served} served, {r['429']} × 429)",
                r["last"],  # type: ignore[arg-type]
                "s",
                limit=1.15 * 2 * offices / 29,
                note="target 1.15 × messages / 29 s, two messages per OPD (letter, Form DIK)",
            )
        )
        tugas: list[float] = r["tugas"]  # type: ignore[assignment]
        if tugas:
            out.append(
                Figure(
                    GROUP,
                    f"{name}: a bystander's /tugas during it, p99 of {len(tugas)}",
                    percentile(tugas, 99),
                    "s",
                    limit=0.3 if offices == 300 else None,
                )
            )
        out.append(
            Figure(
                GROUP,
                f"{name}: peak RSS, bot and stand-in in one process",
                r["rss_mb"],  # type: ignore[arg-type]
                "MB",
                limit=150 if offices == 300 else None,
            )
        )
        out.append(
            Figure(
                GROUP,
                f"{name}: peak RSS of the render worker process",
                r["worker_rss_mb"],  # type: ignore[arg-type]
                "MB",
                note="RENDER_PROCESSES=1: the documents are rendered there, after the act",
            )
        )
    return out
