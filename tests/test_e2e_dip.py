"""The DIP SOP (bot/sop/dip.yaml) played through the real Application against the stand-in.

The petugas chooses the SOP at /mulai; the Nota Dinas and the Surat Dinas are the DIP's own
letters, and every OPD receives its own Form DIP, pre-filled with its DIP in force.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.clock import ManualClock
from bot.config import ConfigError, Settings, load_settings
from bot.documents.render import document_text
from bot.formdip.model import DipRow
from bot.formdip.reader import read_form_dip
from bot.formdip.samples import SAMPLE_DIP_ROWS, filled_form_dip
from bot.formdip.stored import fields_of
from bot.workflow.reminders import send_yearly_reminders
from devtools.standin import BotApiStandin
from storage import cycles, people
from storage import dip as dip_store
from tests.harness import Harness
from tests.scenario import CycleScenario


async def test_mulai_asks_which_sop_and_the_dip_letters_go_out(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["petugas"].say("/mulai")
    labels = [b.text for m in got for row in m.buttons for b in row]
    assert labels == ["DIK 2026", "DIP 2026"], labels
    assert "SOP mana yang dimulai" in got[-1].text
    async with h.workflow.db.read() as s:
        assert await cycles.all_cycles(s) == []  # asking starts nothing

    got = await p["petugas"].tap("DIP 2026")
    assert any("Siklus <b>DIP 2026</b> dimulai" in m.raw_text for m in got)
    draft = [m for m in got if m.document]
    assert draft[0].document.filename.startswith("Nota_Dinas_DIP")
    assert "Daftar Informasi Publik" in document_text(draft[0].document.data)
    assert any(m.document.filename.startswith("Form_DIP") for m in draft)
    for _ in range(2):
        await p["petugas"].tap("📤 Ajukan")
        await p["kadis"].tap("✅ Setujui")

    # Step 3: every OPD gets the Surat Dinas and its own Form DIP.
    for key, code in (("dinkes", "DINKES"), ("bkpsdm", "BKPSDM"), ("disduk", "DISDUK")):
        forms = [
            m for m in p[key].inbox if m.document and m.document.filename.startswith("Form_DIP")
        ]
        assert forms and forms[-1].document.filename == f"Form_DIP_{code}_2026.xlsx"
        letters = [
            m for m in p[key].inbox if m.document and "Surat_Permintaan_DIP" in m.document.filename
        ]
        assert letters, key
    async with h.workflow.db.read() as s:
        (cycle,) = await cycles.all_cycles(s)
        assert cycle.sop_key == "dip" and cycle.current_step_key == "inventarisasi"


async def test_mulai_with_year_and_key_starts_that_sop(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["petugas"].say("/mulai 2027 dip")
    assert "Siklus <b>DIP 2027</b> dimulai" in got[0].raw_text
    got = await p["petugas"].say("/mulai 2027")
    assert "Siklus <b>DIK 2027</b> dimulai" in got[0].raw_text  # the default SOP
    got = await p["dinkes"].say("/mulai")
    assert "hanya untuk Petugas PLID" in got[-1].text


def _docs(person, prefix: str) -> list:
    return [m for m in person.inbox if m.document and m.document.filename.startswith(prefix)]


async def _seed_in_force(h: Harness, code: str, rows: list[DipRow]) -> None:
    """The office's DIP in force, as an earlier Keputusan set it."""
    async with h.workflow.db.transaction() as s:
        office = await people.office_by_code(s, code)
        assert office is not None
        await dip_store.replace_in_force(
            s, office.id, [fields_of(r) for r in rows], cycle_id=None, now=h.clock.now()
        )


