"""Reading dates and times as officials type them ("14 Desember 2026", "14/12/2026", "09.00")."""

from __future__ import annotations

import re
from datetime import date, time

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
}  # fmt: skip
_DAYS = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)"
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")
_TIME = re.compile(r"^(?:pukul\s+|jam\s+)?(\d{1,2})(?:[.:](\d{2}))?\s*(?:wita|wib|wit)?$")


def parse_tanggal(text: str) -> date | None:
    """A date as typed in Indonesia (day first); a leading day name is ignored."""
    clean = re.sub(rf"^{_DAYS},?\s*", "", " ".join(text.lower().split()))
    clean = clean.replace("tanggal ", "")
    try:
        if m := _ISO.match(clean):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(clean):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORDS.match(clean)) and m[2] in MONTHS:
            return date(int(m[3]), MONTHS[m[2]], int(m[1]))
    except ValueError:
        return None
    return None


def parse_jam(text: str) -> time | None:
    """A clock time: "09.00", "9:30", "pukul 13.00 WITA", "14"."""
    m = _TIME.match(" ".join(text.lower().split()))
    if not m:
        return None
    hour, minute = int(m[1]), int(m[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
