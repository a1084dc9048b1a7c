"""The Laporan Bulanan, for November 2026, with two cycles, re-opened and checked cell by cell.

* "DIK 2026" is played through chat (real acts) from Monday 2 November: the Kepala Dinas
  rejects the first Nota Dinas; in step 3 DINKES answers on time (and resubmits later), DISDUK
  answers nihil, BKPSDM answers late and BAPPEDA never answers, so the petugas closes step 3
  late; step 4 is on time; step 5 is still open (and past its limit) at the end of the month.
* "DIK 2026 (Perubahan)" is written directly into the database: started in October, its step 9
  was rejected by the Walikota back to step 8 on 2 November, and it finished on 4 November.

Then the automatic report (last working day, 15.00 WITA, once), /laporan, a past month (which
must not see what happened after it), the chart, and the timeline that comes with /status.
"""

from __future__ import annotations

import re
import struct
from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.reports.chart import (
    LATE_EDGE,
    PALETTE,
    ChartBar,
    ChartSeries,
    ChartStep,
    render_step_chart,
)
from bot.reports.measure import step_spans
from bot.reports.monthly import (
    CYCLES_HEADER,
    CYCLES_HEADER_ROW,
    DATA_ROW,
    HEADER_ROW,
    LETTERS_HEADER,
    NO_DATA,
    OFFICES_HEADER,
    ROLE_RATES_HEADER,
    SHEETS,
    STEP_RATES_HEADER,
    STEPS_HEADER,
    SUMMARY_HEADER_ROW,
    SUMMARY_LABELS,
    role_rates_header_row,
)
from bot.workdays import WorkCalendar
from devtools.standin.models import SentMessage
from storage import cycles, documents, people
from storage.dto import StepRunDTO
from storage.models import Document, OutboxMessage
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness

WITA = ZoneInfo("Asia/Makassar")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
XLSX_NAME = "Laporan_Bulanan_DIK_2026-11.xlsx"
PNG_NAME = "Grafik_Laporan_Bulanan_2026-11.png"
PETUGAS = "Petugas PLID"
KADIS = "Kepala Dinas Kominfo (PPID Utama)"
ASDA = "Asisten Pemerintahan (Asda 1) / Kabag Hukum"
DRAFT_AND_SIGN = f"{PETUGAS} → {KADIS}"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """As the workbook holds it: a naive WITA datetime."""
    return datetime(2026, month, day, hour, minute)


def files(person_inbox: list[SentMessage], name: str) -> list[SentMessage]:
    return [m for m in person_inbox if m.document and m.document.filename == name]


def said(got: list[SentMessage], phrase: str) -> bool:
    return any(phrase in (m.text or "") for m in got)


def rows(ws, first: int, last: int | None = None) -> list[tuple]:
    return [
        tuple(r) for r in ws.iter_rows(min_row=first, max_row=last or ws.max_row, values_only=True)
    ]


