"""Read a filled Form DIP (an untrusted upload) into DIP rows, or say what to fix.

The same hostile-upload rules as the Form DIK (:mod:`bot.formdik.reader`): the file is checked
as a ZIP package before openpyxl parses any XML (size, zip bombs, encryption, macros, a renamed
document), then read in read-only mode with formulas kept as formulas (and refused). Columns are
found by their header names, not positions. Every problem is collected row by row with its
sheet row and column; the caller stores nothing unless ``problems`` is empty.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from itertools import chain
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from bot.formdik.reader import Problem
from bot.formdip.model import DipRow, normalise, parse_bentuk, parse_jenis
from bot.formdip.template import (
    BENTUK,
    FIELD_LABELS,
    JENIS,
    KODE,
    NO,
    PEJABAT,
    PENANGGUNG_JAWAB,
    REQUIRED,
    RETENSI,
    RINGKASAN,
    SHEET_FORM,
    WAKTU_TEMPAT,
    classify_header,
)
from bot.xlsx_safe import MAX_UNCOMPRESSED, check_xlsx_upload

logger = logging.getLogger(__name__)

FORM_NAME = "Form DIP"
HEADER_SEARCH_ROWS = 15
MAX_COLUMNS = 50
MAX_BLANK_RUN = 10_000
_STORED = (RINGKASAN, PEJABAT, PENANGGUNG_JAWAB, WAKTU_TEMPAT, BENTUK, RETENSI, JENIS, KODE)


@dataclass(frozen=True)
class FormDipResult:
    rows: tuple[DipRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    sheet_name: str | None = None
    cause: str = ""  # why a file could not be read at all, for the log

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Table:
    sheet: str
    header_row: int
    columns: dict[str, int]
    labels: dict[str, str]

    def label(self, field: str) -> str:
        return self.labels.get(field, FIELD_LABELS[field])


def _header_fields(row: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for idx, value in enumerate(row):
        if isinstance(value, str):
            field = classify_header(value)
            if field and field not in found:
                found[field] = idx
    return found


def _is_header(fields: dict[str, int]) -> bool:
    return RINGKASAN in fields and len(set(fields) & set(REQUIRED)) >= 3


def _locate(wb: Any) -> tuple[_Table, Iterator[tuple[Any, ...]]] | None:
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    preferred = [ws for ws in visible if ws.title.strip().lower() == SHEET_FORM.lower()]
    for ws in preferred + [ws for ws in visible if ws not in preferred]:
        ws.reset_dimensions()
        it = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), it, strict=False)]
        for index, row in enumerate(head):
            fields = _header_fields(row)
            if _is_header(fields):
                labels = {f: " ".join(str(row[i]).split())[:60] for f, i in fields.items()}
                table = _Table(ws.title, index + 1, fields, labels)
                return table, chain(head[index + 1 :], it)
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "Ya" if value else "Tidak"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date):
        text = value.strftime("%d-%m-%Y")
    else:
        text = str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_formula(value: Any) -> bool:
    if isinstance(value, ArrayFormula | DataTableFormula):
        return True
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


@dataclass
class _Report:
    problems: list[Problem]
    warnings: list[Problem]


def _check_row(
    table: _Table,
    number: int,
    raw: dict[str, Any],
    report: _Report,
    max_cell_chars: int,
    known_refs: Collection[str],
) -> DipRow | None:
    before = len(report.problems)
    text = {f: _text(v) for f, v in raw.items()}
    for field, value in raw.items():
        if _is_formula(value):
            report.problems.append(
                Problem(number, table.label(field), "berisi rumus; ganti dengan teks biasa")
            )
            text[field] = ""
        elif len(text[field]) > max_cell_chars:
            report.problems.append(
                Problem(
                    number,
                    table.label(field),
                    f"teks terlalu panjang ({len(text[field]):,} karakter; maksimal "
                    f"{max_cell_chars:,})".replace(",", "."),
                )
            )
            text[field] = ""
    for field in REQUIRED:
        if not text.get(field) and not _is_formula(raw.get(field)):
            report.problems.append(Problem(number, table.label(field), "kosong"))
    jenis = parse_jenis(text[JENIS]) if text.get(JENIS) else None
    if text.get(JENIS) and jenis is None:
        report.problems.append(
            Problem(
                number,
                table.label(JENIS),
                f'"{text[JENIS][:40]}" tidak dikenal; pilih berkala (Pasal 9), serta merta '
                "(Pasal 10), atau tersedia setiap saat (Pasal 11)",
            )
        )
    bentuk = parse_bentuk(text[BENTUK]) if text.get(BENTUK) else None
    if text.get(BENTUK) and bentuk is None:
        report.problems.append(
            Problem(
                number,
                table.label(BENTUK),
                f'"{text[BENTUK][:40]}" tidak dikenal; pilih cetak, elektronik, atau keduanya',
            )
        )
    ref = text.get(KODE, "")
    if ref and ref not in known_refs:
        report.warnings.append(
            Problem(number, table.label(KODE), f'kode "{ref[:20]}" tidak dikenal; dianggap baru')
        )
        ref = ""
    if len(report.problems) > before or jenis is None or bentuk is None:
        return None
    return DipRow(
        ringkasan=text[RINGKASAN],
        pejabat=text[PEJABAT],
        penanggung_jawab=text[PENANGGUNG_JAWAB],
        waktu_tempat=text[WAKTU_TEMPAT],
        bentuk=bentuk,
        retensi=text[RETENSI],
        jenis=jenis,
        ref=ref,
        source_row=number,
    )


def _missing(table: _Table) -> list[Problem]:
    message = (
        f"tidak ditemukan pada baris judul (baris {table.header_row}). "
        f"Mohon gunakan {FORM_NAME} dari bot tanpa mengubah judul kolom."
    )
    return [Problem(None, FIELD_LABELS[f], message) for f in REQUIRED if f not in table.columns]


def _read_table(
    table: _Table,
    rest: Iterator[tuple[Any, ...]],
    *,
    max_rows: int,
    max_cell_chars: int,
    known_refs: Collection[str],
) -> FormDipResult:
    report = _Report([], [])
    rows: list[DipRow] = []
    seen: dict[str, int] = {}
    refs: dict[str, int] = {}
    count = blank_run = 0
    for number, values in enumerate(rest, start=table.header_row + 1):
        raw = {f: (values[i] if i < len(values) else None) for f, i in table.columns.items()}
        if not any(_text(raw.get(f)) for f in _STORED if f != KODE):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue  # empty (a pre-filled row whose content was deleted keeps only its Kode)
        blank_run = 0
        stored = {f: v for f, v in raw.items() if f != NO}
        count += 1
        if count > max_rows:
            report.problems.append(
                Problem(
                    None,
                    None,
                    f"Jumlah baris DIP melebihi batas {max_rows:,} baris. ".replace(",", ".")
                    + "Mohon kurangi jumlah baris atau hubungi Petugas PPID.",
                )
            )
            break
        item = _check_row(table, number, stored, report, max_cell_chars, known_refs)
        if item is None:
            continue
        key = normalise(item.ringkasan)
        if key in seen:
            report.warnings.append(
                Problem(number, table.label(RINGKASAN), f"sama dengan baris {seen[key]}")
            )
        seen.setdefault(key, number)
        if item.ref and item.ref in refs:
            report.problems.append(
                Problem(
                    number,
                    table.label(KODE),
                    f"kode sama dengan baris {refs[item.ref]}; baris baru dibiarkan tanpa kode",
                )
            )
            continue
        if item.ref:
            refs[item.ref] = number
        rows.append(item)
    if count == 0:
        report.problems.append(
            Problem(
                None,
                None,
                "Tidak ada baris DIP yang terisi. Jika DIP tidak berubah, jawab "
                '"Tidak ada perubahan" melalui bot.',
            )
        )
    return FormDipResult(tuple(rows), tuple(report.problems), tuple(report.warnings), table.sheet)


_NO_HEADER = (
    "Baris judul kolom (Ringkasan Isi Informasi, Pejabat/Unit yang Menguasai Informasi, "
    "Bentuk Informasi, Jenis Informasi, ...) tidak ditemukan pada "
    f"{HEADER_SEARCH_ROWS} baris pertama. Mohon gunakan {FORM_NAME} yang dikirim bot."
)
_UNREADABLE = (
    "Berkas Excel tidak dapat dibaca (rusak atau formatnya tidak didukung). "
    "Mohon buka di Excel, simpan ulang sebagai .xlsx, lalu kirim kembali."
)


def read_form_dip(
    data: bytes,
    *,
    known_refs: Collection[str] = (),
    max_bytes: int = 5_000_000,
    max_rows: int = 2000,
    max_cell_chars: int = 4000,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> FormDipResult:
    """Read an uploaded Form DIP. ``known_refs`` are the Kode values of the OPD's entries in
    force (a Kode not among them is read as a new row, with a warning)."""
    data = bytes(data)
    refusal = check_xlsx_upload(
        data, max_bytes=max_bytes, max_uncompressed=max_uncompressed, form=FORM_NAME
    )
    if refusal is not None:
        return FormDipResult(problems=(Problem(None, None, refusal),))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
            try:
                located = _locate(wb)
                if located is None:
                    return FormDipResult(problems=(Problem(None, None, _NO_HEADER),))
                table, rest = located
                missing = _missing(table)
                if missing:
                    return FormDipResult(problems=tuple(missing), sheet_name=table.sheet)
                return _read_table(
                    table,
                    rest,
                    max_rows=max_rows,
                    max_cell_chars=max_cell_chars,
                    known_refs=set(known_refs),
                )
            finally:
                wb.close()
    except Exception as exc:  # openpyxl raises many types for a broken package
        logger.debug("Form DIP upload could not be parsed", exc_info=True)
        cause = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        return FormDipResult(problems=(Problem(None, None, _UNREADABLE),), cause=cause)
