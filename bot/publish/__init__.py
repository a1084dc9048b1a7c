"""The public DIK: a static web page, JSON and XLSX written into the folder the PPID website
serves. Pure: no Telegram, no database; the workflow hands it plain data."""

from bot.publish.files import PublicFile, atomic_write, build_files, write_public_dik
from bot.publish.jangka import Period, add_months, end_date, period_months, read_period
from bot.publish.model import (
    DIKECUALIKAN,
    SCHEMA_VERSION,
    SEBAGIAN,
    PublicDik,
    PublishedItem,
    SkRef,
)

__all__ = [
    "DIKECUALIKAN",
    "SCHEMA_VERSION",
    "SEBAGIAN",
    "Period",
    "PublicDik",
    "PublicFile",
    "PublishedItem",
    "SkRef",
    "add_months",
    "atomic_write",
    "build_files",
    "end_date",
    "period_months",
    "read_period",
    "write_public_dik",
]
