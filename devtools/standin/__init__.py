"""A local stand-in for the Telegram Bot API, and a driver that plays simulated officials.

Example::

    async with BotApiStandin(token="123:TEST", bot_username="dik_test_bot") as standin:
        app = (
            ApplicationBuilder()
            .token(standin.token)
            .base_url(standin.base_url + "/bot")
            .base_file_url(standin.base_url + "/file/bot")
            .build()
        )
        async with running(app, standin) as chat:
            petugas = chat.person(1001, "Petugas")
            replies = await petugas.say("/start")
            await petugas.tap("Setuju")
"""

from devtools.standin.driver import XLSX_MIME, ChatDriver, Person, running
from devtools.standin.models import ApiError, Button, SentFile, SentMessage, StoredFile
from devtools.standin.server import BotApiStandin

__all__ = [
    "XLSX_MIME",
    "ApiError",
    "BotApiStandin",
    "Button",
    "ChatDriver",
    "Person",
    "SentFile",
    "SentMessage",
    "StoredFile",
    "running",
]
