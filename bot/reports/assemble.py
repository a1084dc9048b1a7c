"""From the stored facts of a month to the report's plain data and the chart's series.

Pure: the caller (``bot.workflow.report``) reads the facts from the database; this module
measures them with :mod:`bot.reports.measure` and lays them out for
:func:`bot.reports.monthly.build_monthly_xlsx` and :func:`bot.reports.chart.render_step_chart`.

What belongs to a period [start, end) seen at ``as_of`` (the end of the month, or the moment
the report is made when that is earlier):

* cycles: started before ``as_of`` and not finished before ``start``; *started* / *finished*
  when that moment falls in the period; *open* when started and not finished at ``as_of``;
* steps (sheet Langkah, the chart): those that finished in the period, and those still running
  at ``as_of``; the rates count only the finished ones, in the month they finished;
* turns (rates per role): those that ended in the period; running ones already past the limit
  are counted apart;
* step 3 per OPD: for each cycle whose collect step is listed (finished in the period or
  running), every OPD asked: sent its Form DIK, or answered, or active and registered before
  collecting ended;
* letters: numbered documents archived in the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reports import measure
from bot.reports.chart import ChartBar, ChartSeries, ChartStep
from bot.reports.measure import AnswerState, OfficeAnswer, StepSpan, Turn
from bot.reports.monthly import (
    CycleLine,
    LetterLine,
    MonthlyReport,
    OfficeLine,
    ReportSigner,
    RoleRate,
    StepLine,
    StepRate,
    Tally,
)
from bot.sop import Sop, Step, StepKind
from bot.workdays import WorkCalendar
from storage.dto import CycleDTO, StepRunDTO
from storage.reports import LetterFact, OfficeFact, ProposalFact

ANSWER_LABELS: dict[AnswerState, str] = {
    AnswerState.USULAN: "Usulan",
    AnswerState.NIHIL: "Nihil",
    AnswerState.TIDAK_MENJAWAB: "Tidak menjawab",
    AnswerState.BELUM_MENJAWAB: "Belum menjawab",
}


def letter_kinds(sop: Sop) -> dict[str, str]:
    """The letters the office itself issues, by kind, with their titles: the "Surat Keluar" of
    the report, the documents the SOP file declares `numbered`. An uploaded letter (the signed
    SK) carries another body's number and is not among them."""
    return {k: d.title for k, d in sop.documents.items() if d.numbered}


@dataclass(frozen=True, slots=True)
class MonthFacts:
    """What the database says about a period (all datetimes aware)."""

    key: str  # "2026-11"
    period: str  # "November 2026"
    start: datetime
    end: datetime
    as_of: datetime
    cycles: Sequence[CycleDTO]
    runs: Mapping[int, Sequence[StepRunDTO]]
    answers: Sequence[ProposalFact]
    offices: Sequence[OfficeFact]
    sent_form: Mapping[int, set[int]]
    letters: Sequence[LetterFact]
    signers: Sequence[ReportSigner] = ()


@dataclass(frozen=True, slots=True)
class Frame:
    """How to measure and label: the SOP, the calendar, the office's zone, the texts."""

    sop: Sop
    calendar: WorkCalendar
    tz: ZoneInfo
    role_label: Callable[[str], str]
    org_name: str
    org_unit: str
    as_of_text: str
    generated_text: str
    notes: Sequence[str]


def limits(sop: Sop) -> dict[int, int]:
    return {step.id: step.limit_days for step in sop.steps}


def step_roles(step: Step, role_label: Callable[[str], str]) -> str:
    """Who acts in a step, in order: "Petugas PLID → Kepala Dinas Kominfo (PPID Utama)"."""
    roles = [step.drafter, step.actor, step.uploader]
    return " → ".join(role_label(r) for r in dict.fromkeys(r for r in roles if r))


def chart_steps(sop: Sop) -> list[ChartStep]:
    return [ChartStep(s.id, s.title, s.limit_days) for s in sop.steps]


def chart_series(name: str, spans: Sequence[StepSpan]) -> ChartSeries:
    return ChartSeries(
        name=name,
        bars=tuple(
            ChartBar(step_no=sp.step_no, days=sp.days, late=sp.late, running=not sp.finished)
            for sp in spans
        ),
    )


