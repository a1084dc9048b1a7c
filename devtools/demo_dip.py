"""`make demo SOP=dip` (and the second half of `make demo`): a DIP cycle (bot/sop/dip.yaml)
played by the same simulated officials as the DIK demo (devtools/demo.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.clock import ManualClock
from bot.formdip.model import DipRow
from bot.formdip.samples import SAMPLE_DIP_ROWS, filled_form_dip
from devtools.standin.driver import Person
from devtools.standin.models import SentMessage

Do = Callable[[str, str, Awaitable[list[SentMessage]]], Awaitable[list[SentMessage]]]

#: DINKES adds to its form a row that is in its DIK (flagged to the OPD and the petugas).
EXTRA = DipRow(
    "Data rekam medis pasien Puskesmas",
    "Bidang Pelayanan Kesehatan",
    "Kepala Puskesmas",
    "Setiap kunjungan, Puskesmas",
    ("elektronik",),
    "25 tahun",
    "setiap_saat",
)
TYPED = (
    "Ringkasan: Daftar formasi jabatan\nPejabat: Bidang Pengadaan dan Mutasi\n"
    "Penanggung jawab: Kepala BKPSDM\nWaktu dan tempat: Setiap tahun, BKPSDM\n"
    "Bentuk: cetak dan elektronik\nRetensi: 5 tahun\nJenis: berkala"
)


def _card(person: Person, office: str, label: str) -> tuple[int, str]:
    for m in reversed(person.inbox):
        if f"Verifikasi DIP {office}" in (m.text or ""):
            for row in m.buttons:
                for b in row:
                    if label in b.text and b.callback_data:
                        return m.message_id, b.callback_data
    raise LookupError(office)


async def play_dip(
    p: dict[str, Person], do: Do, clock: ManualClock, scan: Callable[[str], bytes]
) -> None:
    print("\n=== DIP langkah 1–2: Nota Dinas dan Surat Dinas ===")
    await do("petugas", "/mulai", p["petugas"].say("/mulai"))
    await do("petugas", "[DIP 2026]", p["petugas"].tap("DIP 2026"))
    for _ in range(2):
        await do("petugas", "[📤 Ajukan]", p["petugas"].tap("📤 Ajukan"))
        await do("kadis", "[✅ Setujui]", p["kadis"].tap("✅ Setujui"))

    print("\n=== DIP langkah 3: inventarisasi oleh setiap PPID Pembantu ===")
    form = filled_form_dip("Dinas Kesehatan", [*SAMPLE_DIP_ROWS, EXTRA])
    await do("dinkes", "(mengunggah Form DIP terisi)", p["dinkes"].upload("Form DIP.xlsx", form))
    await do("dinkes", "[✅ Kirim DIP]", p["dinkes"].tap("✅ Kirim DIP"))
    await do("bkpsdm", "[⌨️ Ketik usulan]", p["bkpsdm"].tap("⌨️ Ketik usulan"))
    await do("bkpsdm", TYPED.replace("\n", " ⏎ "), p["bkpsdm"].say(TYPED))
    await do("bkpsdm", "[✅ Selesai]", p["bkpsdm"].tap("✅ Selesai"))
    await do("bkpsdm", "[✅ Kirim DIP]", p["bkpsdm"].tap("✅ Kirim DIP"))
    await do("disduk", "[🚫 Tidak ada perubahan]", p["disduk"].tap("🚫 Tidak ada perubahan"))
    clock.advance(days=7)
    print("\n(… satu minggu kemudian: BAPPEDA tidak menjawab sampai batas waktu …)")
    opened = "Buka: DIP 2026 · langkah 3"
    got = await do("petugas", "/tugas", p["petugas"].say("/tugas"))
    for _ in range(14):  # the limit is in working days: wait until it has passed
        if any(b.text == opened for m in got for row in m.buttons for b in row):
            break
        clock.advance(days=1)
        print("\n(… sehari kemudian: batas waktu dihitung dalam hari kerja …)")
        got = await do("petugas", "/tugas", p["petugas"].say("/tugas"))
    await do("petugas", f"[{opened}]", p["petugas"].tap(opened))
    await do("petugas", "[🔒 Tutup pengumpulan]", p["petugas"].tap("🔒 Tutup pengumpulan"))

    print("\n=== DIP langkah 4: verifikasi per OPD ===")
    message_id, data = _card(p["petugas"], "Badan Kepegawaian", "Kembalikan")
    await do("petugas", "[↩️ Kembalikan] BKPSDM", p["petugas"].tap_data(message_id, data))
    notes = "Mohon tambahkan jadwal seleksi calon pegawai (informasi serta merta)."
    await do("petugas", notes, p["petugas"].say(notes))
    for office in ("Dinas Kesehatan", "Dinas Kependudukan"):
        message_id, data = _card(p["petugas"], office, "Terima")
        await do("petugas", f"[✅ Terima] {office}", p["petugas"].tap_data(message_id, data))
    second = (
        "Ringkasan: Jadwal seleksi calon pegawai\nPejabat: Bidang Pengadaan\n"
        "Penanggung jawab: Kepala BKPSDM\nWaktu dan tempat: Saat seleksi, BKPSDM\n"
        "Bentuk: elektronik\nRetensi: 2 tahun\nJenis: serta merta"
    )
    await do("bkpsdm", "[⌨️ Ketik usulan]", p["bkpsdm"].tap("⌨️ Ketik usulan"))
    for row in (TYPED, second):
        await do("bkpsdm", row.replace("\n", " ⏎ "), p["bkpsdm"].say(row))
    await do("bkpsdm", "[✅ Selesai]", p["bkpsdm"].tap("✅ Selesai"))
    await do("bkpsdm", "[✅ Kirim DIP]", p["bkpsdm"].tap("✅ Kirim DIP"))
    message_id, data = _card(p["petugas"], "Badan Kepegawaian", "Terima")
    await do("petugas", "[✅ Terima] BKPSDM", p["petugas"].tap_data(message_id, data))

    print("\n=== DIP langkah 5–6: Keputusan PPID Utama, publikasi ===")
    await do("kadis", "[✅ Setujui]", p["kadis"].tap("✅ Setujui"))
    pdf = scan("KEPUTUSAN PPID UTAMA NOMOR 005/KOMINFO/PPID/2026 TENTANG DIP (pindaian demo)")
    await do(
        "petugas",
        "(mengunggah Keputusan bertanda tangan, keterangan: Nomor 005/KOMINFO/PPID/2026)",
        p["petugas"].upload(
            "Keputusan DIP 2026.pdf", pdf, "application/pdf", "Nomor 005/KOMINFO/PPID/2026"
        ),
    )
    await do(
        "petugas", "[🌐 Kirim alamat publikasi]", p["petugas"].tap("🌐 Kirim alamat publikasi")
    )
    url = "https://ppid.kupangkota.go.id/dik/dip-2026.html"
    await do("petugas", url, p["petugas"].say(url))
    await do("dinkes", "/dip seleksi", p["dinkes"].say("/dip seleksi"))
