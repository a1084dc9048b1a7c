"""Reading the published DIK back (HTML, JSON, XLSX) as plain rows, and sample items."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from bot.publish import DIKECUALIKAN, SEBAGIAN, PublicDik, PublishedItem, SkRef, end_date
from bot.publish.sheet import DATA_START_ROW, SHEET

Row = tuple[str, ...]
FIELDS = (
    "no",
    "opd",
    "informasi",
    "dasar_hukum",
    "konsekuensi_dibuka",
    "konsekuensi_ditutup",
    "jangka_waktu",
    "keputusan",
    "bagian_dihitamkan",
)
SK = SkRef("188.45/321/HK/2026", date(2026, 12, 21), "DIK 2026", 2026)
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


def item(
    no: int,
    code: str,
    opd: str,
    informasi: str,
    jangka: str = "Tidak terbatas",
    *,
    hitam: str = "",
    dasar: str = "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
    huruf: tuple[str, ...] = ("h",),
    sk: SkRef = SK,
) -> PublishedItem:
    return PublishedItem(
        no=no,
        opd_kode=code,
        opd=opd,
        informasi=informasi,
        dasar_hukum=dasar,
        konsekuensi_dibuka=f"Apabila dibuka: {informasi} disalahgunakan",
        konsekuensi_ditutup="Melindungi hak pribadi\n(baris kedua)",
        jangka_waktu=jangka,
        keputusan=SEBAGIAN if hitam else DIKECUALIKAN,
        bagian_dihitamkan=hitam,
        berakhir=end_date(jangka, sk.tanggal),
        sk=sk,
        huruf=huruf,
    )


def sample_items(sk: SkRef = SK) -> list[PublishedItem]:
    return [
        item(
            1,
            "BKPSDM",
            "Badan Kepegawaian",
            "Berkas penilaian kinerja pegawai",
            "5 tahun sejak SK ditetapkan",
            sk=sk,
        ),
        item(
            2,
            "BKPSDM",
            "Badan Kepegawaian",
            "Data rekening gaji pegawai",
            "Tidak terbatas",
            hitam="Nomor rekening & nama bank",
            sk=sk,
        ),
        item(3, "DINKES", "Dinas Kesehatan", "Data rekam medis pasien Puskesmas", sk=sk),
        item(
            4,
            "DINKES",
            "Dinas Kesehatan",
            f"Catatan {XSS} \"kutip\" 'tunggal'",
            dasar="Pasal 17 huruf g dan huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
            huruf=("g", "h"),
            sk=sk,
        ),
        item(
            5,
            "DISDUK",
            "Dinas Kependudukan & Pencatatan Sipil",
            "Data kependudukan (NIK, KK)",
            "2 (dua) tahun",
            dasar='=HYPERLINK("http://evil", "klik") Pasal 17 huruf h',
            huruf=(),  # a basis the reader did not recognise: no gloss
            sk=sk,
        ),
    ]


def sample_dik(
    items: list[PublishedItem] | None = None,
    sk: SkRef = SK,
    *,
    sk_published: bool = False,
    permohonan_url: str = "",
    dip_page: str = "",
) -> PublicDik:
    return PublicDik(
        badan_publik="Pemerintah Kota Kupang",
        ppid="Dinas Komunikasi dan Informatika Kota Kupang",
        title_walikota="Walikota Kupang",
        sk=sk,
        generated_at=datetime(2026, 12, 22, 1, 0, tzinfo=UTC),
        items=sample_items(sk) if items is None else items,
        sk_published=sk_published,
        permohonan_url=permohonan_url,
        dip_page=dip_page,
    )


def expected_rows(items: list[PublishedItem]) -> list[Row]:
    return [
        (
            str(i.no),
            i.opd,
            i.informasi,
            i.dasar_hukum,
            i.konsekuensi_dibuka,
            i.konsekuensi_ditutup,
            i.jangka_waktu,
            i.keputusan_label,
            i.bagian_dihitamkan,
        )
        for i in items
    ]


class _PageParser(HTMLParser):
    """Rows of the public page: the `.v` value of each cell, and the blacked-out note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str]] = []
        self.opd_codes: list[str] = []
        self.options: list[tuple[str, str]] = []
        self._row: dict[str, str] | None = None
        self._field: str | None = None
        self._capture: str | None = None
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "tr" and "butir" in classes:
            self._row = {}
            self.opd_codes.append(a.get("data-opd") or "")
        elif tag == "td" and self._row is not None:
            self._field = next(c[2:] for c in classes if c.startswith("f-"))
        elif tag == "span" and "v" in classes and self._field:
            self._capture = self._field
        elif tag == "small" and "hitam" in classes:
            self._capture = "bagian_dihitamkan"
        elif tag == "option":
            self._option = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("span", "small"):
            self._capture = None
        elif tag == "td":
            self._field = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data: str) -> None:
        if self._capture and self._row is not None:
            self._row[self._capture] = self._row.get(self._capture, "") + data
        if self._option is not None and self._option:
            self.options.append((self._option, data))


