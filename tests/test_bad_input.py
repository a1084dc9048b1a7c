"""Bad input from a person gets a clear Indonesian message and changes nothing stored."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from bot.config import Settings
from storage import audit
from tests.forms import filled_form
from tests.harness import Harness
from tests.logcapture import captured_logs


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def refused(h: Harness, person, action, *fragments: str) -> None:
    """Run `action`, expect a reply with every fragment, and the stored state unchanged."""
    before = await h.snapshot()
    got = await action()
    said = "\n".join(m.text or "" for m in got)
    for fragment in fragments:
        assert fragment in said, said
    assert await h.snapshot() == before


async def test_stranger_is_told_politely(harness: Harness) -> None:
    await harness.seed_city()
    stranger = harness.chat.person(7777, "Orang Lain")
    await refused(harness, stranger, lambda: stranger.say("/status"), "belum terdaftar")
    await refused(harness, stranger, lambda: stranger.say("/mulai 2026"), "belum terdaftar")
    await refused(harness, stranger, lambda: stranger.say("halo"), "belum terdaftar")
    await refused(harness, stranger, lambda: stranger.tap_data(1, "a:1:ok:1"), "belum terdaftar")


async def test_wrong_role_commands(harness: Harness) -> None:
    p = await harness.seed_city()
    await refused(
        harness, p["dinkes"], lambda: p["dinkes"].say("/mulai 2026"), "hanya untuk Petugas PLID"
    )
    await refused(
        harness,
        p["walikota"],
        lambda: p["walikota"].say("/status"),
        "hanya untuk Petugas, Kepala Dinas atau Admin",
    )
    await refused(
        harness, p["petugas"], lambda: p["petugas"].say("/mulai 1850"), "Tahun tidak valid"
    )
    await refused(
        harness, p["dinkes"], lambda: p["dinkes"].say("/undang petugas Budi"), "hanya untuk Admin"
    )


async def test_foreign_second_stale_and_forged_taps(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    message_id, approve = h.standin.find_button(1002, "✅ Setujui")
    # someone else taps the Kepala Dinas's button (forged into their own chat)
    await refused(
        h,
        p["dinkes"],
        lambda: p["dinkes"].tap_data(message_id, approve),
        "hanya untuk Kepala Dinas",
    )
    await refused(
        h,
        p["petugas"],
        lambda: p["petugas"].tap_data(message_id, approve),
        "hanya untuk Kepala Dinas",
    )
    # reject, then the old approve button is stale
    await p["kadis"].tap("❌ Tolak")
    await p["kadis"].say("Perbaiki hal surat")
    await refused(
        h,
        p["kadis"],
        lambda: p["kadis"].tap_data(message_id, approve),
        "sudah diproses sebelumnya",
    )
    # a second tap on a button that was already acted on
    await p["petugas"].tap("📤 Ajukan")
    mid, data = h.standin.find_button(1002, "✅ Setujui")
    await p["kadis"].tap_data(mid, data)
    await refused(
        h, p["kadis"], lambda: p["kadis"].tap_data(mid, data), "sudah diproses sebelumnya"
    )
    # forged or malformed data
    for forged in ("a:999:ok:1", "zzz", "a:1:ok:x", "d:1:k:999", "p:12345:send", "c:77:status"):
        await refused(h, p["kadis"], lambda f=forged: p["kadis"].tap_data(mid, f), "tidak")
    async with h.workflow.db.read() as s:
        entries = await audit.entries(s)
    assert ("approve", "refused", "wrong_role") in entries
    assert ("approve", "refused", "already_done") in entries


async def test_bad_uploads_in_step_3(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    dinkes = p["dinkes"]
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    await refused(h, dinkes, lambda: dinkes.upload("usulan.xlsx", png), "Tidak ada yang disimpan")
    zip_buf = io.BytesIO()
    with zipfile.ZipFile(zip_buf, "w") as z:
        z.writestr("readme.txt", "bukan excel")
    await refused(
        h,
        dinkes,
        lambda: dinkes.upload("usulan.xlsx", zip_buf.getvalue()),
        "Tidak ada yang disimpan",
    )
    no_columns = xlsx([["Nama", "Keterangan"], ["a", "b"]])
    await refused(
        h,
        dinkes,
        lambda: dinkes.upload("usulan.xlsx", no_columns),
        "Tidak ada yang disimpan",
        "Dasar Hukum",
    )
    unknown_key = filled_form(
        "Dinas Kesehatan",
        [
            ("Data pasien", "Pasal 17 huruf k UU 14/2008", "bocor", "aman", "5 tahun"),
        ],
    )
    await refused(
        h,
        dinkes,
        lambda: dinkes.upload("usulan.xlsx", unknown_key),
        "Baris 8",
        "Tidak ada yang disimpan",
    )
    empty_cell = filled_form(
        "Dinas Kesehatan",
        [
            ("Data pasien", "", "bocor", "aman", "5 tahun"),
        ],
    )
    await refused(
        h, dinkes, lambda: dinkes.upload("usulan.xlsx", empty_cell), "Baris 8, kolom Dasar Hukum"
    )
    # a PDF from someone who is not expected to send one
    await refused(
        h,
        p["asda"],
        lambda: p["asda"].upload("x.pdf", b"%PDF-1.4", "application/pdf"),
        "tidak sedang ditunggu",
    )
    async with h.workflow.db.read() as s:
        from storage import cycles

        run = next(r for r in await cycles.open_runs(s) if r.phase == "collect")
    close = f"a:{run.id}:cls:{run.version}"
    await refused(h, dinkes, lambda: dinkes.tap_data(1, close), "hanya untuk Petugas")


async def test_signed_sk_must_be_a_pdf(harness: Harness) -> None:
    """Only the petugas's upload at step 9 is taken, and only a real PDF."""
    h = harness
    p = await h.seed_city()
    async with h.workflow.db.transaction() as s:
        from storage import cycles

        cycle = await cycles.add_cycle(
            s,
            sop_key="usulan_dik",
            year=2026,
            title="DIK 2026",
            now=h.clock.now(),
            started_by_id=1,
        )
        await cycles.set_cycle_step(s, cycle.id, "penandatanganan_sk", 9)
        await cycles.add_run(
            s,
            cycle_id=cycle.id,
            step_key="penandatanganan_sk",
            step_no=9,
            phase="upload",
            holder_role="petugas",
            attempt=1,
            now=h.clock.now(),
            due_at=h.clock.now(),
        )
    await refused(
        h,
        p["petugas"],
        lambda: p["petugas"].upload("sk.pdf", b"MZ\x90\x00binary", "application/pdf"),
        "bukan PDF",
    )


