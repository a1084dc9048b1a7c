"""Typed schema of a SOP file, validated when the bot starts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ROLES = (
    "petugas",
    "kepala_dinas",
    "atasan_ppid",
    "ppid_pembantu",
    "tim_uk",
    "walikota",
    "dprd",
    "admin",
)


class SopError(Exception):
    """The SOP file is unusable; the message names the step and the field."""


class StepKind(StrEnum):
    APPROVAL = "approval"
    COLLECT = "collect"
    DELIVERY = "delivery"
    DISPOSITION = "disposition"
    TEST = "test"
    SIGN = "sign"
    PUBLISH = "publish"


_FIRST = {
    StepKind.COLLECT: "collect",
    StepKind.DELIVERY: "deliver",
    StepKind.DISPOSITION: "review",
    StepKind.TEST: "decide",
    StepKind.PUBLISH: "publish",
    StepKind.APPROVAL: "draft",
    StepKind.SIGN: "review",
}


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int = Field(ge=1)
    title: str = Field(min_length=3)
    kind: StepKind
    actor: str
    limit_days: int = Field(ge=1, le=60)
    kelengkapan: str
    outputs: tuple[str, ...] = ()
    output_text: str = ""
    drafter: str | None = None
    uploader: str | None = None
    closer: str | None = None
    reject_to: int | None = None
    escalate_to: str | None = None
    notify: tuple[str, ...] = ()
    distribute_to: tuple[str, ...] = ()
    attach: dict[str, tuple[str, ...]] = {}
    invite_by: str | None = None
    revisable: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _kind_fields(self) -> Step:
        needs = {
            StepKind.APPROVAL: ("drafter", "reject_to"),
            StepKind.DISPOSITION: ("reject_to",),
            StepKind.SIGN: ("uploader", "reject_to"),
            StepKind.COLLECT: ("closer",),
            StepKind.PUBLISH: ("distribute_to",),
        }.get(self.kind, ())
        phases = {
            StepKind.APPROVAL: {"draft", "review"},
            StepKind.SIGN: {"review", "upload"},
            StepKind.TEST: {"decide", "sign_lembar"},
            StepKind.DISPOSITION: {"review", "invite"} if self.invite_by else {"review"},
        }.get(self.kind, {_FIRST[self.kind]})
        if self.invite_by and self.kind is not StepKind.DISPOSITION:
            raise ValueError("field 'invite_by' is only for a disposition step")
        for phase in self.attach:
            if phase not in phases:
                raise ValueError(f"field 'attach': phase {phase!r} is not a phase of this step")
        for name in needs:
            if not getattr(self, name):
                raise ValueError(f"field {name!r} is required for kind {self.kind.value!r}")
        return self


class Sop(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    title: str
    sop_number: str = ""
    roles: dict[str, str]
    steps: tuple[Step, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Sop:
        ids = [s.id for s in self.steps]
        if ids != list(range(1, len(ids) + 1)):
            raise ValueError(f"step ids must be 1..{len(ids)} in order, found {ids}")
        for role in self.roles:
            if role not in ROLES:
                raise ValueError(f"roles: unknown role {role!r}")
        for step in self.steps:
            self._check_step(step)
        return self

    def _check_step(self, step: Step) -> None:
        for field in ("actor", "drafter", "uploader", "closer", "escalate_to", "invite_by"):
            role = getattr(step, field)
            if role is not None and role not in self.roles:
                raise ValueError(f"step {step.id}, field {field}: unknown role {role!r}")
        for field in ("notify", "distribute_to"):
            for role in getattr(step, field):
                if role not in self.roles:
                    raise ValueError(f"step {step.id}, field {field}: unknown role {role!r}")
        if step.reject_to is not None and not 1 <= step.reject_to <= step.id:
            raise ValueError(
                f"step {step.id}, field reject_to: must name this or an earlier step, "
                f"not {step.reject_to}"
            )
        if step.kind is StepKind.COLLECT and step.actor != "ppid_pembantu":
            raise ValueError(f"step {step.id}, field actor: a collect step is for ppid_pembantu")

    def step(self, step_id: int) -> Step:
        return self.steps[step_id - 1]

    @property
    def last_step(self) -> int:
        return len(self.steps)

    def role_label(self, role: str) -> str:
        return self.roles.get(role, role)


def load_sop(path: Path) -> Sop:
    """Load and validate a SOP file; raise SopError naming the step and field at fault."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SopError(f"SOP file {path}: cannot be read: {exc}") from None
    try:
        return Sop.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            entry = raw["steps"][loc[1]]
            step_no = entry.get("id", loc[1] + 1) if isinstance(entry, dict) else loc[1] + 1
            field = ".".join(str(p) for p in loc[2:]) or "(step)"
            where = f"step {step_no}, field {field}: "
        elif loc:
            where = f"field {'.'.join(str(p) for p in loc)}: "
        raise SopError(f"SOP file {path}: {where}{err['msg']}") from None
