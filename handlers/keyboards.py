"""Inline keyboards shared by conversations: the Pasal 17 grounds and their points."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import pasal17


def short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,/") + "…"


def huruf_keyboard(
    prefix: str, extra: list[InlineKeyboardButton] | None = None
) -> InlineKeyboardMarkup:
    """Pasal 17 huruf a–j, two per row; callback data `<prefix>:<huruf>`."""
    keys = [
        InlineKeyboardButton(short(f"{k}. {g.title}"), callback_data=f"{prefix}:{k}")
        for k, g in pasal17.GROUNDS.items()
    ]
    rows = [keys[i : i + 2] for i in range(0, len(keys), 2)]
    return InlineKeyboardMarkup(([extra] if extra else []) + rows)


def angka_keyboard(prefix: str, huruf: str) -> InlineKeyboardMarkup:
    """The points of one huruf; callback data `<prefix>:<angka>`."""
    points = pasal17.GROUNDS[huruf].points
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(short(f"{i}. {text}", 48), callback_data=f"{prefix}:{i}")]
            for i, text in enumerate(points, start=1)
        ]
    )


def one_row(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in buttons]]
    )
