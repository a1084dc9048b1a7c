"""/register (Buku Ekspedisi + Kartu Kendali) and /arsip (the cycle's archive), through the real
Application against the Bot API stand-in, after a cycle played up to the delivery of step 5.

The expected rows are read back from the stored records (letters, outbox, proposals), so the
test checks that the register shows what actually happened: numbers, hal, recipients, sent and
received times, agenda numbers, and what was done with each proposal.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot import register_files as R
from bot.config import Settings
from bot.register_files import EkspedisiRow, KendaliRow, parse_month
from bot.sop import load_sop
from bot.workflow.registers import ARCHIVE_KIND
from storage import documents, proposals
from storage.models import Cycle, Document, Office, Official, OutboxMessage, Proposal, StepRun
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness

WITA = ZoneInfo("Asia/Makassar")

_SOP = load_sop(Settings.model_fields["sop_dir"].default / "usulan_dik.yaml")


def hal_for(kind: str, year: int) -> str:
    """A letter's "hal" as the shipped SOP file declares it."""
    return _SOP.documents[kind].hal_for(year)


def local(dt: datetime) -> datetime:
    return dt.astimezone(WITA).replace(tzinfo=None)


def table(data: bytes, sheet: str) -> list[dict[str, Any]]:
    """The rows under the header of `sheet`, as dicts by header name."""
    ws = load_workbook(BytesIO(data))[sheet]
    rows = list(ws.iter_rows(min_row=R.HEADER_ROW, values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:] if any(v is not None for v in r)]


async def play(h: Harness) -> None:
    """Steps 1-5 of one cycle in November 2026: DINKES sends, then resends a corrected list;
    BKPSDM and DISDUK answer nihil; the Surat Pengantar is signed and delivered."""
    p = await h.seed_city()
    await h.play_to_collect()
    await p["dinkes"].upload("form-dinkes.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS))
    await p["dinkes"].tap("✅ Kirim usulan")
    await p["bkpsdm"].tap("🚫 Nihil")
    await p["bkpsdm"].tap("✅ Kirim usulan")
    h.clock.advance(hours=2)
    corrected = filled_form("Dinas Kesehatan", DINKES_ROWS[:2])
    await p["dinkes"].upload("form-dinkes-perbaikan.xlsx", corrected)
    got = await p["dinkes"].tap("✅ Kirim usulan")
    assert "Nomor agenda: 3" in got[-1].text
    await p["disduk"].tap("🚫 Nihil")
    await p["disduk"].tap("✅ Kirim usulan")  # every OPD answered: step 4 opens
    h.clock.advance(hours=1)
    await p["petugas"].tap("📤 Ajukan")
    await p["kadis"].tap("✅ Setujui")
    h.clock.advance(hours=1)
    await p["petugas"].tap("📨 Sudah disampaikan")


async def decide_dinkes(h: Harness) -> None:
    """The Tim Uji Konsekuensi's decisions on DINKES's two rows (step 7 is not played here)."""
    async with h.workflow.db.transaction() as s:
        cycle_id = await s.scalar(select(Cycle.id))
        assert cycle_id is not None
        submitted = {p.office_name: p for p in await proposals.submitted(s, cycle_id)}
        first, second = submitted["Dinas Kesehatan"].rows
        for row, decision in ((first, "dikecualikan"), (second, "terbuka")):
            await proposals.record_decision(
                s,
                cycle_id=cycle_id,
                row_id=row.id,
                decision=decision,
                blacked_out=None,
                official_id=1,
                now=h.clock.now(),
            )


async def acknowledge(h: Harness, office_name: str) -> datetime:
    """The PPID Pembantu of `office_name` taps "Diterima" on the Surat Dinas (another part of
    the bot fills this column; here it is set directly)."""
    when = h.clock.now() + timedelta(minutes=5)
    async with h.workflow.db.transaction() as s:
        official = await s.scalar(
            select(Official.id)
            .join(Office, Office.id == Official.office_id)
            .where(Office.name == office_name)
        )
        doc = await s.scalar(
            select(Document.id).where(
                Document.kind == "surat_permintaan", Document.letter_number.is_not(None)
            )
        )
        await s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.official_id == official, OutboxMessage.document_id == doc)
            .values(acknowledged_at=when)
        )
    return when


