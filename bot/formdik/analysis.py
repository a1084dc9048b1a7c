"""The Lembar Analisa Uji Konsekuensi as a spreadsheet (SOP step 7, decisions in bulk).

The Tim Uji Konsekuensi downloads one sheet with every proposed item of the cycle, fills in
its decision per row in Excel and uploads it. :func:`build_analysis_sheet` makes the workbook:
"Lembar Analisa" (title block, the OPD's proposal in grey columns, the Tim's columns with
drop-down lists), "Petunjuk" (instructions) and the hidden "Referensi" sheet of the Form DIK
(see :mod:`bot.formdik.template`) with one more list for the Keputusan.

:func:`read_analysis_sheet` reads an upload (untrusted: the package is checked by
:func:`bot.xlsx_safe.check_xlsx_upload` before openpyxl sees it). Rows are matched to items by
the "ID" column; the grey columns are not read back, except Informasi, which must still belong
to the row's ID (so that shifted IDs cannot put a decision on the wrong item). Every problem is
collected; the caller stores nothing unless ``problems`` is empty.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.dasar_hukum import parse_dasar_hukum
from bot.formdik.reader import _PERMANENT, Problem, _is_formula, _text
from bot.formdik.template import (
    _BORDER,
    _HEADER_FILL,
    _HELPER_FILL,
    _WRAP_CENTER,
    _WRAP_TOP,
    REF_ANGKA_NAME,
    REF_HURUF_NAME,
    SHEET_GUIDE,
    SHEET_REF,
    _reference_sheet,
    huruf_choice,
    normalise_header,
)
from bot.pasal17 import GROUNDS, LAW_NAME, MAX_POINTS, Basis, format_basis, is_time_limited
from bot.xlsx_print import print_ready
from bot.xlsx_safe import MAX_UNCOMPRESSED, check_xlsx_upload, safe_text, write_text_cell

logger = logging.getLogger(__name__)

SHEET_ANALYSIS: Final = "Lembar Analisa"
HEADER_ROW: Final = 7
DATA_START_ROW: Final = 8
HEADER_SEARCH_ROWS: Final = 15
MAX_COLUMNS: Final = 40
MAX_BLANK_RUN: Final = 10_000
EXTRA_ROWS: Final = 1000  # rows beyond the item count before the sheet is refused
REF_KEPUTUSAN_NAME: Final = "UK_KEPUTUSAN"
MAX_ALASAN: Final = 1000  # the reason an item is open (as the chat's guided test bounds it)

# Decision keys, as stored (see bot.workflow.consequence.DECISION_LABELS).
DIKECUALIKAN: Final = "dikecualikan"
SEBAGIAN: Final = "sebagian"
TERBUKA: Final = "terbuka"
KEPUTUSAN_CHOICES: Final[dict[str, str]] = {
    DIKECUALIKAN: "Dikecualikan",
    SEBAGIAN: "Dikecualikan sebagian",
    TERBUKA: "Terbuka",
}

# Column keys, in the order of the sheet's columns.
ID: Final = "id"
NO: Final = "no"
OPD: Final = "opd"
INFORMASI: Final = "informasi"
DASAR_OPD: Final = "dasar_opd"
DIBUKA_OPD: Final = "dibuka_opd"
DITUTUP_OPD: Final = "ditutup_opd"
JANGKA_OPD: Final = "jangka_opd"
KEPUTUSAN: Final = "keputusan"
BAGIAN: Final = "bagian"
ALASAN: Final = "alasan"
HURUF: Final = "huruf"
ANGKA: Final = "angka"
UU_LAIN: Final = "uu_lain"
DIBUKA_TIM: Final = "dibuka_tim"
DITUTUP_TIM: Final = "ditutup_tim"
JANGKA_TIM: Final = "jangka_tim"

# (key, header text, width); the header texts are also the column names in messages.
COLUMNS: Final[tuple[tuple[str, str, float], ...]] = (
    (ID, "ID", 7),
    (NO, "No", 5),
    (OPD, "OPD (Penguasa Informasi)", 22),
    (INFORMASI, "Informasi", 36),
    (DASAR_OPD, "Dasar Hukum (usulan OPD)", 30),
    (DIBUKA_OPD, "Konsekuensi apabila dibuka (usulan OPD)", 30),
    (DITUTUP_OPD, "Konsekuensi apabila ditutup (usulan OPD)", 30),
    (JANGKA_OPD, "Jangka Waktu (usulan OPD)", 16),
    (KEPUTUSAN, "Keputusan", 20),
    (BAGIAN, "Bagian yang dihitamkan", 30),
    (ALASAN, "Alasan dinyatakan terbuka", 30),
    (HURUF, "Pasal 17 huruf", 28),
    (ANGKA, "Angka", 8),
    (UU_LAIN, "UU/peraturan lain", 28),
    (DIBUKA_TIM, "Konsekuensi apabila dibuka (Tim)", 32),
    (DITUTUP_TIM, "Konsekuensi apabila ditutup (Tim)", 32),
    (JANGKA_TIM, "Jangka waktu (Tim)", 18),
)
LABELS: Final[dict[str, str]] = {key: name for key, name, _ in COLUMNS}
PROPOSAL_FIELDS: Final = (ID, NO, OPD, INFORMASI, DASAR_OPD, DIBUKA_OPD, DITUTUP_OPD, JANGKA_OPD)
TIM_FIELDS: Final = (
    KEPUTUSAN,
    BAGIAN,
    ALASAN,
    HURUF,
    ANGKA,
    UU_LAIN,
    DIBUKA_TIM,
    DITUTUP_TIM,
    JANGKA_TIM,
)
_REQUIRED: Final = (ID, KEPUTUSAN)
_NUMERIC: Final = (ID, NO, ANGKA)
_GREY = PatternFill("solid", fgColor="E7E6E6")


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class AnalysisItemIn:
    """One proposed item (a proposal row) as the sheet shows it.

    ``bases``/``other_law`` are the proposal's stored Pasal 17 grounds; when empty they are
    parsed from ``dasar_hukum``. The ``*_tim`` fields, ``keputusan`` and ``bagian_dihitamkan``
    pre-fill the Tim's columns for items already decided in chat (``keputusan`` is
    "dikecualikan", "sebagian" or "terbuka").
    """

    item_id: int
    no: int
    opd: str
    informasi: str
    dasar_hukum: str
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str
    bases: tuple[Basis, ...] = ()
    other_law: str | None = None
    keputusan: str | None = None
    bagian_dihitamkan: str | None = None
    bases_tim: tuple[Basis, ...] = ()
    other_law_tim: str | None = None
    konsekuensi_dibuka_tim: str | None = None
    konsekuensi_ditutup_tim: str | None = None
    jangka_waktu_tim: str | None = None
    alasan_terbuka: str | None = None


@dataclass(frozen=True)
class AnalysisRowIn:
    """One decision read from the sheet, completed from the proposal where the Tim left a
    column empty (grounds, consequences, period)."""

    item_id: int
    keputusan: str  # "dikecualikan" | "sebagian" | "terbuka"
    bagian_dihitamkan: str | None
    bases: tuple[Basis, ...]
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str
    source_row: int
    alasan_terbuka: str | None = None  # required for "terbuka", None otherwise


@dataclass(frozen=True)
class AnalysisResult:
    rows: tuple[AnalysisRowIn, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------------
# Building the sheet


def _col(key: str) -> int:
    return next(i for i, (k, _, _) in enumerate(COLUMNS, start=1) if k == key)


def _huruf_text(bases: Sequence[Basis]) -> tuple[str, int | None]:
    """The Tim's grounds as the huruf/angka cells show them: one ground as the drop-down
    label and its angka; several as text ("huruf g dan huruf h angka 1")."""
    if not bases:
        return "", None
    if len(bases) == 1:
        return huruf_choice(bases[0].huruf), bases[0].angka
    text = format_basis(bases).removeprefix("Pasal 17 ").removesuffix(f" {LAW_NAME}")
    return text, None


def _item_values(item: AnalysisItemIn) -> dict[str, Any]:
    if item.keputusan is not None and item.keputusan not in KEPUTUSAN_CHOICES:
        raise ValueError(f"item {item.item_id}: unknown keputusan {item.keputusan!r}")
    huruf, angka = _huruf_text(item.bases_tim)
    return {
        ID: item.item_id,
        NO: item.no,
        OPD: item.opd,
        INFORMASI: item.informasi,
        DASAR_OPD: item.dasar_hukum,
        DIBUKA_OPD: item.konsekuensi_dibuka,
        DITUTUP_OPD: item.konsekuensi_ditutup,
        JANGKA_OPD: item.jangka_waktu,
        KEPUTUSAN: KEPUTUSAN_CHOICES[item.keputusan] if item.keputusan else None,
        BAGIAN: item.bagian_dihitamkan,
        ALASAN: item.alasan_terbuka,
        HURUF: huruf,
        ANGKA: angka,
        UU_LAIN: item.other_law_tim,
        DIBUKA_TIM: item.konsekuensi_dibuka_tim,
        DITUTUP_TIM: item.konsekuensi_ditutup_tim,
        JANGKA_TIM: item.jangka_waktu_tim,
    }


def _title_block(ws: Worksheet, cycle_title: str, count: int) -> None:
    last = get_column_letter(len(COLUMNS))
    lines = (
        "LEMBAR ANALISA UJI KONSEKUENSI",
        "Daftar Informasi yang Dikecualikan (DIK)",
        f"Siklus: {cycle_title}",
        f"Jumlah butir: {count}. Kolom abu-abu berisi usulan OPD; Tim Uji Konsekuensi mengisi "
        "kolom Keputusan sampai Jangka waktu (Tim).",
        "Jangan mengubah kolom ID. Petunjuk ada di lembar \u201cPetunjuk\u201d.",
    )
    for row, text in enumerate(lines, start=1):
        cell = write_text_cell(ws, row, 1, text)
        cell.font = Font(bold=row <= 2, size=13 if row == 1 else 11)
        ws.merge_cells(f"A{row}:{last}{row}")


def _header_row(ws: Worksheet) -> None:
    for col, (key, name, width) in enumerate(COLUMNS, start=1):
        cell = write_text_cell(ws, HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.alignment = _WRAP_CENTER
        cell.border = _BORDER
        cell.fill = _HELPER_FILL if key in TIM_FIELDS else _HEADER_FILL
        dim = ws.column_dimensions[get_column_letter(col)]
        dim.width = width
        dim.alignment = _WRAP_TOP
        if key not in _NUMERIC:
            dim.number_format = "@"  # typed text stays text (no formulas, no dates)
    ws.row_dimensions[HEADER_ROW].height = 45


def _item_rows(ws: Worksheet, items: Sequence[AnalysisItemIn]) -> None:
    for row, item in enumerate(items, start=DATA_START_ROW):
        for col, (key, value) in enumerate(_item_values(item).items(), start=1):
            if key in _NUMERIC:
                cell = ws.cell(row=row, column=col, value=value)
            else:
                cell = write_text_cell(ws, row, col, value)
                cell.number_format = "@"
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
            if key in PROPOSAL_FIELDS:
                cell.fill = _GREY


def _validation(formula: str, title: str, prompt: str, error: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="warning",
        promptTitle=title,
        prompt=prompt,
        errorTitle="Pilihan tidak dikenal",
        error=error,
    )


def _drop_downs(ws: Worksheet, count: int) -> None:
    last_row = DATA_START_ROW + max(count, 1) - 1
    lists = (
        (
            KEPUTUSAN,
            _validation(
                REF_KEPUTUSAN_NAME,
                "Keputusan",
                "Dikecualikan, Dikecualikan sebagian, atau Terbuka. Kosongkan bila belum "
                "diputuskan.",
                "Pilih Dikecualikan, Dikecualikan sebagian, atau Terbuka.",
            ),
        ),
        (
            HURUF,
            _validation(
                REF_HURUF_NAME,
                "Pasal 17 huruf",
                "Kosongkan bila sama dengan dasar hukum usulan OPD.",
                "Pilih salah satu huruf a sampai j dari daftar.",
            ),
        ),
        (
            ANGKA,
            _validation(
                REF_ANGKA_NAME,
                "Angka",
                "Hanya untuk huruf a, c, e, f, dan h. Lihat Petunjuk.",
                f"Pilih angka 1 sampai {MAX_POINTS} dari daftar.",
            ),
        ),
    )
    for key, dv in lists:
        letter = get_column_letter(_col(key))
        ws.add_data_validation(dv)
        dv.add(f"{letter}{DATA_START_ROW}:{letter}{last_row}")


def _analysis_sheet(ws: Worksheet, cycle_title: str, items: Sequence[AnalysisItemIn]) -> None:
    ws.title = SHEET_ANALYSIS
    _title_block(ws, cycle_title, len(items))
    _header_row(ws)
    _item_rows(ws, items)
    _drop_downs(ws, len(items))
    last_col = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{DATA_START_ROW + max(len(items), 1) - 1}"
    ws.freeze_panes = f"{get_column_letter(_col(INFORMASI) + 1)}{DATA_START_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _keputusan_list(wb: Workbook) -> None:
    """Add the Keputusan choices to the Form DIK's Referensi sheet (column K)."""
    ws = wb[SHEET_REF]
    write_text_cell(ws, 1, 11, "Keputusan")
    for row, label in enumerate(KEPUTUSAN_CHOICES.values(), start=2):
        write_text_cell(ws, row, 11, label)
    last = len(KEPUTUSAN_CHOICES) + 1
    wb.defined_names[REF_KEPUTUSAN_NAME] = DefinedName(
        REF_KEPUTUSAN_NAME, attr_text=f"{SHEET_REF}!$K$2:$K${last}"
    )


