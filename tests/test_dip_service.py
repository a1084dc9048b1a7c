"""The DIP acts the engine will call, played for three OPDs on a real database: one uploads
its pre-filled form (with one row matching the DIK, flagged), one types rows in chat and is
returned once, one answers "tidak ada perubahan"; then the compiled list, the Keputusan's
lampiran, the adoption as the DIP in force, the published files parsed back, and /dip."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.documents import OrgInfo, Signer, document_text
from bot.documents.dip_letters import KeputusanDip, render_keputusan_dip
from bot.formdip import DikItemRef, parse_typed_row
from bot.formdip.chat import intake_text, lookup_text, returned_text, review_text
from bot.formdip.compiled import SHEET_OPD, SHEET_SUMMARY
from bot.formdip.service import (
    accept,
    adopt,
    compiled_xlsx,
    form_for,
    keputusan_items,
    public_dip,
    resulting_lists,
    return_to_office,
    review,
    send,
    take_rows,
    take_unchanged,
    take_upload,
)
from bot.formdip.stored import fields_of
from bot.formdip.template import DATA_START_ROW, SHEET_FORM
from bot.publish.dip_files import write_public_dip
from bot.publish.dip_model import KeputusanRef
from storage import cycles, dip, people
from storage.db import Database
from tests.test_dip_publish import html_rows

NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
DIK = [DikItemRef("DINKES", "Data rekam medis pasien Puskesmas", "Pasal 17 huruf h angka 2")]


def _typed(ringkasan: str, jenis: str = "berkala") -> str:
    return (
        f"Ringkasan: {ringkasan}\nPejabat: Sekretariat\nPenanggung jawab: Sekretaris\n"
        f"Waktu dan tempat: Tahunan, Kupang\nBentuk: elektronik\nRetensi: 5 tahun\nJenis: {jenis}"
    )


def _row(text: str):  # type: ignore[no-untyped-def]
    typed = parse_typed_row(text)
    assert typed.row is not None, typed.problems
    return typed.row


@pytest.fixture
async def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    await database.dispose()


async def test_a_dip_cycle_with_three_offices(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as s:
        dinkes = await people.add_office(s, "DINKES", "Dinas Kesehatan", NOW)
        bappeda = await people.add_office(s, "BAPPEDA", "Bappeda", NOW)
        dinsos = await people.add_office(s, "DINSOS", "Dinas Sosial", NOW)
        petugas = await people.add_official(s, name="Petugas", now=NOW)
        for office, name in (
            (dinkes, "Laporan Keuangan Tahunan"),
            (dinsos, "Data penerima bansos"),
        ):
            await dip.replace_in_force(
                s, office.id, [fields_of(_row(_typed(name)))], cycle_id=None, now=NOW
            )
        cycle = await cycles.add_cycle(
            s, sop_key="dip", year=2026, title="DIP 2026", now=NOW, started_by_id=petugas
        )
        form = await form_for(s, dinkes, cycle_title="DIP 2026", deadline_text="7 Desember 2026")
    offices = [bappeda, dinkes, dinsos]

    # DINKES edits its pre-filled form: one row kept, one added that matches the DIK.
    wb = load_workbook(BytesIO(form))
    ws = wb[SHEET_FORM]
    assert ws.cell(DATA_START_ROW, 2).value == "Laporan Keuangan Tahunan"
    ws.cell(DATA_START_ROW, 7).value = "10 tahun"
    values = (
        "2",
        "Rekam medis pasien puskesmas",
        "UPT",
        "Kepala UPT",
        "Harian",
        "Cetak",
        "25 tahun",
        "Tersedia setiap saat (Pasal 11 UU 14/2008)",
    )
    for col, value in enumerate(values, start=1):
        ws.cell(DATA_START_ROW + 1, col).value = value
    buf = BytesIO()
    wb.save(buf)
    async with db.transaction() as s:
        bad = await take_upload(
            s, cycle_id=cycle.id, office=dinkes, data=b"%PDF-1.7", dik=DIK, now=NOW
        )
        assert not bad.ok and "Form DIP" in str(bad.problems[0])
        assert await dip.latest(s, cycle.id, dinkes.id) is None  # bad input stored nothing
        got = await take_upload(
            s, cycle_id=cycle.id, office=dinkes, data=buf.getvalue(), dik=DIK, now=NOW
        )
        assert got.ok and got.submission is not None
        assert [c.fields for c in got.changes.changed] == [("retensi",)]
        assert [r.ringkasan for r in got.changes.added] == ["Rekam medis pasien puskesmas"]
        assert [(c.index, c.dik.informasi) for c in got.conflicts] == [(1, DIK[0].informasi)]
        shown = intake_text("Dinas Kesehatan", got)
        assert (
            "Rekam medis pasien puskesmas" in shown
            and "mirip dengan Daftar Informasi yang Dikecualikan" in shown
        )
        await send(s, got.submission.id, now=NOW)

        # BAPPEDA types two rows; the petugas returns it; it sends again.
        typed = await take_rows(
            s,
            cycle_id=cycle.id,
            office=bappeda,
            rows=[_row(_typed("Renstra 2025-2029", "setiap saat")), _row(_typed("RKPD <2027>"))],
            dik=DIK,
            now=NOW,
        )
        assert typed.submission is not None and typed.conflicts == ()
        await send(s, typed.submission.id, now=NOW)
        seen = await review(s, cycle_id=cycle.id, office=bappeda, dik=DIK)
        assert seen is not None and len(seen.changes.added) == 2
        assert "Verifikasi DIP Bappeda" in review_text("Bappeda", seen)
        with pytest.raises(ValueError):
            await return_to_office(s, typed.submission.id, " ", actor_id=petugas, now=NOW)
        back = await return_to_office(
            s, typed.submission.id, "Tambahkan LKjIP", actor_id=petugas, now=NOW
        )
        assert "Tambahkan LKjIP" in returned_text("Bappeda", back.review_notes or "")
        again = await take_rows(
            s,
            cycle_id=cycle.id,
            office=bappeda,
            rows=[
                _row(_typed("Renstra 2025-2029", "setiap saat")),
                _row(_typed("RKPD <2027>")),
                _row(_typed("LKjIP 2025")),
            ],
            dik=DIK,
            now=NOW + timedelta(days=1),
        )
        assert again.submission is not None and again.submission.attempt == 2
        await send(s, again.submission.id, now=NOW)

        # DINSOS: no change.
        unchanged = await take_unchanged(s, cycle_id=cycle.id, office_id=dinsos.id, now=NOW)
        seen = await review(s, cycle_id=cycle.id, office=dinsos, dik=DIK)
        assert seen is not None and seen.changes.empty
        assert "tidak ada perubahan" in review_text("Dinas Sosial", seen)

        # Before acceptance every OPD keeps its list in force.
        lists = await resulting_lists(s, cycle.id, offices)
        assert [x.status.value for x in lists] == ["tidak_menjawab"] * 3
        for sub_id in (got.submission.id, again.submission.id, unchanged.id):
            await accept(s, sub_id, actor_id=petugas, now=NOW)
        lists = await resulting_lists(s, cycle.id, offices)
        assert [(x.office.code, x.status.value, len(x.rows)) for x in lists] == [
            ("BAPPEDA", "diperbarui", 3),
            ("DINKES", "diperbarui", 2),
            ("DINSOS", "tidak_berubah", 1),
        ]
    compiled = load_workbook(BytesIO(compiled_xlsx("DIP 2026", lists)))
    opd_rows = [r[0] for r in compiled[SHEET_OPD].iter_rows(min_row=5, values_only=True)]
    assert opd_rows[0] == "Bappeda (3 informasi)" and "Dinas Sosial (1 informasi)" in opd_rows
    summary = list(compiled[SHEET_SUMMARY].iter_rows(min_row=5, max_row=7, values_only=True))
    assert [r[2] for r in summary] == ["Diperbarui", "Diperbarui", "Tidak ada perubahan"]

    org = OrgInfo()
    kadis = Signer(
        "Kepala Dinas Kominfo selaku PPID Utama", "Wildrian Ronald Otta", "Pembina (IV/a)", "1986"
    )
    text = document_text(
        render_keputusan_dip(KeputusanDip(org, kadis, keputusan_items(lists), 2026))
    )
    assert "A. Bappeda" in text and "C. Dinas Sosial" in text and "RKPD <2027>" in text

    async with db.transaction() as s:
        assert sorted(await adopt(s, cycle.id, now=NOW + timedelta(days=5))) == sorted(
            [bappeda.id, dinkes.id]
        )
        published = await public_dip(
            s,
            badan_publik="Pemerintah Kota Kupang",
            ppid="Dinas Kominfo",
            keputusan=KeputusanRef("1/PPID/2026", date(2026, 12, 21), "DIP 2026", 2026),
            now=NOW + timedelta(days=5),
            dik_page="dik-2026.html",
        )
        entries = await dip.in_force(s)
    write_public_dip(tmp_path, published)
    data = json.loads((tmp_path / "dip-2026.json").read_text())
    assert [(i["opd"]["kode"], i["ringkasan"]) for i in data["items"]] == [
        ("BAPPEDA", "Renstra 2025-2029"),
        ("BAPPEDA", "RKPD <2027>"),
        ("BAPPEDA", "LKjIP 2025"),
        ("DINKES", "Laporan Keuangan Tahunan"),
        ("DINKES", "Rekam medis pasien puskesmas"),
        ("DINSOS", "Data penerima bansos"),
    ]
    assert [r[2] for r in html_rows((tmp_path / "dip-2026.html").read_text())] == [
        i["ringkasan"] for i in data["items"]
    ]
    assert "RKPD &lt;2027&gt;" in lookup_text(entries, "bappeda rkpd")
    assert "0 dari 6 informasi" in lookup_text(entries, "tidak ada")
    assert "<b>6</b> dari 6" in lookup_text(entries, "")
    assert "Belum ada Daftar Informasi Publik" in lookup_text([], "")
