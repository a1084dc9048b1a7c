"""The answer readers of a collect step, by the maker of its `form` (the engine's vocabulary
of forms, as MAKERS is of documents): how an office's upload, typed rows and empty answer
are read and stored. `form_dik` is the engine's own Form DIK path (bot/workflow/collect.py);
`form_dip` is the Form DIP's (bot/workflow/dip_answers.py)."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.sop import Step, StepKind
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.dip_answers import DipAnswers
from storage import proposals
from storage.dto import CycleDTO, OfficeDTO, PersonDTO, StepRunDTO


class AnswerReader(Protocol):
    async def upload(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        office: OfficeDTO,
        filename: str,
        data: bytes,
    ) -> Outcome: ...

    async def start_typed(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        office: OfficeDTO,
    ) -> Outcome: ...

    async def empty(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        office: OfficeDTO,
    ) -> Outcome: ...

    async def answered(self, s: AsyncSession, cycle: CycleDTO) -> set[int]:
        """The offices that have sent an answer (and have none returned to them)."""
        ...


#: None: the engine's own reader (the Form DIK and its proposals).
ANSWER_READERS: dict[str, AnswerReader | None] = {"form_dik": None, "form_dip": DipAnswers()}


async def reader_for(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, step: Step
) -> AnswerReader | None:
    """The reader of this collect step's form; None for the engine's own (or no form)."""
    if step.form is None:
        return None
    doc = (await core.sop_of(s, cycle)).document(step.form)
    return ANSWER_READERS.get(doc.maker) if doc is not None else None


async def answered_offices(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> set[int]:
    """The offices that answered the cycle's collect step, as its form's reader counts them."""
    collect = (await core.sop_of(s, cycle)).of_kind(StepKind.COLLECT)
    reader = await reader_for(core, s, cycle, collect[0]) if collect else None
    if reader is None:
        return set(await proposals.answered_office_ids(s, cycle.id))
    return await reader.answered(s, cycle)
