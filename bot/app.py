"""The composition root: `build_application(settings)` is the only place things are wired."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.sop import SopRegistry, load_checked
from bot.workdays import OfficeHours, WorkCalendar
from bot.workflow import Deps, Workflow
from bot.workflow.paperwork import Paperwork
from handlers import register_all
from handlers.context import BotApp, BotContext, Services
from handlers.dik import expiry_check, yearly_reminders
from handlers.durable import tell_unfinished
from handlers.menu import set_default_commands
from handlers.persistence import DbPersistence
from handlers.ratelimit import SplitRateLimiter
from handlers.sender import OutboxSender
from storage import migrate
from storage.db import Database

logger = logging.getLogger(__name__)
#: At shutdown, how long a delivery under way may go on before it is cut off (what is left
#: stays in the outbox for the next start).
SHUTDOWN_DELIVERY_SECONDS = 15.0


def load_checked_sops(settings: Settings, paperwork: Paperwork) -> SopRegistry:
    """The SOP files, with every document kind they name known to the paperwork."""
    return load_checked(settings.sop_dir, settings.sop_default, paperwork)


def build_workflow(settings: Settings, db: Database, clock: Clock) -> Workflow:
    paperwork = Paperwork(settings)
    calendar = WorkCalendar(
        settings.tz,
        workdays=settings.workdays,
        office_hours=OfficeHours(settings.office_start, settings.office_end),
    )
    return Workflow(
        Deps(
            db=db,
            sops=load_checked_sops(settings, paperwork),
            clock=clock,
            calendar=calendar,
            settings=settings,
            paperwork=paperwork,
        )
    )


def build_application(
    settings: Settings, *, clock: Clock | None = None, migrate_on_start: bool = True
) -> BotApp:
    """Build the PTB Application with the workflow, persistence and handlers wired in."""
    token = settings.require_token()
    db = Database(settings.database_url)
    workflow = build_workflow(settings, db, clock or SystemClock())
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=BotContext, bot_data=Services))
        .persistence(DbPersistence(db))
        .rate_limiter(SplitRateLimiter(max_retries=3))
        .concurrent_updates(settings.concurrent_updates)
        # A call that timed out may have been delivered, and is sent again: wait long enough.
        .read_timeout(settings.telegram_timeout)
        .write_timeout(settings.telegram_timeout)
        .media_write_timeout(max(settings.telegram_timeout, 20.0))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.api_base_url and settings.api_base_file_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(settings.api_base_file_url)
    app: BotApp = builder.build()  # type: ignore[assignment]
    app.bot_data.workflow = workflow
    app.bot_data.settings = settings
    app.bot_data.sender = OutboxSender(
        workflow, app.bot, chat_gap=settings.outbox_chat_gap_seconds
    )
    app.bot_data.sender.renders = workflow.core.renders
    workflow.core.renders.on_rendered.append(app.bot_data.sender.kick)
    app.bot_data.extras["migrate_on_start"] = migrate_on_start
    register_all(app)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    services: Services = app.bot_data
    assert services.workflow is not None and services.settings is not None
    if services.extras.get("migrate_on_start"):
        await migrate.upgrade(services.settings.database_url)
    await set_default_commands(app.bot)
    if app.job_queue is not None:
        every = timedelta(seconds=services.settings.sweep_interval_seconds)
        if every:
            app.job_queue.run_repeating(_sweep, interval=every, first=every, name="sweep:outbox")
        opening = services.settings.office_start.replace(tzinfo=services.settings.tz)
        app.job_queue.run_daily(expiry_check, time=opening, name="expiry:dik")
        app.job_queue.run_daily(yearly_reminders, time=opening, name="pengingat:tahunan")
        report_at = services.settings.report_time.replace(tzinfo=services.settings.tz)
        app.job_queue.run_daily(_monthly_report, time=report_at, name="laporan:bulanan")
    await services.workflow.calendar_days.refresh_calendar()  # the admin's extra days
    await services.workflow.nudges.sweep()  # nudges owed while the bot was down, once
    await _queue_monthly_reports(services.workflow)  # REPORT_TIME passed while it was down
    await tell_unfinished(app, services.workflow)  # conversations a restart interrupted
    services.workflow.core.renders.kick()  # documents queued before a crash or a stop
    await services.sender.flush()


async def _sweep(context: BotContext) -> None:
    """Write the nudges owed now, then deliver whatever the outbox still owes (sends that
    failed are retried here)."""
    try:
        await context.workflow.nudges.sweep()
    except Exception:  # a broken sweep must not stop the delivery of what is queued
        logger.exception("the nudge sweep failed; delivering the outbox anyway")
    await context.sender.flush()


async def _monthly_report(context: BotContext) -> None:
    """Daily at REPORT_TIME: the Laporan Bulanan, if today is the month's last working day."""
    await _queue_monthly_reports(context.workflow)
    await context.sender.flush()


async def _queue_monthly_reports(workflow: Workflow) -> None:
    try:
        queued = await workflow.report.send_monthly_reports()
    except Exception:  # logged; the next run (or /laporan) can still send it
        logger.exception("the monthly report could not be made")
        return
    if queued:
        logger.info("monthly report queued for %s officials", queued)


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    """Stopped taking updates: let a delivery under way finish (the bot still works now)."""
    sender = app.bot_data.sender
    if sender is not None:
        await sender.stop(timeout=SHUTDOWN_DELIVERY_SECONDS)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    services: Services = app.bot_data
    if services.sender is not None:  # post_stop let it finish; if it was skipped, cut it off
        await services.sender.stop(timeout=0)  # before its database connections are closed
    if services.workflow is not None:
        await services.workflow.core.renders.stop()  # what is not rendered stays queued
        await services.workflow.db.dispose()
