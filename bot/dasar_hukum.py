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

from bot.other_laws import other_laws
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
    #: What a careful reader cannot tell from the text and must ask the OPD (Indonesian).
    questions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the bases can be used as they are (warnings aside)."""
        return (
            bool(self.bases)
            and not self.invalid
            and not self.needs_other_law
            and not self.questions
        )


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

_ANCHOR = re.compile(r"\b(?:pasal|psl|ps)(?![a-z])\.?\s*17(?!\d)(?!\s*ayat)", re.IGNORECASE)
_OTHER_ARTICLE_END = re.compile(
    r"\b(?:pasal|psl|ps)(?![a-z])\.?\s*\d+\s*(?:ayat\s*\(?\s*\d+\s*\)?\s*)?$", re.IGNORECASE
)
_STOP = re.compile(
    r"\b(?:pasal|psl|ps)(?![a-z])\.?\s*\d+"
    r"|\b(?:undang[-\s]*undang|uu|peraturan|perpres|perda|perwali|perwal|perwako|perbup|pergub"
    r"|permen\w*|kepmen\w*|perkap|perkaba|perban|pp|keppres|kepres|perki|keputusan|instruksi"
    r"|inpres|kuhp|kuhap|kuhper\w*|qanun|surat\s+edaran)\b",
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


# A list of laws in one cell: "1. UU 14/2008 Pasal 17 huruf h" on one line, "2. UU 27/2022 ..."
# on the next. The item numbers are not angka; they become a separator.
_LIST_SEP = " ; "
_LINE_NUMBER = re.compile(r"^[ \t]*(?:\(?\d{1,2}[.)]|\(\d{1,2}\))[ \t]+(?=\S)")
_LINE_BULLET = re.compile(r"^[ \t]*[-\u2022*\u00b7\u25aa\u25cf\u25e6\u2023>][ \t]*(?=\S)")
_LINE_LETTER = re.compile(r"^[ \t]*([a-z])[.)][ \t]+(?=\S)", re.IGNORECASE)
_ANGKA_WORD_END = re.compile(r"\b(?:angka|butir|poin|point|nomor|no)\.?\s*$", re.IGNORECASE)
_FIRST_NUMBER = re.compile(r"^\s*;?\s*1[.)]\s+")
_QUOTED = re.compile(r'"[^"\n]{2,}?"')

# After a bare number that follows a letter ("(h) 3", "h.2"): what makes it an angka, and what
# makes it an item number of a list ("huruf h 2. UU 27/2022").
_ANGKA_FOLLOWS = re.compile(
    rf"\s*(?:$|[,;(/]|\b(?:dan|serta|atau|{_KIP}|huruf|hrf|angka|jo|juncto)\b"
    rf"|\.\s*(?:$|{_KIP}\b|[,;]))",
    re.IGNORECASE,
)
_LIST_FOLLOWS = re.compile(r"\s*[.)]\s*\S")
_WORDS = re.compile(r"[a-z]+")


# ---------------------------------------------------------------------------------------------
# Steps


def _clean(text: str) -> str:
    """One line, plain quotes and dashes, single spaces."""
    return " ".join(text.split())


def _unlist(text: str) -> str:
    """Replace the numbers and bullets of a list of laws by a separator.

    A line that starts with "2." (or "-", "•") starts an item; so does a lettered line when the
    lines run "a.", "b.", ... from "a". A cell that starts with "1." may run its items on one
    line ("1. ... 2. ..."). A line after "angka" keeps its number ("angka\n2").
    """
    lines = text.split("\n")
    letters = [m.group(1).lower() if (m := _LINE_LETTER.match(line)) else "" for line in lines]
    lettered: set[int] = set()
    run: list[int] = []
    for i, letter in enumerate(letters):
        if letter and letter == chr(ord("a") + len(run)):
            run.append(i)
        elif letter == "a":
            run = [i]
        if len(run) >= 2:
            lettered.update(run)
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and _ANGKA_WORD_END.search(lines[i - 1]):
            out.append(line)
            continue
        line, n = _LINE_NUMBER.subn(_LIST_SEP, line)
        if not n:
            line, n = _LINE_BULLET.subn(_LIST_SEP, line)
        if not n and i in lettered:
            line = _LINE_LETTER.sub(_LIST_SEP, line)
        out.append(line)
    joined = "\n".join(out)
    if _FIRST_NUMBER.match(text):  # "1. ... 2. ... 3. ..." on one line
        pos, n = 0, 2
        while m := re.compile(rf"(?<=[\s;,.]){n}[.)]\s+").search(joined, pos):
            before = joined[max(0, m.start() - 12) : m.start()]
            if _ANGKA_WORD_END.search(before):
                break
            joined = joined[: m.start()] + _LIST_SEP + joined[m.end() :]
            pos, n = m.start() + len(_LIST_SEP), n + 1
    return joined


def _unquote(text: str) -> str:
    """Leave out quoted text (a law's text pasted after the ground) when the citation itself
    stands outside the quotes; '"Pasal 17 huruf i" UU KIP' keeps its quotes' content."""
    if '"' not in text:
        return text
    outside = _QUOTED.sub(_LIST_SEP, text)
    if _ANCHOR.search(outside):
        return outside
    return text


def _prepare(text: str) -> str:
    """The cell as one line: plain quotes, list numbers as separators, quoted law text out."""
    if not text.isascii():
        text = text.translate(_QUOTES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _clean(_unquote(_unlist(text)))


def _is_kip(m: re.Match[str]) -> bool:
    """A match of _KIP_REF names UU 14/2008, not another law numbered 14 (UU 14/2005 tentang
    Guru dan Dosen): its year is 2008, or its topic is the KIP's, or no topic is given."""
    year, topic = m.group("year"), (m.group("topic") or "").lower()
    return year in (None, "2008", "08") or not topic or topic.startswith(("keterbukaan", "kip"))


def kip_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names UU 14/2008 itself (not another law numbered 14)."""
    return [(m.start(), m.end()) for m in _KIP_REF.finditer(text) if _is_kip(m)]


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
        year = m.group("year")
        if not _is_kip(m):
            return m.group(0)  # another law numbered 14 (e.g. UU 14/2005 tentang Guru)
        if year and year not in ("2008", "08"):
            written = m.group(0).strip()
            warnings.append(f'Tertulis "{written}"; yang dimaksud mungkin UU 14/2008.')
        return f" {_KIP} "

    lowered = text.lower()
    if "14" not in lowered and "kip" not in lowered and "keterbukaan" not in lowered:
        return text, warnings
    return _KIP_REF.sub(repl, text), warnings


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
    questions: list[str] = field(default_factory=list)
    prev: str = "anchor"
    prev_end: int = 0
    pending_range: bool = False
    follow: str = ""  # the cell's text after the current token

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
            return _number_after_letter(scan, m, n)
    return False


def _names_point(letter: str, n: int, follow: str) -> bool:
    """Whether the text after "huruf h 2." is the text of that point ("riwayat, kondisi ...")."""
    ground = GROUNDS.get(letter)
    point = ground.point(n) if ground else None
    if point is None:
        return False
    said = _WORDS.findall(follow.lower())[:2]
    return len(said) == 2 and said == _WORDS.findall(point.lower())[:2]


def _number_after_letter(scan: _Scan, m: re.Match[str], n: int) -> bool:
    """ "(h) 3", "h.2": an angka when nothing but a separator, the law or another ground
    follows; "huruf h 2. UU 27/2022": the number of the next item in a list; anything else is
    asked, never guessed."""
    letter = scan.entries[-1][0]
    token = m.group("num")
    follow = scan.follow
    if token.endswith((")", "]")) and not token.startswith(("(", "[")):
        follow = ")" + follow  # "h 2) Permen ...": the ")" ends an item number
    if _ANGKA_FOLLOWS.match(follow) or _names_point(letter, n, follow.lstrip(" .):-")):
        scan.add_angka(n)
        return True
    if _LIST_FOLLOWS.match(follow):
        scan.prev = "list"
        return False
    scan.questions.append(
        f'tidak jelas apakah "{letter} {m.group("bn")}" berarti huruf {letter} angka {n} atau '
        f'huruf {letter} lalu nomor urut {n}; tuliskan "huruf {letter} angka {n}" bila yang '
        "dimaksud angka, atau pisahkan dasar hukum dengan titik koma"
    )
    scan.prev = "list"
    return False


def _scan_segment(marked: str, start: int, end: int) -> _Scan:
    scan = _Scan()
    segment = marked[start:end]
    for m in _TOKENS.finditer(segment):
        scan.follow = marked[start + m.end() :]
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


def _foreign_anchor_questions(text: str) -> list[str]:
    """ "UU 27/2022 Pasal 17 huruf a" in a cell that never names UU 14/2008: that Pasal 17 may
    be an article of the other law, so it is asked rather than read as a ground."""
    questions: list[str] = []
    for anchor in _ANCHOR.finditer(text):
        clause = re.split(r";", text[: anchor.start()])[-1]
        laws = other_laws(clause, [])
        if laws:
            questions.append(
                f'"Pasal 17" di sini mungkin pasal dari {laws[-1]}, bukan dari UU 14/2008; '
                'tuliskan "Pasal 17 huruf … UU 14/2008" bila yang dimaksud dasar pengecualian '
                "UU 14/2008, atau pisahkan kedua peraturan dengan titik koma"
            )
    return questions


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
    prepared = _prepare(text)
    marked, warnings = _mark_kip(prepared)
    entries: list[tuple[str, list[int]]] = []
    questions: list[str] = []
    for anchor_start, start, end in _segments(marked):
        entries.extend(_letters_before(marked, anchor_start))
        scan = _scan_segment(marked, start, end)
        entries.extend(scan.entries)
        questions.extend(scan.questions)
        for letter, gloss in scan.glosses:
            warning = _gloss_warning(letter, gloss)
            if warning:
                warnings.append(warning)
    spans = kip_spans(prepared)
    if not spans:
        questions.extend(_foreign_anchor_questions(prepared))
    bases, invalid = _validate(entries)
    laws = other_laws(prepared, spans)
    letters = {b.huruf for b in bases}
    other_law = "; ".join(laws) if laws else None
    needs_other_law = "j" in letters and other_law is None
    if needs_other_law:
        warnings.append(J_NEEDS_LAW)
    acts = [law for law in laws if law.startswith(("Undang-Undang", "KUH"))]
    if not entries and acts:
        warnings.append(
            f"Tidak ada huruf Pasal 17; jika pengecualian didasarkan pada {acts[0]}, "
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
        questions=tuple(dict.fromkeys(questions)),
    )
