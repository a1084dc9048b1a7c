"""An official's lifecycle: deactivated when they leave the office, reactivated if they return.

Steps are held by roles, so an open task of someone deactivated stays with whoever else holds
that role (for step 3: the same OPD's other PPID Pembantu; in the Tim UK: another ketua, or the
ketua when the member who was appointed tester leaves). Those holders are told; a task that
nobody holds any more is flagged: the admins are told at once and `/admin` lists it until
someone is invited. From the moment of the change every act of the deactivated official is
refused (each act reads the official afresh), what the outbox still owed them is not sent, and
the change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.workflow.answers import answered_offices
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import cycles, meetings, outbox, people
from storage.dto import CycleDTO, PersonDTO, StepRunDTO
from storage.ops import GIVE_UP_AFTER
from storage.people import OfficialRow

NOT_SENT = "pejabat dinonaktifkan: tidak dikirim"


@dataclass(frozen=True, slots=True)
class OpenTask:
    """An open step that a role (for an OPD, or the Tim UK's ketua) must act on, and who
    holds it now; nobody means flagged."""

    cycle: str
    step_no: int
    step: str
    role: str  # the label shown
    office: str | None
    holders: tuple[str, ...]
    role_key: str = ""
    office_id: int | None = None
    holder_ids: tuple[int, ...] = ()

    @property
    def flagged(self) -> bool:
        return not self.holders


@dataclass(frozen=True, slots=True)
class OfficialChange:
    official_id: int
    name: str
    active: bool
    changed: bool
    tasks: tuple[OpenTask, ...] = ()
    tester_cleared: tuple[str, ...] = ()
    not_sent: int = 0
    roles: tuple[str, ...] = field(default=())


class Officials:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def officials(self) -> list[OfficialRow]:
        async with self.core.db.read() as s:
            return await people.all_officials(s)

    async def set_official_active(self, official_id: int, active: bool) -> OfficialChange | None:
        """From the CLI (`python -m bot official deactivate|reactivate ID`)."""
        async with self.core.db.transaction() as s:
            return await self._change_official(s, None, official_id, active)

    async def admin_officials(self, tg_user_id: int) -> Outcome:
        """/admin pejabat: every official with id, state and roles."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            rows = await people.all_officials(s)
            return Outcome(True, texts.render("admin", "officials", rows=rows))

        return await self.core.guarded(tg_user_id, "officials", body, readonly=True)

    async def admin_set_official_active(
        self, tg_user_id: int, official_ref: str, active: bool
    ) -> Outcome:
        """/admin nonaktifkan ID, /admin aktifkan ID."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            if not official_ref.isdigit():
                raise Refused("official_usage")
            if int(official_ref) == person.id and not active:
                raise Refused("deactivate_self")
            change = await self._change_official(s, person, int(official_ref), active)
            if change is None:
                raise Refused("no_such_official", ref=official_ref)
            return Outcome(True, texts.render("admin", "official_changed", change=change))

        return await self.core.guarded(tg_user_id, "official_active", body)

    async def _change_official(
        self, s: AsyncSession, actor: PersonDTO | None, official_id: int, active: bool
    ) -> OfficialChange | None:
        before = await people.person_by_id(s, official_id, self.core.today())
        changed = await people.set_official_active(s, official_id, active)
        if before is None or changed is None:
            return None
        roles = tuple(sorted(before.role_keys))
        if not changed:
            return OfficialChange(official_id, before.name, active, False, roles=roles)
        if not active:
            return await self._deactivated(s, actor, before, roles)
        await self.core.record(
            s, actor, "official_reactivate", detail=f"{before.name} (id {official_id})"
        )
        if before.telegram_user_id is not None:
            await self.core.tell(
                s, before, texts.render("admin", "you_are_reactivated"), actor=actor
            )
        return OfficialChange(official_id, before.name, True, True, roles=roles)

    async def _deactivated(
        self, s: AsyncSession, actor: PersonDTO | None, gone: PersonDTO, roles: tuple[str, ...]
    ) -> OfficialChange:
        not_sent = await outbox.give_up_for(s, gone.id, NOT_SENT, GIVE_UP_AFTER)
        cleared: list[str] = []
        for run, cycle in await cycles.open_runs_with_cycles(s):
            panel = run.holder_role in self.core.all_panel_roles()
            if panel and await meetings.tester_of(s, cycle.id) == gone.id:
                await meetings.set_tester(s, cycle.id, None)  # back to the ketua
                if cycle.title not in cleared:
                    cleared.append(cycle.title)
        tasks = [t for t in await self.open_tasks(s) if self._was_theirs(t, gone)]
        await self.core.record(
            s,
            actor,
            "official_deactivate",
            detail=f"{gone.name} (id {gone.id}); tugas: {_summary(tasks)}",
        )
        if gone.telegram_user_id is not None:
            await self.core.tell(
                s, gone, texts.render("admin", "you_are_deactivated"), actor=actor
            )
        for task in tasks:
            text = texts.render("admin", "task_after_deactivation", gone=gone.name, task=task)
            if task.flagged:
                await self.core.tell_role(s, "admin", text, actor=actor)
            else:
                for holder in await self._task_holders(s, task):
                    await self.core.tell(s, holder, text, actor=actor)
        return OfficialChange(
            gone.id, gone.name, False, True, tuple(tasks), tuple(cleared), not_sent, roles
        )

    def _was_theirs(self, task: OpenTask, gone: PersonDTO) -> bool:
        """The task was one the official could act on (their OPD's; the ketua's)."""
        for r in gone.roles:
            if r.role != task.role_key:
                continue
            if r.role in self.core.all_per_office_roles():
                if task.office_id is not None and task.office_id == r.office_id:
                    return True
            elif r.role not in self.core.all_panel_roles() or r.is_lead:
                return True
        return False

    async def _task_holders(self, s: AsyncSession, task: OpenTask) -> list[PersonDTO]:
        everyone = await self.core.holders(s, task.role_key, task.office_id)
        return [p for p in everyone if p.id in task.holder_ids]

    async def open_tasks(self, s: AsyncSession) -> list[OpenTask]:
        """Every open step with the people who can act on it now: for step 3 one per OPD
        that has not answered, for the Tim UK its ketua."""
        out: list[OpenTask] = []
        waiting: dict[int, set[int]] = {}
        for run, cycle in await cycles.open_runs_with_cycles(s):
            out += await self._tasks_of(s, run, cycle, waiting)
        return out

    async def orphan_tasks(self, s: AsyncSession) -> list[OpenTask]:
        return [t for t in await self.open_tasks(s) if t.flagged]

    async def _tasks_of(
        self, s: AsyncSession, run: StepRunDTO, cycle: CycleDTO, waiting: dict[int, set[int]]
    ) -> list[OpenTask]:
        try:  # the step in the cycle's own SOP (a DIP cycle's step 3 is not the DIK's)
            title = (await self.core.step_of(s, run)).title
        except (KeyError, IndexError, ValueError):
            title = ""
        label = self.core.role_label(run.holder_role)

        def task(
            holders: list[PersonDTO], office: str | None = None, office_id: int | None = None
        ) -> OpenTask:
            return OpenTask(
                cycle.title,
                run.step_no,
                title,
                label,
                office,
                tuple(p.name for p in holders),
                role_key=run.holder_role,
                office_id=office_id,
                holder_ids=tuple(p.id for p in holders),
            )

        if run.holder_role in self.core.all_per_office_roles():
            if cycle.id not in waiting:
                waiting[cycle.id] = await answered_offices(self.core, s, cycle)
            return [
                task(
                    await self.core.holders(s, run.holder_role, office.id), office.name, office.id
                )
                for office in await self.core.active_offices(s)
                if office.id not in waiting[cycle.id] and run.office_id in (None, office.id)
            ]
        holders = await self.core.holders(s, run.holder_role)
        if run.holder_role in self.core.all_panel_roles():
            holders = [p for p in holders if p.is_lead(run.holder_role)]
        return [task(holders)]


def _summary(tasks: list[OpenTask]) -> str:
    """For the audit log: each task and who holds it now (or that nobody does)."""
    parts = [
        f"{t.cycle} langkah {t.step_no}{' ' + t.office if t.office else ''} -> "
        + (", ".join(t.holders) or "TANPA PEMEGANG")
        for t in tasks
    ]
    return "; ".join(parts) or "-"
