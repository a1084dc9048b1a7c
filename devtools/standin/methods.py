"""Bot API method implementations of the stand-in (one ``api_<lowercase name>`` per method)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from devtools.standin.formatting import MAX_CAPTION, MAX_TEXT, render_text, validate_reply_markup
from devtools.standin.models import (
    ApiError,
    JSONDict,
    SentMessage,
    SimUser,
    StoredFile,
    bad_request,
)
from devtools.standin.state import StandinState

logger = logging.getLogger(__name__)

#: An uploaded multipart part: (filename, content, content type).
Upload = tuple[str | None, bytes, str | None]

MAX_DOWNLOAD = 20 * 1024 * 1024
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def scope_key(scope: Any) -> str:
    """A readable key for a BotCommandScope: ``default``, ``chat:42``, ``chat_member:-1:42``."""
    if not scope:
        return "default"
    parts = [str(scope.get("type", "default"))]
    parts += [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
    return ":".join(parts)


class ApiMethods(StandinState):
    """The Bot API methods. Each takes normalised params and uploaded files."""

    webhook_url = ""
    _closing = False

    # -- helpers ---------------------------------------------------------------------------

    def _chat(self, params: JSONDict) -> SimUser:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        user = self.users.get(chat_id) if isinstance(chat_id, int) else None
        if user is None or not user.started:
            raise bad_request("chat not found")
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user

    def _editable(self, params: JSONDict) -> SentMessage:
        if params.get("inline_message_id"):
            raise bad_request("the stand-in does not support inline messages")
        user = self._chat(params)
        sent = self._by_id.get((user.id, params.get("message_id") or 0))
        if sent is None or sent.deleted:
            if (user.id, params.get("message_id")) in self._user_messages:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return sent

    def _input_file(
        self, params: JSONDict, files: dict[str, Upload], field: str, folder: str
    ) -> StoredFile:
        value = params.get(field)
        upload = files.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            filename, data, mime_type = upload
            if not data:
                raise bad_request("file must be non-empty")
            return self.store_file(data, filename, mime_type or "application/octet-stream", folder)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _new_sent(self, user: SimUser, params: JSONDict, text_key: str) -> SentMessage:
        limit, what = (MAX_TEXT, "text") if text_key == "text" else (MAX_CAPTION, "caption")
        raw = params.get(text_key)
        if raw is None and what == "text":
            raise bad_request("message text is empty")
        text: str | None = None
        entities: list[JSONDict] = []
        if raw is not None:
            text, entities = render_text(
                str(raw),
                params.get("parse_mode"),
                params.get("entities" if what == "text" else "caption_entities"),
                limit=limit,
                what=what,
            )
        markup = validate_reply_markup(params.get("reply_markup"))
        return SentMessage(
            message_id=0,
            chat_id=user.id,
            text=text,
            parse_mode=params.get("parse_mode"),
            date=int(time.time()),
            raw_text=None if raw is None else str(raw),
            entities=entities,
            reply_markup=markup,
        )

    def _commit(self, sent: SentMessage) -> JSONDict:
        sent.message_id = self._new_message_id(sent.chat_id)
        self._record(sent)
        return self.message_json(sent)

    # -- getting updates -------------------------------------------------------------------

    async def api_getme(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        return self.bot_user_json() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def api_getupdates(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), 50.0)
        self._set_allowed(params.get("allowed_updates"))
        if params.get("offset") is not None:
            self._confirm(int(params["offset"]))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._deliverable() and not self._closing and loop.time() < deadline:
            await self._wait_change(deadline - loop.time())
        batch = self._deliverable()[:limit]
        self._fetched.update(u.update_id for u in batch)
        return [{"update_id": u.update_id, u.kind: u.payload} for u in batch]

    async def api_setwebhook(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._drop_pending()
        return True

    async def api_deletewebhook(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._drop_pending()
        return True

    async def api_getwebhookinfo(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def api_close(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        return True

    async def api_logout(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        return True

    # -- sending ---------------------------------------------------------------------------

    async def api_sendmessage(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        user = self._chat(params)
        return self._commit(self._new_sent(user, params, "text"))

    async def api_senddocument(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        user = self._chat(params)
        sent = self._new_sent(user, params, "caption")
        stored = self._input_file(params, files, "document", "documents")
        sent.document = stored.as_sent()
        return self._commit(sent)

    async def api_sendmediagroup(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        """An album: 2-10 files of one type, each with its own caption, no buttons."""
        user = self._chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media: 2 to 10 are allowed")
        if any(not isinstance(item, dict) or item.get("type") != "document" for item in media):
            raise bad_request("the stand-in groups documents only, and only with documents")
        if "reply_markup" in params:
            raise bad_request("a media group has no reply_markup")
        prepared = []
        for item in media:  # every item is checked before any is sent, as Telegram does
            sent = self._new_sent(user, {k: v for k, v in item.items() if k != "media"}, "caption")
            stored = self._input_file({"media": item.get("media")}, files, "media", "documents")
            sent.document = stored.as_sent()
            prepared.append(sent)
        return [self._commit(sent) for sent in prepared]

    async def api_sendphoto(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        user = self._chat(params)
        sent = self._new_sent(user, params, "caption")
        stored = self._input_file(params, files, "photo", "photos")
        sent.photo = stored.as_sent()
        return self._commit(sent)

    async def api_sendchataction(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        self._chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # -- editing ---------------------------------------------------------------------------

    def _apply_edit(
        self, sent: SentMessage, text: str | None, entities: list[JSONDict], markup: Any
    ) -> JSONDict:
        if (text, entities, markup) == (sent.text, sent.entities, sent.reply_markup):
            raise bad_request(_NOT_MODIFIED)
        sent.edits.append(sent.text)
        sent.text, sent.entities, sent.reply_markup = text, entities, markup
        sent.edit_date = int(time.time())
        self._events.append((sent.chat_id, sent.message_id))
        self._notify()
        return self.message_json(sent)

    async def api_editmessagetext(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        sent = self._editable(params)
        if sent.document is not None or sent.photo is not None:
            raise bad_request("there is no text in the message to edit")
        new = self._new_sent(self.users[sent.chat_id], params, "text")
        sent.parse_mode, sent.raw_text = new.parse_mode, new.raw_text
        return self._apply_edit(sent, new.text, new.entities, new.reply_markup)

    async def api_editmessagecaption(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        sent = self._editable(params)
        if sent.document is None and sent.photo is None:
            raise bad_request("there is no caption in the message to edit")
        new = self._new_sent(self.users[sent.chat_id], params, "caption")
        return self._apply_edit(sent, new.text, new.entities, new.reply_markup)

    async def api_editmessagereplymarkup(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        sent = self._editable(params)
        markup = validate_reply_markup(params.get("reply_markup"))
        return self._apply_edit(sent, sent.text, sent.entities, markup)

    async def api_deletemessage(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        user = self._chat(params)
        key = (user.id, params.get("message_id") or 0)
        sent = self._by_id.get(key)
        if sent is not None and not sent.deleted:
            sent.deleted = True
            self._notify()
            return True
        if self._user_messages.pop(key, None) is not None:
            return True
        raise bad_request("message to delete not found")

    async def api_answercallbackquery(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        self.callback_answers[query_id] = dict(params)
        return True

    # -- commands, files, chats ------------------------------------------------------------

    def _commands_key(self, params: JSONDict) -> tuple[str, str]:
        return scope_key(params.get("scope")), str(params.get("language_code") or "")

    async def api_setmycommands(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        stored = []
        for item in commands:
            command = str(item.get("command", "")) if isinstance(item, dict) else ""
            description = str(item.get("description", "")) if isinstance(item, dict) else ""
            if not (1 <= len(command) <= 32 and command.replace("_", "a").isalnum()):
                raise bad_request("BOT_COMMAND_INVALID")
            if command != command.lower() or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_INVALID")
            stored.append((command, description))
        self.commands[self._commands_key(params)] = stored
        return True

    async def api_getmycommands(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        stored = self.commands.get(self._commands_key(params), [])
        return [{"command": c, "description": d} for c, d in stored]

    async def api_deletemycommands(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def api_getfile(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return stored.file_json()

    async def api_getchat(self, params: JSONDict, files: dict[str, Upload]) -> Any:
        user = self._chat(params)
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return user.chat_json() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys((*gifts, "gifts_from_channels"), True),
        }

    def file_by_path(self, path: str) -> StoredFile | None:
        return self._files_by_path.get(path)
