"""The DIP in force and the OPDs' submissions (storage/dip.py), on SQLite or PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.formdip import DipRow, diff
from bot.formdip.stored import fields_of, new_rows, row_of_entry, row_of_submitted
from storage import cycles, dip, people
from storage.db import Database

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def row(ringkasan: str, jenis: str = "berkala", retensi: str = "5 tahun") -> DipRow:
    return DipRow(
        ringkasan, "Sekretariat", "Sekretaris", "Tahunan, Kupang", ("cetak",), retensi, jenis
    )


async def _setup(db: Database) -> tuple[int, int, int]:
    async with db.transaction() as s:
        office = await people.add_office(s, "DINKES", "Dinas Kesehatan", NOW)
        petugas = await people.add_official(s, name="Petugas", now=NOW)
        cycle = await cycles.add_cycle(
            s, sop_key="dip", year=2026, title="DIP 2026", now=NOW, started_by_id=petugas
        )
    return office.id, cycle.id, petugas


async def test_in_force_replaced_and_kept(db_url: str) -> None:
    db = Database(db_url)
    try:
        office, cycle, _ = await _setup(db)
        async with db.transaction() as s:
            first = await dip.replace_in_force(
                s, office, [fields_of(row("Laporan keuangan"))], cycle_id=None, now=NOW
            )
        assert [e.fields.ringkasan for e in first] == ["Laporan keuangan"]
        assert first[0].ref == f"DIP-{first[0].id}"
        assert first[0].fields.bentuk == ("cetak",)
        async with db.transaction() as s:
            await dip.replace_in_force(
                s,
                office,
                [fields_of(row("Renstra")), fields_of(row("LKjIP"))],
                cycle_id=cycle,
                now=NOW + timedelta(days=1),
            )
        async with db.read() as s:
            now_in_force = await dip.in_force(s)
        assert [e.fields.ringkasan for e in now_in_force] == ["Renstra", "LKjIP"]
        assert {e.set_in_cycle_id for e in now_in_force} == {cycle}
        assert now_in_force[0].office_code == "DINKES"
    finally:
        await db.dispose()


async def test_submission_review_return_resubmit_adopt(db_url: str) -> None:
    db = Database(db_url)
    try:
        office, cycle, petugas = await _setup(db)
        async with db.transaction() as s:
            entries = await dip.replace_in_force(
                s, office, [fields_of(row("Laporan keuangan"))], cycle_id=None, now=NOW
            )
        old = [row_of_entry(e) for e in entries]
        edited = [
            DipRow(**{**_asdict(old[0]), "retensi": "10 tahun"}),
            row("Daftar aset"),
        ]
        async with db.transaction() as s:
            draft = await dip.save_draft(
                s, cycle, office, new_rows(edited), source="upload", now=NOW
            )
            assert draft.status == dip.DRAFT and draft.attempt == 1
            # A second save of the draft replaces its rows, in the same attempt.
            draft = await dip.save_draft(
                s, cycle, office, new_rows(edited), source="upload", now=NOW
            )
            assert len(draft.rows) == 2 and draft.attempt == 1
            sent = await dip.submit(s, draft.id, now=NOW)
            assert sent.status == dip.SUBMITTED
            with pytest.raises(dip.DipStateError):
                await dip.save_draft(s, cycle, office, [], source="chat", now=NOW)
            with pytest.raises(ValueError):
                await dip.return_with_notes(s, sent.id, "  ", actor_id=petugas, now=NOW)
            back = await dip.return_with_notes(
                s, sent.id, "Lengkapi retensi", actor_id=petugas, now=NOW
            )
            assert back.status == dip.RETURNED and back.review_notes == "Lengkapi retensi"
        got = [row_of_submitted(r) for r in back.rows]
        change = diff(old, got)
        assert [c.fields for c in change.changed] == [("retensi",)]
        assert [r.ringkasan for r in change.added] == ["Daftar aset"]
        async with db.transaction() as s:
            again = await dip.save_draft(
                s, cycle, office, new_rows(edited[:1]), source="chat", now=NOW
            )
            assert again.attempt == 2
            await dip.submit(s, again.id, now=NOW)
            with pytest.raises(dip.DipStateError):
                await dip.submit(s, again.id, now=NOW)
            await dip.accept(s, again.id, actor_id=petugas, now=NOW)
            latest = await dip.latest_per_office(s, cycle)
            assert [(x.attempt, x.status) for x in latest] == [(2, dip.ACCEPTED)]
            assert await dip.adopt_accepted(s, cycle, now=NOW) == [office]
        async with db.read() as s:
            final = await dip.in_force(s, office)
        assert [(e.fields.ringkasan, e.fields.retensi) for e in final] == [
            ("Laporan keuangan", "10 tahun")
        ]
    finally:
        await db.dispose()


async def test_unchanged_keeps_the_list(db_url: str) -> None:
    db = Database(db_url)
    try:
        office, cycle, petugas = await _setup(db)
        async with db.transaction() as s:
            await dip.replace_in_force(
                s, office, [fields_of(row("Renstra"))], cycle_id=None, now=NOW
            )
            with pytest.raises(ValueError):
                await dip.save_draft(
                    s, cycle, office, new_rows([row("x")]), source="chat", unchanged=True, now=NOW
                )
            sub = await dip.save_draft(
                s, cycle, office, [], source="chat", unchanged=True, now=NOW
            )
            await dip.submit(s, sub.id, now=NOW)
            await dip.accept(s, sub.id, actor_id=petugas, now=NOW)
            assert await dip.adopt_accepted(s, cycle, now=NOW) == []
            assert [e.fields.ringkasan for e in await dip.in_force(s)] == ["Renstra"]
    finally:
        await db.dispose()


def _asdict(r: DipRow) -> dict[str, object]:
    return {name: getattr(r, name) for name in DipRow.__slots__}  # type: ignore[attr-defined]
