"""A letter's template context as JSON, and back: the snapshot a render job keeps.

The context a maker builds in the act holds plain values, lists and dicts, the kop's lambang
(`Picture`) and pre-escaped markup; each is written as JSON (a tagged object for the last
two) so that a job rendered later, in another process or after a restart, prints exactly
what the act saw. Anything else is an error at the act, not a surprise at rendering."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bot.documents.render import Picture

_PICTURE = "__picture__"
_MARKUP = "__markup__"
_DATETIME = "__datetime__"
_DATE = "__date__"


def encode(value: Any) -> Any:
    """`value` as JSON-able data (raises TypeError on what it cannot keep)."""
    if isinstance(value, Markup):
        return {_MARKUP: str(value)}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Picture):
        return {
            _PICTURE: [
                str(value.path) if value.path else None,
                value.height_mm,
                str(value.fallback),
            ]
        }
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"context key {key!r} is not a string")
            out[key] = encode(item)
        return out
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    raise TypeError(f"a letter's context cannot keep {type(value).__name__}: {value!r}")


def decode(value: Any) -> Any:
    """The context `encode` wrote."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, item),) = value.items()
        if key == _MARKUP:
            return Markup(item)
        if key == _PICTURE:
            path, height, fallback = item
            return Picture(path, height_mm=height, fallback=Path(fallback))
        if key == _DATETIME:
            return datetime.fromisoformat(item)
        if key == _DATE:
            return date.fromisoformat(item)
    return {key: decode(item) for key, item in value.items()}
