"""Between the DIP rows of the form and the records of `storage.dip`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.formdip.model import DipRow
from storage.dip import NewDipRow
from storage.dto import DipEntryDTO, DipFieldsDTO, DipSubmissionRowDTO


def fields_of(row: DipRow) -> DipFieldsDTO:
    return DipFieldsDTO(
        ringkasan=row.ringkasan,
        pejabat=row.pejabat,
        penanggung_jawab=row.penanggung_jawab,
        waktu_tempat=row.waktu_tempat,
        bentuk=row.bentuk,
        retensi=row.retensi,
        jenis=row.jenis,
    )


def _row(f: DipFieldsDTO, ref: str, source_row: int | None = None) -> DipRow:
    return DipRow(
        ringkasan=f.ringkasan,
        pejabat=f.pejabat,
        penanggung_jawab=f.penanggung_jawab,
        waktu_tempat=f.waktu_tempat,
        bentuk=f.bentuk,
        retensi=f.retensi,
        jenis=f.jenis,
        ref=ref,
        source_row=source_row,
    )


def row_of_entry(entry: DipEntryDTO) -> DipRow:
    """An entry in force as a form row, its Kode set (so the pre-filled form ties back)."""
    return _row(entry.fields, entry.ref)


def row_of_submitted(row: DipSubmissionRowDTO) -> DipRow:
    return _row(row.fields, row.ref, row.source_row)


def new_rows(rows: Sequence[DipRow]) -> list[NewDipRow]:
    """Form rows as storage takes them."""
    return [NewDipRow(fields_of(r), r.ref, r.source_row) for r in rows]
