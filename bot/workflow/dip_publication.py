"""The public page `dip` of a publish step: when the signed Keputusan PPID Utama is uploaded,
the accepted lists become the DIP in force, and the public DIP (page, JSON, XLSX, with the
signed PDF beside it) is written to the publish folder and archived; the petugas is told
which address to confirm."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.formdip import service as dip_service
from bot.publish.dip_files import build_dip_files, write_public_dip
from bot.publish.dip_model import KeputusanRef
from bot.sop import StepKind
from bot.sop.kinds import PHASES
from bot.workflow.callback_data import run_buttons
from bot.workflow.core import WorkflowCore
from bot.workflow.publication import newest_finished_of_page, public_url, sk_ref
from storage import cycles, documents, people
from storage.dto import CycleDTO, PersonDTO

logger = logging.getLogger(__name__)


async def prepare_dip_publication(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    pdf: bytes | None = None,
    *,
    actor: PersonDTO | None,
) -> None:
    st = core.settings
    changed = await dip_service.adopt(s, cycle.id, now=core.now())
    ref = await sk_ref(core, s, cycle)  # the number written with the scan, the signing day
    keputusan = KeputusanRef(ref.nomor, ref.tanggal, cycle.title, cycle.year)
    dik = await newest_finished_of_page(core, s, "dik")
    dik_page = f"dik-{dik.year}.html" if dik else ""
    if dik_page and not (st.publish_dir / dik_page).is_file():
        dik_page = ""  # link only a page that is there
    dip = await dip_service.public_dip(
        s,
        badan_publik=st.org_name,
        ppid=st.org_unit,
        keputusan=keputusan,
        now=core.now().astimezone(st.tz),
        dik_page=dik_page,
        keputusan_published=pdf is not None,
        permohonan_url=st.permohonan_url,
    )
    files = await asyncio.to_thread(build_dip_files, dip)
    sop = await core.sop_of(s, cycle)
    step_no = next((x.id for x in sop.of_kind(StepKind.PUBLISH)), sop.last_step)
    docs = [
        await documents.add_document(
            s,
            cycle_id=cycle.id,
            step_no=step_no,
            kind=f"dip_publik_{f.name.rsplit('.', 1)[1]}",
            filename=f.name,
            mime_type=f.mime_type,
            content=f.content,
            now=core.now(),
        )
        for f in files
    ]
    error = None
    try:
        await asyncio.to_thread(write_public_dip, st.publish_dir, dip, pdf)
    except OSError as exc:
        logger.warning(
            "public DIP of cycle %s not written to %s: %s", cycle.id, st.publish_dir, exc
        )
        error = exc.strerror or type(exc).__name__
    run = next((r for r in await cycles.open_runs(s, cycle.id) if r.phase == "publish"), None)
    if run is None:
        return
    offices = {o.id: o.name for o in await people.list_offices(s)}
    text = texts.render(
        "verify",
        "dip_files_ready",
        cycle=cycle.title,
        count=len(dip.items),
        changed=[offices.get(i, str(i)) for i in changed],
        keputusan=keputusan.text(),
        has_number=bool(keputusan.nomor),
        folder=str(st.publish_dir),
        files=[f.name for f in files],
        pdf_file=dip.keputusan_filename,
        url=public_url(st.public_base_url, files[0].name),
        error=error,
    )
    buttons = run_buttons(run, *PHASES[run.phase].buttons)
    for person in await core.holders(s, run.holder_role):
        await core.tell(s, person, text, buttons=buttons, documents=docs, actor=actor)
