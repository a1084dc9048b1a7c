"""The letters of the DIP procedure (Penetapan dan Pemutakhiran Daftar Informasi Publik).

Like :mod:`bot.documents.letters`: frozen contexts of plain values, one template each in
``templates/docx/dip`` (this SOP's own templates, built by ``build_dip_templates.py``), the
same tata naskah (kop, page numbers from page 2, a lampiran with its own heading and
signature, the closing paragraph kept with the signature). The Keputusan is the PPID Utama's
(a civil servant: jabatan, name, pangkat, NIP), with the DIP grouped by OPD as its lampiran.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from bot.documents import legal
from bot.documents.letters import (
    BLANK,
    PLACEHOLDER,
    LetterHead,
    OrgInfo,
    Pencabutan,
    Signer,
    TemplateDir,
    lampiran_text,
    render_letter,
)
from bot.documents.render import DEFAULT_TEMPLATE_DIR
from bot.formdip.model import JENIS_KEYS, JENIS_LABELS, JENIS_PASAL, DipRow
from bot.tanggal import angka_terbilang, format_hari_tanggal, format_tanggal, terbilang

__all__ = [
    "DIP_TEMPLATE_DIR",
    "DipItem",
    "KeputusanDip",
    "NotaDinasDip",
    "SuratPermintaanDip",
    "dip_mengingat",
    "render_keputusan_dip",
    "render_nota_dinas_dip",
    "render_surat_permintaan_dip",
]

Context = dict[str, Any]

DIP_TEMPLATE_DIR = DEFAULT_TEMPLATE_DIR / "dip"
"""The DIP SOP's own templates (an office may point ``template_dir`` at its edited copies)."""


def dip_mengingat(refs: legal.LegalRefs) -> tuple[str, ...]:
    """The Keputusan PPID's Mengingat: the laws of :func:`legal.mengingat` that bear on the DIP
    (the law forming the city and the Perki on classifying exempted information left out)."""
    leave_out = (refs.uu_pembentukan.strip().rstrip(";"), legal.PERKI_2017)
    return tuple(
        line
        for line in legal.mengingat(refs)
        if not any(part and line.startswith(part) for part in leave_out)
    )


@dataclass(frozen=True, slots=True)
class DipItem:
    """One DIP item of one OPD, for the lampiran."""

    opd: str
    row: DipRow

    def context(self, no: int) -> Context:
        r = self.row
        return {
            "no": no,
            "opd": self.opd,
            "ringkasan": r.ringkasan,
            "pejabat": r.pejabat or "-",
            "penanggung_jawab": r.penanggung_jawab or "-",
            "waktu_tempat": r.waktu_tempat or "-",
            "bentuk": r.bentuk_label,
            "retensi": r.retensi or "-",
            "jenis": f"{JENIS_LABELS[r.jenis]} ({JENIS_PASAL[r.jenis]})",
        }


def _alpha(index: int) -> str:
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _groups(items: Sequence[DipItem]) -> list[Context]:
    """Items by OPD in the order the OPDs first appear, numbered within each OPD."""
    by_opd: dict[str, list[DipItem]] = {}
    for item in items:
        by_opd.setdefault(item.opd.strip(), []).append(item)
    return [
        {
            "label": _alpha(index),
            "opd": opd,
            "rows": [item.context(no) for no, item in enumerate(members, 1)],
            "jumlah": len(members),
        }
        for index, (opd, members) in enumerate(by_opd.items())
    ]


def _base(
    org: OrgInfo, head: LetterHead, signer: Signer, catatan: Sequence[str], berkas: int
) -> Context:
    return {
        "org": org.context(),
        "head": head.context(org, berkas),
        "signer": signer.context(),
        "catatan": [line for line in catatan if line.strip()],
    }


def _batas(when: date | None, jam: str, days: int, letter: str) -> str:
    if when is None:
        return f"{angka_terbilang(days)} hari kerja sejak {letter} diterima"
    text = f"hari {format_hari_tanggal(when)}"
    return f"{text} pukul {jam}" if jam else text


