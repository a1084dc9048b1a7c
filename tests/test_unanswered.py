"""Issue 11, item 6: an OPD that did not answer by the time the petugas closed step 3 is
"tidak menjawab" in /status, the monthly report and the Kartu Kendali, also after the cycle
ends, even when the petugas closed the collection right at its deadline."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.register_files import HEADER_ROW as REGISTER_HEADER_ROW
from bot.register_files import SHEET_KENDALI
from bot.reports.monthly import DATA_ROW, OFFICES_HEADER
from storage import cycles
from tests.harness import Harness


def sheet_rows(data: bytes, sheet: str, first: int) -> list[tuple]:
    ws = load_workbook(BytesIO(data), read_only=True, data_only=True)[sheet]
    return [r for r in ws.iter_rows(min_row=first, values_only=True) if any(r)]


async def check_everywhere(h: Harness) -> None:
    p = h.people
    status = (await p["petugas"].say("/status"))[-1].text
    assert "❌ Dinas Kependudukan dan Pencatatan Sipil: tidak menjawab" in status, status
    assert "2 dari 3 menjawab" in status and "belum menjawab" not in status

    got = await p["petugas"].say("/laporan 2026-12")
    report = next(
        m.document.data for m in got if m.document and m.document.filename.endswith("xlsx")
    )
    late = OFFICES_HEADER.index("Terlambat")
    answer = OFFICES_HEADER.index("Jawaban")
    by_office = {r[2]: r for r in sheet_rows(report, "Usulan OPD", DATA_ROW)}
    missed = by_office["Dinas Kependudukan dan Pencatatan Sipil"]
    assert (missed[answer], missed[late]) == ("Tidak menjawab", "Ya")
    assert by_office["Dinas Kesehatan"][late] == "Tidak"

    got = await p["petugas"].say("/register 2026-12")
    assert "1 OPD tidak menjawab" in got[-1].text
    kendali = sheet_rows(got[-1].document.data, SHEET_KENDALI, REGISTER_HEADER_ROW + 1)  # type: ignore[union-attr]
    rows = [r for r in kendali if r[2] == "Dinas Kependudukan dan Pencatatan Sipil"]
    assert len(rows) == 1 and rows[0][3] == "Tidak menjawab"
    assert "sampai batas waktu Senin, 7 Desember 2026 pukul 09.00 WITA" in rows[0][4]


async def test_an_opd_that_did_not_answer_is_tidak_menjawab_everywhere(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    await p["dinkes"].tap("🚫 Nihil")
    await p["dinkes"].tap("✅ Kirim usulan")
    await p["bkpsdm"].tap("🚫 Nihil")
    await p["bkpsdm"].tap("✅ Kirim usulan")
    async with h.workflow.db.read() as s:
        run = next(r for r in await cycles.open_runs(s) if r.step_no == 3)
    h.clock.set(run.due_at)  # closed right at the deadline: 5 working days, not more
    got = await p["petugas"].tap_data(1, f"a:{run.id}:cls:{run.version}")
    assert any("tidak menjawab dicatat" in (m.text or "") for m in got)
    await check_everywhere(h)

    async with h.workflow.db.transaction() as s:  # the cycle ends (steps 4-10 played elsewhere)
        await cycles.finish_cycle(s, run.cycle_id, h.clock.now(), "https://ppid.example/dik")
    await check_everywhere(h)
