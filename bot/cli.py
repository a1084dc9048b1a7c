"""`python -m bot ...`: run the bot, migrate, invite officials, manage OPDs, backup, health."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot import exitcodes, logs
from bot.config import ConfigError, Settings, load_settings, project_home
from bot.ops.paths import database_line, prepare_database_folder, where_lines
from bot.ops.webhook import ALLOWED_UPDATES, webhook_kwargs
from bot.sop import SopError
from bot.workflow.errors import Refused

if TYPE_CHECKING:
    from bot.workflow import Workflow


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="The DIK bot of Kota Kupang.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="migrate the database, then run the bot (long polling, or webhook mode)"
    )
    mig = sub.add_parser("migrate", help="apply the database migrations (or undo some: --to)")
    mig.add_argument(
        "--dry-run", action="store_true", help="show the pending migrations and their SQL only"
    )
    mig.add_argument(
        "--to", default="head", metavar="REVISION", help="an earlier revision downgrades to it"
    )
    backup = sub.add_parser(
        "backup", help="a verified copy of the database (SQLite online backup, or pg_dump)"
    )
    backup.add_argument(
        "--to",
        type=Path,
        help="file or directory (default: data/backups/dik-<UTC time>.sqlite3 or .dump, "
        "with copies older than BACKUP_KEEP_DAYS removed)",
    )
    restore = sub.add_parser("restore", help="replace the database with a backup (bot stopped)")
    restore.add_argument("file", type=Path, help="a file written by `backup`")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    sub.add_parser("health", help="check database, migrations, SOP, outbox, deadlines, Bot API")
    inv = sub.add_parser("invite", help="print a one-time invite link for an official")
    inv.add_argument("--role", required=True)
    inv.add_argument("--name", required=True)
    inv.add_argument("--office", help="OPD code (required for ppid_pembantu)")
    inv.add_argument("--lead", action="store_true", help="ketua of the Tim Uji Konsekuensi")
    inv.add_argument("--nip", default="")
    inv.add_argument("--pangkat", default="")
    inv.add_argument("--jabatan", default="")
    office = sub.add_parser("office", help="manage the OPDs")
    osub = office.add_subparsers(dest="office_command", required=True)
    add = osub.add_parser("add", help="add an OPD")
    add.add_argument("code")
    add.add_argument("name", nargs="+")
    osub.add_parser("list", help="list the OPDs")
    off = osub.add_parser("deactivate", help="stop asking an OPD for proposals")
    off.add_argument("code")
    on = osub.add_parser("activate", help="ask an OPD for proposals again")
    on.add_argument("code")
    official = sub.add_parser("official", help="list, deactivate or reactivate an official")
    fsub = official.add_subparsers(dest="official_command", required=True)
    fsub.add_parser("list", help="every official with id, state and roles")
    gone = fsub.add_parser("deactivate", help="someone left: refuse their acts from now on")
    gone.add_argument("id", type=int)
    back = fsub.add_parser("reactivate", help="give a deactivated official their roles back")
    back.add_argument("id", type=int)
    _holiday_parser(sub)
    return p


def _holiday_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hol = sub.add_parser("holiday", help="the admin's extra holidays and working days")
    hsub = hol.add_subparsers(dest="holiday_command", required=True)
    add = hsub.add_parser("add", help="declare an extra holiday, e.g. a new cuti bersama")
    add.add_argument("date", help="YYYY-MM-DD")
    add.add_argument("description", nargs="+")
    rem = hsub.add_parser("remove", help="remove an admin's extra holiday or working day")
    rem.add_argument("date", help="YYYY-MM-DD")
    work = hsub.add_parser("workday", help="declare a listed holiday a working day")
    work.add_argument("date", help="YYYY-MM-DD")
    work.add_argument("description", nargs="+")
    hsub.add_parser("list", help="the admin's days and the coming holidays")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code says what systemd should do (see bot.exitcodes)."""
    args = _parser().parse_args(argv)
    with logs.guarded_output(early_secrets()):
        try:
            return _command(args)
        except (ConfigError, SopError) as exc:  # a rejected token is one (TokenRejected)
            print(f"error: {exc}", file=sys.stderr)
            return exitcodes.CONFIG
        except Refused as exc:
            from bot import texts

            print(f"error: {texts.render('refusals', exc.code, **exc.params)}", file=sys.stderr)
            return exitcodes.FAILED
        except (OSError, SQLAlchemyError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            print(f"error: the database (DATABASE_URL) cannot be used: {reason}", file=sys.stderr)
            return exitcodes.TEMPFAIL
        except KeyboardInterrupt:
            return exitcodes.INTERRUPTED
        except Exception as exc:  # a bug: its traceback, redacted like everything else
            logging.getLogger("bot.cli").debug("unexpected error", exc_info=True)
            traceback.print_exc(file=sys.stderr)
            print(f"error: unexpected {type(exc).__name__} (a bug; see above)", file=sys.stderr)
            return exitcodes.SOFTWARE


def early_secrets() -> list[str]:
    """The secrets as they are in the environment and `.env`, before the settings are read
    (a setting that fails to load must not print them either)."""
    names = {"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET", "DATABASE_URL"}
    found = {k.upper(): v for k, v in os.environ.items() if k.upper() in names}
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        from dotenv import dotenv_values

        for key, value in dotenv_values(project_home() / ".env").items():
            if key.upper() in names and value:
                found.setdefault(key.upper(), value)
    secrets = [v for k, v in found.items() if k != "DATABASE_URL"]
    with contextlib.suppress(ArgumentError, ValueError):
        secrets.append(make_url(found.get("DATABASE_URL", "")).password or "")
    return secrets


def _command(args: argparse.Namespace) -> int:
    settings = load_settings()
    logs.setup_from(settings)
    if args.command == "run":
        return _run(settings)
    prepare_database_folder(settings)
    print(database_line(settings), file=sys.stderr)
    if args.command == "backup":
        return _backup(settings, args.to)
    if args.command == "restore":
        return _restore(settings, args.file, args.yes)
    if args.command == "health":
        from bot.ops import health

        return asyncio.run(health.main(settings))
    if args.command == "migrate":
        return asyncio.run(_migrate(settings, args.to, args.dry_run))
    return asyncio.run(_admin(settings, args))


def _run(settings: Settings) -> int:
    from telegram.error import InvalidToken

    from bot.app import build_application
    from bot.malloc import limit_arenas
    from bot.ops.startup import TokenRejected, wait_until_reachable
    from storage.migrate import upgrade_sync

    limit_arenas()  # before any thread starts
    settings.require_token()
    prepare_database_folder(settings)
    log = logging.getLogger("bot.run")
    for line in where_lines(settings):
        log.info("%s", line)
    webhook = webhook_kwargs(settings) if settings.webhook_url else None
    upgrade_sync(settings.database_url)
    if asyncio.run(wait_until_reachable(settings)) is None:
        log.info("stopped before the Bot API answered")
        return exitcodes.OK
    app = build_application(settings, migrate_on_start=False)
    try:
        if webhook is not None:
            app.run_webhook(**webhook, bootstrap_retries=-1)
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1)
    except InvalidToken:  # revoked between the check and PTB's own getMe
        raise TokenRejected(settings) from None
    return exitcodes.OK


