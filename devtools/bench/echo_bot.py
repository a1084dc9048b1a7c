"""A bare PTB echo bot in its own process (`python -m devtools.bench.echo_bot BASE_URL`): the
baseline of the tap figures, so that it does not share the stand-in's event loop."""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as f

from devtools.bench.city import TOKEN


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None and update.message.text:
        await update.message.reply_text(update.message.text)


async def _tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.answer(text="ok")
        await context.bot.send_message(query.message.chat.id, str(query.data))


def main(base_url: str) -> None:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(base_url + "/bot")
        .base_file_url(base_url + "/file/bot")
        .build()
    )
    app.add_handler(MessageHandler(f.TEXT, _echo))
    app.add_handler(CallbackQueryHandler(_tap))
    app.run_polling(poll_interval=0.0, timeout=1, drop_pending_updates=False)


if __name__ == "__main__":
    main(sys.argv[1])
