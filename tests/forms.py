"""Filled-in Form DIK files, as OPDs send them, built from the real blank form."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.formdik.template import DATA_START_ROW, build_form_dik

DINKES_ROWS = [
    (
        "Data rekam medis pasien Puskesmas",
        "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
        "Mengungkap riwayat kesehatan pribadi pasien",
        "Melindungi hak atas rahasia pribadi pasien",
        "Tidak terbatas",
    ),
    (
        "Hasil pemeriksaan kesehatan calon pegawai",
        "Pasal 17 (g), (h) angka 2 UU 14/2008",
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


def filled_form(office: str, rows: list[tuple[str, str, str, str, str]]) -> bytes:
    """The blank Form DIK of `office`, with `rows` typed in as an OPD would."""
    wb = load_workbook(
        BytesIO(
            build_form_dik(
                office_name=office, cycle_title="DIK 2026", deadline_text="7 Desember 2026"
            )
        )
    )
    ws = wb["Form DIK"]
    for i, row in enumerate(rows):
        r = DATA_START_ROW + i
        ws.cell(r, 1, i + 1)
        for col, value in enumerate(row, start=2):
            ws.cell(r, col, value)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
