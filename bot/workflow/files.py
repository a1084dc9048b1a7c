"""Files sent in chat: routed to the step that waits for one (step 3 or step 9)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.documents.upload import valid_docx
from bot.upload_names import original_name
from bot.workflow.acts import Acts
from bot.workflow.collect import Collect
from bot.workflow.consequence import ConsequenceTest
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import cycles, documents, people
from storage.dto import PersonDTO

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Files:
    def __init__(
        self, core: WorkflowCore, acts: Acts, collect: Collect, consequence: ConsequenceTest
    ) -> None:
        self.core = core
        self.acts = acts
        self.collect = collect
        self.consequence = consequence

    async def upload_revision(
        self, tg_user_id: int, run_id: int, filename: str, data: bytes
    ) -> Outcome:
        """Bagian Hukum replaces a revisable document (the SK draft) with a revised DOCX."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            run, cycle, step = await self.core.load_run(s, run_id)
            await self.core.check_open(s, run, None)
            self.core.check_holder(person, run)
            if not step.revisable or run.phase != "review":
                raise Refused("not_a_file_we_expect")
            if len(data) > self.core.settings.upload_max_bytes * 4 or not valid_docx(data):
                raise Refused("not_a_docx")
            kind = step.revisable[0]
            doc = await documents.add_document(
                s,
                cycle_id=cycle.id,
                step_no=step.id,
                kind=kind,
                filename=f"{kind}_revisi_{cycle.year}_c{cycle.id}.docx",
                original_filename=original_name(filename),
                mime_type=DOCX,
                content=data,
                now=self.core.now(),
                uploaded=True,
                created_by_id=person.id,
            )
            await self.core.record(
                s,
                person,
                "revise",
                cycle_id=cycle.id,
                run_id=run.id,
                detail=f"{kind} v{doc.version} {doc.sha256}",
            )
            return Outcome(True, texts.render("notices", "sk_revised", version=doc.version))

        return await self.core.guarded(tg_user_id, "revise", body, run_id=run_id)

    async def receive_file(
        self,
        tg_user_id: int,
        filename: str,
        data: bytes,
        hint_run: int | None = None,
        caption: str | None = None,
    ) -> Outcome:
        """A file sent in chat: a Form DIK (step 3) or the signed SK scan (step 9)."""
        async with self.core.db.read() as s:
            person = await people.person_by_telegram(s, tg_user_id, self.core.today())
            runs = await cycles.open_runs(s)
            steps = {r.id: await self.core.step_of(s, r) for r in runs}
        if person is None:
            return await self.core.guarded(tg_user_id, "file", _never)
        revisions = [
            r
            for r in runs
            if r.phase == "review" and steps[r.id].revisable and person.has(r.holder_role)
        ]
        if revisions and _is_docx(filename, data):
            return await self.upload_revision(tg_user_id, revisions[0].id, filename, data)
        tests = [r for r in runs if r.phase == "decide" and person.has(self.core.panel)]
        if tests and data.startswith(b"PK") and not _is_docx(filename, data):
            return await self.consequence.bulk_decide(tg_user_id, tests[0].id, filename, data)
        uploads = [r.id for r in runs if r.phase == "upload" and person.has(r.holder_role)]
        collects = [r.id for r in runs if r.phase == "collect" and person.has(steps[r.id].actor)]
        if hint_run in uploads or (uploads and not collects and len(uploads) == 1):
            upload_run = hint_run if hint_run in uploads and hint_run else uploads[0]
            return await self.acts.upload_signed(tg_user_id, upload_run, filename, data, caption)
        if collects:
            collect_run = hint_run if hint_run in collects else None
            return await self.collect.load_upload(tg_user_id, filename, data, run_id=collect_run)
        return await self.core.guarded(tg_user_id, "file", _unexpected_file)


def _is_docx(filename: str, data: bytes) -> bool:
    return filename.lower().endswith(".docx") or (
        data.startswith(b"PK") and b"word/" in data[:4000]
    )


async def _never(s: AsyncSession, person: PersonDTO) -> Outcome:
    raise Refused("not_registered")


async def _unexpected_file(s: AsyncSession, person: PersonDTO) -> Outcome:
    raise Refused("not_a_file_we_expect")