async def play_dip_to_verify(h: Harness, p: dict, *, dik: bool = True) -> None:
    """Steps 1-3 of the DIP: DINKES uploads its edited form (one row matching its DIK),
    BKPSDM types two rows, DISDUK answers Tidak ada perubahan."""
    await p["petugas"].say("/mulai 2026 dip")
    for _ in range(2):
        await p["petugas"].tap("📤 Ajukan")
        await p["kadis"].tap("✅ Setujui")
    nota = _docs(p["kadis"], "Nota_Dinas_DIP")[-1].document.data
    assert "Daftar Informasi Publik" in document_text(nota)
    surat = document_text(_docs(p["dinkes"], "Surat_Permintaan_DIP")[-1].document.data)
    for name in ("Dinas Kesehatan", "Badan Perencanaan Pembangunan Daerah"):
        assert name in surat  # the lampiran lists every OPD addressed
    form = _docs(p["dinkes"], "Form_DIP_DINKES")[-1].document.data
    assert len(read_form_dip(form).rows) == 2  # pre-filled with the DIP in force
    data = filled_form_dip("Dinas Kesehatan", [FLAGGED], in_force=SAMPLE_DIP_ROWS[:2])
    got = await p["dinkes"].upload("dip-dinkes.xlsx", data)
    shown = got[-1].text
    assert "DIP Dinas Kesehatan</b>: 3 informasi" in got[-1].raw_text, shown
    if dik:  # after a DIK cycle: the row that is in DINKES's DIK is flagged
        assert "mirip dengan Daftar Informasi yang Dikecualikan" in shown
        assert "Data rekam medis pasien Puskesmas" in shown.split("mirip dengan")[1]
    await p["dinkes"].tap("✅ Kirim DIP")

    got = await p["bkpsdm"].tap("⌨️ Ketik usulan")
    assert "Ringkasan:" in got[-1].text
    got = await p["bkpsdm"].say("Ringkasan: Daftar pegawai\nPejabat: Bidang Mutasi")
    assert "Form DIP belum dapat diterima" in got[-1].text  # fields missing: nothing kept
    for row in TYPED:
        got = await p["bkpsdm"].say(row)
        assert "tersimpan di draf" in got[-1].text, got[-1].text
    got = await p["bkpsdm"].tap("✅ Selesai")
    assert "2 informasi" in got[-1].raw_text
    await p["bkpsdm"].tap("✅ Kirim DIP")

    got = await p["disduk"].tap("🚫 Tidak ada perubahan")
    assert "Terkirim" in got[-1].text

    # BAPPEDA never answers: after the limit the petugas closes the inventory (its list in
    # force, none, stays).
    async with h.workflow.db.read() as s:
        run = next(r for r in await cycles.open_runs(s) if r.step_key == "inventarisasi")
    h.clock.set(run.due_at + timedelta(hours=1))
    await p["petugas"].say("/tugas")
    await p["petugas"].tap(f"Buka: DIP 2026 · langkah {run.step_no}")
    got = await p["petugas"].tap("🔒 Tutup pengumpulan")
    closed = [m.text for m in got if "Pengumpulan usulan ditutup" in (m.text or "")]
    assert closed and "tidak menjawab dicatat: Badan Perencanaan" in closed[0]


TYPED = [
    "Ringkasan: Daftar formasi jabatan\nPejabat: Bidang Pengadaan dan Mutasi\n"
    "Penanggung jawab: Kepala BKPSDM\nWaktu dan tempat: Setiap tahun, BKPSDM\n"
    "Bentuk: cetak dan elektronik\nRetensi: 5 tahun\nJenis: berkala",
    "Ringkasan: Jadwal seleksi calon pegawai\nPejabat: Bidang Pengadaan\n"
    "Penanggung jawab: Kepala BKPSDM\nWaktu dan tempat: Saat seleksi, BKPSDM\n"
    "Bentuk: elektronik\nRetensi: 2 tahun\nJenis: serta merta",
]
FLAGGED = DipRow(
    "Data rekam medis pasien Puskesmas",
    "Bidang Pelayanan Kesehatan",
    "Kepala Puskesmas",
    "Setiap kunjungan, Puskesmas",
    ("elektronik",),
    "25 tahun",
    "setiap_saat",
)


