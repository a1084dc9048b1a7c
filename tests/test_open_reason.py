"""Issue 12 item 3: every item the Tim Uji Konsekuensi declares "terbuka" carries the reason it
is open, asked in chat (the guided test and the quick button), required and bounded; a refusal
stores nothing; the Lembar Pengujian and the Ketetapan print it.

Played on the real Application against the Bot API stand-in (tests/scenario.py up to step 6)."""

from __future__ import annotations

from bot.documents.render import document_text
from storage import proposals
from storage.dto import DecisionDTO
from tests.harness import Harness
from tests.scenario import CycleScenario

GUIDED = "Penilaian kinerja sudah diumumkan dalam laporan kinerja instansi"
QUICK = "Rekening gaji hanya nomor rekening dinas bendahara, bukan rekening pribadi"


async def _decisions(h: Harness) -> dict[int, DecisionDTO]:
    async with h.workflow.db.read() as s:
        return await proposals.current_decisions(s, 1)


def _texts(messages: list) -> str:
    return "\n---\n".join(m.text or "" for m in messages)


async def test_terbuka_asks_for_its_reason_and_prints_it(harness: Harness) -> None:
    h = harness
    sc = CycleScenario(h)
    await sc.setup()
    for step in (sc.step_1, sc.step_2, sc.step_3, sc.step_4, sc.steps_5_6):
        await step()
    p = sc.p
    ketua = p["ketua"]
    await p["anggota"].tap("🙋 Hadir")
    await ketua.tap("🙋 Hadir")
    got = await ketua.tap("🔍 Mulai / lanjutkan pengujian")
    assert "Butir 1 dari 5" in got[-1].text

    # The guided test: "Terbuka" asks the reason instead of the period.
    await ketua.tap("⚖️ Uji butir ini (lengkap)")
    await ketua.tap("✅ Pakai dasar usulan")
    await ketua.tap("✅ Pakai teks usulan")
    await ketua.tap("✅ Pakai teks usulan")
    got = await ketua.tap("Terbuka")
    assert "Alasan informasi dinyatakan terbuka" in got[-1].text, _texts(got)
    # A reason too long for the workflow is refused with its limit; nothing is stored, and the
    # same question stays open.
    got = await ketua.say("x" * 1001)
    assert "Teks terlalu panjang (maksimal 1000 karakter)" in _texts(got)
    assert await _decisions(h) == {}
    got = await ketua.say(GUIDED)
    assert "Tercatat" in got[-1].text and "Butir 2 dari 5" in got[-1].text, _texts(got)
    (first,) = (await _decisions(h)).values()
    assert (first.decision, first.open_reason, first.jangka_waktu) == ("terbuka", GUIDED, "-")

    # The quick button on the item card: the reason is asked before anything is recorded.
    got = await ketua.tap("Terbuka")
    assert "tuliskan alasan Tim menyatakan informasi ini terbuka" in got[-1].text
    got = await ketua.say("/batal")
    assert "Tidak ada yang diubah" in got[-1].text
    assert len(await _decisions(h)) == 1
    got = await ketua.tap("Terbuka")  # the card still has its buttons
    got = await ketua.say(QUICK)
    assert "Tercatat" in got[-1].text and "Butir 3 dari 5" in got[-1].text, _texts(got)
    decided = await _decisions(h)
    assert sorted((d.decision, d.open_reason) for d in decided.values()) == [
        ("terbuka", GUIDED),
        ("terbuka", QUICK),
    ]

    for label in ("Dikecualikan", "Dikecualikan", "Dikecualikan"):
        await ketua.tap(label)
    assert "Semua 5 butir sudah diuji" in ketua.last.text
    await ketua.tap("🖋 Finalisasi Ketetapan")
    await p["anggota"].tap("✅ Setujui lembar")
    await ketua.tap("✅ Setujui lembar")

    # The documents Asda 1 receives, re-opened: both reasons, where each belongs.
    docs = {
        m.document.filename.split("_20")[0]: m.document.data for m in p["asda"].inbox if m.document
    }
    ketetapan = document_text(docs["Ketetapan_Uji_Konsekuensi"])
    section = ketetapan.split("III.\tINFORMASI YANG DINYATAKAN TERBUKA")[1]
    assert "No | Perangkat Daerah | Informasi | Alasan Dinyatakan Terbuka" in section
    assert f"| Berkas penilaian kinerja pegawai | {GUIDED}" in section
    assert f"| Data rekening gaji pegawai | {QUICK}" in section
    lembar = document_text(docs["Lembar_Pengujian_Konsekuensi"])
    assert f"Terbuka (tidak dikecualikan)\nAlasan: {GUIDED}" in lembar
    assert f"Terbuka (tidak dikecualikan)\nAlasan: {QUICK}" in lembar
