"""The answers to a collect step whose form is the Form DIP (maker `form_dip`).

An office uploads its Form DIP, types its rows in chat (one message per row), or answers the
step's empty answer ("Tidak ada perubahan": its list in force stays). An upload or typed rows
become a draft that is shown back; "Kirim DIP" sends it. Each act is a plain function taking
the workflow's core (bot.formdip.service does the reading and storing).
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.formdip import chat, parse_typed_row
from bot.formdip import service as dip_service
from bot.formdip.stored import row_of_submitted
from bot.sop import Sop, Step, StepKind
from bot.upload_names import original_name, upload_name
from bot.workflow import callback_data
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.dip_cards import dik_in_force, show_answer
from bot.workflow.errors import Refused
from storage import cycles, documents, people
from storage import dip as dip_store
from storage.dto import CycleDTO, DipSubmissionDTO, OfficeDTO, PersonDTO, StepRunDTO

logger = logging.getLogger(__name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TYPED = 4000
#: The statuses of an answer the office has sent (the collect step counts it as answered).
SENT = (dip_store.SUBMITTED, dip_store.ACCEPTED)


def _uploaded_kind(sop: Sop, step: Step) -> str:
    for kind in step.outputs:
        found = sop.document(kind)
        if found is not None and found.uploaded:
            return kind
    raise Refused("upload_not_expected")


def _shown(office: OfficeDTO, intake: dip_service.Intake) -> Outcome:
    """The rows back, with "Kirim DIP" (or what to fix: nothing was stored)."""
    if not intake.ok or intake.submission is None:
        raise Refused("dip_invalid", text=chat.intake_text(office.name, intake))
    send = callback_data.dip_action(intake.submission.id, "send")
    return Outcome(
        True,
        chat.intake_text(office.name, intake),
        [[["✅ Kirim DIP", send]]],
        data={"submission_id": intake.submission.id},
    )


async def _check_not_sent(s: AsyncSession, cycle: CycleDTO, office: OfficeDTO) -> None:
    latest = await dip_store.latest(s, cycle.id, office.id)
    if latest is not None and latest.status in SENT:
        raise Refused("dip_already_sent", office=office.name)


class DipAnswers:
    """The answer reader of the Form DIP (see bot.workflow.answers)."""

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
    ) -> Outcome:
        await _check_not_sent(s, cycle, office)
        sop = await core.sop_of(s, cycle)
        kind = _uploaded_kind(sop, sop.by_key(run.step_key))
        doc = await documents.add_document(  # rolled back with the act if the file is refused
            s,
            cycle_id=cycle.id,
            step_no=run.step_no,
            kind=kind,
            office_id=office.id,
            filename=upload_name(
                kind,
                year=cycle.year,
                cycle_id=cycle.id,
                day=core.today(),
                ext="xlsx",
                office_code=office.code,
            ),
            original_filename=original_name(filename),
            mime_type=XLSX_MIME,
            content=data,
            now=core.now(),
            uploaded=True,
            created_by_id=person.id,
        )
        intake = await dip_service.take_upload(
            s,
            cycle_id=cycle.id,
            office=office,
            data=data,
            dik=await dik_in_force(core, s),
            now=core.now(),
            actor_id=person.id,
            document_id=doc.id,
            max_bytes=core.settings.upload_max_bytes,
        )
        if not intake.ok:
            logger.info(
                "Form DIP upload of %s refused (%s problem(s)): %s",
                office.code,
                len(intake.problems),
                intake.cause or " ".join(str(intake.problems[0]).split())[:200],
            )
        else:
            await core.record(s, person, "upload_form", cycle_id=cycle.id, detail=doc.sha256)
        return _shown(office, intake)

    async def start_typed(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        office: OfficeDTO,
    ) -> Outcome:
        await _check_not_sent(s, cycle, office)
        return Outcome(
            True,
            chat.typed_help_text(),
            data={"reader": "form_dip", "run_id": run.id, "office": office.name},
        )

    async def empty(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        office: OfficeDTO,
    ) -> Outcome:
        """The step's empty answer ("Tidak ada perubahan"): sent at once."""
        await _check_not_sent(s, cycle, office)
        sub = await dip_service.take_unchanged(
            s, cycle_id=cycle.id, office_id=office.id, now=core.now(), actor_id=person.id
        )
        return await _sent(core, s, person, run, cycle, office, sub)

    async def answered(self, s: AsyncSession, cycle: CycleDTO) -> set[int]:
        return {
            x.office_id for x in await dip_store.latest_per_office(s, cycle.id) if x.status in SENT
        }


async def _office_run(
    core: WorkflowCore, s: AsyncSession, person: PersonDTO, run_id: int
) -> tuple[StepRunDTO, CycleDTO, OfficeDTO]:
    """The open collect run `run_id` that this person answers for their office."""
    run, cycle, step = await core.load_run(s, run_id)
    await core.check_open(s, run, None)
    if step.kind is not StepKind.COLLECT or run.phase != "collect":
        raise Refused("unknown_button")
    core.check_holder(person, run)
    office = next((o for o in await core.active_offices(s) if o.id == person.office_id), None)
    if office is None:
        raise Refused("no_office")
    if run.office_id is not None and run.office_id != office.id:
        raise Refused("unknown_button")
    return run, cycle, office


