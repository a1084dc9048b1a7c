"""Uploaded signed letters: their electronic signatures are verified, recorded and reported.

The check runs in a worker thread before the act's transaction (pyHanko's hashing and difference
analysis must neither block the event loop nor hold the database's write lock); the act records
it with the document. Nothing is ever refused on account of a signature: a plain scan is recorded
as a scan, a doubtful signature is recorded and told to the petugas.
"""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import datetime

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.config import Settings
from bot.signatures import SignatureCheck, load_trust_roots, verify_pdf
from storage import signatures
from storage.dto import SignatureCheckDTO

logger = logging.getLogger(__name__)


def _check_now(data: bytes, settings: Settings) -> SignatureCheck:
    roots = load_trust_roots(settings.trust_roots_path)
    for problem in roots.problems:
        logger.warning("SIGNATURE_TRUST_ROOTS: %s", problem)
    return verify_pdf(data, roots)


async def check_pdf(data: bytes, settings: Settings) -> SignatureCheck:
    """Verify the PDF's signatures in a worker thread (the trust roots are read afresh)."""
    return await asyncio.to_thread(_check_now, data, settings)


async def record(
    s: AsyncSession, document_id: int, check: SignatureCheck, now: datetime
) -> SignatureCheckDTO:
    return await signatures.record_check(
        s,
        document_id,
        sha256=check.sha256,
        status=check.status,
        signer=check.signer,
        signed_at=check.signed_at,
        time_source=check.deciding.time_source if check.deciding else "",
        reason=check.reason,
        signatures=len(check.signatures),
        detail=check.record_detail(),
        now=now,
    )


def line(check: SignatureCheckDTO, settings: Settings) -> Markup:
    """The one line for the petugas (HTML-escaped, for chat and for other chat templates)."""
    waktu = (
        tanggal.format_waktu(check.signed_at, settings.timezone_label, settings.tz)
        if check.signed_at
        else ""
    )
    return Markup(texts.render("signatures", "line", check=check, waktu=waktu))


def plain_line(check: SignatureCheckDTO, settings: Settings) -> str:
    """The same line as plain text (for the archive index)."""
    return html.unescape(str(line(check, settings)))
