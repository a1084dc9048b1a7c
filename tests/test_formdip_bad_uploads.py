"""Hostile and broken Form DIP uploads: each is refused (or its rows reported) with a clear
Indonesian message naming the Form DIP, and no row comes back from a file that cannot be
trusted. The same package checks as the Form DIK (bot.xlsx_safe)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.formdip import build_form_dip, read_form_dip
from bot.formdip.template import DATA_START_ROW, SHEET_FORM
from tests.test_formdik_bad_uploads import (
    CT,
    OLE2,
    PDF,
    PNG,
    _docx,
    _edit,
    _mark_encrypted,
    _ratio_bomb,
    _zip,
    _zip_bomb,
)

GOOD = (
    1,
    "Laporan Keuangan Tahunan",
    "Sekretariat Dinas",
    "Sekretaris Dinas",
    "Setiap tahun, Kupang",
    "Cetak dan elektronik",
    "10 tahun",
    "Berkala (Pasal 9 UU 14/2008)",
)


def _form(rows: Sequence[Sequence[Any]] = (GOOD,)) -> bytes:
    blank = build_form_dip(office_name="Dinas", cycle_title="DIP 2026", deadline_text="d")
    wb = load_workbook(BytesIO(blank))
    ws = wb[SHEET_FORM]
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


def _xlsm() -> bytes:
    src = zipfile.ZipFile(BytesIO(_form()))
    parts = {name: src.read(name) for name in src.namelist()}
    parts["xl/vbaProject.bin"] = OLE2 + b"Attribute VB_Name"
    return _zip(parts)


def _entity_expansion() -> bytes:
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'

    def edit(name: str, body: bytes) -> bytes:
        return doctype + body if name == "xl/worksheets/sheet1.xml" else body

    return _edit(_form(), edit)


def _row(**changes: Any) -> tuple[Any, ...]:
    names = ("no", "ringkasan", "pejabat", "pj", "waktu", "bentuk", "retensi", "jenis")
    values = dict(zip(names, GOOD, strict=True)) | changes
    return tuple(values[n] for n in names)


@dataclass(frozen=True)
class Bad:
    name: str
    build: Callable[[], bytes]
    fragment: str
    kwargs: tuple[tuple[str, int], ...] = ()


CORPUS = [
    Bad("empty file", lambda: b"", "Mohon kirim Form DIP yang sudah diisi"),
    Bad("not a zip", lambda: b"No,Ringkasan\n1,Laporan\n", "Mohon kirim Form DIP dalam format"),
    Bad("renamed PNG", lambda: PNG, "gambar PNG, bukan berkas Excel .xlsx. Mohon kirim Form DIP"),
    Bad("renamed PDF", lambda: PDF, "Berkas ini PDF, bukan berkas Excel .xlsx"),
    Bad("old xls / password", lambda: OLE2, "Excel lama (.xls) atau dilindungi kata sandi"),
    Bad("renamed docx", _docx, "dokumen Word (.docx) yang diganti namanya"),
    Bad("plain zip", lambda: _zip({"readme.txt": b"hi"}), "Mohon kirim Form DIP"),
    Bad("corrupt zip", lambda: b"PK\x03\x04" + b"\x00" * 200, "rusak"),
    Bad("zip bomb", _zip_bomb, "Isi berkas terlalu besar setelah dibuka"),
    Bad("ratio bomb", _ratio_bomb, "dipadatkan berlebihan"),
    Bad(
        "encrypted entries",
        lambda: _mark_encrypted(_zip({"[Content_Types].xml": CT, "xl/workbook.xml": b"x"})),
        "dilindungi kata sandi",
    ),
    Bad("xlsm", _xlsm, "Berkas berisi makro (.xlsm)"),
    Bad("over the size cap", _form, "Mohon kirim Form DIP tanpa gambar", (("max_bytes", 2_000),)),
    Bad("entity expansion", _entity_expansion, "tidak dapat dibaca"),
    Bad("no header", lambda: _plain([("Daftar kami",), ("Laporan", "x")]), "Baris judul kolom"),
    Bad(
        "missing columns",
        lambda: _plain(
            [
                ("No", "Ringkasan Isi Informasi", "Pejabat yang Menguasai", "Jenis Informasi"),
                (1, "Laporan", "Sekretariat", "Berkala"),
            ]
        ),
        "Kolom Jangka Waktu Penyimpanan/Retensi Arsip: tidak ditemukan pada baris judul",
    ),
    Bad("header only", lambda: _form(()), 'jawab "Tidak ada perubahan" melalui bot'),
    Bad(
        "formula",
        lambda: _form([_row(ringkasan='=HYPERLINK("http://x","klik")')]),
        "Baris 8, kolom Ringkasan Isi Informasi: berisi rumus",
    ),
    Bad(
        "unknown jenis",
        lambda: _form([_row(jenis="Rahasia")]),
        'Baris 8, kolom Jenis Informasi: "Rahasia" tidak dikenal',
    ),
    Bad(
        "two jenis at once",
        lambda: _form([_row(jenis="berkala dan serta merta")]),
        "kolom Jenis Informasi",
    ),
    Bad(
        "unknown bentuk",
        lambda: _form([_row(bentuk="Lisan")]),
        'Baris 8, kolom Bentuk Informasi yang Tersedia: "Lisan" tidak dikenal',
    ),
    Bad(
        "empty required cells",
        lambda: _form([_row(retensi=None, pejabat="")]),
        "Baris 8, kolom Jangka Waktu Penyimpanan/Retensi Arsip: kosong",
    ),
    Bad(
        "10,000-character cell",
        lambda: _form([_row(ringkasan="x" * 10_000)]),
        "teks terlalu panjang (10.000 karakter; maksimal 4.000)",
    ),
    Bad("too many rows", lambda: _form([GOOD] * 4), "melebihi batas 3 baris", (("max_rows", 3),)),
]


@pytest.mark.parametrize("bad", CORPUS, ids=[b.name for b in CORPUS])
def test_bad_upload_is_explained(bad: Bad) -> None:
    result = read_form_dip(bad.build(), **dict(bad.kwargs))
    messages = [str(p) for p in result.problems]
    assert any(bad.fragment in m for m in messages), messages
    assert not result.ok
    for message in messages:
        assert "Traceback" not in message and "Error" not in message
        assert "Form DIK" not in message


def test_a_good_row_passes_the_same_form() -> None:
    """The corpus' base form is itself accepted: the refusals come from what was broken."""
    result = read_form_dip(_form())
    assert result.ok, [str(p) for p in result.problems]
    assert [r.ringkasan for r in result.rows] == ["Laporan Keuangan Tahunan"]


def test_every_problem_is_collected() -> None:
    result = read_form_dip(
        _form([_row(jenis="x"), _row(ringkasan="=1+1"), _row(bentuk="?"), GOOD])
    )
    rows = sorted({p.row for p in result.problems})
    assert rows == [8, 9, 10]
    assert not result.ok  # the caller stores nothing
    assert [r.source_row for r in result.rows] == [11]  # only the good row was readable


def test_zip_bomb_is_refused_before_parsing() -> None:
    assert read_form_dip(_zip_bomb()).rows == ()
