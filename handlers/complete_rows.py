"""Step 3 on a phone: complete, before sending, the consequences a draft's rows lack.

UU 14/2008 Pasal 19 asks for the consequence if the information is opened and if it is
closed. The preview marks the rows that lack one and offers "Lengkapi": the bot asks for each
missing text in turn (each answer is stored in the draft at once; "Lewati" leaves it empty),
then shows the preview again. The OPD may also send the draft as it is.
"""

from __future__ import annotations

import warnings
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
from handlers.answers import opening_tap, pressed
from handlers.common import drop_buttons, reply, say, send_here, user_id
from handlers.context import BotApp, BotContext
from handlers.durable import DurableConversation
from handlers.keyboards import one_row

SKIP = one_row(("⏭ Lewati", "f:skip"))


class State(IntEnum):
    TEXT = 1


def _fill(context: BotContext) -> dict[str, Any]:
    return context.user_data.setdefault("fill", {})  # type: ignore[union-attr]


async def begin(update: Update, context: BotContext) -> int:
    """The preview's "Lengkapi" button: the draft's empty consequences, asked one by one."""
    tap = await opening_tap(update)
    (proposal_id,) = tap.ids
    outcome = await context.workflow.collect.missing_fields(user_id(update), proposal_id)
    if not outcome.ok:
        await reply(update, context, outcome)
        return ConversationHandler.END
    await drop_buttons(update)
    context.user_data["fill"] = {"proposal": proposal_id, "todo": outcome.data["missing"]}  # type: ignore[index]
    return await _next(update, context)


async def _next(update: Update, context: BotContext) -> int:
    fill = _fill(context)
    if not fill["todo"]:
        context.user_data.pop("fill", None)  # type: ignore[union-attr]
        outcome = await context.workflow.collect.preview(user_id(update), fill["proposal"])
        await reply(update, context, outcome)
        return ConversationHandler.END
    item = fill["todo"][0]
    await send_here(
        update,
        context,
        texts.render(
            "notices",
            "ask_missing",
            n=item["n"],
            informasi=item["informasi"],
            field=item["field"],
            left=len(fill["todo"]),
        ),
        SKIP,
    )
    return State.TEXT


async def typed(update: Update, context: BotContext) -> int:
    assert update.message is not None
    fill = _fill(context)
    item = fill["todo"][0]
    outcome = await context.workflow.collect.complete_row(
        user_id(update), fill["proposal"], item["row"], item["field"], update.message.text or ""
    )
    if not outcome.ok:
        await reply(update, context, outcome)
        if outcome.data.get("refused") in ("field_empty", "field_too_long"):
            return State.TEXT  # the same question again
        context.user_data.pop("fill", None)  # type: ignore[union-attr]
        return ConversationHandler.END
    fill["todo"].pop(0)
    return await _next(update, context)


async def skip(update: Update, context: BotContext) -> int:
    await pressed(update)
    await drop_buttons(update)
    _fill(context)["todo"].pop(0)
    return await _next(update, context)


async def cancel(update: Update, context: BotContext) -> int:
    """/batal: stop; what was completed stays in the (unsent) draft."""
    fill = context.user_data.pop("fill", None)  # type: ignore[union-attr]
    if fill:
        await reply(
            update,
            context,
            await context.workflow.collect.preview(user_id(update), fill["proposal"]),
        )
    else:
        await say(update, context, texts.render("prompts", "cancelled"))
    return ConversationHandler.END


def hint(state: int, user_data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    """After a restart: what the stored conversation waits for, with its button."""
    return "missing", SKIP


def build() -> ConversationHandler:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return DurableConversation(
            entry_points=[CallbackQueryHandler(begin, pattern=r"^p:\d+:fill$")],
            states={
                State.TEXT: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed),
                    CallbackQueryHandler(skip, pattern=r"^f:skip$"),
                ],
            },
            fallbacks=[CommandHandler("batal", cancel)],
            name="complete_rows",
            hint=hint,
            allow_reentry=True,
        )


def register(app: BotApp) -> None:
    app.add_handler(build())
