"""Archived files (every version, with SHA-256) and gap-free letter counters."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from storage.db import dialect_name
from storage.dto import DocumentDTO
from storage.models import Document, LetterCounter


def _doc(d: Document) -> DocumentDTO:
    return DocumentDTO(
        id=d.id,
        cycle_id=d.cycle_id,
        step_no=d.step_no,
        kind=d.kind,
        office_id=d.office_id,
        version=d.version,
        filename=d.filename,
        mime_type=d.mime_type,
        sha256=d.sha256,
        size=d.size,
        letter_number=d.letter_number,
        uploaded=d.uploaded,
        created_at=d.created_at,
        original_filename=d.original_filename,
    )


async def add_document(
    s: AsyncSession,
    *,
    cycle_id: int | None,
    step_no: int | None,
    kind: str,
    filename: str,
    mime_type: str,
    content: bytes,
    now: datetime,
    office_id: int | None = None,
    letter_number: str | None = None,
    uploaded: bool = False,
    created_by_id: int | None = None,
    original_filename: str | None = None,
) -> DocumentDTO:
    """Store a new version of a document; earlier versions stay."""
    last = await s.scalar(
        select(func.max(Document.version)).where(
            Document.cycle_id == cycle_id if cycle_id is not None else Document.cycle_id.is_(None),
            Document.kind == kind,
            Document.office_id == office_id
            if office_id is not None
            else Document.office_id.is_(None),
        )
    )
    doc = Document(
        cycle_id=cycle_id,
        step_no=step_no,
        kind=kind,
        office_id=office_id,
        version=int(last or 0) + 1,
        filename=filename,
        mime_type=mime_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        letter_number=letter_number,
        uploaded=uploaded,
        created_at=now,
        created_by_id=created_by_id,
        original_filename=original_filename,
    )
    s.add(doc)
    await s.flush()
    return _doc(doc)


async def get_document(s: AsyncSession, doc_id: int) -> tuple[DocumentDTO, bytes] | None:
    d = await s.get(Document, doc_id, options=[undefer(Document.content)], populate_existing=True)
    return (_doc(d), d.content) if d else None


async def latest_documents(s: AsyncSession, cycle_id: int) -> list[DocumentDTO]:
    """The newest version of every (kind, office) of a cycle, in step order."""
    newest = (
        select(Document.kind, Document.office_id, func.max(Document.version).label("v"))
        .where(Document.cycle_id == cycle_id)
        .group_by(Document.kind, Document.office_id)
        .subquery()
    )
    q = (
        select(Document)
        .join(
            newest,
            (Document.kind == newest.c.kind)
            & (Document.version == newest.c.v)
            & (func.coalesce(Document.office_id, 0) == func.coalesce(newest.c.office_id, 0)),
        )
        .where(Document.cycle_id == cycle_id)
        .order_by(Document.step_no, Document.id)
    )
    return [_doc(d) for d in await s.scalars(q)]


async def count_latest(s: AsyncSession, cycle_id: int) -> int:
    """How many documents `latest_documents` lists (one per kind and office), counted."""
    kinds = (
        select(Document.kind, Document.office_id)
        .where(Document.cycle_id == cycle_id)
        .group_by(Document.kind, Document.office_id)
        .subquery()
    )
    return int(await s.scalar(select(func.count()).select_from(kinds)) or 0)


async def latest_of_kind(s: AsyncSession, cycle_id: int, kind: str) -> DocumentDTO | None:
    d = await s.scalar(
        select(Document)
        .where(Document.cycle_id == cycle_id, Document.kind == kind)
        .order_by(Document.version.desc(), Document.id.desc())
        .limit(1)
    )
    return _doc(d) if d else None


async def all_documents(s: AsyncSession, cycle_id: int) -> list[DocumentDTO]:
    q = select(Document).where(Document.cycle_id == cycle_id).order_by(Document.id)
    return [_doc(d) for d in await s.scalars(q)]


async def next_letter_seq(s: AsyncSession, pattern: str, year: int) -> int:
    """Take the next number of a (pattern, year) counter inside the caller's transaction.

    The increment is one UPDATE ... RETURNING, so two transactions never get the same number,
    and a rolled-back transaction gives its number back (no gap).
    """
    dialect = dialect_name(s)
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(LetterCounter)
    await s.execute(
        ins.values(pattern=pattern, year=year, last_seq=0).on_conflict_do_nothing(
            index_elements=["pattern", "year"]
        )
    )
    seq = await s.scalar(
        update(LetterCounter)
        .where(LetterCounter.pattern == pattern, LetterCounter.year == year)
        .values(last_seq=LetterCounter.last_seq + 1)
        .returning(LetterCounter.last_seq)
    )
    return int(seq or 0)


async def latest_of_kind_for_office(
    s: AsyncSession, cycle_id: int, kind: str, office_id: int
) -> DocumentDTO | None:
    d = await s.scalar(
        select(Document)
        .where(
            Document.cycle_id == cycle_id, Document.kind == kind, Document.office_id == office_id
        )
        .order_by(Document.version.desc())
        .limit(1)
    )
    return _doc(d) if d else None


async def latest_for_offices(
    s: AsyncSession, cycle_id: int, kind: str, office_ids: list[int]
) -> dict[int, DocumentDTO]:
    """The newest version of a per-office document for each of these offices that has one."""
    if not office_ids:
        return {}
    q = (
        select(Document)
        .where(
            Document.cycle_id == cycle_id,
            Document.kind == kind,
            Document.office_id.in_(office_ids),
        )
        .order_by(Document.office_id, Document.version)
    )
    return {d.office_id: _doc(d) for d in await s.scalars(q) if d.office_id is not None}


async def add_office_documents(
    s: AsyncSession,
    *,
    cycle_id: int,
    step_no: int | None,
    kind: str,
    files: list[tuple[int, str, str, bytes]],
    now: datetime,
) -> list[DocumentDTO]:
    """Store a new version of a per-office document for each (office id, filename, mime type,
    content), in one INSERT; in the order given."""
    if not files:
        return []
    offices = [f[0] for f in files]
    last = dict(
        (
            await s.execute(
                select(Document.office_id, func.max(Document.version))
                .where(
                    Document.cycle_id == cycle_id,
                    Document.kind == kind,
                    Document.office_id.in_(offices),
                )
                .group_by(Document.office_id)
            )
        ).all()
    )
    rows = [
        {
            "cycle_id": cycle_id,
            "step_no": step_no,
            "kind": kind,
            "office_id": office_id,
            "version": int(last.get(office_id) or 0) + 1,
            "filename": filename,
            "mime_type": mime_type,
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
            "content": content,
            "letter_number": None,
            "uploaded": False,
            "created_at": now,
            "created_by_id": None,
            "original_filename": None,
        }
        for office_id, filename, mime_type, content in files
    ]
    ids = list(
        await s.scalars(
            insert(Document).returning(Document.id, sort_by_parameter_order=True), rows
        )
    )
    return [
        DocumentDTO(
            id=doc_id,
            cycle_id=cycle_id,
            step_no=step_no,
            kind=kind,
            office_id=office_id,
            version=int(last.get(office_id) or 0) + 1,
            filename=filename,
            mime_type=mime_type,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            letter_number=None,
            uploaded=False,
            created_at=now,
            original_filename=None,
        )
        for doc_id, (office_id, filename, mime_type, content) in zip(ids, files, strict=True)
    ]