@dataclass(frozen=True, slots=True)
class NotaDinasDip:
    """Nota Dinas to the Kepala Dinas (PPID Utama) asking approval to ask every PPID Pembantu
    for its DIP update within ``batas_hari_kerja`` working days of the Surat Dinas."""

    TEMPLATE: ClassVar[str] = "nota_dinas_dip"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    tahun: int | None = None
    dari: str | None = None
    batas_waktu: date | None = None
    batas_hari_kerja: int = 5
    catatan: Sequence[str] = ()
    attached: Sequence[str] = ()

    def context(self) -> Context:
        ctx = _base(self.org, self.head, self.signer, self.catatan, len(self.attached))
        ctx.update(
            dari=self.dari or self.signer.jabatan_text,
            batas_waktu=_batas(self.batas_waktu, "", self.batas_hari_kerja, "Surat Dinas"),
            tahun=self.tahun or self.head.tanggal.year,
        )
        return ctx


@dataclass(frozen=True, slots=True)
class SuratPermintaanDip:
    """Surat Dinas from the PPID Utama to every PPID Pembantu asking for its DIP update (the
    Form DIP, pre-filled with its list in force, goes with it); the addressed OPDs are listed
    in the lampiran. ``batas_waktu`` is None in the unsigned draft (the rule is stated)."""

    TEMPLATE: ClassVar[str] = "surat_permintaan_dip"

    org: OrgInfo
    head: LetterHead
    signer: Signer
    opds: Sequence[str]
    batas_waktu: date | None = None
    batas_jam: str = ""
    batas_hari_kerja: int = 5
    tahun: int | None = None
    cara_penyampaian: str = ""
    catatan: Sequence[str] = ()
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


def _diktum_label(n: int) -> str:
    return "KESATU" if n == 1 else f"KE{terbilang(n).upper()}"


