"""Shared pieces of the parse-mode parsers: UTF-16 lengths, output buffer, the 400 error."""

from __future__ import annotations

import logging

from devtools.standin.models import ApiError, bad_request

logger = logging.getLogger(__name__)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def entity_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


class Out:
    """Collects plain text and tracks the UTF-16 position."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += utf16_len(text)

    def text(self) -> str:
        return "".join(self.parts)
