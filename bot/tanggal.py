"""Indonesian dates, times and number words for letters and chat texts.

Everything here is pure and locale-independent (no ``locale.setlocale``): the month and day
names are spelled out in the tables below, as the tata naskah dinas writes them.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

__all__ = [
    "BULAN",
    "HARI",
    "angka_terbilang",
    "format_hari_tanggal",
    "format_jam",
    "format_kalimat_tanggal",
    "format_tanggal",
    "format_waktu",
    "nama_bulan",
    "nama_hari",
    "roman_month",
    "terbilang",
]

BULAN: tuple[str, ...] = (
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
)
"""Month names, index 0 = January."""

HARI: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
"""Day names, indexed like :meth:`date.weekday` (0 = Monday)."""

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_SATUAN = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)

# Large scales, biggest first. "se-" forms are used for exactly one thousand only
# ("seribu", but "satu juta", "satu miliar"), as Indonesian writes them.
_SKALA = (
    (10**12, "triliun"),
    (10**9, "miliar"),
    (10**6, "juta"),
    (10**3, "ribu"),
)


def nama_bulan(month: int) -> str:
    """Return the Indonesian name of ``month`` (1-12)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return BULAN[month - 1]


def nama_hari(d: date) -> str:
    """Return the Indonesian day name of ``d`` ("Senin" ... "Minggu")."""
    return HARI[d.weekday()]


def roman_month(month: int) -> str:
    """Return ``month`` (1-12) as a roman numeral, as used in letter numbers ("XII")."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return _ROMAN[month - 1]


def format_tanggal(d: date) -> str:
    """Format a date as "7 Desember 2026"."""
    return f"{d.day} {nama_bulan(d.month)} {d.year}"


def format_hari_tanggal(d: date) -> str:
    """Format a date with its day name: "Senin, 7 Desember 2026"."""
    return f"{nama_hari(d)}, {format_tanggal(d)}"


def _local(dt: datetime, tz: tzinfo | None) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("an aware datetime is required (attach the office time zone first)")
    return dt.astimezone(tz) if tz is not None else dt


def format_jam(dt: datetime, tz: tzinfo | None = None) -> str:
    """Format the clock time as "10.00" (Indonesian style, a dot between hours and minutes).

    ``dt`` must be aware; when ``tz`` is given it is converted to that zone first.
    """
    local = _local(dt, tz)
    return f"{local.hour:02d}.{local.minute:02d}"


def format_waktu(dt: datetime, tz_label: str = "WITA", tz: tzinfo | None = None) -> str:
    """Format a moment as "Senin, 7 Desember 2026 pukul 10.00 WITA".

    ``dt`` must be aware. Pass ``tz`` (e.g. ``ZoneInfo("Asia/Makassar")``) to convert it to the
    office's zone first; otherwise it is printed in the zone it carries. ``tz_label`` is the
    zone's Indonesian name (WIB, WITA, WIT); an empty label leaves it out.
    """
    local = _local(dt, tz)
    text = f"{format_hari_tanggal(local.date())} pukul {format_jam(local)}"
    return f"{text} {tz_label}" if tz_label else text


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    ratus, rest = divmod(n, 100)
    if ratus == 1:
        words.append("seratus")
    elif ratus > 1:
        words += [_SATUAN[ratus], "ratus"]
    if rest == 0:
        return words
    if rest < 12:
        words.append(_SATUAN[rest])
    elif rest < 20:
        words += [_SATUAN[rest - 10], "belas"]
    else:
        puluh, satuan = divmod(rest, 10)
        words += [_SATUAN[puluh], "puluh"]
        if satuan:
            words.append(_SATUAN[satuan])
    return words


def terbilang(n: int) -> str:
    """Spell an integer in Indonesian words.

    >>> terbilang(2026)
    'dua ribu dua puluh enam'
    >>> terbilang(1100)
    'seribu seratus'
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"terbilang() needs an int, got {type(n).__name__}")
    if n < 0:
        return f"minus {terbilang(-n)}"
    if n == 0:
        return "nol"
    if n >= 1000 * 10**12:
        raise ValueError("terbilang() supports numbers below one thousand trillion")
    words: list[str] = []
    for scale, name in _SKALA:
        count, n = divmod(n, scale)
        if count == 0:
            continue
        if count == 1 and scale == 1000:
            words.append("seribu")
        else:
            words += [*_below_thousand(count), name]
    words += _below_thousand(n)
    return " ".join(words)


def angka_terbilang(n: int) -> str:
    """Write a count as the letters do: "10 (sepuluh)"."""
    return f"{n} ({terbilang(n)})"


def format_kalimat_tanggal(d: date, prefix: str = "Pada hari ini") -> str:
    """Spell a date out in words, as a berita acara opens.

    "Pada hari ini Senin tanggal tujuh bulan Desember tahun dua ribu dua puluh enam".
    An empty ``prefix`` returns just "Senin tanggal tujuh bulan ...".
    """
    text = (
        f"{nama_hari(d)} tanggal {terbilang(d.day)} bulan {nama_bulan(d.month)} "
        f"tahun {terbilang(d.year)}"
    )
    return f"{prefix} {text}" if prefix else text
