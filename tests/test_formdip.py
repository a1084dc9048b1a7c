"""The Form DIP: built pre-filled with the DIP in force, read back by header names, typed in
chat, compared with the DIK in force and with the list in force, compiled by OPD and jenis."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook

from bot.formdip import (
    BERKALA,
    CETAK,
    ELEKTRONIK,
    SERTA_MERTA,
    SETIAP_SAAT,
    CompiledDipRow,
    DikItemRef,
    DipOfficeStatus,
    DipOfficeSummary,
    DipRow,
    against_dik,
    build_compiled_dip,
    build_form_dip,
    diff,
    parse_bentuk,
    parse_field,
    parse_jenis,
    parse_typed_row,
    read_form_dip,
    similarity,
)
from bot.formdip.compiled import SHEET_JENIS, SHEET_OPD, SHEET_SUMMARY
from bot.formdip.samples import SAMPLE_DIP_ROWS, filled_form_dip
from bot.formdip.template import DATA_START_ROW, HEADER, HEADER_ROW, SHEET_FORM

KEU = DipRow(
    "Laporan Keuangan Tahunan",
    "Sub Bagian Keuangan",
    "Sekretaris Dinas",
    "Setiap tahun, Sekretariat Dinas",
    (CETAK, ELEKTRONIK),
    "10 tahun",
    BERKALA,
    ref="DIP-1",
)
BENCANA = DipRow(
    "Peringatan dini wabah penyakit menular",
    "Bidang P2P",
    "Kepala Bidang P2P",
    "Saat terjadi, Dinas Kesehatan",
    (ELEKTRONIK,),
    "5 tahun",
    SERTA_MERTA,
    ref="DIP-2",
)


def _wb(data: bytes) -> Workbook:
    return load_workbook(BytesIO(data))


def test_form_is_prefilled_with_drop_downs_and_reads_back_unchanged() -> None:
    data = build_form_dip(
        office_name="Dinas Kesehatan",
        cycle_title="DIP 2026",
        deadline_text="7 Desember 2026",
        rows=[KEU, BENCANA],
    )
    ws = _wb(data)[SHEET_FORM]
    assert tuple(c.value for c in ws[HEADER_ROW]) == HEADER
    assert ws.cell(DATA_START_ROW, 2).value == KEU.ringkasan
    assert ws.cell(DATA_START_ROW + 1, 8).value == "Serta merta (Pasal 10 UU 14/2008)"
    assert ws.cell(DATA_START_ROW, 9).value == "DIP-1"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists.values()) == {"DIP_JENIS", "DIP_BENTUK"}
    assert ws.protection.sheet
    assert ws.page_setup.orientation == "landscape"
    result = read_form_dip(data, known_refs={"DIP-1", "DIP-2"})
    assert result.ok, [str(p) for p in result.problems]
    assert [(r.ringkasan, r.ref, r.jenis, r.bentuk) for r in result.rows] == [
        (KEU.ringkasan, "DIP-1", BERKALA, (CETAK, ELEKTRONIK)),
        (BENCANA.ringkasan, "DIP-2", SERTA_MERTA, (ELEKTRONIK,)),
    ]
    assert diff([KEU, BENCANA], result.rows).empty


def test_edits_to_the_prefilled_form_make_a_diff() -> None:
    wb = _wb(
        build_form_dip(office_name="D", cycle_title="c", deadline_text="d", rows=[KEU, BENCANA])
    )
    ws = wb[SHEET_FORM]
    ws.cell(DATA_START_ROW, 2, "Laporan Keuangan Tahunan (audited)")  # edited: same Kode
    for col in range(1, 9):  # the second row's content deleted: removed
        ws.cell(DATA_START_ROW + 1, col).value = None
    new = (
        "3",
        "Daftar aset tetap",
        "Bidang Aset",
        "Kepala Bidang",
        "Tahunan",
        "Cetak",
        "5 tahun",
        "setiap saat",
    )
    for col, value in enumerate(new, start=1):
        ws.cell(DATA_START_ROW + 2, col, value)
    ws.cell(DATA_START_ROW + 3, 2, "Renstra")
    ws.cell(DATA_START_ROW + 3, 9, "DIP-999")  # unknown Kode: read as new, with a warning
    for col, value in enumerate(
        ("Bappeda", "Kepala", "5 tahunan", "elektronik", "Permanen", "Pasal 11"), 3
    ):
        ws.cell(DATA_START_ROW + 3, col, value)
    buf = BytesIO()
    wb.save(buf)
    result = read_form_dip(buf.getvalue(), known_refs={"DIP-1", "DIP-2"})
    assert result.ok, [str(p) for p in result.problems]
    assert [str(w) for w in result.warnings] == [
        'Baris 11, kolom Kode (jangan diubah): kode "DIP-999" tidak dikenal; dianggap baru'
    ]
    change = diff([KEU, BENCANA], result.rows)
    assert [c.fields for c in change.changed] == [("ringkasan",)]
    assert [r.ringkasan for r in change.added] == ["Daftar aset tetap", "Renstra"]
    assert [r.ringkasan for r in change.removed] == [BENCANA.ringkasan]
    assert change.added[0].jenis == SETIAP_SAAT


def test_a_published_table_is_read_by_its_header_names() -> None:
    """Columns in another order, other header words, a title above: still read."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DAFTAR INFORMASI PUBLIK DINAS KESEHATAN 2025"])
    ws.append([])
    ws.append(
        [
            "Jenis Informasi",
            "Nomor",
            "Ringkasan Isi Informasi",
            "Bentuk Informasi",
            "Pejabat atau unit/satuan kerja yang menguasai informasi",
            "Penanggung jawab pembuatan atau penerbitan informasi",
            "Waktu dan tempat pembuatan informasi",
            "Jangka waktu penyimpanan atau retensi arsip",
        ]
    )
    ws.append(
        [
            "Tersedia Setiap Saat",
            1,
            "SOP pelayanan",
            "Hardcopy / Softcopy",
            "Seksi",
            "Kasi",
            "2024, Kupang",
            "Selama berlaku",
        ]
    )
    buf = BytesIO()
    wb.save(buf)
    result = read_form_dip(buf.getvalue())
    assert result.ok, [str(p) for p in result.problems]
    (row,) = result.rows
    assert (row.ringkasan, row.jenis, row.bentuk, row.retensi, row.source_row) == (
        "SOP pelayanan",
        SETIAP_SAAT,
        (CETAK, ELEKTRONIK),
        "Selama berlaku",
        4,
    )


