"""The workflow engine without Telegram: its public methods, called with telegram user ids.

Every test runs on a real, migrated database (SQLite, or PostgreSQL when DIK_TEST_DATABASE_URL
is set) with a ManualClock. Assertions look at the refusal codes and at the stored state, not
only at the Indonesian text.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_workflow
from bot.clock import ManualClock
from bot.config import load_settings
from bot.pasal17 import Basis
from bot.sop.kinds import PHASES
from bot.workflow import Outcome, TypedRow, Workflow
from bot.workflow import callback_data as cbdata
from storage import audit, cycles, documents, outbox, people, proposals
from storage.db import Database
from storage.dto import CycleDTO, StepRunDTO
from storage.models import AuditEntry, Base, Document

PETUGAS, KADIS, ASDA = 1001, 1002, 1003
DINKES, BKPSDM = 2001, 2002
KETUA, ANGGOTA = 3001, 3002
WALIKOTA, DPRD, ADMIN = 4001, 5001, 9001
STRANGER = 7777

OFFICES = [("DINKES", "Dinas Kesehatan"), ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM")]
# (telegram id, name, role, office code, ketua)
OFFICIALS = [
    (PETUGAS, "Lumongga Simanjuntak", "petugas", None, False),
    (KADIS, "Wildrian Otta", "kepala_dinas", None, False),
    (ASDA, "Admiral Manafe", "atasan_ppid", None, False),
    (DINKES, "Maria Bria", "ppid_pembantu", "DINKES", False),
    (BKPSDM, "Yosef Lake", "ppid_pembantu", "BKPSDM", False),
    (KETUA, "Adrianus Ndun", "tim_uk", None, True),
    (ANGGOTA, "Febri Tallo", "tim_uk", None, False),
    (WALIKOTA, "George Melkianus", "walikota", None, False),
    (DPRD, "Sekretariat DPRD", "dprd", None, False),
    (ADMIN, "Admin PPID", "admin", None, False),
]
ROWS = [
    TypedRow(
        informasi="Berkas penilaian kinerja pegawai",
        dasar_hukum="",
        bases=(Basis("h", 4),),
        other_law=None,
        konsekuensi_dibuka="Mengungkap evaluasi kemampuan seseorang",
        konsekuensi_ditutup="Melindungi hak pribadi pegawai",
        jangka_waktu="5 tahun",
    ),
    TypedRow(
        informasi="Data rekening gaji pegawai",
        dasar_hukum="",
        bases=(Basis("h", 3),),
        other_law=None,
        konsekuensi_dibuka="Rekening dapat disalahgunakan",
        konsekuensi_ditutup="Melindungi keuangan pribadi",
        jangka_waktu="Tidak terbatas",
    ),
]


# --- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture
async def wf(db_url: str, clock: ManualClock) -> AsyncIterator[Workflow]:
    """The engine over an empty migrated database, with two OPDs and one official per role."""
    settings = load_settings(_env_file=None, database_url=db_url)
    db = Database(db_url)
    workflow = build_workflow(settings, db, clock)
    now = clock.now()
    async with db.transaction() as s:
        office_ids = {}
        for code, name in OFFICES:
            office_ids[code] = (await people.add_office(s, code, name, now)).id
        for tg, name, role, office, lead in OFFICIALS:
            office_id = office_ids[office] if office else None
            oid = await people.add_official(
                s, name=name, now=now, telegram_user_id=tg, office_id=office_id
            )
            await people.add_role(s, oid, role, now, office_id=office_id, is_lead=lead)
    try:
        yield workflow
    finally:
        await db.dispose()


def refused(outcome: Outcome, code: str) -> None:
    assert not outcome.ok, outcome.text
    assert outcome.data.get("refused") == code, (outcome.data, outcome.text)
    assert outcome.text


def ok(outcome: Outcome) -> Outcome:
    assert outcome.ok, (outcome.data, outcome.text)
    return outcome


async def snapshot(wf: Workflow) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of every table (the audit log apart: refused attempts are logged),
    once the documents queued by earlier acts are rendered (the worker's own writes)."""
    await wf.core.renders.drain()
    out = {}
    async with wf.db.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            rows = await s.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [
                tuple(hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in row)
                for row in rows
            ]
    return out


async def all_cycles(wf: Workflow) -> list[CycleDTO]:
    async with wf.db.read() as s:
        return await cycles.all_cycles(s)


async def cycle_of(wf: Workflow, cycle_id: int) -> CycleDTO:
    async with wf.db.read() as s:
        cycle = await cycles.get_cycle(s, cycle_id)
    assert cycle is not None
    return cycle


