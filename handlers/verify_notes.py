"""Kembalikan on a verify step's card: the notes for the office, then the return."""

from __future__ import annotations

import warnings
from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as F

from bot import texts
from bot.workflow import verify
from handlers.answers import opening_tap, typed_text
from handlers.common import reply, say, user_id
from handlers.context import BotApp, BotContext
from handlers.durable import DurableConversation


class State(IntEnum):
    NOTES = 1


async def begin(update: Update, context: BotContext) -> int:
    tap = await opening_tap(update)
    (submission_id,) = tap.ids
    outcome = await verify.check_review(context.workflow.core, user_id(update), submission_id)
    await reply(update, context, outcome)
    if not outcome.ok:
        return ConversationHandler.END
    context.user_data["verify_return"] = submission_id  # type: ignore[index]
    return State.NOTES


async def notes(update: Update, context: BotContext) -> int:
    submission_id = context.user_data.get("verify_return")  # type: ignore[union-attr]
    if submission_id is None:
        return ConversationHandler.END
    outcome = await verify.return_answer(
        context.workflow.core, user_id(update), submission_id, typed_text(update)
    )
    await reply(update, context, outcome)
    if not outcome.ok and outcome.data.get("refused") in ("notes_required", "too_long"):
        return State.NOTES  # ask again; nothing changed
    context.user_data.pop("verify_return", None)  # type: ignore[union-attr]
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop("verify_return", None)  # type: ignore[union-attr]
    await say(update, context, texts.render("prompts", "cancelled"))
    return ConversationHandler.END


def hint(state: int, user_data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    return State(state).name.lower(), None


def build() -> ConversationHandler:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return DurableConversation(
            entry_points=[CallbackQueryHandler(begin, pattern=r"^q:\d+:ret$")],
            states={State.NOTES: [MessageHandler(F.TEXT & ~F.COMMAND, notes)]},
            fallbacks=[CommandHandler("batal", cancel)],
            name="verify_notes",
            hint=hint,
            allow_reentry=True,
        )


def register(app: BotApp) -> None:
    app.add_handler(build())
