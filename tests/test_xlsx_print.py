"""Every generated workbook prints: A4, landscape where wide, one page wide, header rows
repeated, wrapped rows tall enough; the Form DIK's header cannot be typed over."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment

from bot.formdik.analysis import AnalysisItemIn, build_analysis_sheet
from bot.formdik.compiled import CompiledRow, OfficeStatus, OfficeSummary, build_compiled_usulan
from bot.formdik.template import DATA_START_ROW, HEADER_ROW, build_form_dik
from bot.xlsx_print import print_ready, wrapped_height

LONG = "Konsekuensi apabila informasi dibuka kepada publik dapat merugikan pihak tertentu. " * 4


def _workbooks() -> dict[str, bytes]:
    rows = [CompiledRow("Dinas Kesehatan", "Rekam medis", "Pasal 17 huruf h", LONG, LONG, "Tidak")]
    return {
        "form_dik": build_form_dik(
            office_name="Dinas Kesehatan", cycle_title="DIK 2026", deadline_text="Senin"
        ),
        "usulan": build_compiled_usulan(
            cycle_title="DIK 2026",
            rows=rows,
            offices=[OfficeSummary("Dinas Kesehatan", OfficeStatus.USULAN)],
        ),
        "lembar_analisa": build_analysis_sheet(
            cycle_title="DIK 2026",
            items=[
                AnalysisItemIn(
                    item_id=1,
                    no=1,
                    opd="Dinas Kesehatan",
                    informasi="Rekam medis",
                    dasar_hukum="Pasal 17 huruf h angka 2",
                    konsekuensi_dibuka=LONG,
                    konsekuensi_ditutup=LONG,
                    jangka_waktu="Tidak terbatas",
                )
            ],
        ),
    }


@pytest.mark.parametrize("name", ["form_dik", "usulan", "lembar_analisa"])
def test_every_sheet_prints_on_a4_one_page_wide(name: str) -> None:
    wb = load_workbook(io.BytesIO(_workbooks()[name]))
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), (name, ws.title)
        assert ws.sheet_properties.pageSetUpPr.fitToPage, (name, ws.title)
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, (name, ws.title)
    first = wb.worksheets[0]
    assert first.page_setup.orientation == "landscape"
    assert first.print_title_rows, name


def test_form_dik_header_is_protected_and_rows_to_fill_are_not() -> None:
    wb = load_workbook(io.BytesIO(_workbooks()["form_dik"]))
    ws = wb.worksheets[0]
    assert ws.protection.sheet
    assert ws.cell(HEADER_ROW, 2).protection.locked
    assert ws.cell(1, 1).protection.locked
    for column in range(1, ws.max_column + 1):
        letter = ws.cell(DATA_START_ROW, column).column_letter
        assert ws.column_dimensions[letter].protection.locked is False, letter
    # Rows may still be resized and columns widened.
    assert ws.protection.formatRows is False and ws.protection.formatColumns is False


def test_print_ready_orients_repeats_and_fits_wrapped_rows() -> None:
    wb = Workbook()
    narrow = wb.active
    narrow.append(["No", "Nama"])
    wide = wb.create_sheet("Lebar")
    for col in "ABCDEFG":
        wide.column_dimensions[col].width = 20
    wide.append(["Judul"])
    wide.append(["No", "Informasi"])
    wide.append([1, LONG])
    wide["B3"].alignment = Alignment(wrap_text=True)
    wide.freeze_panes = "A3"
    print_ready(wb)
    assert narrow.page_setup.orientation == "portrait"
    assert wide.page_setup.orientation == "landscape"
    assert wide.print_title_rows in ("2:2", "$2:$2")
    height = wide.row_dimensions[3].height
    assert height is not None and height >= wrapped_height(LONG, 20) > 15 * 4
    assert wide.oddFooter.center.text == "Halaman &P dari &N"