async def runs(wf: Workflow, cycle_id: int) -> list[StepRunDTO]:
    async with wf.db.read() as s:
        return await cycles.runs_of(s, cycle_id)


async def open_run(wf: Workflow, cycle_id: int) -> StepRunDTO:
    async with wf.db.read() as s:
        found = await cycles.open_runs(s, cycle_id)
    assert len(found) == 1, found
    return found[0]


async def pending(wf: Workflow) -> list[Any]:
    await wf.core.renders.drain()  # the documents of the acts: a message waits for its document
    async with wf.db.read() as s:
        return await outbox.pending(s, limit=10_000)


async def new_messages(wf: Workflow, before: int) -> list[Any]:
    """Outbox rows written after the row with id `before`."""
    return [m for m in await pending(wf) if m.id > before]


async def last_message_id(wf: Workflow) -> int:
    msgs = await pending(wf)
    return msgs[-1].id if msgs else 0


async def official_id(wf: Workflow, tg: int) -> int:
    async with wf.db.read() as s:
        person = await people.person_by_telegram(s, tg, wf.core.today())
    assert person is not None
    return person.id


def callback_data(buttons: list[list[list[str]]]) -> list[str]:
    return [data for row in buttons for _label, data in row]


async def start(wf: Workflow, year: int = 2026) -> int:
    return ok(await wf.acts.start_cycle(PETUGAS, year)).data["cycle_id"]


async def act(
    wf: Workflow, tg: int, cycle_id: int, action: str, *, reason: str | None = None
) -> Outcome:
    run = await open_run(wf, cycle_id)
    return await wf.acts.act(tg, run.id, action, run.version, reason=reason)


async def jump_to(wf: Workflow, cycle_id: int, step_no: int, phase: str | None = None) -> None:
    """Open `step_no` (or one of its later phases) at once, as if the steps before were done.

    The engine itself opens it (due time, announcements, documents); only the earlier steps,
    tested elsewhere, are skipped to keep the file fast."""
    async with wf.db.transaction() as s:
        for run in await cycles.open_runs(s, cycle_id):
            assert await cycles.close_run(
                s, run, outcome="skipped", actor_id=None, now=wf.core.now()
            )
        cycle = await cycles.get_cycle(s, cycle_id)
        assert cycle is not None
        step = wf.core.sop.step(step_no)
        if phase is None:
            await wf.core.begin_step(s, cycle, step, actor=None)
            return
        await cycles.set_cycle_step(s, cycle_id, step.key, step_no)
        await wf.core.begin_phase(s, cycle, step, PHASES[phase], 1, actor=None)


async def to_step_3(wf: Workflow) -> int:
    cycle_id = await start(wf)
    await jump_to(wf, cycle_id, 3)
    assert (await cycle_of(wf, cycle_id)).current_step == 3
    return cycle_id


async def answer_nihil(wf: Workflow, tg: int, cycle_id: int) -> Outcome:
    run = await open_run(wf, cycle_id)
    draft = ok(await wf.collect.declare_nihil(tg, run.id, run.version))
    return await wf.collect.submit_proposal(tg, draft.data["proposal_id"])


async def type_rows(wf: Workflow, tg: int, cycle_id: int, rows: list[TypedRow]) -> int:
    run = await open_run(wf, cycle_id)
    pid = ok(await wf.collect.start_typed(tg, run.id, run.version)).data["proposal_id"]
    for row in rows:
        ok(await wf.collect.add_typed_row(tg, pid, row))
    return pid


# --- starting a cycle -------------------------------------------------------------------------
async def test_start_cycle_roles_years_step_1_and_tambahan(
    wf: Workflow,
) -> None:
    # Only the petugas starts a cycle, and only for a plausible year.
    before = await snapshot(wf)
    refused(await wf.acts.start_cycle(KADIS, 2026), "wrong_role")
    refused(await wf.acts.start_cycle(DINKES, 2026), "wrong_role")
    refused(await wf.acts.start_cycle(STRANGER, 2026), "not_registered")
    for year in (0, 1999, 2101, 20260, -2026):
        refused(await wf.acts.start_cycle(PETUGAS, year), "bad_year")
    assert await snapshot(wf) == before
    assert await all_cycles(wf) == []

    got = ok(await wf.acts.start_cycle(PETUGAS, 2026))
    assert "DIK 2026" in got.text
    (cycle,) = await all_cycles(wf)
    assert got.data["cycle_id"] == cycle.id
    assert (cycle.title, cycle.year, cycle.status, cycle.current_step) == (
        "DIK 2026",
        2026,
        "open",
        1,
    )
    (run,) = await runs(wf, cycle.id)
    assert (run.step_no, run.phase, run.holder_role, run.attempt, run.status) == (
        1,
        "draft",
        "petugas",
        1,
        "open",
    )
    assert run.due_at == wf.core.calendar.add_working_days(wf.core.now(), 1)

    second = await start(wf, 2026)
    third = await start(wf, 2026)
    titles = {c.id: c.title for c in await all_cycles(wf)}
    assert titles == {
        cycle.id: "DIK 2026",
        second: "DIK 2026 (tambahan 1)",
        third: "DIK 2026 (tambahan 2)",
    }
    for cycle_id in titles:
        run = await open_run(wf, cycle_id)
        assert (run.step_no, run.phase, run.attempt) == (1, "draft", 1)


