"""Shared machinery of the workflow: people, messages, audit, and moving between phases.

The workflow never imports `telegram`: it writes what each official must be told into the
outbox, in the same transaction as the act, and the Telegram layer delivers it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.clock import Clock
from bot.config import Settings
from bot.sop import Sop, Step, StepKind
from bot.workdays import WorkCalendar
from bot.workflow import actions
from bot.workflow.errors import Refused
from bot.workflow.paperwork import Paperwork
from storage import audit, cycles, meetings, outbox, people
from storage.db import Database
from storage.dto import CycleDTO, DocumentDTO, OfficeDTO, PersonDTO, StepRunDTO

logger = logging.getLogger(__name__)
T = TypeVar("T")
Buttons = list[list[list[str]]]

FIRST_PHASE: dict[StepKind, str] = {
    StepKind.APPROVAL: "draft",
    StepKind.COLLECT: "collect",
    StepKind.DELIVERY: "deliver",
    StepKind.DISPOSITION: "review",
    StepKind.TEST: "decide",
    StepKind.SIGN: "review",
    StepKind.PUBLISH: "publish",
}
PHASE_ACTIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submit"}),
    "review": frozenset({"approve", "reject"}),
    "collect": frozenset({"close", "nihil", "type_rows", "upload"}),
    "deliver": frozenset({"deliver"}),
    "decide": frozenset({"finalise"}),
    "invite": frozenset({"schedule"}),
    "sign_lembar": frozenset({"approve_lembar"}),
    "upload": frozenset({"upload"}),
    "publish": frozenset({"publish"}),
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the acting person is told; `ok` False means nothing was changed."""

    ok: bool
    text: str
    buttons: Buttons = field(default_factory=list)
    document: tuple[str, bytes] | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Deps:
    db: Database
    sop: Sop
    clock: Clock
    calendar: WorkCalendar
    settings: Settings
    paperwork: Paperwork


