"""Issue 6: the bot's peak RSS, as a separate process (``python -m bot run``).

The bot long-polls the stand-in in this process, on a seeded SQLite file, while the officials
do a busy morning: everyone asks ``/tugas``, the petugas asks ``/status`` (no cycle yet: no
chart), a cycle is started and steps 1 and 2 are approved (the Surat Dinas and every OPD's Form
DIK go out to ``offices`` OPDs), and ``uploads`` OPDs upload a Form DIK of ``form_rows`` rows.
Then the petugas asks ``/status`` once more, which draws the cycle's timeline chart (Pillow), so
the peak is given before and after the first chart. The peak is the kernel's
high-water mark of the bot's resident set (``VmHWM`` in ``/proc/<pid>/status``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from devtools.bench.city import (
    BOT_USERNAME,
    KADIS_ID,
    PETUGAS_ID,
    TOKEN,
    fresh_database,
    seed_city,
    settings_for,
    sqlite_url,
    workflow_for,
)
from devtools.bench.common import Figure, Figures, wait_until
from devtools.bench.documents import filled_form
from devtools.standin import XLSX_MIME, BotApiStandin

GROUP = "memory"
ROOT = Path(__file__).resolve().parents[2]
#: Seconds without a new message: the bot has done what the update asked (longer than the
#: outbox's pause between two messages to one chat, OUTBOX_CHAT_GAP_SECONDS).
QUIET = 1.5


def proc_status_kb(pid: int, field: str) -> int | None:
    """A ``kB`` field (``VmHWM``, ``VmRSS``) of ``/proc/<pid>/status``, or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


async def _answered(
    standin: BotApiStandin,
    users: list[int],
    push: Callable[[], object],
    timeout: float = 300,  # noqa: ASYNC109
) -> None:
    """Push, wait until each of ``users`` got a message, then until the bot is quiet for
    ``QUIET`` seconds (it may still be sending to others)."""
    mark = standin.mark()
    push()
    done = await wait_until(
        lambda: all(standin.changes_since(mark, uid) for uid in users), timeout, step=0.02
    )
    if not done:
        raise RuntimeError(f"the bot did not answer within {timeout} s")
    while True:
        mark = standin.mark()
        await asyncio.sleep(QUIET)
        if standin.mark() == mark:
            return


def _has_button(standin: BotApiStandin, uid: int, label: str) -> bool:
    try:
        standin.find_button(uid, label)
    except AssertionError:
        return False
    return True


async def _workload(
    standin: BotApiStandin, everyone: list[int], ppid: list[int], form: bytes, uploads: int
) -> None:
    await _answered(standin, everyone, lambda: [standin.push_text(u, "/tugas") for u in everyone])
    for _ in range(10):
        await _answered(standin, [PETUGAS_ID], lambda: standin.push_text(PETUGAS_ID, "/status"))
    await _answered(standin, [PETUGAS_ID], lambda: standin.push_text(PETUGAS_ID, "/mulai 2026"))
    for uid, label in (
        (PETUGAS_ID, "📤 Ajukan"),
        (KADIS_ID, "✅ Setujui"),
        (PETUGAS_ID, "📤 Ajukan"),
        (KADIS_ID, "✅ Setujui"),
    ):
        # the task's document is rendered after the act (the worker process): wait for it
        await wait_until(partial(_has_button, standin, uid, label), 300, step=0.05)
        message_id, data = standin.find_button(uid, label)
        await _answered(standin, [uid], partial(standin.push_callback, uid, message_id, data))
    for uid in ppid[:uploads]:
        upload = partial(standin.push_document, uid, "Form DIK.xlsx", form, XLSX_MIME)
        await _answered(standin, [uid], upload)


async def peak_rss(
    *, offices: int = 100, officials: int = 200, form_rows: int = 1000, uploads: int = 5
) -> Figures:
    form = filled_form(form_rows)
    with tempfile.TemporaryDirectory(prefix="dik-bench-rss-") as tmp:
        workdir = Path(tmp)
        url = await fresh_database(sqlite_url(workdir, "rss"))
        wf = workflow_for(settings_for(url, workdir))
        try:
            cast = await seed_city(wf, offices=offices, officials=officials)
        finally:
            await wf.db.dispose()
        async with BotApiStandin(token=TOKEN, bot_username=BOT_USERNAME) as standin:
            for uid in cast.everyone:
                standin.add_user(uid, f"Pejabat {uid}").started = True
            env = os.environ | {
                "DIK_HOME": str(workdir),
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BOT_USERNAME": BOT_USERNAME,
                "TELEGRAM_API_BASE_URL": standin.base_url,
                "DATABASE_URL": url,
                "PUBLISH_DIR": str(workdir / "publik"),
                "PUBLIC_BASE_URL": "https://ppid.kupangkota.go.id/dik",
                "LOG_LEVEL": "ERROR",
                # the project may run from its checkout without being installed in the venv
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
                ),
            }
            log = workdir / "bot.log"
            with log.open("wb") as err:
                proc = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    cwd=workdir,
                    env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=err,
                )
                try:
                    polling = await wait_until(
                        lambda: any(m == "getUpdates" for m, _p, _t in standin.calls), 60
                    )
                    if not polling or proc.returncode is not None:
                        raise RuntimeError(f"the bot did not start: {log.read_text()[-2000:]}")
                    idle = proc_status_kb(proc.pid, "VmRSS")
                    await _workload(standin, cast.everyone, cast.ppid, form, uploads)
                    peak = proc_status_kb(proc.pid, "VmHWM")
                    # the first timeline chart (Pillow draws it)
                    await _answered(
                        standin, [PETUGAS_ID], lambda: standin.push_text(PETUGAS_ID, "/status")
                    )
                    charted = proc_status_kb(proc.pid, "VmHWM")
                    forms = sum(
                        1
                        for uid in cast.ppid
                        for m in standin.sent(uid)
                        if m.document and (m.document.filename or "").endswith(".xlsx")
                    )
                    end = proc_status_kb(proc.pid, "VmRSS")
                finally:
                    await _stop(proc)
    if peak is None:
        raise RuntimeError("VmHWM not readable (is /proc mounted?)")
    return [
        Figure(
            GROUP,
            f"peak RSS of `python -m bot run` ({len(cast.everyone)} officials, {offices} OPDs)",
            peak / 1024,
            "MB",
            limit=150,
            extra={"rss_idle_mb": (idle or 0) / 1024, "rss_end_mb": (end or 0) / 1024},
            note=""
            if forms >= len(cast.ppid)
            else f"only {forms} of {len(cast.ppid)} PPID Pembantu got their Form DIK",
        ),
        Figure(
            GROUP,
            "peak RSS after a /status with its timeline chart",
            (charted or 0) / 1024,
            "MB",
            limit=150,
        ),
        Figure(GROUP, "RSS after start-up, before any update", (idle or 0) / 1024, "MB"),
    ]


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
