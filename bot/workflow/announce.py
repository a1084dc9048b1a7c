"""What the holders of a newly opened run are told: text, documents and buttons per phase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.sop import Step
from bot.sop.kinds import PHASES
from bot.sop.model import Document
from bot.tanggal import format_hari_tanggal, format_jam
from bot.workflow import callback_data, verify
from bot.workflow.callback_data import run_buttons
from bot.workflow.fanout import Note, tell_all
from storage import meetings, people
from storage.dto import CycleDTO, PersonDTO, StepRunDTO

if TYPE_CHECKING:
    from bot.workflow.core import WorkflowCore


async def announce_run(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    step: Step,
    run: StepRunDTO,
    *,
    actor: PersonDTO | None,
    reason: str | None = None,
    rejected_by: PersonDTO | None = None,
    only: PersonDTO | None = None,
) -> None:
    """Tell the holders of `run` what to do; `actor` is whose act opened it (None: the bot)."""
    documents = await core.paperwork.for_run(core, s, cycle, step, run)
    sop = await core.sop_of(s, cycle)
    context: dict[str, object] = {
        # The step's own document and working form, as the SOP file declares them.
        "output": sop.document(step.outputs[0]) if step.outputs else None,
        "form": sop.document(step.form) if step.form else None,
        "recipients": [core.role_label(r) for r in step.distribute_to],
        "page": sop.public_page(),
        "cycle": cycle.title,
        "step": step,
        "phase": run.phase,
        "attempt": run.attempt,
        "due": core.fmt_time(run.due_at),
        "actor_label": core.role_label(step.actor),
        "reason": reason,
        "rejected_by": rejected_by.name if rejected_by else None,
    }
    buttons = run_buttons(run, *phase_buttons(run.phase, context))
    if run.phase == "collect" and only is not None and not only.has(step.actor):
        text = texts.render("tasks", "collect_close", **context)
        await core.tell(
            s, only, text, buttons=run_buttons(run, ("🔒 Tutup pengumpulan", "close")), actor=actor
        )
        return
    if run.phase == "collect":
        buttons.append(run_buttons(run, (f"🚫 {step.empty_answer}", "nihil"))[0])
        await _announce_collect(
            core, s, cycle, step, run, context, buttons, documents, only, actor=actor
        )
        return
    if run.phase == "verify":
        text = texts.render("tasks", "verify", **context)
        await verify.announce(core, s, cycle, step, run, text, buttons, only)
        return
    if run.phase == "decide":
        await _announce_test(
            core, s, cycle, step, run, context, buttons, documents, only, actor=actor
        )
        return
    if run.phase == "sign_lembar":
        recipients = await core.present_members(s, cycle.id, step.actor)
        recipients = [p for p in recipients if only is None or p.id == only.id]
    else:
        recipients = [only] if only else await core.holders(s, run.holder_role)
    text = texts.render("tasks", run.phase, **context)
    for person in recipients:
        await core.tell(s, person, text, buttons=buttons, documents=documents, actor=actor)


async def _announce_test(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    step: Step,
    run: StepRunDTO,
    context: dict[str, object],
    buttons: list[list[list[str]]],
    documents: list,
    only: PersonDTO | None,
    *,
    actor: PersonDTO | None,
) -> None:
    """The invitation with Hadir / Tidak hadir to every member; the ketua also starts the test."""
    meeting = await meetings.latest_meeting(s, cycle.id)
    tester = await meetings.tester_of(s, cycle.id)
    recipients = [only] if only else await core.holders(s, step.actor)
    for person in recipients:
        attend: list[list[list[str]]] = []
        if meeting is not None:
            attend = [
                [
                    ["🙋 Hadir", callback_data.attendance_action(meeting.id, True)],
                    ["🚫 Tidak hadir", callback_data.attendance_action(meeting.id, False)],
                ]
            ]
        leads = person.is_lead(step.actor) or person.id == tester
        name = "decide" if leads else "decide_member"
        text = texts.render(
            "tasks",
            name,
            meeting=_meeting_text(core, meeting),
            **context,  # type: ignore[arg-type]
        )
        await core.tell(
            s,
            person,
            text,
            buttons=attend + (buttons if leads else []),
            documents=documents,
            actor=actor,
        )
        if leads and step.form:  # the sheet the lead fills in to decide items in bulk
            sheet = await core.paperwork.make(core, s, cycle, step.id, step.form, number=False)
            await core.tell(
                s, person, texts.render("tasks", "analysis_sheet"), documents=[sheet], actor=actor
            )


def _meeting_text(core: WorkflowCore, meeting: meetings.MeetingDTO | None) -> str:
    if meeting is None:
        return ""
    return (
        f"{format_hari_tanggal(meeting.starts_at.astimezone(core.settings.tz).date())} pukul "
        f"{format_jam(meeting.starts_at, core.settings.tz)} {core.settings.timezone_label}, "
        f"{meeting.place} — {meeting.agenda}"
    )


async def _announce_collect(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    step: Step,
    run: StepRunDTO,
    context: dict[str, object],
    buttons: list[list[list[str]]],
    documents: list,
    only: PersonDTO | None,
    *,
    actor: PersonDTO | None,
) -> None:
    """Every OPD's PPID Pembantu gets the letter and its own pre-filled Form DIK: the forms
    and the messages of all OPDs are written in a few statements, whatever their number."""
    offices = [o for o in await people.list_offices(s) if only is None or only.office_id == o.id]
    told: dict[int, list[PersonDTO]] = {o.id: [] for o in offices}
    for person in [only] if only else await core.holders(s, step.actor):
        for office_id in {r.office_id for r in person.roles if r.role == step.actor}:
            if office_id in told and (only is not None or person not in told[office_id]):
                told[office_id].append(person)
    if only is not None and only.office_id in told:
        told[only.office_id] = [only]
    offices = [o for o in offices if told[o.id]]
    forms = (  # every OPD's own form in one go (rendered after the act)
        await core.paperwork.office_forms(core, s, cycle, offices, run, step.form)
        if step.form
        else {}
    )
    notes = []
    for office in offices:
        form = forms.get(office.id)
        own = [form] if form is not None else []
        text = texts.render("tasks", "collect", office=office.name, **context)
        notes += [
            Note(person, text, buttons=buttons, documents=[*documents, *own])
            for person in told[office.id]
        ]
    await tell_all(core, s, notes, actor=actor)


def phase_buttons(phase: str, context: dict[str, object]) -> list[tuple[str, str]]:
    """The phase's buttons, their labels naming the step's own documents."""
    names = {
        key: doc.name if isinstance(doc, Document) else "berkas"
        for key, doc in (("output", context.get("output")), ("form", context.get("form")))
    }
    return [(label.format(**names), action) for label, action in PHASES[phase].buttons]
