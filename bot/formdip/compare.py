"""A DIP submission held against two lists: the DIK in force (information cannot be both
public and exempted) and the OPD's own DIP in force (what was added, changed, removed).

Matching is on normalised text: case, punctuation and spacing are ignored, and a few words
every title carries ("data", "dokumen", "informasi") do not count. Two texts are similar when
the shorter one's words (at least two) are nearly all in the longer one, or when difflib finds
the two texts nearly the same letter for letter (a typo, :data:`TYPO`); "Laporan keuangan
tahunan" and "Laporan kinerja tahunan" share two words of three and are not similar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Final

from bot.formdip.model import DipRow, normalise
from bot.publish.model import PublishedItem

SIMILAR: Final = 0.8
TYPO: Final = 0.9
_FILLER: Final = frozenset(
    {"data", "dokumen", "informasi", "tentang", "dan", "atau", "yang", "di", "ke", "dari", "the"}
)


def _words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if w not in _FILLER]


def similarity(a: str, b: str) -> float:
    """0..1: how alike two informasi texts are (1.0: the same after normalising)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    sa, sb = set(wa), set(wb)
    shorter = min(len(sa), len(sb))
    overlap = len(sa & sb) / shorter if shorter >= 2 else float(sa == sb)
    ratio = SequenceMatcher(None, " ".join(wa), " ".join(wb), autojunk=False).ratio()
    return max(overlap, ratio if ratio >= TYPO else 0.0)


@dataclass(frozen=True, slots=True)
class DikItemRef:
    """One item of the DIK in force, as the comparison needs it."""

    office_code: str
    informasi: str
    dasar_hukum: str = ""


@dataclass(frozen=True, slots=True)
class DikConflict:
    """A DIP row (``index`` into the submitted rows) that matches an exempted item."""

    index: int
    row: DipRow
    dik: DikItemRef
    score: float


def against_dik(
    office_code: str,
    rows: Sequence[DipRow],
    dik_items: Sequence[DikItemRef],
    *,
    threshold: float = SIMILAR,
) -> list[DikConflict]:
    """Every row of ``office_code``'s DIP that matches an item of the same OPD in the DIK in
    force; for each row, its best match only."""
    own = [d for d in dik_items if d.office_code == office_code]
    out: list[DikConflict] = []
    for index, row in enumerate(rows):
        scored = [(similarity(row.ringkasan, d.informasi), d) for d in own]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= threshold:
            out.append(DikConflict(index, row, best[1], round(best[0], 3)))
    return out


@dataclass(frozen=True, slots=True)
class Change:
    """An entry in force and what the submission makes of it."""

    before: DipRow
    after: DipRow
    fields: tuple[str, ...]  # the names of the fields that differ


@dataclass(frozen=True, slots=True)
class DipDiff:
    added: tuple[DipRow, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[DipRow, ...] = ()
    unchanged: tuple[DipRow, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


_FIELDS: Final = (
    "ringkasan",
    "pejabat",
    "penanggung_jawab",
    "waktu_tempat",
    "bentuk",
    "retensi",
    "jenis",
)


def _differing(before: DipRow, after: DipRow) -> tuple[str, ...]:
    return tuple(
        name
        for name, old, new in zip(_FIELDS, before.content(), after.content(), strict=True)
        if old != new
    )


def diff(in_force: Sequence[DipRow], submitted: Sequence[DipRow]) -> DipDiff:
    """What ``submitted`` changes in ``in_force`` (each entry in force carries its ``ref``).

    A submitted row is paired with an entry in force by its Kode first, else by the same
    normalised ringkasan; a paired row that differs is a change; an unpaired one is added; an
    entry in force left unpaired is removed.
    """
    by_ref = {row.ref: row for row in in_force if row.ref}
    free = list(in_force)
    pairs: list[tuple[DipRow, DipRow]] = []
    added: list[DipRow] = []
    for row in submitted:
        old = by_ref.get(row.ref) if row.ref else None
        if old is None or old not in free:
            key = normalise(row.ringkasan)
            old = next((r for r in free if normalise(r.ringkasan) == key), None)
        if old is None:
            added.append(row)
            continue
        free.remove(old)
        pairs.append((old, row))
    changed = []
    unchanged = []
    for old, new in pairs:
        differing = _differing(old, new)
        if differing:
            changed.append(Change(old, new, differing))
        else:
            unchanged.append(new)
    return DipDiff(tuple(added), tuple(changed), tuple(free), tuple(unchanged))


def dik_refs(items: Sequence[PublishedItem]) -> list[DikItemRef]:
    """The DIK in force (the engine's published items) as the comparison reads it."""
    return [DikItemRef(i.opd_kode, i.informasi, i.dasar_hukum) for i in items]
