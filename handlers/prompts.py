"""One person's typed answer after a button: a rejection reason or a URL (what is blacked out
on a quick "Sebagian" is asked by handlers.item_decisions).

A single persistent ConversationHandler; what the typed text is for is kept in user_data.
"""

from __future__ import annotations

import warnings
from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.workflow import Outcome
from handlers.answers import opening_tap
from handlers.common import reply, say, user_id
from handlers.context import BotApp, BotContext
from handlers.durable import DurableConversation

RETRY = {
    "bad_url",
    "url_not_https",
    "url_bad_characters",
    "too_long",
    "reason_missing",
    "blacked_out_missing",
}


class State(IntEnum):
    WAIT_TEXT = 1


async def ask(update: Update, context: BotContext) -> int:
    """A button that needs a typed answer: check it first, then ask."""
    tap = await opening_tap(update)
    uid = user_id(update)
    wf = context.workflow
    run_id, version = tap.ids
    check = await wf.acts.check_act(uid, run_id, tap.word, version)
    pending = {"kind": tap.word, "run": run_id, "v": version}
    prompt = "reason" if tap.word == "reject" else "url"
    if not check.ok:
        await reply(update, context, check)
        return ConversationHandler.END
    context.user_data["pending"] = pending  # type: ignore[index]
    await say(update, context, texts.render("prompts", prompt, **check.data))
    return State.WAIT_TEXT


async def answer(update: Update, context: BotContext) -> int:
    """The typed text: hand it to the workflow, which checks everything again."""
    assert update.message is not None and update.message.text is not None
    pending = context.user_data.pop("pending", None)  # type: ignore[union-attr]
    if not pending:
        return ConversationHandler.END
    text = update.message.text
    uid = user_id(update)
    wf = context.workflow
    outcome: Outcome
    if pending["kind"] == "reject":
        outcome = await wf.acts.act(uid, pending["run"], "reject", pending["v"], reason=text)
    else:
        outcome = await wf.acts.publish(uid, pending["run"], pending["v"], text)
    await reply(update, context, outcome)
    if not outcome.ok and outcome.data.get("refused") in RETRY:
        context.user_data["pending"] = pending  # type: ignore[index]
        return State.WAIT_TEXT
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/batal: forget the pending question; nothing is changed."""
    context.user_data.pop("pending", None)  # type: ignore[union-attr]
    await say(update, context, texts.render("prompts", "cancelled"))
    return ConversationHandler.END


def hint(state: int, user_data: dict[str, Any]) -> tuple[str, None]:
    """After a restart: what the stored conversation waits for."""
    return str((user_data.get("pending") or {}).get("kind", "")), None


def build() -> ConversationHandler:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return DurableConversation(
            entry_points=[
                CallbackQueryHandler(ask, pattern=r"^a:\d+:(no|url):\d+$"),
            ],
            states={
                State.WAIT_TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, answer)],
            },
            fallbacks=[CommandHandler("batal", cancel)],
            name="prompt",
            hint=hint,
            allow_reentry=True,
        )


def register(app: BotApp) -> None:
    app.add_handler(build())
