"""The recorded verification of uploaded files' electronic signatures (table signature_checks)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.documents import _doc
from storage.dto import DocumentDTO, SignatureCheckDTO
from storage.models import Document, SignatureCheck


def _check(c: SignatureCheck) -> SignatureCheckDTO:
    return SignatureCheckDTO(
        document_id=c.document_id,
        sha256=c.sha256,
        status=c.status,
        signer=c.signer,
        signed_at=c.signed_at,
        time_source=c.time_source,
        reason=c.reason,
        signatures=c.signatures,
        detail=c.detail,
        checked_at=c.checked_at,
    )


async def record_check(
    s: AsyncSession,
    document_id: int,
    *,
    sha256: str,
    status: str,
    signer: str | None,
    signed_at: datetime | None,
    time_source: str,
    reason: str,
    signatures: int,
    detail: str,
    now: datetime,
) -> SignatureCheckDTO:
    """Store the result for a document (once: a file's bytes, and so its check, never change)."""
    row = SignatureCheck(
        document_id=document_id,
        sha256=sha256,
        status=status,
        signer=signer[:200] if signer else None,
        signed_at=signed_at,
        time_source=time_source,
        reason=reason,
        signatures=signatures,
        detail=detail,
        checked_at=now,
    )
    s.add(row)
    await s.flush()
    return _check(row)


async def checks_for(s: AsyncSession, document_ids: Iterable[int]) -> dict[int, SignatureCheckDTO]:
    ids = list(document_ids)
    if not ids:
        return {}
    rows = await s.scalars(select(SignatureCheck).where(SignatureCheck.document_id.in_(ids)))
    return {r.document_id: _check(r) for r in rows}


async def latest_checked(
    s: AsyncSession, cycle_id: int
) -> list[tuple[DocumentDTO, SignatureCheckDTO]]:
    """The newest checked version of each kind of a cycle's uploaded files, in step order."""
    newest = (
        select(Document.kind, func.max(Document.version).label("v"))
        .join(SignatureCheck, SignatureCheck.document_id == Document.id)
        .where(Document.cycle_id == cycle_id)
        .group_by(Document.kind)
        .subquery()
    )
    q = (
        select(Document, SignatureCheck)
        .join(SignatureCheck, SignatureCheck.document_id == Document.id)
        .join(newest, (Document.kind == newest.c.kind) & (Document.version == newest.c.v))
        .where(Document.cycle_id == cycle_id)
        .order_by(Document.step_no, Document.id)
    )
    return [(_doc(d), _check(c)) for d, c in (await s.execute(q)).all()]
