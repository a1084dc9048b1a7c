"""The Mermaid diagram beside each chat conversation is the one its handlers generate."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from handlers.conversation_diagram import (
    STAY,
    UnreadableReturn,
    diagrams,
    main,
    mermaid,
    outcomes,
    readable_pattern,
    registered_conversations,
)
from handlers.meeting import State as MeetingState
from handlers.meeting import got_agenda_default

DOCS = Path(__file__).resolve().parent.parent / "docs" / "conversations"


class S(IntEnum):
    ONE = 1
    TWO = 2


async def _to_two(*_: object) -> int:
    return S.TWO


async def _branches(flag: bool) -> int | None:
    if flag:
        return S.ONE
    if not flag:
        return await _to_two()
    if flag is None:
        return None
    return ConversationHandler.END


TABLE = {"a": S.ONE, "b": S.TWO}


async def _looked_up(key: str, again: bool) -> int:
    if again:
        return S.ONE if key else ConversationHandler.END
    return TABLE[key]


async def _not_a_state() -> int:
    return S.TWO


async def _opaque(flag: bool) -> int:
    state = S.ONE if flag else S.TWO
    return state


def test_each_conversation_has_its_current_diagram() -> None:
    files = diagrams(registered_conversations())
    assert len(files) >= 5
    for name, text in files.items():
        committed = DOCS / name
        assert committed.is_file(), f"docs/conversations/{name} is missing: run `make diagrams`"
        assert committed.read_text(encoding="utf-8") == text, (
            f"docs/conversations/{name} is stale: run `make diagrams`"
        )
    stale = {p.name for p in DOCS.glob("*.mmd")} - set(files)
    assert not stale, f"diagrams of no conversation: {sorted(stale)}"


def test_every_state_and_entry_point_of_a_conversation_is_drawn() -> None:
    for conv in registered_conversations():
        text = mermaid(conv)
        for state in conv.states:
            assert f"    state {state.name}\n" in text  # type: ignore[attr-defined]
            assert f"    {state.name} --> " in text  # type: ignore[attr-defined]
        for entry in conv.entry_points:
            assert any(
                line.startswith(f"    [*] --> {s.name}: {entry.callback.__name__} (")  # type: ignore[attr-defined]
                for line in text.splitlines()
                for s in conv.states
            )
        assert "any_state --> [*]: cancel (/batal)" in text


def test_the_meeting_diagram_shows_its_retries_and_its_ends() -> None:
    (meeting,) = [c for c in registered_conversations() if c.name == "meeting"]
    text = mermaid(meeting)
    assert "[*] --> DATE: begin (button a:N:sch:N)" in text
    assert "DATE --> DATE: got_date (text and not command)" in text  # a bad date: asked again
    assert "DATE --> TIME: got_date" in text
    assert "AGENDA --> DATE: got_agenda_default (button ag:default)" in text  # day in the past
    assert "AGENDA --> [*]: got_agenda_text" in text
    assert "PLACE --> PLACE" not in text  # any place is taken


def test_outcomes_follow_helpers_and_keep_source_order() -> None:
    assert outcomes(_branches) == (S.ONE, S.TWO, STAY, ConversationHandler.END)
    assert set(outcomes(got_agenda_default)) == {MeetingState.DATE, ConversationHandler.END}


def test_outcomes_read_a_conditional_and_every_value_of_a_table() -> None:
    assert outcomes(_looked_up) == (S.ONE, ConversationHandler.END, S.TWO)


def test_a_return_that_is_no_state_of_the_conversation_stops_the_generator() -> None:
    conv = ConversationHandler(
        entry_points=[CommandHandler("x", _not_a_state)],
        states={S.ONE: [CommandHandler("y", _to_two)]},
        fallbacks=[],
    )
    with pytest.raises(UnreadableReturn, match="none of its states"):
        mermaid(conv)


def test_a_return_that_cannot_be_read_stops_the_generator() -> None:
    with pytest.raises(UnreadableReturn, match=r"_opaque, line \d+: .*return state"):
        outcomes(_opaque)
    conv = ConversationHandler(
        entry_points=[CommandHandler("x", _opaque)],
        states={S.ONE: [CallbackQueryHandler(_to_two, pattern=r"^x:\d+$")]},
        fallbacks=[],
    )
    with pytest.raises(UnreadableReturn):
        mermaid(conv)


def test_patterns_read_as_callback_data() -> None:
    assert readable_pattern(r"^a:\d+:(no|url):\d+$") == "a:N:no/url:N"
    assert readable_pattern(r"^d:\d+:[kst]:\d+$") == "d:N:k/s/t:N"
    assert readable_pattern(r"^ug:[a-z]+$") == "ug:*"


def test_the_command_writes_one_file_per_conversation(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {p.name for p in DOCS.glob("*.mmd")}
