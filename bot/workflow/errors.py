"""A refused act: the person caused it, nothing was changed, and they are told why."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Raised inside a transaction to roll it back; `code` names a macro in refusals.j2."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
