"""Understand the "Dasar Hukum Pengecualian" text that an OPD typed or pasted.

Published DIK tables write the legal basis in many ways: several letters in one cell, letters
in parentheses, numbers spelled out, other laws (with their own "huruf") in the same cell,
pasted law text, typos in the law number. :func:`parse_dasar_hukum` reads what a careful
human reader would read: only the letters that follow "Pasal 17" are Pasal 17 grounds; what
is truly ambiguous is reported (``needs_choice``, ``invalid``, ``warnings``) instead of guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.pasal17 import GROUNDS, Basis, is_valid

# ---------------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class ParsedBasis:
    """What a legal-basis cell says, normalised; ``original`` keeps the text as written."""

    original: str
    bases: tuple[Basis, ...] = ()
    other_law: str | None = None
    warnings: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    needs_choice: bool = False
    needs_other_law: bool = False

    @property
    def ok(self) -> bool:
        """True when the bases can be used as they are (warnings aside)."""
        return bool(self.bases) and not self.invalid and not self.needs_other_law


# ---------------------------------------------------------------------------------------------
# Vocabulary

J_NEEDS_LAW = "Huruf j memerlukan nama Undang-Undang lain yang menjadi dasar pengecualian."

_NUM_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}
_NUM = r"(?:\d{1,2}|" + "|".join(_NUM_WORDS) + r")"

_KIP = "KIPREF"  # placeholder for a reference to UU 14/2008 itself

_UU_PREFIX = r"\b(?:undang[-\s]*undang|uu)(?![a-z])\.?\s*(?:republik\s+indonesia\s*|ri\b\.?\s*)?"
_NOMOR = r"(?:(?:nomor|nomer|no|nr)\b\.?\s*)"

_KIP_REF = re.compile(
    rf"(?:{_UU_PREFIX}{_NOMOR}?|\b(?:nomor|no)\b\.?\s*)"
    r"14\s*(?:(?:tahun|thn|th)\b\.?\s*|/\s*)(?P<year>\d{4}|\d{2})\b"
    r"(?:\s*tentang\s+(?P<topic>keterbukaan\s+informasi\s+publik|\w+))?"
    r"|\buu\s*-?\s*kip\b"
    r"|\b(?:undang[-\s]*undang|uu)\s+(?:tentang\s+)?keterbukaan\s+informasi\s+publik\b",
    re.IGNORECASE,
)

_OTHER_UU = re.compile(
    rf"{_UU_PREFIX}{_NOMOR}?(?P<num>\d{{1,3}})\s*(?:(?:tahun|thn|th)\b\.?\s*|/\s*)"
    r"(?P<year>\d{4})\b(?:\s*tentang\s+(?P<about>[^;()\n\"]+))?"
    r"|\b(?:undang[-\s]*undang|uu)\s+tentang\s+(?P<about2>[^;()\n\"]+)"
    r"|\bUU\s+(?P<name>(?!(?:KIP|No|Nomor|Pasal|Tentang|RI|Republik)\b)(?-i:[A-Z][\w-]*)"
    r"(?:\s+(?!(?:Pasal|Ayat|Huruf|Angka|Jo|Dan|Nomor)\b)(?-i:[A-Z][\w-]*)){0,3})",
    re.IGNORECASE,
)
_ABOUT_END = re.compile(
    r"\s+(?:pasal|psl|ayat|huruf|angka|jo|juncto|dan\s+(?:uu|undang)|yang)\b|[,.:]\s",
    re.IGNORECASE,
)

_ANCHOR = re.compile(r"\b(?:pasal|psl|ps)(?![a-z])\.?\s*17(?!\d)(?!\s*ayat)", re.IGNORECASE)
_OTHER_ARTICLE_END = re.compile(
    r"\b(?:pasal|psl|ps)(?![a-z])\.?\s*\d+\s*(?:ayat\s*\(?\s*\d+\s*\)?\s*)?$", re.IGNORECASE
)
_STOP = re.compile(
    r"\b(?:pasal|psl|ps)(?![a-z])\.?\s*\d+"
    r"|\b(?:undang[-\s]*undang|uu|peraturan|perpres|perda|perwali|perwal|perbup|pergub"
    r"|permen\w*|kepmen\w*|perkap|perkaba|pp|keppres|perki|keputusan|instruksi|inpres|kuhp|kuhap)\b",
    re.IGNORECASE,
)
_BEFORE_ANCHOR = re.compile(
    rf"\b(?:huruf|hurf|hruf|hrf)\b\.?\s*\(?\s*(?P<hl>[a-z])\s*\)?"
    rf"(?:\s*(?:angka|butir|poin|point)\b\.?\s*\(?\s*(?P<an>{_NUM})\s*\)?)?"
    r"\s*(?:,|dari|pada)?\s*$",
    re.IGNORECASE,
)

_TOKENS = re.compile(
    rf"""
      (?P<huruf>\b(?:huruf|hurf|hruf|hrf|hr)\b\.?\s*[(\[]?\s*(?P<hl>[a-z])(?![a-z0-9])\s*[)\]]?)
    | (?P<angka>\b(?:angka|butir|poin|point|ayat|nomor|no)\b\.?\s*[(\[]?\s*
         (?P<an>{_NUM})(?![a-z0-9])\s*[)\]]?)
    | (?P<paren>\(\s*(?P<pl>[a-z])\s*\))
    | (?P<gloss>\((?P<gt>[^()]{{3,}})\))
    | (?P<range>(?<![a-z])(?:s\.?\s*/?\s*d\.?|sampai(?:\s+dengan)?|hingga)(?![a-z]))
    | (?P<bare>(?<![\w-])(?P<bl>[a-z])(?![\w-])(?!\.[a-z])[.)]?)
    | (?P<num>(?<![\w/-])[(\[]?(?P<bn>{_NUM})(?![\w/-])[)\]]?)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_GAP_OK = re.compile(
    rf"^(?:[\s,;:/&.+\-]|\b(?:dan|serta|atau|dan/atau|jo|juncto|{_KIP})\b)*$", re.IGNORECASE
)
_GAP_LIST = re.compile(r"^(?:[\s,;/&]|\b(?:dan|serta|atau)\b)*$", re.IGNORECASE)
_GAP_TIGHT = re.compile(r"^\s*\.?\s*$")

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)