# --- the month ----------------------------------------------------------------------------------
async def play_cycle_a(h: Harness) -> None:
    """DIK 2026 through chat, 2-16 November."""
    p = h.people
    h.clock.set(at(2, 9))
    got = await p["petugas"].say("/mulai 2026")
    assert "Siklus <b>DIK 2026</b> dimulai" in got[0].raw_text
    h.clock.set(at(2, 9, 30))
    await p["petugas"].tap("📤 Ajukan")
    h.clock.set(at(2, 10))
    await p["kadis"].tap("❌ Tolak")
    await p["kadis"].say("Batas waktu usulan belum jelas.")
    h.clock.set(at(2, 11))
    await p["petugas"].tap("📤 Ajukan")
    h.clock.set(at(3, 10))
    await p["kadis"].tap("✅ Setujui")  # step 1: 1 working day, limit 1
    h.clock.set(at(3, 10, 30))
    await p["petugas"].tap("📤 Ajukan")
    h.clock.set(at(3, 14))
    await p["kadis"].tap("✅ Setujui")  # step 2: 0; step 3 opens Tuesday 3 Nov 14.00

    h.clock.set(at(4, 10))
    await p["dinkes"].upload("form-dinkes.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS))
    got = await p["dinkes"].tap("✅ Kirim usulan")
    assert "Nomor agenda" in got[-1].text
    h.clock.set(at(5, 9))
    await p["disduk"].tap("🚫 Nihil")
    await p["disduk"].tap("✅ Kirim usulan")
    h.clock.set(at(6, 10))  # DINKES sends a shorter list again: it still answered on the 4th
    await p["dinkes"].upload("form-dinkes-2.xlsx", filled_form("Dinas Kesehatan", DINKES_ROWS[:2]))
    await p["dinkes"].tap("✅ Kirim usulan")
    h.clock.set(at(11, 15))  # 6 working days after the letter: late
    name = "Badan Kepegawaian dan Pengembangan SDM"
    await p["bkpsdm"].upload("form-bkpsdm.xlsx", filled_form(name, DINKES_ROWS[:1]))
    await p["bkpsdm"].tap("✅ Kirim usulan")
    h.clock.set(at(11, 15, 30))  # BAPPEDA never answers; the petugas closes step 3 (6 days)
    await p["petugas"].say("/tugas")
    await p["petugas"].tap("Buka: DIK 2026 · langkah 3")
    got = await p["petugas"].tap("🔒 Tutup pengumpulan")
    assert "Badan Perencanaan Pembangunan Daerah" in "\n".join(m.text or "" for m in got)

    h.clock.set(at(12, 9))
    await p["petugas"].tap("📤 Ajukan")
    h.clock.set(at(16, 10))
    await p["kadis"].tap("✅ Setujui")  # step 4: 2 working days, limit 3; step 5 opens


async def build_cycle_b(h: Harness) -> int:
    """DIK 2026 (Perubahan), straight into the database: 19 October - 4 November."""
    wf = h.workflow
    plan = [
        (1, "draft", "petugas", 1, at(19, 9, month=10), at(19, 10, month=10), "submit"),
        (1, "review", "kepala_dinas", 1, at(19, 10, month=10), at(20, 9, month=10), "approve"),
        (2, "draft", "petugas", 1, at(20, 9, month=10), at(20, 10, month=10), "submit"),
        (2, "review", "kepala_dinas", 1, at(20, 10, month=10), at(20, 11, month=10), "approve"),
        (3, "collect", "ppid_pembantu", 1, at(20, 11, month=10), at(27, 11, month=10), "closed"),
        (4, "draft", "petugas", 1, at(27, 11, month=10), at(27, 13, month=10), "submit"),
        (4, "review", "kepala_dinas", 1, at(27, 13, month=10), at(28, 9, month=10), "approve"),
        (5, "deliver", "petugas", 1, at(28, 9, month=10), at(28, 10, month=10), "deliver"),
        (6, "review", "atasan_ppid", 1, at(28, 10, month=10), at(28, 14, month=10), "approve"),
        (7, "decide", "tim_uk", 1, at(28, 14, month=10), at(29, 9, month=10), "finalise"),
        (8, "review", "atasan_ppid", 1, at(29, 9, month=10), at(30, 10, month=10), "approve"),
        (9, "review", "walikota", 1, at(30, 10, month=10), at(2, 9), "reject"),
        (8, "review", "atasan_ppid", 2, at(2, 9), at(2, 13), "approve"),
        (9, "review", "walikota", 2, at(2, 13), at(3, 10), "approve"),
        (9, "upload", "petugas", 2, at(3, 10), at(4, 9), "uploaded"),
        (10, "publish", "petugas", 1, at(4, 9), at(4, 11), "published"),
    ]
    async with wf.db.transaction() as s:
        petugas = await people.person_by_telegram(s, 1001, date(2026, 10, 19))
        assert petugas is not None
        cycle = await cycles.add_cycle(
            s,
            sop_key=wf.core.sop.key,
            year=2026,
            title="DIK 2026 (Perubahan)",
            now=at(19, 9, month=10),
            started_by_id=petugas.id,
        )
        for step_no, phase, role, attempt, assigned, done, outcome in plan:
            limit = wf.core.sop.step(step_no).limit_days
            run = await cycles.add_run(
                s,
                cycle_id=cycle.id,
                step_key=wf.core.sop.step(step_no).key,
                step_no=step_no,
                phase=phase,
                holder_role=role,
                attempt=attempt,
                now=assigned,
                due_at=wf.core.calendar.add_working_days(assigned, limit),
            )
            reason = "Konsiderans belum lengkap" if outcome == "reject" else None
            assert await cycles.close_run(
                s, run, outcome=outcome, actor_id=None, now=done, reason=reason
            )
        await cycles.finish_cycle(s, cycle.id, at(4, 11), "https://ppid.kupangkota.go.id/dik-p")
        await documents.add_document(  # a letter of October: not in November's list
            s,
            cycle_id=cycle.id,
            step_no=1,
            kind="nota_dinas",
            filename="Nota_Dinas_2026_perubahan.docx",
            mime_type="application/octet-stream",
            content=b"nota dinas",
            now=at(20, 9, month=10),
            letter_number="000.9/090/Kominfo/X/2026",
        )
        await documents.add_document(  # the Walikota's SK: numbered, but not Kominfo's letter
            s,
            cycle_id=cycle.id,
            step_no=9,
            kind="sk_signed",
            filename="SK DIK 2026 perubahan.pdf",
            mime_type="application/pdf",
            content=b"%PDF-1.4 sk",
            now=at(4, 9),
            letter_number="188.45/KEP/HK/2026",
            uploaded=True,
        )
    return cycle.id


async def november(h: Harness) -> None:
    h.clock.set(at(2, 8))
    await h.seed_city()
    await h.workflow.onboarding.add_office("BAPPEDA", "Badan Perencanaan Pembangunan Daerah")
    await h.official("bappeda", 2004, "Simon Lenggu", "ppid_pembantu", office="BAPPEDA")
    cal = h.workflow.core.calendar
    assert all(
        cal.is_working_day(date(2026, m, d))
        for m, d in [(10, 19), (10, 30), (11, 2), (11, 11), (11, 16), (11, 27)]
    )
    await play_cycle_a(h)
    await build_cycle_b(h)


async def letters_of_november(h: Harness) -> list[tuple]:
    async with h.workflow.db.read() as s:
        found = await s.scalars(
            select(Document)
            .where(Document.letter_number.is_not(None), Document.created_at >= at(1, 0))
            .order_by(Document.created_at, Document.id)
        )
        return [(d.letter_number, d.kind, d.step_no, d.filename, d.version) for d in found]


# --- the test -----------------------------------------------------------------------------------
async def test_monthly_report_of_a_month_with_two_cycles(harness: Harness) -> None:
    h = harness
    await november(h)
    p = h.people
    wf = h.workflow

    # Not the last working day: nothing. The last one, before 15.00: nothing.
    (job,) = h.app.job_queue.get_jobs_by_name("laporan:bulanan")
    assert job.next_t is not None and job.next_t.astimezone(WITA).time() == time(15, 0)
    h.clock.set(at(27, 15))
    await job.run(h.app)
    assert await wf.report.send_monthly_reports() == 0
    h.clock.set(at(30, 14, 59))
    await job.run(h.app)
    assert await wf.report.send_monthly_reports() == 0
    assert not any(files(p[k].inbox, XLSX_NAME) for k in ("petugas", "kadis"))

    # The daily job, as PTB runs it, at 15.00 on Monday 30 November: once per person.
    h.clock.set(at(30, 15))
    await job.run(h.app)
    assert not h.chat.errors
    assert await wf.report.send_monthly_reports() == 0  # already sent this month
    await job.run(h.app)
    for key in ("petugas", "kadis"):
        assert len(files(p[key].inbox, XLSX_NAME)) == 1, key
        (chart,) = files(p[key].inbox, PNG_NAME)
        assert chart.document is not None and chart.document.data.startswith(PNG_MAGIC)
        assert "Laporan Bulanan PPID — November 2026" in (chart.text or "")
        assert "7 (4 tepat waktu, 3 terlambat; ketepatan waktu 57,1%)" in (chart.text or "")
    for key in ("admin", "dinkes", "asda", "walikota"):
        assert not files(p[key].inbox, XLSX_NAME), key
    async with wf.db.read() as s:
        keys = set(
            await s.scalars(
                select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.startswith("laporan:")
                )
            )
        )
        found = [
            await people.person_by_telegram(s, uid, date(2026, 11, 30)) for uid in (1001, 1002)
        ]
        ids = {person.id for person in found if person is not None}
    assert keys == {f"laporan:2026-11:{i}:{n}" for i in ids for n in (0, 1)}

    (xlsx,) = files(p["petugas"].inbox, XLSX_NAME)
    assert xlsx.document is not None
    wb = load_workbook(BytesIO(xlsx.document.data))
    assert wb.sheetnames == list(SHEETS)
    await check_workbook(h, wb)

    # /laporan: the same month on demand, and the refusals.
    got = await p["kadis"].say("/laporan 2026-11")
    assert [m.document.filename for m in got if m.document] == [XLSX_NAME, PNG_NAME]
    (mine,) = files(got, XLSX_NAME)
    assert mine.document is not None
    again = load_workbook(BytesIO(mine.document.data))
    assert rows(again["Langkah"], DATA_ROW) == rows(wb["Langkah"], DATA_ROW)
    got = await p["petugas"].say("/laporan 2026-13")
    assert said(got, 'Bulan "2026-13" tidak dikenali') and not any(m.document for m in got)
    got = await p["petugas"].say("/laporan 2026-12")
    assert said(got, "Desember 2026 belum dimulai") and not any(m.document for m in got)
    got = await p["dinkes"].say("/laporan 2026-11")
    assert said(got, "hanya untuk Petugas, Kepala Dinas atau Admin")
    got = await p["admin"].say("/laporan")
    assert [m.document.filename for m in got if m.document] == [XLSX_NAME, PNG_NAME]

    # A past month shows what was known at its end, whenever it is made.
    got = await p["petugas"].say("/laporan oktober 2026")
    (past,) = files(got, "Laporan_Bulanan_DIK_2026-10.xlsx")
    assert past.document is not None
    check_october(load_workbook(BytesIO(past.document.data)))

    # /status sends the cycle's timeline as a photo, before the status text.
    got = await p["petugas"].say("/status")
    photos = [m for m in got if m.photo is not None]
    assert len(photos) == 1 and photos[0].photo is not None
    assert photos[0].photo.data.startswith(PNG_MAGIC)
    assert "Linimasa DIK 2026" in (photos[0].text or "")
    assert "Langkah terlambat: 3, 5" in (photos[0].text or "")
    status = got.index(photos[0]) + 1
    assert "DIK 2026" in (got[status].text or "") and got[status].photo is None
    # Asked again while nothing moved: the same picture, sent by its file_id (not uploaded or
    # drawn again).
    again = [m for m in await p["admin"].say("/status") if m.photo is not None]
    assert len(again) == 1 and again[0].photo is not None
    assert again[0].photo.file_id == photos[0].photo.file_id


