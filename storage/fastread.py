"""Core statements on a bare connection for the read model: no ORM session, no entities.

What `bot/workflow/readmodel.py` keeps in memory between two bumps of `storage.versions`:
every registered, active official with their office and all their role assignments (which of
them are in force is decided on the day they are read), and every open run with its cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from storage.cycles import _cycle, _run
from storage.dto import CycleDTO, PersonDTO, RoleDTO, StepRunDTO
from storage.models import Cycle, Office, Official, RoleAssignment, StepRun

_PRINCIPAL = aliased(Official, name="principal")


@dataclass(frozen=True, slots=True)
class Registered:
    """An active official on a Telegram account, with every role assignment they have."""

    person: PersonDTO  # its `roles` is empty: see `roles`
    roles: tuple[RoleDTO, ...]


async def registered_people(conn: AsyncConnection) -> dict[int, Registered]:
    """Every active official with a Telegram account, by that account: two queries."""
    q = (
        select(
            Official.id,
            Official.name,
            Official.nip,
            Official.pangkat,
            Official.jabatan,
            Official.telegram_user_id,
            Official.office_id,
            Office.name,
        )
        .outerjoin(Office, Office.id == Official.office_id)
        .where(Official.telegram_user_id.is_not(None), Official.active.is_(True))
    )
    people = {
        row[0]: PersonDTO(
            id=row[0],
            name=row[1],
            nip=row[2],
            pangkat=row[3],
            jabatan=row[4],
            telegram_user_id=row[5],
            office_id=row[6],
            office_name=row[7] if row[6] else None,
        )
        for row in (await conn.execute(q)).all()
    }
    r = (
        select(
            RoleAssignment.official_id,
            RoleAssignment.role,
            RoleAssignment.office_id,
            RoleAssignment.is_lead,
            RoleAssignment.acting_for_id,
            _PRINCIPAL.name,
            RoleAssignment.starts_on,
            RoleAssignment.ends_on,
        )
        .outerjoin(_PRINCIPAL, _PRINCIPAL.id == RoleAssignment.acting_for_id)
        .order_by(RoleAssignment.id)
    )
    roles: dict[int, list[RoleDTO]] = {}
    for official_id, role, office_id, lead, acting_for, principal, starts, ends in (
        await conn.execute(r)
    ).all():
        if official_id in people:
            roles.setdefault(official_id, []).append(
                RoleDTO(role, office_id, lead, acting_for, principal, starts, ends)
            )
    return {
        p.telegram_user_id: Registered(p, tuple(roles.get(p.id, ())))
        for p in people.values()
        if p.telegram_user_id is not None
    }


async def open_runs_with_cycles(conn: AsyncConnection) -> list[tuple[StepRunDTO, CycleDTO]]:
    """Every open run with its cycle, oldest first (what `cycles.open_runs_with_cycles`
    returns): two queries."""
    runs = (
        await conn.execute(
            select(StepRun.__table__).where(StepRun.status == "open").order_by(StepRun.id)
        )
    ).all()
    if not runs:
        return []
    ids = {r.cycle_id for r in runs}
    found = (await conn.execute(select(Cycle.__table__).where(Cycle.id.in_(ids)))).all()
    by_id = {c.id: _cycle(c) for c in found}  # type: ignore[arg-type]
    return [(_run(r), by_id[r.cycle_id]) for r in runs]  # type: ignore[arg-type]
