"""Telegram only: turn an Update into one call of the workflow, and its result into replies."""

from __future__ import annotations

from handlers import (
    admin,
    admin_view,
    callbacks,
    complete_rows,
    delegation,
    dik,
    errors,
    holidays,
    item_decisions,
    meeting,
    panel,
    prompts,
    receipts,
    register_commands,
    report,
    start,
    status,
    typed_rows,
    uploads,
    verify_notes,
)
from handlers.context import BotApp


def register_all(app: BotApp) -> None:
    """Order matters within a group: conversations first, then the generic button handler."""
    start.register(app)
    receipts.register(app)  # Diterima is answered even in the middle of a conversation
    prompts.register(app)
    typed_rows.register(app)
    complete_rows.register(app)
    meeting.register(app)
    verify_notes.register(app)
    item_decisions.register(app)
    panel.register(app)
    delegation.register(app)
    status.register(app)
    dik.register(app)
    register_commands.register(app)
    report.register(app)
    admin.register(app)
    holidays.register(app)
    admin_view.register(app)
    uploads.register(app)
    callbacks.register(app)
    start.register_fallback(app)
    errors.register(app)