def broken_workbook() -> bytes:
    """A Form DIK whose workbook part is cut off: it passes the package checks, openpyxl fails."""
    src = zipfile.ZipFile(io.BytesIO(filled_form("Dinas Kesehatan", [])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            z.writestr(info, b"<workbook><oops" if info.filename == "xl/workbook.xml" else body)
    return out.getvalue()


async def test_a_refused_upload_is_logged_as_one_line(
    settings: Settings, harness: Harness
) -> None:
    """Issue 11: reason and OPD in one line, not a traceback at WARNING."""
    h = harness
    p = await h.seed_city()
    await h.play_to_collect()
    with captured_logs(settings) as captured:
        got = await p["dinkes"].upload("usulan.xlsx", broken_workbook())
        assert "tidak dapat dibaca" in got[-1].text
        got = await p["dinkes"].upload("usulan.xlsx", xlsx([["Nama", "Keterangan"], ["a", "b"]]))
        assert "Dasar Hukum" in got[-1].text
    out = captured.getvalue()
    assert "Traceback" not in out and "WARNING" not in out, out
    lines = [line for line in out.splitlines() if "Form DIK upload" in line]
    assert len(lines) == 2, out
    assert (
        "INFO bot.workflow.collect: Form DIK upload of DINKES refused (1 problem(s)): "
        in (lines[0])
    )
    assert "Error" in lines[0].rsplit("): ", 1)[1]  # what openpyxl said, in a few words
    assert "Form DIK upload of DINKES refused (1 problem(s)): Baris judul kolom" in lines[1]
