"""The public DIP: page, JSON and XLSX written beside the DIK, parsed back with the same rows;
text from people escaped; the page and the DIK page link each other."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.formdip import DipRow
from bot.publish import write_public_dik
from bot.publish.dip_files import build_dip_files, write_public_dip
from bot.publish.dip_model import KeputusanRef, PublicDip, PublishedDipItem
from bot.publish.dip_sheet import DATA_START_ROW, SHEET
from tests.publik import XSS, sample_dik
from tests.scenario import PDF

KEP = KeputusanRef("000.9/12/PPID/2026", date(2026, 12, 21), "DIP 2026", 2026)


def _item(no: int, code: str, opd: str, ringkasan: str, jenis: str) -> PublishedDipItem:
    return PublishedDipItem(
        no,
        code,
        opd,
        DipRow(
            ringkasan,
            f"Sekretariat {opd}",
            "Sekretaris",
            "Tahunan, Kupang",
            ("cetak", "elektronik"),
            "5 tahun",
            jenis,
        ),
    )


ITEMS = [
    _item(1, "DINKES", "Dinas Kesehatan", "Laporan Keuangan Tahunan", "berkala"),
    _item(2, "DINKES", "Dinas Kesehatan", "Peringatan dini wabah penyakit", "serta_merta"),
    _item(3, "BAPPEDA", "Bappeda", f"Renstra 2025-2029 {XSS}", "setiap_saat"),
    _item(4, "BAPPEDA", "Bappeda", "RKPD Tahun 2027", "berkala"),
    _item(5, "DINSOS", "Dinas Sosial", "Daftar penerima bantuan sosial (rekap)", "setiap_saat"),
]


def sample_dip(**kw: object) -> PublicDip:
    return PublicDip(
        "Pemerintah Kota Kupang",
        "Dinas Komunikasi dan Informatika Kota Kupang",
        KEP,
        datetime(2026, 12, 21, 1, 0, tzinfo=UTC),
        ITEMS,
        dik_page="dik-2026.html",
        **kw,  # type: ignore[arg-type]
    )


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_v = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr" and ("class", "butir") in attrs:
            self.rows.append([])
        if tag == "span" and ("class", "v") in attrs and self.rows:
            self._in_v = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._in_v = False

    def handle_data(self, data: str) -> None:
        if self._in_v:
            self.rows[-1][-1] += data


def html_rows(html: str) -> list[list[str]]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


EXPECTED = [
    [
        str(i.no),
        i.opd,
        i.row.ringkasan,
        i.row.pejabat,
        i.row.penanggung_jawab,
        i.row.waktu_tempat,
        i.row.bentuk_label,
        i.row.retensi,
        i.jenis_label,
    ]
    for i in ITEMS
]


def test_files_parse_back_to_the_same_rows(tmp_path: Path) -> None:
    written = write_public_dip(tmp_path, sample_dip(keputusan_published=True), PDF)
    assert [p.name for p in written] == [
        "keputusan-dip-2026.pdf",
        "dip-2026.html",
        "dip-2026.json",
        "dip-2026.xlsx",
    ]
    html = (tmp_path / "dip-2026.html").read_text()
    assert html_rows(html) == EXPECTED
    assert "<script>window.__xss" not in html and "&lt;script&gt;" in html
    assert 'href="dik-2026.html"' in html and 'href="keputusan-dip-2026.pdf"' in html
    data = json.loads((tmp_path / "dip-2026.json").read_text())
    assert (
        data["schema"] == "dip-kupang" and data["jumlah"] == 5 and data["dik"] == "dik-2026.html"
    )
    assert data["keputusan"] == {
        "nomor": "000.9/12/PPID/2026",
        "tanggal": "2026-12-21",
        "siklus": "DIP 2026",
        "tahun": 2026,
        "berkas": "keputusan-dip-2026.pdf",
    }
    assert [
        (i["opd"]["kode"], i["ringkasan"], i["jenis"], i["bentuk"]) for i in data["items"]
    ] == [(i.opd_kode, i.row.ringkasan, i.row.jenis, ["cetak", "elektronik"]) for i in ITEMS]
    ws = load_workbook(BytesIO((tmp_path / "dip-2026.xlsx").read_bytes()))[SHEET]
    sheet_rows = [list(r) for r in ws.iter_rows(min_row=DATA_START_ROW, values_only=True)]
    assert [[str(r[0]), *r[2:]] for r in sheet_rows] == EXPECTED
    assert ws.auto_filter.ref == "A5:J10"


def test_a_linked_keputusan_needs_its_pdf(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_public_dip(tmp_path, sample_dip(keputusan_published=True))
    assert not (tmp_path / "dip-2026.html").exists()


def test_no_keputusan_pdf_no_link() -> None:
    html = build_dip_files(sample_dip())[0].content.decode()
    assert "keputusan-dip" not in html
    assert (
        "Keputusan PPID Utama Pemerintah Kota Kupang Nomor 000.9/12/PPID/2026 "
        "tanggal 21 Desember 2026" in html
    )


def test_the_dik_page_links_the_dip_page(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik(dip_page="dip-2026.html"))
    assert 'id="ke-dip" href="dip-2026.html"' in (tmp_path / "dik-2026.html").read_text()
    write_public_dik(tmp_path, sample_dik())
    assert "ke-dip" not in (tmp_path / "dik-2026.html").read_text()