async def check_workbook(h: Harness, wb) -> None:
    sop = h.workflow.core.sop
    title = {s.id: s.title for s in sop.steps}

    # Ringkasan
    ws = wb["Ringkasan"]
    assert ws["A1"].value == "Laporan Bulanan PPID — November 2026"
    assert ws["A4"].value == "Periode" and ws["B4"].value == "November 2026"
    assert ws["A5"].value == "Keadaan per"
    assert ws["B5"].value == "Senin, 30 November 2026 pukul 15.00 WITA"
    assert ws["B6"].value == "Senin, 30 November 2026 pukul 15.00 WITA"
    assert rows(ws, SUMMARY_HEADER_ROW, SUMMARY_HEADER_ROW + len(SUMMARY_LABELS)) == [
        ("Uraian", "Jumlah", *[None] * 5),
        ("Siklus dimulai pada periode ini", 1, *[None] * 5),
        ("Siklus selesai pada periode ini", 1, *[None] * 5),
        ("Siklus berjalan pada akhir periode", 1, *[None] * 5),
        ("Langkah selesai pada periode ini", 7, *[None] * 5),
        ("Langkah selesai tepat waktu", 4, *[None] * 5),
        ("Langkah selesai terlambat", 3, *[None] * 5),
        ("Ketepatan waktu langkah", 4 / 7, *[None] * 5),
        ("Langkah berjalan yang sudah melewati batas", 1, *[None] * 5),
        ("Surat keluar bernomor", 3, *[None] * 5),
    ]
    assert ws.cell(SUMMARY_HEADER_ROW + 7, 2).number_format == "0.0%"
    assert rows(ws, CYCLES_HEADER_ROW, CYCLES_HEADER_ROW + 2) == [
        CYCLES_HEADER,
        (1, "DIK 2026 (Perubahan)", 2026, local(19, 9, month=10), local(4, 11), "Selesai", None),
        (2, "DIK 2026", 2026, local(2, 9), None, "Berjalan", f"5. {title[5]}"),
    ]
    assert ws.cell(CYCLES_HEADER_ROW + 1, 4).number_format == "DD/MM/YYYY HH:MM"
    # Signed like any report of the office: made by the petugas, seen by the Kepala Dinas.
    block = rows(ws, CYCLES_HEADER_ROW + 5)
    assert [r[:2] for r in block if any(r[:2])] == [
        ("Dibuat oleh,", "Mengetahui,"),
        ("Analis Kebijakan,", "Kepala Dinas Komunikasi dan Informatika Kota Kupang,"),
        ("Lumongga Simanjuntak", "Wildrian Otta"),
        ("NIP. 19800101 200501 1 001", "NIP. 19800101 200501 1 001"),
    ]
    # No internal key in any cell of the workbook.
    for sheet in wb.worksheets:
        for line in sheet.iter_rows(values_only=True):
            for value in line:
                assert not (isinstance(value, str) and re.search(r"\b[a-z]+_[a-z]+\b", value)), (
                    sheet.title,
                    value,
                )

    # Langkah: every step that finished in November or was running at its end.
    ws = wb["Langkah"]
    assert ws["A1"].value == "Waktu per langkah — November 2026"
    assert rows(ws, HEADER_ROW, HEADER_ROW) == [STEPS_HEADER]
    b, a = "DIK 2026 (Perubahan)", "DIK 2026"
    assert rows(ws, DATA_ROW) == [
        (1, b, 8, title[8], ASDA, local(29, 9, month=10), local(2, 13), "Selesai",
         2, 1, 1, "Ya", 2, 0),
        (2, b, 9, title[9], f"Walikota → {PETUGAS}", local(30, 10, month=10), local(4, 9),
         "Selesai", 2, 1, 1, "Ya", 2, 1),
        (3, b, 10, title[10], PETUGAS, local(4, 9), local(4, 11), "Selesai",
         0, 1, 0, "Tidak", 1, 0),
        (4, a, 1, title[1], DRAFT_AND_SIGN, local(2, 9), local(3, 10), "Selesai",
         1, 1, 0, "Tidak", 2, 1),
        (5, a, 2, title[2], DRAFT_AND_SIGN, local(3, 10), local(3, 14), "Selesai",
         0, 1, 0, "Tidak", 1, 0),
        (6, a, 3, title[3], "PPID Pembantu", local(3, 14), local(11, 15, 30), "Selesai",
         6, 5, 1, "Ya", 1, 0),
        (7, a, 4, title[4], DRAFT_AND_SIGN, local(11, 15, 30), local(16, 10), "Selesai",
         2, 3, 0, "Tidak", 1, 0),
        (8, a, 5, title[5], PETUGAS, local(16, 10), None, "Berjalan", 10, 3, 7, "Ya", 1, 0),
    ]  # fmt: skip
    assert ws.cell(DATA_ROW, 12).fill.fgColor.rgb.endswith("F8CBAD")  # a late row stands out

    # Kinerja: per step, the total, then per role.
    ws = wb["Kinerja"]
    assert rows(ws, HEADER_ROW, HEADER_ROW) == [STEP_RATES_HEADER]
    n = len(sop.steps)
    assert rows(ws, DATA_ROW, DATA_ROW + n) == [
        (1, title[1], DRAFT_AND_SIGN, 1, 1, 1, 0, 1, 1, 1, 0),
        (2, title[2], DRAFT_AND_SIGN, 1, 1, 1, 0, 1, 0, 0, 0),
        (3, title[3], "PPID Pembantu", 5, 1, 0, 1, 0, 6, 6, 0),
        (4, title[4], DRAFT_AND_SIGN, 3, 1, 1, 0, 1, 2, 2, 0),
        (5, title[5], PETUGAS, 3, 0, 0, 0, None, None, None, 1),
        (6, title[6], ASDA, 1, 0, 0, 0, None, None, None, 0),
        (7, title[7], "Tim Uji Konsekuensi", 3, 0, 0, 0, None, None, None, 0),
        (8, title[8], ASDA, 1, 1, 0, 1, 0, 2, 2, 0),
        (9, title[9], f"Walikota → {PETUGAS}", 1, 1, 0, 1, 0, 2, 2, 0),
        (10, title[10], PETUGAS, 1, 1, 1, 0, 1, 0, 0, 0),
        ("Jumlah", None, None, None, 7, 4, 3, 4 / 7, 1.86, 6, 1),
    ]
    top = role_rates_header_row(n)
    assert top == DATA_ROW + n + 2 and ws.cell(top - 1, 1).value is None
    assert rows(ws, top) == [
        (*ROLE_RATES_HEADER, *[None] * 5),
        (PETUGAS, 6, 6, 0, 1, 1, *[None] * 5),
        (KADIS, 4, 4, 0, 1, 0, *[None] * 5),
        (ASDA, 1, 1, 0, 1, 0, *[None] * 5),
        ("PPID Pembantu", 4, 2, 2, 0.5, 0, *[None] * 5),
        ("Tim Uji Konsekuensi", 0, 0, 0, None, 0, *[None] * 5),
        ("Walikota", 2, 2, 0, 1, 0, *[None] * 5),
    ]

    # Usulan OPD: step 3 of DIK 2026, by OPD name.
    ws = wb["Usulan OPD"]
    assert rows(ws, HEADER_ROW, HEADER_ROW) == [OFFICES_HEADER]
    sent = local(3, 14)
    assert rows(ws, DATA_ROW) == [
        (1, a, "Badan Kepegawaian dan Pengembangan SDM", sent, local(11, 15), "Usulan",
         1, 6, 5, "Ya", 1),
        (2, a, "Badan Perencanaan Pembangunan Daerah", sent, None, "Tidak menjawab",
         0, 6, 5, "Ya", 0),
        (3, a, "Dinas Kependudukan dan Pencatatan Sipil", sent, local(5, 9), "Nihil",
         0, 1, 5, "Tidak", 1),
        (4, a, "Dinas Kesehatan", sent, local(4, 10), "Usulan", 2, 0, 5, "Tidak", 2),
    ]  # fmt: skip

    # Surat Keluar: the three letters of DIK 2026, not October's.
    ws = wb["Surat Keluar"]
    assert rows(ws, HEADER_ROW, HEADER_ROW) == [LETTERS_HEADER]
    numbered = await letters_of_november(h)
    assert ("188.45/KEP/HK/2026", "sk_signed") in [(n, k) for n, k, *_ in numbered]
    letters = [row for row in numbered if row[1] != "sk_signed"]
    kinds = {
        "nota_dinas": "Nota Dinas kepada pimpinan",
        "surat_permintaan": "Surat Dinas kepada PPID Pembantu",
        "surat_pengantar": "Surat Pengantar usulan DIK",
    }
    issued = [local(3, 10), local(3, 14), local(16, 10)]
    assert [(n, k, s) for n, k, s, _f, _v in letters] == [
        ("000.9/001/Kominfo/XI/2026", "nota_dinas", 1),
        ("000.9/002/Kominfo/XI/2026", "surat_permintaan", 2),
        ("000.9/003/Kominfo/XI/2026", "surat_pengantar", 4),
    ]
    assert rows(ws, DATA_ROW) == [
        (i, number, when, kinds[kind], a, step, filename, version)
        for i, ((number, kind, step, filename, version), when) in enumerate(
            zip(letters, issued, strict=True), start=1
        )
    ]

    # Catatan: the definitions the numbers rest on.
    notes = "\n".join(str(c.value) for c in wb["Catatan"]["A"] if c.value)
    for phrase in (
        "Hari kerja terpakai: jumlah hari kerja penuh dari awal sampai akhir",
        "Senin 09.00 dan selesai Selasa 10.00 = 1 hari kerja",
        "pertama kali dibuka sampai penyelesaian terakhirnya",
        "Terlambat: hari kerja terpakai melebihi batas waktu SOP",
        "Ketepatan waktu: yang selesai tepat waktu dibagi semua yang selesai",
        "setiap OPD adalah satu giliran PPID Pembantu",
        "sampai kiriman pertama OPD",
        "Senin, Selasa, Rabu, Kamis, Jumat",
    ):
        assert phrase in notes, phrase

    # No text cell anywhere is a formula.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def check_october(wb) -> None:
    ws = wb["Ringkasan"]
    assert ws["B4"].value == "Oktober 2026"
    assert ws["B5"].value == "akhir bulan (Sabtu, 31 Oktober 2026)"
    counts = [r[1] for r in rows(ws, SUMMARY_HEADER_ROW + 1, SUMMARY_HEADER_ROW + 9)]
    # started 1, finished 0, open 1; steps 1-8 finished (all on time); step 9 running.
    assert counts == [1, 0, 1, 8, 8, 0, 1, 0, 1]
    steps = rows(wb["Langkah"], DATA_ROW)
    assert [(r[2], r[7], r[8], r[11]) for r in steps] == [
        (1, "Selesai", 1, "Tidak"),
        (2, "Selesai", 0, "Tidak"),
        (3, "Selesai", 5, "Tidak"),
        (4, "Selesai", 0, "Tidak"),
        (5, "Selesai", 0, "Tidak"),
        (6, "Selesai", 0, "Tidak"),
        (7, "Selesai", 0, "Tidak"),
        (8, "Selesai", 1, "Tidak"),  # the rejection of 2 November is not known yet
        (9, "Berjalan", 0, "Tidak"),
    ]
    assert rows(wb["Usulan OPD"], DATA_ROW) == [(NO_DATA, *[None] * 10)]
    assert [r[1] for r in rows(wb["Surat Keluar"], DATA_ROW)] == ["000.9/090/Kominfo/X/2026"]


