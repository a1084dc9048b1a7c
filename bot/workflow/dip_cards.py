"""What the holder of a verify step sees of one office's answer to the Form DIP: its changes
against the list in force and any match with the DIK, with Terima / Kembalikan."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formdip import chat
from bot.formdip import service as dip_service
from bot.formdip.compare import DikItemRef, dik_refs
from bot.sop import Step
from bot.workflow import callback_data
from bot.workflow.core import WorkflowCore
from bot.workflow.publication import current_items, newest_finished_of_page
from storage import dip as dip_store
from storage.dto import CycleDTO, OfficeDTO, PersonDTO


async def dik_in_force(core: WorkflowCore, s: AsyncSession) -> list[DikItemRef]:
    """The DIK in force, as the DIP rows are compared with it (empty before the first)."""
    cycle = await newest_finished_of_page(core, s, "dik")
    if cycle is None:
        return []
    _sk, current = await current_items(core, s, cycle)
    return dik_refs([c.item for c in current])


async def show_answer(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    step: Step,
    office: OfficeDTO,
    only: PersonDTO | None = None,
) -> bool:
    """Send the verify step's holders the card of `office`'s sent answer; False when the
    office has no answer waiting for verification."""
    review = await dip_service.review(
        s, cycle_id=cycle.id, office=office, dik=await dik_in_force(core, s)
    )
    if review is None or review.submission.status != dip_store.SUBMITTED:
        return False
    sub = review.submission
    buttons = [
        [
            ["✅ Terima", callback_data.dip_action(sub.id, "acc")],
            ["↩️ Kembalikan", callback_data.dip_action(sub.id, "ret")],
        ]
    ]
    text = chat.review_text(office.name, review)
    for person in [only] if only else await core.holders(s, step.actor):
        await core.tell(s, person, text, buttons=buttons, actor=None)
    return True
