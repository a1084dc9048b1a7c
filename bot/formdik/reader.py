"""Read a filled Form DIK (an untrusted upload) into proposal rows, or say what to fix.

The file is checked as a ZIP package before openpyxl sees it (see
:func:`bot.xlsx_safe.check_xlsx_upload`), then read in read-only mode. Columns are found by
their header names (with synonyms, also two-row headers), so rows pasted from older DIK tables
are accepted. Every problem is collected, row by row; the caller stores nothing unless
``problems`` is empty.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from bot.dasar_hukum import J_NEEDS_LAW, ParsedBasis, parse_dasar_hukum
from bot.formdik.template import (
    ANGKA,
    DASAR_HUKUM,
    DIBUKA,
    DITUTUP,
    FIELD_LABELS,
    HURUF,
    INFORMASI,
    JANGKA_WAKTU,
    KONSEKUENSI,
    NO,
    SHEET_FORM,
    classify_header,
)
from bot.pasal17 import GROUNDS, Basis, format_basis, is_time_limited
from bot.xlsx_safe import MAX_UNCOMPRESSED, check_xlsx_upload

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 15
MAX_COLUMNS = 50
MAX_BLANK_RUN = 10_000  # consecutive empty rows after which the sheet is taken as ended

_REQUIRED = (INFORMASI, DASAR_HUKUM, JANGKA_WAKTU)
_CONSEQUENCES = (DIBUKA, DITUTUP, KONSEKUENSI)
_STORED = (INFORMASI, DASAR_HUKUM, DIBUKA, DITUTUP, KONSEKUENSI, JANGKA_WAKTU, HURUF, ANGKA)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Problem:
    """Something to fix (or, in ``warnings``, to check), located by sheet row and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return f"Baris {self.row}, kolom {self.column}: {self.message}"
        if self.row is not None:
            return f"Baris {self.row}: {self.message}"
        if self.column:
            return f"Kolom {self.column}: {self.message}"
        return self.message


@dataclass(frozen=True)
class ProposalRowIn:
    """One proposed item as read from the form; texts are stripped originals."""

    source_row: int
    informasi: str
    dasar_hukum: str
    bases: tuple[Basis, ...]
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str


@dataclass(frozen=True)
class FormDikResult:
    rows: tuple[ProposalRowIn, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    sheet_name: str | None = None
    cause: str = ""  # why a file could not be read at all ("BadZipFile: ..."), for the log

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Limits:
    max_rows: int
    max_cell_chars: int


# ---------------------------------------------------------------------------------------------
# Finding the table


@dataclass(frozen=True)
class _Table:
    """Where the data is: sheet, header row, field -> 0-based column index and label."""

    sheet: str
    header_row: int
    first_data_row: int
    columns: dict[str, int]
    labels: dict[str, str]

    def label(self, field: str) -> str:
        return self.labels.get(field, FIELD_LABELS[field])


def _header_fields(row: Sequence[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for idx, value in enumerate(row):
        if isinstance(value, str):
            field = classify_header(value)
            if field:
                found[idx] = field
    return found


def _score(fields: dict[int, str]) -> int:
    present = set(fields.values())
    score = sum(f in present for f in _REQUIRED)
    return score + (1 if present & set(_CONSEQUENCES) else 0)


def _is_header(fields: dict[int, str]) -> bool:
    present = set(fields.values())
    return _score(fields) >= 2 and bool(present & {INFORMASI, DASAR_HUKUM})


def _at(row: Sequence[Any], idx: int) -> str:
    value = row[idx] if idx < len(row) else None
    return value.strip() if isinstance(value, str) else ""


def _merge_subheader(fields: dict[int, str], top: Sequence[Any], sub: Sequence[Any]) -> bool:
    """Apply a second header row ("apabila dibuka" | "apabila ditutup"); True if it was one.

    A data row never qualifies: its Informasi / Dasar Hukum cells are filled.
    """
    sub_fields = _header_fields(sub)
    if not {DIBUKA, DITUTUP} & set(sub_fields.values()):
        return False
    if any(f in (INFORMASI, DASAR_HUKUM) and _at(sub, idx) for idx, f in fields.items()):
        return False
    if any(isinstance(v, str) and len(v) > 60 for v in sub):
        return False
    for idx in sub_fields:
        field = classify_header(f"{_at(top, idx)} {_at(sub, idx)}")
        if field in _CONSEQUENCES:
            fields[idx] = field
    return True


def _clean_label(text: str) -> str:
    label = " ".join(text.split())
    return label if len(label) <= 60 else label[:57] + "..."


def _make_table(
    sheet: str, rows: list[tuple[Any, ...]], index: int, fields: dict[int, str]
) -> _Table:
    """Build the table found at ``rows[index]`` (0-based), with its sub-header row if any."""
    header = rows[index]
    sub: tuple[Any, ...] = ()
    if index + 1 < len(rows) and _merge_subheader(fields, header, rows[index + 1]):
        sub = rows[index + 1]
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for idx, field in sorted(fields.items()):
        if field not in columns:
            columns[field] = idx
            labels[field] = _clean_label(f"{_at(header, idx)} {_at(sub, idx)}")
    header_row = index + 1  # sheet rows are 1-based
    first_data_row = header_row + (2 if sub else 1)
    return _Table(sheet, header_row, first_data_row, columns, labels)


def _find_header(sheet: str, rows: list[tuple[Any, ...]]) -> _Table | None:
    best: tuple[int, int, dict[int, str]] | None = None
    for index, row in enumerate(rows):
        fields = _header_fields(row)
        if _is_header(fields) and (best is None or _score(fields) > best[0]):
            best = (_score(fields), index, fields)
    if best is None:
        return None
    return _make_table(sheet, rows, best[1], best[2])


def _candidate_sheets(wb: Any) -> list[Any]:
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    preferred = [ws for ws in visible if ws.title.strip().lower() == SHEET_FORM.lower()]
    return preferred + [ws for ws in visible if ws not in preferred]


def _locate(wb: Any) -> tuple[_Table, list[tuple[Any, ...]], Iterator[tuple[Any, ...]]] | None:
    """Find the sheet with the header; return it with the rows read so far and the rest."""
    for ws in _candidate_sheets(wb):
        ws.reset_dimensions()  # some writers store a wrong <dimension>
        it = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), it, strict=False)]
        table = _find_header(ws.title, head)
        if table is not None:
            return table, head, it
    return None


