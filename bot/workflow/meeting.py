"""Step 6's invitation: the petugas schedules the Tim UK meeting; members answer Hadir or not."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.sop import StepKind
from bot.tanggal import format_hari_tanggal, format_jam
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from bot.workflow.paperwork import invited_ppid_pembantu
from storage import cycles, meetings, proposals
from storage.dto import PersonDTO

DEFAULT_AGENDA = "Uji Konsekuensi Usulan Daftar Informasi yang Dikecualikan"
MAX_PLACE = 300
MAX_AGENDA = 500


class Meetings:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def schedule_meeting(
        self,
        tg_user_id: int,
        run_id: int,
        version: int,
        *,
        day: date,
        at: time,
        place: str,
        agenda: str,
    ) -> Outcome:
        """Record the meeting, number the Surat Undangan, and open the test (step 7)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, version)
            if run.phase != "invite":
                raise Refused("unknown_button")
            self.core.check_holder(person, run)
            starts = datetime.combine(day, at, tzinfo=self.core.settings.tz)
            self._check_day(day)
            if starts <= self.core.now():
                raise Refused("meeting_in_past")
            where, what = " ".join(place.split()), " ".join(agenda.split()) or DEFAULT_AGENDA
            if not 3 <= len(where) <= MAX_PLACE:
                raise Refused("too_long", limit=MAX_PLACE)
            if len(what) > MAX_AGENDA:
                raise Refused("too_long", limit=MAX_AGENDA)
            meeting = await meetings.add_meeting(
                s,
                cycle_id=cycle.id,
                starts_at=starts,
                place=where,
                agenda=what,
                created_by_id=person.id,
                now=self.core.now(),
            )
            # The step's letters (the undangan), numbered now that the meeting is fixed.
            made = await self.core.paperwork.make_outputs(
                self.core, s, cycle, step, person, numbered_only=True
            )
            # The undangan invites the PPID Pembantu whose items are tested: they get it too.
            invited = await invited_ppid_pembantu(self.core, s, cycle)
            rows = {p.office_id: len(p.rows) for p in await proposals.submitted(s, cycle.id)}
            for guest in invited:
                await self.core.tell(
                    s,
                    guest,
                    texts.render(
                        "meeting",
                        "invited_ppid",
                        office=guest.office_name or "",
                        day=format_hari_tanggal(day),
                        at=format_jam(starts),
                        tz=self.core.settings.timezone_label,
                        place=where,
                        agenda=what,
                        count=rows.get(guest.office_id or 0, 0),
                    ),
                    documents=made,
                    actor=person,
                )
            await self.core.close(s, run, person, "scheduled")
            await self.core.record(
                s,
                person,
                "schedule",
                cycle_id=cycle.id,
                run_id=run.id,
                detail=f"{starts.isoformat()} {where}",
            )
            await self.core.advance(s, cycle, step, run, person)
            return Outcome(
                True,
                texts.render(
                    "meeting",
                    "scheduled",
                    day=format_hari_tanggal(day),
                    at=format_jam(starts),
                    tz=self.core.settings.timezone_label,
                    place=where,
                    agenda=what,
                    ppid=len(invited),
                ),
                data={"meeting_id": meeting.id},
            )

        return await self.core.guarded(tg_user_id, "schedule", body, run_id=run_id)

    def _check_day(self, day: date) -> None:
        if day < self.core.today():
            raise Refused("meeting_in_past")
        if not self.core.calendar.is_working_day(day):
            name = self.core.calendar.holiday_name(day) or "akhir pekan"
            raise Refused("meeting_not_working_day", day=format_hari_tanggal(day), name=name)

    async def check_meeting_day(self, tg_user_id: int, day: date) -> Outcome:
        """Early answer while the petugas types the date (checked again on scheduling)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            self._check_day(day)
            return Outcome(True, "")

        return await self.core.guarded(tg_user_id, "meeting_day", body)

    async def attend(self, tg_user_id: int, meeting_id: int, present: bool) -> Outcome:
        """A Tim UK member answers the invitation; the ketua sees who confirmed."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            meeting = await meetings.get_meeting(s, meeting_id)
            if meeting is None:
                raise Refused("unknown_button")
            if not person.has(self.core.panel):
                raise Refused("wrong_role", role=self.core.role_label(self.core.panel))
            latest = await meetings.latest_meeting(s, meeting.cycle_id)
            cycle = await cycles.get_cycle(s, meeting.cycle_id)
            assert cycle is not None
            tests = {st.key for st in (await self.core.sop_of(s, cycle)).of_kind(StepKind.TEST)}
            runs = [r for r in await cycles.open_runs(s, meeting.cycle_id) if r.step_key in tests]
            if latest is None or latest.id != meeting.id or not runs:
                raise Refused("meeting_closed")
            changed = await meetings.set_attendance(
                s, meeting.id, person.id, present, self.core.now()
            )
            if not changed:
                return Outcome(True, texts.render("meeting", "same_answer", present=present))
            await self.core.record(
                s,
                person,
                "attend",
                cycle_id=meeting.cycle_id,
                detail="hadir" if present else "tidak hadir",
            )
            answers = await meetings.attendance(s, meeting.id)
            members = await self.core.holders(s, self.core.panel)
            note = texts.render(
                "meeting",
                "answer_for_lead",
                name=person.name,
                present=present,
                answered=len(answers),
                total=len(members),
                hadir=[a.name for a in answers if a.present],
                absen=[a.name for a in answers if not a.present],
            )
            for lead in members:
                if lead.is_lead(self.core.panel) and lead.id != person.id:
                    await self.core.tell(s, lead, note, actor=person)
            return Outcome(True, texts.render("meeting", "answer_ack", present=present))

        return await self.core.guarded(tg_user_id, "attend", body)
