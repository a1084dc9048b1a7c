"""Files sent in chat: a filled Form DIK (step 3) or the signed SK scan (step 9)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot import texts
from bot.workflow import Outcome
from handlers.common import reply, user_id
from handlers.context import BotApp, BotContext

TELEGRAM_DOWNLOAD_LIMIT = 20_000_000  # the cloud Bot API serves files up to 20 MB


async def on_document(update: Update, context: BotContext) -> None:
    """Download (within the size cap) and hand the bytes to the workflow, which decides."""
    message = update.message
    assert message is not None and message.document is not None
    doc = message.document
    limit = min(context.settings.upload_max_bytes * 4, TELEGRAM_DOWNLOAD_LIMIT)
    if doc.file_size and doc.file_size > limit:
        text = texts.render("refusals", "file_too_big", limit_mb=limit // 1_000_000)
        await reply(update, context, Outcome(False, text))
        return
    file = await doc.get_file()
    data = bytes(await file.download_as_bytearray())
    hint = context.user_data.pop("upload_run", None)  # type: ignore[union-attr]
    outcome = await context.workflow.files.receive_file(
        user_id(update), doc.file_name or "berkas", data, hint_run=hint, caption=message.caption
    )
    await reply(update, context, outcome)


async def on_photo(update: Update, context: BotContext) -> None:
    """A photo is not a file we can read: ask for a document."""
    await reply(update, context, Outcome(False, texts.render("prompts", "send_file")))


def register(app: BotApp) -> None:
    app.add_handler(MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, on_document))
    app.add_handler(MessageHandler(filters.PHOTO & filters.ChatType.PRIVATE, on_photo))
