"""The makers of the DIP SOP's documents (`maker:` names in bot/sop/dip.yaml).

Each maker fills one of the DIP helper's renderers (bot.documents.dip_letters, bot.formdip)
from the cycle's records; the letters use the DIP's own templates (templates/docx/dip), so a
declaration names no `template:`. Registered in paperwork's MAKERS / OFFICE_MAKERS.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal
from bot.documents import dip_letters as D
from bot.documents import letters as L
from bot.formdip import service as dip_service
from bot.formdip.template import build_form_dip
from bot.sop.model import Document
from bot.workflow.letter_parts import (
    DOCX,
    XLSX,
    Made,
    _attached,
    _collect_step,
    _file,
    _local_date,
    _today,
    fixed_collect_deadline,
    legal_refs,
    nota_dinas_signer,
    org,
    signer_of,
)
from storage import people
from storage.dto import CycleDTO, OfficeDTO, StepRunDTO

if TYPE_CHECKING:
    from bot.workflow.core import WorkflowCore

#: How the offices answer, as the Surat Dinas states it.
_CARA = "layanan bot Telegram PPID (unggah Form DIP, ketik daftar, atau jawab Tidak ada perubahan)"


async def _nota_dinas_dip(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    ctx = D.NotaDinasDip(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=[st.title_kepala_dinas],
            tembusan=st.tembusan(doc.kind),
        ),
        signer=await nota_dinas_signer(core, s, doc),
        batas_waktu=None,  # signed before the Surat Dinas: the rule, not a date
        batas_hari_kerja=(await _collect_step(core, s, cycle)).limit_days,
        tahun=cycle.year,
        attached=await _attached(core, s, cycle, doc),
    )
    content = await asyncio.to_thread(D.render_nota_dinas_dip, ctx)
    return Made(_file("Nota_Dinas_DIP", cycle), DOCX, content, bool(nomor))


async def _surat_permintaan_dip(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    st = core.settings
    deadline = await fixed_collect_deadline(core, s, cycle)
    ctx = D.SuratPermintaanDip(
        org=org(st),
        head=L.LetterHead(
            nomor=nomor,
            tanggal=_today(core),
            sifat="Penting",
            hal=doc.hal_for(cycle.year),
            kepada=[f"{st.ppid_pembantu_label} di Lingkungan {st.org_name} (daftar terlampir)"],
            tembusan=st.tembusan(doc.kind),
        ),
        signer=await signer_of(core, s, doc),
        opds=[o.name for o in await people.list_offices(s)],
        batas_waktu=_local_date(core, deadline) if deadline else None,
        batas_jam=(
            f"{tanggal.format_jam(deadline, st.tz)} {st.timezone_label}".strip()
            if deadline
            else ""
        ),
        batas_hari_kerja=(await _collect_step(core, s, cycle)).limit_days,
        tahun=cycle.year,
        cara_penyampaian=_CARA,
        attached=await _attached(core, s, cycle, doc),
    )
    content = await asyncio.to_thread(D.render_surat_permintaan_dip, ctx)
    return Made(_file("Surat_Permintaan_DIP", cycle), DOCX, content)


async def _form_dip_blank(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    """The Form DIP as the letters show it (no OPD's rows: each OPD gets its own, filled)."""
    deadline = await fixed_collect_deadline(core, s, cycle)
    content = await asyncio.to_thread(
        partial(
            build_form_dip,
            office_name="(nama OPD)",
            cycle_title=cycle.title,
            deadline_text=core.fmt_time(deadline) if deadline else await _rule(core, s, cycle),
            label_ppid=core.settings.ppid_pembantu_label,
        )
    )
    return Made(_file("Form_DIP", cycle, "xlsx"), XLSX, content)


async def _rule(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> str:
    """ "5 (lima) hari kerja sejak Surat Dinas diterima", from this cycle's SOP."""
    days = (await _collect_step(core, s, cycle)).limit_days
    return f"{tanggal.angka_terbilang(days)} hari kerja sejak Surat Dinas diterima"


async def _form_dip_for_office(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, office: OfficeDTO, run: StepRunDTO
) -> Made:
    """The OPD's Form DIP, pre-filled with its DIP in force (updating is editing)."""
    content = await dip_service.form_for(
        s,
        office,
        cycle_title=cycle.title,
        deadline_text=core.fmt_time(run.due_at),
        label_ppid=core.settings.ppid_pembantu_label,
    )
    return Made(f"Form_DIP_{office.code}_{cycle.year}.xlsx", XLSX, content)


async def _lists(s: AsyncSession, cycle: CycleDTO) -> list[dip_service.OfficeList]:
    return await dip_service.resulting_lists(s, cycle.id, await people.list_offices(s))


async def _dip_compiled(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    """The compiled DIP: each OPD's accepted update, else its list in force."""
    content = dip_service.compiled_xlsx(cycle.title, await _lists(s, cycle))
    return Made(_file("Rekapitulasi_DIP", cycle, "xlsx"), XLSX, content)


async def _keputusan_dip(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, nomor: str, doc: Document
) -> Made:
    """The draft Keputusan PPID Utama with the compiled DIP as its lampiran. Its number and
    date stay dotted (the office numbers the signed decision); no earlier Keputusan is
    revoked by name, since the bot does not know its number."""
    st = core.settings
    ctx = D.KeputusanDip(
        org=org(st),
        penetap=await signer_of(core, s, doc),
        items=dip_service.keputusan_items(await _lists(s, cycle)),
        tahun=cycle.year,
        tembusan=[f"{st.ppid_pembantu_label} {o.name}" for o in await people.list_offices(s)],
        dasar=legal_refs(st),
    )
    content = await asyncio.to_thread(D.render_keputusan_dip, ctx)
    return Made(_file("Rancangan_Keputusan_DIP", cycle), DOCX, content)


DIP_MAKERS = {
    "nota_dinas_dip": _nota_dinas_dip,
    "surat_permintaan_dip": _surat_permintaan_dip,
    "form_dip": _form_dip_blank,
    "dip_compiled": _dip_compiled,
    "keputusan_dip": _keputusan_dip,
}
DIP_OFFICE_MAKERS = {"form_dip": _form_dip_for_office}
