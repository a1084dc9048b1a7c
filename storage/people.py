"""Offices (OPD), officials, their roles and invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.dto import InviteDTO, OfficeDTO, PersonDTO, RoleDTO
from storage.models import Invite, Office, Official, RoleAssignment


def _office(o: Office) -> OfficeDTO:
    return OfficeDTO(id=o.id, code=o.code, name=o.name, active=o.active)


async def add_office(s: AsyncSession, code: str, name: str, now: datetime) -> OfficeDTO:
    office = Office(code=code, name=name, active=True, created_at=now)
    s.add(office)
    await s.flush()
    return _office(office)


async def office_by_code(s: AsyncSession, code: str) -> OfficeDTO | None:
    row = await s.scalar(select(Office).where(Office.code == code))
    return _office(row) if row else None


async def office_by_id(s: AsyncSession, office_id: int) -> OfficeDTO | None:
    row = await s.get(Office, office_id)
    return _office(row) if row else None


async def list_offices(s: AsyncSession, *, active_only: bool = True) -> list[OfficeDTO]:
    # columns, not entities: a city's hundred OPDs are read on every /status
    q = select(Office.id, Office.code, Office.name, Office.active).order_by(Office.name)
    if active_only:
        q = q.where(Office.active.is_(True))
    return [OfficeDTO(id=i, code=c, name=n, active=a) for i, c, n, a in (await s.execute(q)).all()]


async def set_office_active(s: AsyncSession, code: str, active: bool) -> bool:
    res = await s.execute(update(Office).where(Office.code == code).values(active=active))
    return bool(res.rowcount)  # type: ignore[attr-defined]


def _role_active(ra: Any, today: date) -> bool:
    """Whether a role assignment (or a row with its dates) is in force on `today`."""
    return (ra.starts_on is None or ra.starts_on <= today) and (
        ra.ends_on is None or today <= ra.ends_on
    )


#: The same test, for the read model (bot/workflow/readmodel.py), which keeps every assignment.
role_in_force = _role_active

#: The official a delegated (Plh./Plt.) role acts for; one alias, built once.
_PRINCIPAL = aliased(Official, name="principal")


def _role(ra: RoleAssignment, principal_name: str | None) -> RoleDTO:
    return RoleDTO(
        role=ra.role,
        office_id=ra.office_id,
        is_lead=ra.is_lead,
        acting_for_id=ra.acting_for_id,
        acting_for_name=principal_name,
        starts_on=ra.starts_on,
        ends_on=ra.ends_on,
    )


def _person(o: Official, office_name: str | None, roles: list[RoleDTO]) -> PersonDTO:
    return PersonDTO(
        id=o.id,
        name=o.name,
        nip=o.nip,
        pangkat=o.pangkat,
        jabatan=o.jabatan,
        telegram_user_id=o.telegram_user_id,
        office_id=o.office_id,
        office_name=office_name if o.office_id else None,
        roles=tuple(roles),
    )


async def _roles_of(
    s: AsyncSession, official_ids: list[int], today: date
) -> dict[int, list[RoleDTO]]:
    q = (
        select(RoleAssignment, _PRINCIPAL.name)
        .outerjoin(_PRINCIPAL, _PRINCIPAL.id == RoleAssignment.acting_for_id)
        .where(RoleAssignment.official_id.in_(official_ids))
        .order_by(RoleAssignment.id)
    )
    out: dict[int, list[RoleDTO]] = {i: [] for i in official_ids}
    for ra, principal_name in (await s.execute(q)).all():
        if _role_active(ra, today):
            out[ra.official_id].append(_role(ra, principal_name))
    return out


async def _people(s: AsyncSession, officials: list[Official], today: date) -> list[PersonDTO]:
    roles = await _roles_of(s, [o.id for o in officials], today)
    names = {
        o.id: o.name
        for o in await s.scalars(
            select(Office).where(Office.id.in_({p.office_id for p in officials if p.office_id}))
        )
    }
    return [_person(o, names.get(o.office_id or 0), roles[o.id]) for o in officials]


async def person_by_telegram(s: AsyncSession, tg_user_id: int, today: date) -> PersonDTO | None:
    """The active official on this Telegram account, with office and roles: one query (every
    update starts with it)."""
    q = (
        select(Official, Office.name, RoleAssignment, _PRINCIPAL.name)
        .outerjoin(Office, Office.id == Official.office_id)
        .outerjoin(RoleAssignment, RoleAssignment.official_id == Official.id)
        .outerjoin(_PRINCIPAL, _PRINCIPAL.id == RoleAssignment.acting_for_id)
        .where(Official.telegram_user_id == tg_user_id, Official.active.is_(True))
        .order_by(RoleAssignment.id)
    )
    rows = (await s.execute(q)).all()
    if not rows:
        return None
    roles = [
        _role(ra, principal_name)
        for _o, _office, ra, principal_name in rows
        if ra is not None and _role_active(ra, today)
    ]
    return _person(rows[0][0], rows[0][1], roles)


async def person_by_id(s: AsyncSession, official_id: int, today: date) -> PersonDTO | None:
    row = await s.get(Official, official_id)
    return (await _people(s, [row], today))[0] if row else None


async def _holding(
    s: AsyncSession, role: str, today: date, office_id: int | None, what: Any
) -> list[Any]:
    """`what` (an entity or a column of Official) of each official who holds `role` today:
    registered and active, the role in force today, a principal whose role is delegated for
    today replaced by the delegate. In the order of the officials' ids."""
    q = (
        select(
            RoleAssignment.official_id,
            RoleAssignment.acting_for_id,
            RoleAssignment.starts_on,
            RoleAssignment.ends_on,
            what,
        )
        .join(Official, Official.id == RoleAssignment.official_id)
        .where(
            RoleAssignment.role == role,
            Official.active.is_(True),
            Official.telegram_user_id.is_not(None),
        )
        .order_by(Official.id)
    )
    if office_id is not None:
        q = q.where(RoleAssignment.office_id == office_id)
    rows = [r for r in (await s.execute(q)).all() if _role_active(r, today)]
    delegated = {r.acting_for_id for r in rows if r.acting_for_id is not None}
    chosen: dict[int, Any] = {}
    for r in rows:
        if r.acting_for_id is None and r.official_id in delegated:
            continue
        chosen[r.official_id] = r[-1]
    return list(chosen.values())


