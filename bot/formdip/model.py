"""One row of a Daftar Informasi Publik (DIP), its two closed vocabularies, and how a person's
words for them are read.

The Standar Layanan Informasi Publik (Perki 1/2021) asks each DIP row for at least: ringkasan
isi informasi; pejabat atau unit/satuan kerja yang menguasai informasi; penanggung jawab
pembuatan atau penerbitan informasi; waktu dan tempat pembuatan informasi; bentuk informasi
yang tersedia (cetak / elektronik); jangka waktu penyimpanan atau retensi arsip; and the kind
of the information under UU 14/2008: berkala (Pasal 9), serta merta (Pasal 10) or tersedia
setiap saat (Pasal 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

BERKALA: Final = "berkala"
SERTA_MERTA: Final = "serta_merta"
SETIAP_SAAT: Final = "setiap_saat"
JENIS_KEYS: Final[tuple[str, ...]] = (BERKALA, SERTA_MERTA, SETIAP_SAAT)

JENIS_LABELS: Final[dict[str, str]] = {
    BERKALA: "Berkala",
    SERTA_MERTA: "Serta merta",
    SETIAP_SAAT: "Tersedia setiap saat",
}
JENIS_PASAL: Final[dict[str, str]] = {
    BERKALA: "Pasal 9",
    SERTA_MERTA: "Pasal 10",
    SETIAP_SAAT: "Pasal 11",
}
JENIS_TITLES: Final[dict[str, str]] = {
    BERKALA: "Informasi yang Wajib Disediakan dan Diumumkan secara Berkala",
    SERTA_MERTA: "Informasi yang Wajib Diumumkan secara Serta Merta",
    SETIAP_SAAT: "Informasi yang Wajib Tersedia Setiap Saat",
}

CETAK: Final = "cetak"
ELEKTRONIK: Final = "elektronik"
BENTUK_KEYS: Final[tuple[str, ...]] = (CETAK, ELEKTRONIK)


def jenis_choice(key: str) -> str:
    """The drop-down value of a kind: "Berkala (Pasal 9 UU 14/2008)"."""
    return f"{JENIS_LABELS[key]} ({JENIS_PASAL[key]} UU 14/2008)"


def jenis_text(key: str) -> str:
    """ "Berkala (Pasal 9 Undang-Undang Nomor 14 Tahun 2008)", for documents and pages."""
    return f"{JENIS_LABELS[key]} ({JENIS_PASAL[key]} Undang-Undang Nomor 14 Tahun 2008)"


BENTUK_CHOICES: Final[dict[tuple[str, ...], str]] = {
    (CETAK,): "Cetak",
    (ELEKTRONIK,): "Elektronik",
    (CETAK, ELEKTRONIK): "Cetak dan elektronik",
}


def bentuk_text(bentuk: tuple[str, ...]) -> str:
    return BENTUK_CHOICES.get(tuple(k for k in BENTUK_KEYS if k in bentuk), "-")


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


_PASAL = re.compile(r"\bpasal\s*(9|10|11)\b")
_BERKALA = re.compile(r"\bberkala\b|\bperiodik\b")
_SERTA_MERTA = re.compile(r"\bserta\s*merta\b|\bsegera\b")
_SETIAP_SAAT = re.compile(r"\bsetiap\s*saat\b|\bsetiap\s*waktu\b|\btersedia\b")


def parse_jenis(text: str) -> str | None:
    """The kind a cell or message names ("Berkala", "Pasal 10", "setiap saat", "b"...), or
    None when it names none or more than one."""
    h = normalise(text)
    if not h:
        return None
    numbered = {"1": BERKALA, "2": SERTA_MERTA, "3": SETIAP_SAAT}  # the chat's numbered list
    if h in numbered:
        return numbered[h]
    found = set()
    for m in _PASAL.finditer(h):
        found.add({"9": BERKALA, "10": SERTA_MERTA, "11": SETIAP_SAAT}[m.group(1)])
    if _BERKALA.search(h):
        found.add(BERKALA)
    if _SERTA_MERTA.search(h):
        found.add(SERTA_MERTA)
    elif _SETIAP_SAAT.search(h):
        found.add(SETIAP_SAAT)
    return found.pop() if len(found) == 1 else None


_CETAK = re.compile(r"\b(cetak|tercetak|hard\s*copy|hardcopy|kertas|fisik|print)\b")
_ELEKTRONIK = re.compile(
    r"\b(elektronik|elektronis|soft\s*copy|softcopy|digital|pdf|online|daring|website|laman|"
    r"e\s*mail|surel|file)\b"
)


def parse_bentuk(text: str) -> tuple[str, ...] | None:
    """ "Cetak", "Elektronik", "Cetak dan elektronik", "hardcopy / softcopy" -> the forms, in
    a fixed order; None when the text names neither."""
    h = normalise(text)
    found = []
    if _CETAK.search(h):
        found.append(CETAK)
    if _ELEKTRONIK.search(h):
        found.append(ELEKTRONIK)
    return tuple(found) or None


@dataclass(frozen=True, slots=True)
class DipRow:
    """One item of an OPD's DIP. ``ref`` names the entry of the DIP in force it came from (the
    hidden Kode column of a pre-filled form), "" for a new one; ``source_row`` the sheet row."""

    ringkasan: str
    pejabat: str
    penanggung_jawab: str
    waktu_tempat: str
    bentuk: tuple[str, ...]
    retensi: str
    jenis: str
    ref: str = ""
    source_row: int | None = None

    @property
    def bentuk_label(self) -> str:
        return bentuk_text(self.bentuk)

    @property
    def jenis_label(self) -> str:
        return JENIS_LABELS[self.jenis]

    def content(self) -> tuple[str, ...]:
        """What a change compares: every field, normalised for spacing and case."""
        return (
            " ".join(self.ringkasan.split()).casefold(),
            " ".join(self.pejabat.split()).casefold(),
            " ".join(self.penanggung_jawab.split()).casefold(),
            " ".join(self.waktu_tempat.split()).casefold(),
            ",".join(self.bentuk),
            " ".join(self.retensi.split()).casefold(),
            self.jenis,
        )