def html_rows(html: str) -> list[Row]:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    out = []
    for r in parser.rows:
        hitam = r.get("bagian_dihitamkan", "").removeprefix("Yang dihitamkan: ")
        out.append((*(r.get(f, "") for f in FIELDS[:-1]), hitam))
    return out


def html_opd_codes(html: str) -> list[str]:
    parser = _PageParser()
    parser.feed(html)
    return parser.opd_codes


def html_options(html: str) -> list[tuple[str, str]]:
    parser = _PageParser()
    parser.feed(html)
    return parser.options


def json_rows(data: dict) -> list[Row]:
    labels = {DIKECUALIKAN: "Dikecualikan", SEBAGIAN: "Dikecualikan sebagian"}
    return [
        (
            str(i["no"]),
            i["opd"]["nama"],
            i["informasi"],
            i["dasar_hukum"],
            i["konsekuensi"]["apabila_dibuka"],
            i["konsekuensi"]["apabila_ditutup"],
            i["jangka_waktu"],
            labels[i["keputusan"]],
            i["bagian_dihitamkan"] or "",
        )
        for i in data["items"]
    ]


def xlsx_rows(content: bytes) -> list[Row]:
    ws = load_workbook(BytesIO(content), read_only=True, data_only=True)[SHEET]
    out = []
    for values in ws.iter_rows(min_row=DATA_START_ROW, values_only=True):
        if values[0] is None:
            continue
        no, _code, opd, info, dasar, dibuka, ditutup, jangka, _ends, kep, hitam = values
        out.append(
            tuple(
                "" if v is None else str(v)
                for v in (no, opd, info, dasar, dibuka, ditutup, jangka, kep, hitam)
            )
        )
    return out


def read_all(folder: Path, year: int) -> tuple[list[Row], list[Row], list[Row]]:
    html = (folder / f"dik-{year}.html").read_text(encoding="utf-8")
    data = json.loads((folder / f"dik-{year}.json").read_text(encoding="utf-8"))
    xlsx = (folder / f"dik-{year}.xlsx").read_bytes()
    return html_rows(html), json_rows(data), xlsx_rows(xlsx)


def sk_lampiran_rows(docx: bytes) -> list[Row]:
    """The SK's lampiran table, re-opened: (opd, informasi, dasar hukum, konsekuensi, jangka
    waktu) per item, the OPD taken from the group row above it ("A. Dinas Kesehatan")."""
    from docx import Document

    table = Document(BytesIO(docx)).tables[-1]
    out: list[Row] = []
    opd = ""
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if len(set(cells)) == 1:  # the merged group row
            opd = cells[0].split(". ", 1)[1]
            continue
        _no, informasi, dasar, konsekuensi, jangka = cells
        out.append((opd, informasi, dasar, konsekuensi, jangka))
    return out


def as_in_sk_lampiran(item: dict) -> Row:
    """A published (JSON) item written as the SK's lampiran writes it."""
    informasi = item["informasi"]
    if item["bagian_dihitamkan"]:
        informasi += f"\n(dikecualikan sebagian: {item['bagian_dihitamkan']})"
    k = item["konsekuensi"]
    konsekuensi = f"Apabila dibuka: {k['apabila_dibuka']}\nApabila ditutup: {k['apabila_ditutup']}"
    return (item["opd"]["nama"], informasi, item["dasar_hukum"], konsekuensi, item["jangka_waktu"])