async def _migrate(settings: Settings, target: str, dry_run: bool) -> int:
    from alembic.util import CommandError

    from storage import migrate

    try:
        plan = await (migrate.plan if dry_run else migrate.migrate_to)(
            settings.database_url, target
        )
    except (CommandError, KeyError) as exc:
        print(f"error: unknown revision {target!r} ({exc})", file=sys.stderr)
        return exitcodes.FAILED
    at = ", ".join(plan.current) or "not migrated"
    if plan.direction == "none":
        print(f"Database is up to date (at {plan.target}).")
        return exitcodes.OK
    verb = {"upgrade": "apply", "downgrade": "undo"}[plan.direction]
    if not dry_run:
        print(f"Database migrated from {at} to {plan.target} ({plan.direction}):")
        for rev, doc in plan.steps:
            print(f"  {rev}: {doc}")
        return exitcodes.OK
    print(
        f"Database at {at}; `migrate{'' if target == 'head' else ' --to ' + target}` would "
        f"{verb} (nothing was changed):"
    )
    for rev, doc in plan.steps:
        print(f"  {rev}: {doc}")
    if plan.sql:
        print("SQL it would run (Alembic offline mode):")
        print(plan.sql.rstrip())
    for note in plan.notes:  # SQLite: Alembic writes no offline SQL; a trial on a copy instead
        print(note)
    if not plan.sql and not plan.notes:
        print(f"(the SQL cannot be shown offline: {plan.sql_error})")
    return exitcodes.OK


def _backup(settings: Settings, to: Path | None) -> int:
    from bot.ops.backup import BackupError, run

    try:
        for line in run(
            settings.database_url,
            to,
            default_dir=settings.data_dir / "backups",
            keep_days=settings.backup_keep_days,
        ):
            print(line)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    return exitcodes.OK


