"""The parts of every letter a reviewer checks before signing (issue 12): page numbers from
page 2, the kop with the lambang daerah and the full address, lampiran that are counted and
signed, tembusan, the Ketetapan's "Menyetujui" and the Walikota's name-only block.

Each letter of the sample cycle is rendered, re-opened and read part by part.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from bot.config import load_settings
from bot.documents import (
    PLACEHOLDER_LAMBANG,
    Ketetapan,
    OrgInfo,
    Signer,
    SuratPermintaan,
    SuratUndangan,
    document_text,
    render_letter,
)
from tests.test_letters import (
    ANGGOTA,
    KADIS,
    ORG,
    PPID_UTAMA,
    WALIKOTA,
    assert_in_order,
    assert_well_formed,
    sample,
    sample_letters,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAMES = list(sample_letters())


def _media(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("word/media/")]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: render_letter(letter) for name, letter in sample_letters().items()}


@pytest.mark.parametrize("name", NAMES)
def test_page_numbers_from_page_two_centred_at_the_top(
    name: str, rendered: dict[str, bytes]
) -> None:
    document = Document(io.BytesIO(rendered[name]))
    first = document.sections[0]
    assert first.different_first_page_header_footer
    # The first page's header is empty; the others carry "- PAGE -" centred.
    assert all(not p.text.strip() for p in first.first_page_header.paragraphs)
    header = first.header._element
    instr = [t.text.strip() for t in header.iter(f"{W}instrText")]
    assert instr == ["PAGE"]
    kinds = [f.get(f"{W}fldCharType") for f in header.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    paragraph = first.header.paragraphs[0]
    assert paragraph.alignment == 1  # centred
    assert re.fullmatch(r"- \d+ -", paragraph.text)
    # A later section (a landscape lampiran) keeps numbering its first page.
    for section in document.sections[1:]:
        assert not section.different_first_page_header_footer
        assert section.header.is_linked_to_previous


@pytest.mark.parametrize("name", NAMES)
def test_kop_carries_the_placeholder_lambang_until_one_is_configured(
    name: str, rendered: dict[str, bytes]
) -> None:
    media = _media(rendered[name])
    assert [_sha(m) for m in media] == [_sha(PLACEHOLDER_LAMBANG.read_bytes())]
    document = Document(io.BytesIO(rendered[name]))
    if name != "sk_walikota":
        kop = document.tables[0].rows[0].cells
        assert kop[0]._tc.xpath(".//w:drawing")
        assert "PEMERINTAH KOTA KUPANG" in kop[1].text


def test_the_configured_lambang_is_printed(tmp_path: Path) -> None:
    lambang = tmp_path / "lambang-kupang.png"
    Image.new("RGB", (120, 150), (200, 30, 30)).save(lambang)
    letter = sample(SuratPermintaan)
    data = render_letter(replace(letter, org=replace(ORG, lambang=str(lambang))))
    assert [_sha(m) for m in _media(data)] == [_sha(lambang.read_bytes())]


@pytest.mark.parametrize("bad", ["missing.png", "not-an-image.png"])
def test_a_wrong_lambang_setting_never_stops_a_letter(tmp_path: Path, bad: str) -> None:
    path = tmp_path / bad
    if bad == "not-an-image.png":
        path.write_text("this is not a picture")
    letter = sample(SuratPermintaan)
    data = render_letter(replace(letter, org=replace(ORG, lambang=str(path))))
    assert_well_formed(data)
    assert [_sha(m) for m in _media(data)] == [_sha(PLACEHOLDER_LAMBANG.read_bytes())]


def test_full_address_line_from_the_settings() -> None:
    org = replace(
        ORG,
        telepon="(0380) 000000",
        faksimile="(0380) 000001",
        laman="ppid.example.go.id",
        surel="ppid@example.go.id",
        kode_pos="00000",
    )
    text = document_text(render_letter(replace(sample(SuratPermintaan), org=org)))
    assert_in_order(
        text,
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Jalan Veteran Nomor 2, Kelurahan Pasir Panjang, Kecamatan Kota Lama, Kupang, "
        "Telepon (0380) 000000, Faksimile (0380) 000001",
        "Laman ppid.example.go.id, Surel ppid@example.go.id, Kode Pos 00000",
    )
    # Parts not configured are left out, never printed empty.
    bare = document_text(render_letter(sample(SuratPermintaan)))
    assert "Telepon" not in bare and "Surel" not in bare and "Kode Pos" not in bare


def test_settings_fill_the_org_and_the_tembusan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMBUSAN_SURAT_UNDANGAN", " Walikota Kupang | | Sekretaris Daerah ")
    settings = load_settings(_env_file=None)
    assert settings.tembusan("surat_undangan") == ["Walikota Kupang", "Sekretaris Daerah"]
    assert settings.tembusan("surat_permintaan") == [
        "Walikota Kupang (sebagai laporan)",
        "Sekretaris Daerah Kota Kupang",
    ]
    assert settings.tembusan("nota_dinas") == []


def _lampiran_count(text: str) -> int:
    found = re.search(r"^Lampiran\t:\t(\d+) \(\w+\) berkas$", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("name", NAMES)
def test_lampiran_count_matches_what_is_attached(name: str, rendered: dict[str, bytes]) -> None:
    """The letter's "Lampiran" counts its own lampiran (each opens with "Lampiran : Surat ...")
    and every file it says it sends along; each own lampiran closes with a signature block."""
    letter = sample_letters()[name]
    text = document_text(rendered[name])
    own = text.count("Lampiran\t:\tSurat ")
    files = len(getattr(letter, "attached", ()))
    if not hasattr(letter, "head"):
        return  # lembar, ketetapan, SK: no "Lampiran" line
    assert _lampiran_count(text) == own + files
    signer = letter.signer  # type: ignore[attr-defined]
    for part in text.split("Lampiran\t:\tSurat ")[1:]:
        assert signer.name in part and f"NIP. {signer.nip}" in part


def test_surat_undangan_without_peserta_counts_only_the_draft() -> None:
    text = document_text(render_letter(replace(sample(SuratUndangan), peserta=())))
    assert _lampiran_count(text) == 1
    assert text.count("Lampiran\t:\tSurat ") == 1


def test_tembusan_printed_where_the_letter_has_them(rendered: dict[str, bytes]) -> None:
    text = document_text(rendered["surat_permintaan_dik"])
    assert_in_order(
        text,
        f"NIP. {PPID_UTAMA.nip}",
        "Tembusan:",
        "1.\tWalikota Kupang (sebagai laporan)",
        "2.\tSekretaris Daerah Kota Kupang",
    )
    none = document_text(render_letter(replace(sample(SuratUndangan))))
    assert "Tembusan:" not in none


def test_ketetapan_menyetujui_is_the_pimpinan_signing_by_name_only() -> None:
    walikota = replace(WALIKOTA, nip="19700101 199003 1 001", name_only=True)
    letter = replace(sample(Ketetapan), menyetujui=walikota)
    text = document_text(render_letter(letter))
    assert_in_order(
        text,
        "I.\tIDENTITAS PENETAPAN",
        "II.\tKLASIFIKASI, DASAR HUKUM, ALASAN, DAN JANGKA WAKTU PENGECUALIAN",
        # OPD groups keep A, B, C: the sections use I, II, III, so no letter collides.
        "A. Dinas Kesehatan",
        "B. Badan Kepegawaian",
        "III.\tINFORMASI YANG DINYATAKAN TERBUKA",
        "Alasan Dinyatakan Terbuka",
        "Menyetujui,",
        "Walikota Kupang,",
        WALIKOTA.name.upper(),
        "Pejabat yang menetapkan,",
        PPID_UTAMA.name,
        f"NIP. {PPID_UTAMA.nip}",
    )
    assert "19700101 199003 1 001" not in text
    assert not re.search(r"^[A-C]\.\t", text, re.MULTILINE)


def test_a_signatory_without_jabatan_is_a_blank_to_fill() -> None:
    from bot.documents import LembarUji

    letter = sample(LembarUji)
    nameless = replace(letter, anggota=[replace(ANGGOTA[0], jabatan=""), *ANGGOTA[1:]])
    text = document_text(render_letter(nameless))
    assert "| Ketua | …… | 1. " in text


def test_org_defaults_name_the_superiors() -> None:
    org = OrgInfo()
    assert org.atasan_ppid and org.kabag_hukum
    letter = sample_letters()["nota_dinas"]
    text = document_text(render_letter(letter))
    assert f"disampaikan kepada {org.atasan_ppid} melalui {org.kabag_hukum}" in text
    assert Signer(jabatan="x", name="Nama", nip="1", name_only=True).context()["nip"] == ""
    assert KADIS.context()["nip"] == KADIS.nip