# The common, well-formed cell ("Pasal 17 huruf h angka 2 UU 14/2008"): read without the
# general scanner. Anything else takes the general path.
_FAST = re.compile(
    r"pasal\s*17\s+huruf\s+(?P<hl>[a-j])(?:\s+angka\s+(?P<an>[1-7]))?"
    r"(?:\s*,?\s*(?:uu\s*(?:no\.?\s*|nomor\s*)?14\s*(?:/|\s+tahun\s+)2008|uu\s*kip"
    r"|undang-undang\s+nomor\s+14\s+tahun\s+2008)"
    r"(?:\s+tentang\s+keterbukaan\s+informasi\s+publik)?)?\s*\.?",
    re.IGNORECASE,
)

# Words in a parenthesised gloss that point to one ground; used only for a warning.
# fmt: off
_GLOSS_WORDS: dict[str, tuple[str, ...]] = {
    "a": ("penegakan hukum", "penyelidikan", "penyidikan", "tindak pidana", "informan",
          "pelapor", "saksi", "korban", "penegak hukum", "kriminal"),
    "b": ("kekayaan intelektual", "hak cipta", "paten", "merek", "persaingan usaha",
          "rahasia dagang", "haki"),
    "c": ("pertahanan", "keamanan negara", "militer", "pangkalan", "persandian",
          "intelijen negara"),
    "d": ("kekayaan alam", "sumber daya alam"),
    "e": ("ekonomi", "mata uang", "nilai tukar", "suku bunga", "pajak", "tarif", "investasi",
          "perbankan", "pencetakan uang", "lembaga keuangan"),
    "f": ("luar negeri", "diplomatik", "internasional"),
    "g": ("akta", "wasiat", "kemauan terakhir"),
    "h": ("pribadi", "kesehatan", "medis", "keluarga", "rekening", "keuangan seseorang",
          "pendidikan", "riwayat", "evaluasi", "kepegawaian", "identitas"),
    "i": ("memorandum", "surat-surat", "nota dinas", "antar badan publik", "intra badan publik"),
    "j": ("undang-undang",),
}
# fmt: on


# ---------------------------------------------------------------------------------------------
# Steps


def _clean(text: str) -> str:
    """One line, plain quotes and dashes, single spaces."""
    if not text.isascii():
        text = text.translate(_QUOTES)
    return " ".join(text.split())


def _fast_path(text: str) -> ParsedBasis | None:
    m = _FAST.fullmatch(text.strip())
    if m is None:
        return None
    letter = m.group("hl").lower()
    angka = int(m.group("an")) if m.group("an") else None
    if letter == "j" or not is_valid(letter, angka):
        return None  # let the general path explain it
    return ParsedBasis(original=text.strip(), bases=(Basis(letter, angka),))


