"""The DIP letters rendered, re-opened and read back, and printed with LibreOffice: the tata
naskah of the DIK letters (kop, page numbers from page 2, lampiran heading and signature, no
signature alone on a page, blanks where a number is unknown)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bot.documents import LetterHead, OrgInfo, Pencabutan, Signer, document_text
from bot.documents.dip_letters import (
    DIP_TEMPLATE_DIR,
    DipItem,
    KeputusanDip,
    NotaDinasDip,
    SuratPermintaanDip,
    dip_mengingat,
    render_keputusan_dip,
    render_nota_dinas_dip,
    render_surat_permintaan_dip,
)
from bot.documents.legal import LegalRefs
from bot.formdip import DipRow
from tests.test_letters_printed import Page, _pages, _soffice

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "printed"
ORG = OrgInfo(laman="kupangkota.go.id", surel="ppid@kupangkota.go.id")
KADIS = Signer(
    "Kepala Dinas Komunikasi dan Informatika Kota Kupang selaku PPID Utama",
    "Wildrian Ronald Otta",
    "Pembina (IV/a)",
    "19860429 200412 1 001",
)
PETUGAS = Signer(
    "Kepala Bidang PLIP", "Lumongga Simanjuntak", "Penata (III/c)", "19790215 201001 2 009"
)
OPDS = ["Dinas Kesehatan", "Bappeda", 'Dinas Sosial <&> "kutip"']


def _row(ringkasan: str, jenis: str) -> DipRow:
    return DipRow(
        ringkasan,
        "Sekretariat",
        "Sekretaris",
        "Tahunan, Kupang",
        ("cetak", "elektronik"),
        "5 tahun",
        jenis,
    )


ITEMS = [
    DipItem("Dinas Kesehatan", _row("Laporan Keuangan Tahunan", "berkala")),
    DipItem("Dinas Kesehatan", _row("Peringatan dini wabah", "serta_merta")),
    DipItem("Bappeda", _row("Renstra <2025-2029> & RKPD", "setiap_saat")),
]


def nota() -> NotaDinasDip:
    head = LetterHead(
        "000.9/1/Kominfo/XII/2026",
        date(2026, 12, 7),
        "Pemutakhiran DIP Tahun 2026",
        kepada=["Kepala Dinas Kominfo"],
    )
    return NotaDinasDip(ORG, head, PETUGAS, tahun=2026, batas_hari_kerja=5)


def surat(batas: date | None = date(2026, 12, 15)) -> SuratPermintaanDip:
    head = LetterHead(
        "000.9/2/Kominfo/XII/2026",
        date(2026, 12, 8),
        "Permintaan Pemutakhiran Daftar Informasi Publik",
        kepada=["PPID Pembantu (daftar terlampir)"],
        tembusan=["Walikota Kupang"],
    )
    return SuratPermintaanDip(
        ORG, head, KADIS, OPDS, batas_waktu=batas, batas_jam="11.00 WITA", attached=["Form DIP"]
    )


def keputusan(items: list[DipItem] = ITEMS, **kw: object) -> KeputusanDip:
    return KeputusanDip(
        ORG, KADIS, items, 2026, tembusan=["Walikota Kupang", "Ketua DPRD Kota Kupang"], **kw
    )  # type: ignore[arg-type]


def test_nota_dinas_reads_back() -> None:
    text = document_text(render_nota_dinas_dip(nota()))
    assert "NOTA DINAS" in text
    assert "Pasal 11 ayat (1) huruf a Undang-Undang Nomor 14 Tahun 2008" in text
    assert "paling lambat 5 (lima) hari kerja sejak Surat Dinas diterima" in text
    assert "Lampiran\t:\t-" in text
    assert "Lumongga Simanjuntak" in text and "NIP. 19790215 201001 2 009" in text
    assert "- 2 -" not in text.split("\n")[0]


def test_surat_permintaan_with_its_lampiran() -> None:
    text = document_text(render_surat_permintaan_dip(surat()))
    assert "hari Selasa, 15 Desember 2026 pukul 11.00 WITA" in text
    assert "Lampiran\t:\t2 (dua) berkas" in text  # the list of addressees and the Form DIP
    assert "PENERIMA SURAT (3 (tiga) PERANGKAT DAERAH)" in text
    assert '3 | Dinas Sosial <&> "kutip" |' in text  # escaped, not broken
    assert "Tembusan:" in text and "Walikota Kupang" in text
    assert text.count("Wildrian Ronald Otta") == 2  # the letter and its lampiran are signed
    assert "tidak ada perubahan" in text
    draft = document_text(render_surat_permintaan_dip(surat(batas=None)))
    assert "5 (lima) hari kerja sejak Surat Dinas ini diterima" in draft


def test_keputusan_with_the_dip_as_lampiran() -> None:
    text = document_text(
        render_keputusan_dip(keputusan(mencabut=Pencabutan("Daftar Informasi Publik Tahun 2025")))
    )
    assert (
        "KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI UTAMA PEMERINTAH KOTA KUPANG"
        in text
    )
    assert "NOMOR …" in text and "… … 2026" in text  # dotted until numbered and signed
    assert "DAFTAR INFORMASI PUBLIK DI LINGKUNGAN PEMERINTAH KOTA KUPANG TAHUN 2026" in text
    for label in (
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN:",
        "KESATU",
        "KEDUA",
        "KETIGA",
        "KEEMPAT",
        "KELIMA",
    ):
        assert label in text
    assert "Nomor …… tanggal …… tentang Daftar Informasi Publik Tahun 2025 dicabut" in text
    assert "Berita Negara Republik Indonesia Tahun 2021 Nomor ……" in text  # unknown: a blank
    assert "Pembentukan Kotamadya" not in text  # the city's founding law is not cited here
    assert "A. Dinas Kesehatan" in text and "B. Bappeda" in text
    assert (
        "1 | Laporan Keuangan Tahunan | Sekretariat | Sekretaris | Tahunan, Kupang | "
        "Cetak dan elektronik | 5 tahun | Berkala (Pasal 9)" in text
    )
    assert "Renstra <2025-2029> & RKPD" in text
    assert "Serta merta (Pasal 10) | 1" in text and "Tersedia setiap saat (Pasal 11) | 1" in text
    assert "Jumlah: 3 (tiga) informasi" in text
    assert "Salinan Keputusan ini disampaikan kepada Yth.:" in text
    assert text.count("NIP. 19860429 200412 1 001") == 2  # the decision and its lampiran


def test_mengingat_keeps_the_laws_of_the_dip_only() -> None:
    lines = dip_mengingat(LegalRefs(berita_negara_perki_2021="1234"))
    assert lines[0].startswith("Undang-Undang Nomor 14 Tahun 2008")
    assert any("Berita Negara Republik Indonesia Tahun 2021 Nomor 1234" in line for line in lines)
    assert not any("Pengklasifikasian" in line for line in lines)


def test_an_empty_list_says_so() -> None:
    text = document_text(render_keputusan_dip(keputusan([])))
    assert "Tidak terdapat informasi dalam daftar." in text


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    soffice = _soffice()
    work = tmp_path_factory.mktemp("dip-print")
    many = [
        DipItem(
            f"OPD {i // 9}",
            _row(
                f"Informasi {i} yang cukup panjang untuk dua baris",
                ("berkala", "serta_merta", "setiap_saat")[i % 3],
            ),
        )
        for i in range(40)
    ]
    docs = {
        "nota_dinas_dip": render_nota_dinas_dip(nota()),
        "surat_permintaan_dip": render_surat_permintaan_dip(surat()),
        "keputusan_dip": render_keputusan_dip(keputusan(many)),
    }
    for name, data in docs.items():
        (work / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(work / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *(str(work / f"{n}.docx") for n in docs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in docs:
        shutil.copyfile(work / f"{name}.pdf", ARTIFACTS / f"{name}.pdf")
        out[name] = _pages(work / f"{name}.pdf")
    return out


@pytest.mark.parametrize("name", ["nota_dinas_dip", "surat_permintaan_dip", "keputusan_dip"])
def test_printed_pages(name: str, printed: dict[str, list[Page]]) -> None:
    pages = printed[name]
    assert "- 1 -" not in pages[0].text
    for number, page in enumerate(pages[1:], 2):
        assert page.text.startswith(f"- {number} -"), page.text[:40]
    for number, page in enumerate(pages, 1):
        words = [w.text for w in page.words]
        for first in ("Wildrian", "Lumongga"):
            if first in words:
                before = [w for w in words[: words.index(first)] if not w.isdigit() and w != "-"]
                assert len(before) >= 12, (
                    f"{name}: page {number} holds a lone signature: {page.text[:200]!r}"
                )


def test_build_script_regenerates_the_committed_templates(tmp_path: Path) -> None:
    path = DIP_TEMPLATE_DIR / "build_dip_templates.py"
    spec = importlib.util.spec_from_file_location("build_dip_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build_all(tmp_path)
    committed = sorted(p.name for p in DIP_TEMPLATE_DIR.glob("*.docx"))
    assert sorted(p.name for p in written) == committed
    for p in written:  # the same bytes: git sees no churn
        assert p.read_bytes() == (DIP_TEMPLATE_DIR / p.name).read_bytes()
    for p in DIP_TEMPLATE_DIR.glob("*.docx"):
        text = document_text(p.read_bytes())
        assert text.count("{{") == text.count("}}"), p.name
        assert text.count("{%") == text.count("%}"), p.name
