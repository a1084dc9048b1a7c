"""`python -m bot health`: one line per fact, exit 0 when nothing failed, 1 otherwise.

Facts: the database is reachable and at the newest migration (it is never migrated here), the
SOP file is valid, the outbox backlog and the age of its oldest message, how many open steps are
past their deadline, and the Bot API answers getMe (when a token is set). Warnings (a stale
outbox, overdue steps) are printed but do not fail the check.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from bot.config import ConfigError, Settings
from bot.logs import Redactor
from bot.workflow.admin import Fact, api_fact, database_facts, healthy, publish_fact, sop_fact
from bot.workflow.paperwork import Paperwork


async def probe_bot_api(settings: Settings) -> Fact:
    """getMe with the configured token and API server; skipped without a token."""
    if not settings.telegram_bot_token.get_secret_value().strip():
        return api_fact(configured=False)
    try:
        token = settings.require_token()
    except ConfigError as exc:
        return api_fact(configured=True, error=str(exc))
    kwargs: dict[str, Any] = {}
    if settings.api_base_url and settings.api_base_file_url:
        kwargs = {"base_url": settings.api_base_url, "base_file_url": settings.api_base_file_url}
    try:
        async with Bot(token, **kwargs) as bot:  # initialize() calls getMe
            return api_fact(configured=True, username=bot.username)
    except TelegramError as exc:  # InvalidToken quotes the token: redact it
        return api_fact(configured=True, error=Redactor([token])(f"{type(exc).__name__}: {exc}"))


async def check(settings: Settings, now: datetime | None = None) -> list[Fact]:
    facts = await database_facts(settings.database_url, now or datetime.now(UTC))
    facts.insert(2, sop_fact(settings, Paperwork(settings)))
    facts.insert(3, publish_fact(settings))
    facts.append(await probe_bot_api(settings))
    return facts


def describe(fact: Fact) -> str:
    """The fact in one English line (for operators and monitoring)."""
    d = fact.detail
    if fact.status == "skip":
        return f"skipped ({d.get('reason', '')})"
    if "error" in d:
        return str(d["error"])
    if fact.key == "database":
        return f"reachable ({d['backend']})"
    if fact.key == "migrations":
        if fact.status == "ok":
            return f"at head {d['head']}"
        at = f"at {d['current']}" if d["current"] else "not migrated"
        return f"{at}, head is {d['head']} (run: python -m bot migrate)"
    if fact.key == "sop":
        return f"valid: {d['file']} ({d['steps']} steps)"
    if fact.key == "publish":
        if d.get("problem") == "not_writable":
            return (
                f"{d['folder']}: the bot cannot write {d['where']} (under systemd add "
                f"ReadWritePaths={d['folder']}; see README, 'Running in production')"
            )
        if d.get("problem") == "not_readable":
            return (
                f"{d['folder']}: the web server cannot read {d['where']} "
                "(others need x on every folder, r on every file: chmod o+rX)"
            )
        return f"{d['folder']}: writable, readable by others"
    if fact.key == "outbox":
        oldest = d["oldest_minutes"]
        age = f", oldest {oldest} min" if oldest is not None else ""
        return f"{d['pending']} pending{age}, {d['given_up']} given up"
    if fact.key == "render":
        failing = f", {d['failing']} failing (see /admin)" if d["failing"] else ""
        return f"{d['pending']} document(s) waiting to be rendered{failing}"
    if fact.key == "overdue":
        return f"{d['count']} open step(s) past their deadline"
    if fact.key == "bot_api":
        return f"getMe ok: @{d['username']}"
    return str(d)


def lines(facts: list[Fact]) -> list[str]:
    return [f"{f.status:<4} {f.key}: {describe(f)}" for f in facts]


async def main(settings: Settings) -> int:
    facts = await check(settings)
    for line in lines(facts):
        print(line)
    return 0 if healthy(facts) else 1