@dataclass(frozen=True, slots=True)
class KeputusanDip:
    """Keputusan PPID Utama tentang Daftar Informasi Publik, with the DIP as its lampiran.

    ``penetap`` is the PPID Utama (the Kepala Dinas; ``jabatan`` as printed, e.g. "Kepala Dinas
    ... selaku PPID Utama"). ``nomor`` and ``tanggal`` stay dotted in the draft. ``mencabut``
    adds the dictum revoking the earlier Keputusan on the DIP. ``tembusan`` is the "Salinan ...
    disampaikan kepada" list. The Bagian Hukum may pass its own menimbang, mengingat, diktum.
    """

    TEMPLATE: ClassVar[str] = "keputusan_dip"

    org: OrgInfo
    penetap: Signer
    items: Sequence[DipItem]
    tahun: int
    nomor: str = ""
    tanggal: date | None = None
    menimbang: Sequence[str] | None = None
    mengingat: Sequence[str] | None = None
    diktum: Sequence[str] | None = None
    tembusan: Sequence[str] = ()
    dasar: legal.LegalRefs = field(default_factory=legal.LegalRefs)
    mencabut: Pencabutan | None = None

    @property
    def pejabat(self) -> str:
        return f"Pejabat Pengelola Informasi dan Dokumentasi Utama {self.org.badan_publik}"

    def judul(self) -> str:
        return f"Daftar Informasi Publik di Lingkungan {self.org.badan_publik} Tahun {self.tahun}"

    def default_menimbang(self) -> list[str]:
        org = self.org
        return [
            f"bahwa berdasarkan ketentuan Pasal 11 ayat (1) huruf a {legal.UU_KIP}, Badan "
            "Publik wajib menyediakan Informasi Publik setiap saat yang meliputi daftar seluruh "
            "Informasi Publik yang berada di bawah penguasaannya, tidak termasuk informasi yang "
            "dikecualikan;",
            f"bahwa Daftar Informasi Publik di Lingkungan {org.badan_publik} telah dimutakhirkan "
            f"berdasarkan inventarisasi oleh setiap {org.ppid_label} dan verifikasi oleh "
            "Pejabat Pengelola Informasi dan Dokumentasi Utama;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
            f"perlu menetapkan Keputusan {self.pejabat} tentang {self.judul()};",
        ]

    def _pencabutan(self) -> str:
        old = self.mencabut
        assert old is not None
        tanggal = format_tanggal(old.tanggal) if old.tanggal else BLANK
        return (
            f"Pada saat Keputusan ini mulai berlaku, Keputusan {self.pejabat} Nomor "
            f"{old.nomor or BLANK} tanggal {tanggal} tentang {old.judul} dicabut dan "
            "dinyatakan tidak berlaku."
        )

    def default_diktum(self) -> list[str]:
        org = self.org
        out = [
            f"Menetapkan {self.judul()} sebagaimana tercantum dalam Lampiran yang merupakan "
            "bagian tidak terpisahkan dari Keputusan ini.",
            "Daftar Informasi Publik sebagaimana dimaksud dalam Diktum KESATU memuat informasi "
            "yang wajib disediakan dan diumumkan secara berkala, informasi yang wajib diumumkan "
            "secara serta merta, dan informasi yang wajib tersedia setiap saat sebagaimana "
            f"dimaksud dalam Pasal 9, Pasal 10, dan Pasal 11 {legal.UU_KIP}, dan tidak termasuk "
            "informasi yang dikecualikan.",
            "Pejabat Pengelola Informasi dan Dokumentasi Utama dan setiap "
            f"{org.ppid_label} di Lingkungan {org.badan_publik} memberikan pelayanan Informasi "
            "Publik berdasarkan Daftar Informasi Publik sebagaimana dimaksud dalam Diktum "
            "KESATU dan memutakhirkannya secara berkala.",
        ]
        if self.mencabut is not None:
            out.append(self._pencabutan())
        out.append("Keputusan ini mulai berlaku pada tanggal ditetapkan.")
        return out

    def context(self) -> Context:
        menimbang = list(self.menimbang or self.default_menimbang())
        mengingat = list(self.mengingat or dip_mengingat(self.dasar))
        diktum = list(self.diktum or self.default_diktum())
        tanggal = (
            format_tanggal(self.tanggal)
            if self.tanggal
            else f"{PLACEHOLDER} {PLACEHOLDER} {self.tahun}"
        )
        counts = {k: sum(1 for i in self.items if i.row.jenis == k) for k in JENIS_KEYS}
        return {
            "org": self.org.context(),
            "penetap": self.penetap.context(),
            "pejabat": self.pejabat,
            "nomor": self.nomor or PLACEHOLDER,
            "tahun": self.tahun,
            "tanggal": tanggal,
            "judul": self.judul(),
            "menimbang": [
                {"label": f"{_alpha(i).lower()}.", "text": t} for i, t in enumerate(menimbang)
            ],
            "mengingat": [{"label": f"{i}.", "text": t} for i, t in enumerate(mengingat, 1)],
            "diktum": [{"label": _diktum_label(i), "text": t} for i, t in enumerate(diktum, 1)],
            "groups": _groups(self.items),
            "jumlah": angka_terbilang(len(self.items)),
            "jumlah_jenis": [
                {"jenis": f"{JENIS_LABELS[k]} ({JENIS_PASAL[k]})", "jumlah": str(counts[k])}
                for k in JENIS_KEYS
            ],
            "tembusan": list(self.tembusan),
            "lampiran": lampiran_text(1),
        }


def render_nota_dinas_dip(ctx: NotaDinasDip, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir or DIP_TEMPLATE_DIR)


def render_surat_permintaan_dip(
    ctx: SuratPermintaanDip, *, template_dir: TemplateDir = None
) -> bytes:
    return render_letter(ctx, template_dir=template_dir or DIP_TEMPLATE_DIR)


def render_keputusan_dip(ctx: KeputusanDip, *, template_dir: TemplateDir = None) -> bytes:
    return render_letter(ctx, template_dir=template_dir or DIP_TEMPLATE_DIR)
