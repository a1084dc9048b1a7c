"""The Bot API stand-in and the driver, exercised through a real PTB Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, EndPointNotFound, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from devtools.standin import BotApiStandin, Button, SentFile, running
from devtools.standin.faults import FloodLimiter

TOKEN = "123:TEST"
PETUGAS, KADIS = 1001, 1002


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without it PTB 22 warns (PTBDeprecationWarning) as soon as a RetryAfter is built.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    server = BotApiStandin(token=TOKEN, bot_username="dik_test_bot")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(standin: BotApiStandin) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN,
        base_url=standin.base_url + "/bot",
        base_file_url=standin.base_url + "/file/bot",
        request=HTTPXRequest(connection_pool_size=64),
    ) as tg_bot:
        yield tg_bot


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_user
    payload = " ".join(context.args or [])
    await update.effective_message.reply_html(
        f"Halo <b>{update.effective_user.first_name}</b> &amp; selamat datang. [{payload}]"
    )


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Setuju", callback_data="act:1:ok")],
            [InlineKeyboardButton("Tolak", callback_data="act:1:no")],
        ]
    )
    await update.effective_message.reply_text("Nota dinas siap.", reply_markup=keyboard)


async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Tercatat")
    await query.edit_message_text(f"Dipilih: {query.data}")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message and update.message.document
    data = await (await update.message.document.get_file()).download_as_bytearray()
    await update.message.reply_text(f"Ukuran {len(data)} byte")


async def send_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    await update.effective_message.reply_document(
        b"isi surat", filename="surat.docx", caption="<i>Surat</i> terlampir", parse_mode="HTML"
    )


async def notify_kadis(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(KADIS, "Ada nota dinas untuk diparaf.")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message and update.message.text
    await update.message.reply_text(update.message.text)


async def slow_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    await asyncio.sleep(0.05)
    await update.effective_message.reply_text("Selesai diproses")


async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise RuntimeError("boom")


def build_app(standin: BotApiStandin) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(standin.base_url + "/bot")
        .base_file_url(standin.base_url + "/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CommandHandler("file", send_file))
    app.add_handler(CommandHandler("notify", notify_kadis))
    app.add_handler(CommandHandler("boom", boom))
    app.add_handler(CommandHandler("lambat", slow_reply, block=False))
    app.add_handler(CallbackQueryHandler(on_tap))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


async def test_round_trips_through_the_driver(standin: BotApiStandin) -> None:
    async with running(build_app(standin), standin) as chat:
        petugas = chat.person(PETUGAS, "Rina")
        kadis = chat.person(KADIS, "Yosef")

        [hello] = await petugas.say("/start siklus-7")
        assert hello.text == "Halo Rina & selamat datang. [siklus-7]"
        assert hello.parse_mode == "HTML"
        assert hello.entities == [{"type": "bold", "offset": 5, "length": 4}]

        assert [m.text for m in await petugas.say("apa kabar")] == ["apa kabar"]

        [offer] = await petugas.say("/menu")
        assert offer.buttons == [
            [Button("Setuju", "act:1:ok")],
            [Button("Tolak", "act:1:no")],
        ]
        [edited] = await petugas.tap("Setuju")
        assert edited.message_id == offer.message_id
        assert edited.text == "Dipilih: act:1:ok"
        assert edited.edits == ["Nota dinas siap."]
        assert edited.buttons == []  # editing the text without reply_markup drops the keyboard
        assert [a["text"] for a in standin.callback_answers.values()] == ["Tercatat"]
        with pytest.raises(AssertionError, match="no callback button 'Tolak'"):
            await petugas.tap("Tolak")

        [stale] = await petugas.tap_data(offer.message_id, "act:999:forged")
        assert stale.text == "Dipilih: act:999:forged"

        data = bytes(range(256)) * 40
        [size] = await petugas.upload("usulan.xlsx", data)
        assert size.text == f"Ukuran {len(data)} byte"

        [doc] = await petugas.say("/file")
        docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert doc.document == SentFile("surat.docx", b"isi surat", docx)
        assert doc.text == "Surat terlampir"

        # The bot cannot write to someone who never wrote to it ...
        with pytest.raises(AssertionError, match="Chat not found"):
            await petugas.say("/notify")
        chat.errors.clear()
        # ... but can once they did.
        await kadis.say("/start")
        assert await petugas.say("/notify") == []
        assert kadis.last.text == "Ada nota dinas untuk diparaf."
        assert [m.text for m in chat.received(KADIS)][-1] == kadis.last.text

        [late] = await petugas.say("/lambat")  # block=False handlers are awaited too
        assert late.text == "Selesai diproses"

        assert len(petugas.inbox) == 6
        assert petugas.last is late
        await chat.settle()


async def test_handler_errors_are_collected_when_not_raised(standin: BotApiStandin) -> None:
    async with running(build_app(standin), standin, raise_handler_errors=False) as chat:
        person = chat.person(PETUGAS, "Rina")
        assert await person.say("/boom") == []
        assert [str(e) for e in chat.errors] == ["boom"]


async def test_standin_http_basics(standin: BotApiStandin, bot: Bot) -> None:
    assert bot.username == "dik_test_bot"
    commands = [BotCommand("start", "Mulai"), BotCommand("status", "Status siklus")]
    scope = BotCommandScopeAllPrivateChats()
    assert await bot.set_my_commands(commands, scope=scope, language_code="id")
    assert await bot.get_my_commands(scope=scope, language_code="id") == tuple(commands)
    assert await bot.get_my_commands() == ()
    assert standin.commands[("all_private_chats", "id")][0] == ("start", "Mulai")

    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{standin.base_url}/bot999:WRONG/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.get(f"{standin.base_url}/bot{TOKEN}/getMe") as resp:
            assert (await resp.json())["result"]["id"] == 123
        async with session.post(
            f"{standin.base_url}/bot{TOKEN}/getMe", json={}
        ) as resp:  # JSON bodies work too
            assert (await resp.json())["result"]["username"] == "dik_test_bot"

    standin.add_user(PETUGAS, "Rina")
    update_id = standin.push_document(PETUGAS, "a.pdf", b"%PDF", "application/pdf")
    [update] = await bot.get_updates(timeout=dtm.timedelta(seconds=1))
    assert update.update_id == update_id
    assert update.message and update.message.document
    assert await (await bot.get_file(update.message.document.file_id)).download_as_bytearray()
    chat = await bot.get_chat(PETUGAS)
    assert chat.first_name == "Rina"
    again = await bot.send_document(PETUGAS, update.message.document.file_id, caption="lagi")
    photo = await bot.send_photo(PETUGAS, b"\x89PNG fake", filename="grafik.png")
    assert photo.photo and again.document
    [doc_record, photo_record] = standin.sent(PETUGAS)
    assert doc_record.document == SentFile("a.pdf", b"%PDF", "application/pdf")
    assert photo_record.photo is not None and photo_record.photo.data == b"\x89PNG fake"
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    assert standin.is_acknowledged(update_id)


async def test_bad_requests_like_telegram(standin: BotApiStandin, bot: Bot) -> None:
    standin.add_user(PETUGAS, "Rina")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(PETUGAS, "halo")  # never wrote to the bot
    standin.push_text(PETUGAS, "/start")

    async def rejects(match: str, **kwargs: Any) -> None:
        # PTB strips "Bad Request: " and capitalize()s the rest, hence (?i).
        with pytest.raises(BadRequest, match=f"(?i){match}"):
            await bot.send_message(PETUGAS, **kwargs)

    await rejects("Message text is empty", text=" ")
    await rejects("Message is too long", text="x" * 4097)
    await rejects('parse entities: Unsupported start tag "br"', text="a<br>b", parse_mode="HTML")
    await rejects("parse entities: Can't find end tag", text="<b>tebal", parse_mode="HTML")
    await rejects("parse entities: Unmatched end tag", text="<b><i>x</b></i>", parse_mode="HTML")
    await rejects("parse entities: Unsupported start tag", text="1 < 2", parse_mode="HTML")
    await rejects("parse entities: Unescaped '&'", text="PPID & OPD", parse_mode="HTML")
    await rejects("parse entities: Character '.' is reserved", text="Ok.", parse_mode="MarkdownV2")
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    await rejects("BUTTON_DATA_INVALID", text="pilih", reply_markup=long_data)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(PETUGAS, b"x", filename="a.txt", caption="c" * 1025)

    ok = await bot.send_message(PETUGAS, "<b>x</b> &lt;&amp;&gt; ok", parse_mode="HTML")
    assert ok.text == "x <&> ok"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>x</b> &lt;&amp;&gt; ok", PETUGAS, ok.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("baru", PETUGAS, 999)
    assert await bot.delete_message(PETUGAS, ok.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("baru", PETUGAS, ok.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(PETUGAS, ok.message_id)
    assert standin.sent(PETUGAS)[-1].deleted


async def test_faults_and_flood_limits(standin: BotApiStandin, bot: Bot) -> None:
    users = range(2000, 2040)
    for user_id in users:
        standin.add_user(user_id, f"U{user_id}")
        standin.push_text(user_id, "/start")

    standin.fail_next("sendMessage", "429", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(2000, "halo")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    standin.fail_next("sendMessage", "502")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(2000, "halo")
    standin.fail_next("sendMessage", "drop")
    with pytest.raises(NetworkError):
        await bot.send_message(2000, "halo")
    assert standin.sent(2000) == []
    assert (await bot.send_message(2000, "halo")).text == "halo"
    assert standin.stats["429"] == 1

    standin.enforce_rate_limits = True
    results = await asyncio.gather(
        *(bot.send_message(user_id, "siaran") for user_id in users), return_exceptions=True
    )
    limited = [r for r in results if isinstance(r, RetryAfter)]
    assert len(limited) == 10  # at most 30 sends per second overall
    assert all(r.retry_after == dtm.timedelta(seconds=1) for r in limited)
    assert standin.stats["429"] == 11
    assert sum(m.text == "siaran" for u in users for m in standin.sent(u)) == 30


def test_flood_limiter_windows() -> None:
    limiter = FloodLimiter(overall=3, per_chat=1, window=1.0)
    assert limiter.check(1, 0.0) is None
    assert limiter.check(1, 0.5) == 1  # 1 per second per chat
    assert limiter.check(2, 0.5) is None
    assert limiter.check(3, 0.6) is None
    assert limiter.check(4, 0.7) == 1  # 3 per second overall
    assert limiter.check(1, 1.01) is None  # the window slid past the first send


async def test_slow_call_still_delivers(standin: BotApiStandin) -> None:
    standin.add_user(PETUGAS, "Rina")
    standin.push_text(PETUGAS, "/start")
    standin.fail_next("sendMessage", "slow", delay=0.3)
    async with Bot(TOKEN, base_url=standin.base_url + "/bot") as tg_bot:
        with pytest.raises(NetworkError, match="Timed out"):
            await tg_bot.send_message(PETUGAS, "lambat", read_timeout=0.1)
    await standin.finish_background()  # the call completes although the client gave up
    assert [m.text for m in standin.sent(PETUGAS)] == ["lambat"]
