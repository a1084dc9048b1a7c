"""PTB persistence in our own database: conversations and user data, as JSON rows.

A person in the middle of typing a reason or a proposal row finds the conversation where they
left it after a restart. Bot and chat data are not persisted (the database is the state).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage.db import Database, dialect_name
from storage.models import PtbState

USER = "user_data"
CONV = "conversation:"
EMPTY = json.dumps({})


class DbPersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    def __init__(self, db: Database, *, update_interval: float = 1.0) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        #: Conversations (name, key) and users whose stored state a DurableConversation writes
        #: itself, in order with the messages it queues (handlers/durable.py); PTB's own
        #: writes skip them meanwhile, so that they cannot land in between.
        self.held_conversations: set[tuple[str, tuple[Any, ...]]] = set()
        self.held_users: set[int] = set()
        #: The user data as last stored (JSON text) per user: PTB hands every user who sent
        #: an update to `update_user_data` once a second, changed or not; unchanged is skipped.
        self._stored_users: dict[int, str] = {}

    async def _rows(self, kind: str) -> list[PtbState]:
        async with self.db.read() as s:
            return list(await s.scalars(select(PtbState).where(PtbState.kind == kind)))

    async def _put(self, kind: str, key: str, data: dict[str, Any] | None) -> None:
        async with self.db.transaction() as s:
            await self._put_in(s, kind, key, data)

    @staticmethod
    async def _put_in(s: AsyncSession, kind: str, key: str, data: dict[str, Any] | None) -> None:
        if data is None:
            await s.execute(delete(PtbState).where(PtbState.kind == kind, PtbState.key == key))
            return
        ins = (pg_insert if dialect_name(s) == "postgresql" else sqlite_insert)(PtbState)
        await s.execute(
            ins.values(kind=kind, key=key, data=data).on_conflict_do_update(
                index_elements=["kind", "key"], set_={"data": data}
            )
        )

    async def write_conversation(
        self,
        name: str,
        key: ConversationKey,
        new_state: object | None,
        user_id: int,
        user_data: dict[str, Any],
    ) -> None:
        """A conversation's state and its person's user data, in one transaction."""
        async with self.db.transaction() as s:
            text = json.dumps(user_data, default=str, sort_keys=True)
            await self._put_in(s, USER, str(user_id), json.loads(text))
            payload = None if new_state is None else {"state": new_state}
            await self._put_in(s, CONV + name, json.dumps(list(key)), payload)
        self._stored_users[user_id] = text

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        rows = {int(r.key): dict(r.data) for r in await self._rows(USER)}
        self._stored_users = {
            uid: json.dumps(data, default=str, sort_keys=True) for uid, data in rows.items()
        }
        return rows

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        if user_id in self.held_users:
            return  # written by write_conversation
        text = json.dumps(data, default=str, sort_keys=True)
        if self._stored_users.get(user_id, EMPTY) == text:
            return  # unchanged (a user without a row has none)
        await self._put(USER, str(user_id), json.loads(text))
        self._stored_users[user_id] = text

    async def drop_user_data(self, user_id: int) -> None:
        await self._put(USER, str(user_id), None)
        self._stored_users.pop(user_id, None)

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Nothing to refresh: user data is only written by this process."""

    async def get_conversations(self, name: str) -> ConversationDict:
        rows = await self._rows(CONV + name)
        return {tuple(json.loads(r.key)): r.data.get("state") for r in rows}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        if (name, tuple(key)) in self.held_conversations:
            return  # written by write_conversation
        payload = None if new_state is None else {"state": new_state}
        await self._put(CONV + name, json.dumps(list(key)), payload)

    # Chat data, bot data and callback data are not stored (see PersistenceInput above).
    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {}

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        """Not stored."""

    async def update_callback_data(self, data: Any) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Not stored."""

    async def flush(self) -> None:
        """Every update is written at once; nothing is buffered here."""
