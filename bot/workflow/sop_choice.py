"""Which SOP a new cycle runs: `/mulai` asks when more than one can be started."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.workflow import callback_data
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage.dto import PersonDTO


def startable(core: WorkflowCore, person: PersonDTO) -> list[str]:
    """The keys of the SOPs (in force) whose operator this person is."""
    return [k for k in core.sops.keys if person.has(core.sops.current(k).operator)]


async def choose_sop(core: WorkflowCore, tg_user_id: int, year: int) -> Outcome:
    """The SOPs this person may start, one button each (a cycle of `year`); none is
    started. With only one, the answer says how to start it."""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        keys = startable(core, person)
        if not keys:
            sop = core.sops.current()
            raise Refused("wrong_role", role=core.role_label(sop.operator))
        sops = [core.sops.current(k) for k in keys]
        buttons = [
            [[s_.new_cycle_title(year), callback_data.sop_choice(s_.key, year)]] for s_ in sops
        ]
        return Outcome(True, texts.render("notices", "choose_sop", year=year, sops=sops), buttons)

    return await core.guarded(tg_user_id, "choose_sop", body, readonly=True)
