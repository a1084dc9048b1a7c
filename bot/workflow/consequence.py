"""Step 7: the Tim Uji Konsekuensi tests every proposed item; the ketua finalises; every member
present approves the Lembar Pengujian Konsekuensi.

Each item's test records the ground (Pasal 17 huruf/angka, or huruf j with the other law), the
consequence if opened and if closed, the decision (dikecualikan / sebagian / terbuka) and the
period. The quick buttons adopt the OPD's proposal as it stands; the guided test (chat) or the
analysis sheet (XLSX) record the Tim's own reading. Either way the workflow checks the rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import pasal17, texts
from bot.formdik.analysis import (
    MAX_ALASAN,
    AnalysisItemIn,
    AnalysisRowIn,
    read_analysis_sheet,
)
from bot.pasal17 import Basis
from bot.upload_names import original_name, upload_name
from bot.workflow import callback_data
from bot.workflow.collect import CONSEQUENCES, decode_bases, encode_bases, missing_consequences
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import cycles, documents, meetings, proposals
from storage.dto import CycleDTO, DecisionDTO, PersonDTO, RowDTO, StepRunDTO
from storage.proposals import Analysis

DECISION_LABELS = {
    "dikecualikan": "Dikecualikan",
    "sebagian": "Dikecualikan sebagian",
    "terbuka": "Terbuka (tidak dikecualikan)",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TEXT = 4000
MAX_BLACKED_OUT = 1000
MAX_OPEN_REASON = MAX_ALASAN
PERMANENT = re.compile(r"tidak\s+terbatas|permanen|selamanya|tanpa\s+batas", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Item:
    """A proposed row as the Tim UK sees it, with its office and current decision."""

    no: int
    row: RowDTO
    office: str
    decision: DecisionDTO | None


@dataclass(frozen=True, slots=True)
class ItemTest:
    """What the guided test or the analysis sheet records for one item."""

    decision: str
    bases: tuple[Basis, ...]
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str
    blacked_out: str | None = None
    open_reason: str | None = None


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


def check_test(test: ItemTest) -> None:
    """The rules of a consequence test (UU 14/2008 Pasal 17, 19, 20); raise Refused if broken."""
    if test.decision not in DECISION_LABELS:
        raise Refused("unknown_button")
    for name, value in (
        ("Konsekuensi apabila dibuka", test.konsekuensi_dibuka),
        ("Konsekuensi apabila ditutup", test.konsekuensi_ditutup),
    ):
        if len(value) > MAX_TEXT:
            raise Refused("field_too_long", field=name, limit=MAX_TEXT)
    if test.decision == "terbuka":
        reason = (test.open_reason or "").strip()
        if not reason:
            raise Refused("open_reason_missing")
        if len(reason) > MAX_OPEN_REASON:
            raise Refused("too_long", limit=MAX_OPEN_REASON)
        return
    if test.decision == "sebagian" and not (test.blacked_out or "").strip():
        raise Refused("blacked_out_missing")
    if not test.bases:
        raise Refused("basis_missing")
    for b in test.bases:
        if not pasal17.is_valid(b.huruf, b.angka):
            raise Refused("basis_invalid", huruf=b.huruf, angka=b.angka)
    if any(b.huruf == "j" for b in test.bases) and not (test.other_law or "").strip():
        raise Refused("other_law_missing")
    if not test.konsekuensi_dibuka.strip() or not test.konsekuensi_ditutup.strip():
        raise Refused("consequence_missing")
    period = test.jangka_waktu.strip()
    if not period:
        raise Refused("field_empty", field="Jangka Waktu")
    limited = sorted({b.huruf for b in test.bases if pasal17.is_time_limited(b.huruf)})
    if limited and PERMANENT.search(period):
        raise Refused("period_not_allowed", huruf=", ".join(limited))


def proposal_test(
    row: RowDTO, decision: str, blacked_out: str | None, open_reason: str | None = None
) -> ItemTest:
    """The OPD's proposal taken as it stands, with the Tim's decision (and, for "terbuka",
    the reason it is open)."""
    return ItemTest(
        decision=decision,
        bases=decode_bases(row.bases),
        other_law=row.other_law,
        konsekuensi_dibuka=row.konsekuensi_dibuka,
        konsekuensi_ditutup=row.konsekuensi_ditutup,
        jangka_waktu=row.jangka_waktu,
        blacked_out=blacked_out,
        open_reason=open_reason,
    )


async def analysis_items(s: AsyncSession, cycle_id: int) -> list[AnalysisItemIn]:
    """The items as the analysis sheet lists them, with decisions already made in chat."""
    out = []
    for i in await cycle_items(s, cycle_id):
        d = i.decision
        tim_bases = decode_bases(d.bases) if d and d.bases else ()
        out.append(
            AnalysisItemIn(
                item_id=i.row.id,
                no=i.no,
                opd=i.office,
                informasi=i.row.informasi,
                dasar_hukum=i.row.dasar_hukum,
                konsekuensi_dibuka=i.row.konsekuensi_dibuka,
                konsekuensi_ditutup=i.row.konsekuensi_ditutup,
                jangka_waktu=i.row.jangka_waktu,
                bases=decode_bases(i.row.bases),
                other_law=i.row.other_law,
                keputusan=d.decision if d else None,
                bagian_dihitamkan=d.blacked_out if d else None,
                bases_tim=tim_bases,
                other_law_tim=d.other_law if d else None,
                konsekuensi_dibuka_tim=d.konsekuensi_dibuka if d else None,
                konsekuensi_ditutup_tim=d.konsekuensi_ditutup if d else None,
                jangka_waktu_tim=d.jangka_waktu if d else None,
                alasan_terbuka=d.open_reason if d else None,
            )
        )
    return out


class ConsequenceTest:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def _decide_run(
        self, s: AsyncSession, person: PersonDTO, run_id: int
    ) -> tuple[StepRunDTO, CycleDTO]:
        run, cycle, _step = await self.core.load_run(s, run_id)
        await self.core.check_open(s, run, None)
        if run.phase != "decide":
            raise Refused("unknown_button")
        self.core.check_holder(person, run)
        if (
            not person.is_lead(self.core.panel)
            and await meetings.tester_of(s, cycle.id) != person.id
        ):
            raise Refused("lead_only")
        return run, cycle

    async def next_item(self, tg_user_id: int, run_id: int, version: int) -> Outcome:
        """Show the ketua the next undecided item (or the finalise button)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle = await self._decide_run(s, person, run_id)
            return await self._next_item_outcome(s, run, cycle)

        return await self.core.guarded(tg_user_id, "show_item", body, run_id=run_id)

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
                [
                    [
                        "🖋 Finalisasi Ketetapan",
                        callback_data.run_action(run.id, "finalise", run.version),
                    ]
                ]
            ]
            return Outcome(True, text, buttons=buttons)
        row = pending.row
        views = [v for v in await meetings.views(s, cycle.id) if v.proposal_row_id == row.id]
        text = texts.render(
            "notices",
            "item",
            item=pending,
            total=len(items),
            done=done,
            views=views,
            basis=pasal17.format_basis(decode_bases(row.bases), row.other_law)
            if row.bases
            else row.dasar_hukum,
        )
        buttons = [
            [["⚖️ Uji butir ini (lengkap)", callback_data.test_action(row.id, run.id)]],
            [
                ["Dikecualikan", callback_data.decision_action(row.id, "k", run.id)],
                ["Sebagian", callback_data.decision_action(row.id, "s", run.id)],
                ["Terbuka", callback_data.decision_action(row.id, "t", run.id)],
            ],
        ]
        return Outcome(True, text, buttons=buttons, data={"row_id": row.id})

    async def item_for_test(self, tg_user_id: int, run_id: int, row_id: int) -> Outcome:
        """Start the guided test of one item: the proposal's values, to confirm or replace."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            _run, cycle = await self._decide_run(s, person, run_id)
            row = await self._cycle_row(s, cycle, row_id)
            return Outcome(True, "", data=_test_data(row))

        return await self.core.guarded(tg_user_id, "test_item", body, run_id=run_id)

    async def _cycle_row(self, s: AsyncSession, cycle: CycleDTO, row_id: int) -> RowDTO:
        found = await proposals.row_by_id(s, row_id)
        if found is None or found[1] != cycle.id:
            raise Refused("unknown_button")
        return found[0]

    async def decide_item(
        self,
        tg_user_id: int,
        run_id: int,
        row_id: int,
        decision: str,
        *,
        blacked_out: str | None = None,
        open_reason: str | None = None,
        check_only: bool = False,
    ) -> Outcome:
        """Quick decision: the OPD's proposal as it stands ('sebagian' names what is hidden,
        'terbuka' why the item is open)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle = await self._decide_run(s, person, run_id)
            row = await self._cycle_row(s, cycle, row_id)
            if decision not in DECISION_LABELS:
                raise Refused("unknown_button")
            missing = missing_consequences(row)
            if decision != "terbuka" and missing:
                # UU 14/2008 Pasal 19: not "as proposed"; the guided test completes it.
                items = await cycle_items(s, cycle.id)
                no = next((i.no for i in items if i.row.id == row.id), 0)
                text = texts.render(
                    "notices",
                    "item_incomplete",
                    no=no,
                    informasi=row.informasi,
                    missing=[f"konsekuensi apabila {CONSEQUENCES[f]}" for f in missing],
                )
                data = {"refused": "consequence_incomplete", "missing": missing}
                return Outcome(False, text, data={**data, "proposal": _test_data(row)})
            if check_only:
                return Outcome(True, "")
            note = (blacked_out or "").strip() or None
            if note and len(note) > MAX_BLACKED_OUT:
                raise Refused("too_long", limit=MAX_BLACKED_OUT)
            test = proposal_test(row, decision, note, (open_reason or "").strip() or None)
            return await self._record(s, person, run, cycle, row, test, "chat")

        return await self.core.guarded(tg_user_id, "decide", body, run_id=run_id)

    async def record_test(
        self, tg_user_id: int, run_id: int, row_id: int, test: ItemTest
    ) -> Outcome:
        """The guided test of one item, recorded with the Tim's own reading."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle = await self._decide_run(s, person, run_id)
            row = await self._cycle_row(s, cycle, row_id)
            return await self._record(s, person, run, cycle, row, test, "chat")

        return await self.core.guarded(tg_user_id, "decide", body, run_id=run_id)

    async def _record(
        self,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        row: RowDTO,
        test: ItemTest,
        source: str,
    ) -> Outcome:
        check_test(test)
        await proposals.record_decision(
            s,
            cycle_id=cycle.id,
            row_id=row.id,
            decision=test.decision,
            blacked_out=test.blacked_out if test.decision == "sebagian" else None,
            official_id=person.id,
            now=self.core.now(),
            source=source,
            open_reason=(test.open_reason or "").strip() if test.decision == "terbuka" else None,
            analysis=Analysis(
                bases=encode_bases(test.bases),
                other_law=test.other_law,
                konsekuensi_dibuka=test.konsekuensi_dibuka.strip(),
                konsekuensi_ditutup=test.konsekuensi_ditutup.strip(),
                jangka_waktu=test.jangka_waktu.strip(),
            ),
        )
        await self.core.record(
            s,
            person,
            "decide",
            cycle_id=cycle.id,
            run_id=run.id,
            detail=f"row {row.id}: {test.decision} ({source})",
        )
        if source != "chat":
            return Outcome(True, "")
        nxt = await self._next_item_outcome(s, run, cycle)
        ack = texts.render("notices", "decided", label=DECISION_LABELS[test.decision])
        return Outcome(True, f"{ack}\n\n{nxt.text}", buttons=nxt.buttons)

    async def record_tests(
        self,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        tests: Sequence[tuple[int, ItemTest]],
    ) -> int:
        """Bulk: record many tests (analysis sheet); every one is checked, all or nothing."""
        for row_id, test in tests:
            row = await self._cycle_row(s, cycle, row_id)
            await self._record(s, person, run, cycle, row, test, "xlsx")
        return len(tests)

    async def add_view(self, tg_user_id: int, item_no: int, text: str) -> Outcome:
        """A Tim UK member's view on one item (by its number in the test)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has(self.core.panel):
                raise Refused("wrong_role", role=self.core.role_label(self.core.panel))
            runs = [r for r in await cycles.open_runs(s) if r.phase == "decide"]
            if not runs:
                raise Refused("no_test_open")
            if len(runs) > 1:
                raise Refused("which_cycle_collect")
            view = " ".join(text.split())
            if not view:
                raise Refused("view_usage")
            if len(view) > MAX_TEXT:
                raise Refused("too_long", limit=MAX_TEXT)
            items = await cycle_items(s, runs[0].cycle_id)
            item = next((i for i in items if i.no == item_no), None)
            if item is None:
                raise Refused("no_such_item", no=item_no, total=len(items))
            await meetings.add_view(
                s,
                cycle_id=runs[0].cycle_id,
                row_id=item.row.id,
                official_id=person.id,
                text=view,
                now=self.core.now(),
            )
            await self.core.record(
                s, person, "view", cycle_id=runs[0].cycle_id, detail=f"butir {item_no}"
            )
            note = texts.render(
                "notices",
                "view_added",
                name=person.name,
                no=item_no,
                informasi=item.row.informasi,
                text=view,
            )
            for lead in await self.core.holders(s, self.core.panel):
                if lead.is_lead(self.core.panel) and lead.id != person.id:
                    await self.core.tell(s, lead, note, actor=person)
            return Outcome(True, texts.render("notices", "view_ack", no=item_no))

        return await self.core.guarded(tg_user_id, "view", body)

    async def assign_tester(self, tg_user_id: int, name: str) -> Outcome:
        """The ketua assigns a member to record the test (or "batal" to take it back)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.is_lead(self.core.panel):
                raise Refused("lead_only")
            runs = [r for r in await cycles.open_runs(s) if r.phase == "decide"]
            if len(runs) != 1:
                raise Refused("no_test_open" if not runs else "which_cycle_collect")
            query = " ".join(name.split()).lower()
            if query in ("", "batal"):
                await meetings.set_tester(s, runs[0].cycle_id, None)
                return Outcome(True, texts.render("notices", "tester_cleared"))
            members = [
                m for m in await self.core.holders(s, self.core.panel) if query in m.name.lower()
            ]
            if len(members) != 1:
                raise Refused("member_ambiguous", query=name, count=len(members))
            member = members[0]
            await meetings.set_tester(s, runs[0].cycle_id, member.id)
            await self.core.record(
                s, person, "assign_tester", cycle_id=runs[0].cycle_id, detail=member.name
            )
            run = runs[0]
            await self.core.tell(
                s,
                member,
                texts.render("notices", "tester_assigned", lead=person.name),
                buttons=[
                    [
                        [
                            "🔍 Mulai / lanjutkan pengujian",
                            callback_data.run_action(run.id, "show", run.version),
                        ]
                    ]
                ],
                actor=person,
            )
            return Outcome(True, texts.render("notices", "tester_set", name=member.name))

        return await self.core.guarded(tg_user_id, "assign_tester", body)

    async def bulk_decide(
        self, tg_user_id: int, run_id: int, filename: str, data: bytes
    ) -> Outcome:
        """The filled analysis sheet: every row checked; stored only if the whole file is valid."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle = await self._decide_run(s, person, run_id)
            items = await analysis_items(s, cycle.id)
            result = read_analysis_sheet(
                data, items=items, max_bytes=self.core.settings.upload_max_bytes
            )
            if result.problems:
                raise Refused(
                    "upload_invalid",
                    problems=[str(p) for p in result.problems[:30]],
                    more=max(0, len(result.problems) - 30),
                )
            current = {i.row.id: i.decision for i in await cycle_items(s, cycle.id)}
            tests = [
                (
                    r.item_id,
                    ItemTest(
                        decision=r.keputusan,
                        bases=r.bases,
                        other_law=r.other_law,
                        konsekuensi_dibuka=r.konsekuensi_dibuka,
                        konsekuensi_ditutup=r.konsekuensi_ditutup,
                        jangka_waktu=r.jangka_waktu if r.keputusan != "terbuka" else "-",
                        blacked_out=r.bagian_dihitamkan,
                        open_reason=r.alasan_terbuka,
                    ),
                )
                for r in result.rows
                if not _unchanged(current.get(r.item_id), r)
            ]
            await documents.add_document(
                s,
                cycle_id=cycle.id,
                step_no=run.step_no,
                kind="analisa_upload",
                filename=upload_name(
                    "analisa_upload",
                    year=cycle.year,
                    cycle_id=cycle.id,
                    day=self.core.today(),
                    ext="xlsx",
                ),
                original_filename=original_name(filename),
                mime_type=XLSX,
                content=data,
                now=self.core.now(),
                uploaded=True,
                created_by_id=person.id,
            )
            await self.record_tests(s, person, run, cycle, tests)
            nxt = await self._next_item_outcome(s, run, cycle)
            ack = texts.render(
                "notices",
                "bulk_decided",
                count=len(tests),
                warnings=[str(w) for w in result.warnings[:10]],
            )
            return Outcome(True, f"{ack}\n\n{nxt.text}", buttons=nxt.buttons)

        return await self.core.guarded(tg_user_id, "bulk_decide", body, run_id=run_id)


def _test_data(row: RowDTO) -> dict[str, Any]:
    """The proposal's values the guided test starts from."""
    bases = decode_bases(row.bases)
    return {
        "bases": [[b.huruf, b.angka] for b in bases],
        "other_law": row.other_law,
        "basis_text": pasal17.format_basis(bases, row.other_law) if bases else "",
        "dibuka": row.konsekuensi_dibuka,
        "ditutup": row.konsekuensi_ditutup,
        "jangka": row.jangka_waktu,
        "informasi": row.informasi,
    }


def _unchanged(decision: DecisionDTO | None, row: AnalysisRowIn) -> bool:
    return (
        decision is not None
        and decision.decision == row.keputusan
        and (decision.blacked_out or None) == (row.bagian_dihitamkan or None)
        and (decision.open_reason or None) == (row.alasan_terbuka or None)
        and decision.bases == encode_bases(row.bases)
        and (decision.other_law or None) == (row.other_law or None)
        and (decision.jangka_waktu or "") == row.jangka_waktu
        and (decision.konsekuensi_dibuka or "") == row.konsekuensi_dibuka
        and (decision.konsekuensi_ditutup or "") == row.konsekuensi_ditutup
    )
