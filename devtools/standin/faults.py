"""Injected faults and Telegram-like flood limits for the Bot API stand-in."""

from __future__ import annotations

import logging
import math
import random
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

logger = logging.getLogger(__name__)

FaultKind = Literal["429", "500", "502", "drop", "slow"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

#: Methods that random faults (``set_fault_rate``) apply to.
SEND_EDIT_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendmediagroup",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
    }
)
#: Methods counted by the flood limits (``enforce_rate_limits``).
SENDING_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto", "sendmediagroup"})


@dataclass(frozen=True)
class Fault:
    """One injected fault.

    ``429``: error_code 429 with ``parameters.retry_after``; ``500``: JSON Internal Server Error;
    ``502``: an HTML Bad Gateway page like Telegram's nginx sends; ``drop``: the connection is
    closed without an answer, before the call is executed; ``slow``: the call is executed after
    ``delay`` seconds (also when the client has given up meanwhile, as on the real server).
    """

    kind: str
    retry_after: int = 1
    delay: float = 6.0


class FaultPlan:
    """Queued faults per method plus an optional random fault rate on send/edit methods."""

    def __init__(self) -> None:
        self._queued: dict[str, deque[Fault]] = {}
        self.rate = 0.0
        self.kinds: tuple[str, ...] = ()
        self.retry_after = 1
        self.delay = 6.0
        self._rng = random.Random()

    def fail_next(
        self, method: str, kind: str, count: int, retry_after: int, delay: float
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {FAULT_KINDS}")
        queue = self._queued.setdefault(method.lower(), deque())
        queue.extend(Fault(kind, retry_after, delay) for _ in range(count))

    def set_rate(
        self,
        rate: float,
        kinds: Iterable[str],
        seed: int | None,
        retry_after: int,
        delay: float,
    ) -> None:
        kinds = tuple(kinds)
        unknown = [k for k in kinds if k not in FAULT_KINDS]
        if unknown or not 0 <= rate <= 1:
            raise ValueError(f"bad fault rate {rate!r} or kinds {unknown}")
        self.rate, self.kinds = rate, kinds
        self.retry_after, self.delay = retry_after, delay
        self._rng = random.Random(seed)

    def clear(self) -> None:
        self._queued.clear()
        self.rate = 0.0

    def take(self, method: str) -> Fault | None:
        """The fault to apply to this call of ``method``, if any."""
        queue = self._queued.get(method.lower())
        if queue:
            return queue.popleft()
        if self.rate and self.kinds and method.lower() in SEND_EDIT_METHODS:
            if self._rng.random() < self.rate:
                return Fault(self._rng.choice(self.kinds), self.retry_after, self.delay)
        return None


class FloodLimiter:
    """Sliding one-second windows: ``overall`` sends per second, ``per_chat`` per chat."""

    def __init__(self, overall: int = 30, per_chat: int = 1, window: float = 1.0) -> None:
        self.overall = overall
        self.per_chat = per_chat
        self.window = window
        self._all: deque[float] = deque()
        self._chats: dict[object, deque[float]] = {}

    def check(self, chat_id: object, now: float) -> int | None:
        """Record an allowed send and return None, or return ``retry_after`` seconds."""
        self._expire(self._all, now)
        chat = self._chats.setdefault(chat_id, deque())
        self._expire(chat, now)
        waits = []
        if len(self._all) >= self.overall:
            waits.append(self._all[0] + self.window - now)
        if len(chat) >= self.per_chat:
            waits.append(chat[0] + self.window - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        self._all.append(now)
        chat.append(now)
        return None

    def _expire(self, window: deque[float], now: float) -> None:
        while window and window[0] <= now - self.window:
            window.popleft()
