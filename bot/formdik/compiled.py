"""The compiled Usulan DIK of all OPDs (SOP step 4), as an XLSX.

Sheet "Usulan DIK" lists every proposed item with the OPD that holds it, under the two-row
header of published DIK tables; sheet "Ringkasan OPD" says, per OPD, how many items it
proposed, or that it answered "Nihil", or that it did not answer. Every text comes from
people, so every text cell is written with :func:`bot.xlsx_safe.write_text_cell`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell


class OfficeStatus(StrEnum):
    USULAN = "usulan"
    NIHIL = "nihil"
    TIDAK_MENJAWAB = "tidak_menjawab"


STATUS_LABELS: Final[dict[OfficeStatus, str]] = {
    OfficeStatus.USULAN: "Mengusulkan",
    OfficeStatus.NIHIL: "Nihil",
    OfficeStatus.TIDAK_MENJAWAB: "Tidak menjawab",
}


@dataclass(frozen=True)
class CompiledRow:
    """One proposed item in the compiled list."""

    office: str
    informasi: str
    dasar_hukum: str
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str


@dataclass(frozen=True)
class OfficeSummary:
    """How one OPD answered the request; ``note`` is free text (e.g. when it answered)."""

    office: str
    status: OfficeStatus
    note: str = ""


SHEET_USULAN: Final = "Usulan DIK"
SHEET_SUMMARY: Final = "Ringkasan OPD"
HEADER_TOP: Final = (
    "No",
    "OPD (Penguasa Informasi)",
    "Informasi",
    "Dasar Hukum Pengecualian",
    "Konsekuensi / Pertimbangan bagi publik",
    None,
    "Jangka Waktu",
)
HEADER_SUB: Final = (None, None, None, None, "apabila dibuka", "apabila ditutup", None)
HEADER_ROW: Final = 4
DATA_START_ROW: Final = 6
SUMMARY_HEADER: Final = ("No", "OPD", "Status", "Jumlah usulan", "Keterangan")
SUMMARY_HEADER_ROW: Final = 4

_WIDTHS: Final = (6, 28, 40, 34, 40, 40, 20)
_SUMMARY_WIDTHS: Final = (6, 40, 18, 14, 40)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _title(ws: Worksheet, title: str, cycle_title: str, last_col: int) -> None:
    for row, text in ((1, title), (2, cycle_title)):
        write_text_cell(ws, row, 1, text).font = Font(bold=True, size=13 if row == 1 else 11)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def _header_cell(ws: Worksheet, row: int, col: int, text: str | None) -> None:
    cell = write_text_cell(ws, row, col, text)
    cell.font = Font(bold=True)
    cell.alignment = _CENTER
    cell.border = _BORDER
    cell.fill = _FILL


def _usulan_header(ws: Worksheet) -> None:
    sub_row = HEADER_ROW + 1
    for col, (top, sub) in enumerate(zip(HEADER_TOP, HEADER_SUB, strict=True), start=1):
        _header_cell(ws, HEADER_ROW, col, top)
        _header_cell(ws, sub_row, col, sub)
        if sub is None:
            ws.merge_cells(start_row=HEADER_ROW, start_column=col, end_row=sub_row, end_column=col)
    ws.merge_cells(start_row=HEADER_ROW, start_column=5, end_row=HEADER_ROW, end_column=6)


def _usulan_sheet(ws: Worksheet, cycle_title: str, rows: Sequence[CompiledRow]) -> None:
    ws.title = SHEET_USULAN
    _title(ws, "REKAPITULASI USULAN DAFTAR INFORMASI YANG DIKECUALIKAN", cycle_title, 7)
    _usulan_header(ws)
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    for number, item in enumerate(rows, start=1):
        row = DATA_START_ROW + number - 1
        ws.cell(row=row, column=1, value=number)
        values = (
            item.office,
            item.informasi,
            item.dasar_hukum,
            item.konsekuensi_dibuka,
            item.konsekuensi_ditutup,
            item.jangka_waktu,
        )
        for col, value in enumerate(values, start=2):
            write_text_cell(ws, row, col, value)
        for col in range(1, 8):
            cell = ws.cell(row=row, column=col)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
    if not rows:
        write_text_cell(ws, DATA_START_ROW, 1, "Tidak ada usulan dari OPD.")
        ws.merge_cells(
            start_row=DATA_START_ROW, start_column=1, end_row=DATA_START_ROW, end_column=7
        )
    ws.freeze_panes = f"A{DATA_START_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"


def summarise(
    rows: Sequence[CompiledRow], offices: Sequence[OfficeSummary]
) -> list[tuple[OfficeSummary, int]]:
    """Each OPD with its number of items: listed offices first, then any only seen in rows."""
    counts = Counter(item.office for item in rows)
    listed = [(office, counts.get(office.office, 0)) for office in offices]
    known = {office.office for office in offices}
    extra = [
        (OfficeSummary(name, OfficeStatus.USULAN), count)
        for name, count in counts.items()
        if name not in known
    ]
    return listed + extra


def _summary_sheet(
    ws: Worksheet, cycle_title: str, summary: list[tuple[OfficeSummary, int]]
) -> None:
    _title(ws, "RINGKASAN USULAN DIK PER OPD", cycle_title, len(SUMMARY_HEADER))
    for col, (name, width) in enumerate(zip(SUMMARY_HEADER, _SUMMARY_WIDTHS, strict=True), 1):
        _header_cell(ws, SUMMARY_HEADER_ROW, col, name)
        ws.column_dimensions[chr(64 + col)].width = width
    row = SUMMARY_HEADER_ROW
    for number, (office, count) in enumerate(summary, start=1):
        row += 1
        ws.cell(row=row, column=1, value=number)
        write_text_cell(ws, row, 2, office.office)
        write_text_cell(ws, row, 3, STATUS_LABELS[office.status])
        ws.cell(row=row, column=4, value=count)
        write_text_cell(ws, row, 5, office.note)
        for col in range(1, len(SUMMARY_HEADER) + 1):
            ws.cell(row=row, column=col).border = _BORDER
            ws.cell(row=row, column=col).alignment = _WRAP_TOP
    row += 1
    write_text_cell(ws, row, 2, "Jumlah").font = Font(bold=True)
    ws.cell(row=row, column=4, value=sum(count for _, count in summary)).font = Font(bold=True)
    statuses = Counter(office.status for office, _ in summary)
    for status in OfficeStatus:
        row += 1
        write_text_cell(ws, row, 2, f"OPD {STATUS_LABELS[status].lower()}")
        ws.cell(row=row, column=4, value=statuses.get(status, 0))
    ws.freeze_panes = f"A{SUMMARY_HEADER_ROW + 1}"


def build_compiled_usulan(
    *,
    cycle_title: str,
    rows: Sequence[CompiledRow],
    offices: Sequence[OfficeSummary] = (),
) -> bytes:
    """Return the XLSX bytes of the compiled Usulan DIK with its per-OPD summary sheet."""
    wb = Workbook()
    wb.properties.creator = "PPID Kota Kupang"
    wb.properties.title = "Rekapitulasi Usulan DIK"
    _usulan_sheet(wb.active, cycle_title, rows)
    _summary_sheet(wb.create_sheet(SHEET_SUMMARY), cycle_title, summarise(rows, offices))
    buf = BytesIO()
    print_ready(wb)
    wb.save(buf)
    return buf.getvalue()