def assemble_month(facts: MonthFacts, frame: Frame) -> tuple[MonthlyReport, list[ChartSeries]]:
    """The report's data and the month's chart series (one per cycle with a listed step)."""
    sop, cal, as_of, start = frame.sop, frame.calendar, facts.as_of, facts.start
    lim = limits(sop)

    def local(dt: datetime) -> datetime:
        return dt.astimezone(frame.tz).replace(tzinfo=None)

    def in_period(dt: datetime | None) -> bool:
        return dt is not None and start <= dt < facts.end and dt <= as_of

    cycle_lines: list[CycleLine] = []
    step_lines: list[StepLine] = []
    office_lines: list[OfficeLine] = []
    series: list[ChartSeries] = []
    listed: list[StepSpan] = []
    turns: list[Turn] = []
    collect_steps = {s.id for s in sop.steps if s.kind is StepKind.COLLECT}
    titles = letter_kinds(sop)

    for cycle in facts.cycles:
        runs = facts.runs.get(cycle.id, ())
        spans = measure.step_spans(runs, lim, cal, as_of)
        shown = [sp for sp in spans if not sp.finished or in_period(sp.ended_at)]
        listed += shown
        finished = cycle.finished_at if in_period(cycle.finished_at) else None
        running = [sp.step_no for sp in spans if not sp.finished]
        at_step = sop.step(min(running)) if running and finished is None else None
        cycle_lines.append(
            CycleLine(
                title=cycle.title,
                year=cycle.year,
                started=local(cycle.started_at),
                finished=local(finished) if finished else None,
                state="Selesai" if finished else "Berjalan",
                step=f"{at_step.id}. {at_step.title}" if at_step else "",
            )
        )
        for sp in shown:
            step = sop.step(sp.step_no)
            step_lines.append(
                StepLine(
                    cycle=cycle.title,
                    step_no=sp.step_no,
                    title=step.title,
                    role=step_roles(step, frame.role_label),
                    started=local(sp.started_at),
                    finished=local(sp.ended_at) if sp.ended_at else None,
                    days=sp.days,
                    limit=sp.limit,
                    late=sp.late,
                    attempts=sp.attempts,
                    rejections=sp.rejections,
                )
            )
        if shown:
            series.append(chart_series(cycle.title, shown))

        answers = measure.office_answers(
            runs, facts.answers, _asked(cycle.id, runs, facts, as_of), lim, cal, as_of
        )
        turns += measure.run_turns(runs, lim, cal, as_of) + measure.answer_turns(answers)
        if any(sp.step_no in collect_steps for sp in shown):
            office_lines += [_office_line(cycle, a, local) for a in answers]

    report = MonthlyReport(
        month=facts.key,
        period=facts.period,
        org_name=frame.org_name,
        org_unit=frame.org_unit,
        sop_title=sop.title,
        sop_number=sop.sop_number,
        as_of=frame.as_of_text,
        generated=frame.generated_text,
        started=sum(1 for c in facts.cycles if in_period(c.started_at)),
        finished=sum(1 for c in facts.cycles if in_period(c.finished_at)),
        open=sum(
            1
            for c in facts.cycles
            if c.started_at <= as_of and (c.finished_at is None or c.finished_at > as_of)
        ),
        cycles=cycle_lines,
        steps=step_lines,
        step_rates=_step_rates(sop, listed, frame.role_label),
        role_rates=_role_rates(sop, turns, in_period, frame.role_label),
        total=_tally(listed),
        offices=office_lines,
        letters=[
            _letter_line(letter, local, titles[letter.kind])
            for letter in facts.letters
            if letter.kind in titles
        ],
        notes=frame.notes,
        signers=facts.signers,
    )
    return report, series


def _asked(
    cycle_id: int, runs: Sequence[StepRunDTO], facts: MonthFacts, as_of: datetime
) -> dict[int, str]:
    """The OPDs step 3 of a cycle asked, by id: sent their Form DIK, answered, or active and
    registered before collecting ended (or before `as_of` while it is open)."""
    found = measure.collect_span(runs, as_of)
    if found is None:
        return {}
    _run, closed_at = found
    cutoff = closed_at or as_of
    answered = {a.office_id for a in facts.answers if a.cycle_id == cycle_id}
    ids = facts.sent_form.get(cycle_id, set()) | answered
    ids |= {o.id for o in facts.offices if o.active and o.created_at <= cutoff}
    return {o.id: o.name for o in facts.offices if o.id in ids}


def _office_line(
    cycle: CycleDTO, a: OfficeAnswer, local: Callable[[datetime], datetime]
) -> OfficeLine:
    return OfficeLine(
        cycle=cycle.title,
        office=a.office_name,
        received=local(a.received_at),
        answered=local(a.answered_at) if a.answered_at else None,
        answer=ANSWER_LABELS[a.state],
        rows=a.rows,
        days=a.days,
        limit=a.limit,
        late=a.late,
        submissions=a.submissions,
    )


def _letter_line(
    letter: LetterFact, local: Callable[[datetime], datetime], title: str
) -> LetterLine:
    return LetterLine(
        number=letter.letter_number,
        issued=local(letter.created_at),
        kind=title,
        cycle=letter.cycle_title,
        step_no=letter.step_no,
        filename=letter.filename,
        version=letter.version,
    )


def _tally(items: Sequence[StepSpan] | Sequence[Turn]) -> Tally:
    done = [i for i in items if i.finished]
    return Tally(
        done=len(done),
        on_time=sum(1 for i in done if not i.late),
        running_late=sum(1 for i in items if not i.finished and i.late),
    )


def _step_rates(
    sop: Sop, listed: Sequence[StepSpan], role_label: Callable[[str], str]
) -> list[StepRate]:
    by_step: dict[int, list[StepSpan]] = defaultdict(list)
    for sp in listed:
        by_step[sp.step_no].append(sp)
    out = []
    for step in sop.steps:
        spans = by_step.get(step.id, [])
        days = [sp.days for sp in spans if sp.finished]
        out.append(
            StepRate(
                step_no=step.id,
                title=step.title,
                role=step_roles(step, role_label),
                limit=step.limit_days,
                tally=_tally(spans),
                avg_days=round(sum(days) / len(days), 2) if days else None,
                max_days=max(days) if days else None,
            )
        )
    return out


def _role_rates(
    sop: Sop,
    turns: Sequence[Turn],
    in_period: Callable[[datetime | None], bool],
    role_label: Callable[[str], str],
) -> list[RoleRate]:
    """Per role: turns that ended in the period, and running turns already past the limit."""
    counted = [t for t in turns if t.ended_at is None or in_period(t.ended_at)]
    in_sop = [
        role
        for step in sop.steps
        for role in (
            step.drafter,
            step.actor,
            step.uploader,
            getattr(step, "invite_by", None),
        )
        if role
    ]
    order = {role: i for i, role in enumerate(sop.roles)}
    roles = sorted(
        set(in_sop) | {t.role for t in counted},
        key=lambda r: (order.get(r, len(order)), r),
    )
    by_role: dict[str, list[Turn]] = defaultdict(list)
    for t in counted:
        by_role[t.role].append(t)
    return [RoleRate(role=role_label(r), tally=_tally(by_role.get(r, []))) for r in roles]