async def test_register_lists_the_letters_sent_and_the_proposals_received(
    harness: Harness,
) -> None:
    h = harness
    await play(h)
    await decide_dinkes(h)
    received_at = await acknowledge(h, "Dinas Kesehatan")
    petugas = h.people["petugas"]

    got = await petugas.say("/register 2026-11")
    reply = got[-1]
    assert reply.document is not None and reply.document.filename == "Register_2026-11.xlsx"
    assert "Register November 2026" in reply.text
    data = reply.document.data

    async with h.workflow.db.read() as s:
        letters = (
            await s.execute(
                select(Document.id, Document.kind, Document.letter_number, Document.created_at)
                .where(Document.letter_number.is_not(None))
                .order_by(Document.created_at, Document.id)
            )
        ).all()
        permintaan = next(d for d in letters if d.kind == "surat_permintaan")
        sent = (
            await s.execute(
                select(Office.name, Official.name, OutboxMessage.sent_at)
                .join(Official, Official.id == OutboxMessage.official_id)
                .join(Office, Office.id == Official.office_id)
                .where(OutboxMessage.document_id == permintaan.id)
                .order_by(OutboxMessage.id)
            )
        ).all()
        delivered_at = await s.scalar(
            select(StepRun.done_at).where(StepRun.step_no == 5, StepRun.outcome == "deliver")
        )
    assert [d.letter_number for d in letters] == [
        "000.9/001/Kominfo/XI/2026",
        "000.9/002/Kominfo/XI/2026",
        "000.9/003/Kominfo/XI/2026",
        "000.9/004/Kominfo/XI/2026",  # the surat usulan uji, numbered when delivered
    ]
    assert len(sent) == 3 and all(row.sent_at is not None for row in sent)

    ekspedisi = table(data, R.SHEET_EKSPEDISI)
    assert [r["Nomor Surat"] for r in ekspedisi] == [
        "000.9/001/Kominfo/XI/2026",
        *["000.9/002/Kominfo/XI/2026"] * 3,
        "000.9/003/Kominfo/XI/2026",
        "000.9/004/Kominfo/XI/2026",
    ]
    assert [r["No"] for r in ekspedisi] == [1, 2, 3, 4, 5, 6]
    by_kind = {d.letter_number: d for d in letters}
    for r in ekspedisi:
        letter = by_kind[r["Nomor Surat"]]
        assert r["Hal"] == hal_for(letter.kind, 2026)
        assert r["Tanggal"] == local(letter.created_at)
    nota, *copies, pengantar, usulan_uji = ekspedisi
    assert nota["Kepada"].startswith("Kepala Dinas Komunikasi dan Informatika Kota Kupang")
    assert nota["Dikirim"] == local(by_kind["000.9/001/Kominfo/XI/2026"].created_at)
    expected = {
        (f"PPID Pembantu {office} — {name}", local(sent_at)) for office, name, sent_at in sent
    }
    assert {(r["Kepada"], r["Dikirim"]) for r in copies} == expected
    dinkes = next(r for r in copies if "Dinas Kesehatan" in r["Kepada"])
    assert dinkes["Diterima"] == local(received_at)
    assert all(r["Diterima"] is None for r in copies if r is not dinkes)
    assert pengantar["Kepada"] == "Asisten Pemerintahan Setda Kota Kupang (diserahkan langsung)"
    assert delivered_at is not None and pengantar["Dikirim"] == local(delivered_at)
    assert usulan_uji["Kepada"].endswith("— Admiral Manafe")  # delivered in the bot

    kendali = table(data, R.SHEET_KENDALI)
    assert [r["No Agenda"] for r in kendali] == [1, 2, 3, 4]
    assert [r["Dari (OPD)"] for r in kendali] == [
        "Dinas Kesehatan",
        "Badan Kepegawaian dan Pengembangan SDM",
        "Dinas Kesehatan",
        "Dinas Kependudukan dan Pencatatan Sipil",
    ]
    assert [r["Isi (jumlah butir / nihil)"] for r in kendali] == [
        "3 butir (Form DIK)",
        "Nihil",
        "2 butir (Form DIK)",
        "Nihil",
    ]
    async with h.workflow.db.read() as s:
        submitted_at = list(
            await s.scalars(select(Proposal.submitted_at).order_by(Proposal.agenda_no))
        )
    assert [r["Tanggal diterima"] for r in kendali] == [
        local(t) for t in submitted_at if t is not None
    ]
    follow = [r["Tindak lanjut"] for r in kendali]
    assert follow[0].startswith("Digantikan oleh usulan perbaikan No. Agenda 3")
    for text in follow[1:]:
        assert text.startswith("Dihimpun dalam Usulan DIK kompilasi")
        assert "Surat Pengantar No. 000.9/003/Kominfo/XI/2026" in text
    assert "diuji Tim Uji Konsekuensi: 1 dikecualikan, 1 terbuka" in follow[2]
    assert "diuji" not in follow[1] and "diuji" not in follow[3]

    # The same month spelled otherwise, and the default (the current month), give the same.
    for spelled in ("/register november 2026", "/register 11/2026", "/register"):
        again = (await petugas.say(spelled))[-1]
        assert again.document is not None
        assert table(again.document.data, R.SHEET_EKSPEDISI) == ekspedisi, spelled

    # December: only what was numbered in December (a second cycle's Nota Dinas).
    h.clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    await petugas.say("/mulai 2027")
    await petugas.tap("📤 Ajukan")
    await h.people["kadis"].tap("✅ Setujui")
    december = (await petugas.say("/register desember 2026"))[-1]
    assert december.document is not None
    rows = table(december.document.data, R.SHEET_EKSPEDISI)
    assert [r["Nomor Surat"] for r in rows] == ["000.9/005/Kominfo/XII/2026"]
    assert rows[0]["Hal"] == hal_for("nota_dinas", 2027)
    assert table(december.document.data, R.SHEET_KENDALI) == []


