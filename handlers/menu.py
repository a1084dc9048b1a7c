"""The command menu (setMyCommands): a default one, and one per person by their roles."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

logger = logging.getLogger(__name__)

COMMANDS: dict[str, str] = {
    "tugas": "Tugas saya dan batas waktunya",
    "status": "Posisi siklus DIK",
    "mulai": "Mulai siklus DIK baru: /mulai 2026",
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
    "pandangan": "Tim UK: pandangan atas butir: /pandangan 3 teks",
    "tugaskan": "Ketua Tim UK: tugaskan pencatat uji",
    "batal": "Batalkan isian yang sedang berjalan",
    "help": "Bantuan",
}
BY_ROLE: dict[str, tuple[str, ...]] = {
    "petugas": ("tugas", "status", "mulai", "dokumen", "register", "laporan", "arsip", "libur"),
    "kepala_dinas": ("tugas", "status", "dokumen", "register", "laporan", "arsip"),
    "admin": ("status", "undang", "opd", "register", "arsip", "admin", "health", "libur", "plh"),
    "tim_uk": ("pandangan", "tugaskan"),
}
DEFAULT = ("tugas", "dik", "batal", "help")


def commands_for(roles: Iterable[str]) -> list[BotCommand]:
    wanted = set(DEFAULT)
    for role in roles:
        wanted.update(BY_ROLE.get(role, ()))
    return [BotCommand(c, d) for c, d in COMMANDS.items() if c in wanted]


async def set_default_commands(bot: Bot) -> None:
    await bot.set_my_commands(commands_for(()), scope=BotCommandScopeDefault())


async def set_commands_for(bot: Bot, chat_id: int, roles: Iterable[str]) -> None:
    try:
        await bot.set_my_commands(commands_for(roles), scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        logger.warning("could not set the command menu of chat %s: %s", chat_id, exc)