def test_jenis_and_bentuk_words() -> None:
    assert parse_jenis("Informasi Berkala") == BERKALA
    assert parse_jenis("pasal 10") == SERTA_MERTA
    assert parse_jenis("Tersedia setiap saat (Pasal 11 UU 14/2008)") == SETIAP_SAAT
    assert parse_jenis("3") == SETIAP_SAAT
    assert parse_jenis("berkala / serta merta") is None
    assert parse_jenis("Pasal 1") is None
    assert parse_bentuk("Softcopy (PDF)") == (ELEKTRONIK,)
    assert parse_bentuk("Cetak dan elektronik") == (CETAK, ELEKTRONIK)
    assert parse_bentuk("lisan") is None


def test_typed_entry_labelled_ordered_and_wrong() -> None:
    labelled = parse_typed_row(
        "Ringkasan: Laporan kinerja\nPejabat: Sekretariat\nPenanggung jawab: Sekretaris\n"
        "Waktu dan tempat: Tahunan, Kupang\nBentuk: elektronik\nRetensi: 5 tahun\nJenis: berkala"
    )
    assert labelled.ok and labelled.row is not None
    assert (labelled.row.jenis, labelled.row.bentuk) == (BERKALA, (ELEKTRONIK,))
    ordered = parse_typed_row("Renstra | Bappeda | Kepala | 2025 | cetak | 5 tahun | Pasal 11")
    assert ordered.row is not None and ordered.row.jenis == SETIAP_SAAT
    wrong = parse_typed_row("Renstra | | Kepala | 2025 | lisan | 5 tahun | rahasia")
    assert wrong.row is None
    assert any("Pejabat/Unit yang Menguasai Informasi kosong" in p for p in wrong.problems)
    assert any('"lisan" tidak dikenal' in p for p in wrong.problems)
    assert any('"rahasia" tidak dikenal' in p for p in wrong.problems)
    assert "Format tidak dikenali" in parse_typed_row("halo").problems[0]
    assert parse_field("jenis", "serta merta") == (SERTA_MERTA, None)
    value, problem = parse_field("retensi", "   ")
    assert value is None and problem == "Jangka Waktu Penyimpanan/Retensi Arsip kosong."