# --- measuring ----------------------------------------------------------------------------------
def run(no: int, step: int, phase: str, assigned: datetime, done: datetime | None, outcome=None):
    return StepRunDTO(
        id=no,
        cycle_id=1,
        step_no=step,
        phase=phase,
        attempt=1,
        holder_role="walikota" if step == 9 else "atasan_ppid",
        status="done" if done else "open",
        assigned_at=assigned,
        due_at=assigned,
        done_at=done,
        outcome=outcome,
        actor_id=None,
        reason=None,
        version=1,
    )


def test_a_step_rejected_back_is_not_finished_and_later_events_are_unknown() -> None:
    cal = WorkCalendar(WITA)
    limits = {8: 1, 9: 1}
    runs = [
        run(1, 8, "review", at(2, 9), at(2, 10), "approve"),
        run(2, 9, "review", at(2, 10), at(4, 11), "reject"),  # back to step 8
        run(3, 8, "review", at(4, 11), at(5, 9), "approve"),
        run(4, 9, "review", at(5, 9), None),
    ]
    # Between the rejection and the second approval of step 8: step 9 is not finished.
    step8, step9 = step_spans(runs, limits, cal, at(4, 15))
    assert (step8.finished, step8.days, step8.late) == (False, 2, True)
    assert (step9.finished, step9.days, step9.rejections) == (False, 2, 1)
    # Seen on 3 November, the rejection has not happened: step 8 done in 1 hour.
    step8, step9 = step_spans(runs, limits, cal, at(3, 9))
    assert (step8.finished, step8.ended_at, step8.days) == (True, at(2, 10), 0)
    assert (step9.finished, step9.days, step9.rejections) == (False, 0, 0)
    # At the end: step 8 spans 2-5 November (3 working days, late); step 9 still running.
    step8, step9 = step_spans(runs, limits, cal, at(6, 9))
    assert (step8.finished, step8.days, step8.attempts, step8.rejections) == (True, 3, 1, 0)
    assert (step9.finished, step9.started_at, step9.days) == (False, at(2, 10), 3)


