"""Electronic signatures (PAdES, e.g. a TTE issued under BSrE) on uploaded signed letters.

Pure: no Telegram, no database. :func:`verify_pdf` is CPU work (hashing, path building, the
difference analysis of incremental updates): call it in a thread, never on the event loop.
"""

from bot.signatures.roots import TrustRoots, load_trust_roots
from bot.signatures.verify import (
    INVALID,
    MODIFIED,
    NONE,
    STATUSES,
    UNREADABLE,
    UNTRUSTED,
    VALID,
    SignatureCheck,
    SignerResult,
    verify_pdf,
)

__all__ = [
    "INVALID",
    "MODIFIED",
    "NONE",
    "STATUSES",
    "UNREADABLE",
    "UNTRUSTED",
    "VALID",
    "SignatureCheck",
    "SignerResult",
    "TrustRoots",
    "load_trust_roots",
    "verify_pdf",
]