async def test_distributed_sk_goes_to_its_addressees_only(harness: Harness) -> None:
    """The signed SK has no number of ours, but its distribution is a letter out: one row per
    PPID Pembantu and the DPRD; the petugas' own copy is not a dispatch."""
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    h.clock.set(datetime(2026, 12, 14, 2, 0, tzinfo=UTC))
    wf = h.workflow
    async with wf.db.transaction() as s:
        cycle_id = await s.scalar(select(Cycle.id))
        assert cycle_id is not None
        sk = await documents.add_document(
            s,
            cycle_id=cycle_id,
            step_no=9,
            kind="sk_signed",
            filename="SK-DIK-2026.pdf",
            mime_type="application/pdf",
            content=b"%PDF-1.4 SK",
            now=h.clock.now(),
            uploaded=True,
        )
        for role in ("ppid_pembantu", "dprd", "petugas"):
            await wf.core.tell_role(s, role, "SK DIK 2026", documents=[sk], actor=None)
    first = (await p["kadis"].say("/register desember 2026"))[-1]
    assert first.document is not None
    rows = table(first.document.data, R.SHEET_EKSPEDISI)
    assert [r["Dikirim"] for r in rows] == ["belum terkirim"] * 4  # queued, not yet sent
    assert {r["Nomor Surat"] for r in rows} == {"—"}
    assert {r["Hal"] for r in rows} == {hal_for("sk_signed", 2026)}
    assert sorted(r["Kepada"] for r in rows) == [
        "DPRD Kota Kupang — Sekretariat DPRD",
        "PPID Pembantu Badan Kepegawaian dan Pengembangan SDM — Yosef Lake",
        "PPID Pembantu Dinas Kependudukan dan Pencatatan Sipil — Agustina Nope",
        "PPID Pembantu Dinas Kesehatan — Maria Bria",
    ]
    second = (await p["kadis"].say("/register desember 2026"))[-1]  # the outbox went out
    assert second.document is not None
    rows = table(second.document.data, R.SHEET_EKSPEDISI)
    assert {r["Dikirim"] for r in rows} == {local(h.clock.now())}
    assert p["dprd"].last.document is not None


