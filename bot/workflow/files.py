"""Files sent in chat: routed to the step that waits for one (step 3 or step 9)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.workflow.acts import ActsMixin
from bot.workflow.collect import CollectMixin
from bot.workflow.core import Outcome
from bot.workflow.errors import Refused
from storage import cycles, people
from storage.dto import PersonDTO


class FilesMixin(ActsMixin, CollectMixin):
    async def receive_file(
        self, tg_user_id: int, filename: str, data: bytes, hint_run: int | None = None
    ) -> Outcome:
        """A file sent in chat: a Form DIK (step 3) or the signed SK scan (step 9)."""
        async with self.db.read() as s:
            person = await people.person_by_telegram(s, tg_user_id, self.today())
            runs = await cycles.open_runs(s)
        if person is None:
            return await self.guarded(tg_user_id, "file", _never)
        uploads = [r.id for r in runs if r.phase == "upload" and person.has(r.holder_role)]
        collects = [r.id for r in runs if r.phase == "collect"]
        collects = collects if person.has("ppid_pembantu") else []
        if hint_run in uploads or (uploads and not collects and len(uploads) == 1):
            upload_run = hint_run if hint_run in uploads and hint_run else uploads[0]
            return await self.upload_signed(tg_user_id, upload_run, filename, data)
        if collects:
            collect_run = hint_run if hint_run in collects else None
            return await self.load_upload(tg_user_id, filename, data, run_id=collect_run)
        return await self.guarded(tg_user_id, "file", _unexpected_file)


async def _never(s: AsyncSession, person: PersonDTO) -> Outcome:
    raise Refused("not_registered")


async def _unexpected_file(s: AsyncSession, person: PersonDTO) -> Outcome:
    raise Refused("not_a_file_we_expect")
