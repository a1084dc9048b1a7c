"""What every maker of a letter or sheet is built from: the kop, the signer of a role, the
collect step's deadline, the file name; shared by the makers of every SOP's documents
(bot/workflow/paperwork.py and the DIP's bot/workflow/dip_paperwork.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal
from bot.config import Settings
from bot.documents import legal
from bot.documents import letters as L
from bot.documents.render import render
from bot.sop import Step, StepKind
from bot.sop.model import Document
from storage import cycles
from storage.dto import CycleDTO, DocumentDTO

if TYPE_CHECKING:
    from bot.workflow.core import WorkflowCore

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Made:
    """What a maker made in the act: the content itself, or (`renderer` set) the snapshot of
    everything the document shows, rendered after the commit by a render job
    (bot/documents/renderers.py: a pure function of the snapshot)."""

    filename: str
    mime_type: str
    content: bytes = b""
    numbered: bool = False
    renderer: str | None = None
    snapshot: Any = None


# --- building blocks -------------------------------------------------------------------------
def org(settings: Settings) -> L.OrgInfo:
    return L.OrgInfo(
        kop_lines=tuple(settings.kop_lines),
        address=settings.org_address,
        telepon=settings.org_phone,
        faksimile=settings.org_fax,
        laman=settings.org_website,
        surel=settings.org_email,
        kode_pos=settings.org_postcode,
        lambang=settings.org_lambang,
        city=settings.org_city,
        badan_publik=settings.org_name,
        unit_kerja=settings.org_unit,
        ppid_label=settings.ppid_pembantu_label,
        kepala_daerah=settings.title_walikota,
        kepala_dinas=settings.title_kepala_dinas,
        atasan_ppid=settings.title_atasan_ppid,
        kabag_hukum=settings.title_kabag_hukum,
    )


def legal_refs(settings: Settings) -> legal.LegalRefs:
    return legal.LegalRefs(
        uu_pembentukan=settings.sk_uu_pembentukan,
        berita_negara_perki_2017=settings.sk_berita_negara_perki_2017,
        berita_negara_perki_2021=settings.sk_berita_negara_perki_2021,
        berita_negara_permendagri_3_2017=settings.sk_berita_negara_permendagri_3_2017,
        berita_daerah_perwali=settings.sk_berita_daerah_perwali,
        perwali_pasal_dik=settings.sk_perwali_pasal_dik,
    )


async def _attached(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, doc: Document
) -> list[str]:
    """A letter's lampiran: the titles of the other documents its step sends with it (in the
    step's first phase that attaches anything)."""
    sop = await core.sop_of(s, cycle)
    step = sop.holding(doc.kind)
    if step is None:
        return []
    sent = next(iter(step.attach.values()), ())
    return [d.title for k in sent if k != doc.kind and (d := sop.document(k)) is not None]


async def _render(ctx: L.Letter, doc: Document) -> bytes:
    """A letter filled into the template its declaration names (else the letter's own)."""
    return await asyncio.to_thread(partial(render, doc.template or ctx.TEMPLATE, ctx.context()))


async def _hal_of(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, letter: DocumentDTO | None
) -> str:
    """The "hal" of an archived letter, as its declaration writes it."""
    if letter is None:
        return ""
    spec = (await core.sop_of(s, cycle)).document(letter.kind)
    return spec.hal_for(cycle.year) if spec else ""


async def signer_of(core: WorkflowCore, s: AsyncSession, doc: Document) -> L.Signer:
    """The signature block of the role the declaration names as the document's signer."""
    role = _signer_role(doc)
    return await signer(core, s, role, core.settings.role_title(role))


def _signer_role(doc: Document) -> str:
    if doc.signer is None:
        raise ValueError(f"document {doc.kind!r} declares no signer")
    return doc.signer


