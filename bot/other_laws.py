"""The laws other than UU 14/2008 that a "Dasar Hukum Pengecualian" cell cites.

An OPD often names, beside (or instead of) Pasal 17 UU 14/2008, the law that makes the
information secret: "UU 27/2022 tentang Pelindungan Data Pribadi Pasal 4", "Permenkes 24/2022
Pasal 26", "Perwali Kupang Nomor 31 Tahun 2022". :func:`other_laws` finds each such citation
with the articles written next to it, as written; only the head of an Undang-Undang with its
number is spelled out ("UU 44/2009" -> "Undang-Undang Nomor 44 Tahun 2009"), as the Pasal 17
ground is. Pasal 17 itself is always read as Pasal 17 UU 14/2008 and never taken as an article
of another law. Text that is not a citation (a pasted law text, a gloss) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_KEYWORD = re.compile(
    r"\b(?:undang[-\s]*undang|uu|peraturan|perpres|perda|perwali|perwal|perwako|perbup|pergub"
    r"|permen[a-z]*|kepmen[a-z]*|perkap|perkaba|perban|perki|pp|keppres|kepres|keputusan"
    r"|instruksi|inpres|kuhp|kuhap|kuhper|kuhperdata|qanun|surat\s+edaran)(?![a-z-])\.?",
    re.IGNORECASE,
)
_CODES = ("kuhp", "kuhap", "kuhper", "kuhperdata")  # a code is a law by its name alone
_NUMBER = re.compile(
    r"\s*(?:(?:nomor|nomer|no|nr)\b\.?\s*)?(?P<num>\d{1,4})(?:[a-z](?![a-z]))?\s*"
    r"(?:(?:tahun|thn|th)\b\.?\s*|/\s*)(?P<year>\d{4})\b",
    re.IGNORECASE,
)
# Words that may stand between the kind of regulation and its number ("Peraturan Menteri
# Kesehatan Republik Indonesia Nomor ..."); a word from this list ends the name.
_NAME_STOP = re.compile(
    r"(?:pasal|psl|ps|tentang|huruf|hrf|angka|ayat|jo|juncto|yang|dalam|sebagaimana)$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"\s+(?P<w>[A-Za-z][\w&-]*\.?)")
_MAX_NAME_WORDS = 10
_UU_NAME = re.compile(
    r"\s+(?P<name>(?!(?:KIP|No|Nomor|Pasal|Tentang|RI|Republik|Tahun)\b)[A-Z][\w-]*"
    r"(?:\s+(?!(?:Pasal|Ayat|Huruf|Angka|Jo|Dan|Nomor|Tahun)\b)[A-Z][\w-]*){0,3})"
)
_ABOUT = re.compile(r"\s*,?\s*tentang\s+(?P<about>[^;()\n\"]+)", re.IGNORECASE)
_ABOUT_END = re.compile(
    r"\s+(?:pasal|psl|ayat|huruf|angka|jo|juncto|yang|dan\s+(?:uu|undang|peraturan|pp|perda|"
    r"perwali|permen\w*))\b|[,.:]\s|[,.:]$",
    re.IGNORECASE,
)
_AND = r"(?:\s*(?:,|\bdan\b|\bserta\b|\batau\b|\bdan/atau\b))?"
_ARTICLE = (
    r"(?:pasal|psl|ps)(?![a-z])\.?\s*(?P<n>\d{1,3})[a-z]?(?![\d/])"
    rf"(?:{_AND}\s*ayat\s*(?:\(\s*\d{{1,2}}\s*\)|\d{{1,2}}))*"
    rf"(?:{_AND}\s*(?:huruf|hrf)\b\.?\s*\(?[a-z]\)?(?![\w]))*"
    rf"(?:{_AND}\s*(?:angka|butir)\b\.?\s*\d{{1,2}}(?!\d))*"
)
_ARTICLE_AFTER = re.compile(
    rf"\s*(?:,|\bdan\b|\bserta\b|\bjo\b\.?|\bjuncto\b)?\s*(?P<a>{_ARTICLE})", re.I
)
_ARTICLE_BEFORE = re.compile(rf"(?P<a>{_ARTICLE})\s*,?\s*(?:\b(?:dari|pada|dalam)\s+)?$", re.I)


def _name_end(text: str, start: int) -> tuple[int, re.Match[str] | None]:
    """Walk over the name words after the kind of regulation; return where they end and the
    number ("Nomor 31 Tahun 2022", "24/2022") if one follows within the name."""
    pos = start
    for _ in range(_MAX_NAME_WORDS + 1):
        number = _NUMBER.match(text, pos)
        if number:
            return number.end(), number
        word = _NAME_WORD.match(text, pos)
        if word is None or _NAME_STOP.match(word.group("w").rstrip(".")):
            return pos, None
        pos = word.end()
    return start, None


def _about(text: str, pos: int) -> tuple[str, int]:
    """The title after "tentang", as written, and where it ends ("", pos if none)."""
    m = _ABOUT.match(text, pos)
    if m is None:
        return "", pos
    about = m.group("about")
    cut = _ABOUT_END.search(about)
    if cut:
        about = about[: cut.start()]
    if len(about) > 120:
        about = about[:120].rsplit(" ", 1)[0]
    end = m.start("about") + len(about)
    about = about.strip(" .,;:-'\"")
    return (about, end) if about else ("", pos)


def _articles_after(text: str, pos: int) -> tuple[list[str], int]:
    found: list[str] = []
    while True:
        m = _ARTICLE_AFTER.match(text, pos)
        if m is None or int(m.group("n")) == 17:
            # "Pasal 17" after another law is still read as Pasal 17 UU 14/2008.
            return found, pos
        found.append(" ".join(m.group("a").split()))
        pos = m.end()


def _article_before(text: str, floor: int, start: int) -> tuple[str | None, int]:
    m = _ARTICLE_BEFORE.search(text, floor, start)
    if m is None or int(m.group("n")) == 17:
        return None, start
    return " ".join(m.group("a").split()), m.start()


def other_laws(text: str, kip_spans: Sequence[tuple[int, int]]) -> list[str]:
    """The citations of laws other than UU 14/2008 in ``text`` (one line, cleaned), in order.

    ``kip_spans`` are the places where ``text`` names UU 14/2008 itself; those are skipped.
    """
    found: list[str] = []
    floor = 0  # text before this belongs to an earlier citation
    for kw in _KEYWORD.finditer(text):
        if kw.start() < floor or any(a <= kw.start() < b for a, b in kip_spans):
            continue
        keyword = kw.group(0).rstrip(".").lower()
        is_uu = keyword == "uu" or keyword.startswith("undang")
        end, number = _name_end(text, kw.end())
        head: str | None = None
        if number is not None:
            head = " ".join(text[kw.start() : end].split())
            if is_uu:
                head = (
                    f"Undang-Undang Nomor {int(number.group('num'))} Tahun {number.group('year')}"
                )
        about_text, about_end = _about(text, end)
        if head is None:
            name = _UU_NAME.match(text, kw.end()) if is_uu else None
            if name is not None and not about_text:
                head = f"Undang-Undang {name.group('name').strip()}"
                end = name.end()
            elif about_text:
                head = " ".join(text[kw.start() : end].split())
                if is_uu:
                    head = "Undang-Undang"
            elif keyword in _CODES:
                head = kw.group(0).rstrip(".")
            else:
                continue  # a word such as "keputusan" in running text, not a citation
        if about_text:
            head += f" tentang {about_text}"
            end = about_end
        before, _start = _article_before(text, floor, kw.start())
        articles, end = _articles_after(text, end)
        citation = " ".join(filter(None, (before, head, *articles)))
        if citation not in found:
            found.append(citation)
        floor = end
    return found