class WorkflowCore:
    """Base of the Workflow facade; the mixins in this package add the acts of each step."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.db = deps.db
        self.sop = deps.sop
        self.clock = deps.clock
        self.calendar = deps.calendar
        self.settings = deps.settings
        self.paperwork = deps.paperwork

    # --- time ---------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.now().astimezone(self.settings.tz).date()

    def fmt_time(self, dt: datetime) -> str:
        return tanggal.format_waktu(dt, self.settings.timezone_label, self.settings.tz)

    def due_for(self, step: Step, start: datetime) -> datetime:
        return self.calendar.add_working_days(start, step.limit_days)

    def late_days(self, run: StepRunDTO, at: datetime | None = None) -> int:
        """Working days late, counted as the nudges count them (see WorkCalendar.days_late)."""
        return self.calendar.days_late(run.due_at, at or run.done_at or self.now())

    def overdue(self, run: StepRunDTO) -> bool:
        """Past its due time (and still open); a due time that is no longer office time (its
        day became a holiday) is read as the next opening, as the nudges read it."""
        cal = self.calendar
        due = run.due_at if cal.is_office_time(run.due_at) else cal.next_office_open(run.due_at)
        return run.done_at is None and self.now() >= due

    # --- guarded execution ----------------------------------------------------------------
    async def guarded(
        self,
        tg_user_id: int,
        action: str,
        body: Callable[[AsyncSession, PersonDTO], Awaitable[Outcome]],
        *,
        run_id: int | None = None,
        allow_unregistered: bool = False,
        readonly: bool = False,
    ) -> Outcome:
        """Run one act in one transaction; a refusal rolls it back and is audited apart.

        A `readonly` view (a list, a status) reads in a session that is never committed and,
        on SQLite, does not queue behind a writer; changing anything there is a bug."""
        session = self.db.read if readonly else self.db.transaction
        try:
            async with session() as s:
                person = await people.person_by_telegram(s, tg_user_id, self.today())
                if person is None and not allow_unregistered:
                    gone = await people.is_deactivated(s, tg_user_id)
                    raise Refused("deactivated" if gone else "not_registered")
                s.info["actor_id"] = person.id if person else None  # see workflow/receipts.py
                outcome = await body(s, person)  # type: ignore[arg-type]
                if readonly and (s.new or s.dirty or s.deleted):
                    raise RuntimeError(f"the read-only view {action!r} changed data")
                return outcome
        except Refused as refusal:
            await self._audit_refusal(tg_user_id, action, run_id, refusal)
            text = texts.render("refusals", refusal.code, **refusal.params)
            return Outcome(False, text, data={"refused": refusal.code})

    async def _audit_refusal(
        self, tg_user_id: int, action: str, run_id: int | None, refusal: Refused
    ) -> None:
        async with self.db.transaction() as s:
            person = await people.person_by_telegram(s, tg_user_id, self.today())
            run = await cycles.get_run(s, run_id) if run_id else None
            await audit.record(
                s,
                now=self.now(),
                action=action,
                outcome="refused",
                official_id=person.id if person else None,
                telegram_user_id=tg_user_id,
                cycle_id=run.cycle_id if run else None,
                step_run_id=run.id if run else None,
                detail=refusal.code,
            )

    async def refuse(self, tg_user_id: int, action: str, code: str, **params: Any) -> Outcome:
        """A refusal decided before any act (a malformed button, a stranger's message):
        audited like every other refused attempt, and answered with its text."""
        refusal = Refused(code, **params)
        await self._audit_refusal(tg_user_id, action, None, refusal)
        text = texts.render("refusals", code, **params)
        return Outcome(False, text, data={"refused": code})

    async def record(
        self,
        s: AsyncSession,
        person: PersonDTO | None,
        action: str,
        *,
        cycle_id: int | None = None,
        run_id: int | None = None,
        detail: str = "",
    ) -> None:
        await audit.record(
            s,
            now=self.now(),
            action=action,
            outcome="ok",
            official_id=person.id if person else None,
            telegram_user_id=person.telegram_user_id if person else None,
            cycle_id=cycle_id,
            step_run_id=run_id,
            detail=detail,
        )

    # --- people and messages ---------------------------------------------------------------
    async def holders(
        self, s: AsyncSession, role: str, office_id: int | None = None
    ) -> list[PersonDTO]:
        return await people.holders(s, role, self.today(), office_id=office_id)

    async def tell(
        self,
        s: AsyncSession,
        person: PersonDTO,
        text: str,
        *,
        buttons: Buttons | None = None,
        documents: Sequence[DocumentDTO] = (),
        dedupe_key: str | None = None,
    ) -> None:
        """Queue a message (and files) for one person; buttons go on the last item."""
        if person.telegram_user_id is None:
            return
        now = self.now()
        chat = person.telegram_user_id
        if not documents:
            await outbox.enqueue(
                s,
                official_id=person.id,
                chat_id=chat,
                text=text,
                now=now,
                buttons=buttons,
                dedupe_key=dedupe_key,
            )
            return
        caption_fits = len(text) <= 1000
        if not caption_fits:
            await outbox.enqueue(s, official_id=person.id, chat_id=chat, text=text, now=now)
        from bot.workflow import receipts

        for i, doc in enumerate(documents):
            last = i == len(documents) - 1
            caption = text if caption_fits and last else f"📎 {doc.filename}"
            if receipts.needs_receipt(s, person, doc):  # a letter: with a Diterima button
                key = f"{dedupe_key}:{i}" if dedupe_key else None
                row_buttons = buttons if last else None
                await receipts.enqueue_letter(self, s, person, caption, row_buttons, doc, key)
                continue
            await outbox.enqueue(
                s,
                official_id=person.id,
                chat_id=chat,
                text=caption,
                now=now,
                buttons=buttons if last else None,
                document_id=doc.id,
                dedupe_key=f"{dedupe_key}:{i}" if dedupe_key else None,
            )

    async def tell_role(
        self,
        s: AsyncSession,
        role: str,
        text: str,
        *,
        buttons: Buttons | None = None,
        documents: Sequence[DocumentDTO] = (),
        skip: Collection[int] = (),
    ) -> list[int]:
        """Tell every holder of `role` (but the officials in `skip`); the ids of those told."""
        told = []
        for person in await self.holders(s, role):
            if person.id not in skip:
                await self.tell(s, person, text, buttons=buttons, documents=documents)
                told.append(person.id)
        return told

    async def present_members(self, s: AsyncSession, cycle_id: int) -> list[PersonDTO]:
        """Tim UK members who said Hadir at the newest meeting; all members if nobody did."""
        members = await self.holders(s, "tim_uk")
        meeting = await meetings.latest_meeting(s, cycle_id)
        if meeting is None:
            return members
        present = {a.official_id for a in await meetings.attendance(s, meeting.id) if a.present}
        return [m for m in members if m.id in present] or members

    async def active_offices(self, s: AsyncSession) -> list[OfficeDTO]:
        return await people.list_offices(s)

    def role_label(self, role: str) -> str:
        if role == "ppid_pembantu":
            return self.settings.ppid_pembantu_label
        return self.sop.role_label(role)

    # --- runs -------------------------------------------------------------------------------
    async def load_run(self, s: AsyncSession, run_id: int) -> tuple[StepRunDTO, CycleDTO, Step]:
        run = await cycles.lock_run(s, run_id)
        if run is None:
            raise Refused("unknown_button")
        cycle = await cycles.get_cycle(s, run.cycle_id)
        assert cycle is not None
        return run, cycle, self.sop.step(run.step_no)

    async def check_open(self, s: AsyncSession, run: StepRunDTO, version: int | None) -> None:
        if run.status != "open" or (version is not None and version != run.version):
            who = (
                await people.person_by_id(s, run.actor_id, self.today()) if run.actor_id else None
            )
            raise Refused(
                "already_done",
                outcome=run.outcome or "",
                actor=who.name if who else "",
                when=self.fmt_time(run.done_at) if run.done_at else "",
            )

    def check_holder(self, person: PersonDTO, run: StepRunDTO, role: str | None = None) -> None:
        role = role or run.holder_role
        if not person.has(role):
            raise Refused("wrong_role", role=self.role_label(role))

    async def close(
        self,
        s: AsyncSession,
        run: StepRunDTO,
        person: PersonDTO | None,
        outcome_word: str,
        reason: str | None = None,
    ) -> None:
        closed = await cycles.close_run(
            s,
            run,
            outcome=outcome_word,
            actor_id=person.id if person else None,
            now=self.now(),
            reason=reason,
        )
        if not closed:
            raise Refused("already_done", outcome="", actor="", when="")

    async def begin_step(
        self,
        s: AsyncSession,
        cycle: CycleDTO,
        step_no: int,
        *,
        reason: str | None = None,
        rejected_by: PersonDTO | None = None,
    ) -> StepRunDTO:
        step = self.sop.step(step_no)
        attempt = await cycles.attempts_of_step(s, cycle.id, step_no) + 1
        await cycles.set_cycle_step(s, cycle.id, step_no)
        phase = FIRST_PHASE[step.kind]
        role = step.drafter if phase == "draft" and step.drafter else step.actor
        return await self.begin_phase(
            s, cycle, step, phase, role, attempt, reason=reason, rejected_by=rejected_by
        )

    async def begin_phase(
        self,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        phase: str,
        role: str,
        attempt: int,
        *,
        reason: str | None = None,
        rejected_by: PersonDTO | None = None,
    ) -> StepRunDTO:
        now = self.now()
        run = await cycles.add_run(
            s,
            cycle_id=cycle.id,
            step_no=step.id,
            phase=phase,
            holder_role=role,
            attempt=attempt,
            now=now,
            due_at=self.due_for(step, now),
        )
        await self.announce(s, cycle, step, run, reason=reason, rejected_by=rejected_by)
        return run

    async def announce(
        self,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        run: StepRunDTO,
        *,
        reason: str | None = None,
        rejected_by: PersonDTO | None = None,
        only: PersonDTO | None = None,
    ) -> None:
        """Tell the holders of a run what to do, with its documents and buttons."""
        from bot.workflow.announce import announce_run

        await announce_run(
            self, s, cycle, step, run, reason=reason, rejected_by=rejected_by, only=only
        )

    async def advance(
        self,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        run: StepRunDTO,
        person: PersonDTO,
        *,
        told: Collection[int] = (),
    ) -> str:
        """After a run is done: open the next phase, the next step, or finish the cycle.

        `told`: officials already told that the step is done (the drafter who was just sent the
        signed letters, which say who signed them): they get no separate notice."""
        if run.phase == "draft" and step.kind is StepKind.APPROVAL:
            await self.begin_phase(s, cycle, step, "review", step.actor, run.attempt)
            return "review"
        if run.phase == "review" and step.kind is StepKind.SIGN:
            assert step.uploader is not None
            await self.begin_phase(s, cycle, step, "upload", step.uploader, run.attempt)
            return "upload"
        if run.phase == "review" and step.kind is StepKind.DISPOSITION and step.invite_by:
            await self.begin_phase(s, cycle, step, "invite", step.invite_by, run.attempt)
            return "invite"
        if run.phase == "decide" and step.kind is StepKind.TEST:
            await self.begin_phase(s, cycle, step, "sign_lembar", step.actor, run.attempt)
            return "sign_lembar"
        await self.notify_step_done(s, cycle, step, person, told=told)
        if step.id == self.sop.last_step:
            await cycles.finish_cycle(s, cycle.id, self.now(), cycle.published_url)
            return "finished"
        await self.begin_step(s, cycle, step.id + 1)
        return "next"

    async def notify_step_done(
        self,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        person: PersonDTO,
        *,
        told: Collection[int] = (),
    ) -> None:
        text = texts.render(
            "notices", "step_done", cycle=cycle.title, step=step, actor=person.name
        )
        for role in step.notify:
            await self.tell_role(s, role, text, skip={person.id, *told})


def run_buttons(run: StepRunDTO, *pairs: tuple[str, str]) -> Buttons:
    """One row of buttons acting on `run`: (label, action) pairs."""
    return [[[label, actions.run_action(run.id, action, run.version)] for label, action in pairs]]
