"""Documents rendered after the act (render jobs): a crash between the act's commit and the
rendering, a renderer that fails, and a chat whose document is late."""

from __future__ import annotations

import io
import logging
from collections import Counter

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.config import Settings
from bot.documents import renderers
from bot.workflow import render_queue
from devtools.standin import BotApiStandin
from storage import models as m
from storage import people, render_jobs
from tests.harness import OFFICES, Harness

OPD_IDS = {"DINKES": 2001, "BKPSDM": 2002, "DISDUK": 2003}


def stop_rendering(h: Harness) -> None:
    """As if the process died right after each act's commit: nothing is rendered."""
    h.workflow.db.render_listeners.clear()


async def approve_step_2(h: Harness) -> None:
    p = h.people
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    await p["kadis"].tap("✅ Setujui")
    await h.drain()
    await p["petugas"].tap("📤 Ajukan")


async def counts(h: Harness) -> tuple[int, int]:
    """(render jobs not done, outbox rows not sent)."""
    async with h.workflow.db.read() as s:
        jobs = await render_jobs.count_pending(s)
        unsent = await s.scalar(
            select(func.count())
            .select_from(m.OutboxMessage)
            .where(m.OutboxMessage.sent_at.is_(None))
        )
    return jobs, int(unsent or 0)


def files_to(standin: BotApiStandin, user_id: int) -> Counter[str]:
    return Counter(x.document.filename for x in standin.sent(user_id) if x.document)


async def test_crash_after_commit_before_render(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    settings = settings.model_copy(update={"render_processes": 1})  # the worker process
    async with Harness.running(settings, standin, clock) as h:
        await h.seed_city()
        await approve_step_2(h)
        stop_rendering(h)
        before = {uid: files_to(standin, uid) for uid in (1001, *OPD_IDS.values())}
        await h.people["kadis"].tap("✅ Setujui")  # the act commits; its documents wait
        jobs, unsent = await counts(h)
        assert jobs >= len(OFFICES) + 1  # every OPD's Form DIK and the signed letter
        assert unsent > 0
        async with h.workflow.db.read() as s:
            empty = await s.scalar(
                select(func.count()).select_from(m.Document).where(m.Document.size == 0)
            )
        assert empty == jobs  # the rows exist at once (id, number, version), content later
        for uid in OPD_IDS.values():  # nothing of step 3 reached an OPD
            assert not any(f.startswith("Form_DIK_") for f in files_to(standin, uid))
    # "Restart": a new process on the same database picks the jobs up at start-up.
    async with Harness.running(settings, standin, clock) as h2:
        await h2.chat.settle()
        await h2.drain()
        assert h2.workflow.core.renders.worker_pids()  # rendered in the worker process
        assert await counts(h2) == (0, 0)
        async with h2.workflow.db.read() as s:
            offices = {o.code: o.name for o in await people.list_offices(s)}
        for code, uid in OPD_IDS.items():
            got = files_to(standin, uid) - before[uid]
            form = f"Form_DIK_{code}_2026.xlsx"
            assert got[form] == 1, got  # delivered, once
            assert all(n == 1 for n in got.values()), got  # no message doubled
            sent = [x for x in standin.sent(uid) if x.document and x.document.filename == form]
            wb = load_workbook(io.BytesIO(sent[0].document.data), read_only=True)
            cells = [
                str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c
            ]
            assert any(offices[code] in c for c in cells)
        letters = files_to(standin, 1001) - before[1001]
        assert letters and all(n == 1 for n in letters.values()), letters


async def test_render_failure_retried_then_reported(
    settings: Settings,
    standin: BotApiStandin,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = settings.model_copy(update={"render_processes": 0})  # in this process: patched
    monkeypatch.setattr(render_queue, "BASE_BACKOFF_SECONDS", 0.01)
    monkeypatch.setattr(render_queue, "MAX_BACKOFF_SECONDS", 0.05)
    calls = Counter[str]()
    good = renderers.RENDERERS["form_dik"]

    def broken(snap: dict[str, str]) -> bytes:
        calls[snap["office_name"]] += 1
        raise OSError("disk full")

    async with Harness.running(settings, standin, clock) as h:
        await h.seed_city()
        await approve_step_2(h)
        monkeypatch.setitem(renderers.RENDERERS, "form_dik", broken)
        caplog.set_level(logging.INFO, logger="bot.workflow.render_queue")
        await h.people["kadis"].tap("✅ Setujui")
        office = OFFICES[0][1]
        for _ in range(200):  # retried with backoff until reported
            await h.workflow.core.renders.drain()
            if calls[office] >= render_queue.REPORT_AFTER + 1:
                break
            await h.chat.settle()
        assert calls[office] > render_queue.REPORT_AFTER
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len([r for r in errors if "could not be rendered" in r.getMessage()]) == len(
            OFFICES
        )  # once per document, not at every retry
        admin = await h.people["admin"].say("/admin")
        text = admin[-1].text
        assert "Dokumen gagal dibuat" in text and "Form_DIK_DINKES_2026.xlsx" in text
        assert "disk full" in text
        health = await h.people["admin"].say("/health")
        assert "gagal dibuat" in health[-1].text
        for uid in OPD_IDS.values():  # their messages wait for the document
            assert not any(f.startswith("Form_DIK_") for f in files_to(standin, uid))
        # Fixed: the next try renders them, and the messages go, in order.
        monkeypatch.setitem(renderers.RENDERERS, "form_dik", good)
        for _ in range(200):
            await h.drain()
            if (await counts(h))[0] == 0:
                break
        assert await counts(h) == (0, 0)
        for code, uid in OPD_IDS.items():
            assert files_to(standin, uid)[f"Form_DIK_{code}_2026.xlsx"] == 1
        admin = await h.people["admin"].say("/admin")
        assert "Dokumen gagal dibuat" not in admin[-1].text


async def test_chat_order_kept_when_document_late(harness: Harness) -> None:
    h = harness
    await h.seed_city()
    await approve_step_2(h)
    stop_rendering(h)
    await h.people["kadis"].tap("✅ Setujui")  # the petugas's signed letter waits for its job
    wf = h.workflow
    async with wf.db.transaction() as s:
        for uid in (1001, 1003):  # after it, a text to the petugas; one to the Asda
            person = await people.person_by_telegram(s, uid, wf.core.today())
            assert person is not None
            await wf.core.tell(s, person, f"pesan urutan {uid}", actor=None)
    await h.app.bot_data.sender._flush()  # deliver what is ready, rendering nothing
    asda = [x.text for x in h.standin.sent(1003)]
    assert "pesan urutan 1003" in asda  # another chat is not held up
    petugas = [x.text for x in h.standin.sent(1001)]
    assert "pesan urutan 1001" not in petugas  # it waits behind the late document
    mark = len(h.standin.sent(1001))
    h.workflow.db.render_listeners.append(h.workflow.core.renders.kick)
    await h.drain()
    after = h.standin.sent(1001)[mark:]
    documents = [i for i, x in enumerate(after) if x.document]
    text_at = next(i for i, x in enumerate(after) if x.text == "pesan urutan 1001")
    assert documents and max(documents) < text_at  # the letter first, then the text
