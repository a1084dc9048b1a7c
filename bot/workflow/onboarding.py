"""Offices and invitations: used by the CLI and by the admin in chat."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import people
from storage.dto import InviteDTO, OfficeDTO, PersonDTO

CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class Onboarding:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def create_office(self, s: AsyncSession, code: str, name: str) -> OfficeDTO:
        code = code.strip().upper()
        name = " ".join(name.split())
        if not CODE_RE.match(code):
            raise Refused("bad_office_code")
        if not 3 <= len(name) <= 200:
            raise Refused("bad_office_name")
        if await people.office_by_code(s, code):
            raise Refused("office_exists", code=code)
        return await people.add_office(s, code, name, self.core.now())

    async def create_invite(
        self,
        s: AsyncSession,
        *,
        role: str,
        name: str,
        office_code: str | None = None,
        is_lead: bool = False,
        nip: str = "",
        pangkat: str = "",
        jabatan: str = "",
        created_by_id: int | None = None,
    ) -> InviteDTO:
        if role not in self.core.known_roles():
            raise Refused("bad_role", roles=", ".join(self.core.known_roles()))
        name = " ".join(name.split())
        if not 2 <= len(name) <= 200:
            raise Refused("bad_name")
        office_id = None
        if office_code:
            office = await people.office_by_code(s, office_code.strip().upper())
            if office is None:
                raise Refused("unknown_office", code=office_code)
            office_id = office.id
        if role in self.core.all_per_office_roles() and office_id is None:
            raise Refused("office_required")
        jabatan = " ".join(jabatan.split())
        if any(self.core.sops.current(k).signs(role) for k in self.core.sops.keys) and not jabatan:
            raise Refused("jabatan_required", role=self.core.role_label(role))
        if len(jabatan) > 200:
            raise Refused("too_long", limit=200)
        now = self.core.now()
        return await people.add_invite(
            s,
            token=secrets.token_urlsafe(18),
            role=role,
            name=name,
            now=now,
            expires_at=now + timedelta(hours=self.core.settings.invite_valid_hours),
            office_id=office_id,
            is_lead=is_lead,
            nip=nip,
            pangkat=pangkat,
            jabatan=jabatan,
            created_by_id=created_by_id,
        )

    async def add_office(self, code: str, name: str) -> OfficeDTO:
        """CLI: add an OPD (raises Refused with the reason)."""
        async with self.core.db.transaction() as s:
            office = await self.create_office(s, code, name)
            await self.core.record(
                s, None, "office_add", detail=f"{office.code} {office.name} (cli)"
            )
            return office

    async def offices(self) -> list[OfficeDTO]:
        async with self.core.db.read() as s:
            return await people.list_offices(s, active_only=False)

    async def set_office_active(self, code: str, active: bool) -> bool:
        async with self.core.db.transaction() as s:
            done = await people.set_office_active(s, code.strip().upper(), active)
            await self.core.record(s, None, "office_active", detail=f"{code} {active} (cli)")
            return done

    async def invite(self, **fields: object) -> InviteDTO:
        """CLI: create an invite (raises Refused with the reason)."""
        async with self.core.db.transaction() as s:
            invite = await self.create_invite(s, **fields)  # type: ignore[arg-type]
            await self.core.record(s, None, "invite", detail=f"{invite.role} {invite.name} (cli)")
            return invite

    async def list_offices_text(self, tg_user_id: int) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin") and not person.has(self.core.sop.operator):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            items = await people.list_offices(s)
            return Outcome(True, texts.render("admin", "offices", items=items))

        return await self.core.guarded(tg_user_id, "offices", body)

    def invite_link(self, invite: InviteDTO, bot_username: str) -> str:
        return f"https://t.me/{bot_username}?start={invite.token}"

    async def redeem(self, tg_user_id: int, token: str) -> Outcome:
        """/start <token>: register the person with the invite's role."""

        async def body(s: AsyncSession, person: PersonDTO | None) -> Outcome:
            if not TOKEN_RE.match(token):
                raise Refused("invite_unknown")
            outcome, official_id = await people.redeem_invite(
                s, token, tg_user_id, self.core.now()
            )
            if outcome != "ok":
                raise Refused(f"invite_{outcome}")
            assert official_id is not None
            me = await people.person_by_id(s, official_id, self.core.today())
            assert me is not None
            await self.core.record(s, me, "register", detail=",".join(sorted(me.role_keys)))
            roles = [
                f"Ketua {self.core.role_label(r)}" if me.is_lead(r) else self.core.role_label(r)
                for r in sorted(me.role_keys)
            ]
            return Outcome(
                True,
                texts.render(
                    "notices",
                    "registered",
                    name=me.name,
                    roles=roles,
                    office=me.office_name,
                    ketua=me.is_lead(self.core.panel),
                    panel=self.core.role_label(self.core.panel),
                ),
                data={"roles": sorted(me.role_keys)},
            )

        return await self.core.guarded(tg_user_id, "register", body, allow_unregistered=True)

    async def admin_invite(
        self,
        tg_user_id: int,
        role: str,
        office_code: str | None,
        name: str,
        bot_username: str,
        *,
        is_lead: bool = False,
        jabatan: str = "",
    ) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            invite = await self.create_invite(
                s,
                role=role,
                name=name,
                office_code=office_code,
                is_lead=is_lead,
                jabatan=jabatan,
                created_by_id=person.id,
            )
            await self.core.record(s, person, "invite", detail=f"{role} {name}")
            return Outcome(
                True,
                texts.render(
                    "notices",
                    "invite_created",
                    name=invite.name,
                    role=self.core.role_label(role),
                    link=self.invite_link(invite, bot_username),
                    hours=self.core.settings.invite_valid_hours,
                ),
            )

        return await self.core.guarded(tg_user_id, "invite", body)

    async def admin_add_office(self, tg_user_id: int, code: str, name: str) -> Outcome:
        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has("admin"):
                raise Refused("wrong_role", role=self.core.role_label("admin"))
            office = await self.create_office(s, code, name)
            await self.core.record(s, person, "office_add", detail=f"{office.code} {office.name}")
            return Outcome(True, texts.render("notices", "office_added", office=office))

        return await self.core.guarded(tg_user_id, "office_add", body)

    async def whoami(self, tg_user_id: int) -> PersonDTO | None:
        async with self.core.db.read() as s:
            return await people.person_by_telegram(s, tg_user_id, self.core.today())
