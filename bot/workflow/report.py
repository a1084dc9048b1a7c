"""The Laporan Bulanan (SOP: "Pembuatan laporan harus dilakukan setiap akhir bulan") and the
timeline chart of a cycle.

* :meth:`Report.monthly_report` — `/laporan [bulan]`: the XLSX and its PNG chart of any
  month (this month so far by default), for the petugas, the Kepala Dinas and the admin.
* :meth:`Report.send_monthly_reports` — called by a daily job at ``REPORT_TIME``: on the
  last working day of the month, from that time on, the report goes once to every petugas and
  Kepala Dinas. Once means once per month and person: each message carries the outbox
  ``dedupe_key`` ``laporan:<YYYY-MM>:<official id>`` (one ``:<n>`` per file), and a person
  whose key is already there is skipped before anything is generated.
* :meth:`Report.cycle_timeline` — the PNG that goes with `/status`: every step of the
  cycle so far, its working days against the SOP's limit.

How things are measured is in :mod:`bot.reports.measure` (and, per period, in
:mod:`bot.reports.assemble`); the workbook states the same in its "Catatan" sheet. The facts
are read in a short transaction, the workbook and chart are rendered outside it (in a worker
thread), and the files are archived and queued in a second transaction.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import tanggal, texts
from bot.register_files import month_label, parse_month
from bot.reports.assemble import Frame, MonthFacts, assemble_month, chart_series, chart_steps
from bot.reports.assemble import limits as sop_limits
from bot.reports.chart import render_step_chart
from bot.reports.measure import step_spans
from bot.reports.monthly import MonthlyReport, ReportSigner, build_monthly_xlsx
from bot.workflow.core import Outcome, WorkflowCore
from bot.workflow.errors import Refused
from storage import cycles, documents, reports
from storage.dto import DocumentDTO, PersonDTO

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
KIND_REPORT = "laporan_bulanan"
KIND_CHART = "laporan_bulanan_grafik"
_UNSAFE = re.compile(r"[^0-9A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Period:
    year: int
    month: int
    start: datetime  # aware, the first moment of the month in the office's zone
    end: datetime  # aware, the first moment of the next month

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)


def dedupe_key(period_key: str, official_id: int) -> str:
    """The outbox key that makes the automatic report once per month and person."""
    return f"laporan:{period_key}:{official_id}"


class Report:
    def __init__(self, core: WorkflowCore) -> None:
        self.core = core

    # --- periods ----------------------------------------------------------------------------
    def period(self, year: int, month: int) -> Period:
        tz = self.core.settings.tz
        start = datetime(year, month, 1, tzinfo=tz)
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        return Period(year, month, start, end)

    def report_due(self) -> Period | None:
        """This month, if today is its last working day and REPORT_TIME has come."""
        local = self.core.now().astimezone(self.core.settings.tz)
        today = local.date()
        if today != self.core.calendar.last_working_day_of_month(today.year, today.month):
            return None
        if local.time() < self.core.settings.report_time:
            return None
        return self.period(today.year, today.month)

    # --- acts -------------------------------------------------------------------------------
    async def monthly_report(self, tg_user_id: int, month: str | None) -> Outcome:
        """/laporan [bulan]: the report of a month, sent to the asker (XLSX + PNG)."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not any(person.has(r) for r in self.core.overseers()):
                raise Refused("wrong_role", role="Petugas, Kepala Dinas atau Admin")
            parsed = parse_month(month, self.core.today())
            if parsed is None:
                raise Refused("report_bad_month", text=(month or "").strip()[:40])
            period = self.period(*parsed)
            if period.start > self.core.now():
                raise Refused("report_future_month", period=period.label)
            facts = await self._facts(s, period)
            return Outcome(True, "", data={"person": person, "period": period, "facts": facts})

        found = await self.core.guarded(tg_user_id, "monthly_report", body)
        if not found.ok:
            return found
        person: PersonDTO = found.data["person"]
        period: Period = found.data["period"]
        report, xlsx, png = await self._render(found.data["facts"])
        async with self.core.db.transaction() as s:
            docs = await self._archive(s, period, xlsx, png, person)
            await self.core.tell(
                s, person, self._caption(report, automatic=False), documents=docs, actor=person
            )
            await self.core.record(s, person, "monthly_report", detail=period.key)
        return Outcome(True, "", data={"month": period.key, "document_ids": [d.id for d in docs]})

    async def send_monthly_reports(self) -> int:
        """The automatic report: how many officials it was queued for now (0 when not due,
        or when everyone already has this month's report)."""
        period = self.report_due()
        if period is None:
            return 0
        async with self.core.db.read() as s:
            todo = await self._recipients_without(s, period)
            if not todo:
                return 0
            facts = await self._facts(s, period)
        report, xlsx, png = await self._render(facts)
        async with self.core.db.transaction() as s:
            todo = await self._recipients_without(s, period)
            if not todo:
                return 0
            docs = await self._archive(s, period, xlsx, png, None)
            text = self._caption(report, automatic=True)
            for person in todo:
                await self.core.tell(
                    s,
                    person,
                    text,
                    documents=docs,
                    dedupe_key=dedupe_key(period.key, person.id),
                    actor=None,
                )
            await self.core.record(
                s, None, "monthly_report_auto", detail=f"{period.key}: {len(todo)} penerima"
            )
        return len(todo)

    async def cycle_timeline(self, tg_user_id: int, cycle_id: int) -> Outcome:
        """The timeline chart of one cycle (PNG in `document`), for /status."""

        async def body(s: AsyncSession, person: PersonDTO) -> Outcome:
            if not any(person.has(r) for r in self.core.overseers()):
                raise Refused("wrong_role", role="Petugas, Kepala Dinas atau Admin")
            cycle = await cycles.get_cycle(s, cycle_id)
            if cycle is None:
                raise Refused("unknown_button")
            runs = await cycles.runs_of(s, cycle.id)
            return Outcome(True, "", data={"cycle": cycle, "runs": runs})

        found = await self.core.guarded(tg_user_id, "timeline", body, readonly=True)
        if not found.ok:
            return found
        cycle, runs = found.data["cycle"], found.data["runs"]
        now = self.core.now()
        spans = step_spans(runs, sop_limits(self.core.sop), self.core.calendar, now)
        as_of = self.core.fmt_time(now)
        png = await asyncio.to_thread(
            render_step_chart,
            f"Linimasa {cycle.title}: hari kerja per langkah",
            chart_steps(self.core.sop),
            [chart_series(cycle.title, spans)],
            # the day, not the minute: the same picture all day while nothing moves, so it is
            # drawn once (render_step_chart caches it); the caption has the exact time
            subtitle=f"Keadaan per {tanggal.format_hari_tanggal(self.core.today())}",
        )
        caption = texts.render(
            "reports",
            "timeline_caption",
            cycle=cycle.title,
            as_of=as_of,
            late=[str(sp.step_no) for sp in spans if sp.late],
        )
        name = f"Linimasa_{_UNSAFE.sub('_', cycle.title).strip('_')[:60]}_c{cycle.id}.png"
        return Outcome(True, caption, document=(name, png), data={"cycle_id": cycle.id})

    # --- parts ------------------------------------------------------------------------------
    async def _recipients_without(self, s: AsyncSession, period: Period) -> list[PersonDTO]:
        """Every petugas and Kepala Dinas (or their Plh.) reachable in chat who does not
        have this month's automatic report yet."""
        seen: dict[int, PersonDTO] = {}
        for role in self.core.sop.overseeing_roles():
            for person in await self.core.holders(s, role):
                if person.telegram_user_id is not None:
                    seen.setdefault(person.id, person)
        return [
            p
            for p in seen.values()
            if not await reports.dedupe_key_used(s, dedupe_key(period.key, p.id))
        ]

    async def _facts(self, s: AsyncSession, period: Period) -> MonthFacts:
        as_of = min(self.core.now(), period.end)
        active = await reports.cycles_active_between(s, period.start, as_of)
        ids = [c.id for c in active]
        return MonthFacts(
            key=period.key,
            period=period.label,
            start=period.start,
            end=period.end,
            as_of=as_of,
            cycles=active,
            runs=await reports.runs_of_cycles(s, ids),
            answers=await reports.proposal_facts(s, ids),
            offices=await reports.all_offices(s),
            sent_form=await reports.offices_sent_form(s, ids),
            letters=[
                letter
                for letter in await reports.letters_between(s, period.start, period.end)
                if letter.created_at <= as_of
            ],
            signers=await self._report_signers(s),
        )

    async def _report_signers(self, s: AsyncSession) -> list[ReportSigner]:
        """The report is "Dibuat oleh" the petugas and "Mengetahui" the Kepala Dinas."""
        out = []
        for label, role, title in (
            ("Dibuat oleh,", "petugas", "Petugas Pengelola Layanan Informasi Publik"),
            ("Mengetahui,", "kepala_dinas", self.core.settings.title_kepala_dinas),
        ):
            found = await self.core.holders(s, role)
            person = found[0] if found else None
            out.append(
                ReportSigner(
                    label=label,
                    jabatan=(person.jabatan if person and person.jabatan else title),
                    name=person.name if person else "",
                    nip=person.nip if person else "",
                )
            )
        return out

    async def _render(self, facts: MonthFacts) -> tuple[MonthlyReport, bytes, bytes]:
        frame = self._frame(facts)
        report, series = assemble_month(facts, frame)
        xlsx = await asyncio.to_thread(build_monthly_xlsx, report)
        png = await asyncio.to_thread(
            render_step_chart,
            f"Hari kerja terpakai per langkah — {facts.period}",
            chart_steps(self.core.sop),
            series,
            subtitle=f"Keadaan per {frame.as_of_text}",
        )
        return report, xlsx, png

    def _frame(self, facts: MonthFacts) -> Frame:
        if facts.as_of >= facts.end:
            last = (facts.end - timedelta(days=1)).astimezone(self.core.settings.tz).date()
            as_of_text = f"akhir bulan ({tanggal.format_hari_tanggal(last)})"
        else:
            as_of_text = self.core.fmt_time(facts.as_of)
        return Frame(
            sop=self.core.sop,
            calendar=self.core.calendar,
            tz=self.core.settings.tz,
            role_label=self.core.role_label,
            org_name=self.core.settings.org_name,
            org_unit=self.core.settings.org_unit,
            as_of_text=as_of_text,
            generated_text=self.core.fmt_time(self.core.now()),
            notes=self._notes(as_of_text),
        )

    async def _archive(
        self, s: AsyncSession, period: Period, xlsx: bytes, png: bytes, person: PersonDTO | None
    ) -> list[DocumentDTO]:
        """Both files go into the archive (a new version each time), then into the outbox."""
        made = []
        for kind, name, mime, content in (
            (KIND_REPORT, f"Laporan_Bulanan_DIK_{period.key}.xlsx", XLSX, xlsx),
            (KIND_CHART, f"Grafik_Laporan_Bulanan_{period.key}.png", PNG, png),
        ):
            made.append(
                await documents.add_document(
                    s,
                    cycle_id=None,
                    step_no=None,
                    kind=kind,
                    filename=name,
                    mime_type=mime,
                    content=content,
                    now=self.core.now(),
                    created_by_id=person.id if person else None,
                )
            )
        return made

    def _caption(self, report: MonthlyReport, *, automatic: bool) -> str:
        rate = report.total.rate
        return texts.render(
            "reports",
            "monthly_caption",
            period=report.period,
            as_of=report.as_of,
            started=report.started,
            finished=report.finished,
            open=report.open,
            done=report.total.done,
            on_time=report.total.on_time,
            late=report.total.late,
            rate=f"{rate * 100:.1f}%".replace(".", ",") if rate is not None else "-",
            running_late=report.total.running_late,
            letters=len(report.letters),
            automatic=automatic,
        )

    def _notes(self, as_of_text: str) -> list[str]:
        st = self.core.settings
        days = ", ".join(tanggal.HARI[d] for d in sorted(st.workdays))
        hours = f"{st.office_start:%H.%M}–{st.office_end:%H.%M} {st.timezone_label}"
        return [
            f"Periode laporan: satu bulan kalender, waktu {st.timezone_label}. Semua angka "
            f"menurut keadaan per {as_of_text}; kejadian sesudahnya tidak dihitung, sehingga "
            "laporan bulan yang sudah lewat tetap sama kapan pun dibuat.",
            f"Hari kerja: {days}, kecuali hari libur nasional, cuti bersama, dan hari libur "
            f"tambahan yang ditetapkan admin. Jam kantor {hours}; waktu di luar jam kantor "
            "dihitung mulai jam buka kantor berikutnya.",
            "Hari kerja terpakai: jumlah hari kerja penuh dari awal sampai akhir. Contoh: "
            "ditugaskan Senin 09.00 dan selesai Selasa 10.00 = 1 hari kerja; selesai Selasa "
            "08.59 = 0 hari kerja; selesai pada hari yang sama = 0 hari kerja.",
            "Satu langkah dihitung dari saat langkah itu pertama kali dibuka sampai "
            "penyelesaian terakhirnya. Penolakan membuka giliran baru di langkah yang sama, "
            "sehingga waktu revisi termasuk dalam langkah itu (kolom Pengajuan dan Penolakan). "
            "Bila langkah berikutnya mengembalikan ke langkah sebelumnya (misalnya langkah 6 ke "
            "langkah 5), langkah sebelumnya dihitung sampai penyelesaian terakhirnya.",
            "Terlambat: hari kerja terpakai melebihi batas waktu SOP (Mutu Baku) langkah itu. "
            "Langkah yang masih berjalan dihitung sampai akhir periode dan ditandai terlambat "
            "bila sudah melebihi batas.",
            "Ketepatan waktu: yang selesai tepat waktu dibagi semua yang selesai pada periode "
            "ini. Langkah dihitung pada bulan penyelesaiannya; yang masih berjalan tidak masuk "
            "perhitungan, tetapi dicatat pada kolom 'Berjalan, sudah melewati batas'.",
            "Kinerja per peran dihitung per giliran: setiap tahap yang dipegang satu peran "
            "(misalnya Petugas menyusun draf, Kepala Dinas memeriksa dan menandatangani), dari "
            "saat diterima sampai diselesaikan, dibandingkan dengan batas waktu langkahnya. Pada "
            "langkah 3, setiap OPD adalah satu giliran PPID Pembantu.",
            "Usulan OPD (langkah 3): dari saat surat dan Form DIK dikirim sampai kiriman "
            "pertama OPD. Kiriman ulang mengganti isi (butir atau nihil) tetapi tidak mengubah "
            "saat menjawab. OPD yang belum menjawab terhitung terlambat setelah batas waktu "
            "lewat; 'Tidak menjawab' berarti pengumpulan ditutup tanpa jawabannya.",
            "Siklus dimulai atau selesai: tanggal mulai atau selesainya jatuh pada periode ini. "
            "Siklus berjalan: sudah dimulai dan belum selesai pada akhir periode.",
            "Surat keluar: surat bernomor yang diterbitkan bot pada periode ini, satu baris per "
            "nomor surat.",
        ]
