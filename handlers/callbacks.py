"""Every inline button that needs no further typing: one call of the workflow per tap.

Callback data comes from the client and is not trusted: the workflow re-checks the person, the
step, the version and whether it is still open.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot import texts
from bot.workflow import Outcome, callback_data, dip_answers, verify
from handlers.common import answer, drop_buttons, reply, user_id
from handlers.context import BotApp, BotContext
from handlers.report import send_timeline


async def on_tap(update: Update, context: BotContext) -> None:
    """Dispatch a tap by its (re-checked) callback data."""
    query = update.callback_query
    assert query is not None
    tap = callback_data.parse(query.data)
    wf = context.workflow
    uid = user_id(update)
    outcome: Outcome
    if tap is None:  # malformed, or a conversation's button outside its conversation
        outcome = await wf.core.refuse(uid, "tap", "unknown_button")
    elif tap.kind == "a":
        run_id, version = tap.ids
        if tap.word == "show":
            outcome = await _show(context, uid, run_id, version)
        elif tap.word == "nihil":
            outcome = await wf.collect.declare_nihil(uid, run_id, version)
        elif tap.word == "upload":
            outcome = await wf.acts.check_act(uid, run_id, "upload", version)
            if outcome.ok:
                context.user_data["upload_run"] = run_id  # type: ignore[index]
                outcome = Outcome(True, texts.render("prompts", "send_file"))
        else:
            outcome = await wf.acts.act(uid, run_id, tap.word, version)
    elif tap.kind == "p" and tap.word == "page":
        proposal_id, page = tap.ids
        outcome = await wf.collect.preview(uid, proposal_id, page)
    elif tap.kind == "p":
        (proposal_id,) = tap.ids
        if tap.word == "send":
            outcome = await wf.collect.submit_proposal(uid, proposal_id)
        elif tap.word == "drop":
            outcome = await wf.collect.drop_proposal(uid, proposal_id)
        else:  # "fill" belongs to its conversation (handlers.complete_rows)
            outcome = await wf.core.refuse(uid, "tap", "unknown_button")
    elif tap.kind == "d":
        row_id, run_id = tap.ids
        outcome = await wf.consequence.decide_item(uid, run_id, row_id, tap.word)
    elif tap.kind == "q" and tap.word == "send":
        outcome = await dip_answers.send_answer(wf.core, uid, tap.ids[0])
    elif tap.kind == "q" and tap.word == "acc":
        outcome = await verify.accept(wf.core, uid, tap.ids[0])
    elif tap.kind == "q":  # "ret" belongs to its conversation (handlers.verify_notes)
        outcome = await wf.core.refuse(uid, "tap", "unknown_button")
    elif tap.kind == "m":
        (year,) = tap.ids
        outcome = await wf.acts.start_cycle(uid, year, None, tap.word)
    elif tap.kind == "h":
        (meeting_id,) = tap.ids
        outcome = await wf.meetings.attend(uid, meeting_id, tap.word == "hadir")
    else:
        (cycle_id,) = tap.ids
        outcome = await _cycle_command(context, uid, cycle_id, tap.word)
    await answer(query, outcome)  # the act is decided: the spinner stops before anything else
    if tap is not None and tap.kind == "c" and tap.word == "status":
        await send_timeline(update, context, outcome)
    # Attendance may still change; Nihil only makes a draft: the OPD may still choose again.
    if outcome.ok and tap is not None and tap.kind != "h" and tap.word != "nihil":
        await drop_buttons(update)
    await reply(update, context, outcome)


async def _show(context: BotContext, uid: int, run_id: int, version: int) -> Outcome:
    """Re-send a task; for the Tim UK ketua this is the next item to test."""
    wf = context.workflow
    outcome = await wf.consequence.next_item(uid, run_id, version)
    if outcome.ok:
        return outcome
    return await wf.views.show_run(uid, run_id, version)


async def _cycle_command(context: BotContext, uid: int, cycle_id: int, word: str) -> Outcome:
    wf = context.workflow
    if word == "dokumen":
        return await wf.views.cycle_documents(uid, cycle_id)
    if word == "arsip":
        return await wf.registers.archive(uid, cycle_id)
    return await wf.views.status(uid, cycle_id)


def register(app: BotApp) -> None:
    app.add_handler(CallbackQueryHandler(on_tap))
