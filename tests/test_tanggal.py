from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.tanggal import (
    angka_terbilang,
    format_hari_tanggal,
    format_jam,
    format_kalimat_tanggal,
    format_tanggal,
    format_waktu,
    nama_bulan,
    roman_month,
    terbilang,
)

WITA = timezone(timedelta(hours=8))


def test_format_tanggal() -> None:
    assert format_tanggal(date(2026, 12, 7)) == "7 Desember 2026"
    assert format_tanggal(date(2022, 2, 14)) == "14 Februari 2022"
    assert format_tanggal(date(2026, 1, 31)) == "31 Januari 2026"


def test_every_month_and_day_name() -> None:
    months = [nama_bulan(m) for m in range(1, 13)]
    assert months == [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    # 7-13 December 2026 is Monday to Sunday.
    days = [format_hari_tanggal(date(2026, 12, d)).split(",")[0] for d in range(7, 14)]
    assert days == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def test_format_hari_tanggal() -> None:
    assert format_hari_tanggal(date(2026, 12, 7)) == "Senin, 7 Desember 2026"


def test_format_waktu_uses_the_zone_it_is_given() -> None:
    local = datetime(2026, 12, 7, 10, 0, tzinfo=WITA)
    assert format_waktu(local) == "Senin, 7 Desember 2026 pukul 10.00 WITA"
    # 23.30 UTC on Sunday is 07.30 WITA on Monday.
    utc = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert format_waktu(utc, tz=WITA) == "Senin, 7 Desember 2026 pukul 07.30 WITA"
    assert format_waktu(utc, tz_label="") == "Minggu, 6 Desember 2026 pukul 23.30"
    assert format_jam(datetime(2026, 12, 7, 9, 5, tzinfo=WITA)) == "09.05"


def test_format_waktu_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_waktu(datetime(2026, 12, 7, 10, 0))


def test_roman_month() -> None:
    assert [roman_month(m) for m in (1, 2, 4, 9, 12)] == ["I", "II", "IV", "IX", "XII"]
    for bad in (0, 13):
        with pytest.raises(ValueError):
            roman_month(bad)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (2022, "dua ribu dua puluh dua"),
        (2026, "dua ribu dua puluh enam"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (101000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_500_000, "satu juta lima ratus ribu"),
        (2_000_001_000, "dua miliar seribu"),
        (3 * 10**12, "tiga triliun"),
        (-5, "minus lima"),
    ],
)
def test_terbilang(number: int, words: str) -> None:
    assert terbilang(number) == words


def test_terbilang_rejects_what_it_cannot_spell() -> None:
    with pytest.raises(TypeError):
        terbilang(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        terbilang(True)
    with pytest.raises(ValueError):
        terbilang(10**15)


def test_angka_terbilang() -> None:
    assert angka_terbilang(1) == "1 (satu)"
    assert angka_terbilang(10) == "10 (sepuluh)"


def test_format_kalimat_tanggal() -> None:
    assert format_kalimat_tanggal(date(2026, 12, 7)) == (
        "Pada hari ini Senin tanggal tujuh bulan Desember tahun dua ribu dua puluh enam"
    )
    assert format_kalimat_tanggal(date(2022, 2, 14), prefix="") == (
        "Senin tanggal empat belas bulan Februari tahun dua ribu dua puluh dua"
    )
