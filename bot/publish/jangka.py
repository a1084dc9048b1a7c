"""When does an exemption end? Read a free-text "jangka waktu" into an end date.

Only a plain number of years or months, counted from the SK's date, has an end date:
"5 tahun", "20 Tahun", "2 (dua) tahun", "lima tahun", "6 bulan", "5 tahun sejak SK ditetapkan".
Everything else has none: "Tidak terbatas", "Permanen", conditions ("Selama proses pemeriksaan
hingga putusan final") and periods counted from another event ("5 tahun setelah keputusan
disiplin"). A careful reader would not guess a date for those, and neither does this.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_UNITS = {
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_WORD_NUMBER = re.compile(
    r"^(?:(?P<tens>\w+?)\s*puluh(?:\s+(?P<tens_unit>\w+))?"
    r"|(?P<teen>\w+?)\s*belas"
    r"|(?P<ten>sepuluh)"
    r"|(?P<unit>\w+))$"
)
_PERIOD = re.compile(
    r"^(?:(?:selama|jangka\s+waktu)\s+)?"
    r"(?P<number>\d{1,3}|[a-z][a-z\s]*?)\s*"
    r"(?:\(\s*(?P<spelled>[a-z\s]+?)\s*\)\s*)?"
    r"(?P<unit>tahun|thn|th|bulan|bln)\b\.?"
    r"(?P<rest>.*)$"
)
# What may follow the period: nothing, or "counted from the SK / its date / its signing".
_FROM_SK = re.compile(
    r"^(?:(?:terhitung\s+)?(?:sejak|mulai|dari|setelah|sesudah)\s+)?"
    r"(?:tanggal\s+)?"
    r"(?:(?:di)?tetapkan(?:nya)?|penetapan|pengesahan|ditandatangani|"
    r"(?:sk|surat\s+keputusan|keputusan)(?:\s+(?:walikota|wali\s+kota|ini))*"
    r"(?:\s+(?:di)?tetapkan(?:nya)?)?)?$"
)
MAX_YEARS = 100


def words_to_number(text: str) -> int | None:
    """ "lima" → 5, "dua belas" → 12, "dua puluh lima" → 25, "sepuluh" → 10; else None."""
    m = _WORD_NUMBER.match(" ".join(text.split()))
    if m is None:
        return None
    if m["ten"]:
        return 10
    if m["teen"]:
        unit = _UNITS.get(m["teen"])
        return None if unit is None else 10 + unit
    if m["tens"]:
        tens = _UNITS.get(m["tens"])
        rest = _UNITS.get(m["tens_unit"], None) if m["tens_unit"] else 0
        if tens is None or rest is None:
            return None
        return tens * 10 + rest
    return _UNITS.get(m["unit"]) if m["unit"] != "se" else None


def period_months(jangka_waktu: str) -> int | None:
    """The length of a plain period in months ("5 tahun" → 60), or None when it is not one."""
    text = " ".join(jangka_waktu.casefold().replace(",", " ").split()).rstrip(".")
    m = _PERIOD.match(text)
    if m is None:
        return None
    raw = m["number"].strip()
    number = int(raw) if raw.isdigit() else words_to_number(raw)
    if number is None and m["spelled"]:
        number = words_to_number(m["spelled"])
    if not number:
        return None
    if not _FROM_SK.match(m["rest"].strip(" .")):
        return None
    months = number * 12 if m["unit"] in ("tahun", "thn", "th") else number
    return months if months <= MAX_YEARS * 12 else None


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; the 31st becomes the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def end_date(jangka_waktu: str, sk_date: date | None) -> date | None:
    """The day the exemption ends, counted from the SK's date; None when it has no end date."""
    if sk_date is None:
        return None
    months = period_months(jangka_waktu)
    return None if months is None else add_months(sk_date, months)
