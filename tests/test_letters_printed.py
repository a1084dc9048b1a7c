"""Every letter printed to PDF with LibreOffice (headless), as a reviewer would look at it.

Checks what only a laid-out page shows: no signature block stands alone on a page (the
closing paragraph, or a table's last row, goes over with it), no page is left half empty
in the middle of a table, and the letters keep their page counts. Long variants (many items,
many invitees) push the tables over page breaks.

LibreOffice is installed by ``.ci/run``; on CI (``CI=1``) a missing ``soffice`` fails the
test, elsewhere it is skipped.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.documents import (
    DikItem,
    Ketetapan,
    LembarUji,
    Letter,
    Peserta,
    SkWalikota,
    SuratPermintaan,
    SuratUndangan,
    render_letter,
)
from tests.test_letters import ITEMS, PROPOSED, sample, sample_letters

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "printed"
# Pages each sample letter may take at most (measured with LibreOffice 7 and the fonts it
# substitutes for Bookman Old Style; a lone signature page would add one).
MAX_PAGES = {
    "nota_dinas": 2,
    "surat_permintaan_dik": 3,
    "surat_pengantar": 2,
    "surat_usulan_uji": 3,
    "surat_undangan": 4,
    "lembar_uji": 4,
    "ketetapan": 4,
    "sk_walikota": 6,
}


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found and shutil.which("pdftotext"):
        return found
    message = "LibreOffice (soffice) and poppler-utils (pdftotext) are needed to print letters"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; .ci/run installs them")
    pytest.skip(message)


def _many(items: list[DikItem], times: int) -> list[DikItem]:
    return [
        replace(item, informasi=f"{item.informasi} ({n + 1})")
        for n in range(times)
        for item in items
    ]


def letters() -> dict[str, Letter]:
    out: dict[str, Letter] = dict(sample_letters())
    out["ketetapan_long"] = replace(sample(Ketetapan), items=_many(ITEMS, 4))
    out["sk_walikota_long"] = replace(sample(SkWalikota), items=_many(ITEMS, 4))
    out["lembar_uji_long"] = replace(sample(LembarUji), items=_many(ITEMS, 3))
    out["surat_undangan_long"] = replace(
        sample(SuratUndangan),
        items=_many(PROPOSED, 3),
        peserta=[Peserta(f"Jabatan peserta {n}", f"Nama {n}") for n in range(1, 31)],
    )
    out["surat_permintaan_long"] = replace(
        sample(SuratPermintaan), opds=[f"Perangkat Daerah Contoh {n}" for n in range(1, 61)]
    )
    return out


@dataclass
class Word:
    text: str
    y_max: float


@dataclass
class Page:
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _pages(pdf: Path) -> list[Page]:
    """The words of each page with their position (pdftotext -bbox)."""
    from lxml import etree

    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(html, etree.HTMLParser())
    pages = []
    for page in root.iter("page"):
        words = [Word(w.text or "", float(w.get("ymax"))) for w in page.iter("word")]
        pages.append(Page(float(page.get("height")), words))
    return pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    soffice = _soffice()
    work = tmp_path_factory.mktemp("print")
    docs = []
    for name, letter in letters().items():
        path = work / f"{name}.docx"
        path.write_bytes(render_letter(letter))
        docs.append(str(path))
    profile = (work / "lo-profile").as_uri()  # own profile: never clashes with another soffice
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            *docs,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in letters():
        pdf = work / f"{name}.pdf"
        shutil.copyfile(pdf, ARTIFACTS / pdf.name)
        out[name] = _pages(pdf)
    return out


def _signers(letter: Letter) -> list[str]:
    names = []
    for attr in ("signer", "penetap", "walikota"):
        signer = getattr(letter, attr, None)
        if signer is not None:
            names.append(signer.name.split(",")[0].split()[0])
    return names


SIGNATURE_WORDS = {
    "-",
    ":",
    "Ditetapkan",
    "di",
    "pada",
    "Pada",
    "tanggal",
    "Menyetujui,",
    "Pejabat",
    "yang",
    "menetapkan,",
}


@pytest.mark.parametrize("name", list(letters()))
def test_no_signature_block_alone_on_a_page(name: str, printed: dict[str, list[Page]]) -> None:
    letter = letters()[name]
    for number, page in enumerate(printed[name], 1):
        for first_name in _signers(letter):
            words = [w.text for w in page.words]
            if first_name not in words and first_name.upper() not in words:
                continue
            at = next(i for i, w in enumerate(words) if w in (first_name, first_name.upper()))
            signer = next(
                getattr(letter, a)
                for a in ("signer", "penetap", "walikota")
                if getattr(letter, a, None) is not None
                and getattr(letter, a).name.split()[0] == first_name
            )
            title = set(" ".join(signer.title_lines()).replace(",", ", ").split())
            before = [
                w
                for w in words[:at]
                if not w.isdigit()
                and w not in SIGNATURE_WORDS
                and w.rstrip(",") not in title
                and w not in title
            ]
            assert len(before) >= 5, (
                f"{name}: page {number} holds the signature of {signer.name} without the text "
                f"it closes: {page.text[:200]!r}"
            )


@pytest.mark.parametrize("name", list(letters()))
def test_no_half_empty_page_inside_the_text(name: str, printed: dict[str, list[Page]]) -> None:
    """A page followed by more of the same text (not a new lampiran) is used past its middle."""
    pages = printed[name]
    for number, (page, after) in enumerate(itertools.pairwise(pages), 1):
        body = [w for w in after.words if not (w.text == "-" or w.text.isdigit())][:1]
        if body and body[0].text.upper() == "LAMPIRAN":
            continue
        bottom = max((w.y_max for w in page.words), default=0.0)
        assert bottom > page.height * 0.5, (
            f"{name}: page {number} ends at {bottom / page.height:.0%} of its height"
        )


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_page_counts(name: str, printed: dict[str, list[Page]]) -> None:
    assert 1 <= len(printed[name]) <= MAX_PAGES[name]
    for number, page in enumerate(printed[name][1:], 2):
        assert f"- {number} -" in page.text or page.text.startswith(f"- {number}")
    assert "- 1 -" not in printed[name][0].text
