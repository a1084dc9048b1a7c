"""The DIP SOP (bot/sop/dip.yaml) played through the real Application against the stand-in.

The petugas chooses the SOP at /mulai; the Nota Dinas and the Surat Dinas are the DIP's own
letters, and every OPD receives its own Form DIP, pre-filled with its DIP in force.
"""

from __future__ import annotations

from bot.documents.render import document_text
from storage import cycles
from tests.harness import Harness


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