_GUIDE: Final[tuple[str, ...]] = (
    "Setiap baris lembar \u201cLembar Analisa\u201d adalah satu informasi yang diusulkan OPD. "
    "Kolom abu-abu berisi usulan OPD dan tidak dibaca kembali oleh bot; jangan diubah.",
    "Kolom ID menghubungkan baris dengan usulan di bot. Jangan mengubah, menghapus, atau "
    "menyalin ID. Baris boleh diurutkan atau disaring (filter), asalkan ID tetap pada "
    "barisnya.",
    "Keputusan: pilih Dikecualikan, Dikecualikan sebagian, atau Terbuka. Baris yang "
    "Keputusannya kosong dianggap belum diputuskan dan dapat diputuskan kemudian.",
    "Bagian yang dihitamkan: wajib untuk Dikecualikan sebagian; sebutkan bagian informasi "
    "yang dihitamkan pada salinan yang diberikan. Pengecualian sebagian tidak boleh dipakai "
    "untuk menutup seluruh dokumen.",
    "Alasan dinyatakan terbuka: wajib untuk Terbuka; tuliskan mengapa informasi ini tidak "
    "dikecualikan (misalnya tidak memuat data pribadi, atau termasuk informasi yang wajib "
    "diumumkan). Alasan ini dicetak pada Lembar Pengujian dan Ketetapan. Untuk keputusan "
    "lain kolom ini dikosongkan.",
    "Pasal 17 huruf dan Angka: kosongkan bila dasar hukum usulan OPD sudah tepat. Bila diisi, "
    "pilihan Tim menggantikan dasar hukum usulan. Untuk beberapa huruf sekaligus, tulis "
    "misalnya \u201cg dan h angka 1\u201d pada kolom Pasal 17 huruf.",
    "UU/peraturan lain: peraturan selain UU 14/2008 yang menjadi dasar pengecualian, dengan "
    "pasalnya; kosongkan bila sama dengan usulan OPD, tulis \u201c-\u201d bila tidak ada. "
    "Wajib bila dasar pengecualian huruf j: tulis Undang-Undang yang melarang informasi "
    "dibuka, misalnya \u201cUndang-Undang Nomor 36 Tahun 2009 tentang Kesehatan Pasal 57\u201d.",
    "Konsekuensi apabila dibuka/ditutup (Tim): hasil analisa Tim. Kosongkan bila sama dengan "
    "usulan OPD.",
    "Jangka waktu (Tim): kosongkan bila sama dengan usulan OPD. Pengecualian berdasarkan "
    "huruf a sampai f tidak bersifat permanen (Pasal 20 UU 14/2008), jadi tidak boleh "
    "\u201cTidak terbatas\u201d; tulis misalnya \u201c5 tahun\u201d atau \u201cSampai "
    "putusan berkekuatan hukum tetap\u201d.",
    "Jangan memakai rumus dan jangan memberi kata sandi pada berkas. Simpan sebagai berkas "
    ".xlsx lalu kirim kembali melalui bot. Bot memeriksa seluruh baris dan menyebutkan "
    "setiap kesalahan; tidak ada keputusan yang disimpan sebelum semua kesalahan diperbaiki.",
)


