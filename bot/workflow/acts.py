"""Starting a cycle, and the button acts on a run: submit, approve, reject, deliver, ..."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot import publication_url, texts
from bot.sop import KINDS, Step
from bot.sop.kinds import CLOSING_ACTS, Phase, first_phase, holder_of, next_phase, phase_actions
from bot.upload_names import original_name, upload_name
from bot.workflow import signed
from bot.workflow.answers import answered_offices
from bot.workflow.consequence import check_all_decided
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from bot.workflow.pages import PAGE_WRITERS
from bot.workflow.publication import sk_number_from_caption
from storage import cycles, documents, meetings
from storage.dto import CycleDTO, PersonDTO, StepRunDTO

MAX_REASON = 2000


class Acts:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def start_cycle(
        self, tg_user_id: int, year: int, title: str | None = None, sop_key: str | None = None
    ) -> Outcome:
        """The petugas starts a cycle of a SOP (the default one unless named), on the SOP's
        version in force; its first step opens at once."""
        if sop_key is not None and sop_key not in self.core.sops.keys:
            return await self.core.refuse(tg_user_id, "start_cycle", "unknown_sop")
        sop = self.core.sops.current(sop_key)

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not person.has(sop.operator):
                raise Refused("wrong_role", role=self.core.role_label(sop.operator))
            await self.core.install_sop(s, sop)
            if not 2000 <= year <= 2100:
                raise Refused("bad_year")
            name = (title or sop.new_cycle_title(year)).strip()[:150]
            if await cycles.title_taken(s, name):
                n = 2
                while await cycles.title_taken(s, f"{name} (tambahan {n - 1})"):
                    n += 1
                name = f"{name} (tambahan {n - 1})"
            cycle = await cycles.add_cycle(
                s,
                sop_key=sop.key,
                sop_version=sop.version,
                first_step_key=sop.first.key,
                year=year,
                title=name,
                now=self.core.now(),
                started_by_id=person.id,
            )
            await self.core.record(s, person, "start_cycle", cycle_id=cycle.id, detail=name)
            await self.core.begin_step(s, cycle, sop.first, actor=person)
            first = sop.first
            return Outcome(
                True,
                texts.render(
                    "notices",
                    "cycle_started",
                    cycle=name,
                    step=first,
                    holder=self.core.role_label(holder_of(first, first_phase(first))),
                ),
                data={"cycle_id": cycle.id},
            )

        return await self.core.guarded(tg_user_id, "start_cycle", body)

    async def check_act(self, tg_user_id: int, run_id: int, action: str, version: int) -> Outcome:
        """Would this act be accepted now? (Before asking for a reason or a file.)"""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, version)
            self._check_act(person, run, step, action)
            return Outcome(True, "", data={"cycle": cycle.title, "step": step.title})

        return await self.core.guarded(tg_user_id, action, body, run_id=run_id)

    def _check_act(self, person: PersonDTO, run: StepRunDTO, step: Step, action: str) -> None:
        if action not in phase_actions(run.phase):
            raise Refused("unknown_button")
        if action == "close":
            assert step.closer is not None
            self.core.check_holder(person, run, step.closer)
            if self.core.now() < run.due_at:
                raise Refused("not_due_yet", due=self.core.fmt_time(run.due_at))
        elif run.phase == "decide":
            self.core.check_holder(person, run)
            if not person.is_lead(step.actor):
                raise Refused("lead_only")
        elif run.phase == "sign_lembar":
            self.core.check_holder(person, run)
        else:
            self.core.check_holder(person, run)

    async def act(
        self,
        tg_user_id: int,
        run_id: int,
        action: str,
        version: int,
        *,
        reason: str | None = None,
    ) -> Outcome:
        """Approve, reject (with a reason), submit, deliver, close or finalise a run."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, version)
            if action not in CLOSING_ACTS:  # the others have their own checked paths
                raise Refused("unknown_button")
            self._check_act(person, run, step, action)
            if action == "reject":
                return await self._reject(s, person, run, cycle, step, reason)
            if action == "close":
                return await self._close_collection(s, person, run, cycle, step)
            if action == "approve_lembar":
                return await self._approve_lembar(s, person, run, cycle, step)
            if action == "finalise":
                await check_all_decided(s, cycle)
            await self.core.close(s, run, person, action)
            await self.core.record(s, person, action, cycle_id=cycle.id, run_id=run.id)
            told: list[int] = []
            if action == KINDS[step.kind].issues_letters_on:
                told = await self._issue_letters(s, cycle, step, person)
            nxt = next_phase(step, run.phase)
            following = (await self.core.sop_of(s, cycle)).after(step)
            where = await self.core.advance(s, cycle, step, run, person, told=told)
            return Outcome(
                True,
                texts.render(
                    "notices",
                    "act_done",
                    action=action,
                    step=step,
                    cycle=cycle.title,
                    where=where,
                    next_label=self._next_label(step, nxt, following),
                ),
            )

        return await self.core.guarded(tg_user_id, action, body, run_id=run_id)

    async def _issue_letters(
        self, s: AsyncSession, cycle: CycleDTO, step: Step, person: PersonDTO
    ) -> list[int]:
        """Signed: number the step's letters and send them to the drafter for the archive;
        the ids of the officials they went to."""
        issued = await self.core.paperwork.finalise(self.core, s, cycle, step, person)
        if not issued or step.drafter is None:
            return []
        text = texts.render(
            "notices",
            "letters_issued",
            cycle=cycle.title,
            step=step,
            signer=person.name,
            numbers=[d.letter_number for d in issued if d.letter_number],
        )
        # The drafter sends these letters out: their archive copy needs no tanda terima.
        return await self.core.tell_role(
            s, step.drafter, text, documents=issued, receipt=False, actor=person
        )

    def _next_label(self, step: Step, nxt: object, following: Step | None) -> str:
        """Who holds what opens after this act: the step's next phase, or the next step."""
        if isinstance(nxt, Phase):
            return self.core.role_label(holder_of(step, nxt))
        if following is not None:
            return self.core.role_label(holder_of(following, first_phase(following)))
        return ""

    async def _reject(
        self,
        s: AsyncSession,
        person: PersonDTO,
        run: StepRunDTO,
        cycle: CycleDTO,
        step: Step,
        reason: str | None,
    ) -> Outcome:
        reason = (reason or "").strip()
        if not reason:
            raise Refused("reason_missing")
        if len(reason) > MAX_REASON:
            raise Refused("too_long", limit=MAX_REASON)
        await self.core.close(s, run, person, "reject", reason)
        await self.core.record(
            s, person, "reject", cycle_id=cycle.id, run_id=run.id, detail=reason
        )
        assert step.reject_to is not None
        back_to = (await self.core.sop_of(s, cycle)).by_key(step.reject_to)
        await self.core.begin_step(
            s, cycle, back_to, reason=reason, rejected_by=person, actor=person
        )
        return Outcome(
            True,
            texts.render(
                "notices",
                "rejected_ack",
                step=step,
                back_to=back_to,
                holder=self.core.role_label(holder_of(back_to, first_phase(back_to))),
            ),
        )

    async def _approve_lembar(
        self, s: AsyncSession, person: PersonDTO, run: StepRunDTO, cycle: CycleDTO, step: Step
    ) -> Outcome:
        """One present member approves the lembar; the last approval completes the test."""
        present = await self.core.present_members(s, cycle.id, step.actor)
        if person.id not in {p.id for p in present}:
            raise Refused("not_present")
        lembar = await documents.latest_of_kind(s, cycle.id, "lembar_uji")
        if lembar is None:
            raise Refused("unknown_button")
        if not await meetings.approve_lembar(
            s, cycle.id, person.id, lembar.version, self.core.now()
        ):
            raise Refused("lembar_already_approved")
        await self.core.record(
            s,
            person,
            "approve_lembar",
            cycle_id=cycle.id,
            run_id=run.id,
            detail=f"lembar v{lembar.version}",
        )
        approved = await meetings.approvals(s, cycle.id, lembar.version)
        done = {a.official_id for a in approved}
        note = texts.render(
            "notices", "lembar_approved", name=person.name, done=len(done), total=len(present)
        )
        for lead in present:
            if lead.is_lead(step.actor) and lead.id != person.id:
                await self.core.tell(s, lead, note, actor=person)
        if not all(p.id in done for p in present):
            return Outcome(
                True, texts.render("notices", "lembar_ack", done=len(done), total=len(present))
            )
        # the lembar and the Ketetapan, as the members approved them
        await self.core.paperwork.make_outputs(
            self.core, s, cycle, step, person, numbered_only=False
        )
        await self.core.close(s, run, person, "approved_by_members")
        await self.core.advance(s, cycle, step, run, person)
        return Outcome(True, texts.render("notices", "lembar_complete"))

    async def _close_collection(
        self, s: AsyncSession, person: PersonDTO, run: StepRunDTO, cycle: CycleDTO, step: Step
    ) -> Outcome:
        answered = await answered_offices(self.core, s, cycle)
        missing = [o.name for o in await self.core.active_offices(s) if o.id not in answered]
        await self.core.close(s, run, person, "closed", ", ".join(missing) or None)
        await self.core.record(
            s,
            person,
            "close",
            cycle_id=cycle.id,
            run_id=run.id,
            detail="tidak menjawab: " + (", ".join(missing) or "-"),
        )
        await self.core.advance(s, cycle, step, run, person)
        return Outcome(True, texts.render("notices", "collection_closed", missing=missing))

    async def upload_signed(
        self, tg_user_id: int, run_id: int, filename: str, data: bytes, caption: str | None = None
    ) -> Outcome:
        """Step 9: the signed SK (a scan or an electronically signed PDF), its number as the
        caption; step 10 opens. An electronic signature is verified first, in a thread."""
        limit = self.core.settings.upload_max_bytes * 4
        check = None
        if data.startswith(b"%PDF-") and len(data) <= limit:
            check = await signed.check_pdf(data, self.core.settings)

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, None)
            if run.phase != "upload":
                raise Refused("unknown_button")
            self.core.check_holder(person, run)
            if not data.startswith(b"%PDF-"):
                raise Refused("not_pdf")
            if len(data) > limit:
                raise Refused("file_too_big", limit_mb=limit // 10**6)
            kind = step.outputs[0] if step.outputs else "signed"
            doc = await documents.add_document(
                s,
                cycle_id=cycle.id,
                step_no=step.id,
                kind=kind,
                filename=upload_name(
                    kind, year=cycle.year, cycle_id=cycle.id, day=self.core.today(), ext="pdf"
                ),
                original_filename=original_name(filename),
                mime_type="application/pdf",
                content=data,
                now=self.core.now(),
                letter_number=sk_number_from_caption(caption),
                uploaded=True,
                created_by_id=person.id,
            )
            assert check is not None and check.sha256 == doc.sha256
            verified = await signed.record(s, doc.id, check, self.core.now())
            await self.core.close(s, run, person, "uploaded")
            await self.core.record(
                s,
                person,
                "upload_signed",
                cycle_id=cycle.id,
                run_id=run.id,
                detail=f"{doc.sha256} ttd:{verified.status}",
            )
            await self.core.advance(s, cycle, step, run, person)
            sop = await self.core.sop_of(s, cycle)
            page = sop.public_page()
            if kind in sop.published() and page in PAGE_WRITERS:
                await PAGE_WRITERS[page](self.core, s, cycle, data, actor=person)
            following = sop.after(step)
            text = texts.render(
                "notices",
                "signed_uploaded",
                sha=doc.sha256[:12],
                following=following,
                what=step.output_text,
                signature=signed.line(verified, self.core.settings),
            )
            return Outcome(True, text)

        return await self.core.guarded(tg_user_id, "upload_signed", body, run_id=run_id)

    async def publish(self, tg_user_id: int, run_id: int, version: int, url: str) -> Outcome:
        """Step 10: the URL of the published SK is confirmed; the SK goes to everyone."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, version)
            self._check_act(person, run, step, "publish")
            clean = url.strip()
            problem = publication_url.refusal(clean)
            if problem is not None:
                base = self.core.settings.public_base_url
                raise Refused(problem, example=publication_url.example(base, cycle.year))
            kind = (step.attach.get(run.phase) or step.outputs or ("",))[0]
            sk = await documents.latest_of_kind(s, cycle.id, kind)
            if sk is None:
                raise Refused("no_signed_sk")
            await cycles.set_published_url(s, cycle.id, clean)
            await self.core.close(s, run, person, "published", clean)
            await self.core.record(
                s, person, "publish", cycle_id=cycle.id, run_id=run.id, detail=clean
            )
            spec = await self.core.paperwork.spec(self.core, s, cycle, kind)
            text = texts.render(
                "notices", "sk_distributed", cycle=cycle.title, url=clean, doc=spec
            )
            sent = 0
            for role in step.distribute_to:
                sent += len(await self.core.tell_role(s, role, text, documents=[sk], actor=person))
            published = replace(cycle, published_url=clean)
            where = await self.core.advance(
                s, published, step, run, person
            )  # next step, or the end
            return Outcome(
                True,
                texts.render(
                    "notices",
                    "published_ack",
                    doc=spec,
                    url=clean,
                    count=sent,
                    recipients=[self.core.role_label(r) for r in step.distribute_to],
                    where=where,
                    following=(await self.core.sop_of(s, cycle)).after(step),
                ),
            )

        return await self.core.guarded(tg_user_id, "publish", body, run_id=run_id)
