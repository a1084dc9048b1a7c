"""When does an exemption end? Read the decided "jangka waktu" as a careful reader would.

An end date exists only where the decision fixes a start:
- a number of years or months counted, in so many words, from the SK (the Keputusan that sets
  the list): "5 tahun sejak SK ditetapkan", "3 tahun terhitung sejak tanggal keputusan ini
  ditetapkan";
- a length counted from a date it names: "5 tahun sejak 1 Januari 2026";
- a date it names as the end: "sampai 31 Desember 2030", "hingga tanggal 30/06/2028".

Everything else has none, and is not given one: a plain length ("5 tahun": from when?),
"Tidak terbatas" / "Permanen", conditions ("Selama proses pemeriksaan hingga putusan final")
and periods counted from another event ("5 tahun setelah keputusan disiplin"). Apart from the
permanent ones, those are periods the petugas must check by hand (`Period.to_check`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from bot.tanggal_input import parse_tanggal

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
_SINCE = r"(?:(?:terhitung\s+)?(?:sejak|mulai|dari|setelah|sesudah)|terhitung)\s+"
# What says, in so many words, that the length counts from the SK: "sejak SK ditetapkan".
_FROM_SK = re.compile(
    rf"^{_SINCE}(?:tanggal\s+)?"
    r"(?:(?:di)?tetapkan(?:nya)?|penetapan|pengesahan|ditandatangani|"
    r"(?:sk|surat\s+keputusan|keputusan)(?:\s+(?:walikota|wali\s+kota|ini))*"
    r"(?:\s+(?:di)?tetapkan(?:nya)?|\s+ditandatangani)?)$"
)
_FROM_DATE = re.compile(rf"^{_SINCE}(?:tanggal\s+)?(?P<date>.+)$")
_UNTIL_DATE = re.compile(
    r"^(?:berlaku\s+)?(?:sampai|hingga|s\.?\s*d\.?|sd)(?:\s+dengan)?\s+(?:tanggal\s+)?(?P<date>.+)$"
)
_PERMANENT = re.compile(
    r"^(?:tidak\s+terbatas|permanen|selamanya|selama-lamanya|tanpa\s+batas)"
    r"(?:\s+waktu(?:nya)?)?$"
)
MAX_YEARS = 100


@dataclass(frozen=True, slots=True)
class Period:
    """What a jangka waktu says: its end where a start is fixed, else what is known of it."""

    ends: date | None = None
    months: int | None = None  # the length: plain, from the SK or from a named date
    from_sk: bool = False  # the length counts from the SK, in so many words
    permanent: bool = False

    @property
    def to_check(self) -> bool:
        """No end the bot can count to, and not permanent: the petugas must check it."""
        return self.ends is None and not self.permanent


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


def _clean(jangka_waktu: str) -> str:
    return " ".join(jangka_waktu.casefold().replace(",", " ").split()).rstrip(".").strip()


def _length(text: str) -> tuple[int, str] | None:
    """(months, what follows) of a text that starts with a length: "5 tahun sejak …"."""
    m = _PERIOD.match(text)
    if m is None:
        return None
    raw = m["number"].strip()
    number = int(raw) if raw.isdigit() else words_to_number(raw)
    if number is None and m["spelled"]:
        number = words_to_number(m["spelled"])
    if not number:
        return None
    months = number * 12 if m["unit"] in ("tahun", "thn", "th") else number
    if months > MAX_YEARS * 12:
        return None
    return months, m["rest"].strip(" .")


def period_months(jangka_waktu: str) -> int | None:
    """The length of a period with no other condition, in months ("5 tahun" → 60, "5 tahun
    sejak SK ditetapkan" → 60), or None ("Tidak terbatas", "5 tahun setelah …")."""
    found = _length(_clean(jangka_waktu))
    if found is None:
        return None
    months, rest = found
    return months if not rest or _FROM_SK.match(rest) else None


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; the 31st becomes the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def read_period(jangka_waktu: str, sk_date: date | None) -> Period:
    """What the jangka waktu fixes; `sk_date` is the day the SK was signed (None: unknown)."""
    text = _clean(jangka_waktu)
    if _PERMANENT.match(text):
        return Period(permanent=True)
    if (m := _UNTIL_DATE.match(text)) and (until := parse_tanggal(m["date"])):
        return Period(ends=until)
    found = _length(text)
    if found is None:
        return Period()
    months, rest = found
    if not rest:
        return Period(months=months)
    if _FROM_SK.match(rest):
        return Period(
            ends=add_months(sk_date, months) if sk_date else None, months=months, from_sk=True
        )
    if (m := _FROM_DATE.match(rest)) and (start := parse_tanggal(m["date"])):
        return Period(ends=add_months(start, months), months=months)
    return Period()  # counted from another event: no length the bot can count


def end_date(jangka_waktu: str, sk_date: date | None) -> date | None:
    """The day the exemption ends, where the jangka waktu fixes its start; else None."""
    return read_period(jangka_waktu, sk_date).ends
