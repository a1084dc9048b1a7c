"""The registers and the archive as files: pure builders, no database, no Telegram.

- :func:`build_register` — one XLSX with two sheets, the Buku Ekspedisi (letters out) and the
  Kartu Kendali (proposals in) of one month.
- :func:`build_archive` — one ZIP with every version of every file of a cycle, in folders by
  step, and ``indeks.xlsx`` listing each file with its SHA-256.
- :func:`parse_month` — "2026-11", "11/2026", "november 2026", "nov", ... as typed in chat.

Every text cell goes through :func:`bot.xlsx_safe.write_text_cell` (names, hal and file names
may come from people). Moments are real Excel dates in the office's time zone, with a number
format, so the sheets sort and filter; the zone is named in each sheet's heading.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot import tanggal
from bot.tanggal_input import MONTHS
from bot.upload_names import shown_original
from bot.xlsx_print import print_ready
from bot.xlsx_safe import write_text_cell

# --- months ------------------------------------------------------------------------------------
_MONTH_WORDS: Final = MONTHS  # "november", "nov", "nopember", "agt", ...

_NUMERIC = (
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})$"),  # 2026-11, 2026/11
    re.compile(r"^(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})$"),  # 11/2026, 11-2026
)
_WORDS = re.compile(r"^(?:bulan\s+)?(?P<w>[a-z]+)\.?(?:\s*[-/,]?\s*(?:tahun\s+)?(?P<y>\d{4}))?$")
MIN_YEAR: Final = 2000
MAX_YEAR: Final = 2100


def parse_month(text: str | None, today: date) -> tuple[int, int] | None:
    """(year, month) from what a person typed; None when it is not a month.

    Empty text is the current month; a month name without a year is that month of the
    current year. Accepted: "2026-11", "2026/11", "11/2026", "11-2026", "November 2026",
    "nov 2026", "bulan november tahun 2026", "november".
    """
    clean = " ".join((text or "").lower().split())
    if not clean:
        return today.year, today.month
    year: int
    month: int
    for pattern in _NUMERIC:
        m = pattern.match(clean)
        if m:
            year, month = int(m["y"]), int(m["m"])
            break
    else:
        m = _WORDS.match(clean)
        if not m or m["w"] not in _MONTH_WORDS:
            return None
        month = _MONTH_WORDS[m["w"]]
        year = int(m["y"]) if m["y"] else today.year
    if not 1 <= month <= 12 or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return year, month


def month_label(year: int, month: int) -> str:
    return f"{tanggal.nama_bulan(month)} {year}"


def month_bounds(year: int, month: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """The month [start, end) in the office's zone, as aware UTC moments."""
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


# --- register ----------------------------------------------------------------------------------
Moment = datetime | str | None
"""A moment in a register cell: a real date, or a short note ("diserahkan langsung"), or none."""


@dataclass(frozen=True, slots=True)
class EkspedisiRow:
    """One copy of one letter out, to one addressee."""

    tanggal: datetime
    nomor: str
    hal: str
    kepada: str
    dikirim: Moment
    diterima: Moment


@dataclass(frozen=True, slots=True)
class KendaliRow:
    """One proposal in, under its agenda number; or an OPD that sent none by the time the
    petugas closed step 3 (no agenda number, nothing received: ``isi`` "Tidak menjawab")."""

    agenda_no: int | None
    diterima: datetime | None
    dari: str
    isi: str
    tindak_lanjut: str
    siklus: str


SHEET_EKSPEDISI: Final = "Buku Ekspedisi"
SHEET_KENDALI: Final = "Kartu Kendali"
HEADER_ROW: Final = 4
EKSPEDISI_HEADER: Final = ("No", "Tanggal", "Nomor Surat", "Hal", "Kepada", "Dikirim", "Diterima")
KENDALI_HEADER: Final = (
    "No Agenda",
    "Tanggal diterima",
    "Dari (OPD)",
    "Isi (jumlah butir / nihil)",
    "Tindak lanjut",
    "Siklus",
)
DATE_FORMAT: Final = "DD/MM/YYYY"
MOMENT_FORMAT: Final = "DD/MM/YYYY HH:MM"
_EKSPEDISI_WIDTHS: Final = (6, 12, 28, 48, 44, 18, 18)
_KENDALI_WIDTHS: Final = (11, 18, 40, 22, 70, 22)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _local(dt: datetime, tz: tzinfo) -> datetime:
    """Excel has no time zones: the office's wall-clock time, naive."""
    return dt.astimezone(tz).replace(tzinfo=None)


