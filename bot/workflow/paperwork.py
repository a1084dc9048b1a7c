"""The documents of each step: generated from the cycle's records, numbered, archived.

Which documents a holder receives with a task is data (`attach` in the SOP file); how each kind
is made is here. Every generation stores a new version; nothing is overwritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal
from bot.config import Settings
from bot.documents import letters as L
from bot.documents import snapshot as codec
from bot.documents.render import template_path
from bot.formdik.analysis import build_analysis_sheet
from bot.formdik.compiled import CompiledRow, OfficeStatus, OfficeSummary
from bot.sop import Step, StepKind
from bot.sop.kinds import PHASES
from bot.sop.model import UPLOAD, Document
from bot.workflow.consequence import analysis_items
from bot.workflow.decided import decided_items
from bot.workflow.dip_paperwork import DIP_MAKERS, DIP_OFFICE_MAKERS
from bot.workflow.letter_parts import (
    DOCX,
    XLSX,
    Made,
    _announces_collect,
    _attached,
    _collect_rule,
    _collect_step,
    _file,
    _hal_of,
    _local_date,
    _signer_role,
    _today,
    fix_collect_deadline,
    fixed_collect_deadline,
    kepala_daerah,
    legal_refs,
    nota_dinas_signer,
    org,
    signer,
    signer_of,
)
from bot.workflow.publication import sk_ref
from bot.workflow.render_queue import wall_now
from storage import cycles, documents, meetings, people, proposals, render_jobs
from storage.dto import CycleDTO, DocumentDTO, OfficeDTO, PersonDTO, StepRunDTO

if TYPE_CHECKING:
    from bot.workflow.core import WorkflowCore


#: Makes one kind of document for a cycle: (core, session, cycle, letter number or "", the
#: kind's declaration in the SOP file).
Maker = Callable[["WorkflowCore", AsyncSession, CycleDTO, str, Document], Awaitable[Made]]
#: Makes a per-office form: (core, session, cycle, office, the collect run).
OfficeMaker = Callable[
    ["WorkflowCore", AsyncSession, CycleDTO, OfficeDTO, StepRunDTO], Awaitable[Made]
]


class Paperwork:
    """Makes, numbers and archives the documents a SOP file declares (its `documents:`).

    The SOP chooses, for each kind, one of the makers registered here by name (`MAKERS`, and
    `OFFICE_MAKERS` for a form made once per office); what the numbering, the receipts, the
    registers and the reports need to know of a kind is read from its declaration."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # --- what a SOP file may name (checked at start-up, see bot.sop.registry) --------------
    def maker(self, name: str) -> bool:
        return name == UPLOAD or name in MAKERS

    def office_maker(self, name: str) -> bool:
        return name in OFFICE_MAKERS

    def template(self, name: str) -> bool:
        try:
            return template_path(name).is_file()
        except ValueError:
            return False

    def page(self, name: str) -> bool:
        return name in PAGES

    async def spec(
        self, core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, kind: str
    ) -> Document:
        """The declaration of `kind` in the SOP version of `cycle`."""
        found = (await core.sop_of(s, cycle)).document(kind)
        if found is None:
            raise KeyError(f"SOP of cycle {cycle.id} declares no document {kind!r}")
        return found

    async def for_run(
        self, core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, step: Step, run: StepRunDTO
    ) -> list[DocumentDTO]:
        """The documents that go with this run; a step's own outputs are made afresh at the
        first phase of each attempt, everything else is the newest version (made if none)."""
        out: list[DocumentDTO] = []
        for kind in step.attach.get(run.phase, ()):
            fresh = kind in step.outputs and PHASES[run.phase].fresh
            doc = None if fresh else await documents.latest_of_kind(s, cycle.id, kind)
            if doc is None and not (await self.spec(core, s, cycle, kind)).uploaded:
                doc = await self.make(core, s, cycle, step.id, kind, number=False)
            if doc is not None:
                out.append(doc)
        return out

    async def make(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        cycle: CycleDTO,
        step_no: int,
        kind: str,
        *,
        number: bool,
        created_by: PersonDTO | None = None,
    ) -> DocumentDTO:
        spec = await self.spec(core, s, cycle, kind)
        nomor = await self.next_number(s, core.now()) if number else ""
        made = await MAKERS[spec.maker](core, s, cycle, nomor, spec)
        doc = await documents.add_document(
            s,
            cycle_id=cycle.id,
            step_no=step_no,
            kind=kind,
            filename=made.filename,
            mime_type=made.mime_type,
            content=made.content,
            now=core.now(),
            letter_number=nomor or None,
            created_by_id=created_by.id if created_by else None,
        )
        if made.renderer is not None:  # its content comes after the commit
            await render_jobs.enqueue(s, [(doc.id, made.renderer, made.snapshot)], wall_now())
        return doc

    async def make_outputs(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        person: PersonDTO,
        *,
        numbered_only: bool,
    ) -> list[DocumentDTO]:
        """A new, final version of each output of `step` the bot makes, numbered where the
        declaration says so (only the numbered ones when `numbered_only`)."""
        out = []
        for kind in step.outputs:
            spec = await self.spec(core, s, cycle, kind)
            if spec.uploaded or (numbered_only and not spec.numbered):
                continue
            out.append(
                await self.make(
                    core, s, cycle, step.id, kind, number=spec.numbered, created_by=person
                )
            )
        return out

    async def finalise(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        cycle: CycleDTO,
        step: Step,
        person: PersonDTO,
    ) -> list[DocumentDTO]:
        """On approval: number the step's letters (a new, final version each)."""
        if await _announces_collect(core, s, cycle, step):
            await fix_collect_deadline(core, s, cycle)
        return await self.make_outputs(core, s, cycle, step, person, numbered_only=True)

    async def next_number(self, s: AsyncSession, now: datetime) -> str:
        local = now.astimezone(self.settings.tz)
        pattern = self.settings.letter_number_pattern
        seq = await documents.next_letter_seq(s, pattern, local.year)
        return pattern.format(
            seq=seq,
            year=local.year,
            month=local.month,
            roman_month=tanggal.roman_month(local.month),
        )

    async def office_form(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        cycle: CycleDTO,
        office: OfficeDTO,
        run: StepRunDTO,
        kind: str | None,
    ) -> DocumentDTO | None:
        """The collect step's form with the office's name filled in, made once per cycle and
        office by the per-office maker its declaration names; None when the step has none."""
        if kind is None:
            return None
        spec = await self.spec(core, s, cycle, kind)
        if not spec.per_office:
            raise ValueError(f"document {kind!r} is not declared per_office")
        existing = await documents.latest_of_kind_for_office(s, cycle.id, kind, office.id)
        if existing is not None:
            return existing
        return (await self.office_forms(core, s, cycle, [office], run, kind))[office.id]

    async def office_forms(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        cycle: CycleDTO,
        offices: list[OfficeDTO],
        run: StepRunDTO,
        kind: str,
    ) -> dict[int, DocumentDTO]:
        """`office_form` for many offices at once: the forms that exist are read in one
        query, the missing ones inserted (rows and render jobs) in one statement each."""
        spec = await self.spec(core, s, cycle, kind)
        if not spec.per_office:
            raise ValueError(f"document {kind!r} is not declared per_office")
        ids = [o.id for o in offices]
        out = await documents.latest_for_offices(s, cycle.id, kind, ids)
        missing = [o for o in offices if o.id not in out]
        made = [await OFFICE_MAKERS[spec.maker](core, s, cycle, o, run) for o in missing]
        added = await documents.add_office_documents(
            s,
            cycle_id=cycle.id,
            step_no=run.step_no,
            kind=kind,
            files=[
                (o.id, m.filename, m.mime_type, m.content)
                for o, m in zip(missing, made, strict=True)
            ],
            now=core.now(),
        )
        await render_jobs.enqueue(
            s,
            [
                (d.id, m.renderer, m.snapshot)
                for d, m in zip(added, made, strict=True)
                if m.renderer is not None
            ],
            wall_now(),  # the worker's clock, not the cycle's
        )
        out.update({d.office_id: d for d in added if d.office_id is not None})
        return out