async def test_register_refuses_other_roles_and_bad_months(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["dinkes"].say("/register 2026-11")
    assert "hanya untuk Petugas, Kepala Dinas atau Admin" in got[-1].text
    assert got[-1].document is None
    got = await p["kadis"].say("/register bulan depan")
    assert "tidak dikenali" in got[-1].text
    assert "Contoh: /register 2026-11" in got[-1].text
    assert got[-1].document is None
    got = await p["admin"].say("/register 13/2026")
    assert "tidak dikenali" in got[-1].text
    got = await p["admin"].say("/register")
    assert got[-1].document is not None and "Register November 2026" in got[-1].text


async def test_archive_holds_every_version_with_its_sha256(harness: Harness) -> None:
    h = harness
    await play(h)
    petugas = h.people["petugas"]
    got = await petugas.say("/arsip")
    archive = got[-1]
    assert archive.document is not None and archive.document.filename.endswith(".zip")
    assert "Arsip DIK 2026" in archive.text

    async with h.workflow.db.read() as s:
        stored = (
            await s.execute(
                select(
                    Document.kind,
                    Document.version,
                    Document.office_id,
                    Document.sha256,
                    Document.size,
                    Document.uploaded,
                    Document.step_no,
                ).where(Document.kind != ARCHIVE_KIND)
            )
        ).all()
        archives = list(await s.scalars(select(Document).where(Document.kind == ARCHIVE_KIND)))
    assert len(archives) == 1
    assert hashlib.sha256(archive.document.data).hexdigest() == archives[0].sha256
    kinds = {d.kind for d in stored}
    assert {"nota_dinas", "surat_permintaan", "form_dik", "usulan_upload"} <= kinds
    assert any(d.version > 1 for d in stored)  # the Nota Dinas: draft, then numbered

    with zipfile.ZipFile(BytesIO(archive.document.data)) as zf:
        names = zf.namelist()
        index = table(zf.read(R.INDEX_NAME), R.INDEX_SHEET)
        files = {name: zf.read(name) for name in names if name != R.INDEX_NAME}
    assert names[0] == R.INDEX_NAME
    assert len(index) == len(stored) == len(files)
    for row in index:
        content = files[row["File"]]
        assert hashlib.sha256(content).hexdigest() == row["SHA-256"]
        assert row["Ukuran (byte)"] == len(content)
        assert row["File"].startswith(f"langkah-{row['Langkah']:02d}/")
        assert row["Isi sesuai SHA-256"] == "ya"
    assert sorted((r["Jenis"], r["Versi"], r["SHA-256"]) for r in index) == sorted(
        (d.kind, d.version, d.sha256) for d in stored
    )
    uploads = [r for r in index if r["Jenis"] == "usulan_upload"]
    assert [r["Diunggah"] for r in uploads] == ["ya", "ya"]
    assert {r["OPD"] for r in uploads} == {"DINKES"}
    assert {r["Versi"] for r in uploads} == {1, 2}
    numbered = {r["Nomor Surat"] for r in index if r["Nomor Surat"]}
    assert "000.9/003/Kominfo/XI/2026" in numbered

    # Nothing new since: the stored archive is sent again, not a second copy.
    again = (await petugas.say("/arsip"))[-1]
    assert again.document is not None and again.document.data == archive.document.data
    assert "belum ada berkas baru" in again.text
    # /dokumen does not resend the archive itself.
    sent = await petugas.say("/dokumen")
    assert all(not m.document or not m.document.filename.endswith(".zip") for m in sent)


async def test_archive_asks_which_cycle_and_refuses_other_roles(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    got = await p["petugas"].say("/arsip")
    assert "Belum ada siklus DIK" in got[-1].text
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].say("/mulai 2027")
    got = await p["dinkes"].say("/arsip")
    assert "hanya untuk Petugas, Kepala Dinas atau Admin" in got[-1].text
    got = await p["kadis"].say("/arsip")
    assert "Pilih siklus" in got[-1].text
    assert got[-1].button_texts == ["DIK 2027", "DIK 2026"]
    got = await p["kadis"].tap("DIK 2026")
    assert got[-1].document is not None
    with zipfile.ZipFile(BytesIO(got[-1].document.data)) as zf:
        index = table(zf.read(R.INDEX_NAME), R.INDEX_SHEET)
    assert {r["Jenis"] for r in index} == {"nota_dinas", "form_dik"}
    # A forged button for someone without the role changes nothing.
    async with h.workflow.db.read() as s:
        before = await s.scalar(select(Document.id).order_by(Document.id.desc()).limit(1))
    got = await p["dinkes"].tap_data(got[-1].message_id, "c:1:arsip")
    assert "hanya untuk Petugas, Kepala Dinas atau Admin" in got[-1].text
    async with h.workflow.db.read() as s:
        after = await s.scalar(select(Document.id).order_by(Document.id.desc()).limit(1))
    assert before == after


# --- the pure builders --------------------------------------------------------------------------
TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, (2026, 11)),
        ("", (2026, 11)),
        ("2026-11", (2026, 11)),
        ("2026/3", (2026, 3)),
        ("11/2026", (2026, 11)),
        ("02-2027", (2027, 2)),
        ("November 2026", (2026, 11)),
        ("  nov   2026 ", (2026, 11)),
        ("bulan Agustus tahun 2025", (2025, 8)),
        ("agt 2025", (2025, 8)),
        ("des", (2026, 12)),
        ("Mei", (2026, 5)),
        ("bulan depan", None),
        ("13/2026", None),
        ("2026-00", None),
        ("november 1999", None),
        ("=1+1", None),
    ],
)
def test_parse_month(typed: str | None, expected: tuple[int, int] | None) -> None:
    assert parse_month(typed, TODAY) == expected


