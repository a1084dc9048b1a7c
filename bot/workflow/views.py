"""Read-only views: what a person must do now (/tugas) and where a cycle stands (/status)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.sop import Step, StepKind
from bot.sop.model import Document
from bot.workflow import callback_data, signed
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from bot.workflow.receipts import receipt_summary
from bot.workflow.registers import ARCHIVE_KIND, unanswered_offices
from storage import cycles, documents, outbox, people, proposals, signatures
from storage.dto import CycleDTO, PersonDTO, StepRunDTO


@dataclass(frozen=True, slots=True)
class OfficeAnswer:
    office: str
    state: str  # rows / nihil / none (still open) / missed (closed without an answer)
    rows: int
    when: str


class Views:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    def _holds_run(self, person: PersonDTO, run: StepRunDTO, step: Step) -> bool:
        if run.phase == "collect":
            return person.has(step.actor) or (
                step.closer is not None
                and person.has(step.closer)
                and self.core.now() >= run.due_at
            )
        return person.has(run.holder_role)

    def _closes_later(self, person: PersonDTO, run: StepRunDTO, step: Step) -> bool:
        """The closer of a collect run before its deadline: nothing to do yet, but told."""
        return run.phase == "collect" and step.closer is not None and person.has(step.closer)

    async def _collect_waiting(
        self, s: AsyncSession, cycle: CycleDTO, run: StepRunDTO
    ) -> dict[str, object]:
        """What the petugas waits for in step 3, and from when they may close it."""
        answers = await self._office_answers(s, cycle)
        pending = [a.office for a in answers if a.state == "none"]
        return {
            "cycle": cycle.title,
            "step": await self.core.step_of(s, run),
            "answered": len(answers) - len(pending),
            "total": len(answers),
            "pending": pending,
            "closable_from": self.core.fmt_time(run.due_at),
        }

    async def tasks(self, tg_user_id: int) -> Outcome:
        """The open runs this person must act on, with their deadlines."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            rows = []
            buttons = []
            waiting = []
            for run, cycle in self.core.reads.open_runs():  # refreshed by `guarded`
                step = await self.core.step_of(s, run)
                if not self._holds_run(person, run, step):
                    if self._closes_later(person, run, step):
                        waiting.append(await self._collect_waiting(s, cycle, run))
                    continue
                rows.append(
                    {
                        "cycle": cycle.title,
                        "step": step,
                        "phase": run.phase,
                        "due": self.core.fmt_time(run.due_at),
                        "late": self.core.late_days(run),
                        "overdue": self.core.overdue(run),
                    }
                )
                buttons.append(
                    [
                        [
                            f"Buka: {cycle.title} · langkah {step.id}",
                            callback_data.run_action(run.id, "show", run.version),
                        ]
                    ]
                )
            text = texts.render("views", "tasks", name=person.name, rows=rows, waiting=waiting)
            return Outcome(True, text, buttons=buttons)

        return await self.core.guarded(tg_user_id, "tasks", body, readonly=True)

    async def show_run(self, tg_user_id: int, run_id: int, version: int) -> Outcome:
        """Send the task of a run again to this person (from /tugas)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, version)
            if not self._holds_run(person, run, step):
                raise Refused("wrong_role", role=self.core.role_label(run.holder_role))
            await self.core.announce(s, cycle, step, run, only=person, actor=person)
            return Outcome(True, texts.render("notices", "task_resent"))

        return await self.core.guarded(tg_user_id, "show", body, run_id=run_id)

    async def status(self, tg_user_id: int, cycle_id: int | None = None) -> Outcome:
        """Where a cycle stands; asks which cycle when several are open."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not any(person.has(r) for r in self.core.overseers()):
                raise Refused("wrong_role", role="Petugas, Kepala Dinas atau Admin")
            cycle = await self._pick_cycle(s, cycle_id)
            if isinstance(cycle, Outcome):
                return cycle
            return Outcome(True, await self._status_text(s, cycle), data={"cycle_id": cycle.id})

        return await self.core.guarded(tg_user_id, "status", body, readonly=True)

    async def _pick_cycle(
        self, s: AsyncSession, cycle_id: int | None, command: str = "status"
    ) -> CycleDTO | Outcome:
        if cycle_id is not None:
            cycle = await cycles.get_cycle(s, cycle_id)
            if cycle is None:
                raise Refused("unknown_button")
            return cycle
        open_ = await cycles.open_cycles(s)
        if len(open_) == 1:
            return open_[0]
        candidates = open_ or (await cycles.all_cycles(s))[-5:]
        if not candidates:
            raise Refused("no_cycle")
        if len(candidates) == 1:
            return candidates[0]
        buttons = [[c.title, callback_data.cycle_choice(c.id, command)] for c in candidates]
        return Outcome(True, texts.render("views", "which_cycle"), buttons=[[b] for b in buttons])

    async def _status_text(self, s: AsyncSession, cycle: CycleDTO) -> str:
        open_runs = await cycles.open_runs(s, cycle.id)
        current = []
        for run in open_runs:
            step = await self.core.step_of(s, run)
            names = await people.holder_names(s, run.holder_role, self.core.today())
            current.append(
                {
                    "step": step,
                    "phase": run.phase,
                    "holder": self.core.role_label(run.holder_role),
                    "names": names,
                    "since": self.core.fmt_time(run.assigned_at),
                    "due": self.core.fmt_time(run.due_at),
                    "late": self.core.late_days(run),
                    "overdue": self.core.overdue(run),
                    "attempt": run.attempt,
                }
            )
        answers = await self._office_answers(s, cycle)
        pending = await outbox.count_pending(s)
        docs = await documents.count_latest(s, cycle.id)
        checked = [
            (doc, signed.line(check, self.core.settings))
            for doc, check in await signatures.latest_checked(s, cycle.id)
        ]
        return texts.render(
            "views",
            "status",
            receipts=await receipt_summary(s, cycle.id),
            cycle=cycle,
            current=current,
            answers=answers,
            pending=pending,
            docs=docs,
            signed=checked,
            last_step=(await self.core.sop_of(s, cycle)).last_step,
            finished=self.core.fmt_time(cycle.finished_at) if cycle.finished_at else None,
        )

    async def _office_answers(self, s: AsyncSession, cycle: CycleDTO) -> list[OfficeAnswer]:
        """Each OPD's answer to step 3; once the petugas closed it, an OPD without one is
        "missed" (tidak menjawab), also after the cycle ends."""
        collect = (await self.core.sop_of(s, cycle)).of_kind(StepKind.COLLECT)
        if not collect or cycle.current_step < collect[0].id:
            return []
        closed = any(
            r.phase == "collect" and r.done_at is not None
            for r in await cycles.runs_of(s, cycle.id)
        )
        submitted = {a.office_id: a for a in await proposals.answered(s, cycle.id)}
        missed = set(await unanswered_offices(s, cycle.id)) if closed else set()
        out = []
        for office in await people.list_offices(s, active_only=False):
            a = submitted.get(office.id)
            if a is not None:
                when = self.core.fmt_time(a.submitted_at) if a.submitted_at else ""
                out.append(OfficeAnswer(office.name, "nihil" if a.nihil else "rows", a.rows, when))
            elif office.name in missed:
                out.append(OfficeAnswer(office.name, "missed", 0, ""))
            elif not closed and office.active:
                out.append(OfficeAnswer(office.name, "none", 0, ""))
        return out

    async def cycle_documents(self, tg_user_id: int, cycle_id: int | None = None) -> Outcome:
        """/dokumen: send this person the newest version of every document of a cycle."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not any(person.has(r) for r in self.core.overseers()):
                raise Refused("wrong_role", role="Petugas, Kepala Dinas atau Admin")
            cycle = await self._pick_cycle(s, cycle_id, "dokumen")
            if isinstance(cycle, Outcome):
                return cycle
            sop = await self.core.sop_of(s, cycle)
            docs = [  # not each office's copy of a per-office form, nor the archive itself
                d
                for d in await documents.latest_documents(s, cycle.id)
                if not (d.office_id is not None and _per_office(sop.document(d.kind)))
                and d.kind != ARCHIVE_KIND
            ]
            if not docs:
                return Outcome(True, texts.render("views", "no_documents", cycle=cycle.title))
            text = texts.render("views", "documents", cycle=cycle.title, docs=docs)
            await self.core.tell(s, person, text, documents=docs, actor=person)
            return Outcome(True, "")

        return await self.core.guarded(tg_user_id, "documents", body)


def _per_office(doc: Document | None) -> bool:
    return bool(doc and doc.per_office)
