from tests.harness import Harness


async def test_start_and_first_steps(harness: Harness) -> None:
    p = await harness.seed_city()
    got = await p["petugas"].say("/mulai 2026")
    assert any("Siklus" in m.text for m in got), [m.text for m in got]
    assert any(m.document and m.document.filename.startswith("Nota_Dinas") for m in got)
    got = await p["petugas"].tap("📤 Ajukan")
    kadis = p["kadis"].inbox
    assert kadis and kadis[-1].document is not None
    await p["kadis"].tap("✅ Setujui")
    print([m.text for m in p["petugas"].inbox])