def _guide_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(SHEET_GUIDE)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 100
    title = "PETUNJUK PENGISIAN LEMBAR ANALISA UJI KONSEKUENSI"
    write_text_cell(ws, 1, 1, title).font = Font(bold=True, size=13)
    row = 3
    for number, line in enumerate(_GUIDE, start=1):
        ws.cell(row=row, column=1, value=number).alignment = _WRAP_TOP
        write_text_cell(ws, row, 2, line).alignment = _WRAP_TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 45
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


def build_analysis_sheet(*, cycle_title: str, items: Sequence[AnalysisItemIn]) -> bytes:
    """Return the XLSX bytes of the Lembar Analisa Uji Konsekuensi for ``items``."""
    wb = Workbook()
    wb.properties.creator = "PPID Kota Kupang"
    wb.properties.title = "Lembar Analisa Uji Konsekuensi"
    _analysis_sheet(wb.active, cycle_title, items)
    _guide_sheet(wb)
    _reference_sheet(wb)
    _keputusan_list(wb)
    buf = BytesIO()
    print_ready(wb)
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading: the header


def classify_analysis_header(text: str) -> str | None:
    """Return the column key a header cell of the Lembar Analisa names, or None."""
    if len(text) > 120:
        return None
    h = normalise_header(text)
    if h in ("id", "id butir", "id usulan", "id item"):
        return ID
    if h == "informasi":
        return INFORMASI
    if not h or "usulan" in h or "opd" in h or "penguasa" in h:
        return None  # the proposal's columns are not read back
    if "keputusan" in h:
        return KEPUTUSAN
    if h.startswith("alasan"):
        return ALASAN
    if "dihitamkan" in h or h.startswith("bagian"):
        return BAGIAN
    if "uu lain" in h or "undang undang lain" in h or "peraturan lain" in h:
        return UU_LAIN
    if "huruf" in h:
        return HURUF
    if h.startswith("angka"):
        return ANGKA
    if "dibuka" in h:
        return DIBUKA_TIM
    if "ditutup" in h:
        return DITUTUP_TIM
    if "jangka" in h:
        return JANGKA_TIM
    return None