# --- the chart ----------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _bars(png: bytes, color: str) -> list[int]:
    """The length in pixels of each bar of `color`, top to bottom (a bar: rows of the image
    next to each other that hold that colour; its length: the longest run in it)."""
    image = Image.open(BytesIO(png)).convert("RGB")
    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    pixels = image.load()
    lengths: list[int] = []
    inside = False
    for y in range(height):
        run = best = 0
        for x in range(width // 3, width):  # the plot, right of the step labels
            run = run + 1 if pixels[x, y] == rgb else 0
            best = max(best, run)
        if best > 3 and not inside:
            lengths.append(best)
        elif best > 3:
            lengths[-1] = max(lengths[-1], best)
        inside = best > 3
    return lengths


def test_chart_draws_bars_to_scale_and_marks_the_late_one() -> None:
    steps = [ChartStep(1, "Nota Dinas", 5), ChartStep(2, "Usulan", 5), ChartStep(3, "Uji", 5)]
    series = [ChartSeries("DIK 2026", [ChartBar(1, 2, False), ChartBar(2, 4, False)])]
    on_time = render_step_chart("Skala", steps, series)
    first, second = _bars(on_time, PALETTE[0])  # the SOP's limit (5) is past both
    assert second / first == pytest.approx(2, rel=0.05)  # 4 working days against 2
    late = render_step_chart(
        "Skala", steps, [ChartSeries("DIK 2026", [ChartBar(1, 2, True), ChartBar(2, 4, False)])]
    )
    assert len(_bars(late, LATE_EDGE)) > len(_bars(on_time, LATE_EDGE))  # the late bar's edge


def test_chart_is_a_real_png() -> None:
    steps = [ChartStep(1, "Nota Dinas kepada pimpinan", 1), ChartStep(2, "Surat Dinas", 1)]
    steps += [ChartStep(3, "Usulan DIK dari setiap PPID Pembantu", 5)]
    series = [
        ChartSeries("DIK 2026", [ChartBar(1, 1, False), ChartBar(3, 6, True)]),
        ChartSeries('DIK =HYPERLINK("x")', [ChartBar(2, 4, True, running=True)]),
    ]
    png = render_step_chart("Hari kerja per langkah — November 2026", steps, series)
    assert 10_000 < len(png) < 1_000_000
    assert png_size(png) == (1100, 480)
    assert render_step_chart("Hari kerja per langkah — November 2026", steps, series) == png
    empty = render_step_chart("Kosong", steps, [])
    assert png_size(empty) == (1100, 480) and empty != png
