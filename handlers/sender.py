"""Deliver the outbox: every message owed, with its file and buttons; retried until sent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaDocument, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.texts import split_text
from bot.workflow import Workflow
from bot.workflow.render_queue import RenderQueue
from handlers.ratelimit import outbox_sending
from storage.dto import OutboxDTO

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Attempts of one Bot API call within one flush or one reply (the first one included).
ATTEMPTS = 4
#: First pause after a 5xx or a dropped connection; doubled after each further failure.
BACKOFF_SECONDS = 0.2
#: A 429 asking for a longer pause than this is left to the sweeper (next flush).
MAX_RETRY_AFTER_SECONDS = 5.0
#: Outbox messages read at a time, and chats sent to at once (the rate limiter keeps the pace;
#: a few calls in flight hide the round trips and the bookkeeping of each message).
BATCH = 200
CONCURRENT_CHATS = 8


def transient(exc: Exception) -> bool:
    """Did this call fail before Telegram executed it, so that trying again is safe?

    429 (after PTB's rate limiter gave up), 5xx answers and dropped connections are; a timeout
    is not (the call may have been executed: Telegram has no idempotency key), and neither are
    400 and 403 (trying again gives the same answer).
    """
    if isinstance(exc, RetryAfter):
        return True
    return isinstance(exc, NetworkError) and not isinstance(exc, TimedOut | BadRequest)


def _pause(exc: Exception, backoff: float) -> float:
    if isinstance(exc, RetryAfter):
        after = exc.retry_after
        return after.total_seconds() if isinstance(after, timedelta) else float(after)
    return backoff


async def with_retries(call: Callable[[], Awaitable[T]], what: str) -> T:
    """Run one Bot API call, trying again (with backoff) while the failure is `transient`.

    The last failure is raised: the caller keeps the message pending (the outbox) or logs it.
    """
    backoff = BACKOFF_SECONDS
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except (RetryAfter, NetworkError) as exc:
            pause = _pause(exc, backoff)
            if not transient(exc) or attempt == ATTEMPTS or pause > MAX_RETRY_AFTER_SECONDS:
                raise
            logger.info("%s failed (%s); attempt %s in %.1f s", what, exc, attempt + 1, pause)
            await asyncio.sleep(pause)
            backoff *= 2
    raise AssertionError("unreachable")  # pragma: no cover


#: Telegram's album: 2 to 10 files in one sendMediaGroup.
MEDIA_GROUP_MAX = 10

#: What one Bot API call delivers: one outbox message, or an album of files without buttons.
Unit = list[OutboxDTO]


def units(batch: list[OutboxDTO]) -> list[Unit]:
    """The batch in order, files without buttons that follow each other in one chat joined
    into one album (sendMediaGroup): a letter, a draft and the task's own file arrive as one
    album and one message that carries the buttons, not as three messages a second apart."""
    out: list[Unit] = []
    album: dict[int, Unit] = {}  # the album still open in each chat
    for message in sorted(batch, key=lambda m: m.id):
        joins = message.document_id is not None and not message.buttons
        current = album.get(message.chat_id)
        if joins and current is not None and len(current) < MEDIA_GROUP_MAX:
            current.append(message)
            continue
        unit = [message]
        out.append(unit)
        if joins:
            album[message.chat_id] = unit
        else:
            album.pop(message.chat_id, None)
    return out


def waves(batch: list[OutboxDTO]) -> list[list[Unit]]:
    """The first unit of every chat, then the second...: a fan-out to many chats does not
    send twice in a row to one chat (Telegram's per-chat limit), and each chat keeps its order
    (a wave is sent only when the one before it is done)."""
    out: list[list[Unit]] = []
    seen: dict[int, int] = {}
    for unit in units(batch):
        chat = unit[0].chat_id
        rank = seen.get(chat, 0)
        seen[chat] = rank + 1
        if rank == len(out):
            out.append([])
        out[rank].append(unit)
    return out


def keyboard(buttons: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


class OutboxSender:
    """Sends pending outbox messages in order; one flush at a time in this process."""

    def __init__(self, workflow: Workflow, bot: Bot, chat_gap: float = 0.0) -> None:
        self.workflow = workflow
        self.bot = bot
        #: Seconds between two messages to one chat, and when each chat was last sent to.
        self.chat_gap = chat_gap
        self._last_sent: dict[int, float] = {}
        self._lock = asyncio.Lock()
        #: Telegram's file_id of each document already uploaded (a letter to 100 OPDs is
        #: uploaded once); file_ids last, and a refused one is dropped and uploaded again.
        self._file_ids: dict[int, str] = {}
        self._uploading: dict[int, asyncio.Lock] = {}  # one upload of a document at a time
        self._drain: asyncio.Task[None] | None = None
        self._again = False
        #: `Database.outbox_commits` when a background delivery last read the outbox.
        self._read_at_commit = -1
        #: The render worker; `flush` first renders what is due (a background delivery,
        #: `kick`, does not wait for it: the chats whose documents are ready go at once).
        self.renders: RenderQueue | None = None

    def kick(self) -> None:
        """Deliver what the outbox owes in the background: a handler does not wait while
        other people's messages go out at Telegram's pace. Kicks while a delivery runs make
        it look once more when it is done (nothing queued meanwhile is left for the sweeper).

        A kick when no transaction of this process has queued a message since the outbox was
        last read (after a view: /tugas, /status) does not look: nothing new is owed. What
        another process queued, and what failed, the sweeper's flush sends."""
        if self.workflow.db.outbox_commits == self._read_at_commit:
            return
        self._again = True
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._drain_outbox(), name="outbox")

    async def _drain_outbox(self) -> None:
        while self._again:
            self._again = False
            self._read_at_commit = self.workflow.db.outbox_commits  # before it is read
            try:
                await self._flush()
            except Exception:  # the rows stay pending: the sweeper tries them again
                logger.exception("outbox delivery failed")

    @property
    def delivering(self) -> bool:
        """Whether a background delivery (`kick`) runs now, or documents it waits for are
        being rendered."""
        rendering = self.renders is not None and self.renders.busy
        return rendering or (self._drain is not None and not self._drain.done())

    async def idle(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        """Wait until the documents due are rendered and a background delivery (`kick`) is
        done; False if `timeout` passed."""
        try:
            async with asyncio.timeout(timeout):
                while self.delivering:
                    if self.renders is not None:
                        await self.renders.idle()
                    await self._delivered()
        except TimeoutError:
            return False
        return True

    async def _delivered(self) -> None:
        while self._drain is not None and not self._drain.done():
            await asyncio.wait({self._drain})

    async def stop(self, timeout: float) -> None:  # noqa: ASYNC109
        """At shutdown: let a delivery finish for `timeout` seconds, then cut it off (what it
        had not sent stays pending in the outbox, for the next start)."""
        if not await self.idle(timeout) and self._drain is not None:
            self._drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain

    async def flush(self) -> int:
        """Render the documents due, then send what the outbox owes, several chats at once
        (the sweeper, start-up, tests); returns how many were sent."""
        if self.renders is not None:
            try:
                await self.renders.drain()
            except Exception:  # the jobs stay queued: the messages ready go anyway
                logger.exception("rendering before the outbox delivery failed")
        return await self._flush()

    async def _flush(self) -> int:
        """Send what the outbox owes (a chat waits behind a document not rendered yet)."""
        sent = 0
        async with self._lock:
            paced = outbox_sending.set(True)  # the rate limiter paces these (bulk) sends
            try:
                while True:
                    batch = await self.workflow.delivery.pending_messages(BATCH)
                    delivered, progressed = await self._send_batch(batch)
                    sent += delivered
                    if not progressed or len(batch) < BATCH:
                        return sent
            finally:
                outbox_sending.reset(paced)

    async def _send_batch(self, batch: list[OutboxDTO]) -> tuple[int, bool]:
        """Wave by wave, up to `CONCURRENT_CHATS` chats at once; a chat whose message failed
        gets nothing more in this batch (its order is kept: the rest waits for the retry)."""
        failed: set[int] = set()
        sent = 0
        progressed = False
        gate = asyncio.Semaphore(CONCURRENT_CHATS)
        self._uploading.clear()
        clock = asyncio.get_running_loop().time
        self._last_sent = {c: t for c, t in self._last_sent.items() if t + self.chat_gap > clock()}

        async def one(unit: Unit) -> bool:
            chat = unit[0].chat_id
            last = self._last_sent.get(chat)
            if last is not None and (wait := last + self.chat_gap - clock()) > 0:
                await asyncio.sleep(wait)  # before the gate: it holds no place meanwhile
            async with gate:
                try:
                    return await self._deliver(unit)
                finally:
                    if self.chat_gap:
                        self._last_sent[chat] = clock()

        for wave in waves(batch):
            wave = [u for u in wave if u[0].chat_id not in failed]
            results = await asyncio.gather(*(one(u) for u in wave), return_exceptions=True)
            for unit, result in zip(wave, results, strict=True):
                if isinstance(result, BaseException):
                    raise result  # after the others finished: none is cut off mid-send
                if result:
                    sent += len(unit)
                    progressed = True
                else:
                    failed.add(unit[0].chat_id)
        return sent, progressed

    async def _deliver(self, unit: Unit) -> bool:
        claimed = [m for m in unit if await self.workflow.delivery.claim_message(m.id)]
        if not claimed:
            return True
        if len(claimed) == 1:
            return await self._deliver_one(claimed[0])
        try:
            messages = await self._send_album(claimed)
        except (NetworkError, Forbidden) as exc:  # TimedOut and BadRequest among them
            chat = claimed[0].chat_id
            logger.warning("album of %s files to chat %s failed: %s", len(claimed), chat, exc)
            for m in claimed:
                await self.workflow.delivery.message_failed(m.id, str(exc))
            return False
        for m, sent in zip(claimed, messages, strict=True):
            await self.workflow.delivery.message_sent(m.id, sent.message_id)
        return True

    async def _deliver_one(self, message: OutboxDTO) -> bool:
        try:
            sent = await self._send(message)
        except TimedOut as exc:
            # Telegram may have delivered it: sent again by the next flush (at least once).
            logger.warning("outbox %s to chat %s timed out: %s", message.id, message.chat_id, exc)
            await self.workflow.delivery.message_failed(
                message.id, f"timed out (may be delivered): {exc}"
            )
            return False
        except RetryAfter as exc:
            logger.warning("outbox %s: rate limited, retry after %s", message.id, exc.retry_after)
            await self.workflow.delivery.message_failed(
                message.id, f"retry after {exc.retry_after}"
            )
            return False
        except (NetworkError, Forbidden) as exc:  # BadRequest is a NetworkError
            logger.warning("outbox %s to chat %s failed: %s", message.id, message.chat_id, exc)
            await self.workflow.delivery.message_failed(message.id, str(exc))
            return False
        await self.workflow.delivery.message_sent(message.id, sent.message_id)
        return True

    async def _send(self, message: OutboxDTO) -> Message:
        """Each Bot API call is retried on its own (`with_retries`), so the first part of a
        long message is not sent again when the second one needs another try."""
        what = f"outbox {message.id} to chat {message.chat_id}"
        markup = keyboard(message.buttons)
        if message.document_id is None:
            parts = split_text(message.text)  # Telegram takes 4,096 characters a message
            sent: Message | None = None
            for i, part in enumerate(parts):
                sent = await self._send_part(message.chat_id, part, markup, i == len(parts) - 1)
            assert sent is not None
            return sent
        doc_id = message.document_id
        async with self._uploading.setdefault(doc_id, asyncio.Lock()):
            known = self._file_ids.get(doc_id)  # the others wait for the first upload
            if known is None:
                return await self._upload(message, markup, what)
        try:  # sent before: Telegram's file_id instead of a new upload
            return await with_retries(
                lambda: self._send_document(message, known, None, markup), what
            )
        except BadRequest as exc:
            logger.info("file_id of document %s refused (%s): uploading it", doc_id, exc)
            self._file_ids.pop(doc_id, None)
        return await self._upload(message, markup, what)

    async def _send_album(self, album: Unit) -> tuple[Message, ...]:
        """One sendMediaGroup: files sent before go by their file_id; if Telegram refuses one,
        every file of the album is uploaded again."""
        what = f"album of outbox {album[0].id}..{album[-1].id} to chat {album[0].chat_id}"
        try:
            return await with_retries(lambda: self._album_call(album, known=True), what)
        except BadRequest as exc:
            if not any(m.document_id in self._file_ids for m in album):
                raise
            logger.info("file_id in an album refused (%s): uploading its files", exc)
            for m in album:
                self._file_ids.pop(m.document_id or 0, None)
        return await with_retries(lambda: self._album_call(album, known=False), what)

    async def _album_call(self, album: Unit, *, known: bool) -> tuple[Message, ...]:
        media: list[InputMediaDocument] = []
        for m in album:
            assert m.document_id is not None
            file_id = self._file_ids.get(m.document_id) if known else None
            if file_id is not None:
                media.append(
                    InputMediaDocument(file_id, caption=m.text, parse_mode=ParseMode.HTML)
                )
                continue
            found = await self.workflow.delivery.document(m.document_id)
            if found is None:
                raise BadRequest(f"document {m.document_id} is missing")
            doc, content = found
            media.append(
                InputMediaDocument(
                    content, filename=doc.filename, caption=m.text, parse_mode=ParseMode.HTML
                )
            )
        sent = await self.bot.send_media_group(album[0].chat_id, media)
        for m, message in zip(album, sent, strict=True):
            if message.document is not None and m.document_id is not None:
                self._file_ids[m.document_id] = message.document.file_id
        return sent

    async def _upload(
        self, message: OutboxDTO, markup: InlineKeyboardMarkup | None, what: str
    ) -> Message:
        assert message.document_id is not None
        found = await self.workflow.delivery.document(message.document_id)
        if found is None:
            raise BadRequest(f"document {message.document_id} is missing")
        doc, content = found
        sent = await with_retries(
            lambda: self._send_document(message, content, doc.filename, markup), what
        )
        if sent.document is not None:
            self._file_ids[message.document_id] = sent.document.file_id
        return sent

    async def _send_document(
        self,
        message: OutboxDTO,
        document: bytes | str,
        filename: str | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        return await self.bot.send_document(
            message.chat_id,
            document=document,
            filename=filename,
            caption=message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )

    async def _send_part(
        self, chat_id: int, part: str, markup: InlineKeyboardMarkup | None, last: bool
    ) -> Message:
        return await with_retries(
            lambda: self.bot.send_message(
                chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
            ),
            f"outbox message to chat {chat_id}",
        )
