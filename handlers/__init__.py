"""Telegram only: turn an Update into one call of the workflow, and its result into replies."""

from __future__ import annotations

from handlers import admin, callbacks, errors, prompts, start, status, typed_rows, uploads
from handlers.context import BotApp


def register_all(app: BotApp) -> None:
    """Order matters within a group: conversations first, then the generic button handler."""
    start.register(app)
    prompts.register(app)
    typed_rows.register(app)
    status.register(app)
    admin.register(app)
    uploads.register(app)
    callbacks.register(app)
    start.register_fallback(app)
    errors.register(app)
