"""Issue 3: the letters against a bare docxtpl render, and the Form DIK against openpyxl.

* Each letter is rendered by its ``render_*`` function with a table of ``rows`` rows (items,
  OPDs or rekap lines, whichever its main table holds); the baseline is docxtpl alone rendering a
  plain template made here with python-docx: as many body paragraphs as the letter's template,
  and one table of the same number of columns with a ``{%tr for %}`` loop over as many rows.
* A Form DIK of ``form_rows`` rows (the real blank form, filled in with openpyxl) is validated
  and stored by ``Workflow.load_upload`` for a PPID Pembantu with step 3 open, on a fresh SQLite
  file; the baseline is ``openpyxl.load_workbook(read_only=True)`` iterating every row.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from lxml import etree
from openpyxl import load_workbook

from bot.documents import letters as L
from bot.documents.render import DEFAULT_TEMPLATE_DIR
from bot.formdik import samples
from bot.formdik.reader import read_form_dik
from bot.formdik.samples import SAMPLE_ROWS, Row
from devtools.bench.city import (
    fresh_database,
    open_collect_run,
    seed_city,
    settings_for,
    sqlite_url,
    workflow_for,
)
from devtools.bench.common import CPU, Figure, Figures, median, time_awaits, time_calls

GROUP = "documents"
CPU_NOTE = (
    "documents: medians of the process's CPU time per call (wall time on an idle machine), "
    "so that other processes on the machine do not count"
)
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WITA = timezone(timedelta(hours=8))

# Columns of each letter's main table (the {%tr for %} loop that grows with the cycle).
COLUMNS = {
    "nota_dinas": 0,
    "surat_permintaan_dik": 3,
    "surat_pengantar": 4,
    "surat_usulan_uji": 4,
    "surat_undangan": 5,
    "lembar_uji": 7,
    "ketetapan": 6,
    "sk_walikota": 5,
}

_TEXTS = [
    (
        "Rekam medis pasien Puskesmas",
        "Pasal 17 huruf h angka 2 Undang-Undang Nomor 14 Tahun 2008",
        "Mengungkap riwayat kesehatan pasien",
        "Kerahasiaan pasien terlindungi",
        "Tidak terbatas",
        "h",
    ),
    (
        "Harga Perkiraan Sendiri (HPS) pengadaan obat sebelum pemilihan penyedia",
        "Pasal 17 huruf b Undang-Undang Nomor 14 Tahun 2008",
        "Persaingan usaha tidak sehat antarpenyedia",
        "Pengadaan berjalan adil",
        "Sampai kontrak ditandatangani",
        "b",
    ),
    (
        "Berkas pemeriksaan pelanggaran disiplin ASN",
        "Pasal 17 huruf a angka 1 dan huruf h angka 4 Undang-Undang Nomor 14 Tahun 2008",
        "Mengganggu proses pemeriksaan",
        "Pemeriksaan berjalan objektif",
        "5 tahun setelah keputusan disiplin",
        "a",
    ),
]


def _items(rows: int, *, decided: bool) -> list[L.DikItem]:
    out = []
    for i in range(rows):
        informasi, dasar, dibuka, ditutup, jangka, huruf = _TEXTS[i % len(_TEXTS)]
        keputusan = None
        if decided:
            keputusan = (
                L.Keputusan.DIKECUALIKAN_SEBAGIAN if i % 7 == 3 else L.Keputusan.DIKECUALIKAN
            )
        out.append(
            L.DikItem(
                opd=f"Dinas Contoh {i % 10 + 1:02d}",
                informasi=f"{informasi} ({i + 1})",
                dasar_hukum=dasar,
                konsekuensi_dibuka=dibuka,
                konsekuensi_ditutup=ditutup,
                jangka_waktu=jangka,
                pasal17=(huruf,),
                keputusan=keputusan,
                bagian_dikecualikan="NIK dan alamat" if i % 7 == 3 else "",
            )
        )
    return out


def sample_letters(rows: int) -> dict[str, L.Letter]:
    """One context per template, its main table holding ``rows`` rows."""
    org = L.OrgInfo()
    kadis = L.Signer(
        jabatan="Kepala Dinas Komunikasi dan Informatika Kota Kupang",
        name="Yohanes Benu, S.STP., M.Si.",
        pangkat="Pembina Tingkat I (IV/b)",
        nip="19800101 200312 1 004",
    )
    walikota = L.Signer(jabatan="Walikota Kupang", name="Yosef Ratu Lado")
    day = date(2026, 12, 7)

    def head(hal: str) -> L.LetterHead:
        return L.LetterHead(
            nomor="000.9/066/Kominfo/XII/2026",
            tanggal=day,
            hal=hal,
            kepada=["Asisten Pemerintahan Sekretariat Daerah Kota Kupang"],
            tembusan=["Walikota Kupang (sebagai laporan)"],
        )

    proposed, decided = _items(rows, decided=False), _items(rows, decided=True)
    rapat = L.Rapat(
        mulai=datetime(2026, 12, 21, 2, 0, tzinfo=UTC), tempat="Ruang Rapat Garuda", tz=WITA
    )
    anggota = [L.AnggotaTim("Agustinus Fanggidae", "Ketua"), L.AnggotaTim("Ruth Laiskodat")]
    opds = [f"Dinas Contoh {i + 1:03d}" for i in range(rows)]
    return {
        "nota_dinas": L.NotaDinas(org, head("Permohonan Persetujuan"), kadis, date(2026, 12, 14)),
        "surat_permintaan_dik": L.SuratPermintaan(
            org, head("Permintaan Usulan DIK"), kadis, date(2026, 12, 14), opds
        ),
        "surat_pengantar": L.SuratPengantar(
            org,
            head("Penyampaian Usulan DIK"),
            kadis,
            [
                L.OpdRekap(name, L.StatusUsulan.USULAN, 3, diterima=date(2026, 12, 10))
                for name in opds
            ],
        ),
        "surat_usulan_uji": L.SuratUsulanUji(org, head("Usulan Uji"), kadis, proposed),
        "surat_undangan": L.SuratUndangan(org, head("Undangan"), kadis, rapat, proposed),
        "lembar_uji": L.LembarUji(org, rapat, decided, anggota),
        "ketetapan": L.Ketetapan(
            org, "000.9/080/PPID/XII/2026", day, kadis, decided, date(2026, 12, 21), walikota
        ),
        "sk_walikota": L.SkWalikota(org, walikota, decided, 2026, "188.45/KEP/HK/2026", day),
    }


# ---------------------------------------------------------------------------------------------
# The bare docxtpl baseline


def body_paragraphs(template: str) -> int:
    """Paragraphs directly in the body of a letter's template (outside its tables)."""
    path = DEFAULT_TEMPLATE_DIR / f"{template}.docx"
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{W_NS}body")
    assert body is not None
    return len(body.findall(f"{W_NS}p"))


