"""Step 7: the Tim Uji Konsekuensi decides every proposed item; the ketua finalises."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import pasal17, texts
from bot.workflow import actions
from bot.workflow.collect import decode_bases
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import proposals
from storage.dto import CycleDTO, DecisionDTO, PersonDTO, RowDTO, StepRunDTO

DECISION_LABELS = {
    "dikecualikan": "Dikecualikan",
    "sebagian": "Dikecualikan sebagian",
    "terbuka": "Terbuka (tidak dikecualikan)",
}
MAX_BLACKED_OUT = 1000


@dataclass(frozen=True, slots=True)
class Item:
    """A proposed row as the Tim UK sees it, with its office and current decision."""

    no: int
    row: RowDTO
    office: str
    decision: DecisionDTO | None


async def cycle_items(s: AsyncSession, cycle_id: int) -> list[Item]:
    decided = await proposals.current_decisions(s, cycle_id)
    items: list[Item] = []
    for proposal in await proposals.submitted(s, cycle_id):
        for row in proposal.rows:
            items.append(Item(len(items) + 1, row, proposal.office_name, decided.get(row.id)))
    return items


async def check_all_decided(s: AsyncSession, cycle: CycleDTO) -> None:
    """The ketetapan can be finalised only when every item has a decision."""
    items = await cycle_items(s, cycle.id)
    open_items = [i for i in items if i.decision is None]
    if open_items:
        raise Refused("items_open", open=len(open_items), total=len(items))


class ConsequenceMixin(WorkflowCore):
    async def next_item(self, tg_user_id: int, run_id: int, version: int) -> Outcome:
        """Show the ketua the next undecided item (or the finalise button)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, _step = await self._decide_run(s, person, run_id)
            return await self._next_item_outcome(s, run, cycle)

        return await self.guarded(tg_user_id, "show_item", body, run_id=run_id)

    async def _decide_run(
        self, s: AsyncSession, person: PersonDTO, run_id: int
    ) -> tuple[StepRunDTO, CycleDTO, object]:
        run, cycle, step = await self.load_run(s, run_id)
        await self.check_open(s, run, None)
        if run.phase != "decide":
            raise Refused("unknown_button")
        self.check_holder(person, run)
        if not person.is_lead("tim_uk"):
            raise Refused("lead_only")
        return run, cycle, step

    async def _next_item_outcome(
        self, s: AsyncSession, run: StepRunDTO, cycle: CycleDTO
    ) -> Outcome:
        items = await cycle_items(s, cycle.id)
        done = sum(1 for i in items if i.decision is not None)
        pending = next((i for i in items if i.decision is None), None)
        if pending is None:
            text = texts.render(
                "notices", "all_decided", total=len(items), items=items, labels=DECISION_LABELS
            )
            buttons = [
                [["🖋 Finalisasi Ketetapan", actions.run_action(run.id, "finalise", run.version)]]
            ]
            return Outcome(True, text, buttons=buttons)
        row = pending.row
        text = texts.render(
            "notices",
            "item",
            item=pending,
            total=len(items),
            done=done,
            basis=pasal17.format_basis(decode_bases(row.bases), row.other_law),
        )
        buttons = [
            [
                ["Dikecualikan", actions.decision_action(row.id, "k", run.id)],
                ["Sebagian", actions.decision_action(row.id, "s", run.id)],
                ["Terbuka", actions.decision_action(row.id, "t", run.id)],
            ]
        ]
        return Outcome(True, text, buttons=buttons)

    async def decide_item(
        self,
        tg_user_id: int,
        run_id: int,
        row_id: int,
        decision: str,
        *,
        blacked_out: str | None = None,
        check_only: bool = False,
    ) -> Outcome:
        """Record the decision on one item; 'sebagian' needs what is blacked out."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, _step = await self._decide_run(s, person, run_id)
            found = await proposals.row_by_id(s, row_id)
            if found is None or found[1] != cycle.id or decision not in DECISION_LABELS:
                raise Refused("unknown_button")
            if check_only:
                return Outcome(True, "")
            note = (blacked_out or "").strip() or None
            if decision == "sebagian" and not note:
                raise Refused("blacked_out_missing")
            if note and len(note) > MAX_BLACKED_OUT:
                raise Refused("too_long", limit=MAX_BLACKED_OUT)
            await proposals.record_decision(
                s,
                cycle_id=cycle.id,
                row_id=row_id,
                decision=decision,
                blacked_out=note if decision == "sebagian" else None,
                official_id=person.id,
                now=self.now(),
            )
            await self.record(
                s,
                person,
                "decide",
                cycle_id=cycle.id,
                run_id=run.id,
                detail=f"row {row_id}: {decision}",
            )
            nxt = await self._next_item_outcome(s, run, cycle)
            ack = texts.render("notices", "decided", label=DECISION_LABELS[decision])
            return Outcome(True, f"{ack}\n\n{nxt.text}", buttons=nxt.buttons)

        return await self.guarded(tg_user_id, "decide", body, run_id=run_id)
