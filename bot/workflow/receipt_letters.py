"""Which delivery is a letter that needs a tanda terima, and how one is queued.

A delivery needs a receipt when the document is a *letter* (declared `receipt: true` in the SOP
file of its cycle) in its final form (numbered when signed, or the uploaded signed letter; a
draft sent for paraf is answered by the approval itself), and the recipient is not the person
whose act sent it (the acting person's own copy needs no receipt). Used by the core's `tell`
and the fan-out; the Diterima tap itself is the `Receipts` service (receipts.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.sop.model import Document
from bot.workflow import callback_data
from storage import receipts
from storage.dto import DocumentDTO, PersonDTO

RECEIPT_LABEL = "✅ Diterima"


def needs_receipt(
    actor: PersonDTO | None, person: PersonDTO, doc: DocumentDTO, spec: Document | None
) -> bool:
    """`spec` is the document's declaration in its cycle's SOP (None: not declared there)."""
    if spec is None or not spec.receipt or not (doc.letter_number or doc.uploaded):
        return False
    return actor is None or actor.id != person.id


def receipt_row(outbox_id: int) -> list[list[str]]:
    return [[RECEIPT_LABEL, callback_data.receipt_action(outbox_id)]]


async def enqueue_letter(
    now: datetime,
    s: AsyncSession,
    person: PersonDTO,
    text: str,
    buttons: list[Any] | None,
    doc: DocumentDTO,
    dedupe_key: str | None,
) -> None:
    """Queue one letter with a Diterima button below its other buttons."""
    assert person.telegram_user_id is not None
    await receipts.enqueue_letter(
        s,
        official_id=person.id,
        chat_id=person.telegram_user_id,
        text=text,
        now=now,
        document_id=doc.id,
        buttons=buttons,
        receipt_row=receipt_row,
        dedupe_key=dedupe_key,
    )
