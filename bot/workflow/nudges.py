"""Deadline nudges and escalation: one sweep over the open step runs writes what is owed.

The schedule of one open run due at D (local time of the calendar; an "opening" is the office
opening of a working day; if D is not office time, e.g. its day became a holiday, D is read as
the next opening):

* ``due_today``: at the opening of D's day, to the holders, if the run was assigned on an
  earlier day and D is later than that moment;
* ``due_now``: at D, to the holders and to the petugas;
* ``overdue``: at the opening of every working day after D's day, to the holders, saying for
  how many working days it is late (the k-th working day after D's day is k days late);
* ``escalation``: from D + 1 working day (one whole working day overdue), then at the opening
  of every later working day, to the holders of the step's ``escalate_to`` role who do not
  hold the run themselves (for a step whose holder is its own superior, there is nobody).

The holders are the people who must act: for step 3 only the PPID Pembantu of the OPDs that
have not answered; for the consequence test the ketua (or the appointed tester).

Nothing is written outside office time: a sweep then does nothing, and the first sweep in office
time writes what became owed meanwhile. Of the holder's reminders only the newest owed one is
written (after a three-day outage: one ``overdue``, not three), and escalation at most once a
working day. Each nudge is recorded with its outbox message in one transaction under the unique
key (run, official, kind, working day), so it is sent exactly once, across restarts, racing
sweeps and failed sends (the outbox retries the message, the key stops a second one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.sop import Step
from bot.workdays import WorkCalendar
from bot.workflow import callback_data
from bot.workflow.answers import answered_offices
from bot.workflow.calendar_days import CalendarDays
from bot.workflow.callback_data import Buttons
from bot.workflow.core import WorkflowCore
from bot.workflow.receipts import Receipts
from bot.workflow.views import Views
from storage import cycles, meetings, nudges
from storage.dto import CycleDTO, PersonDTO, StepRunDTO

logger = logging.getLogger(__name__)

DUE_TODAY = "due_today"
DUE_NOW = "due_now"
OVERDUE = "overdue"
ESCALATION = "escalation"
RUNS_PER_TRANSACTION = 25


@dataclass(frozen=True, slots=True)
class Owed:
    """What one run owes at one moment (in office time)."""

    work_day: date
    holder_kind: str | None  # due_today / due_now / overdue, or None
    late: int  # working days after the due day (overdue and escalation)
    escalate: bool


def owed(cal: WorkCalendar, assigned_at: datetime, due_at: datetime, now: datetime) -> Owed | None:
    """The nudges a run assigned at `assigned_at`, due at `due_at`, owes at `now` (newest only);
    None outside office time or when nothing is owed."""
    if not cal.is_office_time(now):
        return None
    tz = cal.tz
    today = now.astimezone(tz).date()
    due = due_at if cal.is_office_time(due_at) else cal.next_office_open(due_at)
    due_day = due.astimezone(tz).date()
    kind: str | None = None
    late = 0
    if today > due_day:
        kind = OVERDUE
        late = cal.days_late(due_at, now)
    elif now >= due:
        kind = DUE_NOW
    elif today == due_day and assigned_at.astimezone(tz).date() < today:
        kind = DUE_TODAY
    escalate = now >= cal.add_working_days(due, 1)
    if kind is None and not escalate:
        return None
    return Owed(today, kind, late, escalate)


@dataclass(frozen=True, slots=True)
class _Nudge:
    person: PersonDTO
    kind: str
    text: str
    buttons: Buttons


class Nudges:
    def __init__(
        self, core: WorkflowCore, calendar_days: CalendarDays, receipts: Receipts, views: Views
    ) -> None:
        self.core = core
        self.calendar_days = calendar_days
        self.receipts = receipts
        self.views = views

    async def sweep(self) -> int:
        """Write every nudge and receipt reminder owed now; returns how many were queued.

        Called every minute by the JobQueue (and once at start); safe to call any number of
        times: what was already recorded is not written again.
        """
        await self.calendar_days.refresh_calendar()
        now = self.core.now()
        if not self.core.calendar.is_office_time(now):
            return 0
        # A run due after today owes nothing yet (a deadline outside office time only moves
        # later): only the runs due by tonight are looked at, however many are open.
        today = now.astimezone(self.core.calendar.tz).date()
        tonight = datetime.combine(
            today + timedelta(days=1), time(0), tzinfo=self.core.calendar.tz
        )
        async with self.core.db.read() as s:
            owing = [
                (run, plan)
                for run in await nudges.open_runs_due_by(s, tonight)
                if (plan := owed(self.core.calendar, run.assigned_at, run.due_at, now)) is not None
            ]
            recorded = await nudges.kinds_recorded(s, [run.id for run, _plan in owing], today)
            superiors = {run.id: (await self.core.step_of(s, run)).escalate_to for run, _ in owing}
        todo = [
            run.id
            for run, plan in owing
            if not self._recorded(run, plan, recorded[run.id], superiors[run.id])
        ]
        queued = 0
        roles: dict[str, list[PersonDTO]] = {}
        for start in range(0, len(todo), RUNS_PER_TRANSACTION):
            queued += await self._nudge_runs(
                todo[start : start + RUNS_PER_TRANSACTION], now, roles
            )
        queued += await self.receipts.remind_receipts()
        if queued:
            logger.info("sweep: %s nudges and reminders queued", queued)
        return queued

    def _recorded(
        self, run: nudges.DueRun, plan: Owed, kinds: set[str], superior: str | None
    ) -> bool:
        """Whether today's kinds of this plan were already written (then the run is skipped
        until the next kind is owed: someone who becomes a holder later in the day is reminded
        from the next one)."""
        escalates = plan.escalate and superior is not None and superior != run.holder_role
        return (plan.holder_kind is None or plan.holder_kind in kinds) and (
            not escalates or ESCALATION in kinds
        )

    async def nudge_holders(
        self,
        s: AsyncSession,
        run: StepRunDTO,
        cycle: CycleDTO,
        roles: dict[str, list[PersonDTO]] | None = None,
    ) -> list[PersonDTO]:
        """Who must act on a run now (and is reminded of it). `roles` caches the holders of
        each role during one sweep (they are the same for every run on one day)."""
        if run.phase == "collect":
            waiting = await self._waiting_offices(s, cycle, run)
            return [
                p
                for p in await self._role_holders(s, run.holder_role, roles)
                if any(r.role == run.holder_role and r.office_id in waiting for r in p.roles)
            ]
        if run.phase == "decide":
            everyone = await self._role_holders(s, run.holder_role, roles)
            tester = await meetings.tester_of(s, cycle.id)
            leads = [p for p in everyone if p.is_lead(self.core.panel) or p.id == tester]
            return leads or everyone
        if run.phase == "sign_lembar":
            return await self.core.present_members(s, cycle.id, run.holder_role)
        return await self._role_holders(s, run.holder_role, roles)

    async def _role_holders(
        self, s: AsyncSession, role: str, roles: dict[str, list[PersonDTO]] | None
    ) -> list[PersonDTO]:
        if roles is None:
            return await self.core.holders(s, role)
        if role not in roles:
            roles[role] = await self.core.holders(s, role)
        return roles[role]

    async def _waiting_offices(
        self, s: AsyncSession, cycle: CycleDTO, run: StepRunDTO
    ) -> dict[int, str]:
        """The active OPDs that have not answered the collect step yet: id -> name (only the
        run's own office, for a run reopened for one office)."""
        answered = await answered_offices(self.core, s, cycle)
        return {
            o.id: o.name
            for o in await self.core.active_offices(s)
            if o.id not in answered and run.office_id in (None, o.id)
        }

    async def _nudge_runs(
        self, run_ids: list[int], now: datetime, roles: dict[str, list[PersonDTO]]
    ) -> int:
        """Record what these runs owe, in one transaction with a savepoint per run (a run that
        cannot be nudged is logged and skipped, the others are written); returns how many
        nudges were new."""
        queued = 0
        async with self.core.db.transaction() as s:
            for run_id in run_ids:
                try:
                    async with s.begin_nested():
                        new = await self._nudge_run(s, run_id, now, roles)
                except Exception:
                    logger.exception("the nudges of step run %s could not be written", run_id)
                    continue
                queued += new
        return queued

    async def _nudge_run(
        self, s: AsyncSession, run_id: int, now: datetime, roles: dict[str, list[PersonDTO]]
    ) -> int:
        """Record what one run owes (each nudge with its outbox message); how many were new."""
        run = await cycles.lock_run(s, run_id)
        if run is None or run.status != "open":
            return 0
        plan = owed(self.core.calendar, run.assigned_at, run.due_at, now)
        if plan is None:
            return 0
        cycle = await cycles.get_cycle(s, run.cycle_id)
        assert cycle is not None
        queued = 0
        for n in await self._nudge_plan(s, run, cycle, plan, roles):
            assert n.person.telegram_user_id is not None
            outbox_id = await nudges.record(
                s,
                step_run_id=run.id,
                official_id=n.person.id,
                kind=n.kind,
                work_day=plan.work_day,
                now=now,
                chat_id=n.person.telegram_user_id,
                text=n.text,
                buttons=n.buttons,
            )
            queued += outbox_id is not None
        return queued

    async def _nudge_plan(
        self,
        s: AsyncSession,
        run: StepRunDTO,
        cycle: CycleDTO,
        plan: Owed,
        roles: dict[str, list[PersonDTO]],
    ) -> list[_Nudge]:
        step = await self.core.step_of(s, run)
        holders = await self.nudge_holders(s, run, cycle, roles)
        offices = await self._waiting_offices(s, cycle, run) if run.phase == "collect" else {}
        context = {
            "cycle": cycle.title,
            "step": step,
            "due": self.core.fmt_time(run.due_at),
            "late": plan.late,
            "holder": self.core.role_label(run.holder_role),
            "names": [p.name for p in holders],
            "missing": sorted(offices.values()),
        }
        out: list[_Nudge] = []
        if plan.holder_kind is not None:
            for p in holders:
                office = ", ".join(
                    offices[r.office_id]
                    for r in p.roles
                    if r.role == run.holder_role and r.office_id in offices
                )
                text = texts.render("nudges", plan.holder_kind, own=True, office=office, **context)
                out.append(
                    _Nudge(p, plan.holder_kind, text, self._nudge_buttons(p, run, step, cycle))
                )
        if plan.holder_kind == DUE_NOW:
            told = {p.id for p in holders}
            for p in await self._role_holders(s, self.core.sop.operator, roles):
                if p.id not in told:
                    text = texts.render("nudges", DUE_NOW, own=False, office="", **context)
                    out.append(_Nudge(p, DUE_NOW, text, self._nudge_buttons(p, run, step, cycle)))
        if plan.escalate and step.escalate_to:
            for p in await self._role_holders(s, step.escalate_to, roles):
                if p.has(run.holder_role):
                    continue  # the holder is their own superior here: already reminded
                text = texts.render("nudges", ESCALATION, **context)
                out.append(_Nudge(p, ESCALATION, text, self._nudge_buttons(p, run, step, cycle)))
        return out

    def _nudge_buttons(
        self, person: PersonDTO, run: StepRunDTO, step: Step, cycle: CycleDTO
    ) -> Buttons:
        """Open the task for someone who can act on it; else the cycle's status, if allowed."""
        if self.views._holds_run(person, run, step):
            return [[["📂 Buka tugas", callback_data.run_action(run.id, "show", run.version)]]]
        if any(person.has(r) for r in self.core.overseers()):
            return [[["📊 Lihat status", callback_data.cycle_choice(cycle.id, "status")]]]
        return []