def _restore(settings: Settings, source: Path, yes: bool) -> int:
    from bot.ops.backup import BackupError
    from bot.ops.restore import restore

    if not yes:
        print(
            f"error: restore replaces everything in {settings.database_shown} with {source}; "
            "stop the bot, then run again with --yes (the database as it is is backed up first)",
            file=sys.stderr,
        )
        return exitcodes.FAILED
    try:
        for line in restore(settings.database_url, source, settings.data_dir / "backups"):
            print(line)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    return exitcodes.OK


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_workflow
    from bot.clock import SystemClock
    from storage.db import Database
    from storage.migrate import upgrade

    await upgrade(settings.database_url)
    db = Database(settings.database_url)
    workflow = build_workflow(settings, db, SystemClock())
    try:
        if args.command == "invite":
            invite = await workflow.onboarding.invite(
                role=args.role,
                name=args.name,
                office_code=args.office,
                is_lead=args.lead,
                nip=args.nip,
                pangkat=args.pangkat,
                jabatan=args.jabatan,
            )
            username = settings.telegram_bot_username or await _bot_username(settings)
            if username:
                print(workflow.onboarding.invite_link(invite, username))
            else:
                print(
                    f"Set TELEGRAM_BOT_USERNAME to print the link; meanwhile the official "
                    f"sends the bot: /start {invite.token}"
                )
            print(f"(single use, valid {settings.invite_valid_hours} hours)")
        elif args.command == "holiday":
            await _holiday(workflow, args)
        elif args.command == "official":
            return await _official(workflow, args)
        elif args.office_command == "add":
            office = await workflow.onboarding.add_office(args.code, " ".join(args.name))
            print(f"added {office.code}: {office.name}")
        elif args.office_command == "list":
            for o in await workflow.onboarding.offices():
                print(f"{o.code:12} {'active ' if o.active else 'inactive'} {o.name}")
        else:
            ok = await workflow.onboarding.set_office_active(
                args.code, args.office_command == "activate"
            )
            print("done" if ok else f"no OPD with code {args.code}")
            return 0 if ok else 1
    finally:
        await db.dispose()
    return 0


async def _official(workflow: Workflow, args: argparse.Namespace) -> int:
    """`official list|deactivate|reactivate` (what changed, and every open task after it)."""
    if args.official_command == "list":
        for o in await workflow.officials.officials():
            state = "active  " if o.active else "INACTIVE"
            where = f" [{o.office_code}]" if o.office_code else ""
            print(f"{o.id:5}  {state} {o.name}{where}: {', '.join(o.roles) or '-'}")
        return exitcodes.OK
    active = args.official_command == "reactivate"
    change = await workflow.officials.set_official_active(args.id, active)
    if change is None:
        print(f"error: no official with id {args.id} (see: python -m bot official list)")
        return exitcodes.FAILED
    if not change.changed:
        print(f"{change.name} is already {'active' if active else 'inactive'}; nothing changed")
        return exitcodes.OK
    if active:
        print(f"reactivated: {change.name} (roles: {', '.join(change.roles) or '-'})")
        return exitcodes.OK
    print(f"deactivated: {change.name}; every act of theirs is refused from now on")
    if change.not_sent:
        print(f"  {change.not_sent} queued message(s) to them will not be sent")
    for c in change.tester_cleared:
        print(f"  {c}: the appointed tester is cleared (the ketua records the test)")
    for t in change.tasks:
        where = f" {t.office}" if t.office else ""
        if t.flagged:
            print(
                f"  FLAGGED {t.cycle} step {t.step_no} ({t.role}{where}): nobody holds it; "
                "invite someone (python -m bot invite ...)"
            )
        else:
            print(
                f"  {t.cycle} step {t.step_no} ({t.role}{where}): now held by "
                f"{', '.join(t.holders)}"
            )
    return exitcodes.OK


async def _holiday(workflow: Workflow, args: argparse.Namespace) -> None:
    """`holiday add|remove|workday|list` (a refusal is raised and printed by main)."""
    if args.holiday_command == "list":
        days, coming = await workflow.holidays.list_extra_days()
        print("admin's days:" if days else "admin's days: none")
        for d in days:
            print(f"  {d.day.isoformat()}  {d.kind:8} {d.description}")
        print("coming holidays on office days:")
        for c in coming:
            print(f"  {c.day.isoformat()}  {c.kind:13} {c.name}")
        return
    op = {"add": "add", "remove": "remove", "workday": "workday"}[args.holiday_command]
    description = " ".join(getattr(args, "description", None) or [])
    change = await workflow.holidays.change_extra_day(op, args.date, description)
    what = {"add": "holiday added", "remove": "admin's day removed", "workday": "workday added"}
    print(f"{what[op]}: {change.day.isoformat()} {change.description}")
    for m in change.moved:
        print(
            f"  deadline moved: {m.cycle} step {m.step_no}: {m.old.isoformat()} -> "
            f"{m.new.isoformat()}"
        )


async def _bot_username(settings: Settings) -> str:
    """Ask the Bot API for the bot's username (needs a token and a reachable API)."""
    if not settings.telegram_bot_token.get_secret_value():
        return ""
    from telegram import Bot
    from telegram.error import TelegramError

    kwargs = {}
    if settings.api_base_url:
        kwargs = {"base_url": settings.api_base_url, "base_file_url": settings.api_base_file_url}
    try:
        async with Bot(settings.require_token(), **kwargs) as bot:  # type: ignore[arg-type]
            return bot.username
    except (TelegramError, ConfigError):
        return ""
