"""/dip [OPD atau kata kunci]: the DIP in force (every registered official, as /dik)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formdip.chat import lookup_text
from bot.workflow.core import Outcome, WorkflowCore
from storage import dip as dip_store
from storage.dto import PersonDTO


async def dip_lookup(core: WorkflowCore, tg_user_id: int, query: str = "") -> Outcome:
    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        return Outcome(True, lookup_text(await dip_store.in_force(s), query))

    return await core.guarded(tg_user_id, "dip_lookup", body, readonly=True)
