"""Run `bot.logs.setup_from` into a buffer for one test, then put the logging setup back."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot import logs
from bot.config import Settings


@contextmanager
def captured_logs(settings: Settings) -> Iterator[io.StringIO]:
    """Everything the bot logs, formatted as in production (LOG_LEVEL, LOG_FORMAT, redaction)."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    quiet = {name: logging.getLogger(name).level for name in logs.NOISY}
    buffer = io.StringIO()
    logs.setup_from(settings, stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)
