"""Issue 11, item 3 at step 7: an item that lacks a konsekuensi (UU 14/2008 Pasal 19) is not
refused with a general message when the ketua decides it "as proposed": the ketua is told which
field is missing and taken straight into the guided test, with what exists filled in."""

from __future__ import annotations

from storage import proposals
from tests.forms import filled_form
from tests.harness import Harness

ROWS = [
    ("Rekam medis pasien", "Pasal 17 huruf h angka 2 UU 14/2008", "Membuka riwayat sakit", "",
     "Tidak terbatas"),
    ("Data rekening pegawai", "Pasal 17 huruf h angka 3 UU 14/2008", "", "Melindungi keuangan",
     "Tidak terbatas"),
    ("Daftar pasien HIV", "Pasal 17 huruf h angka 2 UU 14/2008", "Stigma", "Melindungi pasien",
     "Tidak terbatas"),
]  # fmt: skip


def _text(messages: list) -> str:  # type: ignore[type-arg]
    return "\n".join(m.text or "" for m in messages)


async def test_an_incomplete_item_goes_straight_into_the_guided_test(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    await p["dinkes"].upload("DINKES.xlsx", filled_form("Dinas Kesehatan", ROWS))
    await p["dinkes"].tap("✅ Kirim usulan")  # sent as it is
    for key in ("bkpsdm", "disduk"):
        await p[key].tap("🚫 Nihil")
        await p[key].tap("✅ Kirim usulan")
    await p["petugas"].tap("📤 Ajukan")
    await p["kadis"].tap("✅ Setujui")
    await p["petugas"].tap("📨 Sudah disampaikan")
    await p["asda"].tap("✅ Setujui")
    await p["petugas"].tap("📅 Isi jadwal rapat")
    for answer in ("Jumat, 4 Desember 2026", "13.30", "Aula Dinas Kominfo Kota Kupang"):
        await p["petugas"].say(answer)
    await p["petugas"].say("Rapat Uji Konsekuensi DIK 2026")
    await p["ketua"].tap("🙋 Hadir")
    got = await p["ketua"].tap("🔍 Mulai / lanjutkan pengujian")
    assert "Apabila ditutup: ⚠️ belum diisi" in got[-1].text

    # Butir 1 lacks "apabila ditutup": only that is asked, then the period.
    got = await p["ketua"].tap("Dikecualikan")
    said = _text(got)
    assert "Butir 1" in said and "belum memuat konsekuensi apabila ditutup" in said
    assert "Pasal 19" in said
    assert "Pertimbangan apabila informasi ditutup" in got[-1].text
    assert not got[-1].buttons  # nothing to keep
    got = await p["ketua"].say("Menutupnya melindungi rahasia pasien")
    assert "Jangka waktu" in got[-1].text
    got = await p["ketua"].tap("✅ Pakai usulan")
    assert "Butir 2 dari 3" in got[-1].text

    # Butir 2 lacks "apabila dibuka"; "Sebagian" also asks what is blacked out.
    got = await p["ketua"].tap("Sebagian")
    assert "belum memuat konsekuensi apabila dibuka" in _text(got)
    await p["ketua"].say("Rekening dapat disalahgunakan")
    got = await p["ketua"].say("Nomor rekening")  # what is blacked out
    got = await p["ketua"].tap("✅ Pakai usulan")
    assert "Butir 3 dari 3" in got[-1].text

    # Butir 3 is complete: "Sebagian" as proposed, as before.
    got = await p["ketua"].tap("Sebagian")
    assert "bagian informasi yang dihitamkan" in got[-1].text
    got = await p["ketua"].say("Nama pasien")
    assert "Semua 3 butir sudah diuji" in got[-1].text

    async with h.workflow.db.read() as s:
        decided = await proposals.current_decisions(s, 1)
        rows = {r.id: r.informasi for p_ in await proposals.submitted(s, 1) for r in p_.rows}
    by_name = {rows[row_id]: d for row_id, d in decided.items()}
    first = by_name["Rekam medis pasien"]
    assert (first.decision, first.konsekuensi_dibuka, first.konsekuensi_ditutup) == (
        "dikecualikan",
        "Membuka riwayat sakit",
        "Menutupnya melindungi rahasia pasien",
    )
    second = by_name["Data rekening pegawai"]
    assert (second.decision, second.blacked_out, second.konsekuensi_dibuka) == (
        "sebagian",
        "Nomor rekening",
        "Rekening dapat disalahgunakan",
    )
    assert second.konsekuensi_ditutup == "Melindungi keuangan"
    assert by_name["Daftar pasien HIV"].blacked_out == "Nama pasien"
