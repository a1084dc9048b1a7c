"""Shared machinery of the workflow: people, messages, audit, and moving between phases.

The workflow never imports `telegram`: it writes what each official must be told into the
outbox, in the same transaction as the act, and the Telegram layer delivers it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.clock import Clock
from bot.config import Settings
from bot.sop import Sop, SopError, SopRegistry, Step, StepKind
from bot.sop.kinds import Phase, first_phase, holder_of, next_phase
from bot.sop.model import BUILTIN_ROLES, Document
from bot.sop.registry import digest
from bot.workdays import WorkCalendar
from bot.workflow import receipt_letters
from bot.workflow.callback_data import Buttons
from bot.workflow.errors import Refused
from bot.workflow.readmodel import ReadModel
from bot.workflow.render_queue import RenderQueue
from storage import audit, cycles, meetings, outbox, people, sops
from storage.db import Database
from storage.dto import CycleDTO, DocumentDTO, OfficeDTO, PersonDTO, StepRunDTO

if TYPE_CHECKING:
    from bot.workflow.paperwork import Paperwork

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Announcer(Protocol):
    async def __call__(
        self,
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
    ) -> None: ...


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
    sops: SopRegistry
    clock: Clock
    calendar: WorkCalendar
    settings: Settings
    paperwork: Paperwork


class WorkflowCore:
    """Base of the Workflow facade; the mixins in this package add the acts of each step."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.db = deps.db
        self.sops = deps.sops
        # The SOP new cycles start on; a cycle's own version is `await self.sop_of(s, cycle)`.
        self.sop = deps.sops.current()
        # The panel that tests the items (a role with a lead), where no run names the step.
        self._cycle_sops: dict[int, tuple[str, int]] = {}
        panels = self.sop.panel_roles()
        self.panel = panels[0] if panels else ""
        self.clock = deps.clock
        self.calendar = deps.calendar
        self.settings = deps.settings
        self.paperwork = deps.paperwork
        #: Tells a run's holders what to do; set where the workflow is composed, so that the
        #: core imports none of the modules built over it.
        self.announcer: Announcer | None = None
        self.reads = ReadModel(deps.db)
        #: Renders, after each act's commit, the documents the act queued.
        self.renders = RenderQueue(deps.db, deps.settings.render_processes)

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
        on SQLite, does not queue behind a writer; changing anything there is a bug. It finds
        the person in the read model; an act reads them inside its transaction (`person_in`:
        from memory only if no process changed people since it was loaded)."""
        session = self.db.read if readonly else self.db.transaction
        try:
            known = None
            if readonly:  # a view reads the read model, refreshed by one tiny query
                await self.reads.fresh()
                known = self.reads.person(tg_user_id, self.today())
            async with session() as s:  # an act reads the person in its own transaction
                person = known or await self.reads.person_in(s, tg_user_id, self.today())
                if person is None and not allow_unregistered:
                    gone = await people.is_deactivated(s, tg_user_id)
                    raise Refused("deactivated" if gone else "not_registered")
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
        actor: PersonDTO | None,
        buttons: Buttons | None = None,
        documents: Sequence[DocumentDTO] = (),
        dedupe_key: str | None = None,
        receipt: bool = True,
    ) -> None:
        """Queue a message (and files) for one person; buttons go on the last item. A letter
        carries a Diterima button unless `receipt` is False or `person` is the `actor` whose
        act sends it (the sender's own copy); `actor` is None for what the bot sends itself."""
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
        for i, doc in enumerate(documents):
            last = i == len(documents) - 1
            caption = text if caption_fits and last else f"📎 {doc.filename}"
            spec = await self.declared(s, doc) if receipt else None
            if receipt and receipt_letters.needs_receipt(actor, person, doc, spec):
                key = f"{dedupe_key}:{i}" if dedupe_key else None
                row_buttons = buttons if last else None
                await receipt_letters.enqueue_letter(
                    self.now(), s, person, caption, row_buttons, doc, key
                )
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
        receipt: bool = True,
        actor: PersonDTO | None,
    ) -> list[int]:
        """Tell every holder of `role` (but the officials in `skip`); the ids of those told."""
        told = []
        for person in await self.holders(s, role):
            if person.id not in skip:
                await self.tell(
                    s,
                    person,
                    text,
                    actor=actor,
                    buttons=buttons,
                    documents=documents,
                    receipt=receipt,
                )
                told.append(person.id)
        return told

    async def present_members(self, s: AsyncSession, cycle_id: int, panel: str) -> list[PersonDTO]:
        """The panel's members who said Hadir at the newest meeting; all if nobody did."""
        members = await self.holders(s, panel)
        meeting = await meetings.latest_meeting(s, cycle_id)
        if meeting is None:
            return members
        present = {a.official_id for a in await meetings.attendance(s, meeting.id) if a.present}
        return [m for m in members if m.id in present] or members

    def known_roles(self) -> list[str]:
        """Every role some SOP declares (the built-in admin among them), in file order."""
        seen: dict[str, None] = {}
        for key in self.sops.keys:
            seen.update(dict.fromkeys(self.sops.current(key).roles))
        return list(seen)

    def overseers(self) -> tuple[str, ...]:
        """The roles that may follow every cycle (status, registers, reports), and admin."""
        return (*self.sop.overseeing_roles(), *BUILTIN_ROLES)

    async def active_offices(self, s: AsyncSession) -> list[OfficeDTO]:
        return await people.list_offices(s)

    def all_per_office_roles(self) -> tuple[str, ...]:
        """The roles held per office in the SOPs in force."""
        return tuple(
            dict.fromkeys(
                r for k in self.sops.keys for r in self.sops.current(k).per_office_roles()
            )
        )

    def all_panel_roles(self) -> tuple[str, ...]:
        """The panels with a lead in the SOPs in force."""
        return tuple(
            dict.fromkeys(r for k in self.sops.keys for r in self.sops.current(k).panel_roles())
        )

    def collecting_roles(self) -> tuple[str, ...]:
        """The roles that answer a collect step (per office) in the SOPs in force."""
        return tuple(
            dict.fromkeys(
                st.actor
                for key in self.sops.keys
                for st in self.sops.current(key).of_kind(StepKind.COLLECT)
            )
        )

    def role_label(self, role: str) -> str:
        label = self.sop.role_label(role)
        if label == "PPID Pembantu":  # or the city's own word for it ("PPID Pelaksana")
            return self.settings.ppid_pembantu_label
        return label

    # --- the SOP each cycle runs on ------------------------------------------------------------
    async def pinned_sop(self, s: AsyncSession, key: str, version: int) -> Sop:
        """The SOP version a cycle started on: the file in force, or the stored text."""
        sop = self.sops.cached(key, version)
        if sop is not None:
            return sop
        snap = await sops.snapshot(s, key, version)
        text = snap.content if snap is not None else self.sops.archived(key, version)
        if text is None:
            raise SopError(f"SOP {key} versi {version} is neither installed nor stored")
        return self.sops.remember(key, version, text)

    async def sop_of(self, s: AsyncSession, cycle: CycleDTO) -> Sop:
        return await self.pinned_sop(s, cycle.sop_key, cycle.sop_version)

    async def sop_of_id(self, s: AsyncSession, cycle_id: int) -> Sop:
        """The SOP version of a cycle, by its id. A cycle's version never changes, so it is
        remembered."""
        found = self._cycle_sops.get(cycle_id)
        if found is None:
            found = await cycles.sop_of_cycle(s, cycle_id)
            assert found is not None
            self._cycle_sops[cycle_id] = found
        return await self.pinned_sop(s, *found)

    async def step_of(self, s: AsyncSession, run: StepRunDTO | Any) -> Step:
        """The step of `run` (anything with `cycle_id` and `step_key`), read in the SOP
        version of its cycle."""
        return (await self.sop_of_id(s, run.cycle_id)).by_key(run.step_key)

    async def declared(self, s: AsyncSession, doc: DocumentDTO) -> Document | None:
        """A document's declaration in the SOP of its cycle (None outside any cycle)."""
        if doc.cycle_id is None:
            return None
        return (await self.sop_of_id(s, doc.cycle_id)).document(doc.kind)

    async def install_sop(self, s: AsyncSession, sop: Sop) -> None:
        """Store the text of the version a new cycle starts on; the same version with another
        text is refused (the cycles started on it would change meaning)."""
        f = self.sops.file(sop.key)
        stored = await sops.snapshot(s, sop.key, sop.version)
        if stored is None:
            await sops.add_snapshot(
                s,
                sop_key=sop.key,
                version=sop.version,
                sha256=f.sha256,
                content=f.text,
                now=self.now(),
            )
        elif stored.sha256 != digest(f.text):
            raise Refused("sop_changed_same_version", file=f.path.name, version=sop.version)

    # --- runs -------------------------------------------------------------------------------
    async def load_run(self, s: AsyncSession, run_id: int) -> tuple[StepRunDTO, CycleDTO, Step]:
        run = await cycles.lock_run(s, run_id)
        if run is None:
            raise Refused("unknown_button")
        cycle = await cycles.get_cycle(s, run.cycle_id)
        assert cycle is not None
        sop = await self.sop_of(s, cycle)
        return run, cycle, sop.by_key(run.step_key)

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
        step: Step,
        *,
        actor: PersonDTO | None,
        reason: str | None = None,
        rejected_by: PersonDTO | None = None,
    ) -> StepRunDTO:
        attempt = await cycles.attempts_of_step(s, cycle.id, step.key) + 1
        await cycles.set_cycle_step(s, cycle.id, step.key, step.id)
        return await self.begin_phase(
            s,
            cycle,
            step,
            first_phase(step),
            attempt,
            actor=actor,
            reason=reason,
            rejected_by=rejected_by,
        )

    async def begin_phase(
        self,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        phase: Phase,
        attempt: int,
        *,
        actor: PersonDTO | None,
        reason: str | None = None,
        rejected_by: PersonDTO | None = None,
    ) -> StepRunDTO:
        now = self.now()
        due_at = self.due_for(step, now)
        if step.kind is StepKind.COLLECT:  # the deadline the signed Surat Dinas states
            fixed = await cycles.get_cycle(s, cycle.id)
            if fixed and fixed.collect_deadline and attempt == 1:
                due_at = fixed.collect_deadline
            else:
                await cycles.set_collect_deadline(s, cycle.id, due_at)
        run = await cycles.add_run(
            s,
            cycle_id=cycle.id,
            step_key=step.key,
            step_no=step.id,
            phase=phase.name,
            holder_role=holder_of(step, phase),
            attempt=attempt,
            now=now,
            due_at=due_at,
        )
        await self.announce(
            s, cycle, step, run, actor=actor, reason=reason, rejected_by=rejected_by
        )
        return run

    async def announce(
        self,
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
        """Tell the holders of a run what to do, with its documents and buttons (the announcer
        the workflow was composed with: bot/workflow/announce.py)."""
        if self.announcer is None:
            raise RuntimeError("the workflow core was built without an announcer")
        await self.announcer(
            self,
            s,
            cycle,
            step,
            run,
            actor=actor,
            reason=reason,
            rejected_by=rejected_by,
            only=only,
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
        phase = next_phase(step, run.phase)
        if phase is not None:
            await self.begin_phase(s, cycle, step, phase, run.attempt, actor=person)
            return phase.name
        await self.notify_step_done(s, cycle, step, person, told=told)
        following = (await self.sop_of(s, cycle)).after(step)
        if following is None:
            await cycles.finish_cycle(s, cycle.id, self.now(), cycle.published_url)
            return "finished"
        await self.begin_step(s, cycle, following, actor=person)
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
            await self.tell_role(s, role, text, skip={person.id, *told}, actor=person)