# --- acts on a run ----------------------------------------------------------------------------
async def test_reject_needs_a_reason_and_returns_to_the_drafter(
    wf: Workflow, clock: ManualClock
) -> None:
    cycle_id = await start(wf)
    ok(await act(wf, PETUGAS, cycle_id, "submit"))
    review = await open_run(wf, cycle_id)

    before = await snapshot(wf)
    for reason in (None, "", "   \n "):
        refused(
            await wf.acts.act(KADIS, review.id, "reject", review.version, reason=reason),
            "reason_missing",
        )
    refused(
        await wf.acts.act(KADIS, review.id, "reject", review.version, reason="x" * 2001),
        "too_long",
    )
    assert await snapshot(wf) == before

    clock.advance(hours=3)
    mark = await last_message_id(wf)
    reason = "Batas waktu & nomor surat belum jelas"
    ok(await wf.acts.act(KADIS, review.id, "reject", review.version, reason=reason))

    closed = next(r for r in await runs(wf, cycle_id) if r.id == review.id)
    assert (closed.status, closed.outcome, closed.reason) == ("done", "reject", reason)
    back = await open_run(wf, cycle_id)
    assert (back.step_no, back.phase, back.holder_role, back.attempt) == (1, "draft", "petugas", 2)
    assert (await cycle_of(wf, cycle_id)).current_step == 1
    # The clock of the revision starts again.
    assert back.assigned_at == wf.core.now()
    assert back.due_at == wf.core.calendar.add_working_days(wf.core.now(), 1)
    # The drafter is told why, HTML-escaped, with the resubmit button of the new run.
    told = await new_messages(wf, mark)
    assert {m.chat_id for m in told} == {PETUGAS}
    assert any("Batas waktu &amp; nomor surat belum jelas" in m.text for m in told)
    assert cbdata.run_action(back.id, "submit", back.version) in callback_data(told[-1].buttons)

    # The revision goes through review again, as attempt 2.
    ok(await act(wf, PETUGAS, cycle_id, "submit"))
    again = await open_run(wf, cycle_id)
    assert (again.phase, again.attempt) == ("review", 2)
    ok(await act(wf, KADIS, cycle_id, "approve"))
    assert (await cycle_of(wf, cycle_id)).current_step == 2
    # Nothing is deleted: every version of the Nota Dinas stays, the signed one numbered.
    async with wf.db.read() as s:
        notas = list(
            await s.scalars(
                select(Document)
                .where(Document.cycle_id == cycle_id, Document.kind == "nota_dinas")
                .order_by(Document.version)
            )
        )
    assert len(notas) >= 2
    assert [d.version for d in notas] == list(range(1, len(notas) + 1))
    assert notas[-1].letter_number and not notas[0].letter_number