def _to_int(word: str) -> int:
    word = word.lower()
    return _NUM_WORDS[word] if word in _NUM_WORDS else int(word)


def _mark_kip(text: str) -> tuple[str, list[str]]:
    """Replace references to UU 14/2008 by a placeholder; warn about a wrong year."""
    warnings: list[str] = []

    def repl(m: re.Match[str]) -> str:
        year, topic = m.group("year"), m.group("topic")
        if topic and not topic.lower().startswith("keterbukaan"):
            return m.group(0)  # another law numbered 14 (e.g. UU 14/2005 tentang Guru)
        if year and year not in ("2008", "08"):
            written = m.group(0).strip()
            warnings.append(f'Tertulis "{written}"; yang dimaksud mungkin UU 14/2008.')
        return f" {_KIP} "

    lowered = text.lower()
    if "14" not in lowered and "kip" not in lowered and "keterbukaan" not in lowered:
        return text, warnings
    return _KIP_REF.sub(repl, text), warnings


def _cut_about(about: str) -> str:
    cut = _ABOUT_END.search(about)
    if cut:
        about = about[: cut.start()]
    about = about.strip(" .,;:-'\"")
    if len(about) > 80:
        about = about[:80].rsplit(" ", 1)[0]
    return about


def _other_laws(marked: str) -> list[str]:
    """Names of Undang-Undang other than UU 14/2008, normalised where the number is given."""
    found: list[str] = []
    for m in _OTHER_UU.finditer(marked):
        if m.group("num"):
            name = f"Undang-Undang Nomor {int(m.group('num'))} Tahun {m.group('year')}"
            about = _cut_about(m.group("about") or "")
            if about:
                name += f" tentang {about}"
        elif m.group("about2"):
            about = _cut_about(m.group("about2"))
            name = f"Undang-Undang tentang {about}" if about else ""
        else:
            name = f"Undang-Undang {m.group('name').strip()}"
        if name and name not in found:
            found.append(name)
    return found


def _segments(marked: str) -> list[tuple[int, int, int]]:
    """For each "Pasal 17": its start, and the span after it up to the next article or law."""
    spans: list[tuple[int, int, int]] = []
    for anchor in _ANCHOR.finditer(marked):
        start, end = anchor.end(), len(marked)
        for stop in _STOP.finditer(marked, start):
            inside = marked[start : stop.start()]
            if inside.count("(") <= inside.count(")"):
                end = stop.start()
                break
        spans.append((anchor.start(), start, end))
    return spans


@dataclass
class _Scan:
    """Mutable state while reading one segment."""

    entries: list[tuple[str, list[int]]] = field(default_factory=list)
    glosses: list[tuple[str, str]] = field(default_factory=list)
    prev: str = "anchor"
    prev_end: int = 0
    pending_range: bool = False

    def add_letter(self, letter: str) -> None:
        self.entries.append((letter.lower(), []))
        self.prev = "letter"

    def add_angka(self, n: int) -> None:
        points = self.entries[-1][1]
        if self.pending_range and points and points[-1] < n <= points[-1] + 20:
            points.extend(range(points[-1] + 1, n + 1))
        else:
            points.append(n)
        self.pending_range = False
        self.prev = "angka"


def _accept(scan: _Scan, m: re.Match[str], gap: str) -> bool:
    """Apply one token to the scan; return whether it belongs to the Pasal 17 reference."""
    if m.group("hl") or m.group("pl"):
        scan.add_letter(m.group("hl") or m.group("pl"))
        return True
    has_letter = bool(scan.entries) and scan.prev in ("letter", "angka")
    if m.group("an"):
        if has_letter and _GAP_OK.match(gap):
            scan.add_angka(_to_int(m.group("an")))
            return True
        return False
    if m.group("gt"):
        if has_letter and _GAP_OK.match(gap):
            scan.glosses.append((scan.entries[-1][0], m.group("gt").strip()))
            return True
        return False
    return _accept_bare(scan, m, gap)


def _accept_bare(scan: _Scan, m: re.Match[str], gap: str) -> bool:
    """Bare letters and numbers count only inside a list: "huruf a, c", "angka 1, 2 dan 3"."""
    if m.group("range"):
        if scan.prev == "angka" and _GAP_LIST.match(gap):
            scan.pending_range = True
            return True
        return False
    if m.group("bl"):
        if scan.prev in ("anchor", "letter", "angka") and _GAP_LIST.match(gap):
            scan.add_letter(m.group("bl"))
            return True
        return False
    if m.group("bn"):
        n = _to_int(m.group("bn"))
        if scan.prev == "angka" and _GAP_LIST.match(gap):
            scan.add_angka(n)
            return True
        if scan.prev == "letter" and _GAP_TIGHT.match(gap):
            scan.add_angka(n)
            return True
    return False


