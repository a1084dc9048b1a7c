"""Step 7 on a phone: the guided test of one item.

ground (keep the OPD's with its other laws, or pick Pasal 17 huruf/angka, then keep, clear or
retype the other laws the OPD cited; huruf j must name one) →
konsekuensi apabila dibuka → apabila ditutup → keputusan → [bagian yang dihitamkan] →
jangka waktu → recorded, and the next item is shown; "terbuka" asks the reason the item is open
instead of the period. Each answer can keep the OPD's text.
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
from bot.pasal17 import Basis
from bot.workflow import ItemTest
from handlers.answers import empty_or_too_long, opening_tap, pressed, typed_text
from handlers.common import drop_buttons, reply, say, send_here, user_id
from handlers.context import BotApp, BotContext
from handlers.durable import DurableConversation
from handlers.keyboards import angka_keyboard, huruf_keyboard, one_row

DECISIONS = one_row(("Dikecualikan", "ud:k"), ("Sebagian", "ud:s"), ("Terbuka", "ud:t"))
PERIODS = one_row(("✅ Pakai usulan", "up:keep"), ("Tidak terbatas", "up:tt"))
RETRY_PERIOD = {"period_not_allowed", "field_empty", "too_long"}
RETRY_BLACKED = {"too_long", "blacked_out_missing"}
RETRY_OPEN_REASON = {"too_long", "open_reason_missing"}


class State(IntEnum):
    GROUND = 1
    ANGKA = 2
    OTHER_LAW = 3
    DIBUKA = 4
    DITUTUP = 5
    DECISION = 6
    BLACKED = 7
    PERIOD = 8
    OPEN_REASON = 9


#: A quick decision that needs one typed answer first: the state that waits for it, the
#: question asked, and the refusals after which it is asked again.
QUICK_ASKS = {"sebagian": State.BLACKED, "terbuka": State.OPEN_REASON}
QUICK_PROMPTS = {"sebagian": "blacked_out", "terbuka": "open_reason"}
QUICK_RETRY = {"sebagian": RETRY_BLACKED, "terbuka": RETRY_OPEN_REASON}


def _t(context: BotContext) -> dict[str, Any]:
    return context.user_data.setdefault("uji", {})  # type: ignore[union-attr]


async def begin(update: Update, context: BotContext) -> int:
    """ "Uji butir ini": load the proposal, then ask for the ground."""
    tap = await opening_tap(update)
    row_id, run_id = tap.ids
    outcome = await context.workflow.consequence.item_for_test(user_id(update), run_id, row_id)
    if not outcome.ok:
        await reply(update, context, outcome)
        return ConversationHandler.END
    context.user_data["uji"] = {"run": run_id, "row": row_id, "proposal": outcome.data}  # type: ignore[index]
    keep = None
    if outcome.data["bases"]:
        keep = [InlineKeyboardButton("✅ Pakai dasar usulan", callback_data="ug:keep")]
    await send_here(
        update,
        context,
        texts.render(
            "uji",
            "ask_ground",
            informasi=outcome.data["informasi"],
            basis=outcome.data["basis_text"],
        ),
        huruf_keyboard("ug", keep),
    )
    return State.GROUND


async def quick(update: Update, context: BotContext) -> int:
    """ "Dikecualikan" / "Sebagian" / "Terbuka" on an item, as the OPD proposed it ("Sebagian"
    asks what is blacked out, "Terbuka" why the item is open). An item that lacks a
    konsekuensi (UU 14/2008 Pasal 19) goes straight into the guided test instead, with what
    the proposal has filled in and the decision tapped kept: only what is missing is asked."""
    tap = await opening_tap(update)
    row_id, run_id = tap.ids
    decision = tap.word  # parse() spells the decision out
    uid, wf = user_id(update), context.workflow
    check = await wf.consequence.decide_item(uid, run_id, row_id, decision, check_only=True)
    if not check.ok and check.data.get("refused") == "consequence_incomplete":
        await drop_buttons(update)
        await send_here(update, context, check.text)
        proposal = check.data["proposal"]
        context.user_data["uji"] = {  # type: ignore[index]
            "run": run_id,
            "row": row_id,
            "proposal": proposal,
            "bases": proposal["bases"],
            "other_law": proposal["other_law"],
            "preset": decision,
            "fill_only": True,
        }
        return await _ask_dibuka(update, context)
    if not check.ok:
        await reply(update, context, check)
        return ConversationHandler.END
    if decision in QUICK_ASKS:  # what is blacked out, or why the item is open, is asked first
        context.user_data["uji"] = {"run": run_id, "row": row_id, "quick": True}  # type: ignore[index]
        await send_here(update, context, texts.render("prompts", QUICK_PROMPTS[decision]))
        return QUICK_ASKS[decision]
    outcome = await wf.consequence.decide_item(uid, run_id, row_id, decision)
    if outcome.ok:
        await drop_buttons(update)
    await reply(update, context, outcome)
    return ConversationHandler.END


async def ground_picked(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    t = _t(context)
    choice = data.split(":", 1)[1]
    if choice == "keep":
        t["bases"] = t["proposal"]["bases"]
        t["other_law"] = t["proposal"]["other_law"]
        return await _after_ground(update, context)
    if choice not in pasal17.GROUNDS:
        return State.GROUND
    t["huruf"] = choice
    ground = pasal17.GROUNDS[choice]
    if ground.points:
        await send_here(
            update,
            context,
            texts.render("prompts", "ask_angka", huruf=choice, title=ground.title),
            angka_keyboard("un", choice),
        )
        return State.ANGKA
    t["bases"] = [[choice, None]]
    return await _ask_other_laws(update, context)


async def angka_picked(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    t = _t(context)
    angka = int(data.split(":", 1)[1])
    if not pasal17.is_valid(t.get("huruf", ""), angka):
        return State.ANGKA
    t["bases"] = [[t["huruf"], angka]]
    return await _ask_other_laws(update, context)


async def _after_ground(update: Update, context: BotContext) -> int:
    """The OPD's ground kept: its other laws go with it (asked only if huruf j lacks one)."""
    t = _t(context)
    if any(b[0] == "j" for b in t["bases"]) and not t.get("other_law"):
        return await _ask_other_laws(update, context)
    return await _ask_dibuka(update, context)