def _missing_columns(table: _Table) -> list[Problem]:
    missing = [f for f in _REQUIRED if f not in table.columns]
    if not set(_CONSEQUENCES) & set(table.columns):
        missing.append(KONSEKUENSI)
    message = (
        f"tidak ditemukan pada baris judul (baris {table.header_row}). "
        "Mohon gunakan Form DIK dari bot tanpa mengubah judul kolom."
    )
    return [Problem(None, FIELD_LABELS[f], message) for f in missing]


# ---------------------------------------------------------------------------------------------
# Reading cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "Ya" if value else "Tidak"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        fmt = "%d-%m-%Y" if (value.hour, value.minute) == (0, 0) else "%d-%m-%Y %H:%M"
        text = value.strftime(fmt)
    elif isinstance(value, date):
        text = value.strftime("%d-%m-%Y")
    else:
        text = str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_formula(value: Any) -> bool:
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


_NUMBERING = re.compile(
    r"^\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})(?:[.)]\s*(?:\d{1,3}|[a-z])?)*[.)]?$", re.IGNORECASE
)
_HEADING_TEXT = re.compile(r"^(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]\s+\S", re.IGNORECASE)
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
_PERMANENT = re.compile(r"tidak\s+terbatas|permanen|selamanya|seterusnya", re.IGNORECASE)
_HURUF_CELL = re.compile(
    r"^(?:pasal\s*17\s*)?(?:huruf\s*)?\(?\s*([a-z])\s*\)?(?=$|[\s.:)\-])", re.IGNORECASE
)


def _is_column_number_row(row: _Row, values: Sequence[Any]) -> bool:
    if not _COLUMN_NUMBER.match(row.text.get(INFORMASI, "")):
        return False
    numbers: list[int] = []
    for value in values:
        text = _text(value)
        if not text:
            continue
        m = _COLUMN_NUMBER.match(text)
        if not m:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


@dataclass
class _Row:
    """The cells of one sheet row that belong to our fields."""

    number: int
    raw: dict[str, Any]
    text: dict[str, str]

    def filled(self, field: str) -> bool:
        return bool(self.text.get(field))


def _cells(table: _Table, number: int, values: Sequence[Any]) -> _Row:
    raw: dict[str, Any] = {}
    for field, idx in table.columns.items():
        raw[field] = values[idx] if idx < len(values) else None
    return _Row(number, raw, {f: _text(v) for f, v in raw.items()})


def _is_heading(row: _Row) -> bool:
    if any(row.filled(f) for f in _STORED if f != INFORMASI) or not row.filled(INFORMASI):
        return False
    if row.filled(NO):
        return bool(_NUMBERING.match(row.text[NO]))
    return bool(_HEADING_TEXT.match(row.text[INFORMASI]))


