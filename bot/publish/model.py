"""The published DIK as plain data, and its JSON form (schema in `bot/publish/SCHEMA.md`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot import tanggal

SCHEMA_VERSION = 1
SCHEMA_NAME = "dik-kupang"
DIKECUALIKAN = "dikecualikan"
SEBAGIAN = "dikecualikan_sebagian"
KEPUTUSAN_LABELS = {DIKECUALIKAN: "Dikecualikan", SEBAGIAN: "Dikecualikan sebagian"}


@dataclass(frozen=True, slots=True)
class SkRef:
    """The Keputusan Walikota that set the list: its number (may be unknown) and date."""

    nomor: str
    tanggal: date | None
    siklus: str
    tahun: int

    def text(self, title_walikota: str = "Walikota") -> str:
        """ "Keputusan Walikota Kupang Nomor 188.45/123/HK/2026 tanggal 21 Desember 2026"."""
        out = f"Keputusan {title_walikota}"
        if self.nomor:
            out += f" Nomor {self.nomor}"
        if self.tanggal:
            out += f" tanggal {tanggal.format_tanggal(self.tanggal)}"
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "nomor": self.nomor or None,
            "tanggal": self.tanggal.isoformat() if self.tanggal else None,
            "siklus": self.siklus,
            "tahun": self.tahun,
        }


@dataclass(frozen=True, slots=True)
class PublishedItem:
    """One exempted item as the public sees it."""

    no: int
    opd_kode: str
    opd: str
    informasi: str
    dasar_hukum: str
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str
    keputusan: str  # DIKECUALIKAN or SEBAGIAN
    bagian_dihitamkan: str
    berakhir: date | None
    sk: SkRef
    huruf: tuple[str, ...] = ()  # the Pasal 17 letters of the basis, when they were recognised

    @property
    def keputusan_label(self) -> str:
        return KEPUTUSAN_LABELS[self.keputusan]

    def search_text(self) -> str:
        """What a keyword search looks in: OPD code and name, informasi, dasar hukum."""
        return " ".join((self.opd_kode, self.opd, self.informasi, self.dasar_hukum)).casefold()

    def as_json(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "opd": {"kode": self.opd_kode, "nama": self.opd},
            "informasi": self.informasi,
            "dasar_hukum": self.dasar_hukum,
            "konsekuensi": {
                "apabila_dibuka": self.konsekuensi_dibuka,
                "apabila_ditutup": self.konsekuensi_ditutup,
            },
            "jangka_waktu": self.jangka_waktu,
            "berakhir": self.berakhir.isoformat() if self.berakhir else None,
            "keputusan": self.keputusan,
            "bagian_dihitamkan": self.bagian_dihitamkan or None,
            "sk": self.sk.as_json(),
        }


@dataclass(frozen=True, slots=True)
class PublicDik:
    """Everything one published page holds: the list of one SK, and who publishes it."""

    badan_publik: str
    ppid: str
    title_walikota: str
    sk: SkRef
    generated_at: datetime
    items: Sequence[PublishedItem] = field(default=())
    # The signed SK is published beside the page (``sk_filename``) when the bot has its PDF.
    sk_published: bool = False
    # The PPID's page for requesting information (PERMOHONAN_URL), or "".
    permohonan_url: str = ""
    # The Daftar Informasi Publik page beside this one (e.g. "dip-2026.html"), or "".
    dip_page: str = ""

    @property
    def tahun(self) -> int:
        return self.sk.tahun

    @property
    def basename(self) -> str:
        return f"dik-{self.tahun}"

    @property
    def sk_filename(self) -> str | None:
        """The signed SK's name in the folder: from the year alone, never from an upload."""
        return f"sk-dik-{self.tahun}.pdf" if self.sk_published else None

    def huruf_used(self) -> list[str]:
        """The Pasal 17 letters the items rest on, in the law's order."""
        used = {h for item in self.items for h in item.huruf}
        return sorted(used)

    def offices(self) -> list[tuple[str, str]]:
        """(code, name) of every OPD with items, in the order they first appear."""
        seen: dict[str, str] = {}
        for item in self.items:
            seen.setdefault(item.opd_kode, item.opd)
        return list(seen.items())

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_NAME,
            "schema_version": SCHEMA_VERSION,
            "judul": f"Daftar Informasi yang Dikecualikan Tahun {self.tahun}",
            "badan_publik": self.badan_publik,
            "ppid": self.ppid,
            "sk": {**self.sk.as_json(), "berkas": self.sk_filename},
            "diperbarui": self.generated_at.isoformat(timespec="seconds"),
            "jumlah": len(self.items),
            "items": [i.as_json() for i in self.items],
        }
