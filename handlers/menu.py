"""The command menu (setMyCommands): a default one, and one per person by their roles."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from handlers.roles import RoleBook

logger = logging.getLogger(__name__)

COMMANDS: dict[str, str] = {
    "tugas": "Tugas saya dan batas waktunya",
    "status": "Posisi siklus DIK",
    "mulai": "Mulai siklus baru: /mulai (pilih SOP) atau /mulai 2026 dip",
    "dokumen": "Kirim ulang dokumen siklus",
    "register": "Buku Ekspedisi dan Kartu Kendali: /register 2026-11",
    "laporan": "Laporan Bulanan (XLSX + grafik): /laporan 2026-11",
    "arsip": "Arsip siklus (ZIP) dengan indeks SHA-256",
    "undang": "Buat tautan undangan pejabat",
    "opd": "Kelola daftar OPD",
    "admin": "Pesan gagal, penolakan, tahap macet",
    "health": "Kesehatan bot",
    "dik": "Daftar Informasi yang Dikecualikan: /dik DINKES",
    "plh": 'Plh./Plt.: /plh PERAN "Pejabat" "Plh." MULAI SELESAI',
    "libur": "Hari libur (admin: /libur tambah 2026-12-24 Cuti bersama)",
    "pandangan": "{panel}: pandangan atas butir: /pandangan 3 teks",
    "tugaskan": "Ketua {panel}: tugaskan pencatat uji",
    "batal": "Batalkan isian yang sedang berjalan",
    "help": "Bantuan",
}
#: The commands each capability adds to the menu (handlers.roles: what the SOP declares).
BY_CAPABILITY: dict[str, tuple[str, ...]] = {
    "operator": ("tugas", "status", "mulai", "dokumen", "libur"),
    "overseer": ("tugas", "status", "dokumen", "register", "laporan", "arsip"),
    "admin": ("status", "undang", "opd", "register", "arsip", "admin", "health", "libur", "plh"),
    "panel": ("pandangan", "tugaskan"),
}
DEFAULT = ("tugas", "dik", "batal", "help")


def commands_for(roles: Iterable[str], book: RoleBook | None = None) -> list[BotCommand]:
    """The menu of a person holding `roles` (the default menu without a book)."""
    roles = tuple(roles)
    wanted = set(DEFAULT)
    panel = ""
    if book is not None:
        for capability in book.capabilities(roles):
            wanted.update(BY_CAPABILITY.get(capability, ()))
        held = [r for r in book.panels if r in roles] or list(book.panels)
        panel = book.labels[held[0]] if held else ""
    return [BotCommand(c, d.format(panel=panel)) for c, d in COMMANDS.items() if c in wanted]


async def set_default_commands(bot: Bot) -> None:
    await bot.set_my_commands(commands_for(()), scope=BotCommandScopeDefault())


async def set_commands_for(bot: Bot, chat_id: int, roles: Iterable[str], book: RoleBook) -> None:
    try:
        await bot.set_my_commands(commands_for(roles, book), scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        logger.warning("could not set the command menu of chat %s: %s", chat_id, exc)
