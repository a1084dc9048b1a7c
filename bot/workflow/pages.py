"""The public pages a publish step may write (`page:` in the SOP file), by name: each is
written when the document its publish step publishes (the signed SK or Keputusan) is
uploaded. bot/workflow/paperwork.py's PAGES names the same set for the start-up check."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.workflow.core import WorkflowCore
from bot.workflow.dip_publication import prepare_dip_publication
from bot.workflow.publication import prepare_publication
from storage.dto import CycleDTO, PersonDTO


class PageWriter(Protocol):
    """Writes a publish step's public page from the uploaded document; `actor` uploaded it."""

    async def __call__(
        self,
        core: WorkflowCore,
        s: AsyncSession,
        cycle: CycleDTO,
        data: bytes | None = None,
        /,
        *,
        actor: PersonDTO | None,
    ) -> None: ...


PAGE_WRITERS: dict[str, PageWriter] = {
    "dik": prepare_publication,
    "dip": prepare_dip_publication,
}
