"""The Pasal 17 grounds as data, and the parser of legal-basis cells as OPDs write them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.dasar_hukum import J_NEEDS_LAW, parse_dasar_hukum
from bot.pasal17 import GROUNDS, KEYS, Basis, format_basis, is_time_limited, is_valid

# ---------------------------------------------------------------------------------------------
# bot.pasal17


def test_grounds_keys_and_points() -> None:
    assert KEYS == tuple("abcdefghij")
    counts = {key: len(ground.points) for key, ground in GROUNDS.items()}
    assert counts == {
        "a": 5, "b": 0, "c": 7, "d": 0, "e": 7, "f": 4, "g": 0, "h": 5, "i": 0, "j": 0
    }  # fmt: skip
    assert "rahasia pribadi" in GROUNDS["h"].title.lower()
    assert "kesehatan" in (GROUNDS["h"].point(2) or "").lower()
    assert GROUNDS["h"].point(6) is None
    assert GROUNDS["h"].label.startswith("h. ")


@pytest.mark.parametrize(
    ("huruf", "angka", "valid"),
    [
        ("h", None, True),
        ("h", 5, True),
        ("h", 6, False),
        ("b", None, True),
        ("b", 1, False),
        ("c", 7, True),
        ("f", 5, False),
        ("k", None, False),
        ("H", None, False),
    ],
)
def test_is_valid(huruf: str, angka: int | None, valid: bool) -> None:
    assert is_valid(huruf, angka) is valid


def test_time_limited_is_a_to_f() -> None:
    assert [k for k in KEYS if is_time_limited(k)] == list("abcdef")


@pytest.mark.parametrize(
    ("bases", "other_law", "expected"),
    [
        ([Basis("h", 3)], None, "Pasal 17 huruf h angka 3 Undang-Undang Nomor 14 Tahun 2008"),
        (
            [Basis("g"), Basis("h", 1)],
            None,
            "Pasal 17 huruf g dan huruf h angka 1 Undang-Undang Nomor 14 Tahun 2008",
        ),
        (
            [Basis("a"), Basis("c"), Basis("h", 1), Basis("h", 2)],
            None,
            "Pasal 17 huruf a, huruf c, dan huruf h angka 1 dan angka 2 "
            "Undang-Undang Nomor 14 Tahun 2008",
        ),
        (
            [Basis("j")],
            "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan",
            "Pasal 17 huruf j Undang-Undang Nomor 14 Tahun 2008 juncto "
            "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan",
        ),
        (  # issue 11: the other law of a ground other than j is kept, not joined by juncto
            [Basis("h")],
            "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi Pasal 4",
            "Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008; Undang-Undang Nomor 27 Tahun "
            "2022 tentang Pelindungan Data Pribadi Pasal 4",
        ),
    ],
)
def test_format_basis(bases: list[Basis], other_law: str | None, expected: str) -> None:
    assert format_basis(bases, other_law) == expected


def test_format_basis_needs_a_basis() -> None:
    with pytest.raises(ValueError):
        format_basis([])


# ---------------------------------------------------------------------------------------------
# bot.dasar_hukum: real-looking cells


@dataclass(frozen=True)
class Cell:
    text: str
    bases: str  # "g h1" -> Basis("g"), Basis("h", 1)
    needs_choice: bool = False
    invalid: str | None = None  # a fragment of one invalid message
    warning: str | None = None  # a fragment of one warning; None: no warning at all
    other_law: str | None = None  # a fragment of other_law; None: other_law is None
    question: str | None = None  # a fragment of one question to the OPD; None: no question


def _bases(spec: str) -> tuple[Basis, ...]:
    return tuple(Basis(item[0], int(item[1:]) if item[1:] else None) for item in spec.split())


CELLS = [
    Cell("Pasal 17 huruf h angka 3 Undang-Undang Nomor 14 Tahun 2008", "h3"),
    Cell("Pasal 17 huruf g dan huruf h angka 1 UU 14/2008", "g h1"),
    Cell("Pasal 17 (g), (h) angka 3", "g h3"),
    Cell("Pasal 17 huruf a, c", "a c"),
    Cell("UU No. 14 Tahun 2008 Pasal 17 Huruf H", "h"),
    Cell("PASAL 17 HURUF A ANGKA 1 UU KIP", "a1"),
    Cell("Pasal 17 huruf c angka enam UU 14/2008", "c6"),
    Cell("Pasal 17 huruf h angka dua", "h2"),
    # Until issue 11 these cells' other laws were dropped (other_law None); they are kept now.
    Cell(
        "Permenhan Nomor 12 Tahun 2015 Pasal 5 huruf a; UU 14/2008 Pasal 17 huruf c angka 4",
        "c4",
        other_law="Permenhan Nomor 12 Tahun 2015 Pasal 5 huruf a",
    ),
    Cell(
        "UU 44/2009 tentang Rumah Sakit Pasal 32 huruf i; UU 14/2008 Pasal 17 huruf h angka 2",
        "h2",
        other_law="Undang-Undang Nomor 44 Tahun 2009 tentang Rumah Sakit Pasal 32 huruf i",
    ),
    Cell(
        "UU 44/2009 tentang Rumah Sakit Pasal 32 huruf i",
        "",
        needs_choice=True,
        warning="pilih huruf j",
        other_law="Nomor 44 Tahun 2009 tentang Rumah Sakit",
    ),
    Cell(
        "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
        "",
        needs_choice=True,
    ),
    Cell("Pasal 17 UU 14/2008", "", needs_choice=True),
    Cell(
        "Peraturan Walikota Kupang Nomor 31 Tahun 2022",
        "",
        needs_choice=True,
        other_law="Peraturan Walikota Kupang Nomor 31 Tahun 2022",
    ),
    Cell("Pasal 17 huruf g (stabilitas ekonomi)", "g", warning='"(stabilitas ekonomi)"'),
    Cell("Pasal 17 huruf h (rahasia pribadi) angka 2", "h2"),
    Cell(
        'Pasal 17 huruf h UU 14/2008: "Informasi Publik yang apabila dibuka dapat mengungkap '
        "rahasia pribadi, yaitu: a. riwayat dan kondisi anggota keluarga; b. riwayat, kondisi "
        'dan perawatan, pengobatan kesehatan fisik, dan psikis seseorang"',
        "h",
    ),
    Cell("Pasal 17\nhuruf h\nangka 2\nUU 14/2008", "h2"),
    Cell("\u201cPasal 17 huruf i\u201d UU KIP", "i"),
    Cell(
        "1. Pasal 17 huruf h angka 2 UU 14/2008\n2. Pasal 17 huruf h angka 3 UU 14/2008", "h2 h3"
    ),
    Cell("UU 14/2018 Pasal 17 huruf h", "h", warning='"UU 14/2018"'),
    Cell("Pasal 17 huruf b angka 2", "", invalid="huruf b tidak memiliki angka"),
    Cell("Pasal 17 huruf h angka 9", "", invalid="hanya memiliki angka 1 sampai 5"),
    Cell("Pasal 17 huruf h angka enam", "", invalid="(tertulis angka 6)"),
    Cell("Pasal 17 huruf k UU 14/2008", "", invalid="huruf k tidak ada di Pasal 17"),
    Cell(
        "Pasal 17 huruf j UU 14/2008 jo. UU Nomor 36 Tahun 2009 tentang Kesehatan Pasal 57",
        "j",
        other_law="Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan",
    ),
    Cell("Pasal 17 huruf j", "j", warning=J_NEEDS_LAW),
    Cell("Pasal 17 huruf h dan huruf j UU Kesehatan Pasal 57", "h j", other_law="Kesehatan"),
    Cell("Pasal 17 huruf h angka 1, 2 dan 3", "h1 h2 h3"),
    Cell("Pasal 17 huruf c angka 1 s.d. 3", "c1 c2 c3"),
    Cell("Pasal 17 huruf a angka 1 dan 2, huruf h angka 2", "a1 a2 h2"),
    Cell("Pasal 17 huruf h angka 4 dan Pasal 6 ayat (3) huruf c UU 14/2008", "h4"),
    Cell("pasal 17 h.2 UU KIP", "h2"),
    Cell("Psl. 17 hrf. h UU14/2008", "h"),
    Cell("huruf h angka 2 Pasal 17 UU 14/2008", "h2"),
    Cell("Pasal 32 huruf i, Pasal 17 huruf h", "h"),
    Cell("Pasal 17 Undang-Undang Nomor 14 Tahun 2008 huruf h angka 2", "h2"),
    Cell("Pasal 17 huruf h angka 2 UU 14/2008 tentang KIP 2008", "h2"),
    Cell("Pasal 17 Huruf H Angka 2 dan Angka 3", "h2 h3"),
    Cell("Pasal 17 huruf e angka 4, Pasal 17 huruf g", "e4 g"),
    Cell("", "", needs_choice=True),
]

# Issue 11: shapes that real Form DIKs pasted from published tables have, and that were misread.
LISTS = [
    # A numbered list of laws: the item numbers are not angka.
    Cell(
        "1. UU 14/2008 Pasal 17 huruf h\n2. UU 27/2022 tentang Pelindungan Data Pribadi "
        "Pasal 4 ayat (2)",
        "h",
        other_law="Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi "
        "Pasal 4 ayat (2)",
    ),
    Cell(
        "1. UU 14/2008 Pasal 17 huruf i\n2. Permendagri Nomor 1 Tahun 2023 tentang Tata "
        "Naskah Dinas",
        "i",
        other_law="Permendagri Nomor 1 Tahun 2023 tentang Tata Naskah Dinas",
    ),
    Cell(
        "Pasal 17 huruf a\n2. Permenpan RB Nomor 6 Tahun 2022 Pasal 10",
        "a",
        other_law="Permenpan RB Nomor 6 Tahun 2022 Pasal 10",
    ),
    Cell(
        "1. Pasal 17 huruf h UU 14/2008 2. UU 36/2009 tentang Kesehatan Pasal 57",
        "h",
        other_law="Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan Pasal 57",
    ),
    Cell(
        "Pasal 17 huruf h\n3. Perwali Kupang Nomor 31 Tahun 2022",
        "h",
        other_law="Perwali Kupang Nomor 31 Tahun 2022",
    ),
    Cell(
        "- Pasal 17 huruf h angka 3 UU 14/2008\n- PP 61/2010 Pasal 6",
        "h3",
        other_law="PP 61/2010 Pasal 6",
    ),
    Cell(
        "1) Pasal 17 huruf c UU KIP\n2) Permenhan 12/2015",
        "c",
        other_law="Permenhan 12/2015",
    ),
    Cell("Pasal 17 UU 14/2008:\n1. huruf g\n2. huruf h angka 1", "g h1"),
    Cell(
        "a. UU 14/2008 Pasal 17 huruf h angka 2\nb. UU 36/2009 Pasal 57",
        "h2",
        other_law="Undang-Undang Nomor 36 Tahun 2009 Pasal 57",
    ),
    Cell("Pasal 17 huruf h angka\n2 UU 14/2008", "h2"),
    # Several laws, each with its own huruf / angka.
    Cell(
        "UU 14/2008 Pasal 17 huruf h angka 2 dan UU 44/2009 tentang Rumah Sakit Pasal 38 "
        "ayat (1) huruf c angka 2",
        "h2",
        other_law="Undang-Undang Nomor 44 Tahun 2009 tentang Rumah Sakit Pasal 38 ayat (1) "
        "huruf c angka 2",
    ),
    Cell(
        "Pasal 17 huruf j UU KIP jo. Pasal 79 ayat (2) huruf a UU 24/2013 tentang "
        "Administrasi Kependudukan",
        "j",
        other_law="Pasal 79 ayat (2) huruf a Undang-Undang Nomor 24 Tahun 2013 tentang "
        "Administrasi Kependudukan",
    ),
    Cell(
        "Perda Kota Kupang Nomor 5 Tahun 2019 Pasal 12 huruf b angka 3; Pasal 17 huruf e "
        "angka 3 UU 14/2008",
        "e3",
        other_law="Perda Kota Kupang Nomor 5 Tahun 2019 Pasal 12 huruf b angka 3",
    ),
    Cell(
        "Pasal 17 huruf h UU 14/2008; Peraturan BKN Nomor 5 Tahun 2019 Pasal 4 huruf a dan "
        "huruf b",
        "h",
        other_law="Peraturan BKN Nomor 5 Tahun 2019 Pasal 4 huruf a dan huruf b",
    ),
    # The law's text pasted in.
    Cell(
        "Pasal 17 huruf h UU 14/2008\nInformasi Publik yang apabila dibuka dan diberikan "
        "kepada Pemohon Informasi Publik dapat mengungkap rahasia pribadi, yaitu:\n"
        "1. riwayat dan kondisi anggota keluarga;\n2. riwayat, kondisi dan perawatan, "
        "pengobatan kesehatan fisik, dan psikis seseorang;\n3. kondisi keuangan, aset, "
        "pendapatan, dan rekening bank seseorang",
        "h",
    ),
    Cell(
        'Pasal 17 huruf j UU 14/2008 jo. UU 36/2009 Pasal 57 ayat (1): "Setiap orang berhak '
        "atas rahasia kondisi kesehatan pribadinya sebagaimana dimaksud pada huruf a dan "
        'Undang-Undang Nomor 29 Tahun 2004"',
        "j",
        other_law="Undang-Undang Nomor 36 Tahun 2009 Pasal 57 ayat (1)",
    ),
    Cell(
        'UU 14/2008 Pasal 17 huruf a angka 1 "menghambat proses penyelidikan dan penyidikan '
        'suatu tindak pidana, huruf c"',
        "a1",
    ),
    Cell(
        "Pasal 17 huruf h 2. Riwayat, kondisi dan perawatan, pengobatan kesehatan fisik dan "
        "psikis seseorang",
        "h2",
    ),
    # Two grounds with an angka each.
    Cell("Pasal 17 huruf a angka 2 dan huruf h angka 1 UU 14/2008", "a2 h1"),
    Cell("Pasal 17 huruf c angka 4 UU 14/2008 dan Pasal 17 huruf e angka 1 UU 14/2008", "c4 e1"),
    Cell("Pasal 17 (a) 2, (h) 3 UU KIP", "a2 h3"),
    Cell("Pasal 17 (h) 3", "h3"),
    Cell(
        "1. Pasal 17 huruf h angka 2 UU 14/2008\n2. Pasal 17 huruf a angka 4 UU 14/2008",
        "h2 a4",
    ),
    # Truly ambiguous: asked, never guessed.
    Cell(
        "UU 27/2022 tentang Pelindungan Data Pribadi Pasal 17 huruf a",
        "a",
        other_law="Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi",
        question="mungkin pasal dari Undang-Undang Nomor 27 Tahun 2022",
    ),
    Cell(
        "Pasal 17 huruf h 2 Permenkes 24/2022",
        "h",
        other_law="Permenkes 24/2022",
        question='"h 2" berarti huruf h angka 2',
    ),
]


@pytest.mark.parametrize(
    "cell", CELLS + LISTS, ids=[c.text[:50] or "(kosong)" for c in CELLS + LISTS]
)
def test_parse_real_cells(cell: Cell) -> None:
    parsed = parse_dasar_hukum(cell.text)
    assert parsed.original == cell.text.strip()
    assert parsed.bases == _bases(cell.bases)
    assert parsed.needs_choice is cell.needs_choice
    if cell.invalid is None:
        assert parsed.invalid == ()
    else:
        assert any(cell.invalid in message for message in parsed.invalid), parsed.invalid
    if cell.warning is None:
        assert parsed.warnings == ()
    else:
        assert any(cell.warning in message for message in parsed.warnings), parsed.warnings
    if cell.other_law is None:
        assert parsed.other_law is None
    else:
        assert cell.other_law in (parsed.other_law or ""), parsed.other_law
    if cell.question is None:
        assert parsed.questions == ()
    else:
        assert any(cell.question in q for q in parsed.questions), parsed.questions
        assert not parsed.ok


def test_table_is_large_enough() -> None:
    assert len(CELLS) >= 25


def test_ok_and_needs_other_law() -> None:
    assert parse_dasar_hukum("Pasal 17 huruf h angka 2").ok
    assert not parse_dasar_hukum("Pasal 17 huruf j").ok
    assert parse_dasar_hukum("Pasal 17 huruf j").needs_other_law
    assert not parse_dasar_hukum("Pasal 17 huruf k").ok
    assert not parse_dasar_hukum("UU 14/2008").ok


def test_messages_are_indonesian() -> None:
    parsed = parse_dasar_hukum("Pasal 17 huruf g (stabilitas ekonomi) UU 14/2018")
    assert any("mohon periksa" in w for w in parsed.warnings)
    assert any("yang dimaksud mungkin UU 14/2008" in w for w in parsed.warnings)


def test_other_law_numbered_14_is_not_a_typo() -> None:
    parsed = parse_dasar_hukum("Pasal 17 huruf j UU Nomor 14 Tahun 2005 tentang Guru dan Dosen")
    assert parsed.bases == (Basis("j"),)
    assert parsed.warnings == ()
    assert parsed.other_law == "Undang-Undang Nomor 14 Tahun 2005 tentang Guru dan Dosen"
