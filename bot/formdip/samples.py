"""Filled-in Form DIP files as an OPD sends them back, for the demo, the benchmark and tests.

Built from the real form (`build_form_dip`, pre-filled with the OPD's list in force), so they
change when the form changes: the rows in force stay (edited where ``edits`` says), new rows
are typed below them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO

from openpyxl import load_workbook

from bot.formdip.model import BENTUK_CHOICES, DipRow, jenis_choice
from bot.formdip.template import DATA_START_ROW, SHEET_FORM, build_form_dip

SAMPLE_DIP_ROWS: list[DipRow] = [
    DipRow(
        "Laporan Keuangan Tahunan Dinas",
        "Sub Bagian Keuangan",
        "Sekretaris Dinas",
        "Setiap tahun, Sekretariat Dinas",
        ("cetak", "elektronik"),
        "10 tahun",
        "berkala",
    ),
    DipRow(
        "Peringatan dini kejadian luar biasa penyakit menular",
        "Bidang Pencegahan dan Pengendalian Penyakit",
        "Kepala Bidang P2P",
        "Saat terjadi, Dinas Kesehatan",
        ("elektronik",),
        "5 tahun",
        "serta_merta",
    ),
    DipRow(
        "Standar Operasional Prosedur pelayanan",
        "Sekretariat",
        "Sekretaris Dinas",
        "Saat ditetapkan, Sekretariat Dinas",
        ("cetak", "elektronik"),
        "Selama berlaku",
        "setiap_saat",
    ),
]


def filled_form_dip(
    office: str,
    new_rows: Sequence[DipRow],
    *,
    in_force: Sequence[DipRow] = (),
    edits: Mapping[int, Mapping[int, str]] | None = None,
    cycle_title: str = "DIP 2026",
) -> bytes:
    """The OPD's pre-filled form with ``edits`` ({row index: {column: text}}) applied to the
    rows in force and ``new_rows`` typed under them."""
    wb = load_workbook(
        BytesIO(
            build_form_dip(
                office_name=office,
                cycle_title=cycle_title,
                deadline_text="7 Desember 2026",
                rows=in_force,
            )
        )
    )
    ws = wb[SHEET_FORM]
    for index, changes in (edits or {}).items():
        for col, text in changes.items():
            ws.cell(DATA_START_ROW + index, col).value = text
    start = DATA_START_ROW + len(in_force)
    for i, row in enumerate(new_rows):
        values = (
            len(in_force) + i + 1,
            row.ringkasan,
            row.pejabat,
            row.penanggung_jawab,
            row.waktu_tempat,
            BENTUK_CHOICES[row.bentuk],
            row.retensi,
            jenis_choice(row.jenis),
        )
        for col, value in enumerate(values, start=1):
            ws.cell(start + i, col).value = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
