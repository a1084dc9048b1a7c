"""Render every letter of a sample DIK cycle, re-open it, and check what it says.

The rendered files are also written to ``test-artifacts/letters/`` for a human to open.
"""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from lxml import etree

from bot.documents import (
    DEFAULT_TEMPLATE_DIR,
    AnggotaTim,
    DikItem,
    Keputusan,
    Ketetapan,
    LembarUji,
    Letter,
    LetterHead,
    NotaDinas,
    OpdRekap,
    OrgInfo,
    Pencabutan,
    Persetujuan,
    Peserta,
    Rapat,
    Signer,
    SkWalikota,
    StatusUsulan,
    SuratPengantar,
    SuratPermintaan,
    SuratUndangan,
    SuratUsulanUji,
    TemplateRenderError,
    clean_text,
    document_text,
    render,
    render_ketetapan,
    render_lembar_uji,
    render_letter,
    render_nota_dinas,
    render_sk_walikota,
    render_surat_pengantar,
    render_surat_permintaan,
    render_surat_undangan,
    render_surat_usulan_uji,
)
from bot.documents.legal import LegalRefs

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "letters"
WITA = timezone(timedelta(hours=8))
LetterT = TypeVar("LetterT", bound=Letter)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# ---------------------------------------------------------------------------------------------
# A sample cycle: three OPDs with ten items (one partial exemption, one found open), and two
# more OPDs that answered "nihil" or not at all. Names are invented.
# ---------------------------------------------------------------------------------------------

ORG = OrgInfo()
DINKES = "Dinas Kesehatan"
BKPSDM = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"

KADIS = Signer(
    jabatan="Kepala Dinas Komunikasi dan Informatika Kota Kupang",
    name="Yohanes Benu, S.STP., M.Si.",
    pangkat="Pembina Tingkat I (IV/b)",
    nip="19800101 200312 1 004",
)
KABID = Signer(
    jabatan="Kepala Bidang Pengelolaan Layanan Informasi Publik",
    name="Maria Goreti Lay, S.Sos., MPP",
    pangkat="Penata Tingkat I (III/d)",
    nip="19790215 201001 2 009",
)
PLH_KADIS = Signer(
    jabatan="Sekretaris Dinas Komunikasi dan Informatika Kota Kupang",
    name="Daniel Manafe, S.H.",
    pangkat="Pembina (IV/a)",
    nip="19770515 200012 1 003",
    plh_for="Kepala Dinas Komunikasi dan Informatika Kota Kupang",
)
PPID_UTAMA = replace(
    KADIS,
    jabatan="Kepala Dinas Komunikasi dan Informatika Kota Kupang selaku PPID Utama",
)
WALIKOTA = Signer(jabatan="Walikota Kupang", name="Yosef Ratu Lado")

UU = "Undang-Undang Nomor 14 Tahun 2008"
ITEMS: list[DikItem] = [
    DikItem(
        DINKES,
        "Rekam medis pasien Puskesmas",
        f"Pasal 17 huruf h angka 2 {UU}",
        "Mengungkap riwayat kesehatan pasien",
        "Kerahasiaan pasien terlindungi",
        "Tidak terbatas",
        ("h",),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        DINKES,
        "Data pasien HIV/AIDS by name by address",
        f"Pasal 17 huruf h angka 2 {UU}",
        "Stigma dan diskriminasi terhadap pasien",
        "Pasien tetap berobat tanpa rasa takut",
        "Tidak terbatas",
        ("h",),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        DINKES,
        "Harga Perkiraan Sendiri (HPS) pengadaan obat sebelum pemilihan penyedia",
        f"Pasal 17 huruf b {UU}",
        "Persaingan usaha tidak sehat antarpenyedia",
        "Pengadaan berjalan adil",
        "Sampai kontrak ditandatangani",
        ("b",),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        DINKES,
        "Laporan realisasi anggaran Puskesmas",
        f"Pasal 17 huruf e {UU}",
        "Tidak ada kerugian yang nyata",
        "Publik tidak dapat mengawasi anggaran",
        "5 Tahun",
        ("e",),
        Keputusan.TERBUKA,
        alasan_terbuka="Wajib diumumkan secara berkala",
    ),
    DikItem(
        BKPSDM,
        "Dokumen Surat Keputusan pengangkatan dan data kepegawaian ASN",
        f"Pasal 17 huruf h angka 3 {UU}",
        "Data pribadi pegawai disalahgunakan",
        "Data pribadi pegawai terlindungi",
        "Tidak terbatas",
        ("h",),
        Keputusan.DIKECUALIKAN_SEBAGIAN,
        bagian_dikecualikan="NIK, alamat rumah, dan nomor rekening",
    ),
    DikItem(
        BKPSDM,
        "Hasil evaluasi kinerja dan psikotes ASN",
        f"Pasal 17 huruf h angka 4 {UU}",
        "Merugikan nama baik pegawai",
        "Penilaian tetap objektif",
        "Tidak terbatas",
        ("h",),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        BKPSDM,
        "Berkas pemeriksaan pelanggaran disiplin ASN",
        f"Pasal 17 huruf a angka 1 dan huruf h angka 4 {UU}",
        "Mengganggu proses pemeriksaan",
        "Pemeriksaan berjalan objektif",
        "5 tahun setelah keputusan disiplin",
        ("a", "h"),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        DUKCAPIL,
        "Data kependudukan perseorangan (NIK, KK, akta)",
        f"Pasal 17 huruf j {UU} jo. Pasal 79 Undang-Undang Nomor 24 Tahun 2013",
        "Penyalahgunaan identitas penduduk",
        "Data penduduk terlindungi",
        "Tidak terbatas",
        ("j",),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        DUKCAPIL,
        "Data biometrik penduduk (sidik jari dan iris mata)",
        f"Pasal 17 huruf h {UU}",
        "Pemalsuan identitas",
        "Identitas penduduk aman",
        "Tidak terbatas",
        ("h",),
        Keputusan.DIKECUALIKAN,
    ),
    DikItem(
        DUKCAPIL,
        "Memorandum internal tentang rencana penertiban data ganda",
        f"Pasal 17 huruf i {UU}",
        "Rencana penertiban dimanfaatkan pihak tertentu",
        "Penertiban berjalan efektif",
        "2 Tahun",
        ("i",),
        Keputusan.DIKECUALIKAN,
    ),
]
PROPOSED = [replace(item, keputusan=None) for item in ITEMS]
TERBUKA = ITEMS[3]
PARTIAL = ITEMS[4]