def _other_laws_keyboard(t: dict[str, Any]) -> InlineKeyboardMarkup | None:
    buttons = []
    if t["proposal"].get("other_law"):
        buttons.append(("✅ Pakai usulan", "uo:keep"))
    if not any(b[0] == "j" for b in t.get("bases") or []):
        buttons.append(("Tidak ada", "uo:none"))
    return one_row(*buttons) if buttons else None


async def _ask_other_laws(update: Update, context: BotContext) -> int:
    """The Tim's ground was picked: confirm or correct the other laws the OPD cited."""
    t = _t(context)
    await send_here(
        update,
        context,
        texts.render(
            "uji",
            "ask_other_laws",
            usulan=t["proposal"].get("other_law"),
            j=any(b[0] == "j" for b in t["bases"]),
        ),
        _other_laws_keyboard(t),
    )
    return State.OTHER_LAW


async def other_laws_button(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    t = _t(context)
    if data == "uo:keep" and t["proposal"].get("other_law"):
        t["other_law"] = t["proposal"]["other_law"]
    elif data == "uo:none" and not any(b[0] == "j" for b in t["bases"]):
        t["other_law"] = None
    else:
        return State.OTHER_LAW
    return await _ask_dibuka(update, context)


async def other_law(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.OTHER_LAW
    t = _t(context)
    none = value.lower().rstrip(".") in ("-", "tidak ada")
    if none and any(b[0] == "j" for b in t["bases"]):
        await send_here(update, context, texts.render("refusals", "other_law_missing"))
        return State.OTHER_LAW
    t["other_law"] = None if none else value
    return await _ask_dibuka(update, context)


async def _ask_dibuka(update: Update, context: BotContext) -> int:
    t = _t(context)
    proposal = t["proposal"]
    if t.get("fill_only") and proposal["dibuka"]:
        t["dibuka"] = proposal["dibuka"]
        return await _ask_ditutup(update, context)
    await send_here(
        update,
        context,
        texts.render("uji", "ask_dibuka", usulan=proposal["dibuka"]),
        one_row(("✅ Pakai teks usulan", "uk:keep")) if proposal["dibuka"] else None,
    )
    return State.DIBUKA


async def dibuka_text(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.DIBUKA
    _t(context)["dibuka"] = value
    return await _ask_ditutup(update, context)


async def dibuka_keep(update: Update, context: BotContext) -> int:
    await pressed(update)
    if not _t(context)["proposal"]["dibuka"]:
        return State.DIBUKA  # nothing to keep: the text is asked
    _t(context)["dibuka"] = _t(context)["proposal"]["dibuka"]
    return await _ask_ditutup(update, context)


async def _ask_ditutup(update: Update, context: BotContext) -> int:
    t = _t(context)
    proposal = t["proposal"]
    if t.get("fill_only") and proposal["ditutup"]:
        t["ditutup"] = proposal["ditutup"]
        return await _ask_decision(update, context)
    await send_here(
        update,
        context,
        texts.render("uji", "ask_ditutup", usulan=proposal["ditutup"]),
        one_row(("✅ Pakai teks usulan", "ut:keep")) if proposal["ditutup"] else None,
    )
    return State.DITUTUP


async def ditutup_text(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.DITUTUP
    _t(context)["ditutup"] = value
    return await _ask_decision(update, context)


async def ditutup_keep(update: Update, context: BotContext) -> int:
    await pressed(update)
    if not _t(context)["proposal"]["ditutup"]:
        return State.DITUTUP  # nothing to keep: the text is asked
    _t(context)["ditutup"] = _t(context)["proposal"]["ditutup"]
    return await _ask_decision(update, context)


async def _ask_decision(update: Update, context: BotContext) -> int:
    t = _t(context)
    if t.get("preset"):  # the ketua already tapped the decision
        t["decision"] = t["preset"]
        if t["decision"] == "sebagian":
            await send_here(update, context, texts.render("prompts", "blacked_out"))
            return State.BLACKED
        return await _ask_period(update, context)
    await send_here(
        update,
        context,
        texts.render("uji", "ask_decision"),
        DECISIONS,
    )
    return State.DECISION


async def decision_picked(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    code = data.split(":", 1)[1]
    t = _t(context)
    t["decision"] = {"k": "dikecualikan", "s": "sebagian", "t": "terbuka"}[code]
    if code == "s":
        await send_here(update, context, texts.render("prompts", "blacked_out"))
        return State.BLACKED
    if code == "t":
        t["jangka"] = "-"
        await send_here(update, context, texts.render("uji", "ask_open_reason"))
        return State.OPEN_REASON
    return await _ask_period(update, context)


async def blacked(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.BLACKED
    t = _t(context)
    if t.get("quick"):  # "Sebagian" as proposed: the workflow records it with this text
        again = await _quick_answer(update, context, "sebagian", blacked_out=value)
        return State.BLACKED if again else ConversationHandler.END
    t["blacked"] = value
    return await _ask_period(update, context)


async def open_reason(update: Update, context: BotContext) -> int:
    """Why the Tim declares the item "terbuka" (required; the workflow checks it again)."""
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.OPEN_REASON
    t = _t(context)
    if t.get("quick"):  # "Terbuka" as proposed: the workflow records it with this reason
        again = await _quick_answer(update, context, "terbuka", open_reason=value)
        return State.OPEN_REASON if again else ConversationHandler.END
    t["open_reason"] = value
    return await _save(update, context)


async def _quick_answer(
    update: Update,
    context: BotContext,
    decision: str,
    *,
    blacked_out: str | None = None,
    open_reason: str | None = None,
) -> bool:
    """A quick decision with its typed answer, to the workflow (which checks it again).
    True when the answer must be typed again; else the conversation's data is done."""
    t = _t(context)
    outcome = await context.workflow.consequence.decide_item(
        user_id(update),
        t["run"],
        t["row"],
        decision,
        blacked_out=blacked_out,
        open_reason=open_reason,
    )
    await reply(update, context, outcome)
    if not outcome.ok and outcome.data.get("refused") in QUICK_RETRY[decision]:
        return True
    context.user_data.pop("uji", None)  # type: ignore[union-attr]
    return False


async def _ask_period(update: Update, context: BotContext) -> int:
    proposal = _t(context)["proposal"]
    await send_here(
        update,
        context,
        texts.render("uji", "ask_period", usulan=proposal["jangka"]),
        PERIODS,
    )
    return State.PERIOD


async def period_text(update: Update, context: BotContext) -> int:
    value = typed_text(update)
    if await empty_or_too_long(update, context, value):
        return State.PERIOD
    _t(context)["jangka"] = value
    return await _save(update, context)


async def period_button(update: Update, context: BotContext) -> int:
    data = await pressed(update)
    t = _t(context)
    t["jangka"] = t["proposal"]["jangka"] if data == "up:keep" else "Tidak terbatas"
    return await _save(update, context)


async def _save(update: Update, context: BotContext) -> int:
    """Record the test; the workflow checks the rules (e.g. a–f may not be permanent)."""
    t = _t(context)
    test = ItemTest(
        decision=t["decision"],
        bases=tuple(Basis(h, a) for h, a in t["bases"]),
        other_law=t.get("other_law"),
        konsekuensi_dibuka=t["dibuka"],
        konsekuensi_ditutup=t["ditutup"],
        jangka_waktu=t["jangka"],
        blacked_out=t.get("blacked"),
        open_reason=t.get("open_reason"),
    )
    outcome = await context.workflow.consequence.record_test(
        user_id(update), t["run"], t["row"], test
    )
    await reply(update, context, outcome)
    if (
        not outcome.ok
        and outcome.data.get("refused") in RETRY_PERIOD
        and t["decision"] != "terbuka"
    ):
        return await _ask_period(update, context)
    if (
        not outcome.ok
        and outcome.data.get("refused") in RETRY_OPEN_REASON
        and t["decision"] == "terbuka"
    ):
        return State.OPEN_REASON
    context.user_data.pop("uji", None)  # type: ignore[union-attr]
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop("uji", None)  # type: ignore[union-attr]
    await say(update, context, texts.render("prompts", "cancelled"))
    return ConversationHandler.END


def hint(state: int, user_data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    """After a restart: what the stored conversation waits for, with its buttons."""
    at = State(state)
    t = user_data.get("uji") or {}
    if at is State.GROUND:
        keep = [InlineKeyboardButton("✅ Pakai dasar usulan", callback_data="ug:keep")]
        return "ground", huruf_keyboard("ug", keep if t["proposal"]["bases"] else None)
    if at is State.ANGKA:
        return "angka", angka_keyboard("un", t["huruf"])
    if at is State.OTHER_LAW:
        return "uji_other_laws", _other_laws_keyboard(t)
    if at is State.DIBUKA:
        keep = t["proposal"]["dibuka"]
        return "uji_dibuka", one_row(("✅ Pakai teks usulan", "uk:keep")) if keep else None
    if at is State.DITUTUP:
        keep = t["proposal"]["ditutup"]
        return "uji_ditutup", one_row(("✅ Pakai teks usulan", "ut:keep")) if keep else None
    if at is State.DECISION:
        return "decision", DECISIONS
    if at is State.PERIOD:
        return "period", PERIODS
    return at.name.lower(), None


def build() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        return DurableConversation(
            entry_points=[
                CallbackQueryHandler(begin, pattern=r"^u:\d+:\d+$"),
                CallbackQueryHandler(quick, pattern=r"^d:\d+:[kst]:\d+$"),
            ],
            states={
                State.GROUND: [CallbackQueryHandler(ground_picked, pattern=r"^ug:[a-z]+$")],
                State.ANGKA: [CallbackQueryHandler(angka_picked, pattern=r"^un:\d+$")],
                State.OTHER_LAW: [
                    MessageHandler(text, other_law),
                    CallbackQueryHandler(other_laws_button, pattern=r"^uo:(keep|none)$"),
                ],
                State.DIBUKA: [
                    MessageHandler(text, dibuka_text),
                    CallbackQueryHandler(dibuka_keep, pattern=r"^uk:keep$"),
                ],
                State.DITUTUP: [
                    MessageHandler(text, ditutup_text),
                    CallbackQueryHandler(ditutup_keep, pattern=r"^ut:keep$"),
                ],
                State.DECISION: [CallbackQueryHandler(decision_picked, pattern=r"^ud:[kst]$")],
                State.BLACKED: [MessageHandler(text, blacked)],
                State.OPEN_REASON: [MessageHandler(text, open_reason)],
                State.PERIOD: [
                    MessageHandler(text, period_text),
                    CallbackQueryHandler(period_button, pattern=r"^up:(keep|tt)$"),
                ],
            },
            fallbacks=[CommandHandler("batal", cancel)],
            name="consequence_test",
            hint=hint,
            allow_reentry=True,
        )


def register(app: BotApp) -> None:
    app.add_handler(build())
