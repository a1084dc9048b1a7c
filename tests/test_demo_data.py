"""Issue 11, item 6: the demo's sample rows use grounds that fit them, and its officials have
distinct NIPs (a letter's signature block names the official by NIP)."""

from __future__ import annotations

from bot.dasar_hukum import parse_dasar_hukum
from bot.formdik.samples import SAMPLE_ROWS
from bot.pasal17 import Basis
from devtools.demo import CAST, TYPED_BKPSDM

# What each sample's information is, in the words of Pasal 17 UU 14/2008.
FITTING = {
    "Data rekam medis pasien Puskesmas": (Basis("h", 2),),  # health
    "Hasil pemeriksaan kesehatan calon pegawai": (Basis("h", 2),),  # health
    "Dokumen pengadaan obat yang sedang dalam proses evaluasi": (Basis("b", None),),
    "Berkas penilaian kinerja pegawai": (Basis("h", 4),),  # evaluation of a person's ability
}


def test_the_demo_rows_rest_on_grounds_that_fit_them() -> None:
    typed = [value for kind, value in TYPED_BKPSDM if kind == "say"]
    rows = [(r[0], r[1]) for r in SAMPLE_ROWS] + [(typed[0], typed[1])]
    assert {informasi for informasi, _ in rows} == set(FITTING)
    for informasi, dasar in rows:
        assert parse_dasar_hukum(dasar).bases == FITTING[informasi], (informasi, dasar)


def test_demo_officials_have_distinct_nips() -> None:
    nips = [c[7] for c in CAST if c[7]]
    assert len(nips) == len(set(nips)) == len(CAST) - 2  # all but the Walikota and the DPRD
    assert all(len(n.replace(" ", "")) == 18 and n.replace(" ", "").isdigit() for n in nips)
    walikota = next(c for c in CAST if c[3] == "walikota")
    assert walikota[7] == ""  # a Kepala Daerah signs with name only
