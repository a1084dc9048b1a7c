"""Issue 11, item 5: the date the Kepala Dinas signs is the date the bot enforces.

The approvals come days late. The Nota Dinas (signed before the Surat Dinas exists) states the
rule, never a date; the step-3 deadline is fixed once, when the Surat Dinas is signed, and that
one instant is in the signed Surat Dinas, every OPD's Form DIK, the step-3 messages and `/tugas`,
and it is the due time the bot closes step 3 by.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from bot.documents.render import document_text
from devtools.standin.driver import Person
from storage import cycles
from tests.harness import Harness

RULE = "paling lambat 5 (lima) hari kerja sejak Surat Dinas diterima"
# The Kepala Dinas signs the Surat Dinas on Friday 4 December 2026 at 14.05 WITA (four working
# days after the cycle began); five working days on is Friday 11 December, 14.05 WITA.
SIGNED_AT = datetime(2026, 12, 4, 6, 5, tzinfo=UTC)
DEADLINE = "Jumat, 11 Desember 2026 pukul 14.05 WITA"


def docs(person: Person, prefix: str) -> list[bytes]:
    return [
        m.document.data
        for m in person.inbox
        if m.document and (m.document.filename or "").startswith(prefix)
    ]


def form_title(xlsx: bytes) -> list[str]:
    ws = load_workbook(BytesIO(xlsx), read_only=True)["Form DIK"]
    return [str(row[0]) for row in ws.iter_rows(max_row=6, values_only=True) if row[0]]


async def test_late_approvals_every_document_and_the_due_time_agree(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    h.clock.advance(days=2)  # the Kepala Dinas signs the Nota Dinas two days late
    await p["kadis"].tap("✅ Setujui")
    nota = [document_text(d) for d in docs(p["petugas"], "Nota_Dinas")]
    assert len(nota) >= 2  # the draft, and the signed, numbered letter
    for text in nota:
        assert RULE in " ".join(text.split()), text
        assert "paling lambat hari" not in text

    await p["petugas"].tap("📤 Ajukan")
    draft = document_text(docs(p["kadis"], "Surat_Permintaan_DIK")[-1])
    assert "paling lambat 5 (lima) hari kerja sejak Surat Dinas ini diterima" in " ".join(
        draft.split()
    )
    blank = form_title(docs(p["kadis"], "Form_DIK")[-1])
    assert "Batas waktu pengisian: 5 (lima) hari kerja sejak Surat Dinas diterima" in blank

    h.clock.set(SIGNED_AT)  # and the Surat Dinas two more days later
    await p["kadis"].tap("✅ Setujui")

    async with h.workflow.db.read() as s:
        run = next(r for r in await cycles.open_runs(s) if r.step_no == 3)
        cycle = await cycles.get_cycle(s, run.cycle_id)
    assert cycle is not None
    assert run.due_at == cycle.collect_deadline == SIGNED_AT + timedelta(days=7)
    assert h.workflow.core.fmt_time(run.due_at) == DEADLINE

    signed = document_text(docs(p["petugas"], "Surat_Permintaan_DIK")[-1])
    assert f"paling lambat hari {DEADLINE}" in " ".join(signed.split())
    for key in ("dinkes", "bkpsdm", "disduk"):
        letter = document_text(docs(p[key], "Surat_Permintaan_DIK")[-1])
        assert f"paling lambat hari {DEADLINE}" in " ".join(letter.split()), key
        assert f"Batas waktu pengisian: {DEADLINE}" in form_title(docs(p[key], "Form_DIK")[-1])
        told = [m.text for m in p[key].inbox if "Batas waktu" in (m.text or "")]
        assert told and all(DEADLINE in t for t in told), told
        got = await p[key].say("/tugas")
        assert DEADLINE in got[-1].text

    # While step 3 is open the petugas's /tugas says what it waits for, and from when the
    # collection may be closed: the same instant.
    await p["dinkes"].tap("🚫 Nihil")
    await p["dinkes"].tap("✅ Kirim usulan")
    tasks = (await p["petugas"].say("/tugas"))[-1].text
    assert "tidak ada tugas" not in tasks
    assert (
        "Menunggu usulan PPID Pembantu: 1 dari 3 OPD sudah menjawab; belum: Badan Kepegawaian "
        "dan Pengembangan SDM, Dinas Kependudukan dan Pencatatan Sipil." in tasks
    ), tasks
    assert f"Pengumpulan dapat Anda tutup mulai {DEADLINE}" in tasks

    # The bot keeps that date: step 3 cannot be closed before it, and can at it.
    h.clock.set(SIGNED_AT + timedelta(days=7) - timedelta(minutes=1))
    got = await p["petugas"].tap_data(1, f"a:{run.id}:cls:{run.version}")
    assert "baru dapat ditutup setelah batas waktu" in got[-1].text
    assert DEADLINE in got[-1].text
    h.clock.set(SIGNED_AT + timedelta(days=7))
    got = await p["petugas"].tap_data(1, f"a:{run.id}:cls:{run.version}")
    assert any("tidak menjawab dicatat" in (m.text or "") for m in got)
