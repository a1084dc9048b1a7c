"""State of the Bot API stand-in, and the in-process API that plays the simulated users."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from devtools.standin.formatting import command_entities
from devtools.standin.models import JSONDict, PendingUpdate, SentMessage, SimUser, StoredFile

logger = logging.getLogger(__name__)
#: How long a wait on an event (an update acknowledged, a condition met) may take before it
#: counts as never: generous, so that a slow or loaded machine is never mistaken for a bug.
#: Waits return as soon as the event happens; this is a limit, never a measure of speed.
WAIT_LIMIT = 120.0

#: getUpdates' default allowed_updates: every type except these three.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class StandinState:
    """Users, chats, messages, files and the update queue of the stand-in."""

    def __init__(self, token: str, bot_username: str, bot_name: str = "DIK Test Bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.users: dict[int, SimUser] = {}
        #: Every API call: (method as called, normalised params, time.monotonic()).
        self.calls: list[tuple[str, JSONDict, float]] = []
        #: answerCallbackQuery params per callback query id.
        self.callback_answers: dict[str, JSONDict] = {}
        #: setMyCommands per (scope key, language_code): list of (command, description).
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        #: Counters: "429" (every 429 answered), "500", "502", "drop", "slow".
        self.stats: Counter[str] = Counter()
        self.files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._sent: dict[int, list[SentMessage]] = {}
        self._by_id: dict[tuple[int, int], SentMessage] = {}
        self._user_messages: dict[tuple[int, int], JSONDict] = {}
        self._next_message_id: dict[int, int] = {}
        self._events: list[tuple[int, int]] = []
        self._updates: list[PendingUpdate] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._fetched: set[int] = set()
        self._filtered: set[int] = set()
        self._ack_offset = 0
        self._allowed: frozenset[str] | None = None
        self._changed = asyncio.Event()

    # -- change notification ---------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, seconds: float) -> None:
        event = self._changed
        try:
            async with asyncio.timeout(max(seconds, 0)):
                await event.wait()
        except TimeoutError:
            pass

    # -- simulated users -------------------------------------------------------------------

    def add_user(self, user_id: int, first_name: str, username: str | None = None) -> SimUser:
        """Add a person; their private chat id equals ``user_id``. Idempotent."""
        user = self.users.get(user_id)
        if user is None:
            user = self.users[user_id] = SimUser(user_id, first_name, username)
        return user

    def block_user(self, user_id: int, blocked: bool = True) -> None:
        """The person blocks the bot: sending to them answers 403 Forbidden."""
        self._user(user_id).blocked = blocked

    def push_text(self, user_id: int, text: str) -> int:
        """The person writes ``text``; returns the update_id. ``/commands`` get entities."""
        message = self._user_message(user_id)
        message["text"] = text
        entities = command_entities(text)
        if entities:
            message["entities"] = entities
        return self._push("message", message)

    def push_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        mime_type: str,
        caption: str | None = None,
    ) -> int:
        """The person sends a file; it is stored so the bot can getFile and download it."""
        stored = self.store_file(data, filename, mime_type, "documents")
        message = self._user_message(user_id)
        message["document"] = stored.document_json()
        if caption is not None:
            message["caption"] = caption
        return self._push("message", message)

    def push_callback(self, user_id: int, message_id: int, data: str) -> int:
        """The person taps a button with ``data`` on ``message_id`` (unchecked: may be forged)."""
        user = self._user(user_id)
        user.started = True
        query_id = f"{self.bot_id}{next(self._query_ids):08d}"
        self._open_queries.add(query_id)
        sent = self._by_id.get((user_id, message_id))
        message = (
            self.message_json(sent)
            if sent is not None and not sent.deleted
            else {"chat": user.chat_json(), "message_id": message_id, "date": 0}
        )
        query = {
            "id": query_id,
            "from": user.user_json(),
            "message": message,
            "chat_instance": str(user_id * 7919 + self.bot_id),
            "data": data,
        }
        return self._push("callback_query", query)

    def find_button(self, user_id: int, text: str) -> tuple[int, str]:
        """(message_id, callback_data) of the newest message to the person with that button."""
        visible: list[str] = []
        for sent in reversed(self._sent.get(user_id, [])):
            if sent.deleted:
                continue
            for row in sent.buttons:
                for button in row:
                    if button.text == text and button.callback_data is not None:
                        return sent.message_id, button.callback_data
            if sent.buttons:
                visible.append(f"#{sent.message_id}: {sent.button_texts}")
        raise AssertionError(
            f"no callback button {text!r} in the messages to user {user_id}; visible buttons "
            f"(newest first): {visible or 'none'}"
        )

    def _user(self, user_id: int) -> SimUser:
        try:
            return self.users[user_id]
        except KeyError:
            raise AssertionError(f"unknown user {user_id}: call add_user() first") from None

    def _user_message(self, user_id: int) -> JSONDict:
        user = self._user(user_id)
        user.started = True
        message_id = self._new_message_id(user_id)
        message: JSONDict = {
            "message_id": message_id,
            "from": user.user_json(),
            "chat": user.chat_json(),
            "date": int(time.time()),
        }
        self._user_messages[(user_id, message_id)] = message
        return message

    def _push(self, kind: str, payload: JSONDict) -> int:
        update = PendingUpdate(next(self._update_ids), kind, payload)
        self._updates.append(update)
        self._notify()
        return update.update_id

    # -- records ---------------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id``, oldest first (current state, deleted too)."""
        return list(self._sent.get(chat_id, []))

    def mark(self) -> int:
        """A position in the change log, for :meth:`changes_since`."""
        return len(self._events)

    def changes_since(self, mark: int, chat_id: int) -> list[SentMessage]:
        """Messages to ``chat_id`` sent or edited since ``mark``, in order of first change."""
        seen: dict[int, SentMessage] = {}
        for chat, message_id in self._events[mark:]:
            if chat == chat_id and message_id not in seen:
                seen[message_id] = self._by_id[(chat, message_id)]
        return list(seen.values())

    def store_file(
        self, data: bytes, filename: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = next(self._file_ids)
        suffix = filename.rsplit(".", 1)[-1] if filename and "." in filename else "bin"
        stored = StoredFile(
            file_id=f"F{number}-{uuid.uuid4().hex}",
            file_unique_id=f"U{number}",
            file_path=f"{folder}/file_{number}.{suffix}",
            data=bytes(data),
            filename=filename,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _new_message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _record(self, sent: SentMessage) -> None:
        self._sent.setdefault(sent.chat_id, []).append(sent)
        self._by_id[(sent.chat_id, sent.message_id)] = sent
        self._events.append((sent.chat_id, sent.message_id))
        self._notify()

    def bot_user_json(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def message_json(self, sent: SentMessage) -> JSONDict:
        """The Message object Telegram would return for ``sent`` in its current state."""
        user = self.users[sent.chat_id]
        data: JSONDict = {
            "message_id": sent.message_id,
            "from": self.bot_user_json(),
            "chat": user.chat_json(),
            "date": sent.date,
        }
        media = sent.document or sent.photo
        key = "caption" if media is not None else "text"
        if sent.text is not None:
            data[key] = sent.text
        if sent.entities:
            data["caption_entities" if media is not None else "entities"] = sent.entities
        if sent.document is not None:
            data["document"] = self.files[sent.document.file_id].document_json()
        if sent.photo is not None:
            data["photo"] = self.files[sent.photo.file_id].photo_json()
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            data["reply_markup"] = sent.reply_markup
        if sent.edit_date is not None:
            data["edit_date"] = sent.edit_date
        return data

    # -- update queue (getUpdates side) ----------------------------------------------------

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            keep = self._updates[offset:]
            offset = keep[0].update_id if keep else self._ack_offset
        self._updates = [u for u in self._updates if u.update_id >= offset]
        if offset > self._ack_offset:
            self._ack_offset = offset
            self._notify()

    def _set_allowed(self, allowed: Any) -> None:
        if allowed is None:
            return
        self._allowed = frozenset(allowed) if allowed else None

    def _deliverable(self) -> list[PendingUpdate]:
        """Pending updates; those outside allowed_updates are dropped like Telegram does."""
        allowed = self._allowed
        keep = []
        for update in self._updates:
            ok = update.kind in allowed if allowed else update.kind not in _NOT_BY_DEFAULT
            if ok:
                keep.append(update)
            else:
                self._filtered.add(update.update_id)
        if len(keep) != len(self._updates):
            self._updates = keep
            self._notify()
        return keep

    def _drop_pending(self) -> None:
        for update in self._updates:
            self._filtered.add(update.update_id)
        self._updates = []
        self._notify()

    def is_acknowledged(self, update_id: int) -> bool:
        """The bot fetched the update and confirmed it with a later getUpdates offset."""
        return update_id in self._fetched and self._ack_offset > update_id

    def pending_update_ids(self) -> list[int]:
        return [u.update_id for u in self._updates]

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = WAIT_LIMIT,  # noqa: ASYNC109
        what: str = "the condition",
    ) -> None:
        """Return once ``predicate()`` holds, re-checked after every change the stand-in sees
        (an API call, a message sent or edited, an update queued or confirmed). For a bot in
        another process, where ``update_queue.join()`` cannot be awaited."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{what} did not happen within {timeout}s")
            await self._wait_change(remaining)

    async def wait_acknowledged(
        self,
        update_id: int,
        timeout: float = WAIT_LIMIT,  # noqa: ASYNC109
    ) -> None:
        """Return once the bot fetched ``update_id`` and polled again with a higher offset.

        PTB's Updater puts fetched updates into ``application.update_queue`` before it polls
        again, so afterwards the update is in (or through) the queue.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.is_acknowledged(update_id):
            if update_id in self._filtered:
                raise AssertionError(
                    f"update {update_id} was dropped (allowed_updates or drop_pending_updates)"
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"update {update_id} not acknowledged within {timeout}s (fetched: "
                    f"{update_id in self._fetched}, last offset: {self._ack_offset}); "
                    "is the Updater polling this stand-in?"
                )
            await self._wait_change(remaining)
