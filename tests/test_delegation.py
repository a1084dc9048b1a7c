"""Plh.: a delegated role sends the tasks to the delegate; letters and the audit log show it."""

from __future__ import annotations

from bot.documents.render import document_text
from storage import audit
from tests.harness import Harness


async def test_plh_kepala_dinas_receives_and_signs(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    yohanes = await h.official(
        "yohanes", 1004, "Yohanes Lado", "petugas", jabatan="Sekretaris Dinas Kominfo"
    )
    got = await p["dinkes"].say('/plh kepala_dinas "Wildrian" "Yohanes" 2026-11-30 2026-12-04')
    assert "hanya untuk Admin" in got[-1].text
    got = await p["admin"].say('/plh kepala_dinas "Wildrian" "Yohanes" 2026-12-04 2026-11-30')
    assert "Tanggal tidak valid" in got[-1].text
    got = await p["admin"].say('/plh kepala_dinas "Wildrian" "Yohanes" 2026-11-30 2026-12-04')
    assert "Plh. Kepala Dinas" in got[-1].text and "Yohanes Lado menggantikan" in got[-1].text
    assert "Yohanes Lado menggantikan Wildrian Otta" in yohanes.last.text

    before = len(p["kadis"].inbox)
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    assert len(p["kadis"].inbox) == before  # the principal gets nothing while delegated
    assert "Mohon paraf dan tanda tangan" in yohanes.last.text
    await yohanes.tap("✅ Setujui")
    issued = [m for m in p["petugas"].inbox if "ditandatangani oleh Yohanes Lado" in m.text]
    assert issued, "the signed Nota Dinas names the Plh. who signed"
    permintaan = [
        m for m in p["petugas"].inbox if m.document and "Surat_Permintaan" in m.document.filename
    ]
    text = document_text(permintaan[-1].document.data)
    assert "Plh." in text and "Yohanes Lado" in text
    async with h.workflow.db.read() as s:
        entries = await audit.entries(s)
    assert any(a == "delegate" and "Yohanes Lado untuk Wildrian Otta" in d for a, _o, d in entries)
