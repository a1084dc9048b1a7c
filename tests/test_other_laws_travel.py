"""Issue 11, item 2: every law the OPD cites travels with the item.

A row citing Pasal 17 and another law (in a numbered list) keeps both in the compiled Usulan,
the Draft DIK, the Lembar Analisa, the Lembar Pengujian, the Ketetapan, the SK lampiran and the
public DIK; the Tim corrects another row's other law in the guided test, and the correction is
what the Ketetapan and the SK say."""

from __future__ import annotations

import json
from io import BytesIO

from openpyxl import load_workbook

from bot.documents.render import document_text
from tests.forms import filled_form
from tests.harness import Harness

PDF = b"%PDF-1.4\n% SK Walikota\n%%EOF\n"
RS = "Undang-Undang Nomor 44 Tahun 2009 tentang Rumah Sakit Pasal 38 ayat (1)"
PERMENKES_OPD = "Permenkes 24/2022 Pasal 26"
PERMENKES_TIM = "Permenkes Nomor 24 Tahun 2022 tentang Rekam Medis Pasal 26 ayat (1)"
ROWS = [
    (
        "Rekam medis pasien RSUD",
        "1. UU 14/2008 Pasal 17 huruf h angka 2\n"
        "2. UU 44/2009 tentang Rumah Sakit Pasal 38 ayat (1)",
        "Membuka riwayat sakit",
        "Melindungi pasien",
        "Tidak terbatas",
    ),
    (
        "Daftar pasien HIV",
        "Pasal 17 huruf h UU 14/2008; Permenkes 24/2022 Pasal 26",
        "Stigma",
        "Melindungi pasien",
        "Tidak terbatas",
    ),
]


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(BytesIO(data), read_only=True)
    return "\n".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )


def files(person) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """The newest version of each file a person received, by name without the cycle suffix."""
    return {
        m.document.filename.split("_20")[0]: m.document.data for m in person.inbox if m.document
    }


async def test_other_laws_reach_every_document_and_the_public_dik(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    await p["dinkes"].upload("DINKES.xlsx", filled_form("Dinas Kesehatan", ROWS))
    got = await p["dinkes"].tap("✅ Kirim usulan")
    assert "terkirim" in got[-1].text
    for key in ("bkpsdm", "disduk"):
        await p[key].tap("🚫 Nihil")
        await p[key].tap("✅ Kirim usulan")
    await p["petugas"].tap("📤 Ajukan")
    await p["kadis"].tap("✅ Setujui")
    compiled = xlsx_text(files(p["petugas"])["Usulan_DIK_Kompilasi"])
    assert RS in compiled and PERMENKES_OPD in compiled

    await p["petugas"].tap("📨 Sudah disampaikan")
    await p["asda"].tap("✅ Setujui")
    await p["petugas"].tap("📅 Isi jadwal rapat")
    for answer in ("Jumat, 4 Desember 2026", "13.30", "Aula Dinas Kominfo Kota Kupang"):
        await p["petugas"].say(answer)
    await p["petugas"].say("Rapat Uji Konsekuensi DIK 2026")
    tim = files(p["ketua"])
    assert RS in xlsx_text(tim["Draft_DIK"])
    analisa = xlsx_text(tim["Lembar_Analisa_Uji_Konsekuensi"])
    assert "UU 44/2009 tentang Rumah Sakit Pasal 38 ayat (1)" in analisa  # as the OPD wrote it

    await p["anggota"].tap("🙋 Hadir")
    await p["ketua"].tap("🙋 Hadir")
    await p["ketua"].tap("🔍 Mulai / lanjutkan pengujian")
    got = await p["ketua"].tap("Dikecualikan")  # item 1 as proposed, with its other law
    assert "Butir 2 dari 2" in got[-1].text and PERMENKES_OPD in got[-1].text
    await p["ketua"].tap("⚖️ Uji butir ini (lengkap)")
    await p["ketua"].tap("h. Mengungkap rahasia pribadi")
    got = await p["ketua"].tap_data(p["ketua"].last.message_id, "un:2")
    assert PERMENKES_OPD in got[-1].text  # the Tim is shown the OPD's other law
    await p["ketua"].say(PERMENKES_TIM)
    await p["ketua"].tap("✅ Pakai teks usulan")
    await p["ketua"].tap("✅ Pakai teks usulan")
    await p["ketua"].tap("Dikecualikan")
    got = await p["ketua"].tap("✅ Pakai usulan")
    assert "Semua 2 butir sudah diuji" in got[-1].text, got[-1].text
    await p["ketua"].tap("🖋 Finalisasi Ketetapan")
    await p["anggota"].tap("✅ Setujui lembar")
    await p["ketua"].tap("✅ Setujui lembar")

    docs = files(p["asda"])
    tested = f"Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008; {PERMENKES_TIM}"
    for name in (
        "Lembar_Pengujian_Konsekuensi",
        "Ketetapan_Uji_Konsekuensi",
        "Rancangan_SK_Walikota_DIK",
    ):
        text = " ".join(document_text(docs[name]).split())
        assert f"Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008; {RS}" in text, name
        assert tested in text, name
        assert PERMENKES_OPD not in text, name  # the Tim's correction, not the proposal

    await p["asda"].tap("✅ Setujui")
    await p["walikota"].tap("✅ Setujui")
    await p["petugas"].upload("SK 188.45-123-2026.pdf", PDF, "application/pdf")
    publik = h.app.bot_data.settings.publish_dir
    data = json.loads((publik / "dik-2026.json").read_text(encoding="utf-8"))
    grounds = {i["informasi"]: i["dasar_hukum"] for i in data["items"]}
    assert RS in grounds["Rekam medis pasien RSUD"]
    assert RS in (publik / "dik-2026.html").read_text(encoding="utf-8")
    assert RS in xlsx_text((publik / "dik-2026.xlsx").read_bytes())