def _header_columns(row: Sequence[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for idx, value in enumerate(row):
        key = classify_analysis_header(value) if isinstance(value, str) else None
        if key is not None and key not in columns:
            columns[key] = idx
    return columns


@dataclass(frozen=True)
class _Table:
    header_row: int  # 1-based
    columns: dict[str, int]


def _locate(wb: Any) -> tuple[_Table, Iterator[tuple[Any, ...]]] | None:
    """Find the sheet and its header row; return it with an iterator over the rows below."""
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    preferred = [ws for ws in visible if ws.title.strip().lower() == SHEET_ANALYSIS.lower()]
    for ws in preferred + [ws for ws in visible if ws not in preferred]:
        ws.reset_dimensions()  # some writers store a wrong <dimension>
        it = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        for number, row in zip(range(1, HEADER_SEARCH_ROWS + 1), it, strict=False):
            columns = _header_columns(row)
            if all(key in columns for key in _REQUIRED):
                return _Table(number, columns), it
    return None


# ---------------------------------------------------------------------------------------------
# Reading: one row


@dataclass
class _Report:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, key: str | None, message: str) -> None:
        self.problems.append(Problem(row, LABELS[key] if key else None, message))

    def warn(self, row: int | None, key: str | None, message: str) -> None:
        self.warnings.append(Problem(row, LABELS[key] if key else None, message))


@dataclass
class _Row:
    number: int
    raw: dict[str, Any]
    text: dict[str, str]

    def get(self, key: str) -> str:
        return self.text.get(key, "")


def _cells(table: _Table, number: int, values: Sequence[Any]) -> _Row:
    raw = {key: values[idx] if idx < len(values) else None for key, idx in table.columns.items()}
    return _Row(number, raw, {key: _text(value) for key, value in raw.items()})


def _check_cells(row: _Row, keys: Sequence[str], max_chars: int, report: _Report) -> bool:
    """Formula and length checks on the cells the Tim fills; True if all can be used."""
    ok = True
    for key in keys:
        if key not in row.raw:
            continue
        if _is_formula(row.raw[key]):
            report.problem(row.number, key, "berisi rumus; ganti dengan teks biasa")
            ok = False
        elif len(row.text[key]) > max_chars:
            size = f"{len(row.text[key]):,} karakter; maksimal {max_chars:,}".replace(",", ".")
            report.problem(row.number, key, f"teks terlalu panjang ({size})")
            ok = False
    return ok


_KEPUTUSAN_WORDS: Final = re.compile(r"[^a-z]+")


def parse_keputusan(text: str) -> str | None:
    """Read a Keputusan cell leniently: "Dikecualikan sebagian"/"Sebagian" -> "sebagian",
    "Terbuka"/"Tidak dikecualikan" -> "terbuka", "Dikecualikan" -> "dikecualikan"."""
    h = " ".join(_KEPUTUSAN_WORDS.sub(" ", text.lower()).split())
    if not h:
        return None
    if "sebagian" in h:
        return SEBAGIAN
    if re.search(r"\b(?:tidak|bukan|tdk)\s+dikecualikan\b", h) or h in ("dibuka", "buka"):
        return TERBUKA
    if "terbuka" in h:
        return TERBUKA
    if "dikecualikan" in h or h in ("tertutup", "ditutup", "dirahasiakan", "rahasia"):
        return DIKECUALIKAN
    return None


def _item_id(row: _Row) -> int | None:
    value = row.raw.get(ID)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = row.get(ID)
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    return None


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


_SINGLE_HURUF: Final = re.compile(r"\(?\s*([a-z])\s*\)?\.?", re.IGNORECASE)
_LABELS_TO_HURUF: Final = {normalise_header(huruf_choice(key)): key for key in GROUNDS}


def _tim_bases(row: _Row) -> tuple[list[Basis], str | None, str | None]:
    """The grounds typed in the huruf column: (bases, other law, error message)."""
    text = row.get(HURUF)
    by_label = _LABELS_TO_HURUF.get(normalise_header(text))
    single = _SINGLE_HURUF.fullmatch(text)
    letter = by_label or (single.group(1).lower() if single else None)
    if letter is not None:
        if letter in GROUNDS:
            return [Basis(letter)], None, None
        return [], None, f'"{text[:40]}" bukan huruf Pasal 17; pilih a sampai j dari daftar'
    low = text.lower()
    if low.startswith("pasal"):
        phrase = text
    elif low.startswith(("huruf", "hrf")):
        phrase = f"Pasal 17 {text}"
    else:
        phrase = f"Pasal 17 huruf {text}"
    parsed = parse_dasar_hukum(phrase)
    if parsed.invalid or parsed.questions:
        return [], None, "; ".join((*parsed.invalid, *parsed.questions))
    if not parsed.bases:
        return [], None, f'"{text[:40]}" bukan huruf Pasal 17; pilih a sampai j dari daftar'
    return list(parsed.bases), parsed.other_law, None


def _tim_angka(row: _Row, report: _Report) -> tuple[int | None, bool]:
    text = row.get(ANGKA)
    if not text:
        return None, True
    if text.isdigit() and 0 < int(text) < 100:
        return int(text), True
    report.problem(row.number, ANGKA, f'"{text[:40]}" bukan angka; pilih dari daftar')
    return None, False


def _proposal_bases(item: AnalysisItemIn) -> tuple[list[Basis], str | None]:
    if item.bases:
        return list(item.bases), item.other_law
    parsed = parse_dasar_hukum(item.dasar_hukum)
    other_law = item.other_law or parsed.other_law
    if parsed.invalid or parsed.questions:
        return [], other_law
    return list(parsed.bases), other_law


@dataclass
class _Bases:
    bases: tuple[Basis, ...]
    other_law: str | None
    ok: bool


def _resolve_bases(row: _Row, item: AnalysisItemIn, report: _Report, quiet: bool) -> _Bases:
    """Pasal 17 grounds: the Tim's huruf/angka columns, else the proposal's.

    With ``quiet`` (a "terbuka" decision) nothing is reported; unusable grounds give ().
    """
    sink = _Report() if quiet else report
    angka, angka_ok = _tim_angka(row, sink)
    other_law: str | None
    if row.get(HURUF):
        bases, other_law, error = _tim_bases(row)
        if error:
            sink.problem(row.number, HURUF, error)
            return _Bases((), None, False)
        other_law = other_law or _proposal_bases(item)[1]  # a law the OPD named still counts
        source = HURUF
    else:
        bases, other_law = _proposal_bases(item)
        if not bases:
            sink.problem(
                row.number,
                HURUF,
                "kosong, dan dasar hukum usulan OPD tidak menyebut huruf Pasal 17 yang sah; "
                "pilih hurufnya dari daftar",
            )
            return _Bases((), None, False)
        source = DASAR_OPD
    if angka is not None:
        letters = list(dict.fromkeys(b.huruf for b in bases))
        if len(letters) != 1:
            where = "kolom Pasal 17 huruf" if source == HURUF else "dasar hukum usulan OPD"
            sink.problem(
                row.number,
                ANGKA,
                f"{where} menyebut lebih dari satu huruf; tulis angkanya pada kolom Pasal 17 "
                'huruf, misalnya "g dan h angka 1"',
            )
            return _Bases((), None, False)
        bases = [Basis(letters[0], angka)]
    valid = True
    for basis in bases:
        ground = GROUNDS[basis.huruf]
        if basis.angka is None or ground.point(basis.angka) is not None:
            continue
        valid = False
        if not ground.points:
            sink.problem(row.number, ANGKA, f"huruf {basis.huruf} tidak memiliki angka")
        else:
            sink.problem(
                row.number,
                ANGKA,
                f"huruf {basis.huruf} hanya memiliki angka 1 sampai {len(ground.points)}",
            )
    if not valid or not angka_ok:
        return _Bases((), None, False)
    return _other_law(row, tuple(dict.fromkeys(bases)), other_law, sink, quiet)


_NONE: Final = ("-", "tidak ada", "tidak ada.", "nihil")


def _other_law(
    row: _Row, bases: tuple[Basis, ...], fallback: str | None, report: _Report, quiet: bool
) -> _Bases:
    has_j = any(b.huruf == "j" for b in bases)
    typed = row.get(UU_LAIN).strip()
    # Every other law goes with the item: the Tim's column, else the OPD's; "-" clears it.
    other_law = (None if typed.lower() in _NONE else typed) if typed else fallback
    if not has_j:
        return _Bases(bases, None if quiet else other_law, True)
    if not other_law:
        report.problem(
            row.number,
            UU_LAIN,
            "kosong; huruf j harus menyebut Undang-Undang lain yang menjadi dasar pengecualian "
            '(misalnya "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan")',
        )
        return _Bases((), None, False)
    return _Bases(bases, other_law, True)


def _check_period(
    row: _Row, item: AnalysisItemIn, bases: tuple[Basis, ...], report: _Report
) -> None:
    jangka = row.get(JANGKA_TIM) or item.jangka_waktu.strip()
    if not jangka:
        report.problem(
            row.number, JANGKA_TIM, "kosong, dan usulan OPD juga tidak menyebut jangka waktu"
        )
        return
    limited = sorted({b.huruf for b in bases if is_time_limited(b.huruf)})
    if limited and _PERMANENT.search(jangka):
        source = "" if row.get(JANGKA_TIM) else f' (jangka waktu usulan OPD: "{jangka[:60]}")'
        report.problem(
            row.number,
            JANGKA_TIM,
            f"pengecualian huruf {', '.join(limited)} tidak boleh tidak terbatas/permanen: "
            "menurut Pasal 20 UU 14/2008 pengecualian huruf a sampai f tidak bersifat "
            f'permanen; isi jangka waktunya, misalnya "5 tahun"{source}',
        )


def _decide_row(
    row: _Row, item: AnalysisItemIn, keputusan: str, report: _Report
) -> AnalysisRowIn | None:
    before = len(report.problems)
    exempt = keputusan != TERBUKA
    bagian: str | None = row.get(BAGIAN) or None
    if keputusan == SEBAGIAN and bagian is None:
        report.problem(
            row.number,
            BAGIAN,
            "kosong; untuk Dikecualikan sebagian sebutkan bagian informasi yang dihitamkan",
        )
    elif keputusan != SEBAGIAN and bagian is not None:
        report.warn(
            row.number,
            BAGIAN,
            "diisi, tetapi keputusannya bukan Dikecualikan sebagian; isian ini diabaikan",
        )
        bagian = None
    alasan: str | None = row.get(ALASAN) or None
    if keputusan == TERBUKA and alasan is None:
        report.problem(
            row.number,
            ALASAN,
            "kosong; untuk Terbuka tuliskan alasan Tim menyatakan informasi ini terbuka",
        )
    elif keputusan == TERBUKA and alasan is not None and len(alasan) > MAX_ALASAN:
        size = f"{len(alasan):,} karakter; maksimal {MAX_ALASAN:,}".replace(",", ".")
        report.problem(row.number, ALASAN, f"teks terlalu panjang ({size})")
    elif keputusan != TERBUKA and alasan is not None:
        report.warn(
            row.number, ALASAN, "diisi, tetapi keputusannya bukan Terbuka; isian ini diabaikan"
        )
        alasan = None
    resolved = _resolve_bases(row, item, report, quiet=not exempt)
    dibuka = row.get(DIBUKA_TIM) or item.konsekuensi_dibuka.strip()
    ditutup = row.get(DITUTUP_TIM) or item.konsekuensi_ditutup.strip()
    if exempt:
        if resolved.ok:
            _check_period(row, item, resolved.bases, report)
        if not dibuka and not ditutup:
            report.problems.append(
                Problem(
                    row.number,
                    f"{LABELS[DIBUKA_TIM]} / {LABELS[DITUTUP_TIM]}",
                    "kosong, dan usulan OPD juga tidak menguraikan konsekuensinya",
                )
            )
    if len(report.problems) > before:
        return None
    return AnalysisRowIn(
        item_id=item.item_id,
        keputusan=keputusan,
        bagian_dihitamkan=bagian,
        bases=resolved.bases,
        other_law=resolved.other_law,
        konsekuensi_dibuka=dibuka,
        konsekuensi_ditutup=ditutup,
        jangka_waktu=row.get(JANGKA_TIM) or item.jangka_waktu.strip(),
        source_row=row.number,
        alasan_terbuka=alasan,
    )


# ---------------------------------------------------------------------------------------------
# Reading: the sheet


@dataclass
class _State:
    items: dict[int, AnalysisItemIn]
    max_chars: int
    report: _Report = field(default_factory=_Report)
    seen: dict[int, int] = field(default_factory=dict)  # item id -> sheet row
    decided: set[int] = field(default_factory=set)  # ids with a Keputusan (even if faulty)
    undecided_rows: list[int] = field(default_factory=list)
    rows: list[AnalysisRowIn] = field(default_factory=list)


def _match_item(row: _Row, state: _State) -> AnalysisItemIn | None:
    """The item the row's ID names, reporting a missing, unknown, duplicated or shifted ID."""
    report = state.report
    if not row.get(ID):
        report.problem(row.number, ID, "kosong; jangan menghapus ID (unduh ulang lembar ini)")
        return None
    item_id = _item_id(row)
    item = state.items.get(item_id) if item_id is not None else None
    if item_id is None or item is None:
        report.problem(
            row.number,
            ID,
            f'"{row.get(ID)[:20]}" bukan ID butir pada siklus ini; jangan mengubah kolom ID',
        )
        return None
    if item_id in state.seen:
        report.problem(
            row.number,
            ID,
            f"ID {item_id} sudah dipakai pada baris {state.seen[item_id]}; satu butir hanya "
            "boleh satu baris",
        )
        return None
    state.seen[item_id] = row.number
    shown = row.get(INFORMASI)
    if shown and not _same_text(shown, safe_text(item.informasi)):
        report.problem(
            row.number,
            ID,
            f'ID {item_id} adalah butir No {item.no} ("{item.informasi[:60]}"), tetapi kolom '
            f'Informasi baris ini berisi "{shown[:60]}"; jangan mengubah kolom ID dan kolom '
            "abu-abu",
        )
        return None
    return item


def _read_row(row: _Row, state: _State) -> None:
    if not any(row.get(key) for key in (ID, *TIM_FIELDS)):
        return  # an empty row, or a note beside the table
    if not _check_cells(row, (ID, KEPUTUSAN), state.max_chars, state.report):
        return
    item = _match_item(row, state)
    keputusan_text = row.get(KEPUTUSAN)
    if not keputusan_text:
        state.undecided_rows.append(row.number)
        if item is not None and any(row.get(key) for key in TIM_FIELDS):
            state.report.warn(
                row.number, KEPUTUSAN, "kosong; isian Tim pada baris ini tidak disimpan"
            )
        return
    keputusan = parse_keputusan(keputusan_text)
    if keputusan is None:
        state.report.problem(
            row.number,
            KEPUTUSAN,
            f'"{keputusan_text[:40]}" tidak dikenal; pilih Dikecualikan, Dikecualikan sebagian, '
            "atau Terbuka",
        )
    if item is None:
        return
    state.decided.add(item.item_id)
    cells_ok = _check_cells(row, TIM_FIELDS[1:], state.max_chars, state.report)
    if keputusan is None or not cells_ok:
        return
    decided = _decide_row(row, item, keputusan, state.report)
    if decided is not None:
        state.rows.append(decided)


def _data_rows(
    table: _Table, rest: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    blank_run = 0
    for number, values in enumerate(rest, start=table.header_row + 1):
        if values.count(None) < len(values):
            blank_run = 0
            yield number, values
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                return


def _undecided_warning(state: _State) -> Problem | None:
    open_items = [item for item in state.items.values() if item.item_id not in state.decided]
    if not open_items:
        return None
    numbers = sorted(item.no for item in open_items)
    listed = ", ".join(str(n) for n in numbers[:10])
    if len(numbers) > 10:
        listed += f", dan {len(numbers) - 10} lainnya"
    return Problem(None, None, f"{len(open_items)} butir belum diputuskan: No {listed}")


def _read_table(table: _Table, rest: Iterator[tuple[Any, ...]], state: _State) -> None:
    limit = len(state.items) + EXTRA_ROWS
    count = 0
    for number, values in _data_rows(table, rest):
        count += 1
        if count > limit:
            state.report.problem(
                None,
                None,
                f"Lembar berisi lebih dari {limit:,} baris terisi. ".replace(",", ".")
                + "Mohon gunakan Lembar Analisa yang dikirim bot.",
            )
            return
        _read_row(_cells(table, number, values), state)
    if not state.decided and not state.report.problems:
        state.report.problem(
            None,
            None,
            "Belum ada butir yang diputuskan: kolom Keputusan kosong pada semua baris.",
        )


_NO_HEADER: Final = (
    f"Baris judul kolom (ID dan Keputusan) tidak ditemukan pada {HEADER_SEARCH_ROWS} baris "
    "pertama. Mohon gunakan Lembar Analisa Uji Konsekuensi yang dikirim bot."
)
_UNREADABLE: Final = (
    "Berkas Excel tidak dapat dibaca (rusak atau formatnya tidak didukung). "
    "Mohon buka di Excel, simpan ulang sebagai .xlsx, lalu kirim kembali."
)


def _read_workbook(data: bytes, state: _State) -> AnalysisResult:
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (e.g. Excel's data-validation extension that
        # holds the drop-down lists); only cell values are read here.
        warnings.simplefilter("ignore")
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            located = _locate(wb)
            if located is None:
                return AnalysisResult(problems=(Problem(None, None, _NO_HEADER),))
            table, rest = located
            _read_table(table, rest, state)
        finally:
            wb.close()
    report = state.report
    undecided = _undecided_warning(state)
    if undecided is not None:
        report.warnings.insert(0, undecided)
    return AnalysisResult(tuple(state.rows), tuple(report.problems), tuple(report.warnings))


def read_analysis_sheet(
    data: bytes,
    *,
    items: Sequence[AnalysisItemIn],
    max_bytes: int = 5_000_000,
    max_cell_chars: int = 4000,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> AnalysisResult:
    """Read an uploaded Lembar Analisa; store nothing unless ``problems`` is empty.

    Nothing is parsed as XML before :func:`check_xlsx_upload` has passed the package.
    """
    data = bytes(data)
    refusal = check_xlsx_upload(data, max_bytes=max_bytes, max_uncompressed=max_uncompressed)
    if refusal is not None:
        return AnalysisResult(problems=(Problem(None, None, refusal),))
    state = _State({item.item_id: item for item in items}, max_cell_chars)
    try:
        return _read_workbook(data, state)
    except Exception:  # openpyxl raises many types for a broken package
        logger.warning("Lembar Analisa upload could not be parsed", exc_info=True)
        return AnalysisResult(problems=(Problem(None, None, _UNREADABLE),))
