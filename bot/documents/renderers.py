"""The pure half of each maker: a snapshot (JSON) in, the document's bytes out.

`render_snapshot` is what the render worker runs, in a worker process: it reads no database,
no clock and no setting; everything it prints is in the snapshot the act took."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.documents import snapshot as codec
from bot.documents.render import render
from bot.formdik.compiled import CompiledRow, OfficeStatus, OfficeSummary, build_compiled_usulan
from bot.formdik.template import build_form_dik


def _docx(snap: dict[str, Any]) -> bytes:
    """A letter: {"template": name, "context": the encoded template context}."""
    return render(snap["template"], codec.decode(snap["context"]))


def _form_dik(snap: dict[str, Any]) -> bytes:
    """A Form DIK: {"office_name", "cycle_title", "deadline_text", "label_ppid"}."""
    return build_form_dik(
        office_name=snap["office_name"],
        cycle_title=snap["cycle_title"],
        deadline_text=snap["deadline_text"],
        label_ppid=snap["label_ppid"],
    )


def _compiled(snap: dict[str, Any]) -> bytes:
    """A compiled list of proposals: {"cycle_title", "rows": [CompiledRow fields],
    "offices": [{"office", "status", "note"}]}."""
    return build_compiled_usulan(
        cycle_title=snap["cycle_title"],
        rows=[CompiledRow(**r) for r in snap["rows"]],
        offices=[
            OfficeSummary(o["office"], OfficeStatus(o["status"]), o["note"])
            for o in snap["offices"]
        ],
    )


RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "docx": _docx,
    "form_dik": _form_dik,
    "compiled": _compiled,
}
"""The renderers a render job may name."""


def render_snapshot(renderer: str, snap: dict[str, Any]) -> bytes:
    """The document's bytes (a module-level function: a process pool can run it)."""
    return RENDERERS[renderer](snap)
