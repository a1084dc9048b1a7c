"""The grounds for exempting information under Pasal 17 UU 14/2008, as data.

Keys are the letters "a".."j" used in data, drop-down lists and validation. The titles and
point texts are short Indonesian paraphrases for forms and chat, not verbatim quotations of
the law (check the official gazette before quoting an article in a template).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LAW_NAME = "Undang-Undang Nomor 14 Tahun 2008"
LAW_SHORT = "UU 14/2008"

# Pasal 20: exemptions under Pasal 17 huruf a-f are not permanent.
_TIME_LIMITED = frozenset("abcdef")


@dataclass(frozen=True)
class Ground:
    """One letter (huruf) of Pasal 17 with its numbered points (angka), if any."""

    key: str
    title: str
    points: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Short label for lists, e.g. "h. Mengungkap rahasia pribadi"."""
        return f"{self.key}. {self.title}"

    def point(self, angka: int) -> str | None:
        """Return the text of point ``angka`` (1-based), or None if it does not exist."""
        if 1 <= angka <= len(self.points):
            return self.points[angka - 1]
        return None


@dataclass(frozen=True, order=True)
class Basis:
    """One legal basis: Pasal 17 huruf ``huruf`` (angka ``angka``) UU 14/2008."""

    huruf: str
    angka: int | None = None


_GROUND_LIST: tuple[Ground, ...] = (
    Ground(
        "a",
        "Menghambat proses penegakan hukum",
        (
            "Menghambat penyelidikan dan penyidikan suatu tindak pidana",
            "Mengungkap identitas informan, pelapor, saksi, dan/atau korban tindak pidana",
            "Mengungkap data intelijen kriminal dan rencana pencegahan serta penanganan "
            "kejahatan transnasional",
            "Membahayakan keselamatan dan kehidupan penegak hukum dan/atau keluarganya",
            "Membahayakan keamanan peralatan, sarana, dan/atau prasarana penegak hukum",
        ),
    ),
    Ground(
        "b",
        "Mengganggu perlindungan hak atas kekayaan intelektual dan persaingan usaha sehat",
    ),
    Ground(
        "c",
        "Membahayakan pertahanan dan keamanan negara",
        (
            "Strategi, intelijen, operasi, taktik, dan teknik penyelenggaraan sistem "
            "pertahanan dan keamanan negara",
            "Dokumen tentang strategi, intelijen, operasi, teknik, dan taktik pertahanan "
            "dan keamanan negara",
            "Jumlah, komposisi, disposisi, atau dislokasi kekuatan dan kemampuan pertahanan "
            "dan keamanan negara serta rencana pengembangannya",
            "Gambar dan data tentang situasi dan keadaan pangkalan dan/atau instalasi militer",
            "Data perkiraan kemampuan militer dan pertahanan negara lain",
            "Sistem persandian negara",
            "Sistem intelijen negara",
        ),
    ),
    Ground("d", "Mengungkapkan kekayaan alam Indonesia"),
    Ground(
        "e",
        "Merugikan ketahanan ekonomi nasional",
        (
            "Rencana awal pembelian dan penjualan mata uang nasional atau asing, saham, "
            "dan aset vital milik negara",
            "Rencana awal perubahan nilai tukar, suku bunga, dan model operasi institusi keuangan",
            "Rencana awal perubahan suku bunga bank, pinjaman pemerintah, perubahan pajak, "
            "tarif, atau pendapatan negara/daerah lainnya",
            "Rencana awal penjualan atau pembelian tanah atau properti",
            "Rencana awal investasi asing",
            "Proses dan hasil pengawasan perbankan, asuransi, atau lembaga keuangan lainnya",
            "Hal-hal yang berkaitan dengan proses pencetakan uang",
        ),
    ),
    Ground(
        "f",
        "Merugikan kepentingan hubungan luar negeri",
        (
            "Posisi, daya tawar, dan strategi negara dalam negosiasi internasional",
            "Korespondensi diplomatik antarnegara",
            "Sistem komunikasi dan persandian dalam hubungan internasional",
            "Perlindungan dan pengamanan infrastruktur strategis Indonesia di luar negeri",
        ),
    ),
    Ground("g", "Mengungkapkan isi akta otentik yang bersifat pribadi dan wasiat seseorang"),
    Ground(
        "h",
        "Mengungkap rahasia pribadi",
        (
            "Riwayat dan kondisi anggota keluarga",
            "Riwayat, kondisi, perawatan, dan pengobatan kesehatan fisik dan psikis seseorang",
            "Kondisi keuangan, aset, pendapatan, dan rekening bank seseorang",
            "Hasil evaluasi kapabilitas, intelektualitas, dan rekomendasi kemampuan seseorang",
            "Catatan pribadi seseorang terkait kegiatan satuan pendidikan formal dan nonformal",
        ),
    ),
    Ground(
        "i",
        "Memorandum atau surat antar/intra Badan Publik yang menurut sifatnya dirahasiakan",
    ),
    Ground("j", "Informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang lain"),
)

GROUNDS: dict[str, Ground] = {g.key: g for g in _GROUND_LIST}
KEYS: tuple[str, ...] = tuple(GROUNDS)
MAX_POINTS: int = max(len(g.points) for g in _GROUND_LIST)


def is_valid(huruf: str, angka: int | None = None) -> bool:
    """Return whether ``huruf`` is a Pasal 17 letter and ``angka`` (if given) one of its points."""
    ground = GROUNDS.get(huruf)
    if ground is None:
        return False
    return angka is None or ground.point(angka) is not None


def is_time_limited(huruf: str) -> bool:
    """Return whether an exemption on this letter is not permanent (Pasal 20: a-f)."""
    return huruf in _TIME_LIMITED


def _join_id(parts: Sequence[str]) -> str:
    """Join with Indonesian list punctuation: "x", "x dan y", "x, y, dan z"."""
    if len(parts) <= 2:
        return " dan ".join(parts)
    return ", ".join(parts[:-1]) + ", dan " + parts[-1]


def _huruf_phrase(huruf: str, angka: Sequence[int]) -> str:
    if not angka:
        return f"huruf {huruf}"
    return f"huruf {huruf} " + _join_id([f"angka {n}" for n in angka])


def _grouped(bases: Iterable[Basis]) -> dict[str, list[int]]:
    """Group bases by letter in first-seen order; a letter with points drops its bare form."""
    groups: dict[str, list[int]] = {}
    for basis in bases:
        points = groups.setdefault(basis.huruf, [])
        if basis.angka is not None and basis.angka not in points:
            points.append(basis.angka)
    return groups


def format_basis(bases: Iterable[Basis], other_law: str | None = None) -> str:
    """Write bases the way a legal text does.

    ``[Basis("h", 3)]`` gives "Pasal 17 huruf h angka 3 Undang-Undang Nomor 14 Tahun 2008";
    several give "Pasal 17 huruf g dan huruf h angka 1 ...". ``other_law`` (the other laws the
    item rests on, as the OPD or the Tim wrote them) follows with "juncto" for huruf j, whose
    ground it is, and after a semicolon otherwise.
    """
    groups = _grouped(bases)
    if not groups:
        raise ValueError("format_basis needs at least one basis")
    phrases = [_huruf_phrase(huruf, angka) for huruf, angka in groups.items()]
    text = f"Pasal 17 {_join_id(phrases)} {LAW_NAME}"
    other = (other_law or "").strip()
    if other:
        text += f" juncto {other}" if "j" in groups else f"; {other}"
    return text