def _scan_segment(segment: str) -> _Scan:
    scan = _Scan()
    for m in _TOKENS.finditer(segment):
        if _accept(scan, m, segment[scan.prev_end : m.start()]):
            scan.prev_end = m.end()
    return scan


def _letters_before(marked: str, anchor_start: int) -> list[tuple[str, list[int]]]:
    """Support the reversed order "huruf h angka 2 Pasal 17 UU 14/2008"."""
    window_start = max(0, anchor_start - 60)
    window = marked[window_start:anchor_start].lower()
    if "hr" not in window and "hur" not in window:
        return []
    m = _BEFORE_ANCHOR.search(marked, window_start, anchor_start)
    if not m or _OTHER_ARTICLE_END.search(marked[: m.start()].rstrip(" ,")):
        return []  # no letter, or it belongs to another article ("Pasal 32 huruf i")
    angka = [_to_int(m.group("an"))] if m.group("an") else []
    return [(m.group("hl").lower(), angka)]


def _gloss_warning(letter: str, gloss: str) -> str | None:
    text = gloss.lower()
    pointed = {key for key, words in _GLOSS_WORDS.items() if any(w in text for w in words)}
    if not pointed or letter in pointed or letter not in GROUNDS:
        return None
    title = GROUNDS[letter].title.lower()
    return (
        f'Keterangan "({gloss})" tidak sesuai dengan huruf {letter} ({title}); '
        "mohon periksa kembali hurufnya."
    )


def _validate(entries: list[tuple[str, list[int]]]) -> tuple[list[Basis], list[str]]:
    """Turn letters and points into valid bases and messages about the invalid ones."""
    bases: list[Basis] = []
    invalid: list[str] = []
    for letter, points in entries:
        ground = GROUNDS.get(letter)
        if ground is None:
            invalid.append(f"huruf {letter} tidak ada di Pasal 17 (hanya huruf a sampai j)")
            continue
        if not points:
            bases.append(Basis(letter, None))
        for n in points:
            if ground.point(n) is not None:
                bases.append(Basis(letter, n))
            elif not ground.points:
                invalid.append(f"huruf {letter} tidak memiliki angka (tertulis angka {n})")
            else:
                invalid.append(
                    f"huruf {letter} hanya memiliki angka 1 sampai {len(ground.points)} "
                    f"(tertulis angka {n})"
                )
    return _dedupe(bases), list(dict.fromkeys(invalid))


def _dedupe(bases: list[Basis]) -> list[Basis]:
    with_points = {b.huruf for b in bases if b.angka is not None}
    kept = [b for b in bases if b.angka is not None or b.huruf not in with_points]
    return list(dict.fromkeys(kept))


# ---------------------------------------------------------------------------------------------
# Public API


@lru_cache(maxsize=2048)
def parse_dasar_hukum(text: str) -> ParsedBasis:
    """Read the Pasal 17 UU 14/2008 grounds out of a free-text legal-basis cell."""
    fast = _fast_path(text)
    if fast is not None:
        return fast
    original = text.strip()
    marked, warnings = _mark_kip(_clean(text))
    entries: list[tuple[str, list[int]]] = []
    for anchor_start, start, end in _segments(marked):
        entries.extend(_letters_before(marked, anchor_start))
        scan = _scan_segment(marked[start:end])
        entries.extend(scan.entries)
        for letter, gloss in scan.glosses:
            warning = _gloss_warning(letter, gloss)
            if warning:
                warnings.append(warning)
    bases, invalid = _validate(entries)
    laws = _other_laws(marked)
    letters = {b.huruf for b in bases}
    other_law = "; ".join(laws) if laws and ("j" in letters or not entries) else None
    needs_other_law = "j" in letters and other_law is None
    if needs_other_law:
        warnings.append(J_NEEDS_LAW)
    if not entries and laws:
        warnings.append(
            f"Tidak ada huruf Pasal 17; jika pengecualian didasarkan pada {laws[0]}, "
            "pilih huruf j."
        )
    return ParsedBasis(
        original=original,
        bases=tuple(bases),
        other_law=other_law,
        warnings=tuple(dict.fromkeys(warnings)),
        invalid=tuple(invalid),
        needs_choice=not entries,
        needs_other_law=needs_other_law,
    )
