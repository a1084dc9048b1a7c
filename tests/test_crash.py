"""Crashes: the bot runs as its own process (`python -m bot run`) against the stand-in, and is
killed with SIGKILL at 20 random (seeded) points of steps 1 to 3, then started again.

The officials act from this process through the stand-in, like people: each waits for the
bot's answer to what they did. After a restart, someone whose action got no answer does what
a person would: taps the same button again (every button carries the run's version, so a tap
that was already taken is answered "sudah diproses"), or, in the middle of a conversation,
follows the bot's "Bot baru saja dimulai ulang ... menunggu: ..." message, which says which
answer the stored conversation waits for.

What is checked at the end:
- every act a person saw acknowledged is in the database, and no step run is doubled;
- the typed rows were stored once each, the letters numbered without gap or duplicate;
- every outbox row was delivered. "Exactly once" is not something Telegram lets a bot promise:
  a row is marked sent after Telegram answered; if the bot is killed between Telegram taking
  a message and that mark, the message is sent again after the restart. So each row reaches
  its recipient at least once, and there is at most one extra copy per kill.

Twenty starts of a Python process that imports PTB, SQLAlchemy, openpyxl and python-docx take
most of the time; to keep the test short the next process is started while the current one
runs and waits, imported, for its turn (`SPARE`). `DIK_CRASH_SEED` picks other kill points.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import texts
from bot.app import build_workflow
from bot.clock import SystemClock
from bot.config import Settings, load_settings
from devtools.standin import BotApiStandin
from storage import cycles, migrate, people, proposals
from storage import models as m
from storage.db import Database
from tests.conftest import PG_ENV, reset_postgres
from tests.forms import DINKES_ROWS, filled_form
from tests.harness import OFFICES

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token"
SEED = int(os.environ.get("DIK_CRASH_SEED", "20261130"))  # another seed: other kill points
KILLS = 20
ACK_TIMEOUT = 60.0
START_TIMEOUT = 120.0
ALREADY = "sudah diproses sebelumnya"

PEOPLE = {
    "petugas": (1001, "Lumongga Simanjuntak", "petugas", None),
    "kadis": (1002, "Wildrian Otta", "kepala_dinas", None),
    "dinkes": (2001, "Maria Bria", "ppid_pembantu", "DINKES"),
    "bkpsdm": (2002, "Yosef Lake", "ppid_pembantu", "BKPSDM"),
    "disduk": (2003, "Agustina Nope", "ppid_pembantu", "DISDUK"),
}
DISDUK = "Dinas Kependudukan dan Pencatatan Sipil"
TYPED = {
    "informasi": "Data kependudukan perseorangan",
    "dasar": "Pasal 17 huruf h angka 1 UU 14/2008",
    "dibuka": "Mengungkap data pribadi penduduk",
    "ditutup": "Melindungi hak atas data pribadi",
    "jangka": "Tidak terbatas",
}


def notice(name: str, waiting: str) -> str:
    return texts.render("prompts", "resumed", name=name, waiting=waiting)


@dataclass
class Action:
    """One thing a person does, and how they know the bot took it."""

    key: str
    kind: str  # say | tap | upload
    payload: str
    acked: Callable[[list[str]], bool]
    #: in a conversation: its name, and what it waits for once this action is taken
    conversation: str | None = None
    then: str | None = None
    file: bytes = b""


def has(*fragments: str) -> Callable[[list[str]], bool]:
    return lambda said: any(f in s for s in said for f in fragments)


def exactly(*wanted: str) -> Callable[[list[str]], bool]:
    return lambda said: any(s == w for s in said for w in wanted)


def story() -> list[Action]:
    typed = [
        ("informasi", "dasar", texts.render("prompts", "ask_dasar")),
        ("dasar", "dibuka", texts.render("prompts", "ask_dibuka")),
        ("dibuka", "ditutup", texts.render("prompts", "ask_ditutup")),
        ("ditutup", "jangka", texts.render("prompts", "ask_jangka")),
        ("jangka", "more", texts.render("prompts", "row_saved", n=1)),
    ]
    return [
        Action("petugas", "say", "/mulai 2026", has("dimulai")),
        Action("petugas", "tap", "📤 Ajukan", has("Terkirim", ALREADY)),
        Action("kadis", "tap", "❌ Tolak", has("Tuliskan alasan penolakan"), "prompt", "reject"),
        Action("kadis", "say", "Mohon cantumkan batas waktu.", has("Ditolak", ALREADY), "prompt"),
        Action("petugas", "tap", "📤 Ajukan", has("Terkirim", ALREADY)),
        Action("kadis", "tap", "✅ Setujui", has("Disetujui", ALREADY)),
        Action("petugas", "tap", "📤 Ajukan", has("Terkirim", ALREADY)),
        Action("kadis", "tap", "✅ Setujui", has("Disetujui", ALREADY)),
        Action(
            "dinkes",
            "upload",
            "form-dinkes.xlsx",
            has("Periksa usulan"),
            file=filled_form("Dinas Kesehatan", DINKES_ROWS),
        ),
        Action("dinkes", "tap", "✅ Kirim usulan", has("Nomor agenda", "sudah dikirim")),
        Action("bkpsdm", "tap", "🚫 Nihil", has("NIHIL")),
        Action("bkpsdm", "tap", "✅ Kirim usulan", has("Nomor agenda", "sudah dikirim")),
        Action(
            "disduk",
            "tap",
            "⌨️ Ketik usulan",
            exactly(texts.render("prompts", "ask_informasi", office=DISDUK, n=1)),
            "typed_rows",
            "informasi",
        ),
        *(
            Action("disduk", "say", TYPED[this], exactly(prompt), "typed_rows", then)
            for this, then, prompt in typed
        ),
        Action("disduk", "tap", "✅ Selesai", has("Periksa usulan"), "typed_rows"),
        Action("disduk", "tap", "✅ Kirim usulan", has("Nomor agenda", "sudah dikirim")),
        Action("petugas", "tap", "📤 Ajukan", has("Terkirim", ALREADY)),
    ]


#: `python -m bot run`, except that the imports are done before the go: the next process is
#: started while the current one runs, and waits on its stdin; a restart then costs the
#: start-up of the bot itself (migrations check, Bot API, post_init), not the imports.
SPARE = (
    "import sys\n"
    "import bot.app, bot.cli, storage.migrate\n"
    "if sys.stdin.readline().strip() != 'go':\n"
    "    sys.exit(0)\n"
    "sys.exit(bot.cli.main(['run']))\n"
)


class BotProcess:
    """The bot in its own process against the stand-in; SIGKILL and start again."""

    def __init__(self, standin: BotApiStandin, env: dict[str, str], log: Path) -> None:
        self.standin = standin
        self.env = env
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.spare: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def _spawn(self) -> asyncio.subprocess.Process:
        with self.log.open("ab") as out:
            return await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                SPARE,
                env=self.env,
                cwd=self.log.parent,
                stdin=asyncio.subprocess.PIPE,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )

    async def start(self) -> None:
        calls = len(self.standin.calls)
        self.starts += 1
        proc = self.spare or await self._spawn()
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
        self.proc = proc
        self.spare = await self._spawn()  # imports while this one runs

        def polling() -> bool:  # post_init (restart notices, outbox) is done by then
            return any(c[0].lower() == "getupdates" for c in self.standin.calls[calls:])

        waiting = asyncio.create_task(
            self.standin.wait_until(polling, START_TIMEOUT, "the bot polling after a start")
        )
        died = asyncio.create_task(proc.wait())
        done, _ = await asyncio.wait({waiting, died}, return_when=asyncio.FIRST_COMPLETED)
        if died in done:
            waiting.cancel()
            raise AssertionError(f"the bot exited ({proc.returncode}); see {self.log}")
        died.cancel()
        await waiting

    async def kill(self) -> None:
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        """A clean stop (SIGTERM): PTB finishes what it handles and stores its state."""
        if self.spare is not None:
            assert self.spare.stdin is not None
            self.spare.stdin.close()  # it exits without starting
            await self.spare.wait()
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(START_TIMEOUT):
                    await self.proc.wait()
            except TimeoutError:
                await self.kill()


class Play:
    """The officials, acting and waiting like people."""

    def __init__(self, standin: BotApiStandin, bot: BotProcess) -> None:
        self.standin = standin
        self.bot = bot
        self.kills = 0
        self.log: list[str] = []
        #: user -> the message whose button they tapped last, and that button's data
        self.tapped: dict[int, tuple[int, str]] = {}

    def uid(self, key: str) -> int:
        return PEOPLE[key][0]

    async def button(self, uid: int, label: str, again: bool) -> tuple[int, str]:
        """The newest button with `label`, on a message newer than the one the person tapped
        before (the bot may still be delivering it); `again`: that one may be tapped again."""
        last = self.tapped.get(uid, (0, ""))[0]
        found: list[tuple[int, str]] = []

        def ready() -> bool:
            try:
                found[:] = [self.standin.find_button(uid, label)]
            except AssertionError:
                return False
            return found[0][0] > last or (again and found[0][0] == last)

        try:
            await self.standin.wait_until(ready, ACK_TIMEOUT, f"a button {label!r} for {uid}")
        except AssertionError as exc:
            recent = [(m.message_id, m.raw_text, m.button_texts) for m in self.standin.sent(uid)]
            raise AssertionError(f"{exc} (last tapped: {last}): {recent[-6:]}") from None
        self.tapped[uid] = found[0]
        return found[0]

    async def push(self, action: Action, again: bool = False) -> int:
        uid = self.uid(action.key)
        if action.kind == "say":
            return self.standin.push_text(uid, action.payload)
        if action.kind == "upload":
            return self.standin.push_document(
                uid,
                action.payload,
                action.file,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        message_id, data = await self.button(uid, action.payload, again)
        return self.standin.push_callback(uid, message_id, data)

    def button_gone(self, action: Action) -> bool:
        uid = self.uid(action.key)
        message_id, data = self.tapped[uid]
        message = next(m for m in self.standin.sent(uid) if m.message_id == message_id)
        return not any(b.callback_data == data for row in message.buttons for b in row)

    def said(self, action: Action, mark: int) -> list[str]:
        return [s.raw_text or "" for s in self.standin.changes_since(mark, self.uid(action.key))]

    async def wait_ack(self, action: Action, mark: int, what: str) -> None:
        try:
            await self.standin.wait_until(
                lambda: action.acked(self.said(action, mark)), ACK_TIMEOUT, what
            )
        except AssertionError as exc:
            said = "\n---\n".join(self.said(action, mark))
            raise AssertionError(f"{exc}; got:\n{said}") from None

    async def act(self, i: int, action: Action, kill_after: float | None) -> None:
        mark = self.standin.mark()
        update_id = await self.push(action)
        if kill_after is None:
            await self.wait_ack(action, mark, f"the answer to {action.payload!r}")
            return
        await asyncio.sleep(kill_after)  # the random point of the kill, not a wait
        await self.bot.kill()
        self.kills += 1
        await self.bot.start()
        await self.after_restart(i, action, mark, update_id)

    async def after_restart(self, i: int, action: Action, mark: int, update_id: int) -> None:
        """What a person does when the bot came back: wait, go on, or redo."""
        said = self.said(action, mark)
        label = f"#{i} {action.key} {action.payload!r}"
        if action.acked(said):
            self.log.append(f"{label}: answered before/at the restart")
            return
        if update_id in self.standin.pending_update_ids():
            self.log.append(f"{label}: handled by the new process")
            await self.wait_ack(action, mark, f"the answer to {label} after the restart")
            return
        if action.kind == "tap" and self.button_gone(action):
            # on_tap takes the buttons off only after the act is stored: the answer was lost
            # in the crash, but the next step's messages are in the outbox, not lost
            self.log.append(f"{label}: taken (its button is gone)")
            return
        if action.conversation and action.then:
            if notice(action.conversation, action.then) in said:
                self.log.append(f"{label}: taken; the bot now asks for {action.then}")
                return
        # the update was taken by the killed process and not answered: do it again
        self.log.append(f"{label}: redone")
        mark = self.standin.mark()
        await self.push(action, again=True)
        await self.wait_ack(action, mark, f"the answer to {label}, redone")


async def seed(url: str, settings: Settings) -> None:
    db = Database(url)
    wf = build_workflow(settings, db, SystemClock())
    try:
        for code, name in OFFICES:
            await wf.onboarding.add_office(code, name)
        async with db.transaction() as s:
            for uid, name, role, office in PEOPLE.values():
                office_id = None
                if office:
                    found = await people.office_by_code(s, office)
                    assert found is not None
                    office_id = found.id
                oid = await people.add_official(
                    s,
                    name=name,
                    now=wf.core.now(),
                    telegram_user_id=uid,
                    office_id=office_id,
                    nip="19800101 200501 1 001",
                    pangkat="Pembina (IV/a)",
                    jabatan="",
                )
                await people.add_role(s, oid, role, wf.core.now(), office_id=office_id)
    finally:
        await db.dispose()


@pytest.fixture
async def crash_db(tmp_path: Path) -> str:
    url = os.environ.get(PG_ENV)
    if url:
        url = Settings._async_driver(url)  # type: ignore[operator]
        await reset_postgres(url)
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/crash.sqlite3"
    await migrate.upgrade(url)
    return url


async def test_killed_twenty_times_in_steps_1_to_3(
    crash_db: str, standin: BotApiStandin, tmp_path: Path
) -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=standin.base_url,
        database_url=crash_db,
        publish_dir=tmp_path / "publik",
    )
    await seed(crash_db, settings)
    for uid, name, _role, _office in PEOPLE.values():
        standin.add_user(uid, name).started = True  # they opened the chat with the bot
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "DIK_HOME": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BOT_USERNAME": "dik_test_bot",
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "DATABASE_URL": crash_db,
        "PUBLISH_DIR": str(tmp_path / "publik"),
        "LOG_LEVEL": "WARNING",
    }
    bot = BotProcess(standin, env, tmp_path / "bot.log")
    rng = random.Random(SEED)
    actions = story()
    kill_at = {i: rng.uniform(0.0, 0.6) for i in rng.sample(range(len(actions)), KILLS)}
    play = Play(standin, bot)
    await bot.start()
    try:
        for i, action in enumerate(actions):
            try:
                await play.act(i, action, kill_at.get(i))
            except AssertionError as exc:
                raise AssertionError(f"#{i}: {exc}\nso far:\n" + "\n".join(play.log)) from None
    finally:
        await bot.stop()
    assert play.kills == KILLS

    db = Database(crash_db)
    try:
        async with db.read() as s:
            every = await cycles.all_cycles(s)
            assert [c.title for c in every] == ["DIK 2026"], every
            runs = await cycles.runs_of(s, every[0].id)
            assert [(r.step_no, r.phase, r.status, r.outcome) for r in runs] == [
                (1, "draft", "done", "submit"),
                (1, "review", "done", "reject"),
                (1, "draft", "done", "submit"),
                (1, "review", "done", "approve"),
                (2, "draft", "done", "submit"),
                (2, "review", "done", "approve"),
                (3, "collect", "done", "complete"),
                (4, "draft", "done", "submit"),
                (4, "review", "open", None),
            ], play.log
            sent = {p.office_name: p for p in await proposals.submitted(s, every[0].id)}
            assert sorted(p.agenda_no for p in sent.values()) == [1, 2, 3]
            assert sent[DISDUK].rows and len(sent[DISDUK].rows) == 1, play.log
            row = sent[DISDUK].rows[0]
            assert (row.informasi, row.konsekuensi_dibuka, row.jangka_waktu) == (
                TYPED["informasi"],
                TYPED["dibuka"],
                TYPED["jangka"],
            )
            assert sent["Badan Kepegawaian dan Pengembangan SDM"].nihil
            assert len(sent["Dinas Kesehatan"].rows) == len(DINKES_ROWS)
            numbers = list(
                await s.scalars(
                    select(m.Document.letter_number).where(m.Document.letter_number.is_not(None))
                )
            )
            assert sorted(int(str(n).split("/")[1]) for n in numbers) == [1, 2]
            rows = list(await s.scalars(select(m.OutboxMessage)))
            names = dict((await s.execute(select(m.Document.id, m.Document.filename))).all())
    finally:
        await db.dispose()

    assert all(r.sent_at is not None for r in rows), [r.id for r in rows if not r.sent_at]
    owed = Counter((r.chat_id, r.text, names.get(r.document_id)) for r in rows)
    got: Counter[tuple[int, str | None, str | None]] = Counter()
    for uid, *_ in PEOPLE.values():
        for msg in standin.sent(uid):
            got[(uid, msg.raw_text, msg.document.filename if msg.document else None)] += 1
    missing = {k: n for k, n in owed.items() if got[k] < n}
    assert not missing, missing  # at least once
    # The outbox sends one message at a time: a kill catches at most one between Telegram
    # taking it and the row being marked sent.
    extra = {k: got[k] - n for k, n in owed.items() if got[k] > n}
    assert sum(extra.values()) <= play.kills, extra