async def signer(core: WorkflowCore, s: AsyncSession, role: str, title: str) -> L.Signer:
    """The signature block of whoever holds `role` today (Plh. when delegated)."""
    found = await core.holders(s, role)
    if not found:
        return L.Signer(jabatan=title, name="……………………")
    p = found[0]
    delegated = any(r.role == role and r.acting_for_id for r in p.roles)
    return L.Signer(
        jabatan=p.jabatan or title,
        name=p.name,
        pangkat=p.pangkat,
        nip=p.nip,
        plh_for=title if delegated else None,
    )


async def kepala_daerah(core: WorkflowCore, s: AsyncSession, role: str) -> L.Signer:
    """The head of the region's block (the Walikota's): the jabatan and the name only (no
    pangkat, no NIP)."""
    title = core.settings.role_title(role)
    found = await core.holders(s, role)
    if not found:
        return L.Signer(jabatan=title, name="……………………", name_only=True)
    p = found[0]
    delegated = any(r.role == role and r.acting_for_id for r in p.roles)
    return L.Signer(
        jabatan=p.jabatan or title,
        name=p.name,
        plh_for=title if delegated else None,
        name_only=True,
    )


async def nota_dinas_signer(core: WorkflowCore, s: AsyncSession, doc: Document) -> L.Signer:
    """The Nota Dinas goes from the Kepala Bidang where one is configured (the petugas drafts
    it, the Kepala Bidang checks and sends it), else from its declared signer."""
    st = core.settings
    if st.kepala_bidang_name.strip():
        return L.Signer(
            jabatan=st.title_kepala_bidang,
            name=st.kepala_bidang_name.strip(),
            pangkat=st.kepala_bidang_pangkat.strip(),
            nip=st.kepala_bidang_nip.strip(),
        )
    return await signer(core, s, _signer_role(doc), st.title_kepala_bidang)


def _today(core: WorkflowCore) -> date:
    return core.today()


def _file(kind: str, cycle: CycleDTO, ext: str = "docx") -> str:
    return f"{kind}_{cycle.year}_c{cycle.id}.{ext}"


async def _collect_step(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> Step:
    """The step whose deadline the letters announce: the SOP's (first) collect step."""
    return (await core.sop_of(s, cycle)).of_kind(StepKind.COLLECT)[0]


async def _announces_collect(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, step: Step
) -> bool:
    """Whether `step` is the one whose signed letter asks the offices (the step just before
    the collect step): its signing fixes the collect deadline."""
    collect = await _collect_step(core, s, cycle)
    return step.id == collect.id - 1


async def fix_collect_deadline(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> datetime:
    """The Kepala Dinas signs the Surat Dinas: the step-3 deadline is fixed, once, from this
    instant. The signed letter, every Form DIK, the step-3 messages and its due time use it."""
    deadline = core.due_for(await _collect_step(core, s, cycle), core.now())
    await cycles.set_collect_deadline(s, cycle.id, deadline)
    return deadline


async def fixed_collect_deadline(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO
) -> datetime | None:
    """The step-3 deadline once the Surat Dinas is signed (the open collect run's due time);
    None before: no letter states a firm date the bot would not keep."""
    runs = await cycles.runs_of(s, cycle.id)
    collect = await _collect_step(core, s, cycle)
    for run in runs:
        if run.step_key == collect.key:
            return run.due_at
    signed = any(
        r.step_no == collect.id - 1 and r.outcome == "approve" and r.phase == "review"
        for r in runs
    )
    if not signed:
        return None
    fresh = await cycles.get_cycle(s, cycle.id)
    return fresh.collect_deadline if fresh else None


def _collect_rule(core: WorkflowCore, letter: str = "Surat Dinas") -> str:
    """ "5 (lima) hari kerja sejak Surat Dinas diterima": the deadline before it is fixed."""
    days = core.sop.of_kind(StepKind.COLLECT)[0].limit_days
    return f"{tanggal.angka_terbilang(days)} hari kerja sejak {letter} diterima"


def _local_date(core: WorkflowCore, dt: datetime) -> date:
    return dt.astimezone(core.settings.tz).date()
