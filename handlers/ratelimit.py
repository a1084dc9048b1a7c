"""Telegram's flood limits: the outbox's fan-out is paced, a reply to the person who wrote is not.

Telegram's limits (Bots FAQ) are about one message a second in one chat and about 30 a second
for *bulk notifications to many users*. The outbox is that bulk: letters, tasks and nudges to
other officials; it is paced at `OUTBOX_RATE` a second, evenly (no burst: the bucket holds one
message), so a fan-out to 100 OPDs never meets a 429. A reply to the official who just wrote or
tapped is not bulk and is not held behind that queue; it keeps PTB's limit for group chats.
Both sides retry a 429 after its ``retry_after`` (PTB's `AIORateLimiter`).

Which side a call is on is told by `outbox_sending`, set by the outbox sender around its sends
(a context variable, so tasks the sender starts inherit it).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

#: Outbox messages a second: a margin under Telegram's 30, so that the network's jitter does
#: not put a 31st message into one second.
OUTBOX_RATE = 29

#: True while the outbox sender sends (see the module's docstring).
outbox_sending: ContextVar[bool] = ContextVar("outbox_sending", default=False)


class SplitRateLimiter(BaseRateLimiter[int]):
    """Two `AIORateLimiter`: an evenly paced one for the outbox, one for replies."""

    def __init__(self, max_retries: int = 3, outbox_rate: float = OUTBOX_RATE) -> None:
        self.outbox = AIORateLimiter(
            overall_max_rate=1, overall_time_period=1 / outbox_rate, max_retries=max_retries
        )
        self.replies = AIORateLimiter(overall_max_rate=0, max_retries=max_retries)

    async def initialize(self) -> None:
        await self.outbox.initialize()
        await self.replies.initialize()

    async def shutdown(self) -> None:
        await self.outbox.shutdown()
        await self.replies.shutdown()

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        limiter = self.outbox if outbox_sending.get() else self.replies
        return await limiter.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
