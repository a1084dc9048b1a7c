"""`python -m bot ...`: run the bot, migrate, invite officials, manage OPDs."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot import logs
from bot.config import ConfigError, Settings, load_settings
from bot.sop import SopError
from bot.workflow.errors import Refused


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="The DIK bot of Kota Kupang.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="migrate the database, then run the bot (long polling)")
    sub.add_parser("migrate", help="apply the database migrations")
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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        logs.setup(settings.log_level, settings.telegram_bot_token.get_secret_value())
        if args.command == "run":
            return _run(settings)
        if args.command == "migrate":
            from storage.migrate import upgrade_sync

            upgrade_sync(settings.database_url)
            print("Database is up to date.")
            return 0
        return asyncio.run(_admin(settings, args))
    except (ConfigError, SopError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Refused as exc:
        from bot import texts

        print(f"error: {texts.render('refusals', exc.code, **exc.params)}", file=sys.stderr)
        return 1


def _run(settings: Settings) -> int:
    from bot.app import build_application
    from storage.migrate import upgrade_sync

    upgrade_sync(settings.database_url)
    settings.require_token()
    app = build_application(settings, migrate_on_start=False)
    app.run_polling(allowed_updates=["message", "callback_query"])
    return 0


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
            invite = await workflow.invite(
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
                print(workflow.invite_link(invite, username))
            else:
                print(
                    f"Set TELEGRAM_BOT_USERNAME to print the link; meanwhile the official "
                    f"sends the bot: /start {invite.token}"
                )
            print(f"(single use, valid {settings.invite_valid_hours} hours)")
        elif args.office_command == "add":
            office = await workflow.add_office(args.code, " ".join(args.name))
            print(f"added {office.code}: {office.name}")
        elif args.office_command == "list":
            for o in await workflow.offices():
                print(f"{o.code:12} {'active ' if o.active else 'inactive'} {o.name}")
        else:
            ok = await workflow.set_office_active(args.code, args.office_command == "activate")
            print("done" if ok else f"no OPD with code {args.code}")
            return 0 if ok else 1
    finally:
        await db.dispose()
    return 0


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
