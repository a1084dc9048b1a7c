"""What the holders of a newly opened run are told: text, documents and buttons per phase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.sop import Step
from storage import people
from storage.dto import CycleDTO, PersonDTO, StepRunDTO

if TYPE_CHECKING:
    from bot.workflow.core import WorkflowCore

PHASE_BUTTONS: dict[str, tuple[tuple[str, str], ...]] = {
    "draft": (("📤 Ajukan", "submit"),),
    "review": (("✅ Setujui", "approve"), ("❌ Tolak", "reject")),
    "collect": (("📎 Unggah Form DIK", "upload"), ("⌨️ Ketik usulan", "type_rows")),
    "deliver": (("📨 Sudah disampaikan", "deliver"),),
    "decide": (("🔍 Mulai / lanjutkan pengujian", "show"),),
    "upload": (("📎 Unggah SK bertanda tangan", "upload"),),
    "publish": (("🌐 Kirim alamat publikasi", "publish"),),
}


async def announce_run(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    step: Step,
    run: StepRunDTO,
    *,
    reason: str | None = None,
    rejected_by: PersonDTO | None = None,
    only: PersonDTO | None = None,
) -> None:
    from bot.workflow.core import run_buttons

    documents = await core.paperwork.for_run(core, s, cycle, step, run)
    context = {
        "cycle": cycle.title,
        "step": step,
        "phase": run.phase,
        "attempt": run.attempt,
        "due": core.fmt_time(run.due_at),
        "actor_label": core.role_label(step.actor),
        "reason": reason,
        "rejected_by": rejected_by.name if rejected_by else None,
    }
    buttons = run_buttons(run, *PHASE_BUTTONS[run.phase])
    if run.phase == "collect" and only is not None and not only.has("ppid_pembantu"):
        text = texts.render("tasks", "collect_close", **context)
        await core.tell(s, only, text, buttons=run_buttons(run, ("🔒 Tutup pengumpulan", "close")))
        return
    if run.phase == "collect":
        buttons.append(run_buttons(run, ("🚫 Nihil", "nihil"))[0])
        await _announce_collect(core, s, cycle, step, run, context, buttons, documents, only)
        return
    recipients = [only] if only else await core.holders(s, run.holder_role)
    text = texts.render("tasks", run.phase, **context)
    for person in recipients:
        if run.phase == "decide" and not person.is_lead("tim_uk"):
            member_text = texts.render("tasks", "decide_member", **context)
            await core.tell(s, person, member_text, documents=documents)
            continue
        await core.tell(s, person, text, buttons=buttons, documents=documents)


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
) -> None:
    """Every OPD's PPID Pembantu gets the letter and its own pre-filled Form DIK."""
    offices = await people.list_offices(s)
    for office in offices:
        if only is not None and only.office_id != office.id:
            continue
        recipients = [only] if only else await core.holders(s, "ppid_pembantu", office.id)
        if not recipients:
            continue
        form = await core.paperwork.form_dik(core, s, cycle, office, run)
        text = texts.render("tasks", "collect", office=office.name, **context)
        for person in recipients:
            await core.tell(s, person, text, buttons=buttons, documents=[*documents, form])