async def test_dip_cycle_with_a_return(harness: Harness) -> None:
    """After a DIK cycle (its SK in force): three OPDs answer (upload, typed, tidak ada
    perubahan), one does not; one answer is returned and sent again; the DIP is set."""
    h = harness
    dik = CycleScenario(h)
    await dik.play()
    p = dik.p
    await _seed_in_force(h, "DINKES", SAMPLE_DIP_ROWS[:2])
    await play_dip_to_verify(h, p)

    # Step 4: the petugas verifies each OPD: one card per answer.
    cards = [m for m in p["petugas"].inbox if "<b>Verifikasi DIP " in (m.raw_text or "")]
    assert len(cards) == 3, [m.text for m in p["petugas"].inbox[-6:]]
    bk = next(m for m in cards if "Badan Kepegawaian" in m.text)
    ret = next(b.callback_data for row in bk.buttons for b in row if "Kembalikan" in b.text)
    got = await p["petugas"].tap_data(bk.message_id, ret)
    assert "catatan perbaikan" in got[-1].text
    got = await p["petugas"].say("   ")
    assert "wajib diisi" in got[-1].text
    got = await p["petugas"].say("Retensi jadwal seleksi mohon disesuaikan dengan JRA.")
    assert "Dikembalikan kepada Badan Kepegawaian" in got[-1].text
    back = [m for m in p["bkpsdm"].inbox if "dikembalikan" in (m.text or "")]
    assert back and "sesuaikan dengan JRA" in back[-1].text
    async with h.workflow.db.read() as s:
        runs = list(await cycles.open_runs(s))
        reopened = [r for r in runs if r.step_key == "inventarisasi"]
        assert len(reopened) == 1 and reopened[0].office_id is not None
        assert {r.step_key for r in runs} == {"inventarisasi", "verifikasi"}
        first = next(
            r
            for r in await cycles.runs_of(s, reopened[0].cycle_id)
            if r.step_key == "inventarisasi"
        )
        assert reopened[0].due_at > first.due_at  # only this office's clock starts again
        assert reopened[0].assigned_at == h.clock.now()

    for key in ("dinkes", "disduk"):
        card = next(m for m in cards if OFFICE_NAMES[key] in m.text)
        acc = next(b.callback_data for row in card.buttons for b in row if "Terima" in b.text)
        forged = await p[key].tap_data(p[key].inbox[-1].message_id, acc)
        assert "hanya untuk Petugas PLID" in forged[-1].text  # an OPD cannot accept itself
        got = await p["petugas"].tap_data(card.message_id, acc)
        assert "Diterima" in got[-1].text

    # BKPSDM answers again (attempt 2) on its own clock; the petugas accepts it.
    await p["bkpsdm"].tap("⌨️ Ketik usulan")
    for row in [TYPED[0], TYPED[1].replace("2 tahun", "5 tahun")]:
        await p["bkpsdm"].say(row)
    await p["bkpsdm"].tap("✅ Selesai")
    await p["bkpsdm"].tap("✅ Kirim DIP")
    card = [m for m in p["petugas"].inbox if "<b>Verifikasi DIP " in (m.raw_text or "")][-1]
    assert "pengiriman ke-2" in card.text
    acc = next(b.callback_data for row in card.buttons for b in row if "Terima" in b.text)
    got = await p["petugas"].tap_data(card.message_id, acc)
    assert "langkah berikutnya dimulai" in got[-1].text
    async with h.workflow.db.read() as s:
        (cycle,) = [c for c in await cycles.all_cycles(s) if c.sop_key == "dip"]
        assert cycle.current_step_key == "penetapan"
    await play_dip_to_the_end(h, p)
    await check_dip_results(h, p, settings_dir=h.workflow.settings.publish_dir)


