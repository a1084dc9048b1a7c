"""The engine's vocabulary of step kinds, declared once.

Each kind lists its phases in order. A phase names the Step field that says which role holds
it, the actions its holder may take, the buttons they get, and (optionally) the Step field that
must be set for the phase to exist at all (a disposition has an `invite` phase only when the
SOP names who invites). The first phase opens when the step opens; when a phase's run is done
the next existing phase opens; after the last one the step closes and the SOP's next step
opens, or the cycle ends. Nothing else in the engine decides who holds a run or what comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StepKind(StrEnum):
    APPROVAL = "approval"
    COLLECT = "collect"
    DELIVERY = "delivery"
    DISPOSITION = "disposition"
    TEST = "test"
    SIGN = "sign"
    PUBLISH = "publish"
    VERIFY = "verify"


@dataclass(frozen=True, slots=True)
class Phase:
    """`buttons` are (label, action) pairs; a label may name the step's document: `{output}`
    (its first output) or `{form}` (its working form), by their short names in the SOP file."""

    name: str
    holder: str  # the Step field holding the role of this phase's holder
    actions: frozenset[str]
    buttons: tuple[tuple[str, str], ...]
    needs: str | None = None  # the Step field that must be set for this phase to exist
    # The step's own outputs attached in this phase are rendered afresh for each run (a review
    # shows the newest version instead, which may be a revision the holder uploaded).
    fresh: bool = True


@dataclass(frozen=True, slots=True)
class Kind:
    phases: tuple[Phase, ...]
    requires: tuple[str, ...] = ()  # Step fields the kind cannot do without
    issues_letters_on: str | None = None  # the act after which the step's letters are numbered


_REVIEW = Phase(
    "review",
    "actor",
    frozenset({"approve", "reject"}),
    (("✅ Setujui", "approve"), ("❌ Tolak", "reject")),
    fresh=False,
)

KINDS: dict[StepKind, Kind] = {
    StepKind.APPROVAL: Kind(
        phases=(
            Phase("draft", "drafter", frozenset({"submit"}), (("📤 Ajukan", "submit"),)),
            _REVIEW,
        ),
        requires=("drafter", "reject_to"),
        issues_letters_on="approve",
    ),
    StepKind.COLLECT: Kind(
        phases=(
            Phase(
                "collect",
                "actor",
                frozenset({"close", "nihil", "type_rows", "upload"}),
                (("📎 Unggah {form}", "upload"), ("⌨️ Ketik usulan", "type_rows")),
            ),
        ),
        requires=("closer",),
    ),
    StepKind.DELIVERY: Kind(
        phases=(
            Phase(
                "deliver", "actor", frozenset({"deliver"}), (("📨 Sudah disampaikan", "deliver"),)
            ),
        ),
        issues_letters_on="deliver",
    ),
    StepKind.DISPOSITION: Kind(
        phases=(
            _REVIEW,
            Phase(
                "invite",
                "invite_by",
                frozenset({"schedule"}),
                (("📅 Isi jadwal rapat", "schedule"),),
                needs="invite_by",
                fresh=False,
            ),
        ),
        requires=("reject_to",),
    ),
    StepKind.TEST: Kind(
        phases=(
            Phase(
                "decide",
                "actor",
                frozenset({"finalise"}),
                (("🔍 Mulai / lanjutkan pengujian", "show"),),
            ),
            Phase(
                "sign_lembar",
                "actor",
                frozenset({"approve_lembar"}),
                (("✅ Setujui lembar", "approve_lembar"),),
            ),
        ),
    ),
    StepKind.SIGN: Kind(
        phases=(
            _REVIEW,
            Phase(
                "upload",
                "uploader",
                frozenset({"upload"}),
                (("📎 Unggah {output} bertanda tangan", "upload"),),
                fresh=False,
            ),
        ),
        requires=("uploader", "reject_to"),
    ),
    StepKind.PUBLISH: Kind(
        phases=(
            Phase(
                "publish",
                "actor",
                frozenset({"publish"}),
                (("🌐 Kirim alamat publikasi", "publish"),),
            ),
        ),
        requires=("distribute_to",),
    ),
    # Per office: the holder accepts each answered office's list or returns it with notes to
    # the collect step `reject_to` (only that office answers again, on its own clock); the
    # step closes when every office that answered is accepted (bot/workflow/verify.py).
    StepKind.VERIFY: Kind(
        phases=(
            Phase(
                "verify",
                "actor",
                frozenset({"verify_accept", "verify_return"}),
                (("🔍 Periksa per OPD", "show"),),
            ),
        ),
        requires=("reject_to",),
    ),
}

#: Every phase by name (a name means the same phase in every kind that has it).
PHASES: dict[str, Phase] = {p.name: p for k in KINDS.values() for p in k.phases}
#: Acts that end a run through the generic `act`; uploads, nihil, typed rows, the meeting and
#: the publication go through their own acts, which check what they need (a file, a date, a URL).
CLOSING_ACTS = frozenset(
    {"submit", "approve", "reject", "deliver", "close", "finalise", "approve_lembar"}
)


def phases_of(step: object) -> tuple[Phase, ...]:
    """The phases this step has, in order (a phase whose `needs` field is unset is skipped)."""
    kind = KINDS[step.kind]  # type: ignore[attr-defined]
    return tuple(p for p in kind.phases if p.needs is None or getattr(step, p.needs))


def first_phase(step: object) -> Phase:
    return phases_of(step)[0]


def next_phase(step: object, phase: str) -> Phase | None:
    """The phase after `phase` in this step, or None when `phase` closes the step."""
    names = [p.name for p in phases_of(step)]
    i = names.index(phase)
    return phases_of(step)[i + 1] if i + 1 < len(names) else None


def holder_of(step: object, phase: Phase) -> str:
    """The role that holds `phase` of `step` (falls back to the step's actor)."""
    role = getattr(step, phase.holder, None)
    return str(role or step.actor)  # type: ignore[attr-defined]


def phase_actions(phase: str) -> frozenset[str]:
    found = PHASES.get(phase)
    return found.actions if found else frozenset()
