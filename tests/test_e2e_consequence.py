"""Steps 6–10 done properly: ten items from three OPDs, one of each decision, a guided test, a
bulk upload of the analysis sheet, a member's view, a revised SK draft; then the lembar, the
ketetapan's six Perki fields, the SK's lampiran, the distribution and the published files."""

from __future__ import annotations

import json
from io import BytesIO

from openpyxl import load_workbook

from bot.documents.render import document_text
from bot.formdik.analysis import COLUMNS, HEADER_ROW
from storage import proposals
from tests.forms import filled_form
from tests.harness import Harness
from tests.publik import as_in_sk_lampiran, json_rows, read_all, sk_lampiran_rows

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.4\n% SK Walikota\n%%EOF\n"
OPEN_REASON = "Rincian anggaran kegiatan wajib diumumkan secara berkala (Pasal 9 UU 14/2008)"

ROWS = {
    "DINKES": [
        (
            "Rekam medis pasien RSUD",
            "Pasal 17 huruf h angka 2 UU 14/2008",
            "Membuka riwayat sakit",
            "Melindungi pasien",
            "Tidak terbatas",
        ),
        (
            "Hasil tes kesehatan calon pegawai",
            "Pasal 17 huruf h angka 2 UU 14/2008",
            "Diskriminasi",
            "Melindungi pelamar",
            "Tidak terbatas",
        ),
        (
            "Dokumen evaluasi pengadaan alat kesehatan",
            "Pasal 17 huruf b UU 14/2008",
            "Persaingan usaha tidak sehat",
            "Menjaga pengadaan",
            "Sampai penetapan pemenang",
        ),
        (
            "Daftar nama pasien HIV",
            "Pasal 17 huruf h angka 2 UU 14/2008",
            "Stigma",
            "Melindungi pasien",
            "Tidak terbatas",
        ),
    ],
    "BKPSDM": [
        (
            "Berkas penilaian kinerja pegawai",
            "Pasal 17 huruf h angka 4 UU 14/2008",
            "Menekan pegawai",
            "Melindungi pegawai",
            "5 tahun",
        ),
        (
            "Data rekening gaji pegawai",
            "Pasal 17 huruf h angka 3 UU 14/2008",
            "Penipuan",
            "Melindungi keuangan pegawai",
            "Tidak terbatas",
        ),
        (
            "Berkas pemeriksaan disiplin yang sedang berjalan",
            "Pasal 17 huruf a angka 1 UU 14/2008",
            "Mengganggu pemeriksaan",
            "Melindungi proses",
            "Sampai keputusan disiplin",
        ),
    ],
    "DISDUK": [
        (
            "Data NIK dan KK warga",
            "Pasal 17 huruf h UU 14/2008 jo. UU 24/2013 Pasal 79",
            "Penyalahgunaan identitas",
            "Melindungi warga",
            "Tidak terbatas",
        ),
        (
            "Anggaran kegiatan DISDUK",
            "Pasal 17 huruf b UU 14/2008",
            "Tidak ada",
            "Tidak ada",
            "1 tahun",
        ),
        (
            "Data adopsi anak",
            "Pasal 17 huruf h angka 1 UU 14/2008",
            "Membuka asal-usul anak",
            "Melindungi anak",
            "Tidak terbatas",
        ),
    ],
}
NAMES = {
    "DINKES": "Dinas Kesehatan",
    "BKPSDM": "Badan Kepegawaian dan Pengembangan SDM",
    "DISDUK": "Dinas Kependudukan dan Pencatatan Sipil",
}


def texts(messages: list) -> str:
    return "\n---\n".join(m.text or "" for m in messages)


