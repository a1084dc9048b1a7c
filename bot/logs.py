"""Logging: text or JSON lines, httpx quiet, and the bot token never written anywhere.

Secrets are removed from the *formatted* line (message, arguments, traceback and extra fields
alike), so a URL such as ``https://api.telegram.org/bot<token>/getMe`` logged by httpx or PTB
at DEBUG, or an exception that quotes one, comes out as ``.../bot<token>/getMe``.

Beyond the log, `guarded_output` wraps ``sys.stdout`` and ``sys.stderr`` of a command in the
same redaction, so whatever leaves the process that way (a print, an error line, Python's own
report of an uncaught exception) has the secrets removed too. A network fault that PTB logs
with a traceback on every failed poll is written as one line.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

if TYPE_CHECKING:
    from bot.config import Settings

REDACTED = "<token>"
#: Shorter values are not searched for (a 3-letter database password would blank out words).
MIN_SECRET = 6
#: Loggers that only warn, except the HTTP ones at DEBUG (to see every Bot API call).
NOISY = ("httpx", "httpcore", "apscheduler", "alembic", "aiosqlite", "tornado.access")
HTTP = frozenset({"httpx", "httpcore"})
# pyHanko logs a traceback at WARNING/ERROR for every signature it cannot trust or path it cannot
# build: ordinary outcomes that bot/signatures reports and records itself.
VERIFIERS = ("pyhanko", "pyhanko_certvalidator")
# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def _secret_forms(secrets: Iterable[str]) -> list[str]:
    """Each secret, URL-encoded too (PTB quotes file URLs: ``123%3Aabc``), and for a bot token
    also its part after the colon; longest first."""
    forms: set[str] = set()
    for secret in secrets:
        secret = secret.strip()
        if len(secret) < MIN_SECRET:
            continue
        forms.update({secret, quote(secret, safe="")})
        _, _, tail = secret.partition(":")
        if len(tail) >= 8:
            forms.add(tail)
    return sorted(forms, key=len, reverse=True)


class Redactor:
    """Replaces every known secret in a string."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.forms = _secret_forms(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Know these secrets too (e.g. once the settings are read)."""
        self.forms = sorted(set(self.forms) | set(_secret_forms(secrets)), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self.forms:
            if form in text:
                text = text.replace(form, REDACTED)
        return text


class RedactToken(logging.Filter):
    """Replace the token in a record's message (kept for handlers added elsewhere)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.redact = Redactor([token])

    def filter(self, record: logging.LogRecord) -> bool:
        if self.redact.forms:
            message = record.getMessage()
            clean = self.redact(message)
            if clean != message:
                record.msg = clean
                record.args = None
        return True


class TextFormatter(logging.Formatter):
    """``time level logger: message`` plus ``key=value`` for extra fields; secrets removed."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = extra_fields(record)
        if extra:
            head, sep, tail = line.partition("\n")
            pairs = " ".join(f"{k}={v}" for k, v in extra.items())
            line = f"{head} [{pairs}]{sep}{tail}"
        return self.redact(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extra fields, exc."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(extra_fields(record))
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return self.redact(json.dumps(out, ensure_ascii=False, default=str))


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed with ``extra={...}`` (update_id, user_id, chat_id, ...)."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class RedactingStream:
    """A text stream that writes to another with every secret removed; the rest delegated."""

    def __init__(self, inner: TextIO, redact: Redactor) -> None:
        self.inner = inner
        self.redact = redact

    def write(self, text: str) -> int:
        self.inner.write(self.redact(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


#: The redaction of the process's stdout and stderr (see `guarded_output`).
OUTPUT = Redactor()


@contextmanager
def guarded_output(secrets: Iterable[str] = ()) -> Iterator[Redactor]:
    """Redact ``sys.stdout`` and ``sys.stderr`` until the block ends (nested: a no-op)."""
    OUTPUT.add(secrets)
    if isinstance(sys.stderr, RedactingStream):
        yield OUTPUT
        return
    saved = sys.stdout, sys.stderr
    sys.stdout = RedactingStream(sys.stdout, OUTPUT)  # type: ignore[assignment]
    sys.stderr = RedactingStream(sys.stderr, OUTPUT)  # type: ignore[assignment]
    try:
        yield OUTPUT
    finally:
        sys.stdout, sys.stderr = saved


def guard_process_output(secrets: Iterable[str] = ()) -> None:
    """`guarded_output` for the rest of the process (``python -m bot``): what Python prints
    while it shuts down goes through the redaction as well."""
    OUTPUT.add(secrets)
    if not isinstance(sys.stderr, RedactingStream):
        sys.stdout = RedactingStream(sys.stdout, OUTPUT)  # type: ignore[assignment]
        sys.stderr = RedactingStream(sys.stderr, OUTPUT)  # type: ignore[assignment]


def is_network_fault(exc: BaseException) -> bool:
    """PTB's NetworkError (TimedOut included), not BadRequest (a bug of ours, not the net)."""
    names = {(c.__module__.split(".")[0], c.__name__) for c in type(exc).__mro__}
    return ("telegram", "NetworkError") in names and ("telegram", "BadRequest") not in names


class OneLineNetworkFaults(logging.Filter):
    """PTB logs each failed poll with its traceback (dozens of lines a few seconds apart while
    the network is away); such a fault is transient and PTB retries it: one line says so."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        if record.name == "asyncio" and is_network_fault(exc):
            # A poll cut off by the network, left in PTB's task ("Task exception was never
            # retrieved", a traceback over two lines): PTB polls again, so one line says so.
            record.msg = f"a request to the Bot API was cut off ({type(exc).__name__}: {exc}); "
            record.msg += "retrying"
            record.args = None
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            return True
        if not record.name.startswith("telegram"):
            return True
        # PTB's request layer logs a reply it cannot parse (an HTML 404 page, a proxy's error)
        # with the JSON parser's traceback, then raises an error that is reported anyway.
        if is_network_fault(exc) or record.name.startswith("telegram.request"):
            retrying = " (retrying)" if is_network_fault(exc) else ""
            record.msg = f"{record.getMessage()} {type(exc).__name__}: {exc}{retrying}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def setup(
    level: str = "INFO",
    token: str = "",
    *,
    fmt: str = "text",
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Log to stderr (or ``stream``) in ``fmt`` ("text" or "json"); returns the handler.

    ``token`` and every value in ``secrets`` (e.g. the webhook secret) are redacted. At DEBUG
    the HTTP libraries log too (their URLs carry the token, which is redacted); otherwise they
    only log warnings.
    """
    redact = Redactor([token, *secrets])
    OUTPUT.add([token, *secrets])
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else TextFormatter(redact))
    handler.addFilter(OneLineNetworkFaults())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in NOISY:
        debug_http = noisy in HTTP and level.upper() == "DEBUG"
        logging.getLogger(noisy).setLevel(logging.NOTSET if debug_http else logging.WARNING)
    for verifier in VERIFIERS:
        quiet = level.upper() != "DEBUG"
        logging.getLogger(verifier).setLevel(logging.CRITICAL if quiet else logging.NOTSET)
    return handler


def setup_from(settings: Settings, *, stream: TextIO | None = None) -> logging.Handler:
    """`setup` with the level, format and secrets of the settings."""
    return setup(
        settings.log_level,
        settings.telegram_bot_token.get_secret_value(),
        fmt=settings.log_format,
        secrets=[settings.webhook_secret.get_secret_value(), settings.database_password()],
        stream=stream,
    )
