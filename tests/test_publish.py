"""The public DIK files (bot/publish): written, parsed back, escaped, rewritten atomically."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.publish import SCHEMA_VERSION, SkRef, period_months, write_public_dik
from bot.publish.jangka import add_months, end_date, read_period
from bot.publish.sheet import DATA_START_ROW, SHEET
from tests.publik import (
    SK,
    XSS,
    expected_rows,
    html_opd_codes,
    html_options,
    read_all,
    sample_dik,
    sample_items,
)

SCHEMA_DOC = Path(__file__).resolve().parent.parent / "bot" / "publish" / "SCHEMA.md"


def test_files_written_and_parsed_back_the_same(tmp_path: Path) -> None:
    dik = sample_dik()
    written = write_public_dik(tmp_path, dik)
    assert sorted(p.name for p in written) == [
        "dik-2026.html",
        "dik-2026.json",
        "dik-2026.xlsx",
        "index.html",
    ]
    html, data, xlsx = read_all(tmp_path, 2026)
    expected = expected_rows(sample_items())
    assert html == expected
    assert data == expected
    assert xlsx == expected
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    codes = ["BKPSDM", "BKPSDM", "DINKES", "DINKES", "DISDUK"]
    assert html_opd_codes(page) == codes
    assert html_options(page) == [
        ("BKPSDM", "Badan Kepegawaian"),
        ("DINKES", "Dinas Kesehatan"),
        ("DISDUK", "Dinas Kependudukan & Pencatatan Sipil"),
    ]


def test_page_names_the_sk_and_is_self_contained(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in page
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "Keputusan Walikota Kupang Nomor 188.45/321/HK/2026 tanggal 21 Desember 2026" in page
    assert "Diperbarui 22 Desember 2026" in page
    assert 'placeholder="contoh: rekam medis' in page and "Semua OPD" in page
    assert "<noscript>" in page and "Seluruh 5 informasi ditampilkan" in page
    # Nothing is fetched from elsewhere: no src/href to another host, no external sheet.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page
    # The CSP allows exactly the inline style and script, by hash.
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp[1].replace("&#39;", "'")
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body[1].encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy
    # Without JS the filter stays hidden and every row is visible.
    assert re.search(r'<form id="cari" role="search" hidden>', page)
    assert '<tr class="butir" id="butir-1" data-opd="BKPSDM">' in page
    assert "berakhir 21 Desember 2031" in page  # "5 tahun sejak SK ditetapkan"


def test_text_from_people_is_escaped(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    assert "<script>window.__xss" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # ours
    assert "Dinas Kependudukan &amp; Pencatatan Sipil" in page
    data = json.loads((tmp_path / "dik-2026.json").read_text(encoding="utf-8"))
    assert XSS in data["items"][3]["informasi"]
    ws = load_workbook(tmp_path / "dik-2026.xlsx")[SHEET]
    formula = ws.cell(DATA_START_ROW + 4, 5)
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK")
    assert formula.quotePrefix


def test_json_has_a_documented_schema(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    data = json.loads((tmp_path / "dik-2026.json").read_text(encoding="utf-8"))
    assert data["schema"] == "dik-kupang" and data["schema_version"] == SCHEMA_VERSION == 1
    assert data["jumlah"] == len(data["items"]) == 5
    assert data["sk"] == {
        "nomor": "188.45/321/HK/2026",
        "tanggal": "2026-12-21",
        "siklus": "DIK 2026",
        "tahun": 2026,
        "berkas": None,  # no signed SK's PDF was published with this sample
    }
    assert data["diperbarui"] == "2026-12-22T01:00:00+00:00"
    first, partly, *_rest, last = data["items"]
    assert first["berakhir"] == "2031-12-21" and first["keputusan"] == "dikecualikan"
    assert first["opd"] == {"kode": "BKPSDM", "nama": "Badan Kepegawaian"}
    assert partly["keputusan"] == "dikecualikan_sebagian"
    assert partly["bagian_dihitamkan"] == "Nomor rekening & nama bank"
    assert partly["berakhir"] is None
    assert last["berakhir"] is None  # "2 (dua) tahun": no start fixed, no end date
    documented = set(re.findall(r"^\| `(\w+)` \|", SCHEMA_DOC.read_text(), re.M))
    keys = set(data) | set(data["sk"]) | set(first) | set(first["sk"])
    assert keys <= documented, keys - documented


def test_xlsx_is_a_filterable_table(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    wb = load_workbook(BytesIO((tmp_path / "dik-2026.xlsx").read_bytes()))
    ws = wb[SHEET]
    assert ws["A1"].value == "DAFTAR INFORMASI YANG DIKECUALIKAN TAHUN 2026"
    assert "Nomor 188.45/321/HK/2026" in ws["A3"].value
    assert ws.auto_filter.ref == f"A{DATA_START_ROW - 1}:K{DATA_START_ROW + 4}"
    assert ws.freeze_panes == f"A{DATA_START_ROW}"
    ends = ws.cell(DATA_START_ROW, 9).value
    assert ends is not None and ends.date() == date(2031, 12, 21)


def test_rewrite_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_public_dik(tmp_path, sample_dik())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    fewer = sample_dik(sample_items()[:2])
    with pytest.raises(OSError):
        write_public_dik(tmp_path, fewer)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # old files, no temp

    monkeypatch.setattr(os, "replace", real_replace)
    write_public_dik(tmp_path, fewer)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)  # no temp left over
    html, data, xlsx = read_all(tmp_path, 2026)
    assert html == data == xlsx == expected_rows(sample_items()[:2])
    for p in tmp_path.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o644  # the web server can read it


def test_index_points_to_the_newest_year(tmp_path: Path) -> None:
    old = SkRef("188.45/10/HK/2025", date(2025, 12, 1), "DIK 2025", 2025)
    write_public_dik(tmp_path, sample_dik(sk=SK))
    write_public_dik(tmp_path, sample_dik(sk=old))  # an older year written later
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=dik-2026.html"' in index
    assert index.index('href="dik-2026.html"') < index.index('href="dik-2025.html"')
    assert "script-src 'none'" in index.replace("&#39;", "'")


def test_an_empty_list_still_makes_a_page(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik([]))
    html, data, xlsx = read_all(tmp_path, 2026)
    assert html == data == xlsx == []
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    assert '<div id="kosong" class="kosong">' in page  # shown: nothing is exempted
    assert "Tidak ada informasi yang dikecualikan dalam daftar ini." in page
    assert 'id="pasal17"' not in page  # no ground to explain


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("5 tahun", 60),
        ("20 Tahun", 240),
        ("2 (dua) tahun", 24),
        ("lima tahun", 60),
        ("Dua puluh lima tahun", 300),
        ("6 bulan", 6),
        ("Selama 4 tahun", 48),
        ("5 tahun sejak SK ditetapkan", 60),
        ("3 tahun terhitung sejak tanggal keputusan ini ditetapkan.", 36),
        ("10 thn", 120),
        ("Tidak terbatas", None),
        ("Tidak Terbatas", None),
        ("Permanen atau terbuka apabila mendapat persetujuan tertulis", None),
        ("5 tahun setelah keputusan disiplin", None),
        ("Selama proses pemeriksaan hingga putusan final", None),
        ("Sampai penetapan pemenang", None),
        ("0 tahun", None),
        ("", None),
    ],
)
def test_jangka_waktu_is_read_only_when_it_is_a_plain_period(
    text: str, months: int | None
) -> None:
    assert period_months(text) == months


def test_end_dates_only_where_the_decision_fixes_a_start() -> None:
    sk = date(2026, 12, 21)
    assert end_date("5 tahun sejak SK ditetapkan", sk) == date(2031, 12, 21)
    assert end_date("6 bulan terhitung sejak tanggal ditetapkan", date(2026, 8, 31)) == date(
        2027, 2, 28
    )
    assert end_date("1 tahun sejak keputusan ini ditetapkan", date(2028, 2, 29)) == date(
        2029, 2, 28
    )
    assert end_date("5 tahun sejak SK ditetapkan", None) is None
    assert end_date("5 tahun sejak 1 Januari 2026", sk) == date(2031, 1, 1)
    assert end_date("Sampai 31 Desember 2030", sk) == date(2030, 12, 31)
    assert end_date("hingga tanggal 30/06/2028", sk) == date(2028, 6, 30)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    # No start fixed: no end date is made up (issue 11: "berakhir 2031-12-10" that no one
    # decided), whatever the SK's date.
    for text in ("5 tahun", "6 bulan", "5 tahun sejak penilaian", "Sampai penetapan pemenang"):
        assert end_date(text, sk) is None, text


@pytest.mark.parametrize(
    ("text", "ends", "months", "to_check"),
    [
        ("Tidak terbatas", None, None, False),
        ("Permanen", None, None, False),
        ("5 tahun", None, 60, True),
        ("2 (dua) tahun", None, 24, True),
        ("5 tahun sejak SK ditetapkan", date(2031, 12, 21), 60, False),
        ("Sampai 31 Desember 2030", date(2030, 12, 31), None, False),
        ("5 tahun setelah keputusan disiplin", None, None, True),
        ("Permanen atau terbuka apabila mendapat persetujuan tertulis", None, None, True),
        ("Selama proses pemeriksaan hingga putusan final", None, None, True),
        ("Sampai kontrak ditandatangani", None, None, True),
    ],
)
def test_a_period_without_a_fixed_start_is_to_be_checked(
    text: str, ends: date | None, months: int | None, to_check: bool
) -> None:
    period = read_period(text, date(2026, 12, 21))
    assert (period.ends, period.months, period.to_check) == (ends, months, to_check)
