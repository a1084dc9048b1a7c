"""The Laporan Bulanan as an XLSX workbook (openpyxl). Pure: plain data in, bytes out.

Sheets, in order:

* **Ringkasan**: the period, the counts (cycles started / finished / open, steps finished on
  time and late, the on-time rate, letters), and the cycles of the period.
* **Langkah**: every step of every cycle that finished in the period or was still running at its
  end: start, end, working days taken against the SOP's limit, late or not.
* **Kinerja**: the on-time rate per SOP step, then per role.
* **Usulan OPD**: step 3 per OPD: when the letter went out, when the OPD answered, usulan or
  nihil, how many rows, working days, late or not.
* **Surat Keluar**: the numbered letters issued in the period.
* **Catatan**: how everything is counted.

Datetimes are given as naive local (office time zone) datetimes and written as real date
cells. Every text cell goes through :func:`bot.xlsx_safe.write_text_cell`, so nothing typed by a
person (a cycle title, an OPD name) can become a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell

SHEET_SUMMARY: Final = "Ringkasan"
SHEET_STEPS: Final = "Langkah"
SHEET_RATES: Final = "Kinerja"
SHEET_OFFICES: Final = "Usulan OPD"
SHEET_LETTERS: Final = "Surat Keluar"
SHEET_NOTES: Final = "Catatan"
SHEETS: Final = (
    SHEET_SUMMARY,
    SHEET_STEPS,
    SHEET_RATES,
    SHEET_OFFICES,
    SHEET_LETTERS,
    SHEET_NOTES,
)

YES: Final = "Ya"
NO: Final = "Tidak"
NO_DATA: Final = "Tidak ada data pada periode ini."
DATE_FORMAT: Final = "DD/MM/YYYY HH:MM"
PERCENT_FORMAT: Final = "0.0%"

# Ringkasan: the period in rows 4-6 (label in A, value in B), the counts from SUMMARY_HEADER_ROW.
INFO_FIRST_ROW: Final = 4
SUMMARY_HEADER_ROW: Final = 8
SUMMARY_HEADER: Final = ("Uraian", "Jumlah")
RATE_LABEL: Final = "Ketepatan waktu langkah"
SUMMARY_LABELS: Final = (
    "Siklus dimulai pada periode ini",
    "Siklus selesai pada periode ini",
    "Siklus berjalan pada akhir periode",
    "Langkah selesai pada periode ini",
    "Langkah selesai tepat waktu",
    "Langkah selesai terlambat",
    RATE_LABEL,
    "Langkah berjalan yang sudah melewati batas",
    "Surat keluar bernomor",
)
CYCLES_HEADER_ROW: Final = SUMMARY_HEADER_ROW + len(SUMMARY_LABELS) + 2
CYCLES_HEADER: Final = (
    "No",
    "Siklus",
    "Tahun",
    "Dimulai",
    "Selesai",
    "Keadaan akhir periode",
    "Langkah akhir periode",
)

# The table sheets: a title in row 1, a note in row 2, the header in row 4, data from row 5.
HEADER_ROW: Final = 4
DATA_ROW: Final = 5
STEPS_HEADER: Final = (
    "No",
    "Siklus",
    "Langkah",
    "Uraian langkah",
    "Pelaksana",
    "Mulai",
    "Selesai",
    "Keadaan",
    "Hari kerja terpakai",
    "Batas SOP (hari kerja)",
    "Melewati batas (hari kerja)",
    "Terlambat",
    "Pengajuan",
    "Penolakan",
)
STEP_RATES_HEADER: Final = (
    "Langkah",
    "Uraian langkah",
    "Pelaksana",
    "Batas SOP (hari kerja)",
    "Selesai pada periode ini",
    "Tepat waktu",
    "Terlambat",
    "Ketepatan waktu",
    "Rata-rata hari kerja",
    "Terlama (hari kerja)",
    "Berjalan, sudah melewati batas",
)
ROLE_RATES_HEADER: Final = (
    "Peran",
    "Giliran selesai pada periode ini",
    "Tepat waktu",
    "Terlambat",
    "Ketepatan waktu",
    "Berjalan, sudah melewati batas",
)
OFFICES_HEADER: Final = (
    "No",
    "Siklus",
    "OPD",
    "Surat diterima",
    "Dijawab",
    "Jawaban",
    "Jumlah butir",
    "Hari kerja",
    "Batas SOP (hari kerja)",
    "Terlambat",
    "Jumlah kiriman",
)
LETTERS_HEADER: Final = (
    "No",
    "Nomor surat",
    "Tanggal",
    "Jenis surat",
    "Siklus",
    "Langkah",
    "Nama berkas",
    "Versi",
)
TOTAL_LABEL: Final = "Jumlah"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_LATE_FILL = PatternFill("solid", fgColor="F8CBAD")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)


@dataclass(frozen=True, slots=True)
class CycleLine:
    title: str
    year: int
    started: datetime
    finished: datetime | None  # within the period, or before its end
    state: str  # "Selesai" / "Berjalan"
    step: str  # the step it stood at the end of the period ("" when finished)


@dataclass(frozen=True, slots=True)
class StepLine:
    cycle: str
    step_no: int
    title: str
    role: str
    started: datetime
    finished: datetime | None  # None: still running at the end of the period
    days: int
    limit: int
    late: bool
    attempts: int
    rejections: int

    @property
    def over(self) -> int:
        return max(0, self.days - self.limit)


@dataclass(frozen=True, slots=True)
class Tally:
    """Finished items (steps or turns) of the period, and running ones already past the limit."""

    done: int = 0
    on_time: int = 0
    running_late: int = 0

    @property
    def late(self) -> int:
        return self.done - self.on_time

    @property
    def rate(self) -> float | None:
        return self.on_time / self.done if self.done else None


@dataclass(frozen=True, slots=True)
class StepRate:
    step_no: int
    title: str
    role: str
    limit: int
    tally: Tally
    avg_days: float | None
    max_days: int | None


@dataclass(frozen=True, slots=True)
class RoleRate:
    role: str
    tally: Tally


@dataclass(frozen=True, slots=True)
class OfficeLine:
    cycle: str
    office: str
    received: datetime
    answered: datetime | None
    answer: str  # "Usulan" / "Nihil" / "Tidak menjawab" / "Belum menjawab"
    rows: int
    days: int
    limit: int
    late: bool
    submissions: int


@dataclass(frozen=True, slots=True)
class LetterLine:
    number: str
    issued: datetime
    kind: str
    cycle: str
    step_no: int | None
    filename: str
    version: int


@dataclass(frozen=True, slots=True)
class ReportSigner:
    """A signature block under the summary: "Dibuat oleh," the petugas, "Mengetahui," the
    Kepala Dinas (jabatan, name, NIP; a name not known is a dotted blank)."""

    label: str
    jabatan: str
    name: str = ""
    nip: str = ""


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    month: str  # "2026-11"
    period: str  # "November 2026"
    org_name: str
    org_unit: str
    sop_title: str
    sop_number: str
    as_of: str  # "Senin, 30 November 2026 pukul 15.00 WITA" or "akhir bulan"
    generated: str
    started: int
    finished: int
    open: int
    cycles: Sequence[CycleLine]
    steps: Sequence[StepLine]
    step_rates: Sequence[StepRate]
    role_rates: Sequence[RoleRate]
    total: Tally
    offices: Sequence[OfficeLine]
    letters: Sequence[LetterLine]
    notes: Sequence[str]
    signers: Sequence[ReportSigner] = ()

    def summary(self) -> list[tuple[str, int | float | None]]:
        """The counts of the Ringkasan sheet, in SUMMARY_LABELS order."""
        values: list[int | float | None] = [
            self.started,
            self.finished,
            self.open,
            self.total.done,
            self.total.on_time,
            self.total.late,
            self.total.rate,
            self.total.running_late,
            len(self.letters),
        ]
        return list(zip(SUMMARY_LABELS, values, strict=True))


def build_monthly_xlsx(report: MonthlyReport) -> bytes:
    """The whole workbook, as the bytes of an .xlsx file."""
    wb = Workbook()
    _summary_sheet(wb.active, report)  # type: ignore[arg-type]
    _steps_sheet(wb.create_sheet(SHEET_STEPS), report)
    _rates_sheet(wb.create_sheet(SHEET_RATES), report)
    _offices_sheet(wb.create_sheet(SHEET_OFFICES), report)
    _letters_sheet(wb.create_sheet(SHEET_LETTERS), report)
    _notes_sheet(wb.create_sheet(SHEET_NOTES), report)
    buf = BytesIO()
    print_ready(wb)
    wb.save(buf)
    return buf.getvalue()


# --- cells ------------------------------------------------------------------------------------
def _put(ws: Worksheet, row: int, col: int, value: Any, *, fmt: str | None = None) -> None:
    """One cell: text goes through write_text_cell; numbers and dates stay typed."""
    if isinstance(value, str):
        write_text_cell(ws, row, col, value)
        return
    cell = ws.cell(row=row, column=col, value=value)
    if fmt is not None and value is not None:
        cell.number_format = fmt
    elif isinstance(value, datetime):
        cell.number_format = DATE_FORMAT


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def _header(ws: Worksheet, row: int, labels: Sequence[str]) -> None:
    for col, label in enumerate(labels, start=1):
        write_text_cell(ws, row, col, label)
        cell = ws.cell(row=row, column=col)
        cell.font = _BOLD
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


@dataclass(frozen=True, slots=True)
class _Pct:
    """A rate (0..1, or None when there is nothing to rate), shown as a percentage."""

    value: float | None


def _row(ws: Worksheet, row: int, values: Sequence[Any], *, late: bool = False) -> None:
    for col, value in enumerate(values, start=1):
        if isinstance(value, _Pct):
            _put(ws, row, col, value.value, fmt=PERCENT_FORMAT)
        else:
            _put(ws, row, col, value)
        cell = ws.cell(row=row, column=col)
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if late:
            cell.fill = _LATE_FILL


def _titles(ws: Worksheet, title: str, note: str) -> None:
    write_text_cell(ws, 1, 1, title)
    ws.cell(row=1, column=1).font = _TITLE
    write_text_cell(ws, 2, 1, note)


def _widths(ws: Worksheet, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _empty(ws: Worksheet, row: int) -> None:
    write_text_cell(ws, row, 1, NO_DATA)
    ws.cell(row=row, column=1).font = Font(italic=True)


# --- sheets -----------------------------------------------------------------------------------
def _summary_sheet(ws: Worksheet, r: MonthlyReport) -> None:
    ws.title = SHEET_SUMMARY
    write_text_cell(ws, 1, 1, f"Laporan Bulanan PPID — {r.period}")
    ws.cell(row=1, column=1).font = _TITLE
    write_text_cell(ws, 2, 1, f"SOP {r.sop_title} ({r.sop_number})")
    write_text_cell(ws, 3, 1, f"{r.org_unit}, {r.org_name}")
    info = (("Periode", r.period), ("Keadaan per", r.as_of), ("Dibuat", r.generated))
    for i, (key, text) in enumerate(info):
        write_text_cell(ws, INFO_FIRST_ROW + i, 1, key)
        ws.cell(row=INFO_FIRST_ROW + i, column=1).font = _BOLD
        write_text_cell(ws, INFO_FIRST_ROW + i, 2, text)
    _header(ws, SUMMARY_HEADER_ROW, SUMMARY_HEADER)
    for i, (label, value) in enumerate(r.summary(), start=1):
        shown = _Pct(value) if label == RATE_LABEL else value
        _row(ws, SUMMARY_HEADER_ROW + i, (label, shown))
    _header(ws, CYCLES_HEADER_ROW, CYCLES_HEADER)
    if not r.cycles:
        _empty(ws, CYCLES_HEADER_ROW + 1)
    for i, c in enumerate(r.cycles, start=1):
        _row(
            ws,
            CYCLES_HEADER_ROW + i,
            (i, c.title, c.year, c.started, c.finished, c.state, c.step),
        )
    _widths(ws, (40, 44, 10, 18, 18, 22, 48))
    _signatures(ws, CYCLES_HEADER_ROW + max(len(r.cycles), 1) + 3, r.signers)


def _signatures(ws: Worksheet, row: int, signers: Sequence[ReportSigner]) -> None:
    """The "Dibuat oleh" and "Mengetahui" blocks side by side, with room to sign."""
    for col, signer in enumerate(signers, start=1):
        lines = (signer.label, f"{signer.jabatan},", "", "", "", signer.name or "……………………")
        for offset, text in enumerate(lines, start=1):
            if text:
                write_text_cell(ws, row + offset, col, text)
        ws.cell(row=row + 6, column=col).font = Font(bold=True, underline="single")
        if signer.nip:
            write_text_cell(ws, row + 7, col, f"NIP. {signer.nip}")
        for offset in range(1, 3):
            ws.cell(row=row + offset, column=col).alignment = Alignment(wrap_text=True)


def _steps_sheet(ws: Worksheet, r: MonthlyReport) -> None:
    _titles(
        ws,
        f"Waktu per langkah — {r.period}",
        "Hari kerja penuh dari awal sampai akhir langkah; terlambat bila melebihi batas SOP "
        "(lihat lembar Catatan).",
    )
    _header(ws, HEADER_ROW, STEPS_HEADER)
    if not r.steps:
        _empty(ws, DATA_ROW)
    for i, s in enumerate(r.steps, start=1):
        values = (
            i,
            s.cycle,
            s.step_no,
            s.title,
            s.role,
            s.started,
            s.finished,
            "Selesai" if s.finished else "Berjalan",
            s.days,
            s.limit,
            s.over,
            _yes_no(s.late),
            s.attempts,
            s.rejections,
        )
        _row(ws, DATA_ROW + i - 1, values, late=s.late)
    ws.freeze_panes = ws.cell(row=DATA_ROW, column=1)
    _widths(ws, (5, 24, 9, 40, 30, 17, 17, 11, 11, 11, 11, 11, 11, 11))


def _rates_sheet(ws: Worksheet, r: MonthlyReport) -> None:
    _titles(
        ws,
        f"Ketepatan waktu — {r.period}",
        "Per langkah: langkah yang selesai pada periode ini. Per peran: setiap giliran "
        "(lihat lembar Catatan).",
    )
    _header(ws, HEADER_ROW, STEP_RATES_HEADER)
    row = DATA_ROW
    for sr in r.step_rates:
        t = sr.tally
        _row(
            ws,
            row,
            (
                sr.step_no,
                sr.title,
                sr.role,
                sr.limit,
                t.done,
                t.on_time,
                t.late,
                _Pct(t.rate),
                sr.avg_days,
                sr.max_days,
                t.running_late,
            ),
        )
        row += 1
    t = r.total
    all_days = [s.days for s in r.steps if s.finished is not None]
    _row(
        ws,
        row,
        (
            TOTAL_LABEL,
            None,
            None,
            None,
            t.done,
            t.on_time,
            t.late,
            _Pct(t.rate),
            round(sum(all_days) / len(all_days), 2) if all_days else None,
            max(all_days) if all_days else None,
            t.running_late,
        ),
    )
    for col in range(1, len(STEP_RATES_HEADER) + 1):
        ws.cell(row=row, column=col).font = _BOLD
    row += 2
    _header(ws, row, ROLE_RATES_HEADER)
    for rr in r.role_rates:
        row += 1
        t = rr.tally
        _row(ws, row, (rr.role, t.done, t.on_time, t.late, _Pct(t.rate), t.running_late))
    _widths(ws, (30, 40, 30, 12, 12, 12, 12, 12, 12, 12, 14))


def role_rates_header_row(step_count: int) -> int:
    """Where the per-role table of the Kinerja sheet starts, for a SOP of `step_count` steps."""
    return DATA_ROW + step_count + 2


def _offices_sheet(ws: Worksheet, r: MonthlyReport) -> None:
    _titles(
        ws,
        f"Usulan DIK per OPD (langkah 3) — {r.period}",
        "Dihitung dari surat diterima sampai kiriman pertama OPD, dalam hari kerja penuh.",
    )
    _header(ws, HEADER_ROW, OFFICES_HEADER)
    if not r.offices:
        _empty(ws, DATA_ROW)
    for i, o in enumerate(r.offices, start=1):
        values = (
            i,
            o.cycle,
            o.office,
            o.received,
            o.answered,
            o.answer,
            o.rows,
            o.days,
            o.limit,
            _yes_no(o.late),
            o.submissions,
        )
        _row(ws, DATA_ROW + i - 1, values, late=o.late)
    ws.freeze_panes = ws.cell(row=DATA_ROW, column=1)
    _widths(ws, (5, 24, 40, 17, 17, 16, 10, 10, 11, 11, 10))


def _letters_sheet(ws: Worksheet, r: MonthlyReport) -> None:
    _titles(
        ws,
        f"Surat keluar — {r.period}",
        "Surat bernomor yang diterbitkan bot (Buku Ekspedisi).",
    )
    _header(ws, HEADER_ROW, LETTERS_HEADER)
    if not r.letters:
        _empty(ws, DATA_ROW)
    for i, letter in enumerate(r.letters, start=1):
        values = (
            i,
            letter.number,
            letter.issued,
            letter.kind,
            letter.cycle,
            letter.step_no,
            letter.filename,
            letter.version,
        )
        _row(ws, DATA_ROW + i - 1, values)
    ws.freeze_panes = ws.cell(row=DATA_ROW, column=1)
    _widths(ws, (5, 30, 17, 36, 24, 9, 36, 8))


def _notes_sheet(ws: Worksheet, r: MonthlyReport) -> None:
    write_text_cell(ws, 1, 1, "Catatan: cara menghitung")
    ws.cell(row=1, column=1).font = _TITLE
    for i, note in enumerate(r.notes, start=3):
        write_text_cell(ws, i, 1, note)
        ws.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120
