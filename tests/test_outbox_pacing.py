"""The outbox under Telegram's flood limits, enforced by the stand-in (30 a second, one a second
per chat): a fan-out of two messages to each of 40 officials arrives whole, in each chat's
order, without a single 429; a letter sent to many is uploaded once and then sent by file_id."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from devtools.standin import BotApiStandin
from devtools.standin.faults import SENDING_METHODS
from storage import documents
from storage import models as m
from storage.dto import DocumentDTO
from tests.harness import Harness

OFFICIALS = 40
FIRST_ID = 7001


@pytest.fixture
async def paced(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> AsyncIterator[Harness]:
    """The product's pacing (one message a second per chat), not the tests' back to back."""
    product = settings.model_copy(update={"outbox_chat_gap_seconds": 1.0})
    async with Harness.running(product, standin, clock) as h:
        yield h


async def many_officials(h: Harness, n: int = OFFICIALS) -> list[int]:
    ids = [FIRST_ID + i for i in range(n)]
    for i, uid in enumerate(ids):
        await h.official(f"t{i}", uid, f"Anggota Tim {i + 1}", "tim_uk")
    return ids


async def queue_letter(h: Harness, ids: list[int], text: str) -> DocumentDTO:
    """Queue, for each official, a letter (one document for all) and then a text."""
    wf = h.workflow
    async with wf.db.transaction() as s:
        cycle = m.Cycle(
            sop_key=wf.core.sop.key,
            year=2026,
            title="DIK 2026",
            status="open",
            current_step=10,
            started_at=wf.core.now(),
        )
        s.add(cycle)
        await s.flush()
        doc = await documents.add_document(
            s,
            cycle_id=cycle.id,
            step_no=10,
            kind="sk",
            filename="SK_DIK_2026.docx",
            mime_type="application/docx",
            content=b"PK not really a docx, the stand-in keeps bytes",
            now=wf.core.now(),
        )
        for person in await wf.core.holders(s, "tim_uk"):
            assert person.telegram_user_id in ids
            await wf.core.tell(s, person, "SK DIK 2026", documents=[doc], actor=None)
            await wf.core.tell(s, person, text, actor=None)
    return doc


async def test_fan_out_within_telegrams_limits(paced: Harness) -> None:
    h = paced
    ids = await many_officials(h)
    await h.chat.settle()
    await h.app.bot_data.sender.flush()  # anything the set-up owes
    await queue_letter(h, ids, "Mohon dibaca.")
    h.standin.enforce_rate_limits = True
    h.standin.stats.clear()
    since = len(h.standin.calls)

    await h.app.bot_data.sender.flush()

    assert h.standin.stats["429"] == 0
    assert not await h.workflow.delivery.pending_messages()
    sends = [
        (params.get("chat_id"), t)
        for method, params, t in h.standin.calls[since:]
        if method.lower() in SENDING_METHODS
    ]
    assert len(sends) == 2 * OFFICIALS  # nothing doubled, nothing refused
    file_ids = set()
    for uid in ids:
        inbox = h.standin.sent(uid)[-2:]
        assert inbox[0].document is not None and inbox[0].document.filename == "SK_DIK_2026.docx"
        assert inbox[1].raw_text == "Mohon dibaca."  # each chat's order is kept
        file_ids.add(inbox[0].document.file_id)
        times = [t for chat, t in sends if chat == uid]
        assert len(times) == 2 and times[1] - times[0] >= 1.0  # one a second per chat
    assert len(file_ids) == 1  # uploaded once, then sent by its file_id


async def test_refused_file_id_is_uploaded_again(harness: Harness) -> None:
    h = harness
    ids = await many_officials(h, 2)
    await h.chat.settle()
    sender = h.app.bot_data.sender
    await sender.flush()
    doc = await queue_letter(h, ids, "Pertama.")
    await sender.flush()
    known = h.standin.sent(ids[0])[-2].document
    assert known is not None
    h.standin.files.pop(known.file_id)  # Telegram no longer knows it
    async with h.workflow.db.transaction() as s:
        person = next(p for p in await h.workflow.core.holders(s, "tim_uk"))
        await h.workflow.core.tell(s, person, "Ulang", documents=[doc], actor=None)
    await sender.flush()
    assert not await h.workflow.delivery.pending_messages()
    again = h.standin.sent(person.telegram_user_id or 0)[-1]
    assert again.document is not None and again.document.file_id != known.file_id
    assert h.standin.files[again.document.file_id].data.startswith(b"PK not really")
