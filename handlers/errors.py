"""One error handler: log the update, tell the person something useful in Indonesian."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.logs import is_network_fault
from handlers.context import BotApp, BotContext
from handlers.sender import with_retries

logger = logging.getLogger(__name__)

SORRY = (
    "Maaf, terjadi gangguan saat memproses permintaan Anda. Tindakan Anda mungkin belum "
    "tersimpan: periksa dengan /tugas, lalu coba lagi. Bila berulang, hubungi admin PPID."
)


async def on_error(update: object, context: BotContext) -> None:
    if update is None and context.error is not None and is_network_fault(context.error):
        # getUpdates failed: the network is away for a while; PTB polls again, backing off.
        logger.warning(
            "polling for updates failed (%s: %s); retrying",
            type(context.error).__name__,
            str(context.error).splitlines()[0] if str(context.error) else "no answer",
        )
        return
    logger.error(
        "error while handling update %s",
        _describe(update),
        exc_info=context.error,
        extra=_fields(update),
    )
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            chat_id = update.effective_chat.id
            await with_retries(lambda: context.bot.send_message(chat_id, SORRY), "apology")
        except TelegramError:
            logger.warning("could not tell chat %s about the error", update.effective_chat.id)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        return f"{update.update_id} from user {getattr(update.effective_user, 'id', None)}"
    return repr(update)[:200]


def _fields(update: object) -> dict[str, object]:
    """update_id/user_id/chat_id as structured log fields (LOG_FORMAT=json)."""
    if not isinstance(update, Update):
        return {}
    return {
        "update_id": update.update_id,
        "user_id": getattr(update.effective_user, "id", None),
        "chat_id": getattr(update.effective_chat, "id", None),
    }


def register(app: BotApp) -> None:
    app.add_error_handler(on_error)