def test_dip_rows_matching_the_dik_are_flagged() -> None:
    dik = [
        DikItemRef("DINKES", "Data rekam medis pasien Puskesmas", "Pasal 17 huruf h angka 2"),
        DikItemRef("DINKES", "Dokumen pengadaan obat dalam proses evaluasi"),
        DikItemRef("BAPPEDA", "Laporan Keuangan Tahunan"),  # another OPD: not compared
    ]
    rows = [
        KEU,
        DipRow("Rekam Medis Pasien puskesmas.", "x", "x", "x", (CETAK,), "x", SETIAP_SAAT),
        DipRow("Jumlah pasien Puskesmas per bulan", "x", "x", "x", (CETAK,), "x", BERKALA),
    ]
    flagged = against_dik("DINKES", rows, dik)
    assert [(f.index, f.dik.informasi) for f in flagged] == [
        (1, "Data rekam medis pasien Puskesmas")
    ]
    assert flagged[0].score == 1.0
    assert similarity("Laporan keuangan tahunan", "Laporan kinerja tahunan") < 0.8
    assert similarity("Rekam mdis pasien", "rekam medis pasien") >= 0.9  # a typo still matches


def test_compiled_dip_by_office_and_by_jenis() -> None:
    rows = [
        CompiledDipRow("Dinas Kesehatan", KEU),
        CompiledDipRow("Dinas Kesehatan", BENCANA),
        CompiledDipRow("Bappeda", DipRow("=Renstra", "a", "b", "c", (CETAK,), "d", BERKALA)),
    ]
    data = build_compiled_dip(
        title="DIP 2026",
        rows=rows,
        offices=[
            DipOfficeSummary("Dinas Kesehatan", DipOfficeStatus.DIPERBARUI),
            DipOfficeSummary("Bappeda", DipOfficeStatus.DIPERBARUI),
            DipOfficeSummary("Dinas Sosial", DipOfficeStatus.TIDAK_BERUBAH),
        ],
    )
    wb = _wb(data)
    by_opd = [tuple(c for c in r) for r in wb[SHEET_OPD].iter_rows(min_row=5, values_only=True)]
    assert by_opd[0][0] == "Dinas Kesehatan (2 informasi)"
    assert by_opd[1][2] == KEU.ringkasan and by_opd[1][8] == "Berkala (Pasal 9)"
    assert by_opd[3][0] == "Bappeda (1 informasi)"
    assert by_opd[4][2] == "=Renstra"  # text, never a formula
    assert wb[SHEET_OPD].cell(9, 3).data_type == "s"
    by_jenis = [r[0] for r in wb[SHEET_JENIS].iter_rows(min_row=5, values_only=True)]
    assert by_jenis[0].startswith(
        "Informasi yang Wajib Disediakan dan Diumumkan secara Berkala (Pasal 9"
    )
    assert by_jenis[3].startswith("Informasi yang Wajib Diumumkan secara Serta Merta (Pasal 10")
    summary = list(wb[SHEET_SUMMARY].iter_rows(min_row=5, values_only=True))
    assert summary[0][1:7] == ("Dinas Kesehatan", "Diperbarui", 1, 1, 0, 2)
    assert summary[2][1:3] == ("Dinas Sosial", "Tidak ada perubahan")
    assert summary[3][1] == "Jumlah" and summary[3][6] == 3
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.print_title_rows


def test_sample_forms_read_back() -> None:
    data = filled_form_dip(
        "Dinas Kesehatan", SAMPLE_DIP_ROWS[1:], in_force=[KEU], edits={0: {7: "15 tahun"}}
    )
    result = read_form_dip(data, known_refs={"DIP-1"})
    assert result.ok, [str(p) for p in result.problems]
    assert [r.ringkasan for r in result.rows] == [KEU.ringkasan] + [
        r.ringkasan for r in SAMPLE_DIP_ROWS[1:]
    ]
    change = diff([KEU], result.rows)
    assert [c.fields for c in change.changed] == [("retensi",)] and len(change.added) == 2


def test_a_kode_copied_to_a_new_row_is_refused() -> None:
    wb = _wb(build_form_dip(office_name="D", cycle_title="c", deadline_text="d", rows=[KEU]))
    ws = wb[SHEET_FORM]
    for col in range(1, 10):  # the row in force copied below it, Kode and all
        ws.cell(DATA_START_ROW + 1, col).value = ws.cell(DATA_START_ROW, col).value
    ws.cell(DATA_START_ROW + 1, 2).value = "Laporan Keuangan Semester"
    buf = BytesIO()
    wb.save(buf)
    result = read_form_dip(buf.getvalue(), known_refs={"DIP-1"})
    assert [str(p) for p in result.problems] == [
        "Baris 9, kolom Kode (jangan diubah): kode sama dengan baris 8; baris baru dibiarkan "
        "tanpa kode"
    ]
    assert not result.ok
