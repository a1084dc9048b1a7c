"""The compiled Daftar Informasi Publik of every OPD, as an XLSX: by OPD, by jenis, and a
summary per OPD. Every text comes from people and is written as text, never as a formula."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.formdip.model import JENIS_KEYS, JENIS_PASAL, JENIS_TITLES, DipRow
from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell


class DipOfficeStatus(StrEnum):
    DIPERBARUI = "diperbarui"
    TIDAK_BERUBAH = "tidak_berubah"
    TIDAK_MENJAWAB = "tidak_menjawab"


STATUS_LABELS: Final[dict[DipOfficeStatus, str]] = {
    DipOfficeStatus.DIPERBARUI: "Diperbarui",
    DipOfficeStatus.TIDAK_BERUBAH: "Tidak ada perubahan",
    DipOfficeStatus.TIDAK_MENJAWAB: "Tidak menjawab (DIP yang berlaku tetap)",
}


@dataclass(frozen=True, slots=True)
class CompiledDipRow:
    office: str
    row: DipRow


@dataclass(frozen=True, slots=True)
class DipOfficeSummary:
    office: str
    status: DipOfficeStatus
    note: str = ""


SHEET_OPD: Final = "DIP per OPD"
SHEET_JENIS: Final = "DIP per Jenis"
SHEET_SUMMARY: Final = "Ringkasan OPD"
HEADER_ROW: Final = 4
COLUMNS: Final = (
    ("No", 6),
    ("OPD", 26),
    ("Ringkasan Isi Informasi", 40),
    ("Pejabat/Unit yang Menguasai Informasi", 26),
    ("Penanggung Jawab Pembuatan/Penerbitan", 26),
    ("Waktu dan Tempat Pembuatan", 22),
    ("Bentuk Informasi", 16),
    ("Retensi Arsip", 16),
    ("Jenis Informasi", 24),
)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _title(ws: Worksheet, title: str, subtitle: str, last_col: int) -> None:
    for row, text in ((1, title), (2, subtitle)):
        write_text_cell(ws, row, 1, text).font = Font(bold=True, size=13 if row == 1 else 11)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def _header(ws: Worksheet, names: Sequence[tuple[str, float]]) -> None:
    for col, (name, width) in enumerate(names, start=1):
        cell = write_text_cell(ws, HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.alignment = _CENTER
        cell.border = _BORDER
        cell.fill = _FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _group_row(ws: Worksheet, row: int, text: str) -> None:
    cell = write_text_cell(ws, row, 1, text)
    cell.font = Font(bold=True)
    cell.fill = _GROUP_FILL
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))


def _item_row(ws: Worksheet, row: int, no: int, item: CompiledDipRow) -> None:
    ws.cell(row=row, column=1, value=no)
    r = item.row
    values = (
        item.office,
        r.ringkasan,
        r.pejabat,
        r.penanggung_jawab,
        r.waktu_tempat,
        r.bentuk_label,
        r.retensi,
        f"{r.jenis_label} ({JENIS_PASAL[r.jenis]})",
    )
    for col, value in enumerate(values, start=2):
        write_text_cell(ws, row, col, value)
    for col in range(1, len(COLUMNS) + 1):
        ws.cell(row=row, column=col).alignment = _WRAP_TOP
        ws.cell(row=row, column=col).border = _BORDER


def _grouped(ws: Worksheet, groups: list[tuple[str, list[CompiledDipRow]]]) -> None:
    row = HEADER_ROW
    for label, members in groups:
        row += 1
        _group_row(ws, row, f"{label} ({len(members)} informasi)")
        for no, item in enumerate(members, start=1):
            row += 1
            _item_row(ws, row, no, item)
    if not groups:
        write_text_cell(ws, row + 1, 1, "Tidak ada informasi dalam daftar.")


def by_office(rows: Sequence[CompiledDipRow]) -> list[tuple[str, list[CompiledDipRow]]]:
    groups: dict[str, list[CompiledDipRow]] = {}
    for item in rows:
        groups.setdefault(item.office, []).append(item)
    return list(groups.items())


def by_jenis(rows: Sequence[CompiledDipRow]) -> list[tuple[str, list[CompiledDipRow]]]:
    """Groups in the law's order (Pasal 9, 10, 11); within one, the OPDs in their order."""
    out = []
    for key in JENIS_KEYS:
        members = [item for item in rows if item.row.jenis == key]
        if members:
            out.append((f"{JENIS_TITLES[key]} ({JENIS_PASAL[key]} UU 14/2008)", members))
    return out


