"""Tanda terima: every letter delivered to a recipient carries a Diterima button.

A delivery needs a receipt when the document is a *letter* (declared `receipt: true` in the SOP
file of its cycle) in its
final form (numbered when signed, or the uploaded signed SK; a draft sent for paraf is answered
by the approval itself), and the recipient is not the person whose act sent it (the acting
person's own copy needs no receipt). The tap is re-checked here: only that recipient, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from bot.workflow.receipt_letters import receipt_row
from storage import outbox, receipts
from storage.dto import PersonDTO


@dataclass(frozen=True, slots=True)
class ReceiptSummary:
    """Receipts of one cycle, for /status: letters counted as letters, and per person the
    letters each still has to acknowledge."""

    total: int  # letters delivered that need a tanda terima
    acknowledged: int  # of those, acknowledged
    waiting: list[tuple[str, list[str]]]  # (recipient, the letters not yet acknowledged)


async def receipt_summary(s: AsyncSession, cycle_id: int) -> ReceiptSummary:
    rows = await receipts.of_cycle(s, cycle_id)
    pending: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: (r.official_name, r.created_at, r.outbox_id)):
        if r.acknowledged_at is None:
            pending.setdefault(r.official_name, []).append(r.letter_number or r.filename)
    done = sum(1 for r in rows if r.acknowledged_at is not None)
    return ReceiptSummary(total=len(rows), acknowledged=done, waiting=list(pending.items()))


class Receipts:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def acknowledge_receipt(self, tg_user_id: int, outbox_id: int) -> Outcome:
        """Diterima: record the tanda terima of one letter, by its recipient, once."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            row = await receipts.get(s, outbox_id)
            if row is None or row.official_id != person.id:
                raise Refused("receipt_unknown")
            if row.acknowledged_at is not None:
                raise Refused("receipt_already", when=self.core.fmt_time(row.acknowledged_at))
            if not await receipts.acknowledge(s, outbox_id, self.core.now()):
                raise Refused("receipt_already", when=self.core.fmt_time(self.core.now()))
            await self.core.record(
                s,
                person,
                "receipt",
                cycle_id=row.cycle_id,
                detail=f"outbox {outbox_id}: {row.filename}",
            )
            return Outcome(
                True,
                texts.render(
                    "receipts",
                    "recorded",
                    filename=row.filename,
                    number=row.letter_number,
                    when=self.core.fmt_time(self.core.now()),
                ),
            )

        return await self.core.guarded(tg_user_id, "receipt", body)

    async def remind_receipts(self) -> int:
        """Remind, once, each recipient who has not acknowledged a letter by the next working
        morning after it was delivered. Returns how many reminders were queued."""
        now = self.core.now()
        if not self.core.calendar.is_office_time(now):
            return 0
        async with self.core.db.read() as s:
            pending = await receipts.not_reminded(s)
        queued = 0
        for row in pending:
            assert row.sent_at is not None
            sent_day = row.sent_at.astimezone(self.core.settings.tz).date()
            owed_at = self.core.calendar.office_open_on(
                self.core.calendar.next_working_day(sent_day)
            )
            if now < owed_at:
                continue
            async with self.core.db.transaction() as s:
                fresh = await receipts.get(s, row.outbox_id)
                if fresh is None or fresh.acknowledged_at is not None:
                    continue
                text = texts.render(
                    "receipts",
                    "reminder",
                    filename=row.filename,
                    number=row.letter_number,
                    sent=self.core.fmt_time(row.sent_at),
                )
                if await outbox.enqueue(
                    s,
                    official_id=row.official_id,
                    chat_id=row.chat_id,
                    text=text,
                    now=now,
                    buttons=[receipt_row(row.outbox_id)],
                    dedupe_key=receipts.reminder_key(row.outbox_id),
                ):
                    queued += 1
        return queued
