"""Before `run` hands over to PTB: the Bot API must answer getMe with this token.

A token Telegram rejects (401, or 404 from a wrong TELEGRAM_API_BASE_URL) will be rejected
again after any number of restarts: `TokenRejected` makes the command stop with one line and
the configuration exit code. A Bot API that cannot be reached (no network, DNS, a proxy down,
5xx) is transient: one warning line per attempt, with a growing pause (1 s doubling up to a
minute), until it answers or the process is told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter

from bot.config import ConfigError, Settings

logger = logging.getLogger(__name__)

#: The one line for a rejected token (the CLI prints it after "error: ").
TOKEN_REJECTED = "token ditolak oleh Telegram: periksa TELEGRAM_BOT_TOKEN"


class TokenRejected(ConfigError):
    """The Bot API answered 401 or 404 to getMe: the token (or the API's URL) is wrong."""

    def __init__(self, settings: Settings) -> None:
        hint = ""
        if settings.telegram_api_base_url:
            hint = f" (dan TELEGRAM_API_BASE_URL={settings.telegram_api_base_url})"
        super().__init__(TOKEN_REJECTED + hint)


def bot_kwargs(settings: Settings) -> dict[str, Any]:
    if settings.api_base_url and settings.api_base_file_url:
        return {"base_url": settings.api_base_url, "base_file_url": settings.api_base_file_url}
    return {}


async def wait_for_bot_api(
    settings: Settings,
    stop: asyncio.Event | None = None,
    *,
    first_pause: float = 1.0,
    longest_pause: float = 60.0,
) -> str | None:
    """getMe until it answers: the bot's username, or None when `stop` was set meanwhile."""
    token = settings.require_token()
    pause, attempt = first_pause, 1
    while True:
        try:
            async with Bot(token, **bot_kwargs(settings)) as bot:
                return bot.username
        except InvalidToken:
            raise TokenRejected(settings) from None  # PTB's message quotes the token
        except RetryAfter as exc:
            after = exc.retry_after
            seconds = after.total_seconds() if hasattr(after, "total_seconds") else after
            wait = max(pause, float(seconds))
            reason = f"flood control, retry after {wait:g} s"
        except NetworkError as exc:  # TimedOut included; 5xx from a proxy too
            wait, reason = pause, f"{type(exc).__name__}: {exc}"
        logger.warning(
            "Bot API not reachable (%s): attempt %d failed, retrying in %g s",
            reason.splitlines()[0] if reason else "no answer",
            attempt,
            wait,
        )
        if stop is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
            if stop.is_set():
                return None
        else:
            await asyncio.sleep(wait)
        pause, attempt = min(longest_pause, pause * 2), attempt + 1


async def wait_until_reachable(settings: Settings) -> str | None:
    """`wait_for_bot_api`, stopped by SIGTERM or SIGINT (systemd's stop while waiting)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        return await wait_for_bot_api(settings, stop)
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