NOMOR_NOTA = "000.9/061/Kominfo/XII/2026"
NOMOR_PERMINTAAN = "000.9/066/Kominfo/XII/2026"
NOMOR_PENGANTAR = "000.9/071/Kominfo/XII/2026"
NOMOR_USULAN = "000.9/072/Kominfo/XII/2026"
NOMOR_UNDANGAN = "005/015/Kominfo/XII/2026"
NOMOR_KETETAPAN = "000.9/080/PPID/XII/2026"
NOMOR_SK = "188.45/KEP/HK/2026"
ASDA = "Asisten Pemerintahan Sekretariat Daerah Kota Kupang"
KABAG_HUKUM = "Kepala Bagian Hukum Sekretariat Daerah Kota Kupang"

RAPAT = Rapat(
    # 02.00 UTC is 10.00 WITA; the letter must print the office's time.
    mulai=datetime(2026, 12, 21, 2, 0, tzinfo=UTC),
    tempat="Ruang Rapat Garuda, Kantor Walikota Kupang",
    tz=WITA,
)
ANGGOTA = [
    AnggotaTim("Agustinus Fanggidae, S.H., M.H.", "Ketua", KABAG_HUKUM, "19750303 200003 1 002"),
    AnggotaTim("Maria Goreti Lay, S.Sos., MPP", "Sekretaris", KABID.jabatan, KABID.nip),
    AnggotaTim("dr. Ruth Laiskodat", "Anggota", "Sekretaris Dinas Kesehatan"),
    AnggotaTim("Petrus Tanone", "Anggota", "Inspektorat Kota Kupang", hadir=False),
]
PERSETUJUAN = [
    Persetujuan(
        "Agustinus Fanggidae, S.H., M.H.", datetime(2026, 12, 21, 3, 32, tzinfo=UTC), "Ketua"
    ),
    Persetujuan("dr. Ruth Laiskodat", datetime(2026, 12, 21, 4, 5, tzinfo=UTC)),
]


def sample_letters() -> dict[str, Letter]:
    """One context for every template, as a cycle would produce them."""
    head = LetterHead
    return {
        "nota_dinas": NotaDinas(
            org=ORG,
            head=head(
                nomor=NOMOR_NOTA,
                tanggal=date(2026, 12, 1),
                hal="Permohonan Persetujuan Permintaan Usulan Daftar Informasi yang Dikecualikan",
                kepada=[KADIS.jabatan],
                tembusan=["Sekretaris Dinas Komunikasi dan Informatika Kota Kupang"],
            ),
            signer=KABID,
            batas_waktu=date(2026, 12, 14),
            attached=["Form DIK"],
        ),
        "surat_permintaan_dik": SuratPermintaan(
            org=ORG,
            head=head(
                nomor=NOMOR_PERMINTAAN,
                tanggal=date(2026, 12, 7),
                hal="Permintaan Usulan Daftar Informasi yang Dikecualikan",
                sifat="Penting",
                kepada=[
                    "Kepala Perangkat Daerah selaku PPID Pembantu di Lingkungan Pemerintah "
                    "Kota Kupang (daftar terlampir)"
                ],
                tembusan=["Walikota Kupang (sebagai laporan)", "Sekretaris Daerah Kota Kupang"],
            ),
            signer=PPID_UTAMA,
            batas_waktu=date(2026, 12, 14),
            opds=[DINKES, BKPSDM, DUKCAPIL, "Kecamatan Kota Lama", "Dinas Pariwisata"],
            cara_penyampaian="layanan bot Telegram PPID Kota Kupang",
            attached=["Form DIK"],
        ),
        "surat_pengantar": SuratPengantar(
            org=ORG,
            head=head(
                nomor=NOMOR_PENGANTAR,
                tanggal=date(2026, 12, 16),
                hal="Penyampaian Usulan Daftar Informasi yang Dikecualikan",
                kepada=[ASDA],
                up=KABAG_HUKUM,
                tembusan=["Walikota Kupang (sebagai laporan)"],
            ),
            signer=PLH_KADIS,
            rekap=[
                OpdRekap(DINKES, StatusUsulan.USULAN, 4, diterima=date(2026, 12, 10)),
                OpdRekap(BKPSDM, StatusUsulan.USULAN, 3, diterima=date(2026, 12, 11)),
                OpdRekap(DUKCAPIL, StatusUsulan.USULAN, 3, diterima=date(2026, 12, 14)),
                OpdRekap("Kecamatan Kota Lama", StatusUsulan.NIHIL),
                OpdRekap("Dinas Pariwisata", StatusUsulan.TIDAK_MENJAWAB),
            ],
            batas_waktu=date(2026, 12, 14),
            permintaan_nomor=NOMOR_PERMINTAAN,
            permintaan_tanggal=date(2026, 12, 7),
            permintaan_hal="Permintaan Usulan Daftar Informasi yang Dikecualikan",
            attached=["Kompilasi Usulan DIK"],
        ),
        "surat_usulan_uji": SuratUsulanUji(
            org=ORG,
            head=head(
                nomor=NOMOR_USULAN,
                tanggal=date(2026, 12, 16),
                hal="Usulan Pelaksanaan Uji Konsekuensi Daftar Informasi yang Dikecualikan",
                kepada=[ASDA],
                up=KABAG_HUKUM,
            ),
            signer=KADIS,
            items=PROPOSED,
            attached=["Kompilasi Usulan DIK"],
        ),
        "surat_undangan": SuratUndangan(
            org=ORG,
            head=head(
                nomor=NOMOR_UNDANGAN,
                tanggal=date(2026, 12, 17),
                hal="Undangan Rapat Uji Konsekuensi",
                sifat="Segera",
                kepada=["Para Anggota Tim Uji Konsekuensi (daftar terlampir)"],
            ),
            signer=KADIS,
            rapat=RAPAT,
            items=PROPOSED,
            peserta=[
                Peserta(m.jabatan, m.name, f"{m.peran} Tim Uji Konsekuensi") for m in ANGGOTA
            ],
        ),
        "lembar_uji": LembarUji(
            org=ORG,
            rapat=RAPAT,
            items=ITEMS,
            anggota=ANGGOTA,
            persetujuan=PERSETUJUAN,
            nomor="01/TUK/XII/2026",
            dasar_tim="Keputusan Walikota Kupang Nomor 188.45/KEP/HK/2026",
        ),
        "ketetapan": Ketetapan(
            org=ORG,
            nomor=NOMOR_KETETAPAN,
            tanggal=date(2026, 12, 22),
            penetap=PPID_UTAMA,
            items=ITEMS,
            tanggal_uji=date(2026, 12, 21),
            menyetujui=WALIKOTA,
            nomor_lembar="01/TUK/XII/2026",
        ),
        "sk_walikota": SkWalikota(
            org=ORG,
            walikota=WALIKOTA,
            items=ITEMS,
            tahun=2026,
            nomor=NOMOR_SK,
            tanggal=date(2026, 12, 23),
            ketetapan_nomor=NOMOR_KETETAPAN,
            ketetapan_tanggal=date(2026, 12, 22),
            tembusan=["Ketua DPRD Kota Kupang", "Para PPID Pembantu"],
        ),
    }


