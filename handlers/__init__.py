"""Telegram only: turn an Update into one call of the workflow, and its result into replies."""

from __future__ import annotations

from handlers import (
    admin,
    admin_view,
    callbacks,
    complete_rows,
    consequence_test,
    delegation,
    dik,
    errors,
    holidays,
    meeting,
    prompts,
    receipts,
    registers,
    report,
    start,
    status,
    tim_uk,
    typed_rows,
    uploads,
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
    consequence_test.register(app)
    tim_uk.register(app)
    delegation.register(app)
    status.register(app)
    dik.register(app)
    registers.register(app)
    report.register(app)
    admin.register(app)
    holidays.register(app)
    admin_view.register(app)
    uploads.register(app)
    callbacks.register(app)
    start.register_fallback(app)
    errors.register(app)
