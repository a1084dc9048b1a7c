"""The render worker: documents queued by the acts are rendered here, after their commit.

The act wrote each document's row and a job holding the snapshot of what it shows
(storage.render_jobs); this queue renders the snapshots outside the event loop (a process
pool: openpyxl and docxtpl are pure Python and would hold the GIL, stalling every update, in
a thread), then stores each content and its job's result in one short transaction. A job that
fails is tried again with backoff; after `REPORT_AFTER` failures it is logged once and shown
in /health and /admin, and still tried (every `MAX_BACKOFF_SECONDS`). Nothing is kept in
memory: a crash leaves the jobs in the table, and the next start renders them.

Job times are the wall clock's (the machinery's), not the workflow's clock (business time,
which tests may stop)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

from bot.documents.renderers import render_snapshot
from storage import render_jobs
from storage.db import Database
from storage.render_jobs import Rendered, RenderJobDTO

logger = logging.getLogger(__name__)

#: Jobs rendered, then stored, at a time (the first documents go out after one batch).
BATCH = 8
#: Pause before the n-th retry: BASE × 2^(n-1), at most MAX.
BASE_BACKOFF_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 600.0
#: Failures after which a job is logged (once) and reported in /health and /admin.
REPORT_AFTER = 3
#: With nothing due, how long the worker sleeps before it looks again (jobs queued by another
#: process, e.g. a bot that crashed, are found then; this process's acts wake it at once).
IDLE_SECONDS = 60.0


def wall_now() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int) -> timedelta:
    """The pause after the `attempts`-th failure."""
    return timedelta(
        seconds=min(BASE_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)
    )


def _warm() -> None:
    """Run in each worker process at its start: the renderers' imports are paid once."""
    import bot.documents.renderers  # noqa: F401  (already imported by the pickled target)


class RenderQueue:
    """Renders the queued jobs of one database, in the background of this process's loop."""

    def __init__(self, db: Database, processes: int) -> None:
        self.db = db
        self.processes = processes
        self._pool: Executor | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._quiet: asyncio.Event | None = None
        #: Called after contents were stored (the outbox sender looks again).
        self.on_rendered: list[Callable[[], None]] = []
        self.rendered = 0
        self.failures = 0
        db.render_listeners.append(self.kick)

    # --- the loop-bound parts, made again if the loop changed (tests run several) -------
    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._wake = asyncio.Event()
            self._lock = asyncio.Lock()
            self._quiet = asyncio.Event()
            self._quiet.set()
            self._task = None
        return loop

    def _executor(self) -> Executor | None:
        """The process pool (started at the first job); None: the default thread pool."""
        if self.processes <= 0:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                # spawn: the bot has threads (aiosqlite, the pool's); forking it is unsafe
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm,
            )
        return self._pool

    def kick(self) -> None:
        """Something was queued (or may be due): make sure the worker runs and looks."""
        try:
            self._bind()
        except RuntimeError:  # no running loop (a synchronous caller): the next start renders
            return
        assert self._wake is not None and self._quiet is not None
        self._wake.set()
        self._quiet.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="render-jobs")

    @property
    def busy(self) -> bool:
        """Whether the worker has work due now (not only retries waiting for their time)."""
        return self._quiet is not None and not self._quiet.is_set()

    async def idle(self) -> None:
        """Wait until nothing is due (the tests' drain: what the acts queued is stored)."""
        if self._quiet is not None and self._loop is asyncio.get_running_loop():
            await self._quiet.wait()

    async def _run(self) -> None:
        assert self._wake is not None and self._quiet is not None
        try:
            while True:
                self._wake.clear()
                try:
                    if await self._round():
                        continue
                    async with self.db.read() as s:
                        next_at = await render_jobs.next_due_at(s)
                except asyncio.CancelledError:
                    raise
                except Exception:  # the jobs stay queued; look again after a pause
                    logger.exception("render worker round failed")
                    next_at = wall_now() + timedelta(seconds=5)
                if self._wake.is_set():
                    continue
                self._quiet.set()  # nothing due now
                if next_at is None:
                    return  # nothing left: the next commit that queues a job starts it again
                wait = max(0.05, min((next_at - wall_now()).total_seconds(), IDLE_SECONDS))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
                self._quiet.clear()
        finally:
            self._quiet.set()

    async def _round(self, only: Iterable[int] | None = None) -> int:
        """Render one batch of due jobs (or the pending jobs of `only`); how many were tried."""
        loop = self._bind()
        assert self._lock is not None
        async with self._lock:
            async with self.db.read() as s:
                if only is None:
                    jobs = await render_jobs.due(s, wall_now(), BATCH)
                else:
                    jobs = await render_jobs.pending_among(s, list(only))
            if not jobs:
                return 0
            pool = self._executor()
            results = await asyncio.gather(
                *(
                    loop.run_in_executor(pool, render_snapshot, j.renderer, j.snapshot)
                    for j in jobs
                ),
                return_exceptions=True,
            )
            if any(isinstance(r, BrokenExecutor) for r in results) and self._pool is not None:
                logger.warning("a render worker process died: starting a new pool")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            await self._store(jobs, results)
            return len(jobs)

    async def _store(
        self, jobs: list[RenderJobDTO], results: Sequence[bytes | BaseException]
    ) -> None:
        done = [
            Rendered(j.id, j.document_id, r)
            for j, r in zip(jobs, results, strict=True)
            if isinstance(r, bytes)
        ]
        now = wall_now()
        async with self.db.transaction() as s:
            await render_jobs.finish(s, done, now)
            for job, result in zip(jobs, results, strict=True):
                if isinstance(result, bytes):
                    continue
                if not isinstance(result, Exception):  # KeyboardInterrupt, SystemExit...
                    raise result  # type: ignore[misc]
                error = f"{type(result).__name__}: {result}"
                attempts = await render_jobs.failed(
                    s, job.id, error, now + backoff(job.attempts + 1)
                )
                self.failures += 1
                if attempts == REPORT_AFTER:
                    logger.error(
                        "document %s could not be rendered after %s attempts (%s); "
                        "still retrying every %.0f s at most",
                        job.document_id,
                        attempts,
                        error,
                        MAX_BACKOFF_SECONDS,
                    )
                else:
                    logger.info("render of document %s failed (%s)", job.document_id, error)
        self.rendered += len(done)
        if done:
            for listener in self.on_rendered:
                listener()

    async def drain(self) -> int:
        """Render every job due now (tests, the sweeper, and before a flush); how many."""
        total = 0
        while n := await self._round():
            total += n
        return total

    async def ensure(self, document_ids: Iterable[int]) -> None:
        """Render these documents now if they are still queued (something needs their
        content at once: an archive, a file sent outside the outbox)."""
        await self._round(only=list(document_ids))

    def worker_pids(self) -> list[int]:
        """The pool's worker processes now (the benchmark reads their memory)."""
        if not isinstance(self._pool, ProcessPoolExecutor):
            return []
        return list(getattr(self._pool, "_processes", {}) or {})

    async def stop(self) -> None:
        """At shutdown: stop the worker (what is not rendered stays queued) and its pool."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
