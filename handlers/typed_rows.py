"""Step 3 on a phone: type the OPD's proposal rows one by one.

informasi → dasar hukum (typed and parsed, or picked from a Pasal 17 keyboard) → [angka] →
[Undang-Undang lain for huruf j] → konsekuensi apabila dibuka → apabila ditutup → jangka waktu →
"tambah lagi" or "selesai". Each finished row is stored in the OPD's draft at once.
"""

from __future__ import annotations

import warnings
from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import pasal17, texts
from bot.dasar_hukum import parse_dasar_hukum
from bot.pasal17 import Basis
from bot.workflow import TypedRow, dip_answers
from handlers.answers import empty_or_too_long, opening_tap, pressed, typed_text
from handlers.common import reply, say, send_here, user_id
from handlers.context import BotApp, BotContext
from handlers.durable import DurableConversation
from handlers.keyboards import angka_keyboard, huruf_keyboard


class State(IntEnum):
    INFORMASI = 1
    DASAR = 2
    ANGKA = 3
    OTHER_LAW = 4
    DIBUKA = 5
    DITUTUP = 6
    JANGKA = 7
    MORE = 8
    DIP_ROW = 9  # a form read by its own answer reader (the Form DIP): one row a message


def _more_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("➕ Tambah lagi", callback_data="t:more"),
                InlineKeyboardButton("✅ Selesai", callback_data="t:done"),
            ]
        ]
    )


def _draft(context: BotContext) -> dict[str, Any]:
    return context.user_data.setdefault("typed", {})  # type: ignore[union-attr]


async def begin(update: Update, context: BotContext) -> int:
    """The "Ketik usulan" button: a fresh draft for the OPD, then the first question."""
    tap = await opening_tap(update)
    run_id, version = tap.ids
    outcome = await context.workflow.collect.start_typed(user_id(update), run_id, version)
    if not outcome.ok:
        await reply(update, context, outcome)
        return ConversationHandler.END
    if outcome.data.get("reader"):  # the step's form has its own reader: whole rows
        context.user_data["dip_typed"] = outcome.data["run_id"]  # type: ignore[index]
        await reply(update, context, outcome)
        return State.DIP_ROW
    context.user_data["typed"] = {  # type: ignore[index]
        "proposal": outcome.data["proposal_id"],
        "office": outcome.data["office"],
        "n": 1,
        "row": {},
    }
    await send_here(
        update,
        context,
        texts.render("prompts", "ask_informasi", office=outcome.data["office"], n=1),
    )
    return State.INFORMASI


