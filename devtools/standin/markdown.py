"""Telegram's MarkdownV2 and legacy Markdown parse modes, parsed into text and entities."""

from __future__ import annotations

import logging
import re

from devtools.standin.entities import Out, entity_error, utf16_len
from devtools.standin.models import JSONDict

logger = logging.getLogger(__name__)

_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_TOGGLES = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough"}


def parse_markdown_v2(source: str) -> tuple[str, list[JSONDict]]:
    """Parse MarkdownV2 into (plain text, entities); unescaped reserved characters fail."""
    out = Out()
    entities: list[JSONDict] = []
    open_: dict[str, tuple[int, int]] = {}
    i, n = 0, len(source)

    def boff(index: int) -> int:
        return len(source[:index].encode("utf-8"))

    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            out.add(source[i + 1])
            i += 2
            continue
        if ch == "`":
            fence = "```" if source.startswith("```", i) else "`"
            end = source.find(fence, i + len(fence))
            if end < 0:
                kind = "Pre" if fence == "```" else "Code"
                raise entity_error(f"Can't find end of {kind} entity at byte offset {boff(i)}")
            body = re.sub(r"\\([`\\])", r"\1", source[i + len(fence) : end])
            entity: JSONDict = {"type": "pre" if fence == "```" else "code"}
            if fence == "```" and "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    entity["language"] = first
                    body = rest
            entity.update(offset=out.pos, length=utf16_len(body))
            out.add(body)
            if entity["length"]:
                entities.append(entity)
            i = end + len(fence)
            continue
        token = "__" if source.startswith("__", i) else "||" if source.startswith("||", i) else ch
        toggle = "spoiler" if token == "||" else _MDV2_TOGGLES.get(token)
        if toggle is not None:
            if token in open_:
                start, _ = open_.pop(token)
                if out.pos > start:
                    entities.append({"type": toggle, "offset": start, "length": out.pos - start})
            else:
                open_[token] = (out.pos, i)
            i += len(token)
            continue
        if ch == "[":
            m = re.match(r"\[((?:\\.|[^\]\\])*)\]\(((?:\\.|[^)\\])*)\)", source[i:])
            if m:
                label = re.sub(r"\\(.)", r"\1", m.group(1))
                url = re.sub(r"\\(.)", r"\1", m.group(2))
                if label:
                    entities.append(
                        {"type": "text_link", "offset": out.pos, "length": utf16_len(label)}
                        | {"url": url}
                    )
                out.add(label)
                i += m.end()
                continue
        if ch == ">" and (i == 0 or source[i - 1] == "\n"):
            i += 1  # blockquote marker; not tracked as an entity by the stand-in
            continue
        if ch in _MDV2_RESERVED:
            raise entity_error(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(ch)
        i += 1
    if open_:
        token, (_, at) = next(iter(open_.items()))
        kind = "Spoiler" if token == "||" else _MDV2_TOGGLES[token].capitalize()
        raise entity_error(f"Can't find end of {kind} entity at byte offset {boff(at)}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


def parse_markdown(source: str) -> tuple[str, list[JSONDict]]:
    """Parse legacy Markdown (``*bold* _italic_ `code` [text](url)``) into text and entities."""
    out = Out()
    entities: list[JSONDict] = []
    kinds = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}
    i, n = 0, len(source)
    while i < n:
        token = "```" if source.startswith("```", i) else source[i]
        if token in kinds:
            end = source.find(token, i + len(token))
            if end < 0:
                offset = len(source[:i].encode("utf-8"))
                raise entity_error(
                    f"Can't find end of the entity starting at byte offset {offset}"
                )
            body = source[i + len(token) : end]
            if body:
                entities.append(
                    {"type": kinds[token], "offset": out.pos, "length": utf16_len(body)}
                )
            out.add(body)
            i = end + len(token)
            continue
        m = re.match(r"\[([^\]]*)\]\(([^)]*)\)", source[i:]) if token == "[" else None
        if m:
            if m.group(1):
                entities.append(
                    {"type": "text_link", "offset": out.pos, "length": utf16_len(m.group(1))}
                    | {"url": m.group(2)}
                )
            out.add(m.group(1))
            i += m.end()
            continue
        out.add(source[i])
        i += 1
    return out.text(), entities
