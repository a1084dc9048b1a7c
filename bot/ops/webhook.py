"""Webhook mode: Telegram posts updates to WEBHOOK_URL; PTB's own server (tornado) receives
them on WEBHOOK_LISTEN:WEBHOOK_PORT behind a reverse proxy that terminates TLS.

Every request must carry the secret in ``X-Telegram-Bot-Api-Secret-Token`` (PTB answers 403
otherwise). The path the server listens on is the path of WEBHOOK_URL, so the proxy forwards
the URL unchanged.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bot.config import ConfigError, Settings

#: The update types the bot handles, for getUpdates and setWebhook alike.
ALLOWED_UPDATES = ["message", "callback_query"]


def url_path(settings: Settings) -> str:
    return urlsplit(settings.webhook_url).path.strip("/")


def webhook_kwargs(settings: Settings) -> dict[str, Any]:
    """Arguments for ``Application.run_webhook`` / ``Updater.start_webhook``."""
    secret = settings.webhook_secret.get_secret_value()
    if not secret:
        raise ConfigError(
            "WEBHOOK_SECRET is not set: webhook mode needs one (16-256 of A-Z a-z 0-9 _ -), e.g. "
            'the output of: python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": url_path(settings),
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
    }