async def holders(
    s: AsyncSession, role: str, today: date, *, office_id: int | None = None
) -> list[PersonDTO]:
    """Registered, active officials holding `role` today (optionally for one office).

    A principal whose role is delegated (Plh./Plt.) for today is replaced by the delegate.
    """
    return await _people(s, await _holding(s, role, today, office_id, Official), today)


async def holder_names(
    s: AsyncSession, role: str, today: date, *, office_id: int | None = None
) -> list[str]:
    """The names of `holders` (a view that shows names needs no more: no roles, no offices)."""
    return list(await _holding(s, role, today, office_id, Official.name))


async def add_official(
    s: AsyncSession,
    *,
    name: str,
    now: datetime,
    telegram_user_id: int | None = None,
    office_id: int | None = None,
    nip: str = "",
    pangkat: str = "",
    jabatan: str = "",
) -> int:
    official = Official(
        name=name,
        nip=nip,
        pangkat=pangkat,
        jabatan=jabatan,
        telegram_user_id=telegram_user_id,
        office_id=office_id,
        active=True,
        created_at=now,
    )
    s.add(official)
    await s.flush()
    return official.id


async def add_role(
    s: AsyncSession,
    official_id: int,
    role: str,
    now: datetime,
    *,
    office_id: int | None = None,
    is_lead: bool = False,
    acting_for_id: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> None:
    existing = await s.scalar(
        select(RoleAssignment).where(
            RoleAssignment.official_id == official_id,
            RoleAssignment.role == role,
            RoleAssignment.office_id.is_(None)
            if office_id is None
            else RoleAssignment.office_id == office_id,
            RoleAssignment.acting_for_id.is_(None),
        )
    )
    if existing is not None and acting_for_id is None:
        existing.is_lead = existing.is_lead or is_lead
        return
    s.add(
        RoleAssignment(
            official_id=official_id,
            role=role,
            office_id=office_id,
            is_lead=is_lead,
            acting_for_id=acting_for_id,
            starts_on=starts_on,
            ends_on=ends_on,
            created_at=now,
        )
    )
    await s.flush()


def _invite(i: Invite) -> InviteDTO:
    return InviteDTO(
        id=i.id,
        token=i.token,
        role=i.role,
        office_id=i.office_id,
        name=i.name,
        expires_at=i.expires_at,
        used_at=i.used_at,
    )


async def add_invite(
    s: AsyncSession,
    *,
    token: str,
    role: str,
    name: str,
    now: datetime,
    expires_at: datetime,
    office_id: int | None = None,
    is_lead: bool = False,
    nip: str = "",
    pangkat: str = "",
    jabatan: str = "",
    created_by_id: int | None = None,
) -> InviteDTO:
    invite = Invite(
        token=token,
        role=role,
        office_id=office_id,
        is_lead=is_lead,
        name=name,
        nip=nip,
        pangkat=pangkat,
        jabatan=jabatan,
        created_by_id=created_by_id,
        created_at=now,
        expires_at=expires_at,
    )
    s.add(invite)
    await s.flush()
    return _invite(invite)


async def redeem_invite(
    s: AsyncSession, token: str, tg_user_id: int, now: datetime
) -> tuple[str, int | None]:
    """Use an invite once. Returns (outcome, official_id); outcome is ok/unknown/used/expired."""
    invite = await s.scalar(select(Invite).where(Invite.token == token).with_for_update())
    if invite is None:
        return "unknown", None
    if invite.used_at is not None:
        return "used", None
    if invite.expires_at <= now:
        return "expired", None
    claimed = await s.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return "used", None
    official = await s.scalar(select(Official).where(Official.telegram_user_id == tg_user_id))
    if official is None:
        official_id = await add_official(
            s,
            name=invite.name,
            now=now,
            telegram_user_id=tg_user_id,
            office_id=invite.office_id,
            nip=invite.nip,
            pangkat=invite.pangkat,
            jabatan=invite.jabatan,
        )
    else:
        official_id = official.id
        official.active = True
        if invite.office_id and not official.office_id:
            official.office_id = invite.office_id
    await add_role(
        s, official_id, invite.role, now, office_id=invite.office_id, is_lead=invite.is_lead
    )
    await s.execute(update(Invite).where(Invite.id == invite.id).values(official_id=official_id))
    return "ok", official_id


async def all_people(s: AsyncSession, today: date) -> list[PersonDTO]:
    """Every active, registered official."""
    rows = list(
        await s.scalars(
            select(Official)
            .where(Official.active.is_(True), Official.telegram_user_id.is_not(None))
            .order_by(Official.name)
        )
    )
    return await _people(s, rows, today)


# --- an official's lifecycle: deactivated (left the office) and reactivated -------------------


@dataclass(frozen=True, slots=True)
class OfficialRow:
    """One official for the admin's list: active or not, with role keys and office code."""

    id: int
    name: str
    active: bool
    telegram_user_id: int | None
    office_code: str | None
    roles: tuple[str, ...]


async def all_officials(s: AsyncSession) -> list[OfficialRow]:
    """Every official, active or not, by name (roles as keys, lead marked ``tim_uk*``)."""
    q = (
        select(Official, Office.code, RoleAssignment)
        .outerjoin(Office, Office.id == Official.office_id)
        .outerjoin(RoleAssignment, RoleAssignment.official_id == Official.id)
        .order_by(Official.name, Official.id, RoleAssignment.id)
    )
    rows: dict[int, tuple[Official, str | None, list[str]]] = {}
    for official, code, ra in (await s.execute(q)).all():
        entry = rows.setdefault(official.id, (official, code, []))
        if ra is not None:
            key = ra.role + ("*" if ra.is_lead else "") + ("(plh)" if ra.acting_for_id else "")
            if key not in entry[2]:
                entry[2].append(key)
    return [
        OfficialRow(o.id, o.name, o.active, o.telegram_user_id, code, tuple(roles))
        for o, code, roles in rows.values()
    ]


async def set_official_active(s: AsyncSession, official_id: int, active: bool) -> bool | None:
    """Set the flag; True if it changed, False if it already was so, None if no such official."""
    official = await s.get(Official, official_id, with_for_update=True)
    if official is None:
        return None
    if official.active == active:
        return False
    official.active = active
    await s.flush()
    return True


async def is_deactivated(s: AsyncSession, tg_user_id: int) -> bool:
    """This Telegram account belongs to an official who was deactivated."""
    found = await s.scalar(
        select(Official.id).where(
            Official.telegram_user_id == tg_user_id, Official.active.is_(False)
        )
    )
    return found is not None
