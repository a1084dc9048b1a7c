"""What the public DIK page tells a reader besides the list: the signed SK (its PDF published
beside the page), what each Pasal 17 ground means in plain words, and, when a search finds
nothing, that the information is probably open and how to request it."""

from __future__ import annotations

import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError, load_settings
from bot.pasal17 import KEYS
from bot.publish import write_public_dik
from bot.publish.glosses import GLOSS_FILE, glosses, parse_glosses
from tests.publik import sample_dik
from tests.scenario import PDF

PERMOHONAN = "https://ppid.kupangkota.go.id/permohonan-informasi"


class _Links(HTMLParser):
    """Every <a href>, every src=, and the text of elements by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.by_id: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if a.get("src"):
            self.srcs.append(a["src"] or "")
        self._open.append(a.get("id"))
        if a.get("id"):
            self.by_id.setdefault(a["id"] or "", "")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for ident in self._open:
            if ident:
                self.by_id[ident] += data


def parsed(page: str) -> _Links:
    p = _Links()
    p.feed(page)
    return p


def test_the_signed_sk_is_published_beside_the_page_and_linked(tmp_path: Path) -> None:
    dik = sample_dik(sk_published=True)
    written = write_public_dik(tmp_path, dik, sk_pdf=PDF)
    assert written[0].name == "sk-dik-2026.pdf"  # before the page that links it
    pdf = tmp_path / "sk-dik-2026.pdf"
    assert pdf.read_bytes() == PDF
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o644
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    links = parsed(page)
    assert links.hrefs.count("sk-dik-2026.pdf") == 2  # the SK's title and the download list
    assert links.by_id["sk-pdf"].startswith("Keputusan Walikota Kupang Nomor 188.45/321/HK/2026")
    assert "SK yang ditandatangani (PDF)" in page
    data = json.loads((tmp_path / "dik-2026.json").read_text(encoding="utf-8"))
    assert data["sk"]["berkas"] == "sk-dik-2026.pdf"
    # The name comes from the year alone: nothing of an uploaded file name reaches the folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dik-2026.html",
        "dik-2026.json",
        "dik-2026.xlsx",
        "index.html",
        "sk-dik-2026.pdf",
    ]


def test_a_page_that_links_the_sk_is_not_written_without_its_pdf(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="signed SK"):
        write_public_dik(tmp_path, sample_dik(sk_published=True))
    assert not (tmp_path / "dik-2026.html").exists()


def test_without_the_pdf_the_page_names_the_sk_without_a_link(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    assert "sk-dik-2026.pdf" not in page and 'id="sk-pdf"' not in page


def test_each_ground_carries_its_plain_gloss(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    arti = glosses()
    # In the rows: a short label per ground, linked to its explanation.
    rows = re.findall(r'<tr class="butir" id="butir-(\d+)".*?</tr>', page, re.S)
    assert len(rows) == 5
    cells = re.findall(r'<td class="f-dasar_hukum".*?</td>', page, re.S)
    labels = [
        re.findall(r'<small class="arti"><a href="#pasal17-(\w)">([^<]+)</a>', c) for c in cells
    ]
    h = ("h", f"Huruf h: {arti['h'].judul}")
    g = ("g", f"Huruf g: {arti['g'].judul}")
    assert labels == [[h], [h], [h], [g, h], []]  # the last basis was not recognised
    # Below the list: what each ground used means, in the law's order, and what rules.
    links = parsed(page)
    assert links.by_id["pasal17-g"] == f"Huruf g: {arti['g'].judul}"
    assert re.findall(r'<dt id="pasal17-(\w)">', page) == ["g", "h"]
    for huruf in ("g", "h"):
        assert f"<dd>{arti[huruf].arti}</dd>" in page
    assert "yang berlaku adalah bunyi Pasal 17 Undang-Undang Nomor 14 Tahun 2008" in page


def test_the_gloss_file_covers_every_ground_and_is_checked() -> None:
    arti = glosses()
    assert list(arti) == list(KEYS)
    assert all(g.judul and 40 <= len(g.arti) <= 400 for g in arti.values())
    # The glosses follow the article's own words (spot checks against Pasal 17's text).
    assert "persaingan usaha tidak sehat" in arti["b"].arti
    assert "putusan Komisi Informasi atau pengadilan" in arti["i"].arti
    assert "kemauan terakhir atau wasiat" in arti["g"].arti
    text = GLOSS_FILE.read_text(encoding="utf-8")
    without_j = text[: text.index("\nj:")] + "\n"
    with pytest.raises(ValueError, match="expected the huruf"):
        parse_glosses(without_j)
    with pytest.raises(ValueError, match="huruf d: judul and arti must not be empty"):
        data = yaml.safe_load(text)
        data["d"]["arti"] = "  "
        parse_glosses(yaml.safe_dump(data))


def test_an_empty_search_says_the_information_is_probably_open(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik(permohonan_url=PERMOHONAN))
    page = (tmp_path / "dik-2026.html").read_text(encoding="utf-8")
    links = parsed(page)
    kosong = " ".join(links.by_id["kosong"].split())
    assert kosong.startswith("Tidak ada informasi yang cocok dengan pencarian.")
    assert "kemungkinan besar merupakan informasi terbuka" in kosong
    assert "memintanya kepada PPID Pemerintah Kota Kupang melalui permohonan informasi publik" in (
        kosong
    )
    assert links.by_id["permohonan"] == "permohonan informasi publik"
    # The one link to another host is the permohonan page; nothing is loaded from elsewhere.
    assert [h for h in links.hrefs if "//" in h] == [PERMOHONAN]
    assert links.srcs == []


def test_without_a_permohonan_page_it_says_to_ask_the_ppid(tmp_path: Path) -> None:
    write_public_dik(tmp_path, sample_dik())
    kosong = " ".join(
        parsed((tmp_path / "dik-2026.html").read_text(encoding="utf-8")).by_id["kosong"].split()
    )
    assert "kemungkinan besar merupakan informasi terbuka" in kosong
    assert "kepada PPID Pemerintah Kota Kupang dengan mengajukan permohonan informasi publik" in (
        kosong
    )


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "ppid.kupangkota.go.id", 'https://x" onmouseover="a']
)
def test_the_permohonan_setting_must_be_a_web_address(bad: str) -> None:
    with pytest.raises(ConfigError, match="PERMOHONAN_URL"):
        load_settings(_env_file=None, permohonan_url=bad)
    ok = load_settings(_env_file=None, permohonan_url=f" {PERMOHONAN} ")
    assert ok.permohonan_url == PERMOHONAN