async def play_dip_to_the_end(h: Harness, p: dict) -> None:
    """Step 5: the Kepala Dinas reads the compiled DIP and the draft Keputusan and signs; the
    petugas uploads the signed scan. Step 6: the address is confirmed, the Keputusan goes out."""
    review = p["kadis"].inbox[-3:]
    compiled = next(m for m in review if m.document and "Rekapitulasi_DIP" in m.document.filename)
    book = load_workbook(BytesIO(compiled.document.data))
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert {"Daftar formasi jabatan", FLAGGED.ringkasan, SAMPLE_DIP_ROWS[0].ringkasan} <= values
    names = [m.document.filename for m in review if m.document]
    assert any(n.startswith("Rekapitulasi_DIP") for n in names), names
    draft = next(m for m in review if m.document and "Keputusan_DIP" in m.document.filename)
    text = document_text(draft.document.data)
    assert "DAFTAR INFORMASI PUBLIK" in text.upper() and "Jadwal seleksi calon pegawai" in text
    await p["kadis"].tap("✅ Setujui")
    got = await p["petugas"].upload("Keputusan-DIP-2026.pdf", PDF, "application/pdf")
    assert any("DIP publik sudah ditulis" in m.text for m in p["petugas"].inbox[-4:]), [
        m.text for m in got
    ]
    await p["petugas"].tap("🌐 Kirim alamat publikasi")
    got = await p["petugas"].say("https://ppid.kupangkota.go.id/dik/dip-2026.html")
    for key in ("dinkes", "bkpsdm", "disduk"):
        assert any(
            m.document and m.document.filename.endswith(".pdf") for m in p[key].inbox[-2:]
        ), key


async def check_dip_results(h: Harness, p: dict, settings_dir) -> None:
    """The DIP in force is the accepted lists; the published files say the same."""
    async with h.workflow.db.read() as s:
        (cycle,) = [c for c in await cycles.all_cycles(s) if c.sop_key == "dip"]
        assert cycle.status == "finished"
        in_force = await dip_store.in_force(s)
        by_office: dict[str, list[str]] = {}
        for e in in_force:
            by_office.setdefault(e.office_code, []).append(e.fields.ringkasan)
    assert by_office["DINKES"] == [r.ringkasan for r in SAMPLE_DIP_ROWS[:2]] + [FLAGGED.ringkasan]
    assert by_office["BKPSDM"] == ["Daftar formasi jabatan", "Jadwal seleksi calon pegawai"]
    assert "DISDUK" not in by_office  # tidak ada perubahan: nothing was in force, nothing is
    published = json.loads((settings_dir / "dip-2026.json").read_text(encoding="utf-8"))
    assert [(i["opd"]["kode"], i["ringkasan"]) for i in published["items"]] == [
        (e.office_code, e.fields.ringkasan) for e in in_force
    ]
    assert published["keputusan"]["berkas"] == "keputusan-dip-2026.pdf"
    assert published["dik"] == "dik-2026.html"  # the DIK page of the SK in force, beside it
    page = (settings_dir / "dip-2026.html").read_text(encoding="utf-8")
    assert "Jadwal seleksi calon pegawai" in page and 'href="dik-2026.html"' in page
    assert (settings_dir / "keputusan-dip-2026.pdf").read_bytes() == PDF
    sheet = load_workbook(BytesIO((settings_dir / "dip-2026.xlsx").read_bytes()))
    cells = {c.value for ws in sheet.worksheets for row in ws.iter_rows() for c in row}
    assert {e.fields.ringkasan for e in in_force} <= cells
    got = await p["dinkes"].say("/dip seleksi")
    assert "Jadwal seleksi calon pegawai" in got[-1].text


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFICE_NAMES = {"dinkes": "Dinas Kesehatan", "disduk": "Dinas Kependudukan"}


