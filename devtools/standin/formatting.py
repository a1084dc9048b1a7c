"""Telegram's text rules: parse_mode parsing into entities, length limits, keyboards.

The parsers are strict where a bot can get it wrong: an HTML tag outside Telegram's set, an
unbalanced tag, or a ``<``/``&`` that the bot forgot to escape answers
``400 Bad Request: can't parse entities: ...``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from devtools.standin.entities import Out, entity_error, utf16_len
from devtools.standin.markdown import parse_markdown, parse_markdown_v2
from devtools.standin.models import JSONDict, bad_request

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_ATTR = r"""[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?"""
_TAG_RE = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_ATTR_RE = re.compile(r"""([^\s=>/"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND_RE = re.compile(r"(?<!\S)/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?")


def _decode_entity(match: re.Match[str], byte_offset: int) -> str:
    name, dec, hexa = match.groups()
    if name:
        return _NAMED[name]
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise entity_error(f"Invalid HTML entity at byte offset {byte_offset}")
    return chr(code)


def _unescape_attr(value: str) -> str:
    if value[:1] in "\"'":
        value = value[1:-1]
    return _ENTITY_RE.sub(lambda m: _decode_entity(m, 0), value)


def parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (plain text, entities); raise a 400 ApiError when invalid."""
    out = Out()
    entities: list[JSONDict] = []
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    n = len(source)

    def boff(index: int) -> int:
        return len(source[:index].encode("utf-8"))

    while i < n:
        ch = source[i]
        if ch == "<":
            m = _TAG_RE.match(source, i)
            if m is None:
                raise entity_error(
                    f'Unsupported start tag "{source[i + 1 : i + 11].split(">")[0]}" '
                    f"at byte offset {boff(i)}; escape a literal '<' as &lt;"
                )
            closing, name, attr_text = m.group(1), m.group(2).lower(), m.group(3)
            if closing:
                if attr_text.strip():
                    raise entity_error(f"Unexpected end tag at byte offset {boff(i)}")
                if not stack:
                    raise entity_error(f"Unexpected end tag at byte offset {boff(i)}")
                top, start, attrs = stack.pop()
                if top != name:
                    raise entity_error(
                        f"Unmatched end tag at byte offset {boff(i)}, expected "
                        f'"</{top}>", found "</{name}>"'
                    )
                _close_html_entity(top, start, attrs, out.pos, entities, stack)
            else:
                if name not in _HTML_TAGS:
                    raise entity_error(f'Unsupported start tag "{name}" at byte offset {boff(i)}')
                attrs = {
                    a.group(1).lower(): _unescape_attr(a.group(2) or "")
                    for a in _ATTR_RE.finditer(attr_text)
                }
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise entity_error('Tag "span" must have class "tg-spoiler"')
                if name == "tg-emoji" and not attrs.get("emoji-id"):
                    raise entity_error('Tag "tg-emoji" must have attribute "emoji-id"')
                stack.append((name, out.pos, attrs))
            i = m.end()
        elif ch == "&":
            m = _ENTITY_RE.match(source, i)
            if m is None:
                raise entity_error(
                    f"Unescaped '&' at byte offset {boff(i)}; write it as &amp; (only &lt; &gt; "
                    "&amp; &quot; and numeric entities are supported)"
                )
            out.add(_decode_entity(m, boff(i)))
            i = m.end()
        else:
            j = i
            while j < n and source[j] not in "<&":
                j += 1
            out.add(source[i:j])
            i = j
    if stack:
        raise entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


def _close_html_entity(
    name: str,
    start: int,
    attrs: dict[str, str],
    end: int,
    entities: list[JSONDict],
    stack: list[tuple[str, int, dict[str, str]]],
) -> None:
    kind = _HTML_TAGS[name]
    if name == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            stack[-1][2]["language"] = language.removeprefix("language-")
        return
    if end <= start:
        return  # Telegram drops empty entities
    entity: JSONDict = {"type": kind, "offset": start, "length": end - start}
    if name == "a":
        entity["url"] = attrs.get("href", "")
    elif name == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    entities.append(entity)


def render_text(
    text: str, parse_mode: str | None, entities: Any, *, limit: int, what: str
) -> tuple[str, list[JSONDict]]:
    """Apply ``parse_mode`` (or explicit entities) and Telegram's length rules.

    ``what`` is ``"text"`` or ``"caption"``; an empty text or a text over ``limit`` UTF-16 units
    (counted after parsing, like Telegram) answers 400.
    """
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, ents = parse_html(text)
    elif mode == "markdownv2":
        plain, ents = parse_markdown_v2(text)
    elif mode == "markdown":
        plain, ents = parse_markdown(text)
    elif mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    else:
        plain, ents = text, list(entities or [])
    if what == "text" and not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > limit:
        raise bad_request(
            "message is too long" if what == "text" else "message caption is too long"
        )
    return plain, ents


def command_entities(text: str) -> list[JSONDict]:
    """``bot_command`` entities for every ``/command`` token, like Telegram adds them."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group(0)),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def validate_reply_markup(markup: Any) -> JSONDict | None:
    """Check a reply_markup like Telegram does; returns it as a dict (or None)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup  # reply keyboard, ReplyKeyboardRemove or ForceReply: stored as is
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [a for a in _BUTTON_ACTIONS if a in button]
            if len(actions) != 1:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    "inline keyboard"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button:
                url = str(button["url"])
                if not re.match(r"(https?|tg)://\S+$", url):
                    raise bad_request(
                        f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
                    )
    return markup
