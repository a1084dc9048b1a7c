"""The published DIP as plain data, and its JSON form (schema in `bot/publish/SCHEMA-DIP.md`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot import tanggal
from bot.formdip.model import JENIS_KEYS, JENIS_LABELS, JENIS_PASAL, DipRow

DIP_SCHEMA_NAME = "dip-kupang"
DIP_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class KeputusanRef:
    """The Keputusan PPID Utama that set the list (its number may be unknown)."""

    nomor: str
    tanggal: date | None
    siklus: str
    tahun: int

    def text(self, pejabat: str = "PPID Utama") -> str:
        out = f"Keputusan {pejabat}"
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
class PublishedDipItem:
    no: int
    opd_kode: str
    opd: str
    row: DipRow

    @property
    def jenis_label(self) -> str:
        return f"{JENIS_LABELS[self.row.jenis]} ({JENIS_PASAL[self.row.jenis]})"

    def search_text(self) -> str:
        r = self.row
        return " ".join(
            (self.opd_kode, self.opd, r.ringkasan, r.pejabat, r.penanggung_jawab)
        ).casefold()

    def as_json(self) -> dict[str, Any]:
        r = self.row
        return {
            "no": self.no,
            "opd": {"kode": self.opd_kode, "nama": self.opd},
            "ringkasan": r.ringkasan,
            "pejabat_unit": r.pejabat,
            "penanggung_jawab": r.penanggung_jawab,
            "waktu_tempat": r.waktu_tempat,
            "bentuk": list(r.bentuk),
            "retensi": r.retensi,
            "jenis": r.jenis,
        }


@dataclass(frozen=True, slots=True)
class PublicDip:
    """One published DIP: the list one Keputusan set, who publishes it, and the DIK page
    beside it (``dik_page``, a file name in the same folder, or "")."""

    badan_publik: str
    ppid: str
    keputusan: KeputusanRef
    generated_at: datetime
    items: Sequence[PublishedDipItem] = field(default=())
    dik_page: str = ""
    keputusan_published: bool = False
    permohonan_url: str = ""

    @property
    def tahun(self) -> int:
        return self.keputusan.tahun

    @property
    def basename(self) -> str:
        return f"dip-{self.tahun}"

    @property
    def judul(self) -> str:
        return f"Daftar Informasi Publik Tahun {self.tahun}"

    @property
    def keputusan_filename(self) -> str | None:
        """The signed Keputusan's name in the folder: from the year alone, never an upload's."""
        return f"keputusan-dip-{self.tahun}.pdf" if self.keputusan_published else None

    def offices(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for item in self.items:
            seen.setdefault(item.opd_kode, item.opd)
        return list(seen.items())

    def jenis_counts(self) -> list[tuple[str, str, int]]:
        """(key, label, count) of each kind, in the law's order."""
        return [
            (
                k,
                f"{JENIS_LABELS[k]} ({JENIS_PASAL[k]})",
                sum(1 for i in self.items if i.row.jenis == k),
            )
            for k in JENIS_KEYS
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": DIP_SCHEMA_NAME,
            "schema_version": DIP_SCHEMA_VERSION,
            "judul": self.judul,
            "badan_publik": self.badan_publik,
            "ppid": self.ppid,
            "keputusan": {**self.keputusan.as_json(), "berkas": self.keputusan_filename},
            "dik": self.dik_page or None,
            "diperbarui": self.generated_at.isoformat(timespec="seconds"),
            "jumlah": len(self.items),
            "items": [i.as_json() for i in self.items],
        }
