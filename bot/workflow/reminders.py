"""The yearly reminder that a SOP's cycle is due (setting SOP_YEARLY_REMINDERS, e.g. "dip=1"):
the operator of that SOP is told once a year, in that month, unless a cycle of it for the
year was already started."""

from __future__ import annotations

import logging

from bot import texts
from bot.workflow.core import WorkflowCore
from storage import cycles, outbox

logger = logging.getLogger(__name__)


async def send_yearly_reminders(core: WorkflowCore) -> int:
    """Queue the reminders due today; returns how many were new."""
    today = core.today()
    if not core.calendar.is_working_day(today):
        return 0
    queued = 0
    async with core.db.transaction() as s:
        started = {(c.sop_key, c.year) for c in await cycles.all_cycles(s)}
        for key, month in core.settings.yearly_reminders().items():
            if key not in core.sops.keys:
                logger.warning("SOP_YEARLY_REMINDERS names no SOP file %r", key)
                continue
            if month != today.month or (key, today.year) in started:
                continue
            sop = core.sops.current(key)
            text = texts.render("verify", "yearly_reminder", sop=sop, year=today.year)
            for person in await core.holders(s, sop.operator):
                if person.telegram_user_id is None:
                    continue
                queued += int(
                    await outbox.enqueue(
                        s,
                        official_id=person.id,
                        chat_id=person.telegram_user_id,
                        text=text,
                        now=core.now(),
                        dedupe_key=f"yearly:{key}:{today.year}:{person.id}",
                    )
                )
    return queued
