"""The letters as a whole cycle makes them (the demo's story): what the office configured and
what the bot recorded end up in them, and nothing is invented.

Played with tests/scenario.py; the documents are taken from the chats they were sent to and
re-opened.
"""

from __future__ import annotations

import re

from bot.documents import document_text
from bot.tanggal import format_tanggal
from bot.workflow.publication import sk_ref
from devtools.standin.driver import Person
from storage import cycles, documents
from tests.harness import Harness
from tests.scenario import OPEN_REASON, CycleScenario


def _docx(person: Person, part: str) -> list[str]:
    return [
        document_text(m.document.data)
        for m in person.inbox
        if m.document is not None
        and part in (m.document.filename or "")
        and m.document.filename.endswith(".docx")
    ]


async def test_letters_of_a_whole_cycle(harness: Harness) -> None:
    h = harness
    sc = CycleScenario(h)
    await sc.play()
    p = sc.p
    async with h.workflow.db.read() as s:
        cycle_id = 1
        permintaan = await documents.latest_of_kind(s, cycle_id, "surat_permintaan")
    assert permintaan is not None and permintaan.letter_number

    # Step 2: to every PPID Pembantu "(daftar terlampir)", tembusan from the settings,
    # the list of addressees and the Form DIK counted as two lampiran.
    surat = _docx(p["dinkes"], "Surat_Permintaan")[-1]
    assert "Yth.\tPPID Pembantu di Lingkungan Pemerintah Kota Kupang (daftar terlampir)" in surat
    assert "Lampiran\t:\t2 (dua) berkas" in surat
    assert "1.\tWalikota Kupang (sebagai laporan)\n2.\tSekretaris Daerah Kota Kupang" in surat

    # Step 4: the Surat Pengantar cites the numbered Surat Dinas: number, date, hal.
    pengantar = _docx(p["kadis"], "Surat_Pengantar")[-1]
    assert (
        f"Menindaklanjuti surat kami Nomor {permintaan.letter_number} tanggal 30 November 2026 "
        "hal Usulan Daftar Informasi yang Dikecualikan Tahun 2026," in pengantar
    )
    assert "u.p. Kepala Bagian Hukum Setda Kota Kupang" in pengantar

    # Step 6: the undangan invites the Tim by jabatan and name, and the PPID Pembantu whose
    # items are tested (DINKES, BKPSDM); they receive it, the OPD that said nihil does not.
    for key in ("dinkes", "bkpsdm"):
        undangan = _docx(p[key], "Surat_Undangan")
        assert undangan, key
    assert not _docx(p["disduk"], "Surat_Undangan")
    text = undangan[-1]
    assert re.search(r"\| Adrianus Ndun \| Ketua Tim Uji Konsekuensi", text)
    assert "| PPID Pembantu Dinas Kesehatan | Maria Bria |" in text
    assert "Agustina Nope" not in text
    assert "Lampiran\t:\t2 (dua) berkas" in text
    assert "Konsekuensi apabila dibuka | Konsekuensi apabila ditutup" in text

    # Step 7: the Ketetapan is approved by the Walikota, by name only.
    ketetapan = _docx(p["asda"], "Ketetapan")[-1]
    assert "Menyetujui,\nWalikota Kupang,\n\n\n\nGEORGE MELKIANUS" in ketetapan
    # The item the Tim declared terbuka, with the reason typed after the quick button: in
    # the Ketetapan's section III and on the Lembar Pengujian (issue 12 item 3).
    assert (
        "Dinas Kesehatan | Dokumen pengadaan obat yang sedang dalam proses evaluasi | "
        f"{OPEN_REASON}" in ketetapan
    )
    lembar = _docx(p["asda"], "Lembar_Pengujian")[-1]
    assert f"Terbuka (tidak dikecualikan)\nAlasan: {OPEN_REASON}" in lembar

    # Step 8: the SK draft: name-only Walikota, salinan to the DPRD and every PPID Pembantu,
    # no revocation in the first DIK.
    sk = next(t for t in _docx(p["asda"], "Rancangan_SK") if "KEPUTUSAN WALIKOTA" in t)
    assert "TAHUN 2026" in sk
    assert "GEORGE MELKIANUS" in sk and "NIP" not in sk.split("GEORGE MELKIANUS")[1][:40]
    assert_salinan = sk.split("Salinan Keputusan ini disampaikan kepada Yth.:")[1]
    for line in (
        "1.\tKetua Dewan Perwakilan Rakyat Daerah Kota Kupang",
        "PPID Pembantu Badan Perencanaan Pembangunan Daerah",
        "PPID Pembantu Dinas Kesehatan",
    ):
        assert line in assert_salinan
    assert "dicabut" not in sk

    # A second DIK revokes the first: its SK's number is not known (no caption was given with
    # the scan), so a blank; its date is the day the Walikota signed in the bot.
    await p["petugas"].say("/mulai 2027")
    async with h.workflow.db.transaction() as s:
        first, second = sorted(await cycles.all_cycles(s), key=lambda c: c.id)
        assert second.year == 2027
        ref = await sk_ref(h.workflow.core, s, first)
        doc = await h.workflow.paperwork.make(
            h.workflow.core, s, second, 8, "sk_draft", number=False
        )
    await h.workflow.core.renders.drain()  # rendered after the commit
    async with h.workflow.db.read() as s:
        found = await documents.get_document(s, doc.id)
    assert found is not None and ref.tanggal is not None and not ref.nomor
    sk2 = document_text(found[1])
    assert (
        f"Keputusan Walikota Kupang Nomor …… tanggal {format_tanggal(ref.tanggal)} tentang "
        "Daftar Informasi yang Dikecualikan di Lingkungan Pemerintah Kota Kupang Tahun 2026 "
        "dicabut dan dinyatakan tidak berlaku." in sk2
    )