async def test_the_yearly_reminder_of_the_dip(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    """SOP_YEARLY_REMINDERS="dip=12": in December the petugas is told once that the DIP
    update is due; not in another month, not twice, not once a DIP cycle of the year exists."""
    tuned = settings.model_copy(update={"sop_yearly_reminders": "dip=12"})
    async with Harness.running(tuned, standin, clock) as h:
        p = await h.seed_city()
        assert await send_yearly_reminders(h.workflow.core) == 0  # 30 November
        clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # Tuesday, a working day
        assert await send_yearly_reminders(h.workflow.core) == 1
        assert await send_yearly_reminders(h.workflow.core) == 0  # once a year
        assert h.app.bot_data.sender is not None
        await h.app.bot_data.sender.flush()
        await h.chat.settle()
        told = [m for m in p["petugas"].inbox if "Pengingat tahunan" in (m.text or "")]
        assert len(told) == 1 and "/mulai 2026 dip" in told[0].text
        assert not any("Pengingat tahunan" in (m.text or "") for m in p["dinkes"].inbox)
        await p["petugas"].say("/mulai 2027 dip")
        clock.set(datetime(2027, 12, 1, 1, 0, tzinfo=UTC))
        assert await send_yearly_reminders(h.workflow.core) == 0  # the 2027 cycle was started


def test_a_bad_reminder_setting_is_refused() -> None:
    with pytest.raises(ConfigError, match="SOP_YEARLY_REMINDERS"):
        load_settings(_env_file=None, sop_yearly_reminders="dip=13")
    assert load_settings(_env_file=None, sop_yearly_reminders="dip=1").yearly_reminders() == {
        "dip": 1
    }


async def test_bad_answers_change_nothing(harness: Harness) -> None:
    """A broken Form DIP, a forged Terima from an OPD, a second answer once sent: each gets
    an Indonesian message and nothing stored changes."""
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026 dip")
    for _ in range(2):
        await p["petugas"].tap("📤 Ajukan")
        await p["kadis"].tap("✅ Setujui")
    before = await h.snapshot()
    got = await p["dinkes"].upload("dip.xlsx", b"PK\x03\x04 bukan xlsx")
    assert "Form DIP belum dapat diterima" in got[-1].text
    assert await h.snapshot() == before
    got = await p["disduk"].tap("🚫 Tidak ada perubahan")
    assert "Terkirim" in got[-1].text
    async with h.workflow.db.read() as s:
        (cycle,) = await cycles.all_cycles(s)
        (sub,) = await dip_store.latest_per_office(s, cycle.id)
    after_answer = await h.snapshot()
    got = await p["dinkes"].tap_data(p["dinkes"].inbox[-1].message_id, f"q:{sub.id}:acc")
    assert "Verifikasi ini tidak sedang terbuka" in got[-1].text  # and not theirs to do
    got = await p["disduk"].say("/tugas")
    again = await p["disduk"].tap("🚫 Tidak ada perubahan")
    assert "sudah dikirim" in again[-1].text
    assert await h.snapshot() == after_answer


async def test_a_returned_office_alone_is_reminded(harness: Harness) -> None:
    """Past the reopened run's deadline, the reminders go to the returned office only (not to
    the office that never answered the step, whose run was closed)."""
    h = harness
    p = await h.seed_city()
    await h.workflow.onboarding.add_office("BAPPEDA", "Badan Perencanaan Pembangunan Daerah")
    p["bappeda"] = await h.official(
        "bappeda", 2004, "Simon Lenggu", "ppid_pembantu", office="BAPPEDA"
    )
    await _seed_in_force(h, "DINKES", SAMPLE_DIP_ROWS[:2])
    await play_dip_to_verify(h, p, dik=False)
    card = next(
        m
        for m in p["petugas"].inbox
        if "<b>Verifikasi DIP Badan Kepegawaian" in (m.raw_text or "")
    )
    ret = next(b.callback_data for row in card.buttons for b in row if "Kembalikan" in b.text)
    await p["petugas"].tap_data(card.message_id, ret)
    await p["petugas"].say("Mohon lengkapi retensi sesuai JRA.")
    async with h.workflow.db.read() as s:
        (reopened,) = [r for r in await cycles.open_runs(s) if r.step_key == "inventarisasi"]
    before = {k: len(p[k].inbox) for k in ("bkpsdm", "bappeda", "dinkes")}
    h.clock.set(reopened.due_at + timedelta(minutes=5))
    assert await h.workflow.nudges.sweep() > 0
    assert h.app.bot_data.sender is not None
    await h.app.bot_data.sender.flush()
    await h.chat.settle()
    new = {k: p[k].inbox[before[k] :] for k in before}
    assert any("Inventarisasi DIP" in (m.text or "") for m in new["bkpsdm"]), [
        m.text for m in new["bkpsdm"]
    ]
    for key in ("bappeda", "dinkes"):  # (a receipt reminder for the letter is another matter)
        assert not any("Inventarisasi DIP" in (m.text or "") for m in new[key]), key
    got = await p["petugas"].say("/tugas")
    assert "Badan Perencanaan" not in got[-1].text
