"""The public DIK as an XLSX: one sheet, a title block, then one row per item.

Every text comes from people, so every text cell goes through
:func:`bot.xlsx_safe.write_text_cell` (never a formula). The header row has an autofilter, so a
reader can filter by OPD in a spreadsheet as on the web page.
"""

from __future__ import annotations

from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot import tanggal
from bot.publish.model import PublicDik
from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell

SHEET: Final = "DIK"
HEADER: Final = (
    "No",
    "Kode OPD",
    "OPD (Penguasa Informasi)",
    "Informasi",
    "Dasar Hukum Pengecualian",
    "Konsekuensi apabila dibuka",
    "Pertimbangan apabila ditutup",
    "Jangka Waktu",
    "Berakhir",
    "Keputusan",
    "Bagian yang dihitamkan",
)
HEADER_ROW: Final = 5
DATA_START_ROW: Final = HEADER_ROW + 1
_WIDTHS: Final = (6, 12, 28, 44, 34, 36, 36, 18, 13, 20, 30)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_sheet(dik: PublicDik) -> bytes:
    """The XLSX bytes of the published list."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    wb.properties.title = f"Daftar Informasi yang Dikecualikan Tahun {dik.tahun}"
    wb.properties.creator = f"PPID {dik.ppid}"
    write_text_cell(ws, 1, 1, wb.properties.title.upper()).font = Font(bold=True, size=13)
    write_text_cell(ws, 2, 1, f"{dik.badan_publik} · PPID {dik.ppid}")
    sk = f"Ditetapkan dengan {dik.sk.text(dik.title_walikota)} ({dik.sk.siklus})"
    write_text_cell(ws, 3, 1, sk)
    updated = tanggal.format_tanggal(dik.generated_at.date())
    write_text_cell(ws, 4, 1, f"Diperbarui {updated} · {len(dik.items)} informasi")
    for col, label in enumerate(HEADER, start=1):
        cell = write_text_cell(ws, HEADER_ROW, col, label)
        cell.font = Font(bold=True)
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, item in enumerate(dik.items, start=DATA_START_ROW):
        values = (
            item.opd_kode,
            item.opd,
            item.informasi,
            item.dasar_hukum,
            item.konsekuensi_dibuka,
            item.konsekuensi_ditutup,
            item.jangka_waktu,
        )
        ws.cell(r, 1, item.no)
        for col, value in enumerate(values, start=2):
            write_text_cell(ws, r, col, value)
        if item.berakhir is not None:
            ws.cell(r, 9, item.berakhir).number_format = "DD-MM-YYYY"
        write_text_cell(ws, r, 10, item.keputusan_label)
        write_text_cell(ws, r, 11, item.bagian_dihitamkan)
        for col in range(1, len(HEADER) + 1):
            ws.cell(r, col).border = _BORDER
            ws.cell(r, col).alignment = _WRAP
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last = get_column_letter(len(HEADER))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW, HEADER_ROW + len(dik.items))}"
    ws.freeze_panes = ws.cell(DATA_START_ROW, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    buf = BytesIO()
    print_ready(wb)
    wb.save(buf)
    return buf.getvalue()