def plain_template(directory: Path, paragraphs: int, columns: int) -> Path:
    """A plain .docx: a title, ``paragraphs`` lines of text, and (if ``columns``) a table with
    a header row and one ``{%tr for r in rows %}`` loop over ``columns`` cells."""
    doc = Document()
    doc.add_paragraph("{{ title }}")
    for i in range(max(paragraphs - 1, 0)):
        doc.add_paragraph(f"Paragraf {i + 1} dari surat dinas yang dibuat dengan python-docx.")
    if columns:
        table = doc.add_table(rows=4, cols=columns)
        for c in range(columns):
            table.cell(0, c).text = f"Kolom {c + 1}"
            table.cell(2, c).text = f"{{{{ r.c{c} }}}}"
        table.cell(1, 0).text = "{%tr for r in rows %}"
        table.cell(3, 0).text = "{%tr endfor %}"
    path = directory / f"plain-{paragraphs}p-{columns}c.docx"
    doc.save(str(path))
    return path


def bare_render(path: Path, rows: int, columns: int) -> Callable[[], bytes]:
    """docxtpl alone: load the template, render ``rows`` rows, save to bytes."""
    cell = "Informasi publik yang dikecualikan menurut Pasal 17"
    context = {
        "title": "Surat Dinas",
        "rows": [{f"c{c}": f"{cell} {i}" for c in range(columns)} for i in range(rows)],
    }

    def run() -> bytes:
        template = DocxTemplate(path)
        template.render(context, autoescape=True)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()

    return run


