"""The engine runs a SOP that is not the DIK SOP: three steps (sign → collect → publish), roles
and documents of its own, all declared in its file.

Played through the real Application against the stand-in: the Sekretaris signs and uploads a
Standar Layanan, every office's Kepala Seksi answers (or is recorded as not answering), the
Pengelola Laman publishes it and it goes to the Kepala Seksi. The holders, the texts each one
receives and the documents are checked, and that the cycle finishes; nothing of the DIK SOP
(its roles, its letters, its words) shows where it does not belong.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.app import load_checked_sops
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.sop import SopError
from bot.workflow.paperwork import Paperwork
from devtools.standin import BotApiStandin
from devtools.standin.driver import Person
from storage import cycles
from storage.models import Document
from tests.harness import OFFICES, Harness

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "https://ppid.kupangkota.go.id/standar-layanan-2026"
Raw = dict[str, Any]

SYNTHETIC: Raw = {
    "key": "standar_layanan",
    "version": 1,
    "title": "Penetapan dan Publikasi Standar Layanan Informasi",
    "cycle_title": "Standar Layanan {year}",
    "operator": "sekretaris",
    "roles": {
        "sekretaris": {"label": "Sekretaris Dinas", "oversees": True, "signs": True},
        "kepala_seksi": {"label": "Kepala Seksi", "per_office": True},
        "pengelola_web": "Pengelola Laman",
        "admin": "Admin",
    },
    "documents": {
        "standar_ttd": {
            "title": "Keputusan tentang Standar Layanan Informasi",
            "short": "Keputusan Standar Layanan",
            "maker": "upload",
            "hal": "Penyampaian Standar Layanan Informasi Tahun {year}",
            "receipt": True,
        },
        "formulir_seksi": {
            "title": "Formulir Masukan Seksi (XLSX)",
            "short": "Formulir Seksi",
            "maker": "form_dik",
            "per_office": True,
        },
        "masukan_seksi": {"title": "Masukan Seksi atas Standar Layanan", "maker": "upload"},
    },
    "steps": [
        {
            "key": "tanda_tangan",
            "title": "Penandatanganan Standar Layanan",
            "kind": "sign",
            "actor": "sekretaris",
            "uploader": "sekretaris",
            "limit_days": 2,
            "kelengkapan": "Rancangan Standar Layanan",
            "outputs": ["standar_ttd"],
            "output_text": "Standar Layanan yang ditandatangani",
            "reject_to": "tanda_tangan",
            "escalate_to": "sekretaris",
        },
        {
            "key": "masukan",
            "title": "Masukan setiap Seksi",
            "kind": "collect",
            "actor": "kepala_seksi",
            "closer": "sekretaris",
            "limit_days": 3,
            "kelengkapan": "Standar Layanan yang ditandatangani",
            "form": "formulir_seksi",
            "outputs": ["masukan_seksi"],
            "output_text": "Masukan atas Standar Layanan",
            "escalate_to": "sekretaris",
            "notify": ["sekretaris"],
            "attach": {"collect": ["standar_ttd"]},
        },
        {
            "key": "publikasi_standar",
            "title": "Publikasi Standar Layanan",
            "kind": "publish",
            "actor": "pengelola_web",
            "limit_days": 1,
            "kelengkapan": "Standar Layanan yang ditandatangani",
            "outputs": ["standar_ttd"],
            "output_text": "Standar Layanan terpublikasi dan tersebar",
            "distribute_to": ["kepala_seksi"],
            "escalate_to": "sekretaris",
            "notify": ["sekretaris"],
            "attach": {"publish": ["standar_ttd"]},
        },
    ],
}

#: What belongs to the DIK SOP only: none of it may reach anyone in this SOP.
DIK_WORDS = (
    "DIK",
    "Dikecualikan",
    "PPID Pembantu",
    "Walikota",
    "DPRD",
    "Kepala Dinas",
    "Petugas",
    "Uji Konsekuensi",
)


def write_sop(tmp_path: Path, data: Raw) -> Path:
    folder = tmp_path / "sop"
    folder.mkdir()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / f"{data['key']}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
async def synthetic(
    settings: Settings, standin: BotApiStandin, clock: ManualClock, tmp_path: Path
) -> Any:
    folder = write_sop(tmp_path, SYNTHETIC)
    update = {"sop_dir": folder, "sop_default": "standar_layanan"}
    async with Harness.running(settings.model_copy(update=update), standin, clock) as h:
        yield h


async def open_runs(h: Harness) -> list[Any]:
    async with h.workflow.db.read() as s:
        return await cycles.open_runs(s)


def no_dik_words(person: Person, since: int) -> None:
    """What the engine told `person` about the cycle (after the /start greeting, which is the
    bot's own help) names nothing of the DIK SOP."""
    assert person.inbox[since:]
    for message in person.inbox[since:]:
        said = " ".join([message.text, *(b.text for row in message.buttons for b in row)])
        for word in DIK_WORDS:
            assert word not in said, (word, said)
        assert not re.search(r"\bSK\b", said), said


async def test_a_synthetic_three_step_sop_runs_to_its_end(synthetic: Harness) -> None:
    h = synthetic
    wf = h.workflow
    for code, name in OFFICES:
        await wf.onboarding.add_office(code, name)
    sek = await h.official(
        "sek", 1101, "Yuliana Bani", "sekretaris", jabatan="Sekretaris Dinas Kominfo"
    )
    seksi = {
        code: await h.official(code, 1200 + i, f"Kepala Seksi {code}", "kepala_seksi", office=code)
        for i, (code, _name) in enumerate(OFFICES)
    }
    web = await h.official("web", 1301, "Rian Manu", "pengelola_web")
    greeted = {p.user_id: len(p.inbox) for p in (sek, web, *seksi.values())}

    # Step 1, sign: the Sekretaris (the operator) starts the cycle and is asked to sign.
    got = await sek.say("/mulai 2026")
    assert any("Standar Layanan 2026" in m.text for m in got)
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no, run.phase, run.holder_role) == (
        "tanda_tangan",
        1,
        "review",
        "sekretaris",
    )
    review = next(m for m in reversed(sek.inbox) if m.buttons)
    assert "Langkah 1: Penandatanganan Standar Layanan" in review.text
    assert "tanda tangan" in review.text
    await sek.tap("✅ Setujui")
    (run,) = await open_runs(h)
    assert (run.step_key, run.phase, run.holder_role) == ("tanda_tangan", "upload", "sekretaris")
    upload_task = next(m for m in reversed(sek.inbox) if m.buttons)
    labels = [b.text for row in upload_task.buttons for b in row]
    assert labels == ["📎 Unggah Keputusan Standar Layanan bertanda tangan"]
    assert "Unggah pindaian Keputusan Standar Layanan yang sudah ditandatangani" in (
        upload_task.text
    )
    got = await sek.upload("standar-layanan.pdf", PDF)
    assert any(
        "Standar Layanan yang ditandatangani diterima dan diarsipkan" in m.text for m in got
    )

    # Step 2, collect: each office's Kepala Seksi gets the signed document and its own form.
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no, run.phase, run.holder_role) == (
        "masukan",
        2,
        "collect",
        "kepala_seksi",
    )
    for (code, name), person in zip(OFFICES, seksi.values(), strict=True):
        task = next(m for m in person.inbox if "Langkah 2" in m.text)
        assert f"Yth. Kepala Seksi {name}," in task.text
        assert "Masukan atas Standar Layanan" in task.text
        assert "Formulir Masukan Seksi (XLSX)" in task.text
        files = [m.document.filename for m in person.inbox if m.document]
        assert any(f.endswith(".pdf") for f in files), files
        assert f"Form_DIK_{code}_2026.xlsx" in files  # the reused maker's own file name
        labels = [b.text for row in task.buttons for b in row]
        assert labels[0] == "📎 Unggah Formulir Seksi"
    for code in ("DINKES", "BKPSDM"):
        await seksi[code].tap("🚫 Nihil")
        await seksi[code].tap("✅ Kirim usulan")
    # DISDUK never answers: after the limit the Sekretaris closes the collection.
    h.clock.set(run.due_at + timedelta(hours=1))
    await sek.say("/tugas")
    await sek.tap("Buka: Standar Layanan 2026 · langkah 2")
    await sek.tap("🔒 Tutup pengumpulan")

    # Step 3, publish: the Pengelola Laman confirms the URL; the document goes to the seksi.
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no, run.phase, run.holder_role) == (
        "publikasi_standar",
        3,
        "publish",
        "pengelola_web",
    )
    task = next(m for m in reversed(web.inbox) if m.buttons)
    assert "Langkah 3: Publikasi Standar Layanan" in task.text
    assert "Unggah Keputusan Standar Layanan ke website" in task.text
    assert "kepada Kepala Seksi" in task.text
    await web.tap("🌐 Kirim alamat publikasi")
    got = await web.say(URL)
    assert any("Publikasi tercatat" in m.text and "Siklus selesai" in m.text for m in got)

    async with wf.db.read() as s:
        (cycle,) = await cycles.all_cycles(s)
        kinds = set(await s.scalars(select(Document.kind)))
    assert (cycle.status, cycle.current_step_key, cycle.sop_key) == (
        "finished",
        "publikasi_standar",
        "standar_layanan",
    )
    assert cycle.published_url == URL
    assert await open_runs(h) == []
    # Its own documents only: no public DIK page, no letter of the DIK SOP.
    assert kinds == {"standar_ttd", "formulir_seksi"}
    for person in seksi.values():
        shared = [m for m in person.inbox if "telah ditetapkan dan dipublikasikan" in m.text]
        assert len(shared) == 1
        assert "Keputusan tentang Standar Layanan Informasi" in shared[0].text
        assert shared[0].document is not None
        # A declared receipt: the copy carries a Diterima button.
        assert any("Diterima" in b.text for row in shared[0].buttons for b in row)
    for person in (sek, web, *seksi.values()):
        no_dik_words(person, greeted[person.user_id])


