"""Step 10's public DIK, and the DIK across cycles: `/dik` and the expiry flags.

When the signed SK is uploaded (step 9 → 10) the exempted items of the cycle are written as a
static page, JSON and XLSX into the folder the PPID website serves (`PUBLISH_DIR`), archived as
documents, and the petugas is told which URL to confirm. Between cycles, the newest finished
cycle's list is "the DIK in force": `/dik` searches it, and a daily check tells the petugas,
once per item, when an item's period ends within 90 days (it needs a new consequence test).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.publish import (
    DIKECUALIKAN,
    SEBAGIAN,
    PublicDik,
    PublishedItem,
    SkRef,
    add_months,
    build_files,
    end_date,
    read_period,
    write_public_dik,
)
from bot.sop import Sop, StepKind
from bot.sop.kinds import PHASES
from bot.workflow.callback_data import run_buttons
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.decided import decided_items
from storage import cycles, documents, outbox, people
from storage.dto import CycleDTO, PersonDTO

logger = logging.getLogger(__name__)

EXPIRY_WINDOW_DAYS = 90
MESSAGE_BUDGET = 3800  # Telegram's limit is 4096; room for the closing line
MAX_QUERY = 100
KEPUTUSAN = {"dikecualikan": DIKECUALIKAN, "sebagian": SEBAGIAN}
_NUMBER_LABEL = re.compile(r"^.*?\b(?:nomor|no\.?)\s*(?:sk\s*)?[:.]?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CurrentItem:
    """An item of the DIK in force, with the proposal row it came from."""

    row_id: int
    item: PublishedItem


@dataclass(frozen=True, slots=True)
class Expiring:
    """An item whose period ends soon, or whose period the petugas must check by hand.

    `ends`/`days_left` are set only where the decision fixes the end (bot/publish/jangka.py).
    Otherwise (`to_check`) the bot names no end: a plain length ("5 tahun", from when?) comes
    up when that length has nearly passed since the SK (`counted_from_sk`, said to be a
    check, not an end); a condition or an event comes up once, when the DIK is in force.
    """

    row_id: int
    item: PublishedItem
    ends: date | None
    days_left: int | None  # negative when already ended
    counted_from_sk: date | None = None

    @property
    def to_check(self) -> bool:
        return self.ends is None


def sk_number_from_caption(caption: str | None) -> str | None:
    """The SK number the petugas wrote as the caption of the scan ("Nomor: 188.45/12/2026")."""
    text = " ".join((caption or "").split())
    if not text:
        return None
    number = _NUMBER_LABEL.sub("", text, count=1).strip(" .:")
    if not number or not any(ch.isdigit() for ch in number):
        return None
    return number[:100]


def public_url(base: str, filename: str) -> str | None:
    return f"{base.rstrip('/')}/{filename}" if base else None


async def sk_ref(core: WorkflowCore, s: AsyncSession, cycle: CycleDTO) -> SkRef:
    """The SK of a cycle: the number given with the scan, dated the day the Walikota signed."""
    sop = await core.sop_of(s, cycle)
    published = sop.published()
    sk = await documents.latest_of_kind(s, cycle.id, published[0]) if published else None
    sign_steps = {st.key for st in sop.of_kind(StepKind.SIGN)}
    signed = [
        r.done_at
        for r in await cycles.runs_of(s, cycle.id)
        if r.step_key in sign_steps and r.outcome == "approve" and r.done_at
    ]
    when = max(signed) if signed else (sk.created_at if sk else None)
    return SkRef(
        nomor=(sk.letter_number or "") if sk else "",
        tanggal=when.astimezone(core.settings.tz).date() if when else None,
        siklus=cycle.title,
        tahun=cycle.year,
    )


async def current_items(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO
) -> tuple[SkRef, list[CurrentItem]]:
    """The exempted items of a cycle (whole or partly) as the Tim decided them: the SK's
    lampiran, item by item (bot/workflow/decided.py is the one reading both use)."""
    sk = await sk_ref(core, s, cycle)
    codes = {o.id: o.code for o in await people.list_offices(s, active_only=False)}
    out: list[CurrentItem] = []
    for decided in await decided_items(s, cycle.id):
        if decided.keputusan not in KEPUTUSAN:
            continue
        assert decided.keputusan is not None
        item = PublishedItem(
            no=len(out) + 1,
            opd_kode=codes.get(decided.office_id, ""),
            opd=decided.office,
            informasi=decided.row.informasi,
            dasar_hukum=decided.dasar_hukum,
            konsekuensi_dibuka=decided.konsekuensi_dibuka,
            konsekuensi_ditutup=decided.konsekuensi_ditutup,
            jangka_waktu=decided.jangka_waktu,
            keputusan=KEPUTUSAN[decided.keputusan],
            bagian_dihitamkan=decided.blacked_out,
            berakhir=end_date(decided.jangka_waktu, sk.tanggal),
            sk=sk,
            huruf=tuple(dict.fromkeys(b.huruf for b in decided.bases)),
        )
        out.append(CurrentItem(decided.row.id, item))
    return sk, out


async def public_dik(
    core: WorkflowCore, s: AsyncSession, cycle: CycleDTO, sk_published: bool = False
) -> PublicDik:
    st = core.settings
    sk, items = await current_items(core, s, cycle)
    return PublicDik(
        badan_publik=st.org_name,
        ppid=st.org_unit,
        title_walikota=st.title_walikota,
        sk=sk,
        generated_at=core.now().astimezone(st.tz),
        items=[c.item for c in items],
        sk_published=sk_published,
        permohonan_url=st.permohonan_url,
    )


def _publish_step_no(sop: Sop) -> int:
    """The number of the step that publishes (the public files are archived under it)."""
    return next((st.id for st in sop.of_kind(StepKind.PUBLISH)), sop.last_step)


async def prepare_publication(
    core: WorkflowCore,
    s: AsyncSession,
    cycle: CycleDTO,
    sk_pdf: bytes | None = None,
    *,
    actor: PersonDTO | None,
) -> None:
    """Step 9 → 10: write the public DIK with the signed SK's PDF (`sk_pdf`, just uploaded and
    archived) beside it, archive the page's files, tell the petugas which URL to confirm."""
    st = core.settings
    dik = await public_dik(core, s, cycle, sk_published=sk_pdf is not None)
    files = await asyncio.to_thread(build_files, dik)
    docs = [
        await documents.add_document(
            s,
            cycle_id=cycle.id,
            step_no=_publish_step_no(await core.sop_of(s, cycle)),
            kind=f"dik_publik_{f.name.rsplit('.', 1)[1]}",
            filename=f.name,
            mime_type=f.mime_type,
            content=f.content,
            now=core.now(),
        )
        for f in files
    ]
    error = None
    try:
        await asyncio.to_thread(write_public_dik, st.publish_dir, dik, files, sk_pdf)
    except OSError as exc:
        logger.warning(
            "public DIK of cycle %s not written to %s: %s", cycle.id, st.publish_dir, exc
        )
        error = exc.strerror or type(exc).__name__
    run = next(
        (r for r in await cycles.open_runs(s, cycle.id) if r.phase == "publish"),
        None,
    )
    if run is None:
        return
    text = texts.render(
        "dik",
        "files_ready",
        cycle=cycle.title,
        count=len(dik.items),
        offices=len(dik.offices()),
        sk=dik.sk.text(st.title_walikota),
        has_number=bool(dik.sk.nomor),
        folder=str(st.publish_dir),
        files=[f.name for f in files],
        sk_file=dik.sk_filename,
        url=public_url(st.public_base_url, files[0].name),
        error=error,
    )
    buttons = run_buttons(run, *PHASES[run.phase].buttons)
    for person in await core.holders(s, run.holder_role):
        await core.tell(s, person, text, buttons=buttons, documents=docs, actor=actor)


