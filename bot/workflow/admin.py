"""What the people who run the bot need: health facts (/health, `python -m bot health`) and a
view of recent errors and stuck steps (/admin).

The facts are plain data; the CLI prints them in English, the chat in Indonesian. Nothing here
talks to Telegram: the Bot API check (getMe) is done by the caller and handed in as a `Fact`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Settings
from bot.sop import load_checked
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from bot.workflow.officials import Officials
from bot.workflow.paperwork import Paperwork
from bot.workflow.render_queue import REPORT_AFTER
from storage import ops, render_jobs
from storage.db import Database
from storage.dto import PersonDTO

logger = logging.getLogger(__name__)

#: A message still unsent after this long means delivery is stuck (the sweep runs every minute).
OUTBOX_STALE = timedelta(minutes=30)
#: How long the health check waits for the database before calling it unreachable.
DB_TIMEOUT = 15.0
#: How far back /admin counts refused attempts.
REFUSALS_WINDOW = timedelta(days=7)
SHOW_FAILED = 8
SHOW_STUCK = 10
SHOW_CODES = 10

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"


@dataclass(frozen=True, slots=True)
class Fact:
    """One health fact. `key`: database, migrations, sop, outbox, render, overdue
    or bot_api."""

    key: str
    status: str  # ok / warn / fail / skip
    detail: dict[str, Any] = field(default_factory=dict)


def healthy(facts: list[Fact]) -> bool:
    """True unless a fact failed (warnings are reported but keep the bot "healthy")."""
    return all(f.status != FAIL for f in facts)


def _error(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"TimeoutError: no answer within {DB_TIMEOUT:g} s"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:200]


def sqlite_file_missing(url: str) -> str | None:
    """The path of a SQLite database file that does not exist yet (connecting would create it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    path = parsed.database
    if not path or path == ":memory:" or Path(path).is_file():
        return None
    return path


def sop_fact(settings: Settings, paperwork: Paperwork) -> Fact:
    """The SOP files parse, validate, and name only document kinds the bot can make."""
    folder = str(settings.sop_dir)
    try:
        registry = load_checked(settings.sop_dir, settings.sop_default, paperwork)
    except Exception as exc:  # a broken file (SopError or worse) is reported, never raised
        return Fact("sop", FAIL, {"file": folder, "error": str(exc)[:300]})
    sops = {k: registry.current(k) for k in registry.keys}
    return Fact(
        "sop",
        OK,
        {
            "file": folder,
            "sops": ", ".join(f"{k} v{s.version}" for k, s in sops.items()),
            # the default SOP's steps; the others named with theirs
            "steps": len(registry.current().steps),
            "others": ", ".join(
                f"{k} v{s.version} ({len(s.steps)} langkah)"
                for k, s in sops.items()
                if k != registry.default_key
            ),
        },
    )


def publish_fact(settings: Settings) -> Fact:
    """PUBLISH_DIR: the bot can write it (under systemd: it is in ReadWritePaths), and the web
    server can read it (every folder on the way open to others, o+x; every file o+r). With no
    PUBLIC_BASE_URL (no website yet) an unreadable folder is a warning, not a failure."""
    folder = settings.publish_dir
    detail: dict[str, Any] = {"folder": str(folder)}
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        return Fact("publish", FAIL, detail | {"problem": "not_writable", "where": str(existing)})
    closed = _closed_to_others(existing)
    if closed is not None:
        status = FAIL if settings.public_base_url else WARN
        return Fact("publish", status, detail | {"problem": "not_readable", "where": closed})
    return Fact("publish", OK, detail)


def _closed_to_others(folder: Path) -> str | None:
    """The first folder (from / down) others cannot enter, or file in `folder` they cannot
    read; None when the web server's user can read everything there."""
    for d in [*reversed(folder.parents), folder]:
        try:
            if not d.stat().st_mode & stat.S_IXOTH:
                return str(d)
        except OSError:
            return str(d)
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return str(folder)
    for f in entries:
        if f.is_file() and not f.name.startswith(".") and not f.stat().st_mode & stat.S_IROTH:
            return str(f)
    return None


def api_fact(*, configured: bool, username: str | None = None, error: str | None = None) -> Fact:
    """The Bot API check: skipped without a token, else getMe's answer or its error."""
    if not configured:
        return Fact("bot_api", SKIP, {"reason": "no token"})
    if error is not None:
        return Fact("bot_api", FAIL, {"error": error[:200]})
    return Fact("bot_api", OK, {"username": username or ""})


async def database_facts(url: str, now: datetime, db: Database | None = None) -> list[Fact]:
    """Database reachable, migrations at head, outbox backlog, overdue steps (never migrates)."""
    missing = sqlite_file_missing(url)
    backend = make_url(url).get_backend_name()
    if missing is not None:
        return [
            Fact("database", FAIL, {"backend": backend, "error": f"no database file {missing}"}),
            *_skipped("database"),
        ]
    own = db is None
    database = db or Database(url)
    try:
        try:
            async with asyncio.timeout(DB_TIMEOUT), database.read() as s:
                current = await ops.schema_revisions(s)
        except Exception as exc:  # any driver error (or the timeout) means "not reachable"
            logger.warning("health: database not reachable: %s", _error(exc))
            return [
                Fact("database", FAIL, {"backend": backend, "error": _error(exc)}),
                *_skipped("database"),
            ]
        facts = [Fact("database", OK, {"backend": backend})]
        head = ops.head_revisions()
        revs = {"current": ", ".join(sorted(current)) or None, "head": ", ".join(sorted(head))}
        if current != head:
            facts.append(Fact("migrations", FAIL, revs))
            return facts + _skipped("migrations")[1:]
        facts.append(Fact("migrations", OK, revs))
        async with database.read() as s:
            backlog = await ops.outbox_backlog(s)
            overdue = await ops.count_overdue(s, now)
            queued = await render_jobs.count_pending(s)
            failing, _ = await render_jobs.failing(s, REPORT_AFTER, 0)
        age = now - backlog.oldest if backlog.oldest else None
        facts.append(
            Fact(
                "outbox",
                WARN if age is not None and age > OUTBOX_STALE else OK,
                {
                    "pending": backlog.pending,
                    "oldest_minutes": None
                    if age is None
                    else max(0, int(age.total_seconds() // 60)),
                    "given_up": backlog.given_up,
                },
            )
        )
        facts.append(
            Fact("render", WARN if failing else OK, {"pending": queued, "failing": failing})
        )
        facts.append(Fact("overdue", WARN if overdue else OK, {"count": overdue}))
        return facts
    finally:
        if own:
            await database.dispose()


def _skipped(because: str) -> list[Fact]:
    return [
        Fact(k, SKIP, {"reason": because}) for k in ("migrations", "outbox", "render", "overdue")
    ]


class Admin:
    def __init__(self, core: WorkflowCore, officials: Officials) -> None:
        self.core = core
        self.officials = officials

    async def _require_admin(self, tg_user_id: int, action: str) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            return Outcome(True, "")

        return await self.core.guarded(tg_user_id, action, body)

    async def health_facts(self, api: Fact | None = None) -> list[Fact]:
        """The same facts as `python -m bot health`, for this running bot."""
        facts = await database_facts(self.core.db.url, self.core.now(), self.core.db)
        facts.insert(2, sop_fact(self.core.settings, self.core.paperwork))
        facts.insert(3, publish_fact(self.core.settings))
        return facts + ([api] if api is not None else [])

    async def health(self, tg_user_id: int, probe: Callable[[], Awaitable[Fact]]) -> Outcome:
        """/health (admin): the bot's health facts; `probe` checks the Bot API."""
        allowed = await self._require_admin(tg_user_id, "health")
        if not allowed.ok:
            return allowed
        facts = await self.health_facts(await probe())
        return Outcome(
            True,
            texts.render("admin", "health", facts=facts, healthy=healthy(facts)),
            data={"healthy": healthy(facts)},
        )

    async def admin_view(self, tg_user_id: int) -> Outcome:
        """/admin (admin): messages that failed, refused attempts by code, overdue steps."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            now = self.core.now()
            failed_total, failed = await ops.failed_messages(s, SHOW_FAILED)
            refusals = await ops.refusals_since(s, now - REFUSALS_WINDOW)
            stuck_total = await ops.count_overdue(s, now)
            stuck = await ops.overdue_runs(s, now, SHOW_STUCK)
            titles = {o.run.id: (await self.core.step_of(s, o.run)).title for o in stuck}
            orphans = await self.officials.orphan_tasks(s)  # type: ignore[attr-defined]
            unrendered_total, unrendered = await render_jobs.failing(s, REPORT_AFTER, SHOW_FAILED)
            return Outcome(
                True,
                texts.render(
                    "admin",
                    "admin_view",
                    failed_total=failed_total,
                    failed=[
                        {
                            "recipient": m.recipient,
                            "attempts": m.attempts,
                            "error": m.last_error[:150],
                            "when": self.core.fmt_time(m.created_at),
                            "given_up": m.given_up,
                        }
                        for m in failed
                    ],
                    refusals=refusals[:SHOW_CODES],
                    refusals_total=sum(n for _, n in refusals),
                    days=REFUSALS_WINDOW.days,
                    stuck_total=stuck_total,
                    stuck=[self._stuck_row(o, titles[o.run.id]) for o in stuck],
                    orphans=orphans,
                    unrendered_total=unrendered_total,
                    unrendered=[
                        {
                            "filename": j.filename,
                            "attempts": j.attempts,
                            "error": j.error[:150],
                            "since": self.core.fmt_time(j.since),
                        }
                        for j in unrendered
                    ],
                ),
                data={
                    "unrendered": unrendered_total,
                    "failed": failed_total,
                    "stuck": stuck_total,
                    "refusals": refusals,
                    "orphans": len(orphans),
                },
            )

        return await self.core.guarded(tg_user_id, "admin_view", body)

    def _stuck_row(self, o: ops.OverdueRun, title: str) -> dict[str, Any]:
        run = o.run
        return {
            "cycle": o.cycle_title,
            "step_no": run.step_no,
            "step": title,
            "holder": self.core.role_label(run.holder_role),
            "due": self.core.fmt_time(run.due_at),
            "late": self.core.late_days(run),
        }
