"""Records kept by the Bot API stand-in: what the bot sent, and the files it knows."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

JSONDict = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer (``{"ok": false, ...}``) raised by a method implementation."""

    def __init__(
        self, error_code: int, description: str, parameters: JSONDict | None = None
    ) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    """A 400 answer; ``description`` is written without the ``Bad Request:`` prefix."""
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the person sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SentFile:
    """A file attached to a message the bot sent (``file_id`` is ignored in comparisons)."""

    filename: str | None
    data: bytes
    mime_type: str | None
    file_id: str = field(default="", compare=False, repr=False)


@dataclass
class StoredFile:
    """A file the stand-in can serve through getFile and the file download URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    filename: str | None
    mime_type: str | None

    @property
    def size(self) -> int:
        return len(self.data)

    def as_sent(self) -> SentFile:
        return SentFile(self.filename, self.data, self.mime_type, self.file_id)

    def document_json(self) -> JSONDict:
        doc: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.filename is not None:
            doc["file_name"] = self.filename
        if self.mime_type is not None:
            doc["mime_type"] = self.mime_type
        return doc

    def photo_json(self) -> list[JSONDict]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": 320,
                "height": 320,
            }
        ]

    def file_json(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


def buttons_of(reply_markup: JSONDict | None) -> list[list[Button]]:
    """The inline keyboard of ``reply_markup`` as rows of buttons (empty if there is none)."""
    if not reply_markup:
        return []
    rows = reply_markup.get("inline_keyboard") or []
    return [
        [Button(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row]
        for row in rows
    ]


@dataclass
class SentMessage:
    """A message the bot sent, in its current state.

    ``text`` is the text or caption as the person sees it (HTML/Markdown markup removed, entities
    decoded); ``raw_text`` is what the bot sent. ``edits`` holds the text before each successful
    edit (a keyboard-only edit appends the unchanged text), so ``len(edits)`` counts edits.
    """

    message_id: int
    chat_id: int
    text: str | None
    parse_mode: str | None
    date: int
    raw_text: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    document: SentFile | None = None
    photo: SentFile | None = None
    edits: list[str | None] = field(default_factory=list)
    deleted: bool = False
    edit_date: int | None = None

    @property
    def buttons(self) -> list[list[Button]]:
        """Current inline keyboard (after edits), as rows of buttons."""
        return buttons_of(self.reply_markup)

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def button(self, text: str) -> Button:
        """The button labelled ``text``; AssertionError listing the buttons if there is none."""
        for row in self.buttons:
            for b in row:
                if b.text == text:
                    return b
        raise AssertionError(
            f"message {self.message_id} has no button {text!r}; buttons: {self.button_texts}"
        )


@dataclass
class SimUser:
    """A simulated Telegram user; ``started`` once they wrote to the bot."""

    id: int
    first_name: str
    username: str | None = None
    started: bool = False
    blocked: bool = False

    def user_json(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data

    def chat_json(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class PendingUpdate:
    """An update waiting for getUpdates."""

    update_id: int
    kind: str
    payload: JSONDict
