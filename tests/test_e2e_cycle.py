"""All ten steps of the SOP, played by simulated officials through the real Application.

Four OPDs: one uploads its Form DIK, one types its rows on the phone, one answers Nihil and one
never answers (late; the petugas closes step 3 after the limit). The Kepala Dinas rejects the
first Nota Dinas, and the petugas resubmits it.
"""

from __future__ import annotations

from datetime import timedelta

from bot.documents.render import document_text
from storage import cycles, proposals
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def texts(messages: list) -> str:
    return "\n---\n".join(m.text or "" for m in messages)


async def test_whole_cycle(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.workflow.onboarding.add_office("BAPPEDA", "Badan Perencanaan Pembangunan Daerah")
    bappeda = await h.official("bappeda", 2004, "Simon Lenggu", "ppid_pembantu", office="BAPPEDA")

    # Step 1: the petugas starts the cycle; the Kepala Dinas rejects, then approves.
    got = await p["petugas"].say("/mulai 2026")
    assert "Siklus <b>DIK 2026</b> dimulai" in got[0].raw_text
    draft = [m for m in got if m.document]
    assert draft[0].document.filename.startswith("Nota_Dinas")
    assert "Permintaan Usulan Daftar Informasi yang Dikecualikan" in document_text(
        draft[0].document.data
    )
    await p["petugas"].tap("📤 Ajukan")
    assert p["kadis"].last.document is not None
    assert "Mohon paraf dan tanda tangan" in p["kadis"].last.text
    got = await p["kadis"].tap("❌ Tolak")
    assert "alasan penolakan" in got[-1].text
    got = await p["kadis"].say("Mohon cantumkan batas waktu dengan jelas.")
    assert "Ditolak" in got[-1].text
    back = p["petugas"].inbox[-1]
    assert "Mohon cantumkan batas waktu dengan jelas." in back.text
    assert "revisi ke-1" in back.text and back.document is not None
    await p["petugas"].tap("📤 Ajukan")
    got = await p["kadis"].tap("✅ Setujui")
    assert "Disetujui" in got[-1].text
    issued = [m for m in p["petugas"].inbox if "000.9/001/Kominfo/XI/2026" in m.text]
    assert issued, texts(p["petugas"].inbox[-5:])

    # Step 2: the Surat Dinas to the PPID Pembantu.
    assert "Langkah 2" in p["petugas"].last.text
    await p["petugas"].tap("📤 Ajukan")
    await p["kadis"].tap("✅ Setujui")

    # Step 3: every OPD gets the letter and its own Form DIK.
    for key in ("dinkes", "bkpsdm", "disduk"):
        inbox = p[key].inbox
        files = [m.document.filename for m in inbox if m.document]
        assert any(f.startswith("Surat_Permintaan_DIK") for f in files), files
        assert any(f.startswith("Form_DIK_") for f in files), files
        assert "🚫 Nihil" in inbox[-1].button_texts
    assert "Form_DIK_BAPPEDA_2026.xlsx" in [
        m.document.filename for m in bappeda.inbox if m.document
    ]

    # DINKES uploads its filled Form DIK, checks the rows, sends.
    got = await p["dinkes"].upload("form-dinkes.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS))
    assert "Periksa usulan Dinas Kesehatan" in got[-1].text and "(3 butir)" in got[-1].text
    got = await p["dinkes"].tap("✅ Kirim usulan")
    assert "Nomor agenda: 1" in got[-1].text
    assert "usulan dari Dinas Kesehatan diterima (3 butir)" in p["petugas"].last.text

    # BKPSDM types two rows on the phone; the second has no Pasal 17 letter.
    await p["bkpsdm"].tap("⌨️ Ketik usulan")
    await p["bkpsdm"].say("Berkas penilaian kinerja pegawai")
    got = await p["bkpsdm"].say("Pasal 17 (g), (h) angka 4 UU 14/2008")
    assert "Pasal 17 huruf g dan huruf h angka 4" in texts(got)
    await p["bkpsdm"].say("Mengungkap evaluasi kemampuan seseorang")
    await p["bkpsdm"].say("Melindungi hak pribadi pegawai")
    got = await p["bkpsdm"].say("5 tahun")
    assert "Butir ke-1 tersimpan" in got[-1].text
    await p["bkpsdm"].tap("➕ Tambah lagi")
    await p["bkpsdm"].say("Data rekening gaji pegawai")
    got = await p["bkpsdm"].say("Peraturan BKN tentang kerahasiaan data")
    assert "belum menyebut huruf Pasal 17" in got[-1].text
    got = await p["bkpsdm"].tap("h. Mengungkap rahasia pribadi")
    assert "pilih angkanya" in got[-1].text
    await p["bkpsdm"].tap_data(got[-1].message_id, "n:3")
    await p["bkpsdm"].say("Rekening dapat disalahgunakan")
    await p["bkpsdm"].say("Melindungi keuangan pribadi")
    await p["bkpsdm"].say("Tidak terbatas")
    got = await p["bkpsdm"].tap("✅ Selesai")
    assert "Periksa usulan Badan Kepegawaian" in got[-1].text and "(2 butir)" in got[-1].text
    await p["bkpsdm"].tap("✅ Kirim usulan")

    # DISDUK answers Nihil.
    got = await p["disduk"].tap("🚫 Nihil")
    assert "NIHIL" in got[-1].text
    await p["disduk"].tap("✅ Kirim usulan")

    # BAPPEDA is late. The petugas cannot close before the limit, then can.
    status = await p["petugas"].say("status")
    assert "3 dari 4 menjawab" in status[-1].text and "belum menjawab" in status[-1].text
    run = await _open_run(h, 3)
    got = await p["petugas"].tap_data(1, f"a:{run.id}:cls:{run.version}")
    assert "baru dapat ditutup setelah batas waktu" in got[-1].text
    h.clock.set(run.due_at + timedelta(hours=1))
    got = await p["petugas"].say("/tugas")
    assert "terlambat" not in got[-1].text or "Langkah 3" in got[-1].text
    await p["petugas"].tap("Buka: DIK 2026 · langkah 3")
    got = await p["petugas"].tap("🔒 Tutup pengumpulan")
    assert "tidak menjawab dicatat: Badan Perencanaan Pembangunan Daerah" in texts(got)

    # Step 4: compiled list and Surat Pengantar, signed.
    files = [m.document.filename for m in p["petugas"].inbox[-3:] if m.document]
    assert any(f.startswith("Usulan_DIK_Kompilasi") for f in files), files
    await p["petugas"].tap("📤 Ajukan")
    await p["kadis"].tap("✅ Setujui")

    # Step 5: delivered to Asda 1; step 6: disposition, then the invitation.
    assert "Langkah 5" in p["petugas"].last.text
    seen = len(p["asda"].inbox)
    await p["petugas"].tap("📨 Sudah disampaikan")
    assert "disposisi" in p["asda"].last.text
    # the SOP tells Asda 1 that step 5 is done (no letter of it went to Asda 1)
    assert "langkah 5 (" in texts(p["asda"].inbox[seen:]) and "selesai oleh" in texts(
        p["asda"].inbox[seen:]
    )
    await p["asda"].tap("✅ Setujui")
    await p["petugas"].tap("📅 Isi jadwal rapat")
    got = await p["petugas"].say("Rabu, 2 Desember 2026")
    assert "sudah lewat" in texts(got)
    got = await p["petugas"].say("Sabtu, 12 Desember 2026")
    assert "bukan hari kerja" in texts(got)
    got = await p["petugas"].say("9 Desember 2026")
    assert "Rabu, 9 Desember 2026" in got[-1].text
    await p["petugas"].say("09.00")
    await p["petugas"].say("Ruang Rapat Asisten I, Kantor Walikota Kupang")
    got = await p["petugas"].tap("Pakai acara baku")
    assert "Rapat dijadwalkan: Rabu, 9 Desember 2026 pukul 09.00 WITA" in texts(got)

    # Step 7: every member gets the Surat Undangan and the Draft DIK and answers.
    invitation = p["anggota"].last
    assert invitation.document is not None
    undangan = [
        m
        for m in p["anggota"].inbox
        if m.document and m.document.filename.startswith("Surat_Undangan")
    ]
    undangan_text = document_text(undangan[-1].document.data)
    assert "Rabu, 9 Desember 2026" in undangan_text and "Ruang Rapat Asisten I" in undangan_text
    assert "🙋 Hadir" in invitation.button_texts
    assert "🔍 Mulai / lanjutkan pengujian" not in invitation.button_texts
    await p["anggota"].tap("🙋 Hadir")
    assert "Febri Tallo: hadir (1 dari 2 anggota menjawab)" in p["ketua"].last.text
    await p["ketua"].tap("🙋 Hadir")
    got = await p["anggota"].say("/pandangan 2 Cukup nomor rekening yang dihitamkan")
    assert "dicatat" in got[-1].text
    assert "Cukup nomor rekening yang dihitamkan" in p["ketua"].last.text
    got = await p["ketua"].tap("🔍 Mulai / lanjutkan pengujian")
    assert "Butir 1 dari 5" in got[-1].text
    # The first item is tested in full: ground, both consequences, decision, period.
    await p["ketua"].tap("⚖️ Uji butir ini (lengkap)")
    await p["ketua"].tap("✅ Pakai dasar usulan")
    await p["ketua"].say("Penilaian kinerja yang dibuka dapat disalahgunakan")
    await p["ketua"].tap("✅ Pakai teks usulan")
    await p["ketua"].tap("Dikecualikan")
    got = await p["ketua"].say("5 tahun sejak penilaian")
    assert "Butir 2 dari 5" in got[-1].text and "Cukup nomor rekening" in got[-1].text
    # The rest with the quick buttons (the OPD's proposal as it stands).
    decisions = ["Sebagian", "Dikecualikan", "Dikecualikan", "Terbuka"]
    for i, label in enumerate(decisions):
        got = await p["ketua"].tap(label)
        if label == "Sebagian":
            got = await p["ketua"].say("Nomor rekening dan nama bank dihitamkan")
        if label == "Terbuka":
            got = await p["ketua"].say("Pengadaan obat yang selesai wajib tersedia setiap saat")
        assert "Tercatat" in got[-1].text, texts(got)
        assert (f"Butir {i + 3} dari 5" in got[-1].text) or i == 3
    assert "Semua 5 butir sudah diuji" in p["ketua"].last.text
    await p["ketua"].tap("🖋 Finalisasi Ketetapan")

    # Every member present approves the lembar; the last approval moves to step 8.
    assert "Setujui lembar" in " ".join(p["anggota"].last.button_texts)
    got = await p["anggota"].tap("✅ Setujui lembar")
    assert "1 dari 2" in got[-1].text
    got = await p["anggota"].tap_data(p["anggota"].last.message_id, "zz")
    await p["ketua"].tap("✅ Setujui lembar")
    lembar = [
        m
        for m in p["asda"].inbox
        if m.document and m.document.filename.startswith("Lembar_Pengujian")
    ]
    lembar_text = document_text(lembar[-1].document.data)
    assert "Febri Tallo" in lembar_text and "Adrianus Ndun" in lembar_text
    assert "Penilaian kinerja yang dibuka dapat disalahgunakan" in lembar_text

    # Bagian Hukum revises the SK draft before approving it.
    draft = [m for m in p["asda"].inbox if m.document and "SK_Walikota" in m.document.filename]
    revised = _revise(draft[-1].document.data, "Catatan revisi Bagian Hukum")
    got = await p["asda"].upload(
        "SK DIK revisi.docx",
        revised,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert "versi 2" in got[-1].text, texts(got)

    # Step 8: Asda 1 turns the ketetapan into the SK draft; step 9: the Walikota signs.
    asda_files = [m.document.filename for m in p["asda"].inbox if m.document]
    assert any(f.startswith("Ketetapan") for f in asda_files), asda_files
    await p["asda"].tap("✅ Setujui")
    sk = [
        m for m in p["walikota"].inbox if m.document and "sk_draft_revisi" in m.document.filename
    ]
    assert "✅ Setujui" in p["walikota"].last.button_texts
    sk_text = document_text(sk[-1].document.data)
    assert "Catatan revisi Bagian Hukum" in sk_text
    assert "Data rekam medis pasien Puskesmas" in sk_text
    assert "Dokumen pengadaan obat" not in sk_text  # decided terbuka
    await p["walikota"].tap("✅ Setujui")
    assert "Unggah pindaian SK" in p["petugas"].last.text
    got = await p["petugas"].upload("SK-DIK-2026.pdf", PDF, "application/pdf")
    assert "SK Walikota yang ditandatangani diterima" in texts(got)

    # Step 10: publication URL; the SK goes to every PPID Pembantu and the DPRD.
    await p["petugas"].tap("🌐 Kirim alamat publikasi")
    got = await p["petugas"].say("https://ppid.kupangkota.go.id/dik-2026")
    assert "Siklus selesai" in got[-1].text
    for key in ("dinkes", "bkpsdm", "disduk", "dprd"):
        last = p[key].last
        assert last.document is not None and last.document.data == PDF
        assert "https://ppid.kupangkota.go.id/dik-2026" in last.text
    assert bappeda.last.document is not None and bappeda.last.document.data == PDF

    async with h.workflow.db.read() as s:
        cycle = (await cycles.all_cycles(s))[0]
        assert cycle.status == "finished"
        assert cycle.published_url == "https://ppid.kupangkota.go.id/dik-2026"
        runs = await cycles.runs_of(s, cycle.id)
        assert [r.outcome for r in runs if r.step_no == 1] == [
            "submit",
            "reject",
            "submit",
            "approve",
        ]
        assert [r.outcome for r in runs if r.step_no == 3] == ["closed"]
        assert len(await proposals.submitted(s, cycle.id)) == 3


def _revise(docx: bytes, note: str) -> bytes:
    from io import BytesIO

    from docx import Document

    doc = Document(BytesIO(docx))
    doc.add_paragraph(note)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


async def _open_run(h: Harness, step_no: int):
    async with h.workflow.db.read() as s:
        return next(r for r in await cycles.open_runs(s) if r.step_no == step_no)


async def test_the_drafter_learns_from_the_signed_letter_that_the_step_is_done(
    harness: Harness,
) -> None:
    """The petugas, who drafted the Nota Dinas and is told when step 1 is done, gets the signed
    letter (which names the signer) and the next task, not a third message saying so."""
    p = await harness.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    seen = len(p["petugas"].inbox)
    await p["kadis"].tap("✅ Setujui")
    told = p["petugas"].inbox[seen:]
    assert "telah diparaf dan ditandatangani oleh Wildrian Otta" in texts(told)
    assert "Langkah 2" in texts(told)
    assert "selesai oleh" not in texts(told)
    assert len(told) == 3  # the signed letter, the draft Surat Dinas, the task with its Form DIK
