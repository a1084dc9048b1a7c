"""The legal texts of the Keputusan Walikota on the DIK: its Menimbang and its Mengingat.

Numbers the bot cannot know (a Berita Negara or Berita Daerah number, the article of the
Perwali) come from settings; while a setting is empty the text carries a visible blank
(:data:`BLANK`) for the Bagian Hukum to fill, never a guess. The Bagian Hukum checks every
line against the gazette (JDIH) and may replace the lists as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

BLANK = "……"
"""A visible blank to be filled by hand."""

UU_KIP = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
PERKI_2017 = (
    "Peraturan Komisi Informasi Nomor 1 Tahun 2017 tentang Pengklasifikasian Informasi Publik"
)
PERKI_2021 = (
    "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik"
)
PERMENDAGRI_2017 = (
    "Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2017 tentang Pedoman Pengelolaan Pelayanan "
    "Informasi dan Dokumentasi Kementerian Dalam Negeri dan Pemerintahan Daerah"
)
PERWALI = (
    "Peraturan Walikota Kupang Nomor 31 Tahun 2022 tentang Pedoman Pengelolaan Informasi dan "
    "Dokumentasi di Lingkungan Pemerintah Kota Kupang"
)


UU_PEMBENTUKAN_KUPANG = (
    "Undang-Undang Nomor 5 Tahun 1996 tentang Pembentukan Kotamadya Daerah Tingkat II Kupang "
    "(Lembaran Negara Republik Indonesia Tahun 1996 Nomor 43, Tambahan Lembaran Negara "
    "Republik Indonesia Nomor 3633)"
)
"""The law forming Kota Kupang (another pemda sets its own: SK_UU_PEMBENTUKAN)."""


def _or_blank(value: str) -> str:
    return value.strip() or BLANK


@dataclass(frozen=True, slots=True)
class LegalRefs:
    """What differs per pemda or is not yet known: the law forming the city, gazette numbers
    (just the number, e.g. "429"), and the Perwali article requiring the DIK by Keputusan
    (e.g. "Pasal 20"). Empty means unknown: a blank is printed."""

    uu_pembentukan: str = UU_PEMBENTUKAN_KUPANG
    berita_negara_perki_2017: str = ""
    berita_negara_perki_2021: str = ""
    berita_negara_permendagri_3_2017: str = ""
    berita_daerah_perwali: str = ""
    perwali_pasal_dik: str = ""
    perwali: str = PERWALI
    perwali_tahun: int = 2022
    daerah: str = "Kota Kupang"

    def perwali_pasal(self) -> str:
        pasal = self.perwali_pasal_dik.strip()
        if not pasal:
            return f"Pasal {BLANK}"
        return pasal if pasal.lower().startswith("pasal") else f"Pasal {pasal}"


def mengingat(refs: LegalRefs) -> tuple[str, ...]:
    """The Mengingat list, in order of hierarchy, then year."""
    lines = []
    if refs.uu_pembentukan.strip():
        lines.append(refs.uu_pembentukan.strip().rstrip(";") + ";")
    lines += [
        f"{UU_KIP} (Lembaran Negara Republik Indonesia Tahun 2008 Nomor 61, Tambahan Lembaran "
        "Negara Republik Indonesia Nomor 4846);",
        "Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan (Lembaran Negara Republik "
        "Indonesia Tahun 2009 Nomor 152, Tambahan Lembaran Negara Republik Indonesia Nomor "
        "5071);",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara "
        "Republik Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia "
        "Nomor 5587) sebagaimana telah beberapa kali diubah, terakhir dengan Undang-Undang "
        "Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang "
        "Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara "
        "Republik Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia "
        "Nomor 6856);",
        "Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14 "
        "Tahun 2008 tentang Keterbukaan Informasi Publik (Lembaran Negara Republik Indonesia "
        "Tahun 2010 Nomor 99, Tambahan Lembaran Negara Republik Indonesia Nomor 5149);",
        f"{PERKI_2017} (Berita Negara Republik Indonesia Tahun 2017 Nomor "
        f"{_or_blank(refs.berita_negara_perki_2017)});",
        f"{PERMENDAGRI_2017} (Berita Negara Republik Indonesia Tahun 2017 Nomor "
        f"{_or_blank(refs.berita_negara_permendagri_3_2017)});",
        f"{PERKI_2021} (Berita Negara Republik Indonesia Tahun 2021 Nomor "
        f"{_or_blank(refs.berita_negara_perki_2021)});",
        f"{refs.perwali} (Berita Daerah {refs.daerah} Tahun {refs.perwali_tahun} Nomor "
        f"{_or_blank(refs.berita_daerah_perwali)});",
    ]
    return tuple(lines)


def menimbang(
    refs: LegalRefs, *, badan_publik: str, ketetapan_ref: str, kepala_daerah: str, judul: str
) -> list[str]:
    """Menimbang a-d: the test and its balancing (UU 14/2008 Pasal 2 ayat (2) and (4)), the
    duty to test (Pasal 19, Perki 1/2017 Pasal 4, Perki 1/2021 Pasal 49) and the Ketetapan,
    the Perwali article requiring the DIK by Keputusan, and the closing "perlu menetapkan"."""
    return [
        f"bahwa berdasarkan ketentuan Pasal 2 ayat (2) dan ayat (4) {UU_KIP}, Informasi Publik "
        "yang dikecualikan bersifat ketat dan terbatas, serta bersifat rahasia sesuai dengan "
        "Undang-Undang, kepatutan, dan kepentingan umum didasarkan pada pengujian tentang "
        "konsekuensi yang timbul apabila suatu informasi diberikan kepada masyarakat serta "
        "setelah dipertimbangkan dengan saksama bahwa menutup Informasi Publik dapat "
        "melindungi kepentingan yang lebih besar daripada membukanya atau sebaliknya;",
        f"bahwa berdasarkan ketentuan Pasal 19 {UU_KIP}, Pasal 4 {PERKI_2017}, dan Pasal 49 "
        f"{PERKI_2021}, Pejabat Pengelola Informasi dan Dokumentasi wajib melakukan pengujian "
        "konsekuensi sebelum menyatakan Informasi Publik tertentu dikecualikan, dan pengujian "
        "konsekuensi atas usulan Daftar Informasi yang Dikecualikan di Lingkungan "
        f"{badan_publik} telah dilaksanakan sebagaimana dituangkan dalam {ketetapan_ref};",
        f"bahwa berdasarkan ketentuan {refs.perwali_pasal()} {refs.perwali}, Daftar Informasi "
        f"yang Dikecualikan di Lingkungan {badan_publik} ditetapkan dengan Keputusan "
        f"{kepala_daerah};",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, huruf b, dan huruf "
        f"c, perlu menetapkan Keputusan {kepala_daerah} tentang {judul};",
    ]
