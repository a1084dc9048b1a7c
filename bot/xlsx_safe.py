"""Write text a person typed into a worksheet as plain text, never as a formula.

openpyxl turns any string starting with "=" into a formula cell. Text from an upload or a chat
message ("=HYPERLINK(...)", "+62 812...", "-", "@admin") must stay text: :func:`write_text_cell`
stores it as a string cell and marks it with Excel's quote prefix, so editing the cell in Excel
later keeps it text as well.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

EXCEL_MAX_CELL_CHARS = 32_767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> str:
    """Return ``value`` as text that an XLSX cell can hold.

    ``None`` becomes "", characters that XML cannot carry are dropped, and the text is cut to
    Excel's 32,767-character cell limit. The leading character is kept: whether it looks like
    a formula is handled by :func:`write_text_cell`.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:EXCEL_MAX_CELL_CHARS]


def looks_like_formula(text: str) -> bool:
    """True when spreadsheet software could read ``text`` as a formula or command."""
    return text.startswith(FORMULA_TRIGGERS)


def write_text_cell(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Store ``value`` in ``ws`` at (row, col) as a string cell, never as a formula."""
    text = safe_text(value)
    cell = ws.cell(row=row, column=col)
    if not text:
        cell.value = None
        return cell
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


# ---------------------------------------------------------------------------------------------
# Checking an uploaded file before any XML parser sees it

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
MAX_UNCOMPRESSED = 50_000_000
MAX_RATIO = 250  # per entry larger than RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1_000_000
MAX_ENTRIES = 5_000
_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK = "xl/workbook.xml"

_SAVE_AS_XLSX = "Mohon buka di Excel, simpan sebagai Buku Kerja Excel (.xlsx), lalu kirim kembali."

_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "gambar PNG"),
    (b"\xff\xd8\xff", "gambar JPEG"),
    (b"GIF8", "gambar GIF"),
    (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf", "arsip 7-Zip"),
)

# Entries that betray another Office/OpenDocument format renamed to .xlsx.
_OTHER_PACKAGES: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "dokumen Word (.docx)"),
    ("ppt/presentation.xml", "presentasi PowerPoint (.pptx)"),
    ("xl/workbook.bin", "buku kerja Excel Binary (.xlsb)"),
    ("mimetype", "berkas OpenDocument (.ods/.odt)"),
)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",")


def _sniff_non_zip(data: bytes, form: str) -> str:
    if data.startswith(OLE2_MAGIC):
        return (
            "Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi (Excel "
            "mengenkripsi berkas berkata sandi). Hapus kata sandinya bila ada. " + _SAVE_AS_XLSX
        )
    for magic, kind in _OTHER_FORMATS:
        if data.startswith(magic):
            return f"Berkas ini {kind}, bukan berkas Excel .xlsx. Mohon kirim {form} (.xlsx)."
    return f"Berkas ini bukan berkas Excel .xlsx. Mohon kirim {form} dalam format .xlsx."


def _check_listing(infos: list[zipfile.ZipInfo], max_uncompressed: int, form: str) -> str | None:
    if len(infos) > MAX_ENTRIES:
        return "Berkas berisi terlalu banyak bagian dan tidak dapat diperiksa. " + _SAVE_AS_XLSX
    if any(info.flag_bits & 0x1 for info in infos):
        return "Berkas dilindungi kata sandi. Hapus kata sandinya. " + _SAVE_AS_XLSX
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        return (
            f"Isi berkas terlalu besar setelah dibuka ({_mb(total)} MB; maksimal "
            f"{_mb(max_uncompressed)} MB). Mohon kirim {form} yang wajar ukurannya."
        )
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            return "Berkas tampak tidak wajar (isinya dipadatkan berlebihan). " + _SAVE_AS_XLSX
    return None


def _check_parts(zf: zipfile.ZipFile, names: set[str], form: str) -> str | None:
    if _CONTENT_TYPES.lower() not in names or _WORKBOOK not in names:
        for part, kind in _OTHER_PACKAGES:
            if part in names:
                return f"Berkas ini {kind} yang diganti namanya, bukan buku kerja Excel .xlsx."
        return f"Berkas ini bukan buku kerja Excel .xlsx. Mohon kirim {form} dalam format .xlsx."
    if any(name.endswith("vbaproject.bin") for name in names):
        return _MACRO_MESSAGE
    info = next(i for i in zf.infolist() if i.filename.lower() == _CONTENT_TYPES.lower())
    if info.file_size > RATIO_MIN_SIZE:
        return "Berkas tampak tidak wajar. " + _SAVE_AS_XLSX
    if b"macroenabled" in zf.read(info).lower():
        return _MACRO_MESSAGE
    return None


_MACRO_MESSAGE = (
    "Berkas berisi makro (.xlsm). Demi keamanan, berkas bermakro tidak diterima. "
    "Mohon simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro, lalu kirim kembali."
)


def check_xlsx_upload(
    data: bytes,
    *,
    max_bytes: int,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    form: str = "Form DIK",
) -> str | None:
    """Check an uploaded .xlsx before any XML parser reads it.

    Returns an Indonesian message saying what is wrong and what to do, or None when the file
    is a plain, reasonably sized XLSX package without macros. Checks, in order: empty file,
    size cap, not a ZIP (old .xls / password-protected OLE2, PDF, images...), the ZIP
    listing (entry count, encryption, total uncompressed size, compression ratio), the
    workbook parts (a renamed .docx/.pptx/.xlsb/.ods), and macros. ``form`` names the form
    the messages ask for ("Form DIK", "Form DIP").
    """
    if not data:
        return f"Berkas kosong (0 byte). Mohon kirim {form} yang sudah diisi."
    if len(data) > max_bytes:
        return (
            f"Berkas terlalu besar ({_mb(len(data))} MB; maksimal {_mb(max_bytes)} MB). "
            f"Mohon kirim {form} tanpa gambar atau lampiran."
        )
    if not data.startswith(ZIP_MAGIC):
        return _sniff_non_zip(data, form)
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
            problem = _check_listing(infos, max_uncompressed, form)
            if problem is None:
                problem = _check_parts(zf, {i.filename.lower() for i in infos}, form)
            return problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return "Berkas .xlsx rusak dan tidak dapat dibuka. " + _SAVE_AS_XLSX
    except NotImplementedError:
        return "Berkas memakai pemadatan yang tidak didukung. " + _SAVE_AS_XLSX
