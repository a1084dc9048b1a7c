"""The letters of the DIK procedure: typed contexts and one render function per letter.

Each letter is a frozen dataclass holding plain values (dates, names, item rows); its
``context()`` turns them into the dict the matching template in ``templates/docx`` reads
(formatted Indonesian dates, numbered rows, items grouped by OPD). Nothing here touches the
database or Telegram: the workflow fills these from its own records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, Protocol

from bot.documents import legal
from bot.documents.render import Picture, render
from bot.tanggal import (
    angka_terbilang,
    format_hari_tanggal,
    format_jam,
    format_kalimat_tanggal,
    format_tanggal,
    format_waktu,
    terbilang,
)

__all__ = [
    "DEFAULT_MENGINGAT",
    "PASAL17_JENIS",
    "AnggotaTim",
    "DikItem",
    "Keputusan",
    "Ketetapan",
    "LembarUji",
    "Letter",
    "LetterHead",
    "NotaDinas",
    "OpdRekap",
    "OrgInfo",
    "Pencabutan",
    "Persetujuan",
    "Peserta",
    "Rapat",
    "Signer",
    "SkWalikota",
    "StatusUsulan",
    "SuratPengantar",
    "SuratPermintaan",
    "SuratUndangan",
    "SuratUsulanUji",
    "lampiran_text",
    "render_ketetapan",
    "render_lembar_uji",
    "render_letter",
    "render_nota_dinas",
    "render_sk_walikota",
    "render_surat_pengantar",
    "render_surat_permintaan",
    "render_surat_undangan",
    "render_surat_usulan_uji",
]

Context = dict[str, Any]
TemplateDir = str | Path | None

PLACEHOLDER = "…"
"""Written where a draft has no value yet (an SK's number before the Bagian Hukum gives one)."""

BLANK = legal.BLANK
"""A visible blank to fill by hand, where the bot does not know a number or a date."""

PASAL17_JENIS: dict[str, str] = {
    "a": "informasi yang apabila dibuka dapat menghambat proses penegakan hukum",
    "b": (
        "informasi yang apabila dibuka dapat mengganggu kepentingan perlindungan hak atas "
        "kekayaan intelektual dan perlindungan dari persaingan usaha tidak sehat"
    ),
    "c": "informasi yang apabila dibuka dapat membahayakan pertahanan dan keamanan negara",
    "d": "informasi yang apabila dibuka dapat mengungkapkan kekayaan alam Indonesia",
    "e": "informasi yang apabila dibuka dapat merugikan ketahanan ekonomi nasional",
    "f": "informasi yang apabila dibuka dapat merugikan kepentingan hubungan luar negeri",
    "g": (
        "informasi yang apabila dibuka dapat mengungkapkan isi akta otentik yang bersifat "
        "pribadi dan kemauan terakhir ataupun wasiat seseorang"
    ),
    "h": "informasi yang apabila dibuka dapat mengungkap rahasia pribadi",
    "i": (
        "memorandum atau surat-surat antar Badan Publik atau intra Badan Publik yang menurut "
        "sifatnya dirahasiakan"
    ),
    "j": "informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang",
}
"""Short Indonesian names of the Pasal 17 UU 14/2008 grounds, keyed by huruf (a-j)."""

DEFAULT_MENGINGAT: tuple[str, ...] = legal.mengingat(legal.LegalRefs())
"""The SK's Mengingat list with the gazette numbers not yet known left blank (see ``legal``)."""


# ---------------------------------------------------------------------------------------------
# Shared parts
# ---------------------------------------------------------------------------------------------


class Keputusan(StrEnum):
    """The Tim Uji Konsekuensi's decision on one item."""

    DIKECUALIKAN = "dikecualikan"
    DIKECUALIKAN_SEBAGIAN = "dikecualikan_sebagian"
    TERBUKA = "terbuka"


class StatusUsulan(StrEnum):
    """How an OPD answered the request for its DIK proposal."""

    USULAN = "usulan"
    NIHIL = "nihil"
    TIDAK_MENJAWAB = "tidak_menjawab"


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """The issuing office, as the settings describe it.

    ``kop_lines`` are the bold heading lines of the letterhead (the last one is printed
    largest), beside the lambang daerah (``lambang``: an image file; empty or unusable: the
    shipped placeholder); ``address`` (the street) and the telepon, faksimile, laman, surel
    and kode pos make the small address lines under them, above the double rule. Empty parts
    are left out.
    """

    kop_lines: Sequence[str] = ("PEMERINTAH KOTA KUPANG", "DINAS KOMUNIKASI DAN INFORMATIKA")
    address: str = "Jalan Veteran Nomor 2, Kelurahan Pasir Panjang, Kecamatan Kota Lama, Kupang"
    telepon: str = ""
    faksimile: str = ""
    laman: str = ""
    surel: str = ""
    kode_pos: str = ""
    lambang: str = ""
    city: str = "Kupang"
    badan_publik: str = "Pemerintah Kota Kupang"
    unit_kerja: str = "Dinas Komunikasi dan Informatika Kota Kupang"
    bidang: str = "Bidang Pengelolaan Layanan Informasi Publik"
    ppid_label: str = "PPID Pembantu"
    kepala_daerah: str = "Walikota Kupang"
    kepala_daerah_singkat: str = "Walikota"
    provinsi: str = "Provinsi Nusa Tenggara Timur"
    kepala_dinas: str = "Kepala Dinas Komunikasi dan Informatika Kota Kupang"
    atasan_ppid: str = "Asisten Pemerintahan Setda Kota Kupang"
    kabag_hukum: str = "Kepala Bagian Hukum Setda Kota Kupang"

    def address_lines(self) -> list[str]:
        """The kop's address: the street with telepon and faksimile, then laman, surel and
        kode pos (each only when known)."""
        first = [self.address.strip()]
        if self.telepon.strip():
            first.append(f"Telepon {self.telepon.strip()}")
        if self.faksimile.strip():
            first.append(f"Faksimile {self.faksimile.strip()}")
        second = []
        if self.laman.strip():
            second.append(f"Laman {self.laman.strip()}")
        if self.surel.strip():
            second.append(f"Surel {self.surel.strip()}")
        if self.kode_pos.strip():
            second.append(f"Kode Pos {self.kode_pos.strip()}")
        return [", ".join(p for p in first if p)] + ([", ".join(second)] if second else [])

    def context(self) -> Context:
        return {
            "kop_lines": list(self.kop_lines),
            "lambang": Picture(self.lambang or None),
            "address": self.address,
            "address_lines": self.address_lines(),
            "city": self.city,
            "badan_publik": self.badan_publik,
            "unit_kerja": self.unit_kerja,
            "bidang": self.bidang,
            "ppid_label": self.ppid_label,
            "kepala_daerah": self.kepala_daerah,
            "kepala_daerah_singkat": self.kepala_daerah_singkat,
            "provinsi": self.provinsi,
            "kepala_dinas": self.kepala_dinas,
            "atasan_ppid": self.atasan_ppid,
            "kabag_hukum": self.kabag_hukum,
        }


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signs: the signature block's jabatan, name, pangkat and NIP.

    When the signer stands in for someone, ``plh_for`` is the jabatan they stand in for and
    ``acting`` the prefix ("Plh.", "Plt." or "Pj."); the block then reads "Plh. <plh_for>,".
    ``atas_nama`` adds an "a.n. <atas_nama>," line above (signing on behalf of a superior).
    ``name_only`` is for a Kepala Daerah (Walikota, Bupati), who signs with the name alone:
    no pangkat, no NIP.
    """

    jabatan: str
    name: str
    pangkat: str = ""
    nip: str = ""
    plh_for: str | None = None
    acting: str = "Plh."
    atas_nama: str | None = None
    name_only: bool = False

    @property
    def jabatan_surat(self) -> str:
        """The office the letter speaks for ("Plh. X" speaks for X)."""
        return self.plh_for or self.jabatan

    @property
    def jabatan_text(self) -> str:
        """The jabatan as printed ("Plh. Kepala Dinas ...")."""
        return f"{self.acting} {self.plh_for}" if self.plh_for else self.jabatan

    def title_lines(self) -> list[str]:
        lines = []
        if self.atas_nama:
            lines.append(f"a.n. {self.atas_nama.rstrip(', ')},")
        lines.append(f"{self.jabatan_text.rstrip(', ')},")
        return lines

    def context(self) -> Context:
        return {
            "title_lines": self.title_lines(),
            "jabatan": self.jabatan,
            "jabatan_text": self.jabatan_text,
            "jabatan_surat": self.jabatan_surat,
            "name": self.name.upper() if self.name_only else self.name,
            "pangkat": "" if self.name_only else self.pangkat,
            "nip": "" if self.name_only else self.nip,
        }


@dataclass(frozen=True, slots=True)
class LetterHead:
    """Nomor, date, sifat, lampiran, hal, addressees and tembusan of a letter.

    ``up`` is the "u.p." (untuk perhatian) line; ``di`` the place under "di –" (the city of
    the office when not given). "Lampiran" is not given: each letter counts what it attaches
    (its own lampiran pages and the files sent with it), so the count always matches.
    """

    nomor: str
    tanggal: date
    hal: str
    sifat: str = "Biasa"
    kepada: Sequence[str] = ()
    up: str | None = None
    di: str | None = None
    tembusan: Sequence[str] = ()

    def context(self, org: OrgInfo, berkas: int = 0) -> Context:
        kepada = list(self.kepada)
        if len(kepada) == 1:
            kepada_lines = [{"prefix": "Yth.", "text": kepada[0]}]
            kepada_text = f"Yth. {kepada[0]}"
        else:
            kepada_lines = [
                {"prefix": "Yth." if i == 1 else "", "text": f"{i}. {k}"}
                for i, k in enumerate(kepada, 1)
            ]
            kepada_text = "\n".join(f"{i}. Yth. {k}" for i, k in enumerate(kepada, 1))
        tembusan = list(self.tembusan)
        return {
            "nomor": self.nomor or PLACEHOLDER,
            "tanggal": format_tanggal(self.tanggal),
            "tempat_tanggal": f"{org.city}, {format_tanggal(self.tanggal)}",
            "sifat": self.sifat,
            "lampiran": lampiran_text(berkas),
            "hal": self.hal,
            "kepada": kepada,
            "kepada_lines": kepada_lines,
            "kepada_text": kepada_text,
            "up": self.up or "",
            "di": self.di or org.city,
            "tembusan": tembusan,
            "tembusan_text": _numbered(tembusan),
        }


@dataclass(frozen=True, slots=True)
class DikItem:
    """One row of a DIK proposal, draft or decision.

    ``pasal17`` holds the Pasal 17 huruf keys (a-j) the basis rests on; ``keputusan`` is set
    once the Tim Uji Konsekuensi has decided; ``bagian_dikecualikan`` names what is blacked
    out in a partial exemption.
    """

    opd: str
    informasi: str
    dasar_hukum: str = ""
    konsekuensi_dibuka: str = ""
    konsekuensi_ditutup: str = ""
    jangka_waktu: str = ""
    pasal17: Sequence[str] = ()
    keputusan: Keputusan | None = None
    bagian_dikecualikan: str = ""
    alasan_terbuka: str = ""  # why the Tim declared it "terbuka" (that decision only)

    @property
    def dikecualikan(self) -> bool:
        return self.keputusan in (Keputusan.DIKECUALIKAN, Keputusan.DIKECUALIKAN_SEBAGIAN)

    def keputusan_text(self) -> str:
        if self.keputusan == Keputusan.DIKECUALIKAN:
            return "Dikecualikan"
        if self.keputusan == Keputusan.DIKECUALIKAN_SEBAGIAN:
            bagian = self.bagian_dikecualikan.strip()
            return (
                f"Dikecualikan sebagian (yang dihitamkan: {bagian})"
                if bagian
                else "Dikecualikan sebagian"
            )
        if self.keputusan == Keputusan.TERBUKA:
            alasan = self.alasan_terbuka.strip()
            if alasan:
                return f"Terbuka (tidak dikecualikan)\nAlasan: {alasan}"
            return "Terbuka (tidak dikecualikan)"
        return "Belum diputuskan"

    def jenis_klasifikasi(self) -> str:
        if self.keputusan == Keputusan.DIKECUALIKAN_SEBAGIAN:
            lines = ["Informasi yang Dikecualikan sebagian"]
        else:
            lines = ["Informasi yang Dikecualikan"]
        for key in self.pasal17:
            ground = PASAL17_JENIS.get(key.strip().lower())
            if ground:
                lines.append(f"Pasal 17 huruf {key.strip().lower()}: {ground}")
        return "\n".join(lines)

    def konsekuensi_text(self) -> str:
        parts = []
        if self.konsekuensi_dibuka.strip():
            parts.append(f"Apabila dibuka: {self.konsekuensi_dibuka.strip()}")
        if self.konsekuensi_ditutup.strip():
            parts.append(f"Apabila ditutup: {self.konsekuensi_ditutup.strip()}")
        return "\n".join(parts) or "-"

    def informasi_text(self) -> str:
        """The information, with the blacked-out part named for a partial exemption."""
        if self.keputusan == Keputusan.DIKECUALIKAN_SEBAGIAN and self.bagian_dikecualikan:
            return f"{self.informasi}\n(dikecualikan sebagian: {self.bagian_dikecualikan.strip()})"
        return self.informasi

    def context(self, no: int) -> Context:
        terbuka = self.keputusan == Keputusan.TERBUKA
        return {
            "no": no,
            "opd": self.opd,
            "informasi": self.informasi,
            "informasi_text": self.informasi_text(),
            "dasar_hukum": self.dasar_hukum or "-",
            "dibuka": self.konsekuensi_dibuka or "-",
            "ditutup": self.konsekuensi_ditutup or "-",
            "konsekuensi": self.konsekuensi_text(),
            "jangka_waktu": "-" if terbuka else (self.jangka_waktu or "-"),
            "keputusan": self.keputusan_text(),
            "jenis_klasifikasi": self.jenis_klasifikasi(),
            "bagian_dikecualikan": self.bagian_dikecualikan,
            "alasan_terbuka": (self.alasan_terbuka.strip() if terbuka else "") or "-",
        }


def lampiran_text(berkas: int) -> str:
    """The "Lampiran" line: "-" for none, "2 (dua) berkas" for two."""
    return f"{angka_terbilang(berkas)} berkas" if berkas > 0 else "-"


def _numbered(lines: Sequence[str]) -> str:
    if len(lines) == 1:
        return lines[0]
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def _alpha(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _items(items: Sequence[DikItem]) -> list[Context]:
    return [item.context(no) for no, item in enumerate(items, 1)]


def _groups(items: Sequence[DikItem], *, restart_numbers: bool) -> list[Context]:
    """Group items by OPD in the order the OPDs first appear."""
    by_opd: dict[str, list[DikItem]] = {}
    for item in items:
        by_opd.setdefault(item.opd.strip(), []).append(item)
    groups = []
    no = 0
    for index, (opd, members) in enumerate(by_opd.items()):
        rows = []
        for offset, item in enumerate(members, 1):
            no += 1
            rows.append(item.context(offset if restart_numbers else no))
        # "rows", not "items": Jinja would resolve g.items to dict.items.
        groups.append({"label": _alpha(index), "opd": opd, "rows": rows, "jumlah": len(rows)})
    return groups


def _count_opd(items: Sequence[DikItem]) -> int:
    return len({item.opd.strip() for item in items})


def _require_decided(items: Sequence[DikItem], letter: str) -> None:
    undecided = [item.informasi for item in items if item.keputusan is None]
    if undecided:
        raise ValueError(f"{letter}: every item needs a keputusan; undecided: {undecided[:3]}")


def _base(
    org: OrgInfo, head: LetterHead, signer: Signer, catatan: Sequence[str], berkas: int = 0
) -> Context:
    return {
        "org": org.context(),
        "head": head.context(org, berkas),
        "signer": signer.context(),
        "catatan": [line for line in catatan if line.strip()],
    }


class Letter(Protocol):
    """What every letter context offers."""

    TEMPLATE: ClassVar[str]

    def context(self) -> Context: ...


# ---------------------------------------------------------------------------------------------
# Step 1: Nota Dinas
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotaDinas:
    """Nota Dinas from the Kepala Bidang PLIP (or petugas) to the Kepala Dinas (step 1).

    Asks approval to tell every PPID Pembantu to propose its DIK within ``batas_hari_kerja``
    working days of receiving the Surat Dinas (the rule: the Nota Dinas is signed before the
    Surat Dinas, so the date is not known yet), or by ``batas_waktu`` when one is given.
    ``head.kepada`` is the Kepala Dinas; ``dari`` defaults to the signer's jabatan.
    ``attached`` names the files sent with it (counted in "Lampiran").
    """

    TEMPLATE: ClassVar[str] = "nota_dinas"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    batas_waktu: date | None = None
    tahun: int | None = None
    dari: str | None = None
    catatan: Sequence[str] = ()
    batas_hari_kerja: int = 5
    attached: Sequence[str] = ()

    def context(self) -> Context:
        ctx = _base(self.org, self.head, self.signer, self.catatan, len(self.attached))
        ctx.update(
            dari=self.dari or self.signer.jabatan_text,
            batas_waktu=_batas(self.batas_waktu, "", self.batas_hari_kerja, "Surat Dinas"),
            tahun=self.tahun or self.head.tanggal.year,
        )
        return ctx


def _batas(when: date | None, jam: str, days: int, letter: str) -> str:
    """ "hari Senin, 7 Desember 2026 pukul 11.20 WITA", or the rule while no date is fixed:
    "5 (lima) hari kerja sejak Surat Dinas diterima"."""
    if when is None:
        return f"{angka_terbilang(days)} hari kerja sejak {letter} diterima"
    text = f"hari {format_hari_tanggal(when)}"
    return f"{text} pukul {jam}" if jam else text


# ---------------------------------------------------------------------------------------------
# Step 2: Surat Dinas to every PPID Pembantu
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuratPermintaan:
    """Surat Dinas from the Kepala Dinas as PPID Utama to every PPID Pembantu (step 2).

    Asks for the DIK proposal, or a statement "nihil", by ``batas_waktu`` (and ``batas_jam``,
    e.g. "11.20 WITA"): the deadline fixed when the Kepala Dinas signs. An unsigned draft
    has none yet (None) and states the rule, ``batas_hari_kerja`` working days. The Form DIK
    is attached and the addressed OPDs are listed in the lampiran. ``cara_penyampaian`` says
    how to send it (e.g. "layanan bot Telegram PPID Kota Kupang").
    "Lampiran" counts the list of addressees (a lampiran of the letter) and every file in
    ``attached``.
    """

    TEMPLATE: ClassVar[str] = "surat_permintaan_dik"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    batas_waktu: date | None
    opds: Sequence[str]
    tahun: int | None = None
    cara_penyampaian: str = ""
    catatan: Sequence[str] = ()
    batas_jam: str = ""
    batas_hari_kerja: int = 5
    attached: Sequence[str] = ()

    def context(self) -> Context:
        ctx = _base(self.org, self.head, self.signer, self.catatan, 1 + len(self.attached))
        ctx.update(
            batas_waktu=_batas(
                self.batas_waktu, self.batas_jam, self.batas_hari_kerja, "Surat Dinas ini"
            ),
            tahun=self.tahun or self.head.tanggal.year,
            cara_penyampaian=self.cara_penyampaian,
            opds=[{"no": no, "nama": opd} for no, opd in enumerate(self.opds, 1)],
            jumlah_opd=angka_terbilang(len(self.opds)),
        )
        return ctx


# ---------------------------------------------------------------------------------------------
# Step 4: Surat Pengantar with the compiled proposals
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpdRekap:
    """One OPD's answer in the compiled Usulan DIK."""

    opd: str
    status: StatusUsulan
    jumlah: int = 0
    diterima: date | None = None
    keterangan: str = ""

    def context(self, no: int) -> Context:
        keterangan = self.keterangan
        if not keterangan:
            if self.status == StatusUsulan.NIHIL:
                keterangan = "Nihil"
            elif self.status == StatusUsulan.TIDAK_MENJAWAB:
                keterangan = "Tidak menjawab"
            elif self.diterima is not None:
                keterangan = f"Diterima {format_tanggal(self.diterima)}"
            else:
                keterangan = "-"
        if self.status == StatusUsulan.TIDAK_MENJAWAB:
            jumlah = "-"
        elif self.status == StatusUsulan.NIHIL:
            jumlah = "0"
        else:
            jumlah = str(self.jumlah)
        return {"no": no, "opd": self.opd, "jumlah": jumlah, "keterangan": keterangan}


@dataclass(frozen=True, slots=True)
class SuratPengantar:
    """Surat Pengantar sending the compiled Usulan DIK onwards (step 4).

    ``permintaan_nomor`` / ``permintaan_tanggal`` / ``permintaan_hal`` refer to the step-2
    letter (``permintaan_hal`` empty: no reference is printed; a number or date not known is
    printed as a blank to fill); ``batas_waktu`` is the deadline that letter gave.
    """

    TEMPLATE: ClassVar[str] = "surat_pengantar"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    rekap: Sequence[OpdRekap]
    batas_waktu: date | None = None
    permintaan_nomor: str = ""
    permintaan_tanggal: date | None = None
    permintaan_hal: str = ""
    tahun: int | None = None
    catatan: Sequence[str] = ()
    attached: Sequence[str] = ()

    def context(self) -> Context:
        ctx = _base(self.org, self.head, self.signer, self.catatan, len(self.attached))
        usulan = [r for r in self.rekap if r.status == StatusUsulan.USULAN]
        total = sum(r.jumlah for r in usulan)
        ctx.update(
            rekap=[row.context(no) for no, row in enumerate(self.rekap, 1)],
            total_usulan=str(total),
            total_usulan_text=angka_terbilang(total),
            n_opd=angka_terbilang(len(self.rekap)),
            n_usulan=angka_terbilang(len(usulan)),
            n_nihil=angka_terbilang(sum(1 for r in self.rekap if r.status == StatusUsulan.NIHIL)),
            n_tidak=angka_terbilang(
                sum(1 for r in self.rekap if r.status == StatusUsulan.TIDAK_MENJAWAB)
            ),
            batas_waktu=format_hari_tanggal(self.batas_waktu) if self.batas_waktu else "",
            rujukan=bool(self.permintaan_hal or self.permintaan_nomor),
            rujukan_nomor=self.permintaan_nomor or BLANK,
            rujukan_tanggal=(
                format_tanggal(self.permintaan_tanggal) if self.permintaan_tanggal else BLANK
            ),
            rujukan_hal=self.permintaan_hal or BLANK,
            tahun=self.tahun or self.head.tanggal.year,
        )
        return ctx


# ---------------------------------------------------------------------------------------------
# Step 5: Surat usulan Uji Konsekuensi to Asda 1 through the Kabag Hukum
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuratUsulanUji:
    """Letter to the Asisten Pemerintahan (u.p. Kepala Bagian Hukum) proposing the Uji
    Konsekuensi of the compiled list (step 5). ``head.up`` carries the u.p. line."""

    TEMPLATE: ClassVar[str] = "surat_usulan_uji"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    items: Sequence[DikItem]
    tahun: int | None = None
    catatan: Sequence[str] = ()
    attached: Sequence[str] = ()

    def context(self) -> Context:
        ctx = _base(self.org, self.head, self.signer, self.catatan, len(self.attached))
        ctx.update(
            items=_items(self.items),
            jumlah_item=angka_terbilang(len(self.items)),
            jumlah_opd=angka_terbilang(_count_opd(self.items)),
            tahun=self.tahun or self.head.tanggal.year,
        )
        return ctx


# ---------------------------------------------------------------------------------------------
# Step 6: Surat Undangan with the Draft DIK
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rapat:
    """A meeting: when (aware datetimes), where and what.

    ``tz`` converts the times to the office's zone before printing (``tz_label`` names it);
    ``selesai`` None prints "s.d. selesai".
    """

    mulai: datetime
    tempat: str
    acara: str = "Uji Konsekuensi Usulan Daftar Informasi yang Dikecualikan"
    selesai: datetime | None = None
    tz: tzinfo | None = None
    tz_label: str = "WITA"

    def local_start(self) -> datetime:
        return self.mulai.astimezone(self.tz) if self.tz is not None else self.mulai

    def context(self) -> Context:
        start = self.local_start()
        label = f" {self.tz_label}" if self.tz_label else ""
        if self.selesai is None:
            waktu = f"Pukul {format_jam(start)}{label} s.d. selesai"
        else:
            waktu = f"Pukul {format_jam(start)} s.d. {format_jam(self.selesai, self.tz)}{label}"
        return {
            "hari_tanggal": format_hari_tanggal(start.date()),
            "tanggal": format_tanggal(start.date()),
            "waktu": waktu,
            "jam": format_jam(start),
            "tz_label": self.tz_label,
            "waktu_lengkap": format_waktu(start, self.tz_label),
            "kalimat_tanggal": format_kalimat_tanggal(start.date()),
            "tempat": self.tempat,
            "acara": self.acara,
        }


@dataclass(frozen=True, slots=True)
class Peserta:
    """One invitee of the Surat Undangan: by jabatan, with the name when known."""

    jabatan: str
    name: str = ""
    keterangan: str = ""


@dataclass(frozen=True, slots=True)
class SuratUndangan:
    """Invitation to the Tim Uji Konsekuensi meeting (step 6), with the Draft DIK (both
    consequences per item) as lampiran and, when ``peserta`` is given, the list of those
    invited (by jabatan and name) as another lampiran."""

    TEMPLATE: ClassVar[str] = "surat_undangan"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    rapat: Rapat
    items: Sequence[DikItem]
    peserta: Sequence[Peserta] = ()
    tahun: int | None = None
    catatan: Sequence[str] = ()
    attached: Sequence[str] = ()

    def context(self) -> Context:
        berkas = (1 if self.peserta else 0) + 1 + len(self.attached)
        ctx = _base(self.org, self.head, self.signer, self.catatan, berkas)
        ctx.update(
            rapat=self.rapat.context(),
            items=_items(self.items),
            peserta=[
                {
                    "no": no,
                    "jabatan": p.jabatan,
                    "name": p.name or "-",
                    "keterangan": p.keterangan or "-",
                }
                for no, p in enumerate(self.peserta, 1)
            ],
            tahun=self.tahun or self.head.tanggal.year,
        )
        return ctx


# ---------------------------------------------------------------------------------------------
# Step 7: Lembar Pengujian Konsekuensi and the Ketetapan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnggotaTim:
    """A member of the Tim Uji Konsekuensi. ``peran``: "Ketua", "Sekretaris", "Anggota"."""

    name: str
    peran: str = "Anggota"
    jabatan: str = ""
    nip: str = ""
    hadir: bool = True


@dataclass(frozen=True, slots=True)
class Persetujuan:
    """A member's approval of the test result, given in chat at ``waktu`` (aware)."""

    name: str
    waktu: datetime
    peran: str = "Anggota"
    keterangan: str = "Setuju"


@dataclass(frozen=True, slots=True)
class LembarUji:
    """Lembar Pengujian Konsekuensi (step 7): the items as tested and decided, a signature
    table for every member present, and each member's approval in chat with its time.

    One lembar may hold every item of the meeting, or one item (a lembar per item).
    """

    TEMPLATE: ClassVar[str] = "lembar_uji"

    org: OrgInfo
    rapat: Rapat
    items: Sequence[DikItem]
    anggota: Sequence[AnggotaTim]
    persetujuan: Sequence[Persetujuan] = ()
    nomor: str = ""
    dasar_tim: str = ""
    catatan: Sequence[str] = ()

    def context(self) -> Context:
        hadir = [m for m in self.anggota if m.hadir]
        decisions = [item.keputusan for item in self.items]
        return {
            "org": self.org.context(),
            "rapat": self.rapat.context(),
            "nomor": self.nomor,
            "dasar_tim": self.dasar_tim,
            "tempat_tanggal": (
                f"{self.org.city}, {format_tanggal(self.rapat.local_start().date())}"
            ),
            "groups": _groups(self.items, restart_numbers=False),
            "jumlah_item": angka_terbilang(len(self.items)),
            "jumlah_opd": angka_terbilang(_count_opd(self.items)),
            "n_dikecualikan": angka_terbilang(decisions.count(Keputusan.DIKECUALIKAN)),
            "n_sebagian": angka_terbilang(decisions.count(Keputusan.DIKECUALIKAN_SEBAGIAN)),
            "n_terbuka": angka_terbilang(decisions.count(Keputusan.TERBUKA)),
            "anggota": [
                {
                    "no": no,
                    "name": m.name,
                    "identitas": f"{m.name}\nNIP. {m.nip}" if m.nip else m.name,
                    "peran": m.peran,
                    "jabatan": m.jabatan or BLANK,
                    "nip": m.nip,
                }
                for no, m in enumerate(hadir, 1)
            ],
            "persetujuan": [
                {
                    "no": no,
                    "name": p.name,
                    "peran": p.peran,
                    "keterangan": p.keterangan,
                    "waktu": format_waktu(p.waktu, self.rapat.tz_label, self.rapat.tz),
                }
                for no, p in enumerate(self.persetujuan, 1)
            ],
            "catatan": [line for line in self.catatan if line.strip()],
        }


@dataclass(frozen=True, slots=True)
class Ketetapan:
    """Surat Penetapan Klasifikasi / Ketetapan Hasil Uji Konsekuensi (step 7).

    Carries the six fields of Perki 1/2017 Pasal 4 ayat (4): jenis klasifikasi (per item),
    the PPID official who decides (``penetap``), the badan publik and the unit kerja of that
    official (``org``), jangka waktu and alasan (dasar hukum + konsekuensi) per item, and the
    place and date (``org.city``, ``tanggal``). ``menyetujui`` is the head of the badan
    publik approving it. Every item must be decided; items found "terbuka" are listed apart.
    """

    TEMPLATE: ClassVar[str] = "ketetapan"

    org: OrgInfo
    nomor: str
    tanggal: date
    penetap: Signer
    items: Sequence[DikItem]
    tanggal_uji: date
    menyetujui: Signer | None = None
    nomor_lembar: str = ""
    catatan: Sequence[str] = ()

    def context(self) -> Context:
        _require_decided(self.items, "ketetapan")
        excluded = [item for item in self.items if item.dikecualikan]
        terbuka = [item for item in self.items if item.keputusan == Keputusan.TERBUKA]
        return {
            "org": self.org.context(),
            "nomor": self.nomor or PLACEHOLDER,
            "tanggal": format_tanggal(self.tanggal),
            "tempat": self.org.city,
            "tanggal_uji": format_hari_tanggal(self.tanggal_uji),
            "nomor_lembar": self.nomor_lembar,
            "penetap": self.penetap.context(),
            "menyetujui": self.menyetujui.context() if self.menyetujui else None,
            "groups": _groups(excluded, restart_numbers=False),
            "jumlah_dikecualikan": angka_terbilang(len(excluded)),
            "terbuka": _items(terbuka),
            "catatan": [line for line in self.catatan if line.strip()],
        }


# ---------------------------------------------------------------------------------------------
# Step 8: draft SK Walikota
# ---------------------------------------------------------------------------------------------


def _diktum_label(n: int) -> str:
    """1 -> "KESATU", 4 -> "KEEMPAT", 21 -> "KEDUA PULUH SATU"."""
    return "KESATU" if n == 1 else f"KE{terbilang(n).upper()}"


@dataclass(frozen=True, slots=True)
class Pencabutan:
    """The earlier Keputusan on the DIK that a new one revokes: its number and date as the bot
    recorded them from the previous cycle's signed SK (empty: a blank to fill)."""

    judul: str
    nomor: str = ""
    tanggal: date | None = None


@dataclass(frozen=True, slots=True)
class SkWalikota:
    """Draft Keputusan Walikota tentang Daftar Informasi yang Dikecualikan (step 8).

    Only decided-exempted items enter the lampiran, grouped by OPD. ``menimbang``,
    ``mengingat`` and ``diktum`` default to the texts built here (``legal`` holds the laws;
    ``dasar`` the numbers that differ per pemda); the Bagian Hukum may pass its own.
    ``nomor`` and ``tanggal`` stay dotted until the SK is numbered and signed. ``mencabut``
    adds the dictum revoking the previous Keputusan on the DIK. ``tembusan`` is the "Salinan
    ... disampaikan kepada" list. The Walikota signs with name only (no pangkat, no NIP).
    """

    TEMPLATE: ClassVar[str] = "sk_walikota"

    org: OrgInfo
    walikota: Signer
    items: Sequence[DikItem]
    tahun: int
    nomor: str = ""
    tanggal: date | None = None
    ketetapan_nomor: str = ""
    ketetapan_tanggal: date | None = None
    menimbang: Sequence[str] | None = None
    mengingat: Sequence[str] | None = None
    diktum: Sequence[str] | None = None
    tembusan: Sequence[str] = ()
    dasar: legal.LegalRefs = field(default_factory=legal.LegalRefs)
    mencabut: Pencabutan | None = None

    def judul(self) -> str:
        return (
            f"Daftar Informasi yang Dikecualikan di Lingkungan {self.org.badan_publik} "
            f"Tahun {self.tahun}"
        )

    def _ketetapan_ref(self) -> str:
        ref = "Ketetapan Hasil Uji Konsekuensi"
        if self.ketetapan_nomor:
            ref += f" Nomor {self.ketetapan_nomor}"
        if self.ketetapan_tanggal:
            ref += f" tanggal {format_tanggal(self.ketetapan_tanggal)}"
        return ref

    def default_menimbang(self) -> list[str]:
        return legal.menimbang(
            self.dasar,
            badan_publik=self.org.badan_publik,
            ketetapan_ref=self._ketetapan_ref(),
            kepala_daerah=self.org.kepala_daerah_singkat,
            judul=self.judul(),
        )

    def _pencabutan(self) -> str:
        old = self.mencabut
        assert old is not None
        tanggal = format_tanggal(old.tanggal) if old.tanggal else BLANK
        return (
            f"Pada saat Keputusan {self.org.kepala_daerah_singkat} ini mulai berlaku, Keputusan "
            f"{self.org.kepala_daerah} Nomor {old.nomor or BLANK} tanggal {tanggal} tentang "
            f"{old.judul} dicabut dan dinyatakan tidak berlaku."
        )

    def default_diktum(self) -> list[str]:
        org = self.org
        out = [
            f"Menetapkan {self.judul()} sebagaimana tercantum dalam Lampiran yang merupakan "
            f"bagian tidak terpisahkan dari Keputusan {org.kepala_daerah_singkat} ini.",
            "Informasi sebagaimana dimaksud dalam Diktum KESATU ditetapkan berdasarkan "
            f"{self._ketetapan_ref()} dan dikecualikan selama jangka waktu sebagaimana "
            "tercantum dalam Lampiran; setelah jangka waktu tersebut berakhir, informasi "
            "dimaksud menjadi Informasi Publik yang dapat diakses oleh setiap Pengguna "
            "Informasi Publik.",
            "Informasi yang dikecualikan sebagian diberikan kepada Pemohon Informasi Publik "
            "dengan menghitamkan atau mengaburkan bagian yang dikecualikan, dan Pejabat "
            f"Pengelola Informasi dan Dokumentasi Utama serta {org.ppid_label} di Lingkungan "
            f"{org.badan_publik} melaksanakan pelayanan informasi sesuai dengan Keputusan "
            f"{org.kepala_daerah_singkat} ini.",
        ]
        if self.mencabut is not None:
            out.append(self._pencabutan())
        out.append(
            f"Keputusan {org.kepala_daerah_singkat} ini mulai berlaku pada tanggal ditetapkan."
        )
        return out

    def context(self) -> Context:
        _require_decided(self.items, "sk_walikota")
        excluded = [item for item in self.items if item.dikecualikan]
        menimbang = list(self.menimbang or self.default_menimbang())
        mengingat = list(self.mengingat or legal.mengingat(self.dasar))
        diktum = list(self.diktum or self.default_diktum())
        tanggal = (
            format_tanggal(self.tanggal)
            if self.tanggal
            else f"{PLACEHOLDER} {PLACEHOLDER} {self.tahun}"
        )
        # A Kepala Daerah signs with the name only, in capitals: no pangkat, no NIP.
        walikota = self.walikota.context() | {"pangkat": "", "nip": ""}
        return {
            "org": self.org.context(),
            "walikota": walikota,
            "nomor": self.nomor or PLACEHOLDER,
            "tahun": self.tahun,
            "tanggal": tanggal,
            "judul": self.judul(),
            "menimbang": [
                {"label": f"{_alpha(i).lower()}.", "text": text}
                for i, text in enumerate(menimbang)
            ],
            "mengingat": [{"label": f"{i}.", "text": text} for i, text in enumerate(mengingat, 1)],
            "diktum": [
                {"label": _diktum_label(i), "text": text} for i, text in enumerate(diktum, 1)
            ],
            "groups": _groups(excluded, restart_numbers=True),
            "jumlah_dikecualikan": angka_terbilang(len(excluded)),
            "tembusan": list(self.tembusan),
        }


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def render_letter(letter: Letter, *, template_dir: TemplateDir = None) -> bytes:
    """Render any letter context with its own template."""
    return render(letter.TEMPLATE, letter.context(), template_dir=template_dir)


def render_nota_dinas(ctx: NotaDinas, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_surat_permintaan(ctx: SuratPermintaan, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_surat_pengantar(ctx: SuratPengantar, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_surat_usulan_uji(ctx: SuratUsulanUji, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_surat_undangan(ctx: SuratUndangan, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_lembar_uji(ctx: LembarUji, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_ketetapan(ctx: Ketetapan, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)


def render_sk_walikota(ctx: SkWalikota, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir)