async def test_wrong_role_wrong_action_stale_and_repeated_taps_change_nothing(
    wf: Workflow,
) -> None:
    cycle_id = await start(wf)
    draft = await open_run(wf, cycle_id)
    before = await snapshot(wf)
    refused(await wf.acts.act(KADIS, draft.id, "submit", draft.version), "wrong_role")
    refused(await wf.acts.act(DINKES, draft.id, "submit", draft.version), "wrong_role")
    refused(await wf.acts.act(STRANGER, draft.id, "submit", draft.version), "not_registered")
    refused(await wf.acts.act(PETUGAS, draft.id, "approve", draft.version), "unknown_button")
    refused(await wf.acts.act(PETUGAS, draft.id + 999, "submit", 1), "unknown_button")
    refused(await wf.acts.act(PETUGAS, draft.id, "submit", draft.version + 1), "already_done")
    refused(await wf.acts.act(PETUGAS, draft.id, "submit", draft.version - 1), "already_done")
    assert await snapshot(wf) == before

    ok(await wf.acts.act(PETUGAS, draft.id, "submit", draft.version))
    review = await open_run(wf, cycle_id)
    before = await snapshot(wf)
    # The old button, tapped again after the submit.
    got = await wf.acts.act(PETUGAS, draft.id, "submit", draft.version)
    refused(got, "already_done")
    assert "Lumongga Simanjuntak" in got.text
    refused(await wf.acts.act(PETUGAS, review.id, "approve", review.version), "wrong_role")
    refused(await wf.acts.act(WALIKOTA, review.id, "approve", review.version), "wrong_role")
    refused(
        await wf.acts.act(ASDA, review.id, "reject", review.version, reason="bukan urusan saya"),
        "wrong_role",
    )
    refused(await wf.acts.check_act(PETUGAS, review.id, "approve", review.version), "wrong_role")
    assert await snapshot(wf) == before

    # A second approve of the same run (a double tap, or the old button later).
    ok(await wf.acts.act(KADIS, review.id, "approve", review.version))
    before = await snapshot(wf)
    got = await wf.acts.act(KADIS, review.id, "approve", review.version)
    refused(got, "already_done")
    assert "Wildrian Otta" in got.text
    refused(
        await wf.acts.act(KADIS, review.id, "reject", review.version, reason="berubah pikiran"),
        "already_done",
    )
    refused(await wf.acts.act(KADIS, review.id, "approve", review.version + 1), "already_done")
    assert await snapshot(wf) == before
    assert (await cycle_of(wf, cycle_id)).current_step == 2
    assert [r.outcome for r in await runs(wf, cycle_id)] == ["submit", "approve", None]


