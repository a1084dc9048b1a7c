"""DIP rows typed in chat, for officials with only a phone.

Two ways, both checked like a Form DIP row:

- one message with a line per field, "Label: isi" (the labels the form's headers use, or
  their short words: "Ringkasan:", "Pejabat:", "Penanggung jawab:", "Waktu dan tempat:",
  "Bentuk:", "Retensi:", "Jenis:"), or the seven fields in the form's order, one per line or
  separated by "|";
- field by field (:data:`FIELD_ORDER`, :func:`parse_field`), for a guided conversation whose
  keyboard offers the choices of :data:`CHOICES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.formdip.model import (
    BENTUK_CHOICES,
    JENIS_KEYS,
    DipRow,
    jenis_choice,
    parse_bentuk,
    parse_jenis,
)
from bot.formdip.template import (
    BENTUK,
    FIELD_LABELS,
    JENIS,
    PEJABAT,
    PENANGGUNG_JAWAB,
    RETENSI,
    RINGKASAN,
    WAKTU_TEMPAT,
    classify_header,
)

MAX_FIELD_CHARS: Final = 4000
FIELD_ORDER: Final[tuple[str, ...]] = (
    RINGKASAN,
    PEJABAT,
    PENANGGUNG_JAWAB,
    WAKTU_TEMPAT,
    BENTUK,
    RETENSI,
    JENIS,
)
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    BENTUK: tuple(BENTUK_CHOICES.values()),
    JENIS: tuple(jenis_choice(k) for k in JENIS_KEYS),
}
_SHORT: Final[dict[str, str]] = {
    "ringkasan": RINGKASAN,
    "informasi": RINGKASAN,
    "pejabat": PEJABAT,
    "unit": PEJABAT,
    "penanggung jawab": PENANGGUNG_JAWAB,
    "waktu": WAKTU_TEMPAT,
    "tempat": WAKTU_TEMPAT,
    "waktu dan tempat": WAKTU_TEMPAT,
    "bentuk": BENTUK,
    "retensi": RETENSI,
    "jenis": JENIS,
}


@dataclass(frozen=True, slots=True)
class TypedRow:
    row: DipRow | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.row is not None


def parse_field(field: str, text: str) -> tuple[str | tuple[str, ...] | None, str | None]:
    """One field's value from a message: (value, None), or (None, what to fix) in Indonesian."""
    value = " ".join(text.split()) if field != RINGKASAN else text.strip()
    label = FIELD_LABELS[field]
    if not value:
        return None, f"{label} kosong."
    if len(value) > MAX_FIELD_CHARS:
        return (
            None,
            f"{label} terlalu panjang ({len(value)} karakter; maksimal {MAX_FIELD_CHARS}).",
        )
    if field == JENIS:
        jenis = parse_jenis(value)
        if jenis is None:
            return None, (
                f'{label} "{value[:40]}" tidak dikenal. Pilih: berkala (Pasal 9), serta merta '
                "(Pasal 10), atau tersedia setiap saat (Pasal 11)."
            )
        return jenis, None
    if field == BENTUK:
        bentuk = parse_bentuk(value)
        if bentuk is None:
            return (
                None,
                f'{label} "{value[:40]}" tidak dikenal. Pilih: cetak, elektronik, atau keduanya.',
            )
        return bentuk, None
    return value, None


def _label_of(line: str) -> tuple[str, str] | None:
    head, sep, rest = line.partition(":")
    if not sep or len(head) > 80:
        return None
    key = " ".join(head.lower().split())
    field = _SHORT.get(key) or classify_header(head)
    return (field, rest.strip()) if field in FIELD_ORDER else None


def _split(text: str) -> dict[str, str] | None:
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
    labelled = [_label_of(line) for line in lines]
    if lines and all(labelled):
        out: dict[str, str] = {}
        for field, value in labelled:  # type: ignore[misc]
            out[field] = f"{out[field]} {value}".strip() if field in out else value
        return out
    parts = [p.strip() for p in text.split("|")] if "|" in text else [p.strip() for p in lines]
    if len(parts) == len(FIELD_ORDER):
        return dict(zip(FIELD_ORDER, parts, strict=True))
    return None


def parse_typed_row(text: str, *, ref: str = "") -> TypedRow:
    """A whole DIP row from one message, or the list of what to fix (nothing is half-kept)."""
    fields = _split(text)
    if fields is None:
        return TypedRow(
            None,
            (
                "Format tidak dikenali. Tulis satu baris per isian, misalnya "
                '"Ringkasan: Laporan Keuangan Tahunan", lalu Pejabat, Penanggung jawab, '
                "Waktu dan tempat, Bentuk, Retensi, dan Jenis; atau ketujuh isian dipisah "
                '"|" sesuai urutan Form DIP.',
            ),
        )
    return build_row(fields, ref=ref)


def build_row(fields: Mapping[str, str], *, ref: str = "") -> TypedRow:
    """Check every field of a typed row (all of them, so one answer lists every fix)."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for field in FIELD_ORDER:
        value, problem = parse_field(field, fields.get(field, ""))
        if problem:
            problems.append(problem)
        values[field] = value
    if problems:
        return TypedRow(None, tuple(problems))
    return TypedRow(
        DipRow(
            ringkasan=str(values[RINGKASAN]),
            pejabat=str(values[PEJABAT]),
            penanggung_jawab=str(values[PENANGGUNG_JAWAB]),
            waktu_tempat=str(values[WAKTU_TEMPAT]),
            bentuk=values[BENTUK],  # type: ignore[arg-type]
            retensi=str(values[RETENSI]),
            jenis=str(values[JENIS]),
            ref=ref,
        )
    )
