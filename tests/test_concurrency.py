"""Concurrency with `concurrent_updates` on: taps and uploads that arrive together.

Every act takes a row lock on its step run (`SELECT ... FOR UPDATE` in `cycles.lock_run`; on
SQLite the write lock of `BEGIN IMMEDIATE` serialises the transactions) and closes it with a
compare-and-set on (status, version), so of two acts on the same step exactly one moves it on
and the other is told it was already done. Letter numbers come from one counter row, incremented
in the act's own transaction. On PostgreSQL the transactions really overlap; on SQLite they
queue, and the same assertions hold.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import Settings
from devtools.standin import BotApiStandin
from devtools.standin.models import SentMessage
from storage import cycles, proposals
from storage import models as m
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import Harness

ALREADY = "sudah diproses sebelumnya"


@pytest.fixture
async def concurrent(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> AsyncIterator[Harness]:
    together = settings.model_copy(update={"concurrent_updates": True})
    async with Harness.running(together, standin, clock) as h:
        assert h.app.concurrent_updates > 1
        yield h


def said(got: list[SentMessage]) -> str:
    return "\n".join(g.text or "" for g in got)


async def settle(h: Harness) -> None:
    await h.chat.settle()
    await h.app.bot_data.sender.flush()


async def runs(h: Harness) -> list[tuple[int, str, str, str | None]]:
    async with h.workflow.db.read() as s:
        rows = await s.execute(
            select(
                m.StepRun.step_no, m.StepRun.phase, m.StepRun.status, m.StepRun.outcome
            ).order_by(m.StepRun.id)
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def letter_numbers(h: Harness) -> list[str]:
    async with h.workflow.db.read() as s:
        q = select(m.Document.letter_number).where(m.Document.letter_number.is_not(None))
        return sorted(str(n) for n in await s.scalars(q))


async def test_two_officials_approve_the_same_step_at_once(concurrent: Harness) -> None:
    h = concurrent
    p = await h.seed_city()
    plh = await h.official("plh", 1012, "Plh. Kepala Dinas", "kepala_dinas")
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    first, second = await asyncio.gather(p["kadis"].tap("✅ Setujui"), plh.tap("✅ Setujui"))
    await settle(h)
    answers = [said(first), said(second)]
    assert sum("Disetujui" in a for a in answers) == 1, answers
    assert sum(ALREADY in a for a in answers) == 1, answers
    assert await runs(h) == [
        (1, "draft", "done", "submit"),
        (1, "review", "done", "approve"),
        (2, "draft", "open", None),
    ]
    assert await letter_numbers(h) == ["000.9/001/Kominfo/XI/2026"]


async def test_one_official_taps_twice(concurrent: Harness) -> None:
    h = concurrent
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    message_id, data = h.standin.find_button(1001, "📤 Ajukan")
    mark = h.standin.mark()
    await asyncio.gather(
        p["petugas"].tap_data(message_id, data), p["petugas"].tap_data(message_id, data)
    )
    await settle(h)
    answers = [g.text or "" for g in h.standin.changes_since(mark, 1001)]
    assert sum("Terkirim" in a for a in answers) == 1, answers
    assert sum(ALREADY in a for a in answers) == 1, answers
    message_id, data = h.standin.find_button(1002, "✅ Setujui")
    mark = h.standin.mark()
    await asyncio.gather(*(p["kadis"].tap_data(message_id, data) for _ in range(3)))
    await settle(h)
    answers = [g.text or "" for g in h.standin.changes_since(mark, 1002)]
    assert sum("Disetujui" in a for a in answers) == 1, answers
    assert sum(ALREADY in a for a in answers) == 2, answers
    assert [r[:2] for r in await runs(h)] == [(1, "draft"), (1, "review"), (2, "draft")]
    # the Kepala Dinas was asked once for the review, and the petugas once for step 2
    asked = [g for g in p["kadis"].inbox if "✅ Setujui" in g.button_texts or g.edits]
    assert len(asked) == 1
    assert sum("Langkah 2" in (g.text or "") for g in p["petugas"].inbox) == 1


async def test_two_opds_upload_and_submit_at_once(concurrent: Harness) -> None:
    h = concurrent
    p = await h.seed_city()
    await h.play_to_collect()
    form = filled_form("Dinas Kesehatan", DINKES_ROWS)
    a, b = await asyncio.gather(
        p["dinkes"].upload("dinkes.xlsx", form), p["bkpsdm"].upload("bkpsdm.xlsx", form)
    )
    await settle(h)
    assert "(3 butir)" in said(a) and "(3 butir)" in said(b), (said(a), said(b))
    await p["disduk"].tap("🚫 Nihil")
    sends = await asyncio.gather(
        *(p[k].tap("✅ Kirim usulan") for k in ("dinkes", "bkpsdm", "disduk"))
    )
    await settle(h)
    assert all("Nomor agenda" in said(g) for g in sends), [said(g) for g in sends]
    async with h.workflow.db.read() as s:
        sent = await proposals.submitted(s, 1)
        uploads = await s.scalar(
            select(m.Document.id).where(m.Document.kind == "usulan_upload").limit(1)
        )
    assert sorted(p.agenda_no for p in sent) == [1, 2, 3]
    assert sorted(len(p.rows) for p in sent) == [0, 3, 3]
    assert uploads is not None
    collect = [r for r in await runs(h) if r[0] == 3]
    assert collect == [(3, "collect", "done", "complete")]  # closed exactly once
    assert [r[:3] for r in await runs(h) if r[0] == 4] == [(4, "draft", "open")]


async def test_letters_numbered_at_once_in_acts(concurrent: Harness) -> None:
    """Three cycles' Nota Dinas approved together by two Kepala Dinas holders: 001..003."""
    h = concurrent
    p = await h.seed_city()
    plh = await h.official("plh", 1012, "Plh. Kepala Dinas", "kepala_dinas")
    for title in ("", " Tambahan", " Susulan"):
        await p["petugas"].say(f"/mulai 2026{title}")
        await p["petugas"].tap("📤 Ajukan")
    async with h.workflow.db.read() as s:
        reviews = [r for r in await cycles.open_runs(s) if r.phase == "review"]
    assert len(reviews) == 3
    data = [f"a:{r.id}:ok:{r.version}" for r in reviews]
    await asyncio.gather(
        p["kadis"].tap_data(1, data[0]),
        plh.tap_data(1, data[1]),
        p["kadis"].tap_data(1, data[2]),
        plh.tap_data(1, data[0]),  # and one of them twice
    )
    await settle(h)
    assert await letter_numbers(h) == [f"000.9/00{i}/Kominfo/XI/2026" for i in (1, 2, 3)]
    assert sum(r[:2] == (2, "draft") for r in await runs(h)) == 3


async def test_twenty_letter_numbers_at_once(concurrent: Harness) -> None:
    """Twenty transactions of the application's own engine take a number together."""
    wf = concurrent.workflow
    start = asyncio.Event()

    async def one() -> str:
        await start.wait()
        async with wf.db.transaction() as s:
            return await wf.paperwork.next_number(s, wf.core.now())

    tasks = [asyncio.create_task(one()) for _ in range(20)]
    start.set()
    numbers = await asyncio.gather(*tasks)
    seqs = sorted(int(n.split("/")[1]) for n in numbers)
    assert seqs == list(range(1, 21))  # no duplicate, no gap
