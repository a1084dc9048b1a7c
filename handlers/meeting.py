"""Step 6: the petugas fills in the meeting (tanggal, waktu, tempat, acara) in one conversation."""

from __future__ import annotations

import warnings
from datetime import date, time
from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.tanggal import format_hari_tanggal
from bot.tanggal_input import parse_jam, parse_tanggal
from bot.workflow.meeting import DEFAULT_AGENDA
from handlers.answers import opening_tap, pressed, typed_text
from handlers.common import reply, say, send, user_id
from handlers.context import BotApp, BotContext
from handlers.durable import DurableConversation
from handlers.keyboards import one_row


class State(IntEnum):
    DATE = 1
    TIME = 2
    PLACE = 3
    AGENDA = 4


async def begin(update: Update, context: BotContext) -> int:
    """The "Isi jadwal rapat" button: check it, then ask for the date."""
    tap = await opening_tap(update)
    run_id, version = tap.ids
    check = await context.workflow.acts.check_act(user_id(update), run_id, "schedule", version)
    if not check.ok:
        await reply(update, context, check)
        return ConversationHandler.END
    context.user_data["meeting"] = {"run": run_id, "v": version}  # type: ignore[index]
    await say(update, context, texts.render("meeting", "ask_date", cycle=check.data["cycle"]))
    return State.DATE


async def got_date(update: Update, context: BotContext) -> int:
    day = parse_tanggal(typed_text(update))
    if day is None:
        await say(update, context, texts.render("meeting", "bad_date"))
        return State.DATE
    check = await context.workflow.meetings.check_meeting_day(user_id(update), day)
    if not check.ok:
        await reply(update, context, check)
        return State.DATE
    context.user_data["meeting"]["day"] = day.isoformat()  # type: ignore[index]
    await say(update, context, texts.render("meeting", "ask_time", day=format_hari_tanggal(day)))
    return State.TIME


async def got_time(update: Update, context: BotContext) -> int:
    at = parse_jam(typed_text(update))
    if at is None:
        await say(update, context, texts.render("meeting", "bad_time"))
        return State.TIME
    context.user_data["meeting"]["at"] = at.isoformat(timespec="minutes")  # type: ignore[index]
    await say(update, context, texts.render("meeting", "ask_place"))
    return State.PLACE


async def got_place(update: Update, context: BotContext) -> int:
    context.user_data["meeting"]["place"] = typed_text(update)  # type: ignore[index]
    chat = update.effective_chat
    assert chat is not None
    await send(
        context,
        chat.id,
        texts.render("meeting", "ask_agenda", default=DEFAULT_AGENDA),
        markup=one_row(("Pakai acara baku", "ag:default")),
    )
    return State.AGENDA


async def got_agenda_text(update: Update, context: BotContext) -> int:
    return await _finish(update, context, typed_text(update))


async def got_agenda_default(update: Update, context: BotContext) -> int:
    await pressed(update)
    return await _finish(update, context, DEFAULT_AGENDA)


async def _finish(update: Update, context: BotContext, agenda: str) -> int:
    """Hand everything to the workflow, which checks it all again."""
    data = context.user_data.get("meeting") or {}  # type: ignore[union-attr]
    outcome = await context.workflow.meetings.schedule_meeting(
        user_id(update),
        data["run"],
        data["v"],
        day=date.fromisoformat(data["day"]),
        at=time.fromisoformat(data["at"]),
        place=data.get("place", ""),
        agenda=agenda,
    )
    await reply(update, context, outcome)
    if not outcome.ok and outcome.data.get("refused") in (
        "meeting_in_past",
        "meeting_not_working_day",
    ):
        await say(update, context, texts.render("meeting", "ask_date", cycle=""))
        return State.DATE
    context.user_data.pop("meeting", None)  # type: ignore[union-attr]
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop("meeting", None)  # type: ignore[union-attr]
    await say(update, context, texts.render("prompts", "cancelled"))
    return ConversationHandler.END


def hint(state: int, user_data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    """After a restart: what the stored conversation waits for, with its buttons."""
    at = State(state)
    if at is State.AGENDA:
        return "agenda", one_row(("Pakai acara baku", "ag:default"))
    return at.name.lower(), None


def build() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return DurableConversation(
            entry_points=[CallbackQueryHandler(begin, pattern=r"^a:\d+:sch:\d+$")],
            states={
                State.DATE: [MessageHandler(text, got_date)],
                State.TIME: [MessageHandler(text, got_time)],
                State.PLACE: [MessageHandler(text, got_place)],
                State.AGENDA: [
                    MessageHandler(text, got_agenda_text),
                    CallbackQueryHandler(got_agenda_default, pattern=r"^ag:default$"),
                ],
            },
            fallbacks=[CommandHandler("batal", cancel)],
            name="meeting",
            hint=hint,
            allow_reentry=True,
        )


def register(app: BotApp) -> None:
    app.add_handler(build())
