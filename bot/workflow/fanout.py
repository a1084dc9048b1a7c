"""Telling many people at once (a step that opens for every OPD): what `core.tell` queues for
one person, for all of them, in one INSERT (plus one UPDATE for the Diterima buttons)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.workflow import receipt_letters
from storage import outbox
from storage.dto import DocumentDTO, PersonDTO

if TYPE_CHECKING:
    from bot.workflow.callback_data import Buttons
    from bot.workflow.core import WorkflowCore

#: Telegram's caption limit is 1,024 characters: a longer text goes as a message of its own.
CAPTION_MAX = 1000


@dataclass(frozen=True, slots=True)
class Note:
    """One person's message: its text, buttons (on the last item) and files."""

    person: PersonDTO
    text: str
    buttons: Buttons | None = None
    documents: Sequence[DocumentDTO] = ()


async def tell_all(
    core: WorkflowCore, s: AsyncSession, notes: Sequence[Note], *, actor: PersonDTO | None
) -> int:
    """Queue every note as `core.tell` would (same rows, same order); how many rows."""
    rows: list[dict[str, Any]] = []
    for note in notes:
        person = note.person
        if person.telegram_user_id is None:
            continue
        base = {"official_id": person.id, "chat_id": person.telegram_user_id}
        if not note.documents:
            rows.append({**base, "text": note.text, "buttons": note.buttons})
            continue
        fits = len(note.text) <= CAPTION_MAX
        if not fits:
            rows.append({**base, "text": note.text})
        for i, doc in enumerate(note.documents):
            last = i == len(note.documents) - 1
            spec = await core.declared(s, doc)
            rows.append(
                {
                    **base,
                    "text": note.text if fits and last else f"📎 {doc.filename}",
                    "buttons": note.buttons if last else None,
                    "document_id": doc.id,
                    "ack_required": receipt_letters.needs_receipt(actor, person, doc, spec),
                }
            )
    await outbox.enqueue_many(s, rows, now=core.now(), receipt_row=receipt_letters.receipt_row)
    return len(rows)
