"""How long each step, each turn and each OPD took, in working days, against the SOP's limit.

Pure: takes the runs of a cycle (and the OPDs' answers), a working-day calendar and a cut-off
moment `as_of`; never touches the database. Used by the Laporan Bulanan and the cycle timeline.

Definitions (the report's "Catatan" sheet says the same in Indonesian):

* **Working days taken** between two moments a and b is
  ``calendar.working_days_between(a, b)``: the number of *whole* working days from a to b, i.e.
  the largest k with ``add_working_days(a, k) <= b`` (a started outside office hours counts
  from the next office opening). A step signed the same day takes 0; one assigned Monday 09.00
  and done Tuesday 10.00 takes 1; done Tuesday 08.59 it still takes 0.
* **A step of a cycle** spans from the ``assigned_at`` of its first run to the ``done_at`` of its
  last run. Runs are the holders' turns (draft, review, upload, ...); a rejection opens new runs,
  so the revision is part of the same step. When a later step returns the cycle to an earlier
  one (e.g. step 6 rejects back to step 5), the earlier step's span runs to its last completion
  and so also covers the time the later step held it; the rejecting step stays unfinished until
  it is done again.
* A step is **finished** when none of its runs is open and its last run was not a rejection;
  otherwise it is **running**, and its working days are counted up to `as_of`.
* **Late**: more working days taken than the step's ``limit_days``. A running step is late as
  soon as it has passed its limit.
* **A turn** is one run (one holder, one phase). It is measured the same way, from its own
  ``assigned_at`` to its ``done_at``, against the step's limit (the engine gives every run the
  whole limit as its deadline). The collect phase of step 3 is not one turn: there each OPD's
  answer is a turn of the PPID Pembantu (see below).
* **An OPD's answer** in step 3 is measured from the opening of step 3 (when the letter and the
  Form DIK went out) to the OPD's *first* submission; later resubmissions replace the content
  (rows / nihil) but not the moment it answered. An OPD that has not answered is late once step
  3 has lasted longer than its limit (up to its close, or up to `as_of` while it is open).

Only what had happened by `as_of` counts: runs opened later are ignored and runs done later are
treated as open, so a report for a past month stays the same whenever it is made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.workdays import WorkCalendar
from storage.dto import StepRunDTO
from storage.reports import ProposalFact

COLLECT_PHASE = "collect"


def is_rejection(outcome: str | None) -> bool:
    return bool(outcome) and str(outcome).startswith("reject")


@dataclass(frozen=True, slots=True)
class StepSpan:
    """One step of one cycle, as of a moment."""

    cycle_id: int
    step_no: int
    started_at: datetime
    ended_at: datetime | None  # None while running
    days: int
    limit: int
    attempts: int
    rejections: int

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def late(self) -> bool:
        return self.days > self.limit

    @property
    def over(self) -> int:
        """Working days beyond the limit (0 when within it)."""
        return max(0, self.days - self.limit)


@dataclass(frozen=True, slots=True)
class Turn:
    """One holder's turn: a run, or one OPD's answer in step 3."""

    cycle_id: int
    step_no: int
    role: str
    started_at: datetime
    ended_at: datetime | None  # None while the holder still has it
    days: int
    limit: int

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def late(self) -> bool:
        return self.days > self.limit


class AnswerState(StrEnum):
    USULAN = "usulan"
    NIHIL = "nihil"
    TIDAK_MENJAWAB = "tidak_menjawab"  # step 3 closed without this OPD's answer
    BELUM_MENJAWAB = "belum_menjawab"  # step 3 still open, no answer yet


@dataclass(frozen=True, slots=True)
class OfficeAnswer:
    cycle_id: int
    step_no: int
    office_id: int
    office_name: str
    received_at: datetime  # when step 3 opened
    answered_at: datetime | None  # first submission
    state: AnswerState
    rows: int
    submissions: int
    days: int  # to the answer; without one, to the close of step 3 (or as_of)
    limit: int
    ended_at: datetime | None  # the answer, or the close of step 3; None while waiting

    @property
    def late(self) -> bool:
        """Past the limit; an OPD that never answered is late, whenever step 3 was closed."""
        return self.state is AnswerState.TIDAK_MENJAWAB or self.days > self.limit


def _seen(runs: Sequence[StepRunDTO], as_of: datetime) -> list[StepRunDTO]:
    return sorted((r for r in runs if r.assigned_at <= as_of), key=lambda r: (r.assigned_at, r.id))


def _done(run: StepRunDTO, as_of: datetime) -> bool:
    return run.done_at is not None and run.done_at <= as_of


def step_spans(
    runs: Sequence[StepRunDTO],
    limits: Mapping[int, int],
    calendar: WorkCalendar,
    as_of: datetime,
) -> list[StepSpan]:
    """Every step of one cycle that had begun by `as_of`, in step order."""
    by_step: dict[int, list[StepRunDTO]] = defaultdict(list)
    for run in _seen(runs, as_of):
        by_step[run.step_no].append(run)
    spans = []
    for step_no in sorted(by_step):
        rs = by_step[step_no]
        first, last = rs[0], rs[-1]
        finished = all(_done(r, as_of) for r in rs) and not is_rejection(last.outcome)
        end = last.done_at if finished else None
        spans.append(
            StepSpan(
                cycle_id=first.cycle_id,
                step_no=step_no,
                started_at=first.assigned_at,
                ended_at=end,
                days=calendar.working_days_between(first.assigned_at, end or as_of),
                limit=limits[step_no],
                attempts=max(r.attempt for r in rs),
                rejections=sum(1 for r in rs if _done(r, as_of) and is_rejection(r.outcome)),
            )
        )
    return spans


def run_turns(
    runs: Sequence[StepRunDTO],
    limits: Mapping[int, int],
    calendar: WorkCalendar,
    as_of: datetime,
) -> list[Turn]:
    """Every run of one cycle opened by `as_of`, except the collect phase (see office_answers)."""
    out = []
    for run in _seen(runs, as_of):
        if run.phase == COLLECT_PHASE:
            continue
        end = run.done_at if _done(run, as_of) else None
        out.append(
            Turn(
                cycle_id=run.cycle_id,
                step_no=run.step_no,
                role=run.holder_role,
                started_at=run.assigned_at,
                ended_at=end,
                days=calendar.working_days_between(run.assigned_at, end or as_of),
                limit=limits[run.step_no],
            )
        )
    return out


def collect_span(
    runs: Sequence[StepRunDTO], as_of: datetime
) -> tuple[StepRunDTO, datetime | None] | None:
    """The first collect run of a cycle opened by `as_of`, and when collecting was closed
    (None while it is still open at `as_of`)."""
    collects = [r for r in _seen(runs, as_of) if r.phase == COLLECT_PHASE]
    if not collects:
        return None
    if not all(_done(r, as_of) for r in collects):
        return collects[0], None
    return collects[0], max(r.done_at for r in collects if r.done_at is not None)


def office_answers(
    runs: Sequence[StepRunDTO],
    answers: Sequence[ProposalFact],
    offices: Mapping[int, str],
    limits: Mapping[int, int],
    calendar: WorkCalendar,
    as_of: datetime,
) -> list[OfficeAnswer]:
    """How each asked OPD (`offices`: id -> name) answered step 3 of one cycle, by OPD name."""
    found = collect_span(runs, as_of)
    if found is None:
        return []
    run, closed_at = found
    by_office: dict[int, list[ProposalFact]] = defaultdict(list)
    for answer in answers:
        if answer.cycle_id == run.cycle_id and answer.submitted_at <= as_of:
            by_office[answer.office_id].append(answer)
    out = []
    for office_id, name in offices.items():
        sent = sorted(by_office.get(office_id, []), key=lambda a: a.submitted_at)
        if sent:
            first, current = sent[0], sent[-1]
            state = AnswerState.NIHIL if current.nihil else AnswerState.USULAN
            end: datetime | None = first.submitted_at
            answered: datetime | None = first.submitted_at
            rows = 0 if current.nihil else current.rows
        else:
            state = AnswerState.BELUM_MENJAWAB if closed_at is None else AnswerState.TIDAK_MENJAWAB
            end, answered, rows = closed_at, None, 0
        out.append(
            OfficeAnswer(
                cycle_id=run.cycle_id,
                step_no=run.step_no,
                office_id=office_id,
                office_name=name,
                received_at=run.assigned_at,
                answered_at=answered,
                state=state,
                rows=rows,
                submissions=len(sent),
                days=calendar.working_days_between(run.assigned_at, end or as_of),
                limit=limits[run.step_no],
                ended_at=end,
            )
        )
    return sorted(out, key=lambda a: (a.office_name.casefold(), a.office_id))


def answer_turns(answers: Sequence[OfficeAnswer]) -> list[Turn]:
    """Each OPD's answer as a turn of the PPID Pembantu."""
    return [
        Turn(
            cycle_id=a.cycle_id,
            step_no=a.step_no,
            role="ppid_pembantu",
            started_at=a.received_at,
            ended_at=a.ended_at,
            days=a.days,
            limit=a.limit,
        )
        for a in answers
    ]