def test_a_step_naming_an_undeclared_document_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(SYNTHETIC))
    data["steps"][1]["attach"]["collect"] = ["standar_ttd", "surat_sakti"]
    folder = write_sop(tmp_path, data)
    settings = load_settings(_env_file=None, sop_dir=folder, sop_default="standar_layanan")
    with pytest.raises(SopError) as caught:
        load_checked_sops(settings, Paperwork(settings))
    message = str(caught.value)
    assert "standar_layanan.yaml" in message
    assert "step masukan, field attach.collect" in message and "surat_sakti" in message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: d["documents"]["masukan_seksi"].update(maker="surat_sakti"),
            ("document masukan_seksi", "field maker", "surat_sakti"),
        ),
        (
            lambda d: d["documents"]["formulir_seksi"].update(maker="sk_draft"),
            ("document formulir_seksi", "field per_office", "sk_draft"),
        ),
        (
            lambda d: d["documents"]["standar_ttd"].update(to=["walikota"]),
            ("document standar_ttd", "field to", "walikota"),
        ),
        (
            lambda d: d["documents"]["formulir_seksi"].update(per_office=False),
            ("step masukan", "field form", "formulir_seksi"),
        ),
    ],
)
def test_a_bad_document_declaration_is_refused_at_start_up(
    tmp_path: Path, change: Any, words: tuple[str, ...]
) -> None:
    data = yaml.safe_load(yaml.safe_dump(SYNTHETIC))
    change(data)
    folder = write_sop(tmp_path, data)
    settings = load_settings(_env_file=None, sop_dir=folder, sop_default="standar_layanan")
    with pytest.raises(SopError) as caught:
        load_checked_sops(settings, Paperwork(settings))
    message = str(caught.value)
    assert "standar_layanan.yaml" in message
    for word in words:
        assert word in message, message
