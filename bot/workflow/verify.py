"""A verify step (kind `verify`): its holder accepts each office's answer, or returns it with
notes to the collect step named by `reject_to`, which reopens for that office alone with its
own deadline (a run carrying the office). The step closes when every office that answered is
accepted; offices that never answered keep their list in force.

Plain functions taking the workflow's core; the answers are the Form DIP's (bot.formdip).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.formdip import chat
from bot.formdip import service as dip_service
from bot.sop import Step
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.dip_answers import office_of, open_collect_run
from bot.workflow.dip_cards import show_answer
from bot.workflow.errors import Refused
from storage import cycles
from storage import dip as dip_store
from storage.dto import CycleDTO, DipSubmissionDTO, PersonDTO, StepRunDTO

MAX_NOTES = 2000


async def announce(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    step: Step,
    run: StepRunDTO,
    text: str,
    buttons: list[list[list[str]]],
    only: PersonDTO | None,
) -> None:
    """The task, then one card per office whose answer waits for verification."""
    recipients = [only] if only else await core.holders(s, run.holder_role)
    for person in recipients:
        await core.tell(s, person, text, buttons=buttons, actor=None)
    for office in await core.active_offices(s):
        for person in recipients:
            await show_answer(core, s, cycle, step, office, only=person)


async def _verify_run(
    core: WorkflowCore, s: AsyncSession, person: PersonDTO, sub: DipSubmissionDTO
) -> tuple[StepRunDTO, CycleDTO, Step]:
    """The open verify run of the submission's cycle, which this person holds."""
    runs = [r for r in await cycles.open_runs(s, sub.cycle_id) if r.phase == "verify"]
    if not runs:
        raise Refused("verify_closed")
    run, cycle, step = await core.load_run(s, runs[0].id)
    core.check_holder(person, run)
    if sub.status != dip_store.SUBMITTED:
        raise Refused("dip_already_reviewed", office=sub.office_name)
    return run, cycle, step


async def _submission(s: AsyncSession, submission_id: int) -> DipSubmissionDTO:
    sub = await dip_store.get(s, submission_id)
    if sub is None:
        raise Refused("unknown_button")
    return sub


async def check_review(core: WorkflowCore, tg_user_id: int, submission_id: int) -> Outcome:
    """Would a return of this answer be accepted now? (Before asking for the notes.)"""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        sub = await _submission(s, submission_id)
        await _verify_run(core, s, person, sub)
        return Outcome(True, texts.render("verify", "ask_notes", office=sub.office_name))

    return await core.guarded(tg_user_id, "check_review", body, readonly=True)


async def accept(core: WorkflowCore, tg_user_id: int, submission_id: int) -> Outcome:
    """Terima: the office's answer is accepted; the step closes when all are."""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        sub = await _submission(s, submission_id)
        run, cycle, step = await _verify_run(core, s, person, sub)
        await dip_service.accept(s, sub.id, actor_id=person.id, now=core.now())
        await core.record(
            s, person, "accept_dip", cycle_id=cycle.id, run_id=run.id, detail=sub.office_name
        )
        note = texts.render("verify", "accepted", office=sub.office_name, cycle=cycle.title)
        for holder in await _office_holders(core, s, cycle, step, sub.office_id):
            await core.tell(s, holder, note, actor=person)
        done = await _all_accepted(s, cycle)
        if done:  # the step's outputs (the compiled list, the draft Keputusan) are made now
            await core.paperwork.make_outputs(core, s, cycle, step, person, numbered_only=False)
            await core.close(s, run, person, "complete")
            await core.advance(s, cycle, step, run, person)
        return Outcome(
            True,
            texts.render("verify", "accept_done", office=sub.office_name, step_done=done),
        )

    return await core.guarded(tg_user_id, "accept_dip", body)


async def return_answer(
    core: WorkflowCore, tg_user_id: int, submission_id: int, notes: str
) -> Outcome:
    """Kembalikan: the answer goes back with notes; the collect step reopens for that office
    alone, with its own deadline (the collect step's limit, from now)."""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        text = " ".join(notes.split()) if notes else ""
        if not text:
            raise Refused("notes_required")
        if len(text) > MAX_NOTES:
            raise Refused("too_long", limit=MAX_NOTES)
        sub = await _submission(s, submission_id)
        run, cycle, step = await _verify_run(core, s, person, sub)
        office = await office_of(s, sub.office_id)
        assert office is not None and step.reject_to is not None
        await dip_service.return_to_office(s, sub.id, text, actor_id=person.id, now=core.now())
        await core.record(
            s, person, "return_dip", cycle_id=cycle.id, run_id=run.id, detail=office.name
        )
        collect = (await core.sop_of(s, cycle)).by_key(step.reject_to)
        reopened = await open_collect_run(s, cycle.id, office.id)
        if reopened is None or reopened.office_id != office.id:
            reopened = await cycles.add_run(
                s,
                cycle_id=cycle.id,
                step_key=collect.key,
                step_no=collect.id,
                phase="collect",
                holder_role=collect.actor,
                attempt=await cycles.attempts_of_step(s, cycle.id, collect.key) + 1,
                now=core.now(),
                due_at=core.due_for(collect, core.now()),
                office_id=office.id,
            )
        back = chat.returned_text(office.name, text)
        for holder in await _office_holders(core, s, cycle, step, office.id):
            await core.tell(s, holder, back, actor=person)
            await core.announce(s, cycle, collect, reopened, only=holder, actor=person)
        return Outcome(
            True,
            texts.render(
                "verify", "returned_done", office=office.name, due=core.fmt_time(reopened.due_at)
            ),
        )

    return await core.guarded(tg_user_id, "return_dip", body)


async def _office_holders(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, step: Step, office_id: int
) -> list[PersonDTO]:
    """Who answers the collect step for this office."""
    collect = (await core.sop_of(s, cycle)).by_key(step.reject_to or step.key)
    return await core.holders(s, collect.actor, office_id)


async def _all_accepted(s: AsyncSession, cycle: CycleDTO) -> bool:
    """Every office that answered is accepted: none waits, none was returned and not yet
    answered again (a draft after a return counts as waiting)."""
    for sub in await dip_store.latest_per_office(s, cycle.id):
        if sub.status == dip_store.ACCEPTED:
            continue
        if sub.status == dip_store.DRAFT and sub.attempt == 1:
            continue  # never sent: the office did not answer
        return False
    return True