async def _form_dik_for_office(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, office: OfficeDTO, run: StepRunDTO
) -> Made:
    """The Form DIK with the OPD's name filled in (rendered after the act)."""
    return Made(
        f"Form_DIK_{office.code}_{cycle.year}.xlsx",
        XLSX,
        renderer="form_dik",
        snapshot=_form_dik_snapshot(core, cycle, office.name, core.fmt_time(run.due_at)),
    )


def _form_dik_snapshot(
    core: WorkflowCore, cycle: CycleDTO, office_name: str, deadline_text: str
) -> dict[str, str]:
    return {
        "office_name": office_name,
        "cycle_title": cycle.title,
        "deadline_text": deadline_text,
        "label_ppid": core.settings.ppid_pembantu_label,
    }


# --- building blocks -------------------------------------------------------------------------


def _letter(filename: str, ctx: L.Letter, doc: Document, numbered: bool = False) -> Made:
    """A letter to fill into the template its declaration names (else the letter's own),
    after the act: its context, as the act sees it, is the job's snapshot."""
    return Made(
        filename,
        DOCX,
        numbered=numbered,
        renderer="docx",
        snapshot={
            "template": doc.template or ctx.TEMPLATE,
            "context": codec.encode(ctx.context()),
        },
    )


async def _items(s: AsyncSession, cycle: CycleDTO, decided_only: bool = False) -> list[L.DikItem]:
    kinds = {
        "dikecualikan": L.Keputusan.DIKECUALIKAN,
        "sebagian": L.Keputusan.DIKECUALIKAN_SEBAGIAN,
        "terbuka": L.Keputusan.TERBUKA,
    }
    items = [
        L.DikItem(
            opd=i.office,
            informasi=i.row.informasi,
            dasar_hukum=i.dasar_hukum,
            konsekuensi_dibuka=i.konsekuensi_dibuka,
            konsekuensi_ditutup=i.konsekuensi_ditutup,
            jangka_waktu=i.jangka_waktu,
            pasal17=tuple(sorted({b.huruf for b in i.bases})),
            keputusan=kinds[i.keputusan] if i.keputusan else None,
            bagian_dikecualikan=i.blacked_out,
            alasan_terbuka=i.open_reason,
        )
        for i in await decided_items(s, cycle.id)
    ]
    return [i for i in items if i.keputusan is not None] if decided_only else items