# --- the audit log ----------------------------------------------------------------------------
async def test_the_audit_log_records_acts_and_refused_attempts(wf: Workflow) -> None:
    refused(await wf.acts.start_cycle(STRANGER, 2026), "not_registered")
    cycle_id = await start(wf)
    draft = await open_run(wf, cycle_id)
    refused(await wf.acts.act(KADIS, draft.id, "submit", draft.version), "wrong_role")
    ok(await wf.acts.act(PETUGAS, draft.id, "submit", draft.version))
    review = await open_run(wf, cycle_id)
    refused(await wf.acts.act(KADIS, review.id, "reject", review.version), "reason_missing")
    ok(await wf.acts.act(KADIS, review.id, "approve", review.version))
    refused(await wf.acts.act(KADIS, review.id, "approve", review.version), "already_done")

    async with wf.db.read() as s:
        of_cycle = await audit.entries(s, cycle_id)
        everything = await audit.entries(s)
        rows = list(await s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert of_cycle == [
        ("start_cycle", "ok", "DIK 2026"),
        ("submit", "refused", "wrong_role"),
        ("submit", "ok", ""),
        ("reject", "refused", "reason_missing"),
        ("approve", "ok", ""),
        ("approve", "refused", "already_done"),
    ]
    assert everything[0] == ("start_cycle", "refused", "not_registered")
    assert everything[1:] == of_cycle

    stranger, _start, wrong, submit, *_ = rows
    assert (stranger.official_id, stranger.telegram_user_id, stranger.cycle_id) == (
        None,
        STRANGER,
        None,
    )
    assert wrong.official_id == await official_id(wf, KADIS)
    assert (wrong.telegram_user_id, wrong.step_run_id) == (KADIS, draft.id)
    assert (submit.official_id, submit.step_run_id) == (await official_id(wf, PETUGAS), draft.id)
    assert all(r.at == wf.core.now() for r in rows)


# --- step 3: collecting the proposals ---------------------------------------------------------
async def test_step_3_can_be_closed_only_after_the_due_time(
    wf: Workflow, clock: ManualClock
) -> None:
    cycle_id = await to_step_3(wf)
    run = await open_run(wf, cycle_id)
    assert (run.step_no, run.phase, run.holder_role) == (3, "collect", "ppid_pembantu")
    assert run.due_at == wf.core.calendar.add_working_days(run.assigned_at, 5)
    ok(await answer_nihil(wf, DINKES, cycle_id))
    late_draft = await type_rows(wf, BKPSDM, cycle_id, ROWS[:1])
    run = await open_run(wf, cycle_id)

    before = await snapshot(wf)
    refused(await wf.acts.act(PETUGAS, run.id, "close", run.version), "not_due_yet")
    clock.set(run.due_at - timedelta(minutes=1))
    refused(await wf.acts.act(PETUGAS, run.id, "close", run.version), "not_due_yet")
    clock.set(run.due_at + timedelta(minutes=1))
    refused(await wf.acts.act(DINKES, run.id, "close", run.version), "wrong_role")
    refused(await wf.acts.act(KADIS, run.id, "close", run.version), "wrong_role")
    assert await snapshot(wf) == before

    ok(await wf.acts.act(PETUGAS, run.id, "close", run.version))
    closed = next(r for r in await runs(wf, cycle_id) if r.id == run.id)
    assert (closed.status, closed.outcome, closed.actor_id) == (
        "done",
        "closed",
        await official_id(wf, PETUGAS),
    )
    assert closed.reason == "Badan Kepegawaian dan Pengembangan SDM"
    nxt = await open_run(wf, cycle_id)
    assert (nxt.step_no, nxt.phase, nxt.holder_role) == (4, "draft", "petugas")
    assert (await cycle_of(wf, cycle_id)).current_step == 4
    async with wf.db.read() as s:
        log = await audit.entries(s, cycle_id)
    assert ("close", "ok", "tidak menjawab: Badan Kepegawaian dan Pengembangan SDM") in log

    # A draft sent after the close is refused, and nothing is registered.
    before = await snapshot(wf)
    refused(await wf.collect.submit_proposal(BKPSDM, late_draft), "collection_closed")
    assert await snapshot(wf) == before


async def test_step_3_completes_when_every_active_office_answered(wf: Workflow) -> None:
    async with wf.db.transaction() as s:
        await people.add_office(
            s, "BAPPEDA", "Badan Perencanaan Pembangunan Daerah", wf.core.now()
        )
        assert await people.set_office_active(s, "BAPPEDA", False)
    cycle_id = await to_step_3(wf)
    run = await open_run(wf, cycle_id)

    mark = await last_message_id(wf)
    got = ok(await answer_nihil(wf, DINKES, cycle_id))
    assert "Nomor agenda: 1" in got.text
    still = await open_run(wf, cycle_id)
    assert (still.id, still.status) == (run.id, "open")
    told = await new_messages(wf, mark)
    assert [m.chat_id for m in told] == [PETUGAS]
    assert "Dinas Kesehatan" in told[0].text

    pid = await type_rows(wf, BKPSDM, cycle_id, ROWS)
    ok(await wf.collect.submit_proposal(BKPSDM, pid))
    done = next(r for r in await runs(wf, cycle_id) if r.id == run.id)
    assert (done.status, done.outcome) == ("done", "complete")
    nxt = await open_run(wf, cycle_id)
    assert (nxt.step_no, nxt.phase, nxt.holder_role) == (4, "draft", "petugas")
    assert (await cycle_of(wf, cycle_id)).current_step == 4

    async with wf.db.read() as s:
        sent = await proposals.submitted(s, cycle_id)
    by_office = {p.office_name: p for p in sent}
    assert set(by_office) == {"Dinas Kesehatan", "Badan Kepegawaian dan Pengembangan SDM"}
    assert by_office["Dinas Kesehatan"].nihil and not by_office["Dinas Kesehatan"].rows
    bkpsdm = by_office["Badan Kepegawaian dan Pengembangan SDM"]
    assert [r.informasi for r in bkpsdm.rows] == [r.informasi for r in ROWS]
    assert sorted(p.agenda_no or 0 for p in sent) == [1, 2]


# (step, phase, holder, action): each has its own method, which asks for what the act needs
# (the OPD's answer, the signed PDF, the meeting, the URL) and checks it.
OWN_METHOD_ACTIONS = [
    (3, None, DINKES, "nihil"),  # declare_nihil + submit_proposal, for one OPD only
    (3, None, DINKES, "type_rows"),  # start_typed + add_typed_row + submit_proposal
    (3, None, DINKES, "upload"),  # load_upload + submit_proposal
    (6, "invite", PETUGAS, "schedule"),  # schedule_meeting: date, place, Surat Undangan
    (9, "upload", PETUGAS, "upload"),  # upload_signed: the signed SK as a PDF
    (10, None, PETUGAS, "publish"),  # publish: the URL, and the SK to every recipient
]


async def test_act_refuses_the_actions_that_have_their_own_method(wf: Workflow) -> None:
    """Through the generic `act`, none of these may close the run: it would end step 3 for
    every OPD, skip the meeting, accept no SK, or finish the cycle unpublished."""
    cycle_id = await start(wf)
    accepted = []
    for step_no, phase, tg, action in OWN_METHOD_ACTIONS:
        await jump_to(wf, cycle_id, step_no, phase)
        run = await open_run(wf, cycle_id)
        before = await snapshot(wf)
        got = await wf.acts.act(tg, run.id, action, run.version)
        if got.ok or not got.data.get("refused") or await snapshot(wf) != before:
            cycle = await cycle_of(wf, cycle_id)
            accepted.append(
                f"step {step_no} {run.phase}: act({action!r}) accepted; cycle now at step "
                f"{cycle.current_step}, {cycle.status}"
            )
    assert not accepted, "\n".join(accepted)


# --- step 7: the consequence test -------------------------------------------------------------
async def test_steps_6_and_7_disposition_meeting_decisions_and_finalise(wf: Workflow) -> None:
    cycle_id = await to_step_3(wf)
    ok(await answer_nihil(wf, DINKES, cycle_id))
    ok(await wf.collect.submit_proposal(BKPSDM, await type_rows(wf, BKPSDM, cycle_id, ROWS)))
    assert (await open_run(wf, cycle_id)).step_no == 4
    await jump_to(wf, cycle_id, 5)  # step 4 is an approval like step 1
    ok(await act(wf, PETUGAS, cycle_id, "deliver"))  # step 5

    # Step 6: Asda 1 rejects the disposition; it goes back to the delivery (reject_to 5).
    ok(await act(wf, ASDA, cycle_id, "reject", reason="Lampiran belum lengkap"))
    back = await open_run(wf, cycle_id)
    assert (back.step_no, back.phase, back.holder_role, back.attempt) == (
        5,
        "deliver",
        "petugas",
        2,
    )
    assert (await cycle_of(wf, cycle_id)).current_step == 5
    ok(await act(wf, PETUGAS, cycle_id, "deliver"))
    ok(await act(wf, ASDA, cycle_id, "approve"))

    # Step 6 goes on with the invitation: the petugas schedules the Tim UK meeting.
    invite = await open_run(wf, cycle_id)
    assert (invite.step_no, invite.phase, invite.holder_role) == (6, "invite", "petugas")
    day = wf.core.calendar.next_working_day(wf.core.today())
    for tg in (ASDA, KETUA):
        got = await wf.meetings.schedule_meeting(
            tg, invite.id, invite.version, day=day, at=time(9), place="Ruang Rapat", agenda=""
        )
        refused(got, "wrong_role")
    mark = await last_message_id(wf)
    ok(
        await wf.meetings.schedule_meeting(
            PETUGAS,
            invite.id,
            invite.version,
            day=day,
            at=time(9),
            place="Ruang Rapat",
            agenda="",
        )
    )

    # Step 7: the ketua gets the test button; a member does not.
    run = await open_run(wf, cycle_id)
    assert (run.step_no, run.phase, run.holder_role, run.attempt) == (7, "decide", "tim_uk", 1)
    told = await new_messages(wf, mark)
    assert {KETUA, ANGGOTA} <= {m.chat_id for m in told}
    assert not {m.chat_id for m in told} & {KADIS, ASDA, DINKES, WALIKOTA, DPRD}
    # The PPID Pembantu whose items are tested (BKPSDM) is invited too: the undangan with its
    # tanda terima button, and no button of the test.
    guest = [m for m in told if m.chat_id == BKPSDM]
    assert len(guest) == 1 and guest[0].document_id is not None
    assert all(data.startswith("r:") for data in callback_data(guest[0].buttons))
    show = cbdata.run_action(run.id, "show", run.version)
    assert any(show in callback_data(m.buttons) for m in told if m.chat_id == KETUA)
    assert not any(show in callback_data(m.buttons) for m in told if m.chat_id == ANGGOTA)

    async with wf.db.read() as s:
        (bkpsdm,) = [p for p in await proposals.submitted(s, cycle_id) if p.rows]
    first, second = (r.id for r in bkpsdm.rows)

    before = await snapshot(wf)
    got = await wf.acts.act(KETUA, run.id, "finalise", run.version)
    refused(got, "items_open")
    assert "2 dari 2" in got.text
    refused(await wf.acts.act(ANGGOTA, run.id, "finalise", run.version), "lead_only")
    refused(await wf.consequence.decide_item(ANGGOTA, run.id, first, "dikecualikan"), "lead_only")
    refused(await wf.consequence.decide_item(PETUGAS, run.id, first, "dikecualikan"), "wrong_role")
    refused(
        await wf.consequence.decide_item(KETUA, run.id, first, "sebagian"), "blacked_out_missing"
    )
    refused(await wf.consequence.decide_item(KETUA, run.id, first, "rahasia"), "unknown_button")
    refused(
        await wf.consequence.decide_item(KETUA, run.id, second + 999, "terbuka"), "unknown_button"
    )
    # "terbuka" needs the reason the item is open (issue 12 item 3), within bounds.
    got = await wf.consequence.decide_item(KETUA, run.id, first, "terbuka")
    refused(got, "open_reason_missing")
    assert "tuliskan alasan Tim menyatakan informasi ini terbuka" in got.text
    refused(
        await wf.consequence.decide_item(KETUA, run.id, first, "terbuka", open_reason="  "),
        "open_reason_missing",
    )
    refused(
        await wf.consequence.decide_item(KETUA, run.id, first, "terbuka", open_reason="x" * 1001),
        "too_long",
    )
    assert await snapshot(wf) == before

    ok(
        await wf.consequence.decide_item(
            KETUA, run.id, first, "terbuka", open_reason="Sudah diumumkan"
        )
    )
    async with wf.db.read() as s:
        decided = await proposals.current_decisions(s, cycle_id)
    assert (decided[first].decision, decided[first].open_reason) == ("terbuka", "Sudah diumumkan")
    ok(await wf.consequence.decide_item(KETUA, run.id, first, "dikecualikan"))  # a change of mind
    got = await wf.acts.act(KETUA, run.id, "finalise", run.version)
    refused(got, "items_open")
    assert "1 dari 2" in got.text
    ok(
        await wf.consequence.decide_item(
            KETUA, run.id, second, "sebagian", blacked_out="Nomor rekening dihitamkan"
        )
    )
    async with wf.db.read() as s:
        decided = await proposals.current_decisions(s, cycle_id)
    assert {k: (d.decision, d.blacked_out, d.open_reason) for k, d in decided.items()} == {
        first: ("dikecualikan", None, None),  # the reason went with the superseded "terbuka"
        second: ("sebagian", "Nomor rekening dihitamkan", None),
    }

    ok(await wf.acts.act(KETUA, run.id, "finalise", run.version))
    done = next(r for r in await runs(wf, cycle_id) if r.id == run.id)
    assert (done.status, done.outcome) == ("done", "finalise")

    # Every member present approves the Lembar; the last approval opens step 8.
    lembar = await open_run(wf, cycle_id)
    assert (lembar.step_no, lembar.phase, lembar.holder_role) == (7, "sign_lembar", "tim_uk")
    refused(await wf.acts.act(PETUGAS, lembar.id, "approve_lembar", lembar.version), "wrong_role")
    ok(await wf.acts.act(KETUA, lembar.id, "approve_lembar", lembar.version))
    assert (await open_run(wf, cycle_id)).id == lembar.id
    ok(await wf.acts.act(ANGGOTA, lembar.id, "approve_lembar", lembar.version))
    nxt = await open_run(wf, cycle_id)
    assert (nxt.step_no, nxt.phase, nxt.holder_role) == (8, "review", "atasan_ppid")
    assert (await cycle_of(wf, cycle_id)).current_step == 8
    before = await snapshot(wf)
    refused(await wf.consequence.decide_item(KETUA, run.id, first, "terbuka"), "already_done")
    assert await snapshot(wf) == before


# --- the outbox -------------------------------------------------------------------------------
async def test_submit_approve_and_the_outbox_for_the_right_people(wf: Workflow) -> None:
    async with wf.db.transaction() as s:  # holds a role but has not opened the chat yet
        oid = await people.add_official(s, name="Belum Terdaftar", now=wf.core.now())
        await people.add_role(s, oid, "kepala_dinas", wf.core.now())

    cycle_id = await start(wf)
    draft = await open_run(wf, cycle_id)
    told = await pending(wf)
    assert {m.chat_id for m in told} == {PETUGAS}
    petugas_id = await official_id(wf, PETUGAS)
    assert all(m.official_id == petugas_id for m in told)
    async with wf.db.read() as s:
        kinds = []
        for m in told:
            if m.document_id is not None:
                found = await documents.get_document(s, m.document_id)
                assert found is not None
                kinds.append(found[0].kind)
    assert kinds == ["nota_dinas", "form_dik"]
    assert callback_data(told[-1].buttons) == [cbdata.run_action(draft.id, "submit", 1)]

    # Submit: the review goes to the Kepala Dinas.
    mark = await last_message_id(wf)
    ok(await wf.acts.act(PETUGAS, draft.id, "submit", draft.version))
    review = await open_run(wf, cycle_id)
    assert (review.step_no, review.phase, review.holder_role, review.attempt) == (
        1,
        "review",
        "kepala_dinas",
        1,
    )
    told = await new_messages(wf, mark)
    assert {m.chat_id for m in told} == {KADIS}
    assert callback_data(told[-1].buttons) == [
        cbdata.run_action(review.id, "approve", review.version),
        cbdata.run_action(review.id, "reject", review.version),
    ]

    # Approve: step 1 is done, the numbered Nota Dinas goes to the drafter, step 2 opens.
    mark = await last_message_id(wf)
    ok(await wf.acts.act(KADIS, review.id, "approve", review.version))
    assert (await cycle_of(wf, cycle_id)).current_step == 2
    step1 = [r for r in await runs(wf, cycle_id) if r.step_no == 1]
    assert [(r.phase, r.status, r.outcome) for r in step1] == [
        ("draft", "done", "submit"),
        ("review", "done", "approve"),
    ]
    assert step1[1].actor_id == await official_id(wf, KADIS)
    nxt = await open_run(wf, cycle_id)
    assert (nxt.step_no, nxt.phase, nxt.holder_role, nxt.attempt) == (2, "draft", "petugas", 1)
    async with wf.db.read() as s:
        nota = await documents.latest_of_kind(s, cycle_id, "nota_dinas")
    assert nota is not None and nota.letter_number == "000.9/001/Kominfo/XI/2026"
    told = await new_messages(wf, mark)
    assert {m.chat_id for m in told} == {PETUGAS}  # letters issued, step 2 to draft
    assert nota.id in {m.document_id for m in told}

    ok(await act(wf, PETUGAS, cycle_id, "submit"))
    mark = await last_message_id(wf)
    ok(await act(wf, KADIS, cycle_id, "approve"))
    collect = await open_run(wf, cycle_id)
    told = await new_messages(wf, mark)
    assert {m.chat_id for m in told} == {PETUGAS, DINKES, BKPSDM}
    async with wf.db.read() as s:
        dinkes = await people.office_by_code(s, "DINKES")
        bkpsdm = await people.office_by_code(s, "BKPSDM")
        assert dinkes is not None and bkpsdm is not None
        for chat, office in ((DINKES, dinkes), (BKPSDM, bkpsdm)):
            mine = [m for m in told if m.chat_id == chat]
            forms = []
            for m in mine:
                if m.document_id is not None:
                    found = await documents.get_document(s, m.document_id)
                    assert found is not None
                    if found[0].kind == "form_dik":
                        forms.append(found[0].office_id)
            assert forms == [office.id]
            assert cbdata.run_action(collect.id, "nihil", collect.version) in callback_data(
                mine[-1].buttons
            )
    assert oid not in {m.official_id for m in await pending(wf)}


async def test_a_delegated_role_routes_the_task_to_the_plh(wf: Workflow) -> None:
    today = wf.core.today()
    async with wf.db.transaction() as s:
        principal = await people.person_by_telegram(s, KADIS, today)
        assert principal is not None
        plh = await people.add_official(
            s, name="Plh Kadis", now=wf.core.now(), telegram_user_id=1102
        )
        await people.add_role(
            s,
            plh,
            "kepala_dinas",
            wf.core.now(),
            acting_for_id=principal.id,
            starts_on=today,
            ends_on=today + timedelta(days=3),
        )
    cycle_id = await start(wf)
    mark = await last_message_id(wf)
    ok(await act(wf, PETUGAS, cycle_id, "submit"))
    told = await new_messages(wf, mark)
    assert {m.chat_id for m in told} == {1102}
    ok(await act(wf, 1102, cycle_id, "approve"))
    assert (await cycle_of(wf, cycle_id)).current_step == 2


# --- status -----------------------------------------------------------------------------------
async def test_status_asks_which_cycle_when_two_are_open(wf: Workflow) -> None:
    refused(await wf.views.status(PETUGAS), "no_cycle")
    first = await start(wf, 2026)
    got = ok(await wf.views.status(PETUGAS))
    assert got.data == {"cycle_id": first} and not got.buttons
    second = await start(wf, 2027)

    before = await snapshot(wf)
    got = ok(await wf.views.status(PETUGAS))
    assert "cycle_id" not in got.data
    assert got.buttons == [
        [["DIK 2026", cbdata.cycle_choice(first, "status")]],
        [["DIK 2027", cbdata.cycle_choice(second, "status")]],
    ]
    for (_label, data), cycle_id in zip(
        [row[0] for row in got.buttons], (first, second), strict=True
    ):
        tap = cbdata.parse(data)
        assert tap is not None and (tap.kind, tap.ids, tap.word) == ("c", (cycle_id,), "status")
    ok(await wf.views.status(KADIS))
    ok(await wf.views.status(ADMIN))
    assert await snapshot(wf) == before

    got = ok(await wf.views.status(PETUGAS, second))
    assert got.data == {"cycle_id": second}
    assert "DIK 2027" in got.text and "DIK 2026" not in got.text
    refused(await wf.views.status(WALIKOTA), "wrong_role")
    refused(await wf.views.status(DINKES, first), "wrong_role")
    refused(await wf.views.status(PETUGAS, second + 999), "unknown_button")
