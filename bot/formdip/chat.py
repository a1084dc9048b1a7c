"""The chat texts of the DIP acts (templates/texts/dip.j2), from the acts' results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import texts
from bot.formdik.reader import Problem
from bot.formdip.model import DipRow
from bot.formdip.service import Intake, Review, lookup
from bot.formdip.stored import row_of_entry
from storage.dto import DipEntryDTO

MAX_QUERY = 100


def intake_text(office: str, intake: Intake) -> str:
    """What the OPD reads after an upload or typed rows: the rows back, or what to fix."""
    if not intake.ok:
        return problems_text(intake.problems)
    return texts.render(
        "dip",
        "preview",
        office=office,
        rows=intake.rows,
        warnings=[str(w) for w in intake.warnings],
        conflicts=intake.conflicts,
        changes=intake.changes,
    )


def problems_text(problems: Sequence[Problem | str]) -> str:
    return texts.render("dip", "problems", problems=[str(p) for p in problems])


def typed_help_text() -> str:
    return texts.render("dip", "typed_help")


def review_text(office: str, review: Review) -> str:
    """What the petugas reads for one OPD: its changes and any match with the DIK."""
    return texts.render(
        "dip",
        "review",
        office=office,
        attempt=review.submission.attempt,
        unchanged=review.submission.unchanged,
        changes=review.changes,
        conflicts=review.conflicts,
    )


def returned_text(office: str, notes: str) -> str:
    return texts.render("dip", "returned", office=office, notes=notes)


@dataclass(frozen=True, slots=True)
class _Found:
    office: str
    row: DipRow


def lookup_text(entries: Sequence[DipEntryDTO], query: str) -> str:
    """/dip [OPD atau kata kunci], from the DIP in force."""
    q = " ".join(query.split())[:MAX_QUERY]
    found = [_Found(e.office_name, row_of_entry(e)) for e in lookup(entries, q)]
    return texts.render("dip", "lookup", query=q, total=len(entries), found=found)
