"""A corpus of bad uploads: each is refused (or its rows reported) with a clear Indonesian
message, and no row is returned for a file that cannot be trusted."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.formdik import build_form_dik, read_form_dik
from bot.formdik.template import DATA_START_ROW

GOOD_ROW = (
    "1",
    "Rekam medis pasien",
    "Pasal 17 huruf h angka 2 UU 14/2008",
    "buka",
    "tutup",
    "5 tahun",
)


def _form(rows: Sequence[Sequence[Any]] = (GOOD_ROW,)) -> bytes:
    wb = load_workbook(
        BytesIO(build_form_dik(office_name="Dinas", cycle_title="c", deadline_text="d"))
    )
    ws = wb["Form DIK"]
    for r, values in enumerate(rows, start=DATA_START_ROW):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _plain(rows: Sequence[Sequence[Any]]) -> bytes:
    wb = Workbook()
    for values in rows:
        wb.active.append(list(values))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _mark_encrypted(data: bytes) -> bytes:
    """Set the "encrypted" flag in every local and central header (zipfile cannot write it)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = out.find(signature)
        while start != -1:
            out[start + offset] |= 0x01
            start = out.find(signature, start + 4)
    return bytes(out)


def _edit(data: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """Rewrite the parts of a package; ``edit`` returning None drops the part."""
    src = zipfile.ZipFile(BytesIO(data))
    parts: dict[str, bytes] = {}
    for name in src.namelist():
        body = edit(name, src.read(name))
        if body is not None:
            parts[name] = body
    return _zip(parts)


CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CT,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


@cache
def _zip_bomb() -> bytes:
    """A few KB that would expand to 60 MB."""
    return _zip(
        {
            "[Content_Types].xml": CT,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\x00" * 60_000_000,
        },
        method=zipfile.ZIP_BZIP2,
    )


def _ratio_bomb() -> bytes:
    """Under the total cap, but compressed a thousand to one."""
    return _zip(
        {
            "[Content_Types].xml": CT,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * 20_000_000,
        }
    )


def _xlsm() -> bytes:
    src = zipfile.ZipFile(BytesIO(_form()))
    parts = {name: src.read(name) for name in src.namelist()}
    parts["xl/vbaProject.bin"] = OLE2 + b"Attribute VB_Name"
    return _zip(parts)


def _macro_content_type() -> bytes:
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    sheet = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _edit(
        _form(), lambda name, body: body.replace(sheet, macro) if name.startswith("[") else body
    )


def _broken_workbook_xml() -> bytes:
    return _edit(
        _form(), lambda name, body: b"<workbook><oops" if name == "xl/workbook.xml" else body
    )


def _entity_expansion() -> bytes:
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'

    def edit(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        return doctype + body.replace(b"<t>Rekam medis pasien</t>", b"<t>&b;</t>")

    return _edit(_form(), edit)


def _header_only() -> bytes:
    return _form(rows=())


def _no_header() -> bytes:
    return _plain([("Daftar informasi kami",), ("Rekam medis", "rahasia", "selamanya")])


def _missing_columns() -> bytes:
    return _plain(
        [
            ("No", "Informasi", "Dasar Hukum Pengecualian", "Keterangan"),
            (1, "Rekam medis", "x", "y"),
        ]
    )


@dataclass(frozen=True)
class Bad:
    name: str
    build: Callable[[], bytes]
    fragment: str
    kwargs: tuple[tuple[str, int], ...] = ()


LONG = "x" * 10_000
CORPUS = [
    Bad("empty file", lambda: b"", "Berkas kosong"),
    Bad("not a zip", lambda: b"No,Informasi\n1,Rekam medis\n", "bukan berkas Excel .xlsx"),
    Bad("renamed PNG", lambda: PNG, "Berkas ini gambar PNG, bukan berkas Excel .xlsx"),
    Bad("renamed PDF", lambda: PDF, "Berkas ini PDF, bukan berkas Excel .xlsx"),
    Bad("old xls / password", lambda: OLE2, "Excel lama (.xls) atau dilindungi kata sandi"),
    Bad("renamed docx", _docx, "dokumen Word (.docx) yang diganti namanya"),
    Bad(
        "plain zip",
        lambda: _zip({"readme.txt": b"hi"}),
        "bukan buku kerja Excel .xlsx",
    ),
    Bad("corrupt zip", lambda: b"PK\x03\x04" + b"\x00" * 200, "rusak"),
    Bad("zip bomb", _zip_bomb, "Isi berkas terlalu besar setelah dibuka (60,0 MB"),
    Bad("ratio bomb", _ratio_bomb, "dipadatkan berlebihan"),
    Bad(
        "encrypted entries",
        lambda: _mark_encrypted(_zip({"[Content_Types].xml": CT, "xl/workbook.xml": b"x"})),
        "dilindungi kata sandi",
    ),
    Bad("xlsm with vbaProject.bin", _xlsm, "Berkas berisi makro (.xlsm)"),
    Bad("macro content type", _macro_content_type, "Berkas berisi makro"),
    Bad("over the size cap", _form, "Berkas terlalu besar", (("max_bytes", 2_000),)),
    Bad("broken workbook.xml", _broken_workbook_xml, "tidak dapat dibaca"),
    Bad("entity expansion", _entity_expansion, "tidak dapat dibaca"),
    Bad("no header row", _no_header, "Baris judul kolom"),
    Bad("missing columns", _missing_columns, "Kolom Jangka Waktu: tidak ditemukan"),
    Bad("header only", _header_only, 'jawab "Nihil" melalui bot'),
    Bad(
        "formula in a cell",
        lambda: _form([(1, "Rekam medis", '=CONCAT("Pasal 17 ","huruf h")', "a", "b", "1")]),
        "Baris 8, kolom Dasar Hukum Pengecualian: berisi rumus",
    ),
    Bad(
        "formula in informasi",
        lambda: _form([(1, "=A1&B1", "Pasal 17 huruf h", "a", "b", "1")]),
        "Baris 8, kolom Informasi: berisi rumus",
    ),
    Bad(
        "unknown Pasal key",
        lambda: _form([(1, "Rekam medis", "Pasal 17 huruf k UU 14/2008", "a", "b", "1")]),
        "Baris 8, kolom Dasar Hukum Pengecualian: huruf k tidak ada di Pasal 17",
    ),
    Bad(
        "angka that does not exist",
        lambda: _form([(1, "Rekam medis", "Pasal 17 huruf h angka 9", "a", "b", "1")]),
        "Baris 8, kolom Dasar Hukum Pengecualian: huruf h hanya memiliki angka 1 sampai 5",
    ),
    Bad(
        "angka on a letter without points",
        lambda: _form([(1, "Paten", "Pasal 17 huruf b angka 2", "a", "b", "1")]),
        "huruf b tidak memiliki angka",
    ),
    Bad(
        "angka from the drop-down that does not exist",
        lambda: _form([(1, "Sandi", "UU 14/2008", "a", "b", "1", "h. Rahasia", 7)]),
        "Baris 8, kolom Angka: huruf h hanya memiliki angka 1 sampai 5",
    ),
    Bad(
        "unknown drop-down letter",
        lambda: _form([(1, "Sandi", "Pasal 17 huruf c", "a", "b", "1", "z. entah")]),
        'Baris 8, kolom Pasal 17 huruf: "z. entah" bukan huruf Pasal 17',
    ),
    Bad(
        "no Pasal 17 letter",
        lambda: _form(
            [(1, "Rekam medis", "UU 44/2009 tentang Rumah Sakit Pasal 32", "a", "", "1")]
        ),
        "Baris 8, kolom Dasar Hukum Pengecualian: tidak menyebut huruf Pasal 17",
    ),
    Bad(
        "huruf j without the other law",
        lambda: _form([(1, "Rekam medis", "Pasal 17 huruf j UU 14/2008", "a", "", "1")]),
        "huruf j harus menyebut Undang-Undang lain",
    ),
    Bad(
        "10,000-character cell",
        lambda: _form([(1, LONG, "Pasal 17 huruf h", "a", "b", "1")]),
        "Baris 8, kolom Informasi: teks terlalu panjang (10.000 karakter; maksimal 4.000)",
    ),
    Bad(
        "required cells empty",
        lambda: _form([(1, "Rekam medis", "Pasal 17 huruf h", "", None, None)]),
        "Baris 8, kolom Jangka Waktu: kosong",
    ),
    Bad(
        "too many rows",
        lambda: _form([GOOD_ROW] * 6),
        "melebihi batas 5 baris",
        (("max_rows", 5),),
    ),
]


@pytest.mark.parametrize("bad", CORPUS, ids=[b.name for b in CORPUS])
def test_bad_upload_is_explained(bad: Bad) -> None:
    result = read_form_dik(bad.build(), **dict(bad.kwargs))
    messages = [str(p) for p in result.problems]
    assert any(bad.fragment in m for m in messages), messages
    assert not result.ok
    for message in messages:
        assert "Traceback" not in message and "Error" not in message


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 14


def test_zip_bomb_is_small_and_refused_before_parsing() -> None:
    data = _zip_bomb()
    assert len(data) < 10_000
    assert read_form_dik(data).rows == ()


def test_every_problem_is_collected() -> None:
    data = _form(
        [
            (1, "", "Pasal 17 huruf k", "", None, ""),
            (2, "Rekam medis", "=1+1", "a", "b", "1"),
            (3, "Rekam medis", "Pasal 17 huruf h angka 9", "a", "b", "1"),
            GOOD_ROW,
        ]
    )
    result = read_form_dik(data)
    assert [str(p) for p in result.problems] == [
        "Baris 8, kolom Informasi: kosong",
        "Baris 8, kolom Konsekuensi apabila dibuka / Konsekuensi apabila ditutup: kosong; isi "
        "konsekuensi apabila dibuka dan/atau ditutup",
        "Baris 8, kolom Jangka Waktu: kosong",
        "Baris 8, kolom Dasar Hukum Pengecualian: huruf k tidak ada di Pasal 17 "
        "(hanya huruf a sampai j)",
        "Baris 9, kolom Dasar Hukum Pengecualian: berisi rumus; ganti dengan teks biasa",
        "Baris 10, kolom Dasar Hukum Pengecualian: huruf h hanya memiliki angka 1 sampai 5 "
        "(tertulis angka 9)",
    ]
    assert [r.source_row for r in result.rows] == [11]
