"""The public DIP as an XLSX: a title block, then one row per item, with an autofilter (by
OPD and by jenis, as on the web page). Every text is written as text, never as a formula."""

from __future__ import annotations

from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot import tanggal
from bot.publish.dip_model import PublicDip
from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell

SHEET: Final = "DIP"
HEADER: Final = (
    "No",
    "Kode OPD",
    "OPD",
    "Ringkasan Isi Informasi",
    "Pejabat/Unit yang Menguasai Informasi",
    "Penanggung Jawab Pembuatan/Penerbitan",
    "Waktu dan Tempat Pembuatan",
    "Bentuk Informasi",
    "Retensi Arsip",
    "Jenis Informasi",
)
HEADER_ROW: Final = 5
DATA_START_ROW: Final = HEADER_ROW + 1
_WIDTHS: Final = (6, 12, 26, 44, 28, 28, 24, 18, 16, 26)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_dip_sheet(dip: PublicDip) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    wb.properties.title = dip.judul
    wb.properties.creator = f"PPID {dip.ppid}"
    write_text_cell(ws, 1, 1, dip.judul.upper()).font = Font(bold=True, size=13)
    write_text_cell(ws, 2, 1, f"{dip.badan_publik} · PPID {dip.ppid}")
    write_text_cell(ws, 3, 1, f"Ditetapkan dengan {dip.keputusan.text()} ({dip.keputusan.siklus})")
    updated = tanggal.format_tanggal(dip.generated_at.date())
    write_text_cell(ws, 4, 1, f"Diperbarui {updated} · {len(dip.items)} informasi")
    for col, label in enumerate(HEADER, start=1):
        cell = write_text_cell(ws, HEADER_ROW, col, label)
        cell.font = Font(bold=True)
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, item in enumerate(dip.items, start=DATA_START_ROW):
        row = item.row
        ws.cell(r, 1, item.no)
        values = (
            item.opd_kode,
            item.opd,
            row.ringkasan,
            row.pejabat,
            row.penanggung_jawab,
            row.waktu_tempat,
            row.bentuk_label,
            row.retensi,
            item.jenis_label,
        )
        for col, value in enumerate(values, start=2):
            write_text_cell(ws, r, col, value)
        for col in range(1, len(HEADER) + 1):
            ws.cell(r, col).border = _BORDER
            ws.cell(r, col).alignment = _WRAP
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last = get_column_letter(len(HEADER))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW, HEADER_ROW + len(dip.items))}"
    ws.freeze_panes = ws.cell(DATA_START_ROW, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    print_ready(wb)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