async def _nota_dinas(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    ctx = L.NotaDinas(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=[st.title_kepala_dinas],
            tembusan=st.tembusan("nota_dinas"),
        ),
        signer=await nota_dinas_signer(core, s, doc),
        batas_waktu=None,  # signed before the Surat Dinas: the rule, not a date
        batas_hari_kerja=(await _collect_step(core, s, cycle)).limit_days,
        tahun=cycle.year,
        attached=await _attached(core, s, cycle, doc),
    )
    return _letter(_file("Nota_Dinas", cycle), ctx, doc, bool(nomor))


async def _form_dik_blank(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    deadline = await fixed_collect_deadline(core, s, cycle)
    text = core.fmt_time(deadline) if deadline else _collect_rule(core)
    return Made(
        _file("Form_DIK", cycle, "xlsx"),
        XLSX,
        renderer="form_dik",
        snapshot=_form_dik_snapshot(core, cycle, "(nama OPD)", text),
    )


async def _surat_permintaan(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    deadline = await fixed_collect_deadline(core, s, cycle)
    offices = await people.list_offices(s)
    ctx = L.SuratPermintaan(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=[f"{st.ppid_pembantu_label} di Lingkungan {st.org_name} (daftar terlampir)"],
            tembusan=st.tembusan("surat_permintaan"),
        ),
        signer=await signer_of(core, s, doc),
        batas_waktu=_local_date(core, deadline) if deadline else None,
        batas_jam=(
            f"{tanggal.format_jam(deadline, st.tz)} {st.timezone_label}".strip()
            if deadline
            else ""
        ),
        batas_hari_kerja=(await _collect_step(core, s, cycle)).limit_days,
        opds=[o.name for o in offices],
        tahun=cycle.year,
        attached=await _attached(core, s, cycle, doc),
        cara_penyampaian=(
            "layanan bot Telegram PPID Kota Kupang (unggah Form DIK atau ketik usulan)"
        ),
    )
    return _letter(_file("Surat_Permintaan_DIK", cycle), ctx, doc)


async def _rekap(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> list[L.OpdRekap]:
    submitted = {p.office_id: p for p in await proposals.submitted(s, cycle.id)}
    out = []
    for office in await people.list_offices(s):
        p = submitted.get(office.id)
        if p is None:
            out.append(L.OpdRekap(office.name, L.StatusUsulan.TIDAK_MENJAWAB))
        elif p.nihil:
            out.append(
                L.OpdRekap(
                    office.name,
                    L.StatusUsulan.NIHIL,
                    diterima=_local_date(core, p.submitted_at or core.now()),
                )
            )
        else:
            out.append(
                L.OpdRekap(
                    office.name,
                    L.StatusUsulan.USULAN,
                    jumlah=len(p.rows),
                    diterima=_local_date(core, p.submitted_at or core.now()),
                )
            )
    return out


async def _usulan_compiled(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    items = await _items(s, cycle)
    rows = [
        CompiledRow(
            office=i.opd,
            informasi=i.informasi,
            dasar_hukum=i.dasar_hukum,
            konsekuensi_dibuka=i.konsekuensi_dibuka,
            konsekuensi_ditutup=i.konsekuensi_ditutup,
            jangka_waktu=i.jangka_waktu,
        )
        for i in items
    ]
    summary = [
        OfficeSummary(
            office=r.opd,
            status=OfficeStatus(r.status.value),
            note=f"diterima {tanggal.format_tanggal(r.diterima)}" if r.diterima else "",
        )
        for r in await _rekap(core, s, cycle)
    ]
    return _compiled(_file("Usulan_DIK_Kompilasi", cycle, "xlsx"), cycle.title, rows, summary)


def _compiled(
    filename: str, title: str, rows: list[CompiledRow], offices: list[OfficeSummary]
) -> Made:
    """A compiled list (XLSX) rendered after the act from its rows, as the act read them."""
    return Made(
        filename,
        XLSX,
        renderer="compiled",
        snapshot={
            "cycle_title": title,
            "rows": [dataclasses.asdict(r) for r in rows],
            "offices": [
                {"office": o.office, "status": o.status.value, "note": o.note} for o in offices
            ],
        },
    )


async def _surat_pengantar(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    permintaan = await documents.latest_of_kind(s, cycle.id, "surat_permintaan")
    deadline = await fixed_collect_deadline(core, s, cycle)
    ctx = L.SuratPengantar(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=[st.title_atasan_ppid],
            up=st.title_kabag_hukum,
            tembusan=st.tembusan("surat_pengantar"),
        ),
        signer=await signer_of(core, s, doc),
        rekap=await _rekap(core, s, cycle),
        batas_waktu=_local_date(core, deadline) if deadline else None,
        # The letter as it was numbered and signed: its number, its date and its hal.
        permintaan_nomor=(permintaan.letter_number or "") if permintaan else "",
        permintaan_tanggal=_local_date(core, permintaan.created_at) if permintaan else None,
        permintaan_hal=await _hal_of(core, s, cycle, permintaan),
        tahun=cycle.year,
        attached=await _attached(core, s, cycle, doc),
    )
    return _letter(_file("Surat_Pengantar", cycle), ctx, doc)


async def _surat_usulan_uji(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    ctx = L.SuratUsulanUji(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=[st.title_atasan_ppid],
            up=st.title_kabag_hukum,
            tembusan=st.tembusan("surat_usulan_uji"),
        ),
        signer=await signer_of(core, s, doc),
        items=await _items(s, cycle),
        tahun=cycle.year,
        attached=await _attached(core, s, cycle, doc),
    )
    return _letter(_file("Surat_Usulan_Uji_Konsekuensi", cycle), ctx, doc)


async def _draft_dik(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    """The Draft DIK the Tim UK studies: every proposed item, as an XLSX table."""
    items = await _items(s, cycle)
    rows = [
        CompiledRow(
            office=i.opd,
            informasi=i.informasi,
            dasar_hukum=i.dasar_hukum,
            konsekuensi_dibuka=i.konsekuensi_dibuka,
            konsekuensi_ditutup=i.konsekuensi_ditutup,
            jangka_waktu=i.jangka_waktu,
        )
        for i in items
    ]
    return _compiled(_file("Draft_DIK", cycle, "xlsx"), f"Draft DIK {cycle.title}", rows, [])


async def _test_start(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> datetime:
    tests = {st.key for st in (await core.sop_of(s, cycle)).of_kind(StepKind.TEST)}
    for run in await cycles.runs_of(s, cycle.id):
        if run.step_key in tests:
            return run.assigned_at
    return core.now()


async def _lembar_analisa(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    """The analysis sheet the Tim fills in Excel and uploads to decide items in bulk."""
    content = build_analysis_sheet(
        cycle_title=cycle.title, items=await analysis_items(s, cycle.id)
    )
    return Made(_file("Lembar_Analisa_Uji_Konsekuensi", cycle, "xlsx"), XLSX, content)


async def _rapat(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> L.Rapat:
    st = core.settings
    meeting = await meetings.latest_meeting(s, cycle.id)
    if meeting is None:
        return L.Rapat(
            mulai=await _test_start(core, s, cycle),
            tempat=st.org_address,
            tz=st.tz,
            tz_label=st.timezone_label,
        )
    return L.Rapat(
        mulai=meeting.starts_at,
        tempat=meeting.place,
        acara=meeting.agenda,
        tz=st.tz,
        tz_label=st.timezone_label,
    )


async def invited_ppid_pembantu(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO
) -> list[PersonDTO]:
    """The PPID Pembantu (whoever answered the collect step for an office) whose offices have
    items to test, when the undangan invites them."""
    collect = (await core.sop_of(s, cycle)).of_kind(StepKind.COLLECT)
    if not core.settings.undangan_ppid_pembantu or not collect:
        return []
    tested = {p.office_id for p in await proposals.submitted(s, cycle.id) if p.rows}
    return [p for p in await core.holders(s, collect[0].actor) if p.office_id in tested]


async def _peserta(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> list[L.Peserta]:
    st = core.settings
    out = [
        L.Peserta(
            jabatan=m.jabatan or L.BLANK,
            name=m.name,
            keterangan="Ketua Tim Uji Konsekuensi"
            if m.is_lead(core.panel)
            else "Anggota Tim Uji Konsekuensi",
        )
        for m in await core.holders(s, core.panel)
    ]
    tested = {p.office_id: len(p.rows) for p in await proposals.submitted(s, cycle.id) if p.rows}
    for p in await invited_ppid_pembantu(core, s, cycle):
        label = f"{st.ppid_pembantu_label} {p.office_name or ''}".strip()
        out.append(
            L.Peserta(
                jabatan=p.jabatan or label,
                name=p.name,
                keterangan=f"{label} ({tested.get(p.office_id or 0, 0)} butir diuji)",
            )
        )
    return out


async def _surat_undangan(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    ctx = L.SuratUndangan(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=["Bapak/Ibu Peserta Rapat Uji Konsekuensi (daftar terlampir)"],
            tembusan=st.tembusan("surat_undangan"),
        ),
        signer=await signer_of(core, s, doc),
        rapat=await _rapat(core, s, cycle),
        items=await _items(s, cycle),
        peserta=await _peserta(core, s, cycle),
        tahun=cycle.year,
    )
    return _letter(_file("Surat_Undangan_Uji_Konsekuensi", cycle), ctx, doc)


async def _lembar_uji(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    present = {p.id for p in await core.present_members(s, cycle.id, core.panel)}
    anggota = [
        L.AnggotaTim(
            name=p.name,
            peran="Ketua" if p.is_lead(core.panel) else "Anggota",
            jabatan=p.jabatan,
            nip=p.nip,
            hadir=p.id in present,
        )
        for p in await core.holders(s, core.panel)
    ]
    latest = await documents.latest_of_kind(s, cycle.id, "lembar_uji")
    leads = {p.id for p in await core.holders(s, core.panel) if p.is_lead(core.panel)}
    persetujuan = [
        L.Persetujuan(
            name=a.name,
            waktu=a.approved_at,
            peran="Ketua" if a.official_id in leads else "Anggota",
            keterangan=f"Disetujui melalui bot (lembar versi {a.lembar_version})",
        )
        for a in (await meetings.approvals(s, cycle.id, latest.version) if latest else [])
    ]
    ctx = L.LembarUji(
        org=org(st),
        rapat=await _rapat(core, s, cycle),
        items=await _items(s, cycle, decided_only=True),
        anggota=anggota,
        persetujuan=persetujuan,
    )
    return _letter(_file("Lembar_Pengujian_Konsekuensi", cycle), ctx, doc)


async def _ketetapan(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    role = st.ketetapan_menyetujui_role
    if role == "walikota":
        menyetujui: L.Signer | None = await kepala_daerah(core, s, role)
    elif role:
        menyetujui = await signer(core, s, role, st.title_atasan_ppid)
    else:
        menyetujui = None
    ctx = L.Ketetapan(
        org=org(st),
        nomor=nomor,
        tanggal=_today(core),
        penetap=await signer_of(core, s, doc),
        menyetujui=menyetujui,
        items=await _items(s, cycle, decided_only=True),
        tanggal_uji=_local_date(core, (await _rapat(core, s, cycle)).mulai),
    )
    return _letter(_file("Ketetapan_Uji_Konsekuensi", cycle), ctx, doc)


async def _sk_draft(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    ketetapan = await documents.latest_of_kind(s, cycle.id, "ketetapan")
    ctx = L.SkWalikota(
        org=org(st),
        walikota=await kepala_daerah(core, s, _signer_role(doc)),
        items=[i for i in await _items(s, cycle, decided_only=True) if i.dikecualikan],
        tahun=cycle.year,
        ketetapan_nomor=(ketetapan.letter_number or "") if ketetapan else "",
        ketetapan_tanggal=_local_date(core, ketetapan.created_at) if ketetapan else None,
        tembusan=await _salinan(core, s),
        dasar=legal_refs(st),
        mencabut=await _previous_sk(core, s, cycle),
    )
    return _letter(_file("Rancangan_SK_Walikota_DIK", cycle), ctx, doc)


async def _salinan(core: WorkflowCore, s: AsyncSession) -> list[str]:
    """ "Salinan Keputusan ini disampaikan kepada": whom step 10 sends the SK to (the DPRD and
    every PPID Pembantu), in that order."""
    st = core.settings
    out = [st.title_dprd]
    out += [f"{st.ppid_pembantu_label} {o.name}" for o in await people.list_offices(s)]
    return out


async def _previous_sk(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO
) -> L.Pencabutan | None:
    """The Keputusan on the DIK of the newest cycle finished before this one, which the new
    Keputusan revokes: its number and date as recorded from that cycle's signed SK."""
    done = [
        c
        for c in await cycles.all_cycles(s)
        if c.id != cycle.id
        and c.status == "finished"
        and c.finished_at
        and c.sop_key == cycle.sop_key  # a DIP cycle set no SK on the DIK
    ]
    if not done:
        return None
    previous = max(done, key=lambda c: (c.finished_at, c.id))
    ref = await sk_ref(core, s, previous)
    return L.Pencabutan(
        judul=(
            f"Daftar Informasi yang Dikecualikan di Lingkungan {core.settings.org_name} "
            f"Tahun {previous.year}"
        ),
        nomor=ref.nomor,
        tanggal=ref.tanggal,
    )


MAKERS: dict[str, Maker] = {
    "nota_dinas": _nota_dinas,
    "form_dik": _form_dik_blank,
    "surat_permintaan": _surat_permintaan,
    "usulan_compiled": _usulan_compiled,
    "surat_pengantar": _surat_pengantar,
    "surat_usulan_uji": _surat_usulan_uji,
    "draft_dik": _draft_dik,
    "surat_undangan": _surat_undangan,
    "lembar_analisa": _lembar_analisa,
    "lembar_uji": _lembar_uji,
    "ketetapan": _ketetapan,
    "sk_draft": _sk_draft,
    **DIP_MAKERS,
}
"""The makers a SOP file's `documents:` may name (`maker:`): the engine's vocabulary of
documents, as the step kinds are its vocabulary of steps."""

OFFICE_MAKERS: dict[str, OfficeMaker] = {"form_dik": _form_dik_for_office, **DIP_OFFICE_MAKERS}
"""The makers of a form made once per office (a document declared `per_office`)."""

PAGES = frozenset({"dik", "dip"})
"""The public pages a publish step may write (`page:`): `dik`, the public DIK with its items
(bot/workflow/publication.py)."""