# ---------------------------------------------------------------------------------------------
# Checking one row


@dataclass
class _RowReport:
    problems: list[Problem]
    warnings: list[Problem]

    def problem(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    def warn(self, row: int, column: str | None, message: str) -> None:
        self.warnings.append(Problem(row, column, message))


def _check_cells(table: _Table, row: _Row, limits: _Limits, report: _RowReport) -> set[str]:
    """Formula and length checks; return the fields whose cell cannot be used."""
    bad: set[str] = set()
    for field in _STORED:
        if field not in row.raw:
            continue
        if _is_formula(row.raw[field]):
            report.problem(row.number, table.label(field), "berisi rumus; ganti dengan teks biasa")
            bad.add(field)
        elif len(row.text[field]) > limits.max_cell_chars:
            report.problem(
                row.number,
                table.label(field),
                f"teks terlalu panjang ({len(row.text[field]):,} karakter; maksimal "
                f"{limits.max_cell_chars:,})".replace(",", "."),
            )
            bad.add(field)
    return bad


def _check_required(table: _Table, row: _Row, bad: set[str], report: _RowReport) -> None:
    if INFORMASI not in bad and not row.filled(INFORMASI):
        report.problem(row.number, table.label(INFORMASI), "kosong")
    if DASAR_HUKUM not in bad and not row.filled(DASAR_HUKUM) and not row.filled(HURUF):
        report.problem(row.number, table.label(DASAR_HUKUM), "kosong")
    present = [f for f in _CONSEQUENCES if f in table.columns]
    if not any(row.filled(f) or f in bad for f in present):
        label = " / ".join(table.label(f) for f in present)
        report.problem(
            row.number, label, "kosong; isi konsekuensi apabila dibuka dan/atau ditutup"
        )
    if JANGKA_WAKTU not in bad and not row.filled(JANGKA_WAKTU):
        report.problem(row.number, table.label(JANGKA_WAKTU), "kosong")


def _helper_huruf(table: _Table, row: _Row, report: _RowReport) -> str | None:
    text = row.text.get(HURUF, "")
    if not text:
        return None
    m = _HURUF_CELL.match(text)
    letter = m.group(1).lower() if m else None
    if letter is None or letter not in GROUNDS:
        report.problem(
            row.number, table.label(HURUF), f'"{text[:40]}" bukan huruf Pasal 17; pilih a sampai j'
        )
        return None
    return letter


def _helper_angka(table: _Table, row: _Row, report: _RowReport) -> int | None:
    text = row.text.get(ANGKA, "")
    if not text:
        return None
    if text.isdigit() and 0 < int(text) < 100:
        return int(text)
    report.problem(row.number, table.label(ANGKA), f'"{text[:40]}" bukan angka; pilih dari daftar')
    return None


def _combine(
    parsed: ParsedBasis, huruf: str | None, angka: int | None
) -> tuple[list[Basis], str | None]:
    """Let the helper columns complete or override the parsed bases; return a note if they
    disagree with the text."""
    bases = list(parsed.bases)
    if huruf is None:
        if angka is not None and len(bases) == 1 and bases[0].angka is None:
            return [Basis(bases[0].huruf, angka)], None
        return bases, None
    same = [b for b in bases if b.huruf == huruf]
    if not bases:
        return [Basis(huruf, angka)], None
    if not same:
        written = ", ".join(sorted({b.huruf for b in bases}))
        note = f"berbeda dengan teks Dasar Hukum (huruf {written}); yang dipakai huruf {huruf}"
        return [Basis(huruf, angka)], note
    if angka is None or any(b.angka == angka for b in same):
        return bases, None
    others = [b for b in bases if b.huruf != huruf]
    if any(b.angka is not None for b in same):
        changed = f"angka berbeda dengan teks Dasar Hukum; yang dipakai angka {angka}"
        return [*others, Basis(huruf, angka)], changed
    return [*others, Basis(huruf, angka)], None


def _validate_bases(
    table: _Table, row: _Row, bases: list[Basis], report: _RowReport
) -> list[Basis]:
    valid: list[Basis] = []
    for basis in bases:
        ground = GROUNDS[basis.huruf]
        if basis.angka is None or ground.point(basis.angka) is not None:
            valid.append(basis)
        elif not ground.points:
            report.problem(
                row.number, table.label(ANGKA), f"huruf {basis.huruf} tidak memiliki angka"
            )
        else:
            report.problem(
                row.number,
                table.label(ANGKA),
                f"huruf {basis.huruf} hanya memiliki angka 1 sampai {len(ground.points)}",
            )
    return valid


def _no_letter_message(table: _Table, parsed: ParsedBasis) -> str:
    message = "tidak menyebut huruf Pasal 17 UU 14/2008"
    if HURUF in table.columns:
        message += "; pilih hurufnya pada kolom " + table.label(HURUF)
    else:
        message += '; tuliskan hurufnya, misalnya "Pasal 17 huruf h angka 2"'
    if parsed.other_law and "Undang-Undang" in parsed.other_law:
        message += f" (untuk pengecualian berdasarkan {parsed.other_law}, pilih huruf j)"
    return message


def _bases_for(
    table: _Table, row: _Row, bad: set[str], report: _RowReport
) -> tuple[tuple[Basis, ...], str | None]:
    """The row's Pasal 17 bases from the text and the helper columns, reporting issues."""
    dasar = table.label(DASAR_HUKUM)
    parsed = parse_dasar_hukum("" if DASAR_HUKUM in bad else row.text.get(DASAR_HUKUM, ""))
    huruf = None if HURUF in bad else _helper_huruf(table, row, report)
    angka = None if ANGKA in bad else _helper_angka(table, row, report)
    for message in parsed.invalid:
        report.problem(row.number, dasar, message)
    if angka is None:  # a chosen angka answers what the text leaves open
        for question in parsed.questions:
            report.problem(row.number, dasar, question)
    if parsed.needs_choice and huruf is None:
        if DASAR_HUKUM not in bad and row.filled(DASAR_HUKUM):
            report.problem(row.number, dasar, _no_letter_message(table, parsed))
        return (), parsed.other_law
    if not parsed.needs_choice:
        for message in parsed.warnings:
            if message != J_NEEDS_LAW:
                report.warn(row.number, dasar, message)
    bases, note = _combine(parsed, huruf, angka)
    if note:
        report.warn(row.number, table.label(HURUF), note)
    bases = _validate_bases(table, row, bases, report)
    other_law = parsed.other_law  # every other law the cell cites goes with the item
    if any(b.huruf == "j" for b in bases) and other_law is None:
        report.problem(
            row.number,
            dasar,
            "huruf j harus menyebut Undang-Undang lain yang menjadi dasar pengecualian "
            '(misalnya "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan")',
        )
    return tuple(bases), other_law


def _split_combined(text: str) -> tuple[str, str]:
    """Split one "Konsekuensi/Pertimbangan" cell at "apabila ditutup" if the text has it."""
    m = re.search(r"(?:apabila|jika|bila|kalau)\s+(?:informasi\s+)?ditutup", text, re.I)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(" ;,\n"), text[m.start() :].strip()
    return text, ""


def _consequences(row: _Row) -> tuple[str, str]:
    dibuka, ditutup = row.text.get(DIBUKA, ""), row.text.get(DITUTUP, "")
    combined = row.text.get(KONSEKUENSI, "")
    if combined:
        first, second = _split_combined(combined)
        dibuka = dibuka or first
        ditutup = ditutup or second
    return dibuka, ditutup


def _check_row(
    table: _Table, row: _Row, limits: _Limits, report: _RowReport
) -> ProposalRowIn | None:
    before = len(report.problems)
    bad = _check_cells(table, row, limits, report)
    _check_required(table, row, bad, report)
    bases, other_law = _bases_for(table, row, bad, report)
    jangka = row.text.get(JANGKA_WAKTU, "")
    limited = sorted({b.huruf for b in bases if is_time_limited(b.huruf)})
    if limited and _PERMANENT.search(jangka):
        report.warn(
            row.number,
            table.label(JANGKA_WAKTU),
            f"pengecualian huruf {', '.join(limited)} tidak bersifat permanen (Pasal 20 "
            "UU 14/2008); mohon tetapkan jangka waktunya",
        )
    if len(report.problems) > before:
        return None
    dibuka, ditutup = _consequences(row)
    dasar = row.text.get(DASAR_HUKUM, "") or format_basis(bases, other_law)
    return ProposalRowIn(
        source_row=row.number,
        informasi=row.text[INFORMASI],
        dasar_hukum=dasar,
        bases=bases,
        other_law=other_law,
        konsekuensi_dibuka=dibuka,
        konsekuensi_ditutup=ditutup,
        jangka_waktu=jangka,
    )


# ---------------------------------------------------------------------------------------------
# The sheet


def _data_rows(
    table: _Table, head: list[tuple[Any, ...]], rest: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    number = table.first_data_row
    blank_run = 0
    for values in _chain(head[table.first_data_row - 1 :], rest):
        if values.count(None) < len(values):
            blank_run = 0
            yield number, values
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                return
        number += 1


def _chain(
    first: list[tuple[Any, ...]], rest: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    yield from first
    yield from rest


def _is_repeated_header(row: _Row) -> bool:
    if len(row.text.get(INFORMASI, "")) > 60 or len(row.text.get(DASAR_HUKUM, "")) > 60:
        return False
    return (
        classify_header(row.text.get(INFORMASI, "")) == INFORMASI
        and classify_header(row.text.get(DASAR_HUKUM, "")) == DASAR_HUKUM
    )


def _skip(row: _Row, values: Sequence[Any], report: _RowReport) -> bool:
    """Rows that are not items: empty, only a number, column numbers, a repeated header,
    or a group heading (reported as a warning)."""
    if not any(row.filled(f) for f in _STORED):
        return True
    if _is_column_number_row(row, values) or _is_repeated_header(row):
        return True
    if _is_heading(row):
        title = row.text[INFORMASI].splitlines()[0][:60]
        report.warn(row.number, None, f'dianggap judul kelompok ("{title}") dan tidak disimpan')
        return True
    return False


def _read_table(
    table: _Table,
    head: list[tuple[Any, ...]],
    rest: Iterator[tuple[Any, ...]],
    limits: _Limits,
) -> FormDikResult:
    report = _RowReport([], [])
    rows: list[ProposalRowIn] = []
    count = 0
    for number, values in _data_rows(table, head, rest):
        row = _cells(table, number, values)
        if _skip(row, values, report):
            continue
        count += 1
        if count > limits.max_rows:
            report.problems.append(
                Problem(
                    None,
                    None,
                    f"Jumlah baris usulan melebihi batas {limits.max_rows:,} baris. ".replace(
                        ",", "."
                    )
                    + "Mohon kurangi jumlah baris atau hubungi Petugas PPID.",
                )
            )
            break
        item = _check_row(table, row, limits, report)
        if item is not None:
            rows.append(item)
    if count == 0:
        report.problems.append(
            Problem(
                None,
                None,
                "Tidak ada baris usulan yang terisi. Jika tidak ada usulan, jawab "
                '"Nihil" melalui bot.',
            )
        )
    return FormDikResult(tuple(rows), tuple(report.problems), tuple(report.warnings), table.sheet)


_NO_HEADER = (
    f"Baris judul kolom (Informasi, Dasar Hukum Pengecualian, Konsekuensi, Jangka Waktu) "
    f"tidak ditemukan pada {HEADER_SEARCH_ROWS} baris pertama. "
    "Mohon gunakan Form DIK yang dikirim bot."
)
_UNREADABLE = (
    "Berkas Excel tidak dapat dibaca (rusak atau formatnya tidak didukung). "
    "Mohon buka di Excel, simpan ulang sebagai .xlsx, lalu kirim kembali."
)


def _read_workbook(data: bytes, limits: _Limits) -> FormDikResult:
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (extensions, drawings); we only read values.
        warnings.simplefilter("ignore")
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            located = _locate(wb)
            if located is None:
                return FormDikResult(problems=(Problem(None, None, _NO_HEADER),))
            table, head, rest = located
            missing = _missing_columns(table)
            if missing:
                return FormDikResult(problems=tuple(missing), sheet_name=table.sheet)
            return _read_table(table, head, rest, limits)
        finally:
            wb.close()


def read_form_dik(
    data: bytes,
    *,
    max_bytes: int = 5_000_000,
    max_rows: int = 2000,
    max_cell_chars: int = 4000,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> FormDikResult:
    """Read an uploaded Form DIK. Nothing is parsed as XML before the package checks pass."""
    data = bytes(data)
    refusal = check_xlsx_upload(data, max_bytes=max_bytes, max_uncompressed=max_uncompressed)
    if refusal is not None:
        return FormDikResult(problems=(Problem(None, None, refusal),))
    try:
        return _read_workbook(data, _Limits(max_rows=max_rows, max_cell_chars=max_cell_chars))
    except Exception as exc:  # openpyxl raises many types for a broken package
        # A person's broken file, not a fault of ours: the caller logs one line with the OPD;
        # the traceback only at DEBUG.
        logger.debug("Form DIK upload could not be parsed", exc_info=True)
        cause = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        return FormDikResult(problems=(Problem(None, None, _UNREADABLE),), cause=cause)
