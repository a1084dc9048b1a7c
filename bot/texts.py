"""Indonesian chat texts, rendered from Jinja2 macros in `templates/texts/` (HTML-escaped)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEXTS_DIR = Path(__file__).resolve().parent.parent / "templates" / "texts"


@cache
def _env(directory: Path = TEXTS_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def render(group: str, name: str, /, **context: Any) -> str:
    """Render macro `name` of `templates/texts/<group>.j2` with keyword arguments."""
    module = _env().get_template(f"{group}.j2").module
    macro = getattr(module, name, None)
    if macro is None:
        raise KeyError(f"no text {group}.{name}")
    text = str(macro(**context))
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:  # fold runs of blank lines left by template logic
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def split_text(text: str, limit: int = 4000) -> list[str]:
    """Cut a long message at line ends into parts Telegram accepts (4,096 characters each).

    Our HTML tags never span lines, so each part stays well-formed.
    """
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single overlong line: cut it hard
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts
