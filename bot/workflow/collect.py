"""Step 3: every OPD proposes its list (uploaded Form DIK or typed rows) or answers nihil."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import pasal17, texts
from bot.formdik.reader import read_form_dik
from bot.pasal17 import Basis
from bot.upload_names import original_name, upload_name
from bot.workflow import callback_data
from bot.workflow.answers import reader_for
from bot.workflow.bases import decode_bases, encode_bases
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import cycles, documents, proposals
from storage.dto import CycleDTO, OfficeDTO, PersonDTO, ProposalDTO, RowDTO, StepRunDTO
from storage.proposals import NewRow

logger = logging.getLogger(__name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FIELD = 4000
MAX_TYPED_ROWS = 200
#: The preview is paged: rows are shown whole, about this many characters a page (Telegram
#: takes 4,096 a message; a longer single row is split over messages by the sender).
PAGE_CHARS = 3000
PAGE_ROWS = 10
#: What UU 14/2008 Pasal 19 asks of every exempted item, by stored field.
CONSEQUENCES = {"konsekuensi_dibuka": "dibuka", "konsekuensi_ditutup": "ditutup"}


def missing_consequences(row: RowDTO) -> list[str]:
    """The consequence fields of a row that are empty ("konsekuensi_dibuka", ...)."""
    return [f for f in CONSEQUENCES if not str(getattr(row, f)).strip()]


def row_basis(row: RowDTO) -> str:
    """The row's grounds as documents write them, with every other law the OPD cited."""
    bases = decode_bases(row.bases)
    return pasal17.format_basis(bases, row.other_law) if bases else row.dasar_hukum


def preview_pages(draft: ProposalDTO) -> list[list[tuple[int, RowDTO]]]:
    """The draft's rows, numbered, cut into pages of whole rows."""
    pages: list[list[tuple[int, RowDTO]]] = [[]]
    size = 0
    for n, row in enumerate(draft.rows, start=1):
        length = len(texts.render("notices", "proposal_row", n=n, r=row, basis="", missing=[]))
        length += len(row_basis(row))
        if pages[-1] and (size + length > PAGE_CHARS or len(pages[-1]) >= PAGE_ROWS):
            pages.append([])
            size = 0
        pages[-1].append((n, row))
        size += length
    return pages


@dataclass(frozen=True, slots=True)
class TypedRow:
    informasi: str
    dasar_hukum: str
    bases: tuple[Basis, ...]
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str


