"""Plh./Plt.: an admin (or the official) delegates a role for a date range.

While the delegation runs, `holders()` gives the delegate instead of the principal, so tasks,
buttons and nudges go to the delegate; letters print "Plh." with the principal's title, and the
audit log names both.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.sop.model import BUILTIN_ROLES
from bot.tanggal import format_tanggal
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import people
from storage.dto import PersonDTO


class Delegation:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def delegate(
        self,
        tg_user_id: int,
        role: str,
        principal_name: str,
        delegate_name: str,
        starts_on: date,
        ends_on: date,
    ) -> Outcome:
        """Record a delegation; the principal may delegate their own role, an admin any."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            delegable = [r for r in self.core.known_roles() if r not in BUILTIN_ROLES]
            if role not in delegable:
                raise Refused("bad_role", roles=", ".join(delegable))
            if not starts_on <= ends_on or ends_on < self.core.today():
                raise Refused("bad_delegation_dates", role=role)
            holders = await people.holders(s, role, starts_on)
            principal = _one(holders, principal_name, role)
            if not person.has("admin") and person.id != principal.id:
                raise Refused("wrong_role", role="Admin atau pejabat yang bersangkutan")
            everyone = await people.all_people(s, self.core.today())
            delegate = _one(everyone, delegate_name, None)
            if delegate.id == principal.id:
                raise Refused("delegate_self")
            office_id = next((r.office_id for r in principal.roles if r.role == role), None)
            await people.add_role(
                s,
                delegate.id,
                role,
                self.core.now(),
                office_id=office_id,
                acting_for_id=principal.id,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            detail = (
                f"Plh. {self.core.role_label(role)}: {delegate.name} untuk {principal.name}, "
                f"{starts_on.isoformat()} s.d. {ends_on.isoformat()}"
            )
            await self.core.record(s, person, "delegate", detail=detail)
            text = texts.render(
                "notices",
                "delegated",
                role=self.core.role_label(role),
                principal=principal.name,
                delegate=delegate.name,
                start=format_tanggal(starts_on),
                end=format_tanggal(ends_on),
            )
            for who in {delegate.id: delegate, principal.id: principal}.values():
                if who.id != person.id:
                    await self.core.tell(s, who, text, actor=person)
            return Outcome(True, text)

        return await self.core.guarded(tg_user_id, "delegate", body)


def _one(candidates: list[PersonDTO], query: str, role: str | None) -> PersonDTO:
    words = " ".join(query.split()).lower()
    found = [p for p in candidates if words and words in p.name.lower()]
    if len(found) != 1:
        raise Refused("person_ambiguous", query=query, count=len(found))
    return found[0]