def _heading(ws: Worksheet, title: str, subtitle: str, header: Sequence[str]) -> None:
    write_text_cell(ws, 1, 1, title).font = Font(bold=True, size=13)
    write_text_cell(ws, 2, 1, subtitle).font = Font(italic=True)
    for col, name in enumerate(header, start=1):
        cell = write_text_cell(ws, HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _widths(ws: Worksheet, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=HEADER_ROW, column=col).column_letter].width = width


def _moment(ws: Worksheet, row: int, col: int, value: Moment, tz: tzinfo, fmt: str) -> None:
    if isinstance(value, datetime):
        cell = ws.cell(row=row, column=col, value=_local(value, tz))
        cell.number_format = fmt
    else:
        cell = write_text_cell(ws, row, col, value or "")
    cell.border = _BORDER
    cell.alignment = _WRAP


def _text(ws: Worksheet, row: int, col: int, value: object) -> None:
    cell = write_text_cell(ws, row, col, value)
    cell.border = _BORDER
    cell.alignment = _WRAP


def _number(ws: Worksheet, row: int, col: int, value: int | None) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.border = _BORDER
    cell.alignment = Alignment(vertical="top", horizontal="center")


def build_register(
    *,
    unit: str,
    year: int,
    month: int,
    tz: tzinfo,
    tz_label: str,
    ekspedisi: Sequence[EkspedisiRow],
    kendali: Sequence[KendaliRow],
) -> bytes:
    """The register of one month: sheet "Buku Ekspedisi" and sheet "Kartu Kendali"."""
    label = month_label(year, month)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_EKSPEDISI
    _heading(
        ws,
        f"BUKU EKSPEDISI SURAT KELUAR — {unit}",
        f"Bulan {label} · waktu {tz_label} · {len(ekspedisi)} pengiriman",
        EKSPEDISI_HEADER,
    )
    for i, e in enumerate(ekspedisi, start=1):
        r = HEADER_ROW + i
        _number(ws, r, 1, i)
        _moment(ws, r, 2, e.tanggal, tz, DATE_FORMAT)
        _text(ws, r, 3, e.nomor)
        _text(ws, r, 4, e.hal)
        _text(ws, r, 5, e.kepada)
        _moment(ws, r, 6, e.dikirim, tz, MOMENT_FORMAT)
        _moment(ws, r, 7, e.diterima, tz, MOMENT_FORMAT)
    _widths(ws, _EKSPEDISI_WIDTHS)

    wk = wb.create_sheet(SHEET_KENDALI)
    _heading(
        wk,
        f"KARTU KENDALI USULAN DIK MASUK — {unit}",
        f"Bulan {label} · waktu {tz_label} · "
        f"{sum(1 for k in kendali if k.agenda_no is not None)} usulan",
        KENDALI_HEADER,
    )
    for i, k in enumerate(kendali, start=1):
        r = HEADER_ROW + i
        _number(wk, r, 1, k.agenda_no)
        _moment(wk, r, 2, k.diterima or "-", tz, MOMENT_FORMAT)
        _text(wk, r, 3, k.dari)
        _text(wk, r, 4, k.isi)
        _text(wk, r, 5, k.tindak_lanjut)
        _text(wk, r, 6, k.siklus)
    _widths(wk, _KENDALI_WIDTHS)
    out = BytesIO()
    print_ready(wb)
    wb.save(out)
    return out.getvalue()


# --- archive -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ArchiveFile:
    """One stored version of one document, as it goes into the archive."""

    document_id: int
    kind: str
    step_no: int | None
    office_code: str | None
    version: int
    filename: str
    sha256: str
    created_at: datetime
    uploaded: bool
    letter_number: str | None
    content: bytes
    signature: str = ""  # for an uploaded signed letter: what its verification found
    #: An upload's name as it was sent: listed in the index, never used as a path.
    original_filename: str | None = None


INDEX_NAME: Final = "indeks.xlsx"
INDEX_SHEET: Final = "Indeks Arsip"
INDEX_HEADER: Final = (
    "No",
    "File",
    "Jenis",
    "Langkah",
    "Versi",
    "OPD",
    "SHA-256",
    "Ukuran (byte)",
    "Dibuat",
    "Diunggah",
    "Nomor Surat",
    "Isi sesuai SHA-256",
    "Tanda tangan elektronik",
    "Nama berkas saat diunggah",
)
_INDEX_WIDTHS: Final = (6, 60, 20, 9, 7, 12, 66, 14, 18, 10, 28, 12, 60, 40)
FINGERPRINT_PREFIX: Final = b"dik-arsip:"
_UNSAFE = re.compile(r"[^A-Za-z0-9._()\- ]+")