async def newest_finished_of_page(
    core: WorkflowCore, s: AsyncSession, page: str
) -> CycleDTO | None:
    """The newest finished cycle whose SOP publishes `page` ("dik": the DIK in force; a
    cycle of another SOP, the DIP's, sets no DIK)."""
    done = []
    for c in await cycles.all_cycles(s):
        if c.status == "finished" and c.finished_at:
            if (await core.sop_of(s, c)).public_page() == page:
                done.append(c)
    return max(done, key=lambda c: (c.finished_at, c.id)) if done else None


async def newest_finished(core: WorkflowCore, s: AsyncSession) -> CycleDTO | None:
    """The cycle whose SK set the DIK in force."""
    return await newest_finished_of_page(core, s, "dik")


def matches(item: PublishedItem, words: list[str]) -> bool:
    """Every word of the query appears in the OPD code or name, informasi or dasar hukum."""
    haystack = item.search_text()
    return all(w in haystack for w in words)


class Publication:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    async def dik_lookup(self, tg_user_id: int, query: str = "") -> Outcome:
        """/dik [OPD atau kata kunci]: search the DIK in force (the newest finished cycle)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            cycle = await newest_finished(self.core, s)
            if cycle is None:
                return Outcome(True, texts.render("dik", "no_dik"))
            sk, current = await current_items(self.core, s, cycle)
            items = [c.item for c in current]
            q = " ".join(query.split())[:MAX_QUERY]
            words = q.casefold().split()
            found = [i for i in items if matches(i, words)] if words else []
            context = {
                "sk": sk.text(self.core.settings.title_walikota),
                "cycle": cycle.title,
                "total": len(items),
                "url": cycle.published_url,
                "query": q,
            }
            if not words:
                per_office: dict[str, int] = {}
                for i in items:
                    per_office[i.opd] = per_office.get(i.opd, 0) + 1
                soon = sum(1 for e in self._expiring(current) if not e.to_check)
                text = texts.render("dik", "summary", per_office=per_office, soon=soon, **context)
                return Outcome(True, text)
            if not found:
                return Outcome(True, texts.render("dik", "none_found", **context))
            return Outcome(True, self._listing(found, context))

        return await self.core.guarded(tg_user_id, "dik", body)

    def _listing(self, found: list[PublishedItem], context: dict[str, object]) -> str:
        """The found items, as many as fit in one Telegram message, and how many did not."""
        head = texts.render("dik", "found_head", shown=len(found), **context)
        parts = [head]
        size = len(head)
        today = self.core.today()
        for n, item in enumerate(found):
            days = (item.berakhir - today).days if item.berakhir else None
            block = texts.render(
                "dik",
                "item",
                item=item,
                ends=tanggal.format_tanggal(item.berakhir) if item.berakhir else "",
                soon=days is not None and days <= EXPIRY_WINDOW_DAYS,
            )
            if size + len(block) + 2 > MESSAGE_BUDGET:
                parts.append(texts.render("dik", "more", rest=len(found) - n, **context))
                break
            parts.append(block)
            size += len(block) + 2
        return "\n\n".join(parts)

    def _expiring(
        self, current: list[CurrentItem], within_days: int = EXPIRY_WINDOW_DAYS
    ) -> list[Expiring]:
        today = self.core.today()
        out = []
        for c in current:
            item = c.item
            if item.berakhir is not None:
                days = (item.berakhir - today).days
                if days <= within_days:
                    out.append(Expiring(c.row_id, item, item.berakhir, days))
                continue
            period = read_period(item.jangka_waktu, item.sk.tanggal)
            if not period.to_check:
                continue  # "Tidak terbatas"
            counted = None
            if period.months and item.sk.tanggal:
                counted = add_months(item.sk.tanggal, period.months)
                if (counted - today).days > within_days:
                    continue
            out.append(Expiring(c.row_id, item, None, None, counted))
        return out

    async def expiring_items(self, within_days: int = EXPIRY_WINDOW_DAYS) -> list[Expiring]:
        """Items of the DIK in force whose period ends within `within_days` (or has ended)."""
        async with self.core.db.read() as s:
            cycle = await newest_finished(self.core, s)
            if cycle is None:
                return []
            _sk, current = await current_items(self.core, s, cycle)
        return self._expiring(current, within_days)

    async def flag_expiring(self) -> int:
        """The daily check: tell every petugas, once per item, what is about to end, or which
        period they must check because the decision fixes no end the bot could count to."""
        async with self.core.db.transaction() as s:
            cycle = await newest_finished(self.core, s)
            if cycle is None:
                return 0
            sk, current = await current_items(self.core, s, cycle)
            due = self._expiring(current)
            if not due:
                return 0
            petugas = [
                p for p in await self.core.holders(s, self.core.sop.operator) if p.telegram_user_id
            ]
            sent = 0
            for e in due:
                text = texts.render(
                    "dik",
                    "expiring",
                    item=e.item,
                    sk=sk.text(self.core.settings.title_walikota),
                    ends=tanggal.format_tanggal(e.ends) if e.ends else "",
                    days=e.days_left,
                    counted=(
                        tanggal.format_tanggal(e.counted_from_sk) if e.counted_from_sk else ""
                    ),
                )
                for person in petugas:
                    assert person.telegram_user_id is not None
                    sent += int(
                        await outbox.enqueue(
                            s,
                            official_id=person.id,
                            chat_id=person.telegram_user_id,
                            text=text,
                            now=self.core.now(),
                            dedupe_key=f"expiry:{e.row_id}:{person.id}",
                        )
                    )
            return sent
