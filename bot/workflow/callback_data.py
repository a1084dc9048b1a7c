"""Callback data: short, opaque, and re-checked against the database on every tap.

`a:<run_id>:<action>:<version>`  an act on a step run
`p:<proposal_id>:<send|drop|fill>` an OPD's draft proposal; `p:<proposal_id>:h<n>` its page n
`d:<row_id>:<k|s|t>:<run_id>`   a consequence-test decision on one item
`c:<cycle_id>:<command>`        the answer to "which cycle?"
`h:<meeting_id>:<1|0>`          a Tim UK member's Hadir / Tidak hadir
`u:<row_id>:<run_id>`           start the guided consequence test of one item
`r:<outbox_id>`                 Diterima: the tanda terima of one delivered letter
`q:<submission_id>:<send|acc|ret>` an office's Form DIP answer: Kirim; Terima / Kembalikan
`m:<sop_key>:<year>`            /mulai: start a cycle of this SOP for this year
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.dto import StepRunDTO

RUN_ACTIONS = {
    "sub": "submit",
    "ok": "approve",
    "no": "reject",
    "dlv": "deliver",
    "cls": "close",
    "fin": "finalise",
    "nil": "nihil",
    "typ": "type_rows",
    "upl": "upload",
    "url": "publish",
    "show": "show",
    "sch": "schedule",
    "lbr": "approve_lembar",
}
DECISIONS = {"k": "dikecualikan", "s": "sebagian", "t": "terbuka"}
CODES = {v: k for k, v in RUN_ACTIONS.items()}


@dataclass(frozen=True, slots=True)
class Tap:
    kind: str
    ids: tuple[int, ...]
    word: str


def run_action(run_id: int, action: str, version: int) -> str:
    return f"a:{run_id}:{CODES[action]}:{version}"


def proposal_action(proposal_id: int, word: str) -> str:
    return f"p:{proposal_id}:{word}"


def proposal_page(proposal_id: int, page: int) -> str:
    """A page of the draft's preview (`p:<proposal_id>:h<page>`)."""
    return f"p:{proposal_id}:h{page}"


def decision_action(row_id: int, decision_code: str, run_id: int) -> str:
    return f"d:{row_id}:{decision_code}:{run_id}"


def test_action(row_id: int, run_id: int) -> str:
    return f"u:{row_id}:{run_id}"


def attendance_action(meeting_id: int, present: bool) -> str:
    return f"h:{meeting_id}:{1 if present else 0}"


def receipt_action(outbox_id: int) -> str:
    return f"r:{outbox_id}"


def cycle_choice(cycle_id: int, command: str) -> str:
    return f"c:{cycle_id}:{command}"


DIP_WORDS = ("send", "acc", "ret")


def dip_action(submission_id: int, word: str) -> str:
    return f"q:{submission_id}:{word}"


def sop_choice(sop_key: str, year: int) -> str:
    return f"m:{sop_key}:{year}"


def parse(data: str | None) -> Tap | None:
    """Decode callback data; None for anything malformed (it comes from the client)."""
    if not data or len(data) > 64:
        return None
    parts = data.split(":")
    try:
        if parts[0] == "a" and len(parts) == 4 and parts[2] in RUN_ACTIONS:
            return Tap("a", (int(parts[1]), int(parts[3])), RUN_ACTIONS[parts[2]])
        if parts[0] == "p" and len(parts) == 3 and parts[2] in ("send", "drop", "fill"):
            return Tap("p", (int(parts[1]),), parts[2])
        if parts[0] == "p" and len(parts) == 3 and re.fullmatch(r"h\d{1,4}", parts[2]):
            return Tap("p", (int(parts[1]), int(parts[2][1:])), "page")
        if parts[0] == "d" and len(parts) == 4 and parts[2] in DECISIONS:
            return Tap("d", (int(parts[1]), int(parts[3])), DECISIONS[parts[2]])
        if parts[0] == "u" and len(parts) == 3:
            return Tap("u", (int(parts[1]), int(parts[2])), "test")
        if parts[0] == "h" and len(parts) == 3 and parts[2] in ("0", "1"):
            return Tap("h", (int(parts[1]),), "hadir" if parts[2] == "1" else "tidak")
        if parts[0] == "r" and len(parts) == 2 and parts[1].isdigit():
            return Tap("r", (int(parts[1]),), "receipt")
        if parts[0] == "q" and len(parts) == 3 and parts[2] in DIP_WORDS:
            return Tap("q", (int(parts[1]),), parts[2])
        if parts[0] == "m" and len(parts) == 3 and re.fullmatch(r"[a-z][a-z0-9_]{1,47}", parts[1]):
            return Tap("m", (int(parts[2]),), parts[1])
        if parts[0] == "c" and len(parts) == 3 and parts[2].isalpha():
            return Tap("c", (int(parts[1]),), parts[2])
    except ValueError:
        return None
    return None


Buttons = list[list[list[str]]]
"""Rows of (label, callback data) buttons, as the outbox stores them."""


def run_buttons(run: StepRunDTO, *pairs: tuple[str, str]) -> Buttons:
    """One row of buttons acting on `run`: (label, action) pairs."""
    return [[[label, run_action(run.id, action, run.version)] for label, action in pairs]]