def fill_analysis(data: bytes, decisions: dict[str, tuple[str, ...]]) -> bytes:
    """Fill Keputusan / Bagian / Jangka waktu (Tim) [/ Alasan dinyatakan terbuka] for the
    items named by their Informasi."""
    wb = load_workbook(BytesIO(data))
    ws = wb["Lembar Analisa"]
    col = {name: i + 1 for i, (_, name, _w) in enumerate(COLUMNS)}
    row = HEADER_ROW + 1
    while ws.cell(row, col["Informasi"]).value:
        informasi = str(ws.cell(row, col["Informasi"]).value)
        if informasi in decisions:
            keputusan, bagian, jangka, *alasan = decisions[informasi]
            ws.cell(row, col["Keputusan"], keputusan)
            ws.cell(row, col["Alasan dinyatakan terbuka"], alasan[0] if alasan else None)
            ws.cell(row, col["Bagian yang dihitamkan"], bagian or None)
            ws.cell(row, col["Jangka waktu (Tim)"], jangka or None)
        row += 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_steps_6_to_10(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    for key, code in (("dinkes", "DINKES"), ("bkpsdm", "BKPSDM"), ("disduk", "DISDUK")):
        await p[key].upload(f"{code}.xlsx", filled_form(NAMES[code], ROWS[code]))
        got = await p[key].tap("✅ Kirim usulan")
        assert "terkirim" in got[-1].text, texts(got)
    await p["petugas"].tap("📤 Ajukan")  # step 4 opened when every OPD answered
    await p["kadis"].tap("✅ Setujui")
    await p["petugas"].tap("📨 Sudah disampaikan")
    await p["asda"].tap("✅ Setujui")
    await p["petugas"].tap("📅 Isi jadwal rapat")
    for answer in ("Jumat, 4 Desember 2026", "13.30", "Aula Dinas Kominfo Kota Kupang"):
        await p["petugas"].say(answer)
    await p["petugas"].say("Rapat Uji Konsekuensi DIK 2026")

    # Hadir / tidak hadir; a member's view.
    await p["anggota"].tap("🙋 Hadir")
    await p["ketua"].tap("🙋 Hadir")
    extra = await h.official("anggota2", 3003, "Yanti Ratu", "tim_uk")
    await extra.say("/tugas")
    await extra.tap("Buka: DIK 2026 · langkah 7")
    got = await extra.tap("🚫 Tidak hadir")
    assert "tidak hadir" in got[-1].text
    assert "Yanti Ratu: tidak hadir" in p["ketua"].last.text
    await p["anggota"].say("/pandangan 6 Nomor rekening cukup disamarkan sebagian")

    # The ketua: one guided test (with an a–f period check), two quick decisions.
    got = await p["ketua"].tap("🔍 Mulai / lanjutkan pengujian")
    assert "Butir 1 dari 10" in got[-1].text and "Berkas penilaian kinerja" in got[-1].text
    await p["ketua"].tap("⚖️ Uji butir ini (lengkap)")
    await p["ketua"].tap("✅ Pakai dasar usulan")
    await p["ketua"].tap("✅ Pakai teks usulan")
    await p["ketua"].say("Penilaian kinerja pegawai melindungi hak pribadi yang lebih besar")
    await p["ketua"].tap("Dikecualikan")
    got = await p["ketua"].say("5 tahun sejak penilaian")
    assert "Butir 2 dari 10" in got[-1].text
    got = await p["ketua"].tap("Dikecualikan")
    assert "Butir 3 dari 10" in got[-1].text
    # item 3: huruf a with "Sampai keputusan disiplin" is fine; the quick path keeps it
    got = await p["ketua"].tap("Dikecualikan")
    assert "Butir 4 dari 10" in got[-1].text

    # The rest in bulk, from the analysis sheet the ketua received.
    sheets = [
        m for m in p["ketua"].inbox if m.document and "Lembar_Analisa" in m.document.filename
    ]
    decisions: dict[str, tuple[str, ...]] = {
        "Rekam medis pasien RSUD": ("Dikecualikan", "", ""),
        "Hasil tes kesehatan calon pegawai": ("Dikecualikan sebagian", "Nama dan NIK", ""),
        "Dokumen evaluasi pengadaan alat kesehatan": ("Dikecualikan", "", "Sampai kontrak"),
        "Daftar nama pasien HIV": ("Dikecualikan", "", ""),
        "Data NIK dan KK warga": ("Dikecualikan", "", ""),
        "Anggaran kegiatan DISDUK": ("Terbuka", "", ""),
        "Data adopsi anak": ("Dikecualikan", "", ""),
    }
    # "Terbuka" without its reason: that row is refused, and nothing of the file is stored.
    got = await p["ketua"].upload(
        "analisa.xlsx", fill_analysis(sheets[-1].document.data, decisions)
    )
    assert "kolom Alasan dinyatakan terbuka: kosong; untuk Terbuka tuliskan alasan" in texts(got)
    assert "butir diputuskan" not in texts(got)
    async with h.workflow.db.read() as s:
        assert len(await proposals.current_decisions(s, 1)) == 3  # the three decided in chat
    decisions["Anggaran kegiatan DISDUK"] = ("Terbuka", "", "", OPEN_REASON)
    filled = fill_analysis(sheets[-1].document.data, decisions)
    got = await p["ketua"].upload("analisa.xlsx", filled)
    assert "7 butir diputuskan" in texts(got), texts(got)
    assert "Semua 10 butir sudah diuji" in got[-1].text
    await p["ketua"].tap("🖋 Finalisasi Ketetapan")
    got = await extra.tap_data(extra.last.message_id, "a:1:lbr:1")
    await p["anggota"].tap("✅ Setujui lembar")
    await p["ketua"].tap("✅ Setujui lembar")

    # Step 8: the lembar and the ketetapan as Asda 1 receives them; a revised SK draft.
    docs = {
        m.document.filename.split("_20")[0]: m.document.data for m in p["asda"].inbox if m.document
    }
    lembar = document_text(docs["Lembar_Pengujian_Konsekuensi"])
    assert "Pada hari ini Jumat tanggal empat bulan Desember" in lembar
    assert "Penilaian kinerja pegawai melindungi hak pribadi yang lebih besar" in lembar
    assert "Febri Tallo" in lembar and "Adrianus Ndun | Ketua" in lembar
    assert "Yanti Ratu" not in lembar  # signatures: the members present
    assert "Disetujui melalui bot" in lembar
    ketetapan = document_text(docs["Ketetapan_Uji_Konsekuensi"])
    # Perki 1/2017 Pasal 4(4): jenis klasifikasi, pejabat PPID, badan publik + unit kerja,
    # jangka waktu, alasan (dasar hukum + konsekuensi), tempat dan tanggal penetapan.
    for field in (
        "Informasi yang Dikecualikan",
        "Wildrian Otta",
        "Pemerintah Kota Kupang",
        "Dinas Komunikasi dan Informatika",
        "5 tahun sejak penilaian",
        "Pasal 17 huruf h angka 4",
        "Menekan pegawai",
        "Ditetapkan di",
        "Kupang",
        "30 November 2026",
        "Nama dan NIK",
    ):
        assert field in ketetapan, field
    # The item declared open, with the reason the Tim recorded, in both documents.
    assert f"Anggaran kegiatan DISDUK | {OPEN_REASON}" in ketetapan
    assert f"Terbuka (tidak dikecualikan)\nAlasan: {OPEN_REASON}" in lembar
    from docx import Document

    doc = Document(BytesIO(docs["Rancangan_SK_Walikota_DIK"]))
    doc.add_paragraph("Revisi Bagian Hukum: diktum KEEMPAT disesuaikan.")
    buf = BytesIO()
    doc.save(buf)
    got = await p["asda"].upload("SK revisi.docx", buf.getvalue(), DOCX)
    assert "versi 2" in got[-1].text
    await p["asda"].tap("✅ Setujui")
    sk = [m for m in p["walikota"].inbox if m.document and "revisi" in m.document.filename]
    sk_text = document_text(sk[-1].document.data)
    assert "Revisi Bagian Hukum" in sk_text
    assert "Anggaran kegiatan DISDUK" not in sk_text  # terbuka: not in the lampiran
    for informasi in ("Rekam medis pasien RSUD", "Data adopsi anak", "Data rekening gaji"):
        assert informasi in sk_text

    # Steps 9–10: signed, published, distributed.
    await p["walikota"].tap("✅ Setujui")
    await p["petugas"].upload("SK 188.45-123-2026.pdf", PDF, "application/pdf")
    publik = h.app.bot_data.settings.publish_dir
    data = json.loads((publik / "dik-2026.json").read_text(encoding="utf-8"))
    assert data["jumlah"] == 9
    informasi = {i["informasi"] for i in data["items"]}
    assert "Anggaran kegiatan DISDUK" not in informasi and "Data adopsi anak" in informasi
    html = (publik / "dik-2026.html").read_text(encoding="utf-8")
    assert all(i in html for i in informasi)
    wb = load_workbook(publik / "dik-2026.xlsx", read_only=True)
    cells = {str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c}
    assert informasi <= cells
    # One truth (issue 11): the public DIK is the SK's lampiran, field by field, as the Tim
    # decided (item 1's konsekuensi and period come from the guided test, not the proposal).
    lampiran = sk_lampiran_rows(sk[-1].document.data)
    assert [as_in_sk_lampiran(i) for i in data["items"]] == lampiran
    assert ("5 tahun sejak penilaian", None) == (
        data["items"][0]["jangka_waktu"],
        data["items"][0]["berakhir"],
    )
    assert "Penilaian kinerja pegawai melindungi hak pribadi yang lebih besar" in lampiran[0][3]
    assert lampiran[0][0] == "Badan Kepegawaian dan Pengembangan SDM"
    html_, json_, xlsx_ = read_all(publik, 2026)
    assert html_ == json_ == xlsx_ == json_rows(data)
    await p["petugas"].tap("🌐 Kirim alamat publikasi")
    await p["petugas"].say("https://ppid.kupangkota.go.id/dik-2026")
    for key in ("dinkes", "bkpsdm", "disduk", "dprd"):
        assert p[key].last.document is not None and p[key].last.document.data == PDF