async def letter_figures(rows: int = 200, repeat: int = 7) -> Figures:
    figures: Figures = []
    with tempfile.TemporaryDirectory(prefix="dik-bench-docs-") as tmp:
        for name, letter in sample_letters(rows).items():
            columns = COLUMNS[name]
            plain = plain_template(Path(tmp), body_paragraphs(name), columns)
            render = lambda letter=letter: L.render_letter(letter)  # noqa: E731
            ours = median(time_calls(render, repeat=repeat, clock=CPU))
            bare = median(time_calls(bare_render(plain, rows, columns), repeat=repeat, clock=CPU))
            size = f"{rows} rows × {columns} cols" if columns else "no table"
            figures.append(
                Figure(
                    GROUP,
                    f"render {name} ({size})",
                    ours * 1000,
                    "ms",
                    baseline=bare * 1000,
                    limit=3,
                    on="ratio",
                    note="" if figures else CPU_NOTE,
                )
            )
    return figures


# ---------------------------------------------------------------------------------------------
# The Form DIK


def filled_form(rows: int) -> bytes:
    """The real blank Form DIK with ``rows`` rows typed in, as an OPD sends it back (the
    sample rows in turn, each item numbered so that no two are the same)."""
    typed: list[Row] = []
    for i in range(rows):
        informasi, dasar, dibuka, ditutup, jangka = SAMPLE_ROWS[i % len(SAMPLE_ROWS)]
        typed.append((f"{informasi} ({i + 1})", dasar, dibuka, ditutup, jangka))
    return samples.filled_form("Dinas Contoh 001", typed)


def bare_read(data: bytes) -> int:
    """openpyxl alone: open read-only and iterate every row of every sheet."""
    wb = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for ws in wb.worksheets for _row in ws.iter_rows(values_only=True))
    finally:
        wb.close()


@dataclass
class _Upload:
    seconds: list[float]
    rows_stored: int


async def _load_upload(data: bytes, rows: int, repeat: int, workdir: Path) -> _Upload:
    url = await fresh_database(sqlite_url(workdir, "formdik"))
    wf = workflow_for(settings_for(url, workdir))
    try:
        cast = await seed_city(wf, offices=1)
        await open_collect_run(wf)
        stored = 0

        async def upload() -> None:
            nonlocal stored
            outcome = await wf.collect.load_upload(cast.ppid[0], "Form DIK.xlsx", data)
            if not outcome.ok:
                raise RuntimeError(f"the bench's Form DIK was refused: {outcome.text[:300]}")
            stored = rows

        seconds = await time_awaits(upload, repeat=repeat, clock=CPU)
        return _Upload(seconds, stored)
    finally:
        await wf.db.dispose()


async def form_figures(rows: int = 1000, repeat: int = 5) -> Figures:
    data = filled_form(rows)
    bare = median(time_calls(lambda: bare_read(data), repeat=repeat, clock=CPU))
    validate = median(time_calls(lambda: read_form_dik(data), repeat=repeat, clock=CPU))
    with tempfile.TemporaryDirectory(prefix="dik-bench-form-") as tmp:
        result = await _load_upload(data, rows, repeat, Path(tmp))
    return [
        Figure(
            GROUP,
            f"Form DIK {rows} rows: validate only (read_form_dik)",
            validate,
            "s",
            baseline=bare,
        ),
        Figure(
            GROUP,
            f"Form DIK {rows} rows: validate + store (load_upload)",
            median(result.seconds),
            "s",
            baseline=bare,
            limit=3,
            on="ratio",
            extra={"file_bytes": len(data), "rows_stored": result.rows_stored},
        ),
    ]
