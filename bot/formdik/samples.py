"""Filled-in Form DIK files as an OPD sends them back, for the demo, the benchmark and tests.

Built from the real blank form (`build_form_dik`), so they change when the form changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import load_workbook

from bot.formdik.template import DATA_START_ROW, build_form_dik

Row = tuple[str, str, str, str, str]

SAMPLE_ROWS: list[Row] = [
    (
        "Data rekam medis pasien Puskesmas",
        "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
        "Mengungkap riwayat kesehatan pribadi pasien",
        "Melindungi hak atas rahasia pribadi pasien",
        "Tidak terbatas",
    ),
    (
        "Hasil pemeriksaan kesehatan calon pegawai",
        "Pasal 17 (h) angka 2 UU 14/2008",  # health: huruf h angka 2 (not g, akta otentik)
        "Dapat disalahgunakan untuk diskriminasi",
        "Melindungi data pribadi calon pegawai",
        "Tidak Terbatas",
    ),
    (
        "Dokumen pengadaan obat yang sedang dalam proses evaluasi",
        "Pasal 17 huruf b UU 14/2008",
        "Mengganggu persaingan usaha yang sehat",
        "Menjaga proses pengadaan yang adil",
        "Sampai penetapan pemenang",
    ),
]


def filled_form(office: str, rows: Sequence[Row], *, cycle_title: str = "DIK 2026") -> bytes:
    """The blank Form DIK of `office`, with `rows` typed in as an OPD would."""
    blank = build_form_dik(
        office_name=office, cycle_title=cycle_title, deadline_text="7 Desember 2026"
    )
    wb = load_workbook(BytesIO(blank))
    ws = wb["Form DIK"]
    for i, row in enumerate(rows):
        ws.cell(DATA_START_ROW + i, 1, i + 1)
        for col, value in enumerate(row, start=2):
            ws.cell(DATA_START_ROW + i, col, value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
