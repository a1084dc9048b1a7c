"""Form DIK round trip: build the form, fill it as an OPD would, read it back; the compiled
Usulan DIK; text that looks like a formula stays text."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.formdik import (
    HEADER,
    SYNONYMS,
    CompiledRow,
    OfficeStatus,
    OfficeSummary,
    build_compiled_usulan,
    build_form_dik,
    classify_header,
    read_form_dik,
)
from bot.formdik.reader import Problem
from bot.formdik.template import DATA_START_ROW, HEADER_ROW
from bot.pasal17 import GROUNDS, Basis
from bot.xlsx_safe import safe_text, write_text_cell


def _form() -> bytes:
    return build_form_dik(
        office_name="Dinas Kesehatan Kota Kupang",
        cycle_title="Usulan DIK Tahun 2025",
        deadline_text="Jumat, 14 Maret 2025",
        label_ppid="PPID Pelaksana",
    )


def _fill(rows: Sequence[Sequence[Any]], start: int = DATA_START_ROW) -> bytes:
    """Fill the bot's form the way an OPD does in Excel, and save it."""
    wb = load_workbook(BytesIO(_form()))
    ws = wb["Form DIK"]
    for r, values in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _table(
    rows: Sequence[Sequence[Any]], edit: Callable[[Worksheet], None] | None = None
) -> bytes:
    """A workbook of the OPD's own making (an old DIK table)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DIK 2023"
    for values in rows:
        ws.append(list(values))
    if edit:
        edit(ws)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The blank form


def test_form_sheets_title_block_and_header() -> None:
    wb = load_workbook(BytesIO(_form()))
    assert wb.sheetnames == ["Form DIK", "Petunjuk", "Referensi"]
    ws = wb["Form DIK"]
    assert ws.sheet_state == "visible"
    assert wb["Petunjuk"].sheet_state == "visible"
    assert wb["Referensi"].sheet_state == "hidden"
    titles = [ws.cell(row=r, column=1).value for r in range(1, HEADER_ROW)]
    assert "PPID Pelaksana: Dinas Kesehatan Kota Kupang" in titles
    assert "Siklus: Usulan DIK Tahun 2025" in titles
    assert "Batas waktu pengisian: Jumat, 14 Maret 2025" in titles
    header = tuple(ws.cell(row=HEADER_ROW, column=c).value for c in range(1, len(HEADER) + 1))
    assert header == HEADER
    assert header[:6] == (
        "No",
        "Informasi",
        "Dasar Hukum Pengecualian",
        "Konsekuensi apabila dibuka",
        "Konsekuensi apabila ditutup",
        "Jangka Waktu",
    )
    assert ws.freeze_panes == f"A{DATA_START_ROW}"
    assert ws.column_dimensions["B"].width >= 30
    assert ws.cell(row=HEADER_ROW, column=2).alignment.wrap_text
    assert ws.column_dimensions["B"].alignment.wrap_text


def test_form_drop_downs_point_to_hidden_reference_sheet() -> None:
    wb = load_workbook(BytesIO(_form()))
    ws = wb["Form DIK"]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    huruf = validations[f"G{DATA_START_ROW}:G{DATA_START_ROW + 999}"]
    angka = validations[f"H{DATA_START_ROW}:H{DATA_START_ROW + 999}"]
    assert huruf.type == angka.type == "list"
    ref = wb["Referensi"]
    for dv in (huruf, angka):
        destination = dict(wb.defined_names[dv.formula1].destinations)
        assert list(destination) == ["Referensi"]
    huruf_range = dict(wb.defined_names[huruf.formula1].destinations)["Referensi"]
    choices = [row[0].value for row in ref[huruf_range.replace("$", "")]]
    assert choices == [g.label for g in GROUNDS.values()]
    angka_range = dict(wb.defined_names[angka.formula1].destinations)["Referensi"]
    assert [row[0].value for row in ref[angka_range.replace("$", "")]] == list(range(1, 8))
    points = {(r[4], r[5]) for r in ref.iter_rows(min_row=2, values_only=True) if r[5]}
    assert ("h", 5) in points and ("c", 7) in points and ("b", 1) not in points


def test_petunjuk_is_indonesian_and_lists_grounds() -> None:
    wb = load_workbook(BytesIO(_form()))
    texts = " ".join(
        str(v) for row in wb["Petunjuk"].iter_rows(values_only=True) for v in row if v
    )
    assert "PETUNJUK PENGISIAN FORM DIK" in texts
    assert "Nihil" in texts and "Jumat, 14 Maret 2025" in texts
    assert GROUNDS["h"].points[1] in texts


def test_synonyms_are_accepted_by_the_reader() -> None:
    for field, names in SYNONYMS.items():
        for name in names:
            assert classify_header(name) == field, name
    assert classify_header("OPD (Penguasa Informasi)") is None
    assert classify_header("Keterangan") is None


# ---------------------------------------------------------------------------------------------
# Filled by an OPD

MESSY_ROWS: list[tuple[Any, ...]] = [
    ("1", "KEPEGAWAIAN"),  # group heading
    (
        "1.a",
        "Data rekam medis pasien\n(termasuk hasil laboratorium)",
        "Pasal 17 huruf h angka 2 UU 14/2008",
        "Mengungkap riwayat kesehatan pasien",
        "Melindungi privasi pasien",
        "Tidak Terbatas",
    ),
    (
        "1.b",
        "  Daftar gaji pegawai  ",
        "UU No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
        "Mengungkap kondisi keuangan seseorang",
        None,
        "5 tahun setelah pegawai pensiun",
        "h. Mengungkap rahasia pribadi",
        3,
    ),
    (None, None, None, None, None, None),  # blank row
    (
        2,
        'Berita acara pemeriksaan "kasus X"',
        "Pasal 17 (a), (h) angka 2",
        "Menghambat penyidikan",
        "Proses hukum berjalan",
        "Tidak terbatas",
    ),
    (
        3,
        "Surat keterangan sakit pegawai",
        "Pasal 17 huruf j UU 14/2008 jo. UU Nomor 36 Tahun 2009 tentang Kesehatan",
        "Melanggar kerahasiaan pasien",
        "",
        "Permanen atau terbuka apabila mendapat persetujuan tertulis dari yang bersangkutan",
    ),
    (
        4,
        "Memo internal rapat pimpinan",
        "Pasal 17 huruf g (stabilitas ekonomi)",
        "-",
        "+ menjaga kelancaran",
        "20 Tahun",
        "i. Memorandum atau surat antar/intra Badan Publik yang menurut sifatnya dirahasiakan",
    ),
]


def test_read_filled_form() -> None:
    result = read_form_dik(_fill(MESSY_ROWS))
    assert result.problems == ()
    assert result.sheet_name == "Form DIK"
    assert [r.source_row for r in result.rows] == [9, 10, 12, 13, 14]
    first, second, third, fourth, fifth = result.rows
    assert first.informasi == "Data rekam medis pasien\n(termasuk hasil laboratorium)"
    assert first.bases == (Basis("h", 2),)
    assert first.dasar_hukum == "Pasal 17 huruf h angka 2 UU 14/2008"
    assert first.konsekuensi_ditutup == "Melindungi privasi pasien"
    assert first.jangka_waktu == "Tidak Terbatas"
    # no letter in the text: the drop-down columns complete it
    assert second.informasi == "Daftar gaji pegawai"
    assert second.bases == (Basis("h", 3),)
    assert second.dasar_hukum == "UU No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
    assert second.konsekuensi_ditutup == ""
    assert third.bases == (Basis("a"), Basis("h", 2))
    assert third.informasi == 'Berita acara pemeriksaan "kasus X"'
    assert fourth.bases == (Basis("j"),)
    assert fourth.other_law == "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan"
    assert fourth.jangka_waktu.startswith("Permanen atau terbuka")
    # the drop-down overrides a text that names another letter (with a warning)
    assert fifth.bases == (Basis("i"),)
    assert fifth.konsekuensi_dibuka == "-"
    assert fifth.konsekuensi_ditutup == "+ menjaga kelancaran"
    warnings = [str(w) for w in result.warnings]
    assert 'Baris 8: dianggap judul kelompok ("KEPEGAWAIAN") dan tidak disimpan' in warnings
    assert any(
        w.startswith("Baris 12, kolom Jangka Waktu: pengecualian huruf a") for w in warnings
    )
    assert any(w.startswith("Baris 14, kolom Pasal 17 huruf: berbeda") for w in warnings)
    assert any(
        w.startswith("Baris 14, kolom Dasar Hukum Pengecualian: Keterangan") for w in warnings
    )


def test_old_table_with_two_row_header_and_column_numbers() -> None:
    def merge(ws: Worksheet) -> None:
        ws.merge_cells("D3:E3")
        for col in "ABCF":
            ws.merge_cells(f"{col}3:{col}4")

    data = _table(
        [
            ("DAFTAR INFORMASI YANG DIKECUALIKAN",),
            ("Dinas Kependudukan dan Pencatatan Sipil",),
            (
                "No",
                "Informasi yang Dikecualikan",
                "Dasar Hukum",
                "Konsekuensi/Pertimbangan bagi publik",
                None,
                "Jangka Waktu Pengecualian",
            ),
            (None, None, None, "apabila dibuka", "apabila ditutup", None),
            (1, 2, 3, 4, 5, 6),
            ("1", "Dokumen kependudukan", None, None, None, None),
            (
                "1.a",
                "Data KTP elektronik",
                "Pasal 17 huruf h angka 1 UU 14/2008 dan UU 24/2013 Pasal 79",
                "Penyalahgunaan data",
                "Data terlindungi",
                "Tidak terbatas",
            ),
        ],
        merge,
    )
    result = read_form_dik(data)
    assert result.problems == ()
    (row,) = result.rows
    assert row.source_row == 7
    assert row.bases == (Basis("h", 1),)
    assert (row.konsekuensi_dibuka, row.konsekuensi_ditutup) == (
        "Penyalahgunaan data",
        "Data terlindungi",
    )
    assert [str(w) for w in result.warnings] == [
        'Baris 6: dianggap judul kelompok ("Dokumen kependudukan") dan tidak disimpan'
    ]


def test_one_consequence_column_and_manfaat_header() -> None:
    combined = _table(
        [
            (
                "No",
                "Informasi",
                "Dasar Hukum Pengecualian",
                "Konsekuensi/Pertimbangan",
                "Jangka Waktu",
            ),
            (
                1,
                "Hasil seleksi CPNS per peserta",
                "Pasal 17 huruf h angka 4",
                "Apabila dibuka mengungkap kemampuan seseorang. "
                "Apabila ditutup hak peserta terjaga.",
                "5 Tahun",
            ),
        ]
    )
    (row,) = read_form_dik(combined).rows
    assert row.konsekuensi_dibuka == "Apabila dibuka mengungkap kemampuan seseorang."
    assert row.konsekuensi_ditutup == "Apabila ditutup hak peserta terjaga."

    manfaat = _table(
        [
            ("No.", "Informasi", "Dasar Hukum", "Manfaat bila informasi ditutup", "Jangka Waktu"),
            (1, "Sandi jaringan", "Pasal 17 huruf c angka 6", "Sistem aman", "Tidak terbatas"),
        ]
    )
    (row,) = read_form_dik(manfaat).rows
    assert (row.konsekuensi_dibuka, row.konsekuensi_ditutup) == ("", "Sistem aman")


def test_openpyxl_extension_warnings_are_handled() -> None:
    """Excel stores drop-downs to another sheet as an x14 extension; openpyxl warns about it."""
    data = _fill([(1, "Info", "Pasal 17 huruf h angka 2", "buka", "tutup", "5 tahun")])
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="0"/></ext></extLst></worksheet>'
    )
    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</worksheet>", ext)
            dst.writestr(info.filename, body)
    result = read_form_dik(out.getvalue())  # filterwarnings=error would fail on a leak
    assert result.problems == () and len(result.rows) == 1


def test_problem_str() -> None:
    assert str(Problem(7, "Dasar Hukum", "kosong")) == "Baris 7, kolom Dasar Hukum: kosong"
    assert str(Problem(7, None, "x")) == "Baris 7: x"
    assert str(Problem(None, "Jangka Waktu", "x")) == "Kolom Jangka Waktu: x"
    assert str(Problem(None, None, "x")) == "x"


# ---------------------------------------------------------------------------------------------
# A large form (its speed is measured by `make bench`, not asserted here)


def test_reader_reads_a_thousand_rows() -> None:
    cells = [c for c in (
        "Pasal 17 huruf h angka 2 UU 14/2008",
        "Pasal 17 huruf g dan huruf h angka 1 Undang-Undang Nomor 14 Tahun 2008",
        "UU 44/2009 tentang Rumah Sakit Pasal 32 huruf i; UU 14/2008 Pasal 17 huruf h angka 2",
        "Pasal 17 (a), (h) angka 3",
        "Pasal 17 huruf c angka 1 s.d. 3 UU KIP",
    )]  # fmt: skip
    rows = [
        (
            n,
            f"Dokumen rekam medis pasien nomor {n} beserta lampiran hasil pemeriksaan",
            cells[n % len(cells)] + ("" if n % 3 else f" (berkas {n})"),
            f"Dapat mengungkap rahasia pribadi pasien {n} dan merugikan yang bersangkutan",
            f"Melindungi hak privasi pasien {n}",
            "Tidak terbatas",
        )
        for n in range(1, 1001)
    ]
    result = read_form_dik(_fill(rows))
    assert len(result.rows) == 1000 and result.problems == ()
    assert result.rows[-1].informasi.endswith("nomor 1000 beserta lampiran hasil pemeriksaan")


# ---------------------------------------------------------------------------------------------
# The compiled Usulan DIK, and formula-looking text


TRICKY = ['=HYPERLINK("http://x","klik")', "+62 812 3456", "-", "@SUM(A1)", "\tTab", "=1+1"]


def test_write_text_cell_keeps_formula_looking_text_as_text() -> None:
    wb = Workbook()
    ws = wb.active
    for row, text in enumerate(TRICKY, start=1):
        write_text_cell(ws, row, 1, text)
    write_text_cell(ws, len(TRICKY) + 1, 1, "bad\x00char\x07s")
    buf = BytesIO()
    wb.save(buf)
    xml = zipfile.ZipFile(BytesIO(buf.getvalue())).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    ws2 = load_workbook(BytesIO(buf.getvalue())).active
    for row, text in enumerate(TRICKY, start=1):
        cell = ws2.cell(row=row, column=1)
        assert (cell.value, cell.data_type) == (text, "s")
    assert ws2.cell(row=1, column=1).quotePrefix
    assert ws2.cell(row=len(TRICKY) + 1, column=1).value == "badchars"
    assert safe_text(None) == "" and safe_text(12) == "12"
    assert len(safe_text("x" * 40_000)) == 32_767


def _compiled() -> bytes:
    rows = [
        CompiledRow(
            "Dinas Kesehatan",
            "Rekam medis pasien",
            "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
            "Mengungkap riwayat kesehatan",
            "Privasi terlindungi",
            "Tidak terbatas",
        ),
        CompiledRow("Dinas Kesehatan", TRICKY[0], "Pasal 17 huruf i", TRICKY[1], TRICKY[2], "5"),
        CompiledRow(
            "BKPSDM", "Hasil asesmen pegawai", "Pasal 17 huruf h angka 4", TRICKY[3], "", "5 tahun"
        ),
    ]
    offices = [
        OfficeSummary("Dinas Kesehatan", OfficeStatus.USULAN, "dikirim 12-03-2025"),
        OfficeSummary("Kecamatan Oebobo", OfficeStatus.NIHIL),
        OfficeSummary("Kelurahan Fatululi", OfficeStatus.TIDAK_MENJAWAB),
    ]
    return build_compiled_usulan(cycle_title="Usulan DIK Tahun 2025", rows=rows, offices=offices)


def test_compiled_usulan_cell_by_cell() -> None:
    wb = load_workbook(BytesIO(_compiled()))
    assert wb.sheetnames == ["Usulan DIK", "Ringkasan OPD"]
    ws = wb["Usulan DIK"]
    assert ws["A1"].value == "REKAPITULASI USULAN DAFTAR INFORMASI YANG DIKECUALIKAN"
    assert ws["A2"].value == "Usulan DIK Tahun 2025"
    assert [ws.cell(row=4, column=c).value for c in range(1, 8)] == [
        "No",
        "OPD (Penguasa Informasi)",
        "Informasi",
        "Dasar Hukum Pengecualian",
        "Konsekuensi / Pertimbangan bagi publik",
        None,
        "Jangka Waktu",
    ]
    assert [ws.cell(row=5, column=c).value for c in (5, 6)] == [
        "apabila dibuka",
        "apabila ditutup",
    ]
    assert "E4:F4" in {str(r) for r in ws.merged_cells.ranges}
    expected = [
        [1, "Dinas Kesehatan", "Rekam medis pasien",
         "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
         "Mengungkap riwayat kesehatan", "Privasi terlindungi", "Tidak terbatas"],
        [2, "Dinas Kesehatan", TRICKY[0], "Pasal 17 huruf i", TRICKY[1], TRICKY[2], "5"],
        [3, "BKPSDM", "Hasil asesmen pegawai", "Pasal 17 huruf h angka 4", TRICKY[3], None,
         "5 tahun"],
    ]  # fmt: skip
    for offset, values in enumerate(expected):
        row = 6 + offset
        assert [ws.cell(row=row, column=c).value for c in range(1, 8)] == values
        for c in range(2, 8):
            cell = ws.cell(row=row, column=c)
            assert cell.value is None or cell.data_type == "s"
    assert ws.cell(row=9, column=1).value is None

    summary = wb["Ringkasan OPD"]
    table = [[summary.cell(row=r, column=c).value for c in range(1, 6)] for r in range(4, 8)]
    assert table == [
        ["No", "OPD", "Status", "Jumlah usulan", "Keterangan"],
        [1, "Dinas Kesehatan", "Mengusulkan", 2, "dikirim 12-03-2025"],
        [2, "Kecamatan Oebobo", "Nihil", 0, None],
        [3, "Kelurahan Fatululi", "Tidak menjawab", 0, None],
    ]
    assert [summary.cell(row=8, column=c).value for c in (1, 2, 3, 4)] == [
        4,
        "BKPSDM",
        "Mengusulkan",
        1,
    ]
    assert [summary.cell(row=9, column=c).value for c in (2, 4)] == ["Jumlah", 3]
    totals = {summary.cell(row=r, column=2).value: summary.cell(row=r, column=4).value
              for r in range(10, 13)}  # fmt: skip
    assert totals == {"OPD mengusulkan": 2, "OPD nihil": 1, "OPD tidak menjawab": 1}


def test_compiled_has_no_formula() -> None:
    package = zipfile.ZipFile(BytesIO(_compiled()))
    for name in package.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in package.read(name)


def test_compiled_empty() -> None:
    wb = load_workbook(BytesIO(build_compiled_usulan(cycle_title="Siklus", rows=[])))
    assert wb["Usulan DIK"]["A6"].value == "Tidak ada usulan dari OPD."


@pytest.mark.parametrize("text", TRICKY)
def test_formula_looking_text_survives_the_form(text: str) -> None:
    """A title that looks like a formula (an office name typed by an admin) stays text."""
    data = build_form_dik(office_name=text, cycle_title=text, deadline_text="besok")
    ws = load_workbook(BytesIO(data))["Form DIK"]
    assert ws["A2"].value == f"PPID Pembantu: {text}"
    assert ws["A3"].data_type == "s"


def test_short_consequence_text_is_not_taken_for_a_sub_header() -> None:
    data = _table(
        [
            (
                "No",
                "Informasi",
                "Dasar Hukum",
                "Konsekuensi apabila dibuka",
                "Konsekuensi apabila ditutup",
                "Jangka Waktu",
            ),
            (1, "Sandi", "Pasal 17 huruf c angka 6", "Apabila dibuka", "Apabila ditutup", "1"),
        ]
    )
    result = read_form_dik(data)
    assert result.problems == ()
    assert [(r.source_row, r.konsekuensi_dibuka) for r in result.rows] == [(2, "Apabila dibuka")]


def test_a_list_of_laws_in_a_cell_is_read_as_laws_not_angka() -> None:
    """Issue 11: a correctly filled form was refused ("huruf i tidak memiliki angka (tertulis
    angka 2)") and other rows got an invented angka; every other law cited is kept."""
    from bot.formdik.samples import filled_form

    rows = [
        (
            "Nota dinas rahasia pimpinan",
            "1. UU 14/2008 Pasal 17 huruf i\n2. Permendagri Nomor 1 Tahun 2023 Pasal 5",
            "Mengganggu pengambilan keputusan",
            "Melindungi proses",
            "Tidak terbatas",
        ),
        (
            "Data pribadi pemohon izin",
            "1. UU 14/2008 Pasal 17 huruf h\n2. UU 27/2022 tentang Pelindungan Data Pribadi",
            "Data disalahgunakan",
            "Melindungi pemilik data",
            "Tidak terbatas",
        ),
    ]
    result = read_form_dik(filled_form("Dinas Kesehatan", rows))
    assert result.problems == ()
    first, second = result.rows
    assert first.bases == (Basis("i"),)
    assert first.other_law == "Permendagri Nomor 1 Tahun 2023 Pasal 5"
    assert second.bases == (Basis("h"),)
    assert second.other_law == (
        "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi"
    )
    assert first.dasar_hukum == rows[0][1]  # the text as written is kept too


def test_an_ambiguous_number_is_asked_row_by_row() -> None:
    from bot.formdik.samples import filled_form

    rows = [
        ("Rekam medis", "Pasal 17 huruf h 2 Permenkes 24/2022", "Bocor", "Aman", "Tidak terbatas"),
        ("Daftar gaji", "Pasal 17 huruf h angka 3 UU 14/2008", "Bocor", "Aman", "Tidak terbatas"),
    ]
    result = read_form_dik(filled_form("Dinas Kesehatan", rows))
    assert [p.row for p in result.problems] == [DATA_START_ROW]
    assert 'apakah "h 2" berarti huruf h angka 2' in str(result.problems[0])