def safe_filename(name: str, fallback: str) -> str:
    """A file name that cannot leave its folder: no path, no odd characters, not hidden."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:120] or fallback


def archive_path(f: ArchiveFile) -> str:
    """``langkah-03/DINKES/v01_Form_DIK_DINKES_2026.xlsx``: step folder, office, version."""
    folder = f"langkah-{f.step_no:02d}" if f.step_no is not None else "lainnya"
    if f.office_code:
        folder += "/" + safe_filename(f.office_code, f"opd-{f.document_id}")
    name = safe_filename(f.filename, f"dokumen-{f.document_id}")
    return f"{folder}/v{f.version:02d}_{name}"


def fingerprint(files: Sequence[tuple[int, str]]) -> str:
    """What an archive holds, as one hash of its (document id, SHA-256) pairs."""
    h = hashlib.sha256()
    for doc_id, sha in sorted(files):
        h.update(f"{doc_id}:{sha}\n".encode())
    return h.hexdigest()


def archive_fingerprint(zip_bytes: bytes) -> str | None:
    """The fingerprint an archive built here carries in its ZIP comment."""
    try:
        with zipfile.ZipFile(BytesIO(zip_bytes)) as zf:
            comment = zf.comment
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if not comment.startswith(FINGERPRINT_PREFIX):
        return None
    return comment[len(FINGERPRINT_PREFIX) :].decode("ascii", "replace")


def _zip_time(dt: datetime, tz: tzinfo) -> tuple[int, int, int, int, int, int]:
    local = _local(dt, tz)
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def build_index(
    *,
    cycle_title: str,
    generated_at: datetime,
    tz: tzinfo,
    tz_label: str,
    entries: Sequence[tuple[str, ArchiveFile]],
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = INDEX_SHEET
    _heading(
        ws,
        f"INDEKS ARSIP — {cycle_title}",
        f"Disusun {tanggal.format_waktu(generated_at, tz_label, tz)} · {len(entries)} berkas "
        "(setiap versi; SHA-256 dihitung dari isi berkas)",
        INDEX_HEADER,
    )
    for i, (path, f) in enumerate(entries, start=1):
        r = HEADER_ROW + i
        _number(ws, r, 1, i)
        _text(ws, r, 2, path)
        _text(ws, r, 3, f.kind)
        if f.step_no is None:
            _text(ws, r, 4, "")
        else:
            _number(ws, r, 4, f.step_no)
        _number(ws, r, 5, f.version)
        _text(ws, r, 6, f.office_code or "")
        _text(ws, r, 7, f.sha256)
        _number(ws, r, 8, len(f.content))
        _moment(ws, r, 9, f.created_at, tz, MOMENT_FORMAT)
        _text(ws, r, 10, "ya" if f.uploaded else "tidak")
        _text(ws, r, 11, f.letter_number or "")
        intact = hashlib.sha256(f.content).hexdigest() == f.sha256
        _text(ws, r, 12, "ya" if intact else "TIDAK")
        _text(ws, r, 13, f.signature)
        _text(ws, r, 14, shown_original(f.original_filename))
    _widths(ws, _INDEX_WIDTHS)
    out = BytesIO()
    print_ready(wb)
    wb.save(out)
    return out.getvalue()


def build_archive(
    *,
    cycle_title: str,
    generated_at: datetime,
    tz: tzinfo,
    tz_label: str,
    files: Sequence[ArchiveFile],
) -> bytes:
    """Every file in its step folder, plus ``indeks.xlsx``; the ZIP comment carries the
    fingerprint of what it holds. The index lists the SHA-256 stored when each file was made
    or received, and says whether the archived bytes still match it."""
    used: set[str] = set()
    entries: list[tuple[str, ArchiveFile]] = []
    for f in files:
        path = archive_path(f)
        if path in used:
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}_{f.document_id}.{ext}" if dot else f"{path}_{f.document_id}"
        used.add(path)
        entries.append((path, f))
    index = build_index(
        cycle_title=cycle_title,
        generated_at=generated_at,
        tz=tz,
        tz_label=tz_label,
        entries=entries,
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(INDEX_NAME, _zip_time(generated_at, tz))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, index)
        for path, f in entries:
            info = zipfile.ZipInfo(path, _zip_time(f.created_at, tz))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, f.content)
        zf.comment = FINGERPRINT_PREFIX + fingerprint(
            [(f.document_id, f.sha256) for f in files]
        ).encode("ascii")
    return out.getvalue()
