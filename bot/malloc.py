"""Fewer glibc malloc arenas for the long-running bot.

glibc gives threads their own malloc arenas (up to 8 per core); the bot's threads (aiosqlite's
connection thread, the workers that render documents and read uploads) each keep the memory
they freed in theirs, so the process's resident set grows with the number of threads that ever
ran. Two arenas, as ``MALLOC_ARENA_MAX=2`` would set, keep it some 10 MB lower under load
(measured by ``make bench``, group memory). Elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

logger = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Set glibc's arena limit unless MALLOC_ARENA_MAX is set already; True if it was set."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False  # the operator's choice, applied by glibc itself
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    done = bool(mallopt(M_ARENA_MAX, arenas))
    logger.debug("malloc arenas limited to %s: %s", arenas, done)
    return done