class Collect:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def _collect_target(
        self, s: AsyncSession, person: PersonDTO, run_id: int | None
    ) -> tuple[StepRunDTO, CycleDTO, OfficeDTO]:
        """The open collect run this PPID Pembantu answers, and their office."""
        roles = self.core.collecting_roles()
        if not any(person.has(r) for r in roles):
            raise Refused("wrong_role", role=" / ".join(self.core.role_label(r) for r in roles))
        office_ids = [r.office_id for r in person.roles if r.role in roles]
        office = next((o for o in await self.core.active_offices(s) if o.id in office_ids), None)
        if office is None:
            raise Refused("no_office")
        if run_id is None:
            runs = [
                r
                for r in await cycles.open_runs(s)
                if r.phase == "collect" and r.office_id in (None, office.id)
            ]
            # An office's own reopened run (a verify step returned its answer) comes first.
            runs = [r for r in runs if r.office_id == office.id] or runs
            if not runs:
                raise Refused("nothing_to_collect")
            if len(runs) > 1:
                raise Refused("which_cycle_collect")
            run_id = runs[0].id
        run, cycle, _step = await self.core.load_run(s, run_id)
        if run.phase != "collect" or run.office_id not in (None, office.id):
            raise Refused("unknown_button")
        await self.core.check_open(s, run, None)
        return run, cycle, office

    async def _uploaded_output(self, s: AsyncSession, run: StepRunDTO, cycle: CycleDTO) -> str:
        """The kind an office's filled-in form is archived as: the collect step's output that
        its SOP declares as uploaded."""
        step = await self.core.step_of(s, run)
        sop = await self.core.sop_of(s, cycle)
        for kind in step.outputs:
            found = sop.document(kind)
            if found is not None and found.uploaded:
                return kind
        raise Refused("upload_not_expected")

    async def start_typed(self, tg_user_id: int, run_id: int, version: int) -> Outcome:
        """Begin typing rows in chat: a fresh draft for the person's OPD."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            _run, cycle, office = await self._collect_target(s, person, run_id)
            reader = await reader_for(self.core, s, cycle, await self.core.step_of(s, _run))
            if reader is not None:  # the step's form has its own reader (answers.py)
                return await reader.start_typed(self.core, s, person, _run, cycle, office)
            pid = await proposals.new_draft(
                s,
                cycle_id=cycle.id,
                office_id=office.id,
                source="chat",
                now=self.core.now(),
                created_by_id=person.id,
                rows=[],
            )
            return Outcome(True, "", data={"proposal_id": pid, "office": office.name})

        return await self.core.guarded(tg_user_id, "start_typed", body, run_id=run_id)

    async def add_typed_row(
        self, tg_user_id: int, proposal_id: int, row: TypedRow, position: int | None = None
    ) -> Outcome:
        """Append one typed row to the person's draft (checked again here, not only in chat).

        `position` is the row's number in the draft: when the draft already has it (the answer
        was sent again after a restart), nothing is added a second time."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            draft = await self._own_draft(s, person, proposal_id)
            if position is not None and len(draft.rows) >= position:
                return Outcome(
                    True, texts.render("notices", "row_added", n=position), data={"again": True}
                )
            if len(draft.rows) >= MAX_TYPED_ROWS:
                raise Refused("too_many_rows", limit=MAX_TYPED_ROWS)
            self._check_row(row)
            await proposals.add_rows(
                s,
                draft.id,
                [
                    NewRow(
                        informasi=row.informasi.strip(),
                        dasar_hukum=row.dasar_hukum.strip()
                        or pasal17.format_basis(row.bases, row.other_law),
                        bases=encode_bases(row.bases),
                        other_law=row.other_law,
                        konsekuensi_dibuka=row.konsekuensi_dibuka.strip(),
                        konsekuensi_ditutup=row.konsekuensi_ditutup.strip(),
                        jangka_waktu=row.jangka_waktu.strip(),
                    )
                ],
            )
            return Outcome(True, texts.render("notices", "row_added", n=len(draft.rows) + 1))

        return await self.core.guarded(tg_user_id, "add_row", body)

    def _check_row(self, row: TypedRow) -> None:
        fields = {
            "Informasi": row.informasi,
            "Konsekuensi apabila dibuka": row.konsekuensi_dibuka,
            "Konsekuensi apabila ditutup": row.konsekuensi_ditutup,
            "Jangka Waktu": row.jangka_waktu,
        }
        for name, value in fields.items():
            if not value.strip():
                raise Refused("field_empty", field=name)
            if len(value) > MAX_FIELD:
                raise Refused("field_too_long", field=name, limit=MAX_FIELD)
        if not row.bases:
            raise Refused("basis_missing")
        for b in row.bases:
            if not pasal17.is_valid(b.huruf, b.angka):
                raise Refused("basis_invalid", huruf=b.huruf, angka=b.angka)
        if any(b.huruf == "j" for b in row.bases) and not (row.other_law or "").strip():
            raise Refused("other_law_missing")

    async def _own_draft(
        self, s: AsyncSession, person: PersonDTO, proposal_id: int
    ) -> ProposalDTO:
        draft = await proposals.get_proposal(s, proposal_id)
        office_ids = {r.office_id for r in person.roles if r.role in self.core.collecting_roles()}
        if draft is None or draft.office_id not in office_ids:
            raise Refused("unknown_button")
        if draft.status != "draft":
            raise Refused("proposal_not_draft", status=draft.status)
        return draft

    async def load_upload(
        self, tg_user_id: int, filename: str, data: bytes, run_id: int | None = None
    ) -> Outcome:
        """Check an uploaded Form DIK; store it as a draft only if the whole file is valid."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, office = await self._collect_target(s, person, run_id)
            reader = await reader_for(self.core, s, cycle, await self.core.step_of(s, run))
            if reader is not None:  # the step's form has its own reader (answers.py)
                return await reader.upload(
                    self.core, s, person, run, cycle, office, filename, data
                )
            result = read_form_dik(data, max_bytes=self.core.settings.upload_max_bytes)
            if result.problems:
                logger.info(
                    "Form DIK upload of %s refused (%s problem(s)): %s",
                    office.code,
                    len(result.problems),
                    result.cause or " ".join(str(result.problems[0]).split())[:200],
                )
                raise Refused(
                    "upload_invalid",
                    problems=[str(p) for p in result.problems[:30]],
                    more=max(0, len(result.problems) - 30),
                )
            if not result.rows:
                raise Refused("upload_empty")
            kind = await self._uploaded_output(s, run, cycle)
            doc = await documents.add_document(
                s,
                cycle_id=cycle.id,
                step_no=run.step_no,
                kind=kind,
                office_id=office.id,
                filename=upload_name(
                    kind,
                    year=cycle.year,
                    cycle_id=cycle.id,
                    day=self.core.today(),
                    ext="xlsx",
                    office_code=office.code,
                ),
                original_filename=original_name(filename),
                mime_type=XLSX_MIME,
                content=data,
                now=self.core.now(),
                uploaded=True,
                created_by_id=person.id,
            )
            rows = [
                NewRow(
                    informasi=r.informasi,
                    dasar_hukum=r.dasar_hukum,
                    bases=encode_bases(r.bases),
                    other_law=r.other_law,
                    konsekuensi_dibuka=r.konsekuensi_dibuka,
                    konsekuensi_ditutup=r.konsekuensi_ditutup,
                    jangka_waktu=r.jangka_waktu,
                    source_row=r.source_row,
                )
                for r in result.rows
            ]
            pid = await proposals.new_draft(
                s,
                cycle_id=cycle.id,
                office_id=office.id,
                source="upload",
                now=self.core.now(),
                created_by_id=person.id,
                rows=rows,
                document_id=doc.id,
            )
            await self.core.record(s, person, "upload_form", cycle_id=cycle.id, detail=doc.sha256)
            draft = await proposals.get_proposal(s, pid)
            assert draft is not None
            warnings = [str(w) for w in result.warnings[:10]]
            return self._preview(draft, warnings)

        return await self.core.guarded(tg_user_id, "upload_form", body, run_id=run_id)

    async def declare_nihil(self, tg_user_id: int, run_id: int, version: int) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            _run, cycle, office = await self._collect_target(s, person, run_id)
            reader = await reader_for(self.core, s, cycle, await self.core.step_of(s, _run))
            if reader is not None:  # the step's empty answer, read by its form's reader
                return await reader.empty(self.core, s, person, _run, cycle, office)
            pid = await proposals.new_draft(
                s,
                cycle_id=cycle.id,
                office_id=office.id,
                source="chat",
                now=self.core.now(),
                created_by_id=person.id,
                rows=[],
                nihil=True,
            )
            draft = await proposals.get_proposal(s, pid)
            assert draft is not None
            return self._preview(draft, [])

        return await self.core.guarded(tg_user_id, "nihil", body, run_id=run_id)

    async def preview(self, tg_user_id: int, proposal_id: int, page: int = 1) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            draft = await self._own_draft(s, person, proposal_id)
            if not draft.rows and not draft.nihil:
                raise Refused("draft_empty")
            return self._preview(draft, [], page)

        return await self.core.guarded(tg_user_id, "preview", body)

    def _preview(self, draft: ProposalDTO, warnings: list[str], page: int = 1) -> Outcome:
        """Every column of every row, page by page; what Pasal 19 asks and a row lacks is
        marked, and can be completed in chat before sending (or sent as it is)."""
        pages = preview_pages(draft)
        page = min(max(page, 1), len(pages))
        incomplete = [n for n, r in enumerate(draft.rows, start=1) if missing_consequences(r)]
        rows = [
            (n, r, row_basis(r), [CONSEQUENCES[f] for f in missing_consequences(r)])
            for n, r in pages[page - 1]
        ]
        text = texts.render(
            "notices",
            "proposal_preview",
            draft=draft,
            warnings=warnings if page == 1 else [],
            rows=rows,
            page=page,
            pages=len(pages),
            incomplete=incomplete,
        )
        buttons: list[list[list[str]]] = []
        if len(pages) > 1:
            nav = []
            if page > 1:
                nav.append(
                    [f"⬅️ Halaman {page - 1}", callback_data.proposal_page(draft.id, page - 1)]
                )
            if page < len(pages):
                nav.append(
                    [f"Halaman {page + 1} ➡️", callback_data.proposal_page(draft.id, page + 1)]
                )
            buttons.append(nav)
        if incomplete:
            buttons.append(
                [
                    [
                        f"✏️ Lengkapi konsekuensi ({len(incomplete)} butir)",
                        callback_data.proposal_action(draft.id, "fill"),
                    ]
                ]
            )
        buttons.append(
            [
                ["✅ Kirim usulan", callback_data.proposal_action(draft.id, "send")],
                ["🗑 Batalkan", callback_data.proposal_action(draft.id, "drop")],
            ]
        )
        return Outcome(True, text, buttons=buttons, data={"proposal_id": draft.id})

    async def missing_fields(self, tg_user_id: int, proposal_id: int) -> Outcome:
        """The empty consequences of the person's draft, in order, for completing in chat."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            draft = await self._own_draft(s, person, proposal_id)
            missing = [
                {"row": r.id, "n": n, "field": f, "informasi": r.informasi}
                for n, r in enumerate(draft.rows, start=1)
                for f in missing_consequences(r)
            ]
            return Outcome(True, "", data={"missing": missing})

        return await self.core.guarded(tg_user_id, "preview", body)

    async def complete_row(
        self, tg_user_id: int, proposal_id: int, row_id: int, field: str, text: str
    ) -> Outcome:
        """Fill one empty consequence of a row of the person's unsent draft."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            draft = await self._own_draft(s, person, proposal_id)
            value = text.strip()
            label = "Konsekuensi apabila " + CONSEQUENCES.get(field, "")
            if field not in CONSEQUENCES:
                raise Refused("unknown_button")
            if not value:
                raise Refused("field_empty", field=label)
            if len(value) > MAX_FIELD:
                raise Refused("field_too_long", field=label, limit=MAX_FIELD)
            if not await proposals.complete_draft_row(s, draft.id, row_id, field, value):
                raise Refused("unknown_button")
            await self.core.record(
                s, person, "complete_row", cycle_id=draft.cycle_id, detail=f"row {row_id}: {field}"
            )
            return Outcome(True, "")

        return await self.core.guarded(tg_user_id, "complete_row", body)

    async def submit_proposal(self, tg_user_id: int, proposal_id: int) -> Outcome:
        """Send the draft: it is registered (Kartu Kendali) and the petugas is told."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            draft = await self._own_draft(s, person, proposal_id)
            run, cycle, office = await self._collect_target_for(s, person, draft)
            if not draft.rows and not draft.nihil:
                raise Refused("draft_empty")
            agenda = await proposals.submit(s, draft.id, cycle.id, office.id, self.core.now())
            if agenda is None:
                raise Refused("proposal_not_draft", status="submitted")
            await self.core.record(
                s,
                person,
                "submit_proposal",
                cycle_id=cycle.id,
                run_id=run.id,
                detail=f"{office.name}: {'nihil' if draft.nihil else len(draft.rows)}",
            )
            note = texts.render(
                "notices",
                "proposal_received",
                office=office.name,
                nihil=draft.nihil,
                rows=len(draft.rows),
                agenda=agenda,
                cycle=cycle.title,
                by=person.name,
            )
            await self.core.tell_role(s, self.core.sop.operator, note, actor=person)
            answered = await proposals.answered_office_ids(s, cycle.id)
            if all(o.id in answered for o in await self.core.active_offices(s)):
                step = await self.core.step_of(s, run)
                await self.core.close(s, run, None, "complete")
                await self.core.advance(s, cycle, step, run, person)
            return Outcome(
                True,
                texts.render(
                    "notices",
                    "proposal_sent",
                    office=office.name,
                    agenda=agenda,
                    nihil=draft.nihil,
                    rows=len(draft.rows),
                ),
            )

        return await self.core.guarded(tg_user_id, "submit_proposal", body)

    async def _collect_target_for(
        self, s: AsyncSession, person: PersonDTO, draft: ProposalDTO
    ) -> tuple[StepRunDTO, CycleDTO, OfficeDTO]:
        runs = [r for r in await cycles.open_runs(s, draft.cycle_id) if r.phase == "collect"]
        if not runs:
            raise Refused("collection_closed")
        return await self._collect_target(s, person, runs[0].id)

    async def drop_proposal(self, tg_user_id: int, proposal_id: int) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            draft = await self._own_draft(s, person, proposal_id)
            await proposals.discard(s, draft.id)
            return Outcome(True, texts.render("notices", "draft_dropped"))

        return await self.core.guarded(tg_user_id, "drop_proposal", body)
