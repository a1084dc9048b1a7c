"""The Form DIK workbook that each OPD fills in Excel (SOP step 2), and its column vocabulary.

The form has three sheets: "Form DIK" (title block, header row, drop-down helper columns),
"Petunjuk" (instructions in Indonesian) and a hidden "Referensi" sheet holding the values of
the drop-down lists (the Pasal 17 grounds and their points). The header names and the synonyms
the reader accepts live here so that the form and the reader cannot drift apart.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.pasal17 import GROUNDS, MAX_POINTS
from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell

SHEET_FORM: Final = "Form DIK"
SHEET_GUIDE: Final = "Petunjuk"
SHEET_REF: Final = "Referensi"

HEADER_ROW: Final = 7
DATA_START_ROW: Final = 8
FORM_ROWS: Final = 1000  # rows that carry the drop-down lists

# Field keys, in the order of the form's columns.
NO: Final = "no"
INFORMASI: Final = "informasi"
DASAR_HUKUM: Final = "dasar_hukum"
DIBUKA: Final = "dibuka"
DITUTUP: Final = "ditutup"
KONSEKUENSI: Final = "konsekuensi"  # one combined column, as in some published tables
JANGKA_WAKTU: Final = "jangka_waktu"
HURUF: Final = "huruf"
ANGKA: Final = "angka"

HEADER: Final[tuple[str, ...]] = (
    "No",
    "Informasi",
    "Dasar Hukum Pengecualian",
    "Konsekuensi apabila dibuka",
    "Konsekuensi apabila ditutup",
    "Jangka Waktu",
    "Pasal 17 huruf",
    "Angka",
)
HEADER_FIELDS: Final[tuple[str, ...]] = (
    NO,
    INFORMASI,
    DASAR_HUKUM,
    DIBUKA,
    DITUTUP,
    JANGKA_WAKTU,
    HURUF,
    ANGKA,
)
# Short names used in messages ("Baris 9, kolom Dasar Hukum: ...") when a column is missing.
FIELD_LABELS: Final[dict[str, str]] = {
    NO: "No",
    INFORMASI: "Informasi",
    DASAR_HUKUM: "Dasar Hukum Pengecualian",
    DIBUKA: "Konsekuensi apabila dibuka",
    DITUTUP: "Konsekuensi apabila ditutup",
    KONSEKUENSI: "Konsekuensi",
    JANGKA_WAKTU: "Jangka Waktu",
    HURUF: "Pasal 17 huruf",
    ANGKA: "Angka",
}

# Header texts the reader accepts for each field (case, punctuation and spacing are ignored;
# close variants are accepted too, see classify_header).
SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    NO: ("No", "No.", "Nomor", "No Urut"),
    INFORMASI: (
        "Informasi",
        "Informasi yang Dikecualikan",
        "Informasi Publik yang Dikecualikan",
        "Jenis Informasi",
        "Judul Informasi",
        "Ringkasan Isi Informasi",
        "Nama Dokumen",
    ),
    DASAR_HUKUM: (
        "Dasar Hukum Pengecualian",
        "Dasar Hukum",
        "Dasar Pengecualian",
        "Alasan Pengecualian",
        "Landasan Hukum",
    ),
    DIBUKA: (
        "Konsekuensi apabila dibuka",
        "Apabila dibuka",
        "Konsekuensi jika informasi dibuka",
        "Akibat bila dibuka",
    ),
    DITUTUP: (
        "Konsekuensi apabila ditutup",
        "Apabila ditutup",
        "Manfaat bila informasi ditutup",
        "Pertimbangan apabila dirahasiakan",
    ),
    KONSEKUENSI: (
        "Konsekuensi/Pertimbangan",
        "Konsekuensi",
        "Pertimbangan",
        "Uji Konsekuensi",
        "Konsekuensi apabila dibuka/ditutup",
    ),
    JANGKA_WAKTU: (
        "Jangka Waktu",
        "Jangka Waktu Pengecualian",
        "Masa Pengecualian",
        "Lama Pengecualian",
    ),
    HURUF: ("Pasal 17 huruf", "Huruf", "Huruf Pasal 17"),
    ANGKA: ("Angka", "Pasal 17 angka", "Angka Pasal 17"),
}

_NOT_A_FIELD = (
    "penguasa",
    "menguasai",
    "pejabat",
    "unit kerja",
    "penanggung jawab",
    "bentuk",
    "format",
    "keterangan",
    "tempat",
    "opd",
)
_OPEN_WORDS = ("dibuka", "terbuka")
_CLOSED_WORDS = ("ditutup", "tertutup", "dirahasiakan")
_CONSEQUENCE_WORDS = ("konsekuensi", "pertimbangan", "manfaat", "akibat", "dampak")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_header(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: "Konsekuensi/ Pertimbangan" ->
    "konsekuensi pertimbangan"."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def _classify_consequence(h: str) -> str | None:
    opened = any(w in h for w in _OPEN_WORDS)
    closed = any(w in h for w in _CLOSED_WORDS)
    if opened != closed:
        return DIBUKA if opened else DITUTUP
    if opened or any(w in h for w in _CONSEQUENCE_WORDS):
        return KONSEKUENSI
    return None


def _classify_helper(h: str) -> str | None:
    if "huruf" in h:
        return HURUF
    if h.startswith("angka") or h in ("pasal 17 angka", "no angka"):
        return ANGKA
    return None


def classify_header(text: str) -> str | None:
    """Return the field key a header cell names, or None if it names none of ours."""
    if len(text) > 120:
        return None
    h = normalise_header(text)
    if not h or len(h) > 80 or any(w in h for w in _NOT_A_FIELD):
        return None
    if "dasar" in h or "landasan hukum" in h or "alasan pengecualian" in h:
        return DASAR_HUKUM
    helper = _classify_helper(h)
    if helper:
        return helper
    if "jangka waktu" in h or h in ("jangka", "waktu") or h.startswith(("masa ", "lama ")):
        return JANGKA_WAKTU
    consequence = _classify_consequence(h)
    if consequence:
        return consequence
    if h in ("no", "nomor", "no urut", "nomor urut", "nmr"):
        return NO
    if "informasi" in h or h in ("nama dokumen", "judul dokumen", "jenis dokumen", "judul"):
        return INFORMASI
    return None


# ---------------------------------------------------------------------------------------------
# Building the form

_WIDTHS: Final[dict[str, float]] = {
    NO: 6,
    INFORMASI: 42,
    DASAR_HUKUM: 36,
    DIBUKA: 42,
    DITUTUP: 42,
    JANGKA_WAKTU: 22,
    HURUF: 30,
    ANGKA: 9,
}
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HELPER_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")

REF_HURUF_NAME: Final = "DIK_HURUF"
REF_ANGKA_NAME: Final = "DIK_ANGKA"


def huruf_choice(key: str) -> str:
    """The drop-down value for one letter, e.g. "h. Mengungkap rahasia pribadi"."""
    return GROUNDS[key].label


def _col(field: str) -> int:
    return HEADER_FIELDS.index(field) + 1


def _title_block(
    ws: Worksheet, office_name: str, cycle_title: str, deadline_text: str, label_ppid: str
) -> None:
    last = get_column_letter(len(HEADER))
    lines = (
        "FORMULIR USULAN DAFTAR INFORMASI YANG DIKECUALIKAN (DIK)",
        f"{label_ppid}: {office_name}",
        f"Siklus: {cycle_title}",
        f"Batas waktu pengisian: {deadline_text}",
        "Isi satu informasi per baris mulai baris 8. Petunjuk ada di lembar \u201cPetunjuk\u201d.",
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
        cell.fill = _HELPER_FILL if field in (HURUF, ANGKA) else _HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 32


def _column_styles(ws: Worksheet) -> None:
    for field in HEADER_FIELDS:
        letter = get_column_letter(_col(field))
        dim = ws.column_dimensions[letter]
        dim.width = _WIDTHS[field]
        dim.alignment = _WRAP_TOP
        # The rows to fill stay editable; the title and header cells (written, locked) not.
        dim.protection = Protection(locked=False)
        if field not in (NO, ANGKA):
            dim.number_format = "@"  # typed text stays text (no formulas, no dates)


def _protect_header(ws: Worksheet) -> None:
    """Protect the sheet (no password: it guards against slips, not people) so the title and
    header row, which the bot reads the columns by, cannot be typed over; rows may still be
    resized and columns widened, and the rows to fill stay unlocked."""
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _drop_downs(ws: Worksheet) -> None:
    last_row = DATA_START_ROW + FORM_ROWS - 1
    huruf = DataValidation(
        type="list",
        formula1=REF_HURUF_NAME,
        allow_blank=True,
        showDropDown=False,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle="Pasal 17 huruf",
        prompt="Pilih dasar pengecualian menurut Pasal 17 UU 14/2008.",
        errorTitle="Pilihan tidak dikenal",
        error="Pilih salah satu huruf a sampai j dari daftar.",
    )
    angka = DataValidation(
        type="list",
        formula1=REF_ANGKA_NAME,
        allow_blank=True,
        showDropDown=False,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle="Angka",
        prompt="Isi bila huruf yang dipilih memiliki angka (a, c, e, f, h). Lihat Petunjuk.",
        errorTitle="Angka tidak dikenal",
        error=f"Pilih angka 1 sampai {MAX_POINTS} dari daftar.",
    )
    for dv, field in ((huruf, HURUF), (angka, ANGKA)):
        letter = get_column_letter(_col(field))
        ws.add_data_validation(dv)
        dv.add(f"{letter}{DATA_START_ROW}:{letter}{last_row}")


def _form_sheet(
    ws: Worksheet, office_name: str, cycle_title: str, deadline_text: str, label_ppid: str
) -> None:
    ws.title = SHEET_FORM
    _title_block(ws, office_name, cycle_title, deadline_text, label_ppid)
    _header_row(ws)
    _column_styles(ws)
    _drop_downs(ws)
    ws.freeze_panes = f"A{DATA_START_ROW}"
    _protect_header(ws)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _reference_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET_REF)
    for col, name in enumerate(("Huruf", "Pilihan", "Dasar", "", "Huruf", "Angka", "Uraian"), 1):
        write_text_cell(ws, 1, col, name)
    for row, ground in enumerate(GROUNDS.values(), start=2):
        write_text_cell(ws, row, 1, ground.key)
        write_text_cell(ws, row, 2, huruf_choice(ground.key))
        write_text_cell(ws, row, 3, ground.title)
    row = 2
    for ground in GROUNDS.values():
        for angka, text in enumerate(ground.points, start=1):
            write_text_cell(ws, row, 5, ground.key)
            ws.cell(row=row, column=6, value=angka)
            write_text_cell(ws, row, 7, text)
            row += 1
    write_text_cell(ws, 1, 9, "Daftar angka")
    for angka in range(1, MAX_POINTS + 1):
        ws.cell(row=angka + 1, column=9, value=angka)
    last_huruf = len(GROUNDS) + 1
    wb.defined_names[REF_HURUF_NAME] = DefinedName(
        REF_HURUF_NAME, attr_text=f"{SHEET_REF}!$B$2:$B${last_huruf}"
    )
    wb.defined_names[REF_ANGKA_NAME] = DefinedName(
        REF_ANGKA_NAME, attr_text=f"{SHEET_REF}!$I$2:$I${MAX_POINTS + 1}"
    )
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _guide_lines(deadline_text: str) -> tuple[str, ...]:
    return (
        "Isi satu informasi yang diusulkan untuk dikecualikan pada setiap baris lembar "
        "\u201cForm DIK\u201d, mulai baris 8.",
        "Informasi: tulis nama atau judul informasi/dokumen dengan jelas.",
        "Dasar Hukum Pengecualian: tulis pasalnya, misalnya \u201cPasal 17 huruf h angka 2 "
        "Undang-Undang Nomor 14 Tahun 2008\u201d. Untuk huruf j, sebutkan juga Undang-Undang "
        "lain yang menjadi dasarnya.",
        "Pasal 17 huruf dan Angka (kolom kuning): pilih dari daftar. Pilihan ini dipakai bila "
        "teks dasar hukum tidak menyebut huruf Pasal 17. Angka hanya ada untuk huruf a, c, e, f, "
        "dan h (lihat tabel di bawah).",
        "Konsekuensi apabila dibuka dan apabila ditutup: uraikan akibatnya bagi publik "
        "(uji konsekuensi, Pasal 19 UU 14/2008). Isi minimal salah satu.",
        "Jangka Waktu: misalnya \u201c5 tahun\u201d, \u201cTidak terbatas\u201d, atau "
        "\u201cSampai putusan berkekuatan hukum tetap\u201d. Pengecualian berdasarkan huruf a "
        "sampai f tidak bersifat permanen (Pasal 20).",
        "Jangan mengubah judul kolom, jangan memakai rumus, dan jangan memberi kata sandi "
        "pada berkas. Baris judul kelompok (misalnya \u201c1.\u201d atau \u201c1.a\u201d tanpa "
        "dasar hukum) tidak disimpan.",
        "Jika tidak ada informasi yang diusulkan, cukup jawab \u201cNihil\u201d melalui bot.",
        f"Simpan sebagai berkas .xlsx lalu kirim kembali melalui bot paling lambat "
        f"{deadline_text}.",
    )


def _guide_sheet(wb: Workbook, deadline_text: str) -> None:
    ws = wb.create_sheet(SHEET_GUIDE)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 100
    write_text_cell(ws, 1, 1, "PETUNJUK PENGISIAN FORM DIK").font = Font(bold=True, size=13)
    row = 3
    for number, line in enumerate(_guide_lines(deadline_text), start=1):
        ws.cell(row=row, column=1, value=number).alignment = _WRAP_TOP
        write_text_cell(ws, row, 2, line).alignment = _WRAP_TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    write_text_cell(ws, row, 1, "Dasar pengecualian Pasal 17 UU 14/2008").font = Font(bold=True)
    row += 1
    for col, name in enumerate(("Huruf", "Angka", "Uraian"), start=1):
        write_text_cell(ws, row, col, name).font = Font(bold=True)
    for ground in GROUNDS.values():
        row += 1
        write_text_cell(ws, row, 1, ground.key).font = Font(bold=True)
        write_text_cell(ws, row, 3, ground.title).font = Font(bold=True)
        for angka, text in enumerate(ground.points, start=1):
            row += 1
            ws.cell(row=row, column=2, value=angka)
            write_text_cell(ws, row, 3, text).alignment = _WRAP_TOP


def build_form_dik(
    *,
    office_name: str,
    cycle_title: str,
    deadline_text: str,
    label_ppid: str = "PPID Pembantu",
) -> bytes:
    """Return the XLSX bytes of the Form DIK for one OPD, ready to send as a document."""
    wb = Workbook()
    wb.properties.creator = "PPID Kota Kupang"
    wb.properties.title = "Form Usulan DIK"
    _form_sheet(wb.active, office_name, cycle_title, deadline_text, label_ppid)
    _guide_sheet(wb, deadline_text)
    _reference_sheet(wb)
    buf = BytesIO()
    print_ready(wb)
    wb.save(buf)
    return buf.getvalue()