def _summary(
    ws: Worksheet, title: str, rows: Sequence[CompiledDipRow], offices: Sequence[DipOfficeSummary]
) -> None:
    names = [("No", 6), ("OPD", 36), ("Status", 30)]
    names += [(f"{JENIS_PASAL[k]}", 12) for k in JENIS_KEYS] + [("Jumlah", 10), ("Keterangan", 30)]
    _title(ws, "RINGKASAN DAFTAR INFORMASI PUBLIK PER OPD", title, len(names))
    _header(ws, names)
    listed = list(offices) + [
        DipOfficeSummary(name, DipOfficeStatus.DIPERBARUI)
        for name in dict.fromkeys(i.office for i in rows)
        if name not in {o.office for o in offices}
    ]
    for no, office in enumerate(listed, start=1):
        r = HEADER_ROW + no
        own = [i.row for i in rows if i.office == office.office]
        ws.cell(row=r, column=1, value=no)
        write_text_cell(ws, r, 2, office.office)
        write_text_cell(ws, r, 3, STATUS_LABELS[office.status])
        for col, key in enumerate(JENIS_KEYS, start=4):
            ws.cell(row=r, column=col, value=sum(1 for x in own if x.jenis == key))
        ws.cell(row=r, column=4 + len(JENIS_KEYS), value=len(own))
        write_text_cell(ws, r, 5 + len(JENIS_KEYS), office.note)
        for col in range(1, len(names) + 1):
            ws.cell(row=r, column=col).border = _BORDER
            ws.cell(row=r, column=col).alignment = _WRAP_TOP
    total = HEADER_ROW + len(listed) + 1
    write_text_cell(ws, total, 2, "Jumlah").font = Font(bold=True)
    for col, key in enumerate(JENIS_KEYS, start=4):
        ws.cell(row=total, column=col, value=sum(1 for i in rows if i.row.jenis == key))
    ws.cell(row=total, column=4 + len(JENIS_KEYS), value=len(rows)).font = Font(bold=True)


def build_compiled_dip(
    *,
    title: str,
    rows: Sequence[CompiledDipRow],
    offices: Sequence[DipOfficeSummary] = (),
) -> bytes:
    """The XLSX bytes of the compiled DIP: "DIP per OPD", "DIP per Jenis", "Ringkasan OPD"."""
    wb = Workbook()
    wb.properties.creator = "PPID Kota Kupang"
    wb.properties.title = "Daftar Informasi Publik"
    ws = wb.active
    ws.title = SHEET_OPD
    _title(ws, "DAFTAR INFORMASI PUBLIK (PER PERANGKAT DAERAH)", title, len(COLUMNS))
    _header(ws, COLUMNS)
    _grouped(ws, by_office(rows))
    ws2 = wb.create_sheet(SHEET_JENIS)
    _title(ws2, "DAFTAR INFORMASI PUBLIK (PER JENIS INFORMASI)", title, len(COLUMNS))
    _header(ws2, COLUMNS)
    _grouped(ws2, by_jenis(rows))
    _summary(wb.create_sheet(SHEET_SUMMARY), title, rows, offices)
    for sheet in wb.worksheets:
        sheet.page_setup.orientation = "landscape"
    print_ready(wb)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