async def informasi(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.INFORMASI
    _draft(context)["row"] = {"informasi": value}
    await send_here(update, context, texts.render("prompts", "ask_dasar"), huruf_keyboard("g"))
    return State.DASAR


async def dasar_typed(update: Update, context: BotContext) -> int:
    """Typed legal basis, parsed as real published tables write it."""
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.DASAR
    parsed = parse_dasar_hukum(value)
    row = _draft(context)["row"]
    row["dasar_hukum"] = value
    if parsed.invalid or parsed.questions or parsed.needs_choice or not parsed.bases:
        problems = [*parsed.invalid, *parsed.questions]
        await send_here(
            update,
            context,
            texts.render("prompts", "ask_choose_huruf", original=value, problems=problems),
            huruf_keyboard("g"),
        )
        return State.DASAR
    row["bases"] = [[b.huruf, b.angka] for b in parsed.bases]
    row["other_law"] = parsed.other_law
    basis = pasal17.format_basis(parsed.bases, parsed.other_law)
    await send_here(
        update,
        context,
        texts.render("prompts", "basis_understood", basis=basis, warnings=list(parsed.warnings)),
    )
    return await _after_basis(update, context)


async def huruf_picked(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    huruf = data.split(":", 1)[1]
    if huruf not in pasal17.GROUNDS:
        await send_here(update, context, texts.render("refusals", "unknown_button"))
        return State.DASAR
    row = _draft(context)["row"]
    row["huruf"] = huruf
    ground = pasal17.GROUNDS[huruf]
    if ground.points:
        await send_here(
            update,
            context,
            texts.render("prompts", "ask_angka", huruf=huruf, title=ground.title),
            angka_keyboard("n", huruf),
        )
        return State.ANGKA
    return await _set_basis(update, context, Basis(huruf, None))


async def angka_picked(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    row = _draft(context)["row"]
    angka = int(data.split(":", 1)[1])
    if not pasal17.is_valid(row.get("huruf", ""), angka):
        await send_here(update, context, texts.render("refusals", "unknown_button"))
        return State.ANGKA
    return await _set_basis(update, context, Basis(row["huruf"], angka))


async def _set_basis(update: Update, context: BotContext, basis: Basis) -> int:
    row = _draft(context)["row"]
    row["bases"] = [[basis.huruf, basis.angka]]
    # The other laws the OPD typed stay with the row (only the Pasal 17 ground was picked).
    typed = row.get("dasar_hukum") or ""
    row["other_law"] = parse_dasar_hukum(typed).other_law if typed else None
    if not typed or not parse_dasar_hukum(typed).bases:
        row["dasar_hukum"] = typed or pasal17.format_basis([basis])
    shown = pasal17.format_basis([basis], row["other_law"])
    await send_here(
        update, context, texts.render("prompts", "basis_understood", basis=shown, warnings=[])
    )
    return await _after_basis(update, context)


async def _after_basis(update: Update, context: BotContext) -> int:
    row = _draft(context)["row"]
    if any(b[0] == "j" for b in row["bases"]) and not row.get("other_law"):
        await send_here(update, context, texts.render("prompts", "ask_other_law"))
        return State.OTHER_LAW
    await send_here(update, context, texts.render("prompts", "ask_dibuka"))
    return State.DIBUKA


async def other_law(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.OTHER_LAW
    _draft(context)["row"]["other_law"] = value
    await send_here(update, context, texts.render("prompts", "ask_dibuka"))
    return State.DIBUKA


async def dibuka(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.DIBUKA
    _draft(context)["row"]["dibuka"] = value
    await send_here(update, context, texts.render("prompts", "ask_ditutup"))
    return State.DITUTUP


async def ditutup(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.DITUTUP
    _draft(context)["row"]["ditutup"] = value
    await send_here(update, context, texts.render("prompts", "ask_jangka"))
    return State.JANGKA


async def jangka(update: Update, context: BotContext) -> int:
    """Last field: store the row in the draft (the workflow checks it again)."""
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.JANGKA
    draft = _draft(context)
    row = draft["row"]
    typed = TypedRow(
        informasi=row["informasi"],
        dasar_hukum=row.get("dasar_hukum", ""),
        bases=tuple(Basis(h, a) for h, a in row["bases"]),
        other_law=row.get("other_law"),
        konsekuensi_dibuka=row["dibuka"],
        konsekuensi_ditutup=row["ditutup"],
        jangka_waktu=value,
    )
    outcome = await context.workflow.collect.add_typed_row(
        user_id(update), draft["proposal"], typed, position=draft["n"]
    )
    if not outcome.ok:
        await reply(update, context, outcome)
        context.user_data.pop("typed", None)  # type: ignore[union-attr]
        return ConversationHandler.END
    await send_here(
        update, context, texts.render("prompts", "row_saved", n=draft["n"]), _more_keyboard()
    )
    return State.MORE


async def more(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    draft = _draft(context)
    if data == "t:more":
        draft["n"] += 1
        draft["row"] = {}
        await send_here(
            update,
            context,
            texts.render("prompts", "ask_informasi", office=draft["office"], n=draft["n"]),
        )
        return State.INFORMASI
    outcome = await context.workflow.collect.preview(user_id(update), draft["proposal"])
    context.user_data.pop("typed", None)  # type: ignore[union-attr]
    await reply(update, context, outcome)
    return ConversationHandler.END


async def dip_row(update: Update, context: BotContext) -> int:
    """One whole row in one message, read by the form's own reader."""
    run_id = context.user_data.get("dip_typed")  # type: ignore[union-attr]
    if run_id is None:
        return ConversationHandler.END
    outcome = await dip_answers.add_typed_row(
        context.workflow.core, user_id(update), run_id, typed_text(update)
    )
    await reply(update, context, outcome)
    return State.DIP_ROW


async def dip_done(update: Update, context: BotContext) -> int:
    """Selesai: the typed rows back, with Kirim."""
    await pressed(update)
    run_id = context.user_data.pop("dip_typed", None)  # type: ignore[union-attr]
    if run_id is None:
        return ConversationHandler.END
    outcome = await dip_answers.typed_done(context.workflow.core, user_id(update), run_id)
    await reply(update, context, outcome)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/batal: stop typing; rows already saved stay in the (unsent) draft."""
    context.user_data.pop("dip_typed", None)  # type: ignore[union-attr]
    draft = context.user_data.pop("typed", None)  # type: ignore[union-attr]
    if draft and draft.get("n", 1) > 1:
        outcome = await context.workflow.collect.preview(user_id(update), draft["proposal"])
        await reply(update, context, outcome)
    else:
        await say(update, context, texts.render("prompts", "cancelled"))
    return ConversationHandler.END


def hint(state: int, user_data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    """After a restart: what the stored conversation waits for, with its buttons."""
    at = State(state)
    if at is State.DASAR:
        return "dasar", huruf_keyboard("g")
    if at is State.ANGKA:
        return "angka", angka_keyboard("n", user_data["typed"]["row"]["huruf"])
    if at is State.MORE:
        return "more", _more_keyboard()
    if at is State.DIP_ROW:
        done = InlineKeyboardButton("✅ Selesai", callback_data="t:done")
        return "dip_row", InlineKeyboardMarkup([[done]])
    return at.name.lower(), None


def build() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return DurableConversation(
            entry_points=[CallbackQueryHandler(begin, pattern=r"^a:\d+:typ:\d+$")],
            states={
                State.INFORMASI: [MessageHandler(text, informasi)],
                State.DASAR: [
                    MessageHandler(text, dasar_typed),
                    CallbackQueryHandler(huruf_picked, pattern=r"^g:[a-z]$"),
                ],
                State.ANGKA: [CallbackQueryHandler(angka_picked, pattern=r"^n:\d+$")],
                State.OTHER_LAW: [MessageHandler(text, other_law)],
                State.DIBUKA: [MessageHandler(text, dibuka)],
                State.DITUTUP: [MessageHandler(text, ditutup)],
                State.JANGKA: [MessageHandler(text, jangka)],
                State.MORE: [CallbackQueryHandler(more, pattern=r"^t:(more|done)$")],
                State.DIP_ROW: [
                    MessageHandler(text, dip_row),
                    CallbackQueryHandler(dip_done, pattern=r"^t:done$"),
                ],
            },
            fallbacks=[CommandHandler("batal", cancel)],
            name="typed_rows",
            hint=hint,
            allow_reentry=True,
        )


def register(app: BotApp) -> None:
    app.add_handler(build())
