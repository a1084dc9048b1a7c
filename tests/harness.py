"""The whole bot, running against the stand-in, with officials seeded in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.workflow import Workflow
from devtools.standin import BotApiStandin
from devtools.standin.driver import ChatDriver, Person, running
from handlers.context import BotApp
from storage import people

OFFICES = [
    ("DINKES", "Dinas Kesehatan"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM"),
    ("DISDUK", "Dinas Kependudukan dan Pencatatan Sipil"),
]


@dataclass
class Harness:
    app: BotApp
    chat: ChatDriver
    standin: BotApiStandin
    clock: ManualClock
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def workflow(self) -> Workflow:
        wf = self.app.bot_data.workflow
        assert wf is not None
        return wf

    @classmethod
    @asynccontextmanager
    async def running(
        cls, settings: Settings, standin: BotApiStandin, clock: ManualClock
    ) -> AsyncIterator[Harness]:
        app = build_application(settings, clock=clock, migrate_on_start=False)
        async with running(app, standin) as chat:
            yield cls(app=app, chat=chat, standin=standin, clock=clock)

    async def drain(self) -> None:
        """Wait until every document the acts queued is rendered and every message owed is
        delivered (the render queue, then the outbox)."""
        await self.workflow.core.renders.drain()
        await self.app.bot_data.sender.flush()
        await self.app.bot_data.sender.idle()

    async def official(
        self,
        key: str,
        user_id: int,
        name: str,
        role: str,
        *,
        office: str | None = None,
        lead: bool = False,
        nip: str = "19800101 200501 1 001",
        jabatan: str = "",
    ) -> Person:
        """Register an official directly in the database (invites are tested on their own)."""
        wf = self.workflow
        async with wf.db.transaction() as s:
            office_id = None
            if office:
                found = await people.office_by_code(s, office)
                assert found is not None
                office_id = found.id
            oid = await people.add_official(
                s,
                name=name,
                now=self.clock.now(),
                telegram_user_id=user_id,
                office_id=office_id,
                nip=nip,
                pangkat="Pembina (IV/a)",
                jabatan=jabatan,
            )
            await people.add_role(
                s, oid, role, self.clock.now(), office_id=office_id, is_lead=lead
            )
        person = self.chat.person(user_id, name)
        await person.say("/start")  # an official has opened the chat with the bot
        self.people[key] = person
        return person

    async def seed_city(self) -> dict[str, Person]:
        """Three OPDs and one official per role, as a small city would have them."""
        wf = self.workflow
        for code, name in OFFICES:
            await wf.onboarding.add_office(code, name)
        await self.official(
            "petugas", 1001, "Lumongga Simanjuntak", "petugas", jabatan="Analis Kebijakan"
        )
        await self.official(
            "kadis",
            1002,
            "Wildrian Otta",
            "kepala_dinas",
            jabatan="Kepala Dinas Komunikasi dan Informatika Kota Kupang",
        )
        await self.official(
            "asda",
            1003,
            "Admiral Manafe",
            "atasan_ppid",
            jabatan="Asisten Pemerintahan Setda Kota Kupang",
        )
        await self.official("dinkes", 2001, "Maria Bria", "ppid_pembantu", office="DINKES")
        await self.official("bkpsdm", 2002, "Yosef Lake", "ppid_pembantu", office="BKPSDM")
        await self.official("disduk", 2003, "Agustina Nope", "ppid_pembantu", office="DISDUK")
        await self.official("ketua", 3001, "Adrianus Ndun", "tim_uk", lead=True)
        await self.official("anggota", 3002, "Febri Tallo", "tim_uk")
        await self.official(
            "walikota", 4001, "George Melkianus", "walikota", jabatan="Walikota Kupang"
        )
        await self.official("dprd", 5001, "Sekretariat DPRD", "dprd")
        await self.official("admin", 9001, "Admin PPID", "admin")
        return self.people

    async def play_to_collect(self) -> None:
        """Steps 1 and 2, approved without objection: every OPD now has the request."""
        p = self.people
        await p["petugas"].say("/mulai 2026")
        for _ in range(2):
            await p["petugas"].tap("📤 Ajukan")
            await p["kadis"].tap("✅ Setujui")

    async def snapshot(self) -> dict[str, object]:
        """Everything stored that an act could change (the audit log aside), once the
        documents queued by earlier acts are rendered (the render worker's own writes)."""
        from sqlalchemy import func, select

        await self.workflow.core.renders.drain()

        from storage import models as m

        tables = [
            m.Cycle,
            m.StepRun,
            m.Proposal,
            m.ProposalRow,
            m.Decision,
            m.Document,
            m.OutboxMessage,
            m.Official,
            m.RoleAssignment,
            m.Invite,
            m.Office,
        ]
        out: dict[str, object] = {}
        async with self.workflow.db.read() as s:
            for table in tables:
                out[table.__tablename__] = await s.scalar(select(func.count()).select_from(table))
            runs = await s.execute(select(m.StepRun.id, m.StepRun.status, m.StepRun.version))
            out["runs"] = sorted(tuple(r) for r in runs.all())
            props = await s.execute(select(m.Proposal.id, m.Proposal.status))
            out["proposals"] = sorted(tuple(r) for r in props.all())
        return out
