"""The Form DIP workbook each OPD updates in Excel, and its column vocabulary.

Sheet "Form DIP" holds a title block, the header row and one row per item, pre-filled with
the OPD's DIP in force so that updating is editing, not retyping; "Petunjuk" explains it; a
hidden "Referensi" sheet holds the drop-down values (Bentuk informasi, Jenis informasi). The
last column, "Kode", ties a pre-filled row to its entry in force (so an edit is a change, not a
removal and an addition); it is grey and locked. The reader takes columns by these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.formdip.model import BENTUK_CHOICES, JENIS_KEYS, DipRow, jenis_choice, normalise
from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell

SHEET_FORM: Final = "Form DIP"
SHEET_GUIDE: Final = "Petunjuk"
SHEET_REF: Final = "Referensi"
HEADER_ROW: Final = 7
DATA_START_ROW: Final = 8
FORM_ROWS: Final = 1000

NO: Final = "no"
RINGKASAN: Final = "ringkasan"
PEJABAT: Final = "pejabat"
PENANGGUNG_JAWAB: Final = "penanggung_jawab"
WAKTU_TEMPAT: Final = "waktu_tempat"
BENTUK: Final = "bentuk"
RETENSI: Final = "retensi"
JENIS: Final = "jenis"
KODE: Final = "kode"

HEADER_FIELDS: Final[tuple[str, ...]] = (
    NO,
    RINGKASAN,
    PEJABAT,
    PENANGGUNG_JAWAB,
    WAKTU_TEMPAT,
    BENTUK,
    RETENSI,
    JENIS,
    KODE,
)
FIELD_LABELS: Final[dict[str, str]] = {
    NO: "No",
    RINGKASAN: "Ringkasan Isi Informasi",
    PEJABAT: "Pejabat/Unit yang Menguasai Informasi",
    PENANGGUNG_JAWAB: "Penanggung Jawab Pembuatan/Penerbitan Informasi",
    WAKTU_TEMPAT: "Waktu dan Tempat Pembuatan Informasi",
    BENTUK: "Bentuk Informasi yang Tersedia",
    RETENSI: "Jangka Waktu Penyimpanan/Retensi Arsip",
    JENIS: "Jenis Informasi",
    KODE: "Kode (jangan diubah)",
}
HEADER: Final[tuple[str, ...]] = tuple(FIELD_LABELS[f] for f in HEADER_FIELDS)
REQUIRED: Final[tuple[str, ...]] = (
    RINGKASAN,
    PEJABAT,
    PENANGGUNG_JAWAB,
    WAKTU_TEMPAT,
    BENTUK,
    RETENSI,
    JENIS,
)
REF_JENIS_NAME: Final = "DIP_JENIS"
REF_BENTUK_NAME: Final = "DIP_BENTUK"


def classify_header(text: str) -> str | None:
    """The field a header cell names, or None. Order matters: "Jangka waktu penyimpanan" is
    the retention, not the "waktu pembuatan"; "Jenis informasi" is the kind, not the summary."""
    if len(text) > 160:
        return None
    h = normalise(text)
    if not h or len(h) > 120:
        return None
    if h in ("no", "nomor", "no urut", "nomor urut"):
        return NO
    if h.startswith("kode"):
        return KODE
    if "retensi" in h or "penyimpanan" in h or "jangka waktu" in h:
        return RETENSI
    if "penanggung jawab" in h or "penanggungjawab" in h:
        return PENANGGUNG_JAWAB
    if "waktu" in h or "tempat" in h:
        return WAKTU_TEMPAT
    if "menguasai" in h or "pejabat" in h or "penguasa" in h or "unit" in h:
        return PEJABAT
    if "bentuk" in h or "format" in h or "media" in h:
        return BENTUK
    if "jenis" in h or "klasifikasi" in h or "kategori" in h:
        return JENIS
    if "ringkasan" in h or "informasi" in h or "judul" in h or "nama dokumen" in h:
        return RINGKASAN
    return None


_WIDTHS: Final[dict[str, float]] = {
    NO: 6,
    RINGKASAN: 44,
    PEJABAT: 28,
    PENANGGUNG_JAWAB: 28,
    WAKTU_TEMPAT: 24,
    BENTUK: 20,
    RETENSI: 22,
    JENIS: 30,
    KODE: 10,
}
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_CHOICE_FILL = PatternFill("solid", fgColor="FFF2CC")
_KODE_FILL = PatternFill("solid", fgColor="E7E6E6")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _col(field: str) -> int:
    return HEADER_FIELDS.index(field) + 1


def _title_block(
    ws: Worksheet, office_name: str, cycle_title: str, deadline: str, label: str
) -> None:
    last = get_column_letter(len(HEADER))
    lines = (
        "FORMULIR PEMUTAKHIRAN DAFTAR INFORMASI PUBLIK (DIP)",
        f"{label}: {office_name}",
        f"Siklus: {cycle_title}",
        f"Batas waktu pengisian: {deadline}",
        "Baris yang sudah terisi adalah DIP yang berlaku: ubah, tambah, atau hapus barisnya. "
        "Petunjuk ada di lembar \u201cPetunjuk\u201d.",
    )
    for row, text in enumerate(lines, start=1):
        cell = write_text_cell(ws, row, 1, text)
        cell.font = Font(bold=row <= 2, size=13 if row == 1 else 11)
        ws.merge_cells(f"A{row}:{last}{row}")


def _header_row(ws: Worksheet) -> None:
    for col, (name, field) in enumerate(zip(HEADER, HEADER_FIELDS, strict=True), start=1):
        cell = write_text_cell(ws, HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.alignment = _WRAP_CENTER
        cell.border = _BORDER
        fill = {BENTUK: _CHOICE_FILL, JENIS: _CHOICE_FILL, KODE: _KODE_FILL}.get(field)
        cell.fill = fill or _HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 48


def _column_styles(ws: Worksheet) -> None:
    for field in HEADER_FIELDS:
        dim = ws.column_dimensions[get_column_letter(_col(field))]
        dim.width = _WIDTHS[field]
        dim.alignment = _WRAP_TOP
        dim.protection = Protection(locked=field == KODE)
        if field != NO:
            dim.number_format = "@"


def _drop_downs(ws: Worksheet) -> None:
    last_row = DATA_START_ROW + FORM_ROWS - 1
    jenis = DataValidation(
        type="list",
        formula1=REF_JENIS_NAME,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle="Jenis informasi",
        prompt="Berkala (Pasal 9), serta merta (Pasal 10), atau tersedia setiap saat (Pasal 11).",
        errorTitle="Pilihan tidak dikenal",
        error="Pilih salah satu jenis informasi dari daftar.",
    )
    bentuk = DataValidation(
        type="list",
        formula1=REF_BENTUK_NAME,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle="Bentuk informasi",
        prompt="Cetak, elektronik, atau keduanya.",
        errorTitle="Pilihan tidak dikenal",
        error="Pilih bentuk informasi dari daftar.",
    )
    for dv, field in ((jenis, JENIS), (bentuk, BENTUK)):
        letter = get_column_letter(_col(field))
        ws.add_data_validation(dv)
        dv.add(f"{letter}{DATA_START_ROW}:{letter}{last_row}")


def _prefill(ws: Worksheet, rows: Sequence[DipRow]) -> None:
    for number, item in enumerate(rows, start=1):
        r = DATA_START_ROW + number - 1
        ws.cell(row=r, column=_col(NO), value=number)
        values = {
            RINGKASAN: item.ringkasan,
            PEJABAT: item.pejabat,
            PENANGGUNG_JAWAB: item.penanggung_jawab,
            WAKTU_TEMPAT: item.waktu_tempat,
            BENTUK: item.bentuk_label,
            RETENSI: item.retensi,
            JENIS: jenis_choice(item.jenis),
            KODE: item.ref,
        }
        for field, value in values.items():
            cell = write_text_cell(ws, r, _col(field), value)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
            cell.protection = Protection(locked=field == KODE)
            if field == KODE:
                cell.fill = _KODE_FILL


def _form_sheet(ws: Worksheet, rows: Sequence[DipRow], title: tuple[str, str, str, str]) -> None:
    ws.title = SHEET_FORM
    _title_block(ws, *title)
    _header_row(ws)
    _column_styles(ws)
    _drop_downs(ws)
    _prefill(ws, rows)
    ws.freeze_panes = f"A{DATA_START_ROW}"
    ws.protection.sheet = True  # no password: a guard against slips over the header
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"


def _reference_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET_REF)
    write_text_cell(ws, 1, 1, "Jenis informasi")
    write_text_cell(ws, 1, 2, "Bentuk informasi")
    for row, key in enumerate(JENIS_KEYS, start=2):
        write_text_cell(ws, row, 1, jenis_choice(key))
    for row, label in enumerate(BENTUK_CHOICES.values(), start=2):
        write_text_cell(ws, row, 2, label)
    wb.defined_names[REF_JENIS_NAME] = DefinedName(
        REF_JENIS_NAME, attr_text=f"{SHEET_REF}!$A$2:$A${len(JENIS_KEYS) + 1}"
    )
    wb.defined_names[REF_BENTUK_NAME] = DefinedName(
        REF_BENTUK_NAME, attr_text=f"{SHEET_REF}!$B$2:$B${len(BENTUK_CHOICES) + 1}"
    )
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _guide_lines(deadline: str) -> tuple[str, ...]:
    return (
        "Baris yang sudah terisi adalah Daftar Informasi Publik (DIP) Perangkat Daerah Saudara "
        "yang berlaku. Perbarui isinya, tambahkan informasi baru di baris kosong berikutnya, "
        "dan hapus isi baris informasi yang tidak lagi dikuasai.",
        "Ringkasan Isi Informasi: judul dan isi singkat informasi, misalnya \u201cLaporan "
        "Keuangan Tahunan Dinas\u201d.",
        "Pejabat/Unit yang Menguasai Informasi dan Penanggung Jawab Pembuatan/Penerbitan: "
        "tulis jabatan atau unit kerjanya.",
        "Waktu dan Tempat Pembuatan Informasi: misalnya \u201cSetiap tahun, Sekretariat "
        "Dinas\u201d.",
        "Bentuk Informasi (kolom kuning): cetak, elektronik, atau keduanya; pilih dari daftar.",
        "Jangka Waktu Penyimpanan/Retensi Arsip: sesuai Jadwal Retensi Arsip, misalnya "
        "\u201c5 tahun\u201d.",
        "Jenis Informasi (kolom kuning): berkala (Pasal 9 UU 14/2008), serta merta (Pasal 10), "
        "atau tersedia setiap saat (Pasal 11); pilih dari daftar.",
        "Informasi yang dikecualikan (DIK) tidak dimasukkan ke dalam DIP.",
        "Kolom Kode (abu-abu) jangan diubah: kolom itu menghubungkan baris dengan DIP yang "
        "berlaku. Baris baru dibiarkan tanpa kode.",
        "Jangan mengubah judul kolom, jangan memakai rumus, dan jangan memberi kata sandi pada "
        "berkas.",
        "Jika DIP tidak berubah, cukup jawab \u201cTidak ada perubahan\u201d melalui bot.",
        f"Simpan sebagai berkas .xlsx lalu kirim kembali melalui bot paling lambat {deadline}.",
    )


def _guide_sheet(wb: Workbook, deadline: str) -> None:
    ws = wb.create_sheet(SHEET_GUIDE)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 110
    write_text_cell(ws, 1, 1, "PETUNJUK PENGISIAN FORM DIP").font = Font(bold=True, size=13)
    for number, line in enumerate(_guide_lines(deadline), start=1):
        ws.cell(row=number + 2, column=1, value=number).alignment = _WRAP_TOP
        write_text_cell(ws, number + 2, 2, line).alignment = _WRAP_TOP


def build_form_dip(
    *,
    office_name: str,
    cycle_title: str,
    deadline_text: str,
    rows: Sequence[DipRow] = (),
    label_ppid: str = "PPID Pembantu",
) -> bytes:
    """The XLSX bytes of one OPD's Form DIP, pre-filled with ``rows`` (its DIP in force)."""
    wb = Workbook()
    wb.properties.creator = "PPID Kota Kupang"
    wb.properties.title = "Form Pemutakhiran DIP"
    _form_sheet(wb.active, rows, (office_name, cycle_title, deadline_text, label_ppid))
    _guide_sheet(wb, deadline_text)
    _reference_sheet(wb)
    print_ready(wb)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
