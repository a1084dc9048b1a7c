"""/register (Buku Ekspedisi + Kartu Kendali of a month) and /arsip (a cycle's archive as ZIP).

Both registers are derived from what the procedure already stores; nothing is kept twice:

- **Buku Ekspedisi**: every numbered letter (and the signed SK, which the bot distributes), one
  row per addressee who received a copy through the bot: when it was queued is the letter's
  dispatch, ``sent_at`` of its outbox row is "Dikirim", ``acknowledged_at`` (the "Diterima"
  receipt) is "Diterima". Copies to anyone who is not an addressee (the drafter's archive copy,
  /dokumen) are not dispatches. A letter that reached no addressee through the bot gets one
  row for its addressee: handed over at the next delivery step ("Sudah disampaikan"), or
  signed in the bot by the addressee itself (the Nota Dinas to the Kepala Dinas), or not yet.
- **Kartu Kendali**: every proposal that was given an agenda number when submitted, with what
  happened to it afterwards (superseded by a resubmission, compiled into the Usulan DIK, sent
  with the Surat Pengantar, tested by the Tim Uji Konsekuensi, the SK published).

The archive ZIP is itself stored as a document (kind ``arsip_zip``, no step), so what was handed
out is on record with its SHA-256 and the outbox can deliver and retry it. It is never part of a
later archive (archives would nest), and when nothing was added since the last one, the stored
ZIP is sent again instead of a new copy.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.register_files import (
    ArchiveFile,
    EkspedisiRow,
    KendaliRow,
    Moment,
    archive_fingerprint,
    build_archive,
    build_register,
    fingerprint,
    month_bounds,
    month_label,
    parse_month,
)
from bot.sop import StepKind
from bot.sop.model import Document
from bot.workflow import callback_data, signed
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import cycles, documents, people, proposals, registers, signatures
from storage import reports as report_facts
from storage.dto import CycleDTO, PersonDTO, StepRunDTO

ARCHIVE_KIND = "arsip_zip"
MAX_ARCHIVE_BYTES = 50_000_000  # what the Bot API accepts for an upload
DECISION_WORDS = (
    ("dikecualikan", "dikecualikan"),
    ("sebagian", "dikecualikan sebagian"),
    ("terbuka", "terbuka"),
)
SOURCE_WORDS = {"upload": "Form DIK", "chat": "diketik di chat"}


async def unanswered_offices(s: AsyncSession, cycle_id: int) -> list[str]:
    """The OPDs step 3 asked (sent their Form DIK; every active one if none was recorded) that
    have no submitted answer, by name."""
    asked = (await report_facts.offices_sent_form(s, [cycle_id])).get(cycle_id, set())
    answered = await proposals.answered_office_ids(s, cycle_id)
    offices = await people.list_offices(s, active_only=not asked)
    return [o.name for o in offices if (o.id in asked or not asked) and o.id not in answered]


class Registers:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    def _check_register_role(self, person: PersonDTO) -> None:
        if not any(person.has(r) for r in self.core.overseers()):
            raise Refused("wrong_role", role="Petugas, Kepala Dinas atau Admin")

    # --- /register -------------------------------------------------------------------------
    async def register(self, tg_user_id: int, month: str | None = None) -> Outcome:
        """The Buku Ekspedisi and Kartu Kendali of one month (default: this month), as XLSX."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            self._check_register_role(person)
            parsed = parse_month(month, self.core.today())
            if parsed is None:
                raise Refused("bad_month", text=(month or "").strip()[:40])
            year, mon = parsed
            start, end = month_bounds(year, mon, self.core.settings.tz)
            # Letters without a number of ours: the uploaded ones we distribute (the SK).
            uploaded = self._uploaded_letters()
            letters = await registers.outgoing_letters(s, start, end, unnumbered_kinds=uploaded)
            received = await registers.proposals_received(s, start, end)
            ekspedisi = await self._ekspedisi_rows(s, letters)
            kendali = await self._kendali_rows(s, received)
            kendali += await self._unanswered_rows(s, start, end)
            await self.core.record(s, person, "register", detail=f"{year}-{mon:02d}")
            return Outcome(
                True,
                "",
                data={"year": year, "month": mon, "ekspedisi": ekspedisi, "kendali": kendali},
            )

        found = await self.core.guarded(tg_user_id, "register", body)
        if not found.ok:
            return found
        d: dict[str, Any] = found.data
        content = await asyncio.to_thread(
            build_register,
            unit=self.core.settings.org_unit,
            year=d["year"],
            month=d["month"],
            tz=self.core.settings.tz,
            tz_label=self.core.settings.timezone_label,
            ekspedisi=d["ekspedisi"],
            kendali=d["kendali"],
        )
        text = texts.render(
            "registers",
            "register_sent",
            month=month_label(d["year"], d["month"]),
            letters=len(d["ekspedisi"]),
            proposals=sum(1 for k in d["kendali"] if k.agenda_no is not None),
            unanswered=sum(1 for k in d["kendali"] if k.agenda_no is None),
        )
        filename = f"Register_{d['year']}-{d['month']:02d}.xlsx"
        return Outcome(True, text, document=(filename, content), data=d)

    async def _ekspedisi_rows(
        self, s: AsyncSession, letters: Sequence[registers.OutgoingLetter]
    ) -> list[EkspedisiRow]:
        runs: dict[int, list[StepRunDTO]] = {}
        rows: list[EkspedisiRow] = []
        for letter in letters:
            to_roles = self._addressees(letter.kind)
            hal = self._hal(letter.kind, letter.cycle_year or letter.created_at.year)
            nomor = letter.letter_number or "—"
            copies = [d for d in letter.dispatches if d.roles & set(to_roles)]
            for d in sorted(copies, key=lambda c: (c.queued_at, c.name)):
                rows.append(
                    EkspedisiRow(
                        tanggal=letter.created_at,
                        nomor=nomor,
                        hal=hal,
                        kepada=self._recipient(d, to_roles),
                        dikirim=d.sent_at or "belum terkirim",
                        diterima=d.acknowledged_at,
                    )
                )
            if copies:
                continue
            if letter.cycle_id is not None and letter.cycle_id not in runs:
                runs[letter.cycle_id] = await cycles.runs_of(s, letter.cycle_id)
            kepada, dikirim, diterima = self._handover(
                letter, to_roles, runs.get(letter.cycle_id or 0, [])
            )
            rows.append(EkspedisiRow(letter.created_at, nomor, hal, kepada, dikirim, diterima))
        return rows

    def _declared(self) -> dict[str, Document]:
        """Every document the SOP files in force declare (the first declaration of a kind)."""
        out: dict[str, Document] = {}
        for key in self.core.sops.keys:
            for kind, doc in self.core.sops.current(key).documents.items():
                out.setdefault(kind, doc)
        return out

    def _uploaded_letters(self) -> list[str]:
        return [k for k, d in self._declared().items() if d.uploaded and d.letter]

    def _hal(self, kind: str, year: int) -> str:
        doc = self._declared().get(kind)
        return doc.hal_for(year) if doc else kind.replace("_", " ").capitalize()

    def _addressees(self, kind: str) -> tuple[str, ...]:
        for key in self.core.sops.keys:
            sop = self.core.sops.current(key)
            if kind in sop.documents:
                return sop.recipients(kind)
        return ()

    def _per_office(self, role: str) -> bool:
        return role in self.core.all_per_office_roles()

    def _recipient(self, d: registers.Dispatch, to_roles: Sequence[str]) -> str:
        role = next(r for r in to_roles if r in d.roles)
        label = self.core.role_label(role)
        if self._per_office(role) and d.office_name:
            label = f"{label} {d.office_name}"
        return f"{label} — {d.name}"

    def _title(self, role: str) -> str:
        """An addressee's title: the configured title of the office, "<label> di Lingkungan
        <badan publik>" for a role held per office, else the role's label."""
        if self._per_office(role):
            return f"{self.core.role_label(role)} di Lingkungan {self.core.settings.org_name}"
        return self.core.settings.role_title(role) or self.core.role_label(role)

    def _handover(
        self,
        letter: registers.OutgoingLetter,
        to_roles: Sequence[str],
        runs: Sequence[StepRunDTO],
    ) -> tuple[str, Moment, Moment]:
        """A letter that reached no addressee through the bot: who it is for, and when it was
        handed over, as far as the records tell: signed in the bot by the addressee itself, or
        delivered by hand at its own step or the next one, when that is a delivery step."""
        kepada = "; ".join(self._title(r) for r in to_roles) or "—"
        if letter.step_no is None or not 1 <= letter.step_no <= self.core.sop.last_step:
            return kepada, "belum dikirim", None
        step = self.core.sop.step(letter.step_no)
        if step.kind is StepKind.APPROVAL and step.actor in to_roles:
            return f"{kepada} (ditandatangani di bot)", letter.created_at, letter.created_at
        by_hand = {
            n
            for n in (step.id, step.id + 1)
            if n <= self.core.sop.last_step and self.core.sop.step(n).kind is StepKind.DELIVERY
        }
        delivered = [
            r.done_at
            for r in runs
            if r.step_no in by_hand
            and r.outcome == "deliver"
            and r.done_at is not None
            and r.done_at >= letter.created_at
        ]
        if delivered:
            return f"{kepada} (diserahkan langsung)", min(delivered), None
        return kepada, "belum dikirim", None

    async def _kendali_rows(
        self, s: AsyncSession, received: Sequence[registers.ReceivedProposal]
    ) -> list[KendaliRow]:
        cycle_ids = {p.cycle_id for p in received}
        docs = await registers.documents_of_kinds(
            s, cycle_ids, ("usulan_compiled", "surat_pengantar")
        )
        by_cycle: dict[int, list[registers.DocRef]] = defaultdict(list)
        for doc in docs:
            by_cycle[doc.cycle_id or 0].append(doc)
        cycle_of: dict[int, CycleDTO | None] = {
            cid: await cycles.get_cycle(s, cid) for cid in cycle_ids
        }
        rows = []
        for p in received:
            source = SOURCE_WORDS.get(p.source)
            isi = f"{p.rows} butir ({source})" if source else f"{p.rows} butir"
            rows.append(
                KendaliRow(
                    agenda_no=p.agenda_no,
                    diterima=p.submitted_at,
                    dari=p.office_name,
                    isi="Nihil" if p.nihil else isi,
                    tindak_lanjut=self._follow_up(p, by_cycle[p.cycle_id], cycle_of[p.cycle_id]),
                    siklus=p.cycle_title,
                )
            )
        return rows

    async def _unanswered_rows(
        self, s: AsyncSession, start: datetime, end: datetime
    ) -> list[KendaliRow]:
        """The OPDs that had not answered when the petugas closed step 3 in this month: on the
        card too, without an agenda number (nothing came in), once the cycle ends as before."""
        rows = []
        for cycle in await cycles.all_cycles(s):
            closes = [
                r
                for r in await cycles.runs_of(s, cycle.id)
                if r.phase == "collect" and r.outcome == "closed" and r.done_at
            ]
            for run in closes:
                assert run.done_at is not None
                if not start <= run.done_at < end:
                    continue
                for office in await unanswered_offices(s, cycle.id):
                    rows.append(
                        KendaliRow(
                            agenda_no=None,
                            diterima=None,
                            dari=office,
                            isi="Tidak menjawab",
                            tindak_lanjut=(
                                "Tidak menyampaikan usulan atau nihil sampai batas waktu "
                                f"{self.core.fmt_time(run.due_at)}; dicatat tidak menjawab saat "
                                f"pengumpulan ditutup ({self.core.fmt_time(run.done_at)})"
                            ),
                            siklus=cycle.title,
                        )
                    )
        return rows

    def _date(self, dt: datetime) -> str:
        return tanggal.format_tanggal(dt.astimezone(self.core.settings.tz).date())

    def _follow_up(
        self,
        p: registers.ReceivedProposal,
        docs: Sequence[registers.DocRef],
        cycle: CycleDTO | None,
    ) -> str:
        if p.status == "superseded":
            if p.superseded_by is None or p.superseded_at is None:
                return "Digantikan oleh usulan perbaikan"
            return (
                f"Digantikan oleh usulan perbaikan No. Agenda {p.superseded_by} "
                f"({self._date(p.superseded_at)})"
            )
        after = [d for d in docs if d.created_at >= p.submitted_at]
        compiled = next((d for d in after if d.kind == "usulan_compiled"), None)
        pengantar = next(
            (d for d in after if d.kind == "surat_pengantar" and d.letter_number), None
        )
        parts = []
        if compiled is not None:
            parts.append(
                f"dihimpun dalam Usulan DIK kompilasi ({self._date(compiled.created_at)})"
            )
        if pengantar is not None:
            parts.append(
                f"disampaikan dengan Surat Pengantar No. {pengantar.letter_number} "
                f"({self._date(pengantar.created_at)})"
            )
        decided = sum(p.decisions.values())
        if decided and not p.nihil:
            counts = ", ".join(
                f"{p.decisions[key]} {word}" for key, word in DECISION_WORDS if key in p.decisions
            )
            partial = f" ({decided} dari {p.rows} butir)" if decided < p.rows else ""
            parts.append(f"diuji Tim Uji Konsekuensi: {counts}{partial}")
        if cycle is not None and cycle.published_url and cycle.finished_at:
            parts.append(
                f"SK Walikota dipublikasikan ({self._date(cycle.finished_at)}): "
                f"{cycle.published_url}"
            )
        if not parts:
            parts.append("diterima; menunggu penghimpunan (langkah 4)")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    # --- /arsip ----------------------------------------------------------------------------
    async def archive(self, tg_user_id: int, cycle_id: int | None = None) -> Outcome:
        """Every version of every document of a cycle, as one ZIP with ``indeks.xlsx``,
        sent through the outbox."""

        async def pick(s: AsyncSession, person: PersonDTO) -> Outcome:
            self._check_register_role(person)
            chosen = await self._pick_archive_cycle(s, cycle_id)
            if isinstance(chosen, Outcome):
                return chosen
            return Outcome(True, "", data={"cycle_id": chosen.id})

        picked = await self.core.guarded(tg_user_id, "archive", pick)
        if not picked.ok or "cycle_id" not in picked.data:
            return picked
        cid: int = picked.data["cycle_id"]

        await self.core.renders.drain()  # every document of the archive has its content
        # Read outside any write: building a ZIP must not hold the database.
        async with self.core.db.read() as s:
            cycle = await cycles.get_cycle(s, cid)
            assert cycle is not None
            listing = await registers.archive_listing(s, cid, exclude_kinds={ARCHIVE_KIND})
            listing.sort(key=lambda d: (d.step_no is None, d.step_no or 0, d.id))
            current = fingerprint([(d.id, d.sha256) for d in listing])
            reuse_id = await self._same_archive(s, cid, current)
            blobs = (
                await registers.contents(s, [d.id for d in listing]) if reuse_id is None else {}
            )
            codes = await registers.office_codes(s)
            checks = await signatures.checks_for(s, [d.id for d in listing if d.uploaded])
        if not listing:
            return Outcome(True, texts.render("views", "no_documents", cycle=cycle.title))
        content = b""
        if reuse_id is None:
            files = [
                ArchiveFile(
                    document_id=d.id,
                    kind=d.kind,
                    step_no=d.step_no,
                    office_code=codes.get(d.office_id) if d.office_id else None,
                    version=d.version,
                    filename=d.filename,
                    sha256=d.sha256,
                    created_at=d.created_at,
                    uploaded=d.uploaded,
                    letter_number=d.letter_number,
                    content=blobs[d.id],
                    signature=(
                        signed.plain_line(checks[d.id], self.core.settings)
                        if d.id in checks
                        else ""
                    ),
                    original_filename=d.original_filename,
                )
                for d in listing
            ]
            content = await asyncio.to_thread(
                build_archive,
                cycle_title=cycle.title,
                generated_at=self.core.now(),
                tz=self.core.settings.tz,
                tz_label=self.core.settings.timezone_label,
                files=files,
            )

        async def store(s: AsyncSession, person: PersonDTO) -> Outcome:
            self._check_register_role(person)
            if len(content) > MAX_ARCHIVE_BYTES:
                raise Refused("archive_too_big", size_mb=len(content) // 1_000_000)
            if reuse_id is not None:
                found = await documents.get_document(s, reuse_id)
                assert found is not None
                doc = found[0]
            else:
                stamp = self.core.now().astimezone(self.core.settings.tz).strftime("%Y%m%d-%H%M")
                doc = await documents.add_document(
                    s,
                    cycle_id=cid,
                    step_no=None,
                    kind=ARCHIVE_KIND,
                    filename=f"Arsip_{cycle.year}_c{cid}_{stamp}.zip",
                    mime_type="application/zip",
                    content=content,
                    now=self.core.now(),
                    created_by_id=person.id,
                )
            await self.core.record(
                s, person, "archive", cycle_id=cid, detail=f"{doc.filename} {doc.sha256}"
            )
            text = texts.render(
                "registers",
                "archive_sent",
                cycle=cycle.title,
                files=len(listing),
                sha=doc.sha256[:16],
                reused=reuse_id is not None,
            )
            await self.core.tell(s, person, text, documents=[doc], actor=person)
            return Outcome(
                True, "", data={"cycle_id": cid, "document_id": doc.id, "files": len(listing)}
            )

        return await self.core.guarded(tg_user_id, "archive", store)

    async def _same_archive(self, s: AsyncSession, cycle_id: int, current: str) -> int | None:
        """The stored archive of this cycle that holds exactly these files, if any."""
        previous = await documents.latest_of_kind(s, cycle_id, ARCHIVE_KIND)
        if previous is None:
            return None
        stored = await registers.contents(s, [previous.id])
        same = archive_fingerprint(stored.get(previous.id, b"")) == current
        return previous.id if same else None

    async def _pick_archive_cycle(
        self, s: AsyncSession, cycle_id: int | None
    ) -> CycleDTO | Outcome:
        """An archive is wanted for finished cycles too: choose among all of them."""
        if cycle_id is not None:
            cycle = await cycles.get_cycle(s, cycle_id)
            if cycle is None:
                raise Refused("unknown_button")
            return cycle
        every = await cycles.all_cycles(s)
        if not every:
            raise Refused("no_cycle")
        if len(every) == 1:
            return every[0]
        buttons = [[[c.title, callback_data.cycle_choice(c.id, "arsip")]] for c in every[::-1][:8]]
        return Outcome(True, texts.render("views", "which_cycle"), buttons=buttons)