async def add_typed_row(core: WorkflowCore, tg_user_id: int, run_id: int, text: str) -> Outcome:
    """One typed row (one message): checked whole, then added to the office's draft."""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        _run, cycle, office = await _office_run(core, s, person, run_id)
        await _check_not_sent(s, cycle, office)
        if len(text) > MAX_TYPED:
            raise Refused("dip_invalid", text=chat.problems_text(["Pesan terlalu panjang."]))
        typed = parse_typed_row(text)
        if typed.row is None:
            raise Refused("dip_invalid", text=chat.problems_text(typed.problems))
        draft = await dip_store.latest(s, cycle.id, office.id)
        rows = []
        if draft is not None and draft.status == dip_store.DRAFT and not draft.unchanged:
            rows = [row_of_submitted(r) for r in draft.rows]
        intake = await dip_service.take_rows(
            s,
            cycle_id=cycle.id,
            office=office,
            rows=[*rows, typed.row],
            dik=await dik_in_force(core, s),
            now=core.now(),
            actor_id=person.id,
        )
        n = len(intake.rows)
        return Outcome(
            True,
            texts.render("verify", "typed_row_added", n=n, ringkasan=typed.row.ringkasan),
            [[["✅ Selesai", "t:done"]]],
            data={"rows": n},
        )

    return await core.guarded(tg_user_id, "type_dip_row", body, run_id=run_id)


async def typed_done(core: WorkflowCore, tg_user_id: int, run_id: int) -> Outcome:
    """The typed rows back, with "Kirim DIP"."""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        _run, cycle, office = await _office_run(core, s, person, run_id)
        draft = await dip_store.latest(s, cycle.id, office.id)
        if draft is None or draft.status != dip_store.DRAFT or not draft.rows:
            raise Refused("draft_empty")
        intake = await dip_service.take_rows(
            s,
            cycle_id=cycle.id,
            office=office,
            rows=[row_of_submitted(r) for r in draft.rows],
            dik=await dik_in_force(core, s),
            now=core.now(),
            actor_id=person.id,
        )
        return _shown(office, intake)

    return await core.guarded(tg_user_id, "show_dip_draft", body, run_id=run_id)


async def send_answer(core: WorkflowCore, tg_user_id: int, submission_id: int) -> Outcome:
    """ "Kirim DIP": the office's draft goes to the petugas."""

    async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
        sub = await dip_store.get(s, submission_id)
        if sub is None or sub.office_id != person.office_id:
            raise Refused("unknown_button")
        if sub.status != dip_store.DRAFT:
            raise Refused("dip_already_sent", office=sub.office_name)
        run = await open_collect_run(s, sub.cycle_id, sub.office_id)
        if run is None:
            raise Refused("collection_closed")
        run, cycle, office = await _office_run(core, s, person, run.id)
        sent = await dip_service.send(s, sub.id, now=core.now())
        return await _sent(core, s, person, run, cycle, office, sent)

    return await core.guarded(tg_user_id, "send_dip", body)


async def open_collect_run(s: AsyncSession, cycle_id: int, office_id: int) -> StepRunDTO | None:
    """The open collect run an office answers in a cycle: its own (reopened) run first."""
    runs = [r for r in await cycles.open_runs(s, cycle_id) if r.phase == "collect"]
    own = [r for r in runs if r.office_id == office_id]
    found = own or [r for r in runs if r.office_id is None]
    return found[0] if found else None


async def _sent(
    core: WorkflowCore,
    s: AsyncSession,
    person: PersonDTO,
    run: StepRunDTO,
    cycle: CycleDTO,
    office: OfficeDTO,
    sub: DipSubmissionDTO,
) -> Outcome:
    """After an answer is sent: the operator is told; the office's own reopened run closes
    (the verify step shows the answer again); the shared run closes when all answered."""
    what = "tidak ada perubahan" if sub.unchanged else f"{len(sub.rows)} informasi"
    await core.record(
        s, person, "send_dip", cycle_id=cycle.id, run_id=run.id, detail=f"{office.name}: {what}"
    )
    sop = await core.sop_of(s, cycle)
    step = sop.by_key(run.step_key)
    note = texts.render(
        "verify", "answer_received", office=office.name, what=what, cycle=cycle.title
    )
    await core.tell_role(s, sop.operator, note, actor=person)
    if run.office_id is not None:
        await core.close(s, run, person, "complete")
        from_verify = next(
            (st for st in sop.of_kind(StepKind.VERIFY) if st.reject_to == step.key), None
        )
        if from_verify is not None:
            await show_answer(core, s, cycle, from_verify, office)
    else:
        answered = {
            x.office_id for x in await dip_store.latest_per_office(s, cycle.id) if x.status in SENT
        }
        if all(o.id in answered for o in await core.active_offices(s)):
            await core.close(s, run, None, "complete")
            await core.advance(s, cycle, step, run, person)
    return Outcome(True, texts.render("verify", "answer_sent", office=office.name, what=what))


async def office_of(s: AsyncSession, office_id: int) -> OfficeDTO | None:
    return next((o for o in await people.list_offices(s) if o.id == office_id), None)