def sample(kind: type[LetterT]) -> LetterT:
    """The sample cycle's letter of this type."""
    found = [letter for letter in sample_letters().values() if isinstance(letter, kind)]
    assert len(found) == 1
    return found[0]


RENDERERS: dict[str, Callable[..., bytes]] = {
    "nota_dinas": render_nota_dinas,
    "surat_permintaan_dik": render_surat_permintaan,
    "surat_pengantar": render_surat_pengantar,
    "surat_usulan_uji": render_surat_usulan_uji,
    "surat_undangan": render_surat_undangan,
    "lembar_uji": render_lembar_uji,
    "ketetapan": render_ketetapan,
    "sk_walikota": render_sk_walikota,
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, letter in sample_letters().items():
        data = RENDERERS[name](letter)
        (ARTIFACTS / f"{name}.docx").write_bytes(data)
        out[name] = data
    return out


@pytest.fixture(scope="module")
def texts(rendered: dict[str, bytes]) -> dict[str, str]:
    return {name: document_text(data) for name, data in rendered.items()}


def assert_in_order(text: str, *parts: str) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing (or out of order) after position {position}"
        position = found + len(part)


def assert_well_formed(data: bytes, *, user_braces: bool = False) -> None:
    """Every XML part parses strictly, every table cell keeps a paragraph, no tag is left."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(name))
                if name == "word/document.xml":
                    for cell in root.iter(f"{{{W_NS}}}tc"):
                        assert cell.find(f"{{{W_NS}}}p") is not None, "a table cell lost its <w:p>"
    Document(io.BytesIO(data))
    if not user_braces:
        text = document_text(data)
        assert "{{" not in text and "{%" not in text and "%}" not in text


# ---------------------------------------------------------------------------------------------
# Every letter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(RENDERERS))
def test_every_letter_renders_clean_a4_bookman(name: str, rendered: dict[str, bytes]) -> None:
    data = rendered[name]
    assert_well_formed(data)
    document = Document(io.BytesIO(data))
    first = document.sections[0]
    assert first.page_width is not None and first.page_height is not None
    assert {round(first.page_width.cm, 1), round(first.page_height.cm, 1)} == {21.0, 29.7}
    assert first.left_margin is not None and round(first.left_margin.cm, 1) == 3.0
    assert first.right_margin is not None and round(first.right_margin.cm, 1) == 2.0
    normal = document.styles["Normal"]
    assert normal.font.name == "Bookman Old Style"
    assert normal.font.size.pt == 12
    assert (ARTIFACTS / f"{name}.docx").read_bytes() == data


@pytest.mark.parametrize("name", [n for n in RENDERERS if n != "sk_walikota"])
def test_every_office_letter_has_the_kop(name: str, texts: dict[str, str]) -> None:
    assert_in_order(
        texts[name],
        "PEMERINTAH KOTA KUPANG",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Jalan Veteran Nomor 2, Kelurahan Pasir Panjang",
    )


def test_kop_has_a_rule_under_the_address(rendered: dict[str, bytes]) -> None:
    document = Document(io.BytesIO(rendered["surat_permintaan_dik"]))
    kop = document.tables[0]
    assert "Jalan Veteran" in kop.rows[0].cells[1].text
    # The paragraph right after the kop table carries the double rule.
    rule = kop._tbl.getnext()
    border = rule.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pBdr/{{{W_NS}}}bottom")
    assert border is not None and border.get(f"{{{W_NS}}}val") == "thinThickSmallGap"


def test_nota_dinas(texts: dict[str, str]) -> None:
    text = texts["nota_dinas"]
    assert_in_order(
        text,
        "NOTA DINAS",
        f"Kepada\t:\tYth. {KADIS.jabatan}",
        f"Dari\t:\t{KABID.jabatan}",
        "Tembusan\t:\tSekretaris Dinas Komunikasi dan Informatika Kota Kupang",
        "Tanggal\t:\t1 Desember 2026",
        f"Nomor\t:\t{NOMOR_NOTA}",
        "Sifat\t:\tBiasa",
        "Lampiran\t:\t1 (satu) berkas",
        "Hal\t:\tPermohonan Persetujuan",
        "Pemerintah Kota Kupang Tahun 2026",
        "paling lambat hari Senin, 14 Desember 2026",
        "Form Daftar Informasi yang Dikecualikan",
        f"{KABID.jabatan},",
        KABID.name,
        KABID.pangkat,
        f"NIP. {KABID.nip}",
    )


def test_surat_permintaan(texts: dict[str, str]) -> None:
    text = texts["surat_permintaan_dik"]
    assert_in_order(
        text,
        "Kupang, 7 Desember 2026",
        f"Nomor\t:\t{NOMOR_PERMINTAAN}",
        "Sifat\t:\tPenting",
        "Lampiran\t:\t2 (dua) berkas",
        "Hal\t:\tPermintaan Usulan Daftar Informasi yang Dikecualikan",
        "Yth.\tKepala Perangkat Daerah selaku PPID Pembantu",
        "di –",
        "Kupang",
        "selaku PPID Pembantu",
        "paling lambat hari Senin, 14 Desember 2026 melalui layanan bot Telegram",
        "pernyataan nihil",
        f"{PPID_UTAMA.jabatan},",
        PPID_UTAMA.name,
        f"NIP. {PPID_UTAMA.nip}",
        "Tembusan:",
        "1.\tWalikota Kupang (sebagai laporan)",
        "2.\tSekretaris Daerah Kota Kupang",
        f"Lampiran\t:\tSurat {PPID_UTAMA.jabatan}",
        f"Nomor\t:\t{NOMOR_PERMINTAAN}",
        "DAFTAR PPID PEMBANTU DI LINGKUNGAN PEMERINTAH KOTA KUPANG",
        "5 (lima) PERANGKAT DAERAH",
        "No | Perangkat Daerah | Keterangan",
        f"1 | {DINKES} |",
        f"2 | {BKPSDM} |",
        f"3 | {DUKCAPIL} |",
        "4 | Kecamatan Kota Lama |",
        "5 | Dinas Pariwisata |",
    )


def test_ppid_label_is_a_setting() -> None:
    letter = sample(SuratPermintaan)
    pelaksana = replace(letter, org=replace(ORG, ppid_label="PPID Pelaksana"))
    text = document_text(render_surat_permintaan(pelaksana))
    assert "selaku PPID Pelaksana untuk menyampaikan" in text
    assert "DAFTAR PPID PELAKSANA" in text
    # The only "PPID Pembantu" left is the addressee line the caller wrote.
    assert text.count("PPID Pembantu") == 1


def test_surat_pengantar(texts: dict[str, str]) -> None:
    text = texts["surat_pengantar"]
    assert_in_order(
        text,
        "Kupang, 16 Desember 2026",
        f"Nomor\t:\t{NOMOR_PENGANTAR}",
        f"Yth.\t{ASDA}",
        f"u.p. {KABAG_HUKUM}",
        "di –",
        f"Menindaklanjuti surat kami Nomor {NOMOR_PERMINTAAN} tanggal 7 Desember 2026",
        "No | Perangkat Daerah | Jumlah Usulan | Keterangan",
        f"1 | {DINKES} | 4 | Diterima 10 Desember 2026",
        f"2 | {BKPSDM} | 3 | Diterima 11 Desember 2026",
        f"3 | {DUKCAPIL} | 3 | Diterima 14 Desember 2026",
        "4 | Kecamatan Kota Lama | 0 | Nihil",
        "5 | Dinas Pariwisata | - | Tidak menjawab",
        "Jumlah | 10 |",
        "Dari 5 (lima) Perangkat Daerah, 3 (tiga) Perangkat Daerah menyampaikan usulan dengan "
        "jumlah 10 (sepuluh) informasi, 1 (satu) Perangkat Daerah menyatakan nihil, dan 1 "
        "(satu) Perangkat Daerah tidak menyampaikan tanggapan sampai dengan batas waktu hari "
        "Senin, 14 Desember 2026",
        # A Plh. signs for the Kepala Dinas.
        f"Plh. {PLH_KADIS.plh_for},",
        PLH_KADIS.name,
        f"NIP. {PLH_KADIS.nip}",
        "Tembusan:",
    )
    assert f"{PLH_KADIS.jabatan}," not in text


def test_surat_usulan_uji(texts: dict[str, str]) -> None:
    text = texts["surat_usulan_uji"]
    assert_in_order(
        text,
        f"Nomor\t:\t{NOMOR_USULAN}",
        f"Yth.\t{ASDA}",
        f"u.p. {KABAG_HUKUM}",
        "Uji Konsekuensi atas 10 (sepuluh) usulan informasi yang dikecualikan dari 3 (tiga) "
        "Perangkat Daerah",
        "No | Perangkat Daerah | Informasi | Dasar Hukum",
        *[
            f"{no} | {item.opd} | {item.informasi} | {item.dasar_hukum}"
            for no, item in enumerate(ITEMS, 1)
        ],
        KADIS.name,
    )
    # No tembusan given: no "Tembusan:" heading either.
    assert "Tembusan" not in text


def test_surat_undangan(texts: dict[str, str]) -> None:
    text = texts["surat_undangan"]
    assert_in_order(
        text,
        f"Nomor\t:\t{NOMOR_UNDANGAN}",
        "Sifat\t:\tSegera",
        # The list of invitees and the Draft DIK: two lampiran.
        "Lampiran\t:\t2 (dua) berkas",
        "Hal\t:\tUndangan Rapat Uji Konsekuensi",
        "Yth.\tPara Anggota Tim Uji Konsekuensi (daftar terlampir)",
        "Hari, tanggal\t:\tSenin, 21 Desember 2026",
        "Waktu\t:\tPukul 10.00 WITA s.d. selesai",
        f"Tempat\t:\t{RAPAT.tempat}",
        f"Acara\t:\t{RAPAT.acara}",
        KADIS.name,
        f"Lampiran\t:\tSurat {KADIS.jabatan}",
        f"Nomor\t:\t{NOMOR_UNDANGAN}",
        "DAFTAR UNDANGAN",
        "No | Jabatan | Nama | Keterangan",
        f"1 | {KABAG_HUKUM} | {ANGGOTA[0].name} | Ketua Tim Uji Konsekuensi",
        f"4 | Inspektorat Kota Kupang | {ANGGOTA[3].name} | Anggota Tim Uji Konsekuensi",
        # Each lampiran closes with the signer's block.
        KADIS.name,
        f"Lampiran\t:\tSurat {KADIS.jabatan}",
        "DRAFT DAFTAR INFORMASI YANG DIKECUALIKAN",
        "No | Perangkat Daerah | Informasi | Dasar Hukum | Konsekuensi apabila dibuka | "
        "Konsekuensi apabila ditutup | Jangka Waktu",
        *[
            f"{no} | {item.opd} | {item.informasi} | {item.dasar_hukum} | "
            f"{item.konsekuensi_dibuka} | {item.konsekuensi_ditutup} | {item.jangka_waktu}"
            for no, item in enumerate(ITEMS, 1)
        ],
        KADIS.name,
    )


def test_undangan_with_an_end_time_and_no_peserta() -> None:
    letter = sample(SuratUndangan)
    ends = replace(
        letter,
        rapat=replace(RAPAT, selesai=datetime(2026, 12, 21, 4, 30, tzinfo=UTC)),
        peserta=(),
    )
    data = render_surat_undangan(ends)
    assert_well_formed(data)
    text = document_text(data)
    assert "Waktu\t:\tPukul 10.00 s.d. 12.30 WITA" in text
    assert "DAFTAR UNDANGAN" not in text
    assert "DRAFT DAFTAR INFORMASI YANG DIKECUALIKAN" in text
    assert "Lampiran\t:\t1 (satu) berkas" in text


def test_lembar_uji(texts: dict[str, str], rendered: dict[str, bytes]) -> None:
    text = texts["lembar_uji"]
    assert_in_order(
        text,
        "LEMBAR PENGUJIAN KONSEKUENSI",
        "Nomor: 01/TUK/XII/2026",
        "Pada hari ini Senin tanggal dua puluh satu bulan Desember tahun dua ribu dua puluh "
        "enam, pukul 10.00 WITA, bertempat di Ruang Rapat Garuda",
        "yang dibentuk berdasarkan Keputusan Walikota Kupang Nomor 188.45/KEP/HK/2026",
        "No | Informasi | Dasar Hukum | Konsekuensi | Keputusan | Jangka Waktu",
        "Apabila dibuka | Apabila ditutup",
        f"A. {DINKES}",
        f"1 | {ITEMS[0].informasi} | {ITEMS[0].dasar_hukum} | {ITEMS[0].konsekuensi_dibuka} | "
        f"{ITEMS[0].konsekuensi_ditutup} | Dikecualikan | Tidak terbatas",
        f"4 | {TERBUKA.informasi} | {TERBUKA.dasar_hukum} | {TERBUKA.konsekuensi_dibuka} | "
        f"{TERBUKA.konsekuensi_ditutup} | Terbuka (tidak dikecualikan)\nAlasan: "
        f"{TERBUKA.alasan_terbuka} | -",
        f"B. {BKPSDM}",
        f"5 | {PARTIAL.informasi} |",
        "Dikecualikan sebagian (yang dihitamkan: NIK, alamat rumah, dan nomor rekening)",
        f"C. {DUKCAPIL}",
        f"10 | {ITEMS[9].informasi} |",
        "Rekapitulasi: 8 (delapan) informasi dikecualikan, 1 (satu) informasi dikecualikan "
        "sebagian, dan 1 (satu) informasi dinyatakan terbuka",
        "Kupang, 21 Desember 2026",
        "TIM UJI KONSEKUENSI",
        "No | Nama | Jabatan dalam Tim | Jabatan / Unit Kerja | Tanda Tangan",
        f"1 | {ANGGOTA[0].name}\nNIP. {ANGGOTA[0].nip} | Ketua | {KABAG_HUKUM} | 1. ",
        f"3 | {ANGGOTA[2].name} | Anggota | Sekretaris Dinas Kesehatan | 3. ",
        "PERSETUJUAN ANGGOTA TIM MELALUI APLIKASI",
        "No | Nama | Jabatan dalam Tim | Persetujuan | Waktu",
        f"1 | {ANGGOTA[0].name} | Ketua | Setuju | Senin, 21 Desember 2026 pukul 11.32 WITA",
        f"2 | {ANGGOTA[2].name} | Anggota | Setuju | Senin, 21 Desember 2026 pukul 12.05 WITA",
    )
    # Only those present sign.
    assert "Petrus Tanone" not in text
    document = Document(io.BytesIO(rendered["lembar_uji"]))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE


def test_lembar_uji_for_one_item_without_approvals() -> None:
    letter = sample(LembarUji)
    single = replace(letter, items=[PARTIAL], persetujuan=(), nomor="")
    data = render_lembar_uji(single)
    assert_well_formed(data)
    text = document_text(data)
    assert f"A. {BKPSDM}" in text
    assert f"1 | {PARTIAL.informasi} |" in text
    assert "Belum ada persetujuan yang tercatat" in text
    assert "Nomor:" not in text


def test_ketetapan_carries_the_six_fields_of_perki_1_2017(texts: dict[str, str]) -> None:
    text = texts["ketetapan"]
    assert_in_order(
        text,
        "SURAT PENETAPAN KLASIFIKASI INFORMASI YANG DIKECUALIKAN",
        f"Nomor: {NOMOR_KETETAPAN}",
        "Pengujian Konsekuensi oleh Tim Uji Konsekuensi pada hari Senin, 21 Desember 2026 "
        "sebagaimana tercantum dalam Lembar Pengujian Konsekuensi Nomor 01/TUK/XII/2026",
        # (c) badan publik and the unit kerja of the official who decides
        "1. Badan Publik\t:\tPemerintah Kota Kupang",
        "2. Unit Kerja Pejabat yang Menetapkan\t:\tDinas Komunikasi dan Informatika Kota Kupang",
        # (b) identity of the PPID official who decides
        f"3. Pejabat PPID yang Menetapkan\t:\t{PPID_UTAMA.name}",
        f"NIP\t:\t{PPID_UTAMA.nip}",
        f"Jabatan\t:\t{PPID_UTAMA.jabatan}",
        # (f) place and date
        "4. Tempat Penetapan\t:\tKupang",
        "5. Tanggal Penetapan\t:\t22 Desember 2026",
        # (a) jenis klasifikasi, (e) alasan: dasar hukum + konsekuensi, (d) jangka waktu
        "No | Informasi yang Dikecualikan | Jenis Klasifikasi | Dasar Hukum Pengecualian | "
        "Alasan Pengecualian (Uji Konsekuensi) | Jangka Waktu Pengecualian",
        f"A. {DINKES}",
        f"1 | {ITEMS[0].informasi} | Informasi yang Dikecualikan\nPasal 17 huruf h: informasi "
        f"yang apabila dibuka dapat mengungkap rahasia pribadi | {ITEMS[0].dasar_hukum} | "
        f"Apabila dibuka: {ITEMS[0].konsekuensi_dibuka}\nApabila ditutup: "
        f"{ITEMS[0].konsekuensi_ditutup} | Tidak terbatas",
        f"3 | {ITEMS[2].informasi} | Informasi yang Dikecualikan\nPasal 17 huruf b:",
        "| Sampai kontrak ditandatangani",
        f"B. {BKPSDM}",
        f"4 | {PARTIAL.informasi}\n(dikecualikan sebagian: {PARTIAL.bagian_dikecualikan}) | "
        "Informasi yang Dikecualikan sebagian",
        f"6 | {ITEMS[6].informasi} | Informasi yang Dikecualikan\nPasal 17 huruf a:",
        "Pasal 17 huruf h:",
        "| 5 tahun setelah keputusan disiplin",
        f"C. {DUKCAPIL}",
        "Pasal 17 huruf j: informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang",
        "III.\tINFORMASI YANG DINYATAKAN TERBUKA (TIDAK DIKECUALIKAN)",
        f"1 | {DINKES} | {TERBUKA.informasi} | {TERBUKA.alasan_terbuka}",
        "Ditetapkan di\t:\tKupang",
        "Pada tanggal\t:\t22 Desember 2026",
        "Menyetujui,",
        "Walikota Kupang,",
        WALIKOTA.name,
        "Pejabat yang menetapkan,",
        f"{PPID_UTAMA.jabatan},",
        PPID_UTAMA.name,
    )
    # The open item is listed as open, never among the exempted rows.
    assert f"| {TERBUKA.informasi} | Informasi yang Dikecualikan" not in text
    assert "(9 (sembilan) informasi)" in text


def test_ketetapan_without_approver_keeps_the_table_valid() -> None:
    letter = sample(Ketetapan)
    data = render_ketetapan(replace(letter, menyetujui=None, nomor_lembar=""))
    assert_well_formed(data)
    text = document_text(data)
    assert "Menyetujui" not in text
    assert "sebagaimana tercantum dalam Lembar" not in text


@pytest.mark.parametrize("kind", [Ketetapan, SkWalikota])
def test_undecided_items_cannot_be_ketetapan_or_sk(kind: type[Ketetapan | SkWalikota]) -> None:
    with pytest.raises(ValueError, match="keputusan"):
        render_letter(replace(sample(kind), items=PROPOSED))


def test_sk_walikota(texts: dict[str, str], rendered: dict[str, bytes]) -> None:
    text = texts["sk_walikota"]
    judul = "DAFTAR INFORMASI YANG DIKECUALIKAN DI LINGKUNGAN PEMERINTAH KOTA KUPANG TAHUN 2026"
    assert_in_order(
        text,
        "WALIKOTA KUPANG",
        "PROVINSI NUSA TENGGARA TIMUR",
        "KEPUTUSAN WALIKOTA KUPANG",
        f"NOMOR {NOMOR_SK}",
        "TENTANG",
        judul,
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        "WALIKOTA KUPANG,",
        # Pasal 2 ayat (2) and (4) as they read, the balancing clause included.
        "Menimbang | : | a. | bahwa berdasarkan ketentuan Pasal 2 ayat (2) dan ayat (4) "
        "Undang-Undang Nomor 14 Tahun 2008",
        "bersifat ketat dan terbatas, serta bersifat rahasia sesuai dengan Undang-Undang, "
        "kepatutan, dan kepentingan umum didasarkan pada pengujian tentang konsekuensi yang "
        "timbul apabila suatu informasi diberikan kepada masyarakat serta setelah "
        "dipertimbangkan dengan saksama bahwa menutup Informasi Publik dapat melindungi "
        "kepentingan yang lebih besar daripada membukanya atau sebaliknya;",
        " |  | b. | bahwa berdasarkan ketentuan Pasal 19",
        "dan Pasal 49 Peraturan Komisi Informasi Nomor 1 Tahun 2021",
        f"Ketetapan Hasil Uji Konsekuensi Nomor {NOMOR_KETETAPAN} tanggal 22 Desember 2026;",
        # The Perwali article requiring the DIK by Keputusan: not known, a visible blank.
        " |  | c. | bahwa berdasarkan ketentuan Pasal …… Peraturan Walikota Kupang Nomor 31 "
        "Tahun 2022",
        "ditetapkan dengan Keputusan Walikota;",
        " |  | d. | bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, "
        "dan huruf c, perlu menetapkan Keputusan Walikota tentang Daftar Informasi yang "
        "Dikecualikan di Lingkungan Pemerintah Kota Kupang Tahun 2026;",
        "Mengingat | : | 1. | Undang-Undang Nomor 5 Tahun 1996 tentang Pembentukan Kotamadya "
        "Daerah Tingkat II Kupang (Lembaran Negara Republik Indonesia Tahun 1996 Nomor 43, "
        "Tambahan Lembaran Negara Republik Indonesia Nomor 3633);",
        "2. | Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi",
        "3. | Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan",
        "4. | Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "5. | Peraturan Pemerintah Nomor 61 Tahun 2010",
        "6. | Peraturan Komisi Informasi Nomor 1 Tahun 2017",
        "(Berita Negara Republik Indonesia Tahun 2017 Nomor ……);",
        "7. | Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2017",
        "8. | Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi "
        "Publik (Berita Negara Republik Indonesia Tahun 2021 Nomor ……);",
        "9. | Peraturan Walikota Kupang Nomor 31 Tahun 2022",
        "(Berita Daerah Kota Kupang Tahun 2022 Nomor ……);",
        "MEMUTUSKAN:",
        f"Menetapkan\t:\tKEPUTUSAN WALIKOTA KUPANG TENTANG {judul}.",
        "KESATU\t:\tMenetapkan Daftar Informasi yang Dikecualikan",
        "KEDUA\t:\t",
        "KETIGA\t:\t",
        "KEEMPAT\t:\tKeputusan Walikota ini mulai berlaku pada tanggal ditetapkan.",
        "Ditetapkan di\t:\tKupang",
        "pada tanggal\t:\t23 Desember 2026",
        "WALIKOTA KUPANG,",
        WALIKOTA.name.upper(),
        "Salinan Keputusan ini disampaikan kepada Yth.:",
        "1.\tKetua DPRD Kota Kupang",
        "LAMPIRAN",
        f"NOMOR\t:\t{NOMOR_SK}",
        "TANGGAL\t:\t23 Desember 2026",
        f"TENTANG\t:\t{judul}",
        "No | Informasi yang Dikecualikan | Dasar Hukum Pengecualian | Konsekuensi | Jangka Waktu",
        f"A. {DINKES}",
        f"1 | {ITEMS[0].informasi} | {ITEMS[0].dasar_hukum} | Apabila dibuka: ",
        f"2 | {ITEMS[1].informasi} |",
        f"3 | {ITEMS[2].informasi} |",
        f"B. {BKPSDM}",
        f"1 | {PARTIAL.informasi}\n(dikecualikan sebagian: {PARTIAL.bagian_dikecualikan}) |",
        f"2 | {ITEMS[5].informasi} |",
        f"3 | {ITEMS[6].informasi} |",
        f"C. {DUKCAPIL}",
        f"1 | {ITEMS[7].informasi} |",
        f"3 | {ITEMS[9].informasi} | {ITEMS[9].dasar_hukum} |",
        "| 2 Tahun",
        "WALIKOTA KUPANG,",
        WALIKOTA.name.upper(),
    )
    # Only exempted items enter the SK; no revocation in a first DIK.
    assert TERBUKA.informasi not in text
    assert "Menimbang" in text and text.count("bahwa berdasarkan") == 4
    assert "dicabut" not in text
    document = Document(io.BytesIO(rendered["sk_walikota"]))
    main, lampiran = document.sections
    assert main.orientation == WD_ORIENT.PORTRAIT
    assert lampiran.orientation == WD_ORIENT.LANDSCAPE
    assert lampiran.page_width is not None
    assert abs(lampiran.page_width - Cm(29.7)) < Cm(0.1)


def test_walikota_signs_with_name_only_even_when_a_nip_is_recorded() -> None:
    letter = sample(SkWalikota)
    recorded = replace(WALIKOTA, pangkat="Pembina Utama (IV/e)", nip="19700101 199003 1 001")
    text = document_text(render_sk_walikota(replace(letter, walikota=recorded)))
    assert "NIP" not in text and "Pembina Utama" not in text
    assert text.count(WALIKOTA.name.upper()) == 2  # the body and the lampiran


def test_second_dik_revokes_the_first_and_gazette_numbers_fill_the_blanks() -> None:
    letter = sample(SkWalikota)
    second = replace(
        letter,
        tahun=2027,
        mencabut=Pencabutan(
            judul="Daftar Informasi yang Dikecualikan di Lingkungan Pemerintah Kota Kupang "
            "Tahun 2026",
            nomor=NOMOR_SK,
            tanggal=date(2026, 12, 23),
        ),
        dasar=LegalRefs(
            berita_negara_perki_2021="9999",
            berita_daerah_perwali="31",
            perwali_pasal_dik="20",
        ),
    )
    text = document_text(render_sk_walikota(second))
    assert_in_order(
        text,
        "TAHUN 2027",
        "ketentuan Pasal 20 Peraturan Walikota Kupang Nomor 31 Tahun 2022",
        "Tahun 2021 Nomor 9999);",
        "Berita Daerah Kota Kupang Tahun 2022 Nomor 31);",
        "KEEMPAT\t:\tPada saat Keputusan Walikota ini mulai berlaku, Keputusan Walikota Kupang "
        f"Nomor {NOMOR_SK} tanggal 23 Desember 2026 tentang Daftar Informasi yang Dikecualikan "
        "di Lingkungan Pemerintah Kota Kupang Tahun 2026 dicabut dan dinyatakan tidak berlaku.",
        "KELIMA\t:\tKeputusan Walikota ini mulai berlaku pada tanggal ditetapkan.",
    )
    # A number or date the bot does not know is a blank to fill, never a guess.
    unknown = replace(second, mencabut=Pencabutan(judul="DIK 2026"))
    text = document_text(render_sk_walikota(unknown))
    assert "Keputusan Walikota Kupang Nomor …… tanggal …… tentang DIK 2026 dicabut" in text


def test_sk_draft_without_number_and_date() -> None:
    letter = sample(SkWalikota)
    draft = replace(letter, nomor="", tanggal=None, ketetapan_nomor="", tembusan=())
    data = render_sk_walikota(draft)
    assert_well_formed(data)
    text = document_text(data)
    assert "NOMOR …" in text
    assert "pada tanggal\t:\t… … 2026" in text
    assert "Salinan Keputusan" not in text


def test_sk_accepts_the_bagian_hukum_texts() -> None:
    letter = sample(SkWalikota)
    own = replace(
        letter,
        menimbang=["bahwa satu;", "bahwa dua;"],
        mengingat=["Undang-Undang Nomor 14 Tahun 2008;"],
        diktum=["Satu.", "Dua.", "Tiga.", "Empat.", "Lima."],
    )
    text = document_text(render_sk_walikota(own))
    assert "Menimbang | : | a. | bahwa satu;" in text
    assert " |  | b. | bahwa dua;" in text
    assert "Mengingat | : | 1. | Undang-Undang Nomor 14 Tahun 2008;" in text
    assert "KELIMA\t:\tLima." in text
    assert "Kearsipan" not in text


def test_sk_with_nothing_exempted() -> None:
    letter = sample(SkWalikota)
    data = render_sk_walikota(replace(letter, items=[TERBUKA]))
    assert_well_formed(data)
    assert "Tidak terdapat informasi yang dikecualikan." in document_text(data)


# ---------------------------------------------------------------------------------------------
# Text typed by people
# ---------------------------------------------------------------------------------------------

NASTY = "<script>alert(1)</script> & \"kutip\" 'tunggal' {{ x }} {% if %}"


def test_markup_quotes_and_control_characters_render_cleanly() -> None:
    dirty = replace(
        PARTIAL,
        opd='Dinas <b>&amp; "Uji"\x0b',
        informasi=f"{NASTY}\x01\x0c\x07 akhir\r\nbaris dua",
        dasar_hukum="Pasal 17 huruf h & 'j' <UU>\x00",
        konsekuensi_dibuka="a < b > c\ufffe",
        bagian_dikecualikan='NIK & "KK"',
    )
    variants: dict[str, Letter] = {
        "surat_usulan_uji": replace(sample(SuratUsulanUji), items=[dirty]),
        "surat_undangan": replace(sample(SuratUndangan), items=[dirty]),
        "lembar_uji": replace(sample(LembarUji), items=[dirty]),
        "ketetapan": replace(sample(Ketetapan), items=[dirty]),
        "sk_walikota": replace(sample(SkWalikota), items=[dirty]),
        "nota_dinas": replace(
            sample(NotaDinas),
            signer=replace(KABID, name='O\'Neil <Lay> & "Co"\x02'),
            catatan=["Catatan <i>revisi</i> & 'lain'\x1f"],
        ),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, letter in variants.items():
        data = render_letter(letter)
        (ARTIFACTS / f"escaped_{name}.docx").write_bytes(data)
        assert_well_formed(data, user_braces=True)
        text = document_text(data)
        for bad in ("\x00", "\x01", "\x02", "\x07", "\x0b", "\x0c", "\x1f", "\ufffe"):
            assert bad not in text, (name, bad)
        if name == "nota_dinas":
            assert 'O\'Neil <Lay> & "Co"' in text
            assert "Catatan <i>revisi</i> & 'lain'" in text
            continue
        # Typed braces stay text: they are never evaluated as template tags.
        assert f"{NASTY} akhir\nbaris dua" in text, name
        assert 'Dinas <b>&amp; "Uji"' in text, name
        assert "Pasal 17 huruf h & 'j' <UU>" in text, name


def test_clean_text() -> None:
    assert clean_text(" a\r\nb\rc\x00\x0c\x1b\ud800 ") == "a\nb\nc"
    assert clean_text("tab\tstays") == "tab\tstays"


# ---------------------------------------------------------------------------------------------
# The rendering machinery
# ---------------------------------------------------------------------------------------------


def test_a_variable_missing_from_the_context_is_an_error() -> None:
    with pytest.raises(TemplateRenderError, match=r"nota_dinas\.docx"):
        render("nota_dinas", {"org": ORG.context()})


@pytest.mark.parametrize("bad", ["../nota_dinas", "sub/nota_dinas", "", "nota dinas"])
def test_template_names_are_plain_names(bad: str) -> None:
    with pytest.raises(ValueError, match="template name"):
        render(bad, {})


def test_concurrent_renders_do_not_interfere() -> None:
    letters = sample_letters()
    names = ["nota_dinas", "lembar_uji", "sk_walikota"]
    expected = {name: document_text(render_letter(letters[name])) for name in names}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: (n, render_letter(letters[n])), names * 2))
    for name, data in results:
        assert document_text(data) == expected[name]


def test_signer_title_lines() -> None:
    assert KADIS.title_lines() == [f"{KADIS.jabatan},"]
    assert PLH_KADIS.title_lines() == [f"Plh. {PLH_KADIS.plh_for},"]
    pj = Signer("Penjabat Walikota", "X", plh_for="Walikota Kupang", acting="Pj.")
    assert pj.title_lines() == ["Pj. Walikota Kupang,"]
    an = Signer("Sekretaris Daerah,", "Y", atas_nama="Walikota Kupang")
    assert an.title_lines() == ["a.n. Walikota Kupang,", "Sekretaris Daerah,"]


def test_several_addressees_are_numbered() -> None:
    head = LetterHead("1", date(2026, 12, 1), "Hal", kepada=["A", "B"], tembusan=["T"])
    ctx = head.context(ORG)
    assert ctx["kepada_lines"] == [
        {"prefix": "Yth.", "text": "1. A"},
        {"prefix": "", "text": "2. B"},
    ]
    assert ctx["kepada_text"] == "1. Yth. A\n2. Yth. B"
    assert ctx["di"] == "Kupang"


def _load_build_script() -> ModuleType:
    path = DEFAULT_TEMPLATE_DIR / "build_templates.py"
    spec = importlib.util.spec_from_file_location("build_templates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_regenerates_working_templates(tmp_path: Path) -> None:
    module = _load_build_script()
    written = module.build_all(tmp_path)
    names = sorted(path.stem for path in written)
    assert names == sorted(RENDERERS)
    committed = sorted(p.stem for p in DEFAULT_TEMPLATE_DIR.glob("*.docx"))
    assert committed == names
    letters = sample_letters()
    for name in names:
        data = render_letter(letters[name], template_dir=tmp_path)
        assert_well_formed(data)
    # Rebuilding gives the same bytes (fixed timestamps), so git sees no churn.
    again = tmp_path / "again.docx"
    module.save_reproducibly(module.BUILDERS["nota_dinas"](), again)
    assert again.read_bytes() == (tmp_path / "nota_dinas.docx").read_bytes()


def test_templates_only_use_known_tags() -> None:
    """Catch a tag split by Word or typed wrong: every {{ / {% has its closing pair."""
    for path in DEFAULT_TEMPLATE_DIR.glob("*.docx"):
        text = document_text(path.read_bytes())
        assert text.count("{{") == text.count("}}"), path.name
        assert len(re.findall(r"\{%", text)) == len(re.findall(r"%\}", text)), path.name
