"""Telegram faults: 429 with retry_after, 500, 502, dropped connections and slow answers.

What "exactly once" means here. The bot records a message as delivered only after Telegram
answered with its message_id. A call that failed before Telegram executed it (429, 5xx, a
dropped connection: the stand-in executes nothing then) is tried again at once with backoff,
and if it keeps failing the message stays pending in the outbox for the sweeper: never lost,
never doubled. A call that *timed out* may have been executed (Telegram has no idempotency
key), so the message is sent again: at least once. The bot makes that edge rare by waiting
TELEGRAM_TIMEOUT seconds (20 by default, PTB's default is 5) for an answer;
`test_slow_answer_within_the_timeout_is_not_doubled` and `test_timed_out_send_is_sent_again`
show both sides of it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import Settings
from devtools.standin import BotApiStandin
from devtools.standin.models import SentMessage
from handlers.errors import SORRY
from handlers.sender import ATTEMPTS
from storage import cycles, migrate
from storage import models as m
from tests.conftest import PG_ENV, START, reset_postgres
from tests.harness import Harness
from tests.scenario import CycleScenario

FAULTS = ("429", "500", "502", "drop")
Key = tuple[int, str | None, str | None]


async def deliver_all(h: Harness) -> None:
    """What the sweeper does every minute, until nothing is owed."""
    sender = h.app.bot_data.sender
    for _ in range(60):
        if not await h.workflow.delivery.pending_messages():
            return
        await sender.flush()
    raise AssertionError("the outbox still owes messages after 60 flushes")


def inboxes(standin: BotApiStandin) -> Counter[Key]:
    """Every message in every chat: (chat, text as sent, file name)."""
    out: Counter[Key] = Counter()
    for user in standin.users:
        for msg in standin.sent(user):
            name = msg.document.filename if msg.document else None
            out[(user, msg.raw_text, name)] += 1
    return out


async def outbox_rows(h: Harness) -> list[m.OutboxMessage]:
    async with h.workflow.db.read() as s:
        return list(await s.scalars(select(m.OutboxMessage).order_by(m.OutboxMessage.id)))


async def run_shape(h: Harness) -> list[tuple[int, str, int, str, str | None]]:
    async with h.workflow.db.read() as s:
        cycle = (await cycles.all_cycles(s))[0]
        assert cycle.status == "finished"
        runs = await cycles.runs_of(s, cycle.id)
    return [(r.step_no, r.phase, r.attempt, r.status, r.outcome) for r in runs]


async def play(
    settings: Settings, standin: BotApiStandin, fault_rate: float = 0.0, seed: int = 0
) -> tuple[Counter[Key], list[tuple[int, str, int, str, str | None]]]:
    async with Harness.running(settings, standin, ManualClock(START)) as h:
        # every handler error fails the test (running() re-raises it), and none may occur
        standin.set_fault_rate(fault_rate, kinds=FAULTS, seed=seed)

        async def settle() -> None:
            await deliver_all(h)

        await CycleScenario(h, after=settle).play()
        standin.set_fault_rate(0)
        shape = await run_shape(h)
        rows = await outbox_rows(h)
        by_id = {
            (msg.chat_id, msg.message_id): msg for u in standin.users for msg in standin.sent(u)
        }
        for row in rows:  # every row delivered, and recorded with the message Telegram made
            assert row.sent_at is not None, (row.id, row.last_error)
            sent = by_id[(row.chat_id, row.telegram_message_id)]
            assert sent.raw_text == row.text, (row.id, row.text, sent.raw_text)
        return inboxes(standin), shape


async def fresh_database(settings: Settings, tmp_path: Path, name: str) -> Settings:
    import os

    url = os.environ.get(PG_ENV)
    if url:
        url = Settings._async_driver(url)  # type: ignore[operator]
        await reset_postgres(url)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/{name}.sqlite3"
    await migrate.upgrade(url)
    return settings.model_copy(update={"database_url": url})


async def test_whole_cycle_with_one_send_in_ten_failing(
    settings: Settings, tmp_path: Path
) -> None:
    """The cycle completes, everyone gets exactly what they get without faults, once."""
    async with BotApiStandin(token="123456:TEST-token", bot_username="dik_test_bot") as calm:
        calm_settings = settings.model_copy(update={"telegram_api_base_url": calm.base_url})
        expected, expected_shape = await play(calm_settings, calm)
    assert calm.stats["500"] == 0

    async with BotApiStandin(token="123456:TEST-token", bot_username="dik_test_bot") as rough:
        rough_settings = await fresh_database(settings, tmp_path, "rough")
        rough_settings = rough_settings.model_copy(
            update={"telegram_api_base_url": rough.base_url}
        )
        got, shape = await play(rough_settings, rough, fault_rate=0.10, seed=20261130)
        injected = sum(rough.stats[k] for k in FAULTS)
        assert injected >= 20, rough.stats  # the seed really did hurt

    assert shape == expected_shape  # no transition doubled or lost
    missing = expected - got
    doubled = got - expected
    assert not missing and not doubled, (missing, doubled)
    assert not [k for k in got if k[1] == SORRY]
    assert sum(n for k, n in got.items() if k[2] is not None) >= 50  # the letters are in it


async def test_failed_reply_waits_in_the_outbox(harness: Harness) -> None:
    """A reply Telegram keeps refusing is queued, not dropped, and the act is not redone."""
    h = harness
    p = await h.seed_city()
    # the reply fails every try, and so does the flush of the outbox right after it
    h.standin.fail_next("sendMessage", "500", count=2 * ATTEMPTS)
    got = await p["petugas"].say("/mulai 2026")
    assert not any("dimulai" in (g.text or "") for g in got)
    rows = [r for r in await outbox_rows(h) if "dimulai" in r.text]
    assert len(rows) == 1 and rows[0].sent_at is None  # recorded, pending (order: after the act)
    assert rows[0].attempts == 1 and "Internal Server Error" in (rows[0].last_error or "")
    await deliver_all(h)  # the sweeper
    assert sum("dimulai" in (g.text or "") for g in p["petugas"].inbox) == 1
    assert not [g for g in p["petugas"].inbox if g.text == SORRY]
    async with h.workflow.db.read() as s:
        assert len(await cycles.all_cycles(s)) == 1


async def test_failed_reply_is_delivered_by_the_same_update(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    h.standin.fail_next("sendMessage", "502", count=ATTEMPTS)
    got = await p["petugas"].say("/mulai 2026")
    assert sum("dimulai" in (g.text or "") for g in got) == 1


async def test_outbox_send_failing_everything_stays_pending(harness: Harness) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    h.standin.fail_next("sendDocument", "502", count=ATTEMPTS)
    h.standin.fail_next("sendMessage", "drop", count=1)
    got = await p["petugas"].tap("📤 Ajukan")  # the draft goes to the Kepala Dinas
    assert got  # the petugas is answered (the dropped call was retried at once)
    pending = [r for r in await outbox_rows(h) if r.sent_at is None]
    assert pending and pending[0].last_error and pending[0].attempts == 1
    assert not [m for m in p["kadis"].inbox if m.document]
    await deliver_all(h)
    files = [m.document.filename for m in p["kadis"].inbox if m.document]
    assert files and len(files) == len(set(files)), files
    assert "✅ Setujui" in p["kadis"].last.button_texts


async def test_rate_limit_beyond_ptb_retries(harness: Harness) -> None:
    """429 more often than AIORateLimiter(max_retries=3) tries: sent within the same flush."""
    h = harness
    p = await h.seed_city()
    h.standin.fail_next("sendMessage", "429", count=4, retry_after=1)
    got = await p["petugas"].say("/tugas")
    assert len(got) == 1
    assert h.standin.stats["429"] == 4


async def test_callback_answer_and_button_edit_failing(harness: Harness) -> None:
    """answerCallbackQuery and the edit removing the buttons are cosmetic: the act, its reply
    and the messages it owes are delivered, and nobody is told something went wrong."""
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    h.standin.fail_next("answerCallbackQuery", "500", count=ATTEMPTS)
    h.standin.fail_next("editMessageReplyMarkup", "drop", count=ATTEMPTS)
    got = await p["petugas"].tap("📤 Ajukan")
    assert any("📤 Terkirim" in (g.text or "") for g in got), _texts(got)
    assert not [g for g in p["petugas"].inbox if g.text == SORRY]
    assert "✅ Setujui" in p["kadis"].last.button_texts


async def test_slow_answer_within_the_timeout_is_not_doubled(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    # 0.5 s of delay against a 30 s timeout: a loaded machine does not turn it into a timeout
    slow_ok = settings.model_copy(update={"telegram_timeout": 30.0})
    async with Harness.running(slow_ok, standin, clock) as h:
        p = await h.seed_city()
        h.standin.fail_next("sendMessage", "slow", count=2, delay=0.5)
        await p["petugas"].say("/mulai 2026")
        await h.standin.finish_background()
        await deliver_all(h)
        started = [g for g in p["petugas"].inbox if "dimulai" in (g.text or "")]
        assert len(started) == 1
        assert all(r.sent_at is not None for r in await outbox_rows(h))


async def test_timed_out_send_is_sent_again(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    """The at-least-once edge: Telegram executed a call whose answer came after the timeout.
    The bot cannot know, keeps the message pending, and sends it again: the person sees it
    twice. (Raising TELEGRAM_TIMEOUT makes this rarer; nothing can make it impossible.)"""
    # 4 s: the other calls answer well within it even on a loaded machine; the slow one's 8 s
    # does not
    short = settings.model_copy(update={"telegram_timeout": 4.0})
    async with Harness.running(short, standin, clock) as h:
        p = await h.seed_city()
        await p["petugas"].say("/mulai 2026")
        h.standin.fail_next("sendDocument", "slow", count=1, delay=8.0)
        await p["petugas"].tap("📤 Ajukan")
        pending = [r for r in await outbox_rows(h) if r.sent_at is None]
        assert "timed out" in (pending[0].last_error or "")  # the rest waits behind it
        await h.standin.finish_background()  # Telegram did deliver it meanwhile
        await deliver_all(h)
        files = Counter(g.document.filename for g in p["kadis"].inbox if g.document)
        timed_out = pending[0].text.removeprefix("📎 ")
        assert files[timed_out] == 2, files  # delivered twice: at least once, not exactly once
        assert all(n == 1 for name, n in files.items() if name != timed_out), files


def _texts(messages: list[SentMessage]) -> list[str | None]:
    return [msg.text for msg in messages]