def test_month_bounds_are_local_months() -> None:
    start, end = R.month_bounds(2026, 12, WITA)
    assert start == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_register_cells_stay_text_and_dates_are_dates() -> None:
    when = datetime(2026, 11, 30, 2, 15, tzinfo=UTC)
    data = R.build_register(
        unit="Dinas Kominfo",
        year=2026,
        month=11,
        tz=WITA,
        tz_label="WITA",
        ekspedisi=[EkspedisiRow(when, "000.9/001", '=HYPERLINK("x")', "@admin", when, None)],
        kendali=[KendaliRow(1, when, "+62 OPD", "Nihil", "-", "DIK 2026")],
    )
    wb = load_workbook(BytesIO(data))
    ws = wb[R.SHEET_EKSPEDISI]
    row = R.HEADER_ROW + 1
    assert ws.cell(row, 4).value == '=HYPERLINK("x")' and ws.cell(row, 4).data_type == "s"
    assert ws.cell(row, 5).value == "@admin"
    assert ws.cell(row, 2).value == datetime(2026, 11, 30, 10, 15)
    assert ws.cell(row, 2).number_format == R.DATE_FORMAT
    assert ws.cell(row, 6).number_format == R.MOMENT_FORMAT
    wk = wb[R.SHEET_KENDALI]
    assert wk.cell(row, 3).value == "+62 OPD" and wk.cell(row, 3).data_type == "s"


def test_archive_paths_cannot_leave_their_folder() -> None:
    f = R.ArchiveFile(
        document_id=7,
        kind="usulan_upload",
        step_no=3,
        office_code="../DINKES",
        version=2,
        filename="../../etc/passwd",
        sha256="0" * 64,
        created_at=datetime(2026, 11, 30, tzinfo=UTC),
        uploaded=True,
        letter_number=None,
        content=b"x",
    )
    assert R.archive_path(f) == "langkah-03/DINKES/v02_passwd"
    assert R.safe_filename("..", "fallback") == "fallback"
    assert R.safe_filename("C:\\Users\\a\\form isi.xlsx", "f") == "form isi.xlsx"
