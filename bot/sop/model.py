"""Typed schema of a SOP file, validated when the bot starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.sop.kinds import KINDS, StepKind, phases_of

#: Roles the bot itself knows, whatever the SOP (the administrator of the bot).
BUILTIN_ROLES = ("admin",)
KEY = r"^[a-z][a-z0-9_]{1,47}$"


class SopError(Exception):
    """The SOP file is unusable; the message names the file, the step and the field."""


class Role(BaseModel):
    """A role of the SOP: its label, and whether each holder belongs to one office (a PPID
    Pembantu answers for its OPD) or the role is a panel with a lead (the Tim's ketua)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(min_length=2)
    per_office: bool = False
    has_lead: bool = False
    # May follow every cycle: /status, the registers and archive, the monthly report.
    oversees: bool = False
    # Signs letters or the lembar in their jabatan: an invitation must name the jabatan.
    signs: bool = False

    @model_validator(mode="before")
    @classmethod
    def _plain_label(cls, data: Any) -> Any:
        return {"label": data} if isinstance(data, str) else data


#: The maker of a document people upload (a signed scan, an office's filled-in form).
UPLOAD = "upload"


class Document(BaseModel):
    """A kind of document the SOP names: what people call it, which registered maker makes it
    (or `upload`), and what the numbering, receipts, registers and reports need to know."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(pattern=KEY)  # the key under `documents:` (set by the loader)
    title: str = Field(min_length=3)
    # What the chat calls it for short ("SK"); the title where empty.
    short: str = ""
    maker: str = Field(pattern=KEY)
    # The DOCX template the maker fills (templates/docx/<name>.docx); None: the maker's own.
    template: str | None = None
    # The letter's "hal"; `{year}` is the cycle's year.
    hal: str = ""
    # Gets a number from the letter register when it is signed (a Surat Keluar).
    numbered: bool = False
    # Each recipient confirms it with a Diterima button (and it goes in the Buku Ekspedisi).
    receipt: bool = False
    # The roles it is addressed to; empty: whoever the step's `distribute_to` names.
    to: tuple[str, ...] = ()
    # The role whose holder signs it (the signature block), where the maker writes one.
    signer: str | None = None
    # Made once per office, with the office's name filled in (a collect step's `form`).
    per_office: bool = False

    @property
    def uploaded(self) -> bool:
        return self.maker == UPLOAD

    @property
    def name(self) -> str:
        return self.short or self.title

    @property
    def letter(self) -> bool:
        """A letter the Buku Ekspedisi lists: numbered by us, or one recipients sign for."""
        return self.numbered or self.receipt

    def hal_for(self, year: int) -> str:
        return self.hal.format(year=year) if self.hal else self.title

    @model_validator(mode="after")
    def _consistent(self) -> Document:
        if self.uploaded and (self.numbered or self.template or self.per_office):
            raise ValueError(
                "a document people upload (maker 'upload') is not numbered, templated or "
                "made per office by the bot"
            )
        try:
            self.hal.format(year=2000)
        except (KeyError, IndexError, ValueError):
            raise ValueError("field 'hal': only {year} may be filled in") from None
        return self


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY)
    id: int = Field(ge=1)  # the step's number: its position in the SOP (set by the loader)
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
    reject_to: str | None = None
    escalate_to: str | None = None
    notify: tuple[str, ...] = ()
    distribute_to: tuple[str, ...] = ()
    attach: dict[str, tuple[str, ...]] = {}
    invite_by: str | None = None
    revisable: tuple[str, ...] = ()
    # The holder's own working document: for a collect step, each office's pre-filled form;
    # for a test step, the sheet the lead fills in to decide the items in bulk.
    form: str | None = None
    # What the holder of a phase is asked to do, in the office's own words (HTML for
    # Telegram); a phase without one gets the kind's general wording.
    instructions: dict[str, str] = {}
    # A publish step: the public page the bot writes from the cycle's records beside the
    # published document (a page builder of the engine, e.g. `dik`: the public DIK).
    page: str | None = Field(default=None, pattern=KEY)
    # A collect step: the answer of an office with nothing to send ("Nihil"; a list that
    # stays as it is: "Tidak ada perubahan"), on its button and in its texts.
    empty_answer: str = Field(default="Nihil", min_length=3, max_length=40)

    @model_validator(mode="after")
    def _kind_fields(self) -> Step:
        phases = {p.name for p in phases_of(self)}
        if "empty_answer" in self.model_fields_set and self.kind is not StepKind.COLLECT:
            raise ValueError(
                f"field 'empty_answer' is not used by a step of kind {self.kind.value!r}"
            )
        if self.page and self.kind is not StepKind.PUBLISH:
            raise ValueError(f"field 'page' is not used by a step of kind {self.kind.value!r}")
        if self.invite_by and "invite" not in {p.name for p in KINDS[self.kind].phases}:
            raise ValueError(
                f"field 'invite_by' is not used by a step of kind {self.kind.value!r}"
            )
        for field in ("attach", "instructions"):
            for phase in getattr(self, field):
                if phase not in phases:
                    raise ValueError(
                        f"field {field!r}: phase {phase!r} is not a phase of this step"
                    )
        for name in KINDS[self.kind].requires:
            if not getattr(self, name):
                raise ValueError(f"field {name!r} is required for kind {self.kind.value!r}")
        return self


class Sop(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=KEY)
    version: int = Field(ge=1)
    title: str
    sop_number: str = ""
    # The role that runs the procedure day to day: starts cycles, is told when a deadline
    # falls, receives the OPDs' answers and the expiry reminders.
    operator: str
    # The name a new cycle gets unless the operator gives one; {year} is the cycle's year
    # (empty: the SOP's title and the year).
    cycle_title: str = ""
    roles: dict[str, Role]
    # Every kind of document the steps name (`outputs`, `attach`, `revisable`, `form`).
    documents: dict[str, Document] = {}
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _name_documents(cls, data: Any) -> Any:
        """A document's kind is its key under `documents:`."""
        if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
            return data
        named = {
            k: {**v, "kind": k} if isinstance(v, dict) else v for k, v in data["documents"].items()
        }
        return {**data, "documents": named}

    @model_validator(mode="before")
    @classmethod
    def _number_steps(cls, data: Any) -> Any:
        """Steps are numbered by their order in the file; the key is what the engine uses."""
        if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
            return data
        steps = []
        for i, entry in enumerate(data["steps"], start=1):
            if isinstance(entry, dict):
                if "id" in entry:
                    raise ValueError(
                        f"step {entry.get('key', i)}: field 'id' is not used; steps are "
                        "numbered by their order in the file and named by 'key'"
                    )
                entry = {**entry, "id": i}
            steps.append(entry)
        return {**data, "steps": steps}

    @model_validator(mode="after")
    def _consistent(self) -> Sop:
        keys = [s.key for s in self.steps]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"step keys must be unique, found twice: {', '.join(dupes)}")
        try:
            self.cycle_title.format(year=2000)
        except (KeyError, IndexError, ValueError):
            raise ValueError("field cycle_title: only {year} may be filled in") from None
        if self.operator not in self.roles:
            raise ValueError(f"field operator: unknown role {self.operator!r}")
        for role in BUILTIN_ROLES:
            if role not in self.roles:
                raise ValueError(f"roles: the built-in role {role!r} must be declared")
        for doc in self.documents.values():
            self._check_document(doc)
        for step in self.steps:
            self._check_step(step, keys)
        return self

    def _check_document(self, doc: Document) -> None:
        for role in (*doc.to, *([doc.signer] if doc.signer else [])):
            if role not in self.roles:
                field = "to" if role in doc.to else "signer"
                raise ValueError(f"document {doc.kind}, field {field}: unknown role {role!r}")

    def _check_step(self, step: Step, keys: list[str]) -> None:
        for field in ("actor", "drafter", "uploader", "closer", "escalate_to", "invite_by"):
            role = getattr(step, field)
            if role is not None and role not in self.roles:
                raise ValueError(f"step {step.key}, field {field}: unknown role {role!r}")
        for field in ("notify", "distribute_to"):
            for role in getattr(step, field):
                if role not in self.roles:
                    raise ValueError(f"step {step.key}, field {field}: unknown role {role!r}")
        if step.reject_to is not None and step.reject_to not in keys[: step.id]:
            raise ValueError(
                f"step {step.key}, field reject_to: must name this or an earlier step's key, "
                f"not {step.reject_to!r}"
            )
        if step.kind is StepKind.COLLECT and not self.roles[step.actor].per_office:
            raise ValueError(
                f"step {step.key}, field actor: a collect step is answered per office; "
                f"role {step.actor!r} needs 'per_office: true'"
            )
        if step.kind is StepKind.TEST and not self.roles[step.actor].has_lead:
            raise ValueError(
                f"step {step.key}, field actor: a test step is led by the panel's lead; "
                f"role {step.actor!r} needs 'has_lead: true'"
            )

    # --- lookups ----------------------------------------------------------------------------
    def step(self, number: int) -> Step:
        """The step at position `number` (1-based), as the SOP's table numbers it."""
        return self.steps[number - 1]

    def by_key(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(f"SOP {self.key} v{self.version} has no step {key!r}")

    @property
    def first(self) -> Step:
        return self.steps[0]

    def after(self, step: Step) -> Step | None:
        """The step that opens when `step` closes; None when it is the last."""
        return self.steps[step.id] if step.id < len(self.steps) else None

    def of_kind(self, kind: StepKind) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind is kind)

    def holding(self, document_kind: str) -> Step | None:
        """The first step whose outputs include `document_kind`."""
        return next((s for s in self.steps if document_kind in s.outputs), None)

    def document(self, kind: str) -> Document | None:
        return self.documents.get(kind)

    def published(self) -> tuple[str, ...]:
        """The uploaded documents a publish step publishes (its outputs): the signed SK."""
        return tuple(
            dict.fromkeys(
                k
                for st in self.of_kind(StepKind.PUBLISH)
                for k in st.outputs
                if (d := self.documents.get(k)) is not None and d.uploaded
            )
        )

    def new_cycle_title(self, year: int) -> str:
        return self.cycle_title.format(year=year) if self.cycle_title else f"{self.title} {year}"

    def public_page(self) -> str | None:
        """The public page the (first) publish step writes, if any."""
        return next((st.page for st in self.of_kind(StepKind.PUBLISH) if st.page), None)

    def recipients(self, kind: str) -> tuple[str, ...]:
        """The roles a document is addressed to: its `to`, else the `distribute_to` of the
        steps that output it."""
        doc = self.documents.get(kind)
        if doc is not None and doc.to:
            return doc.to
        return tuple(
            dict.fromkeys(r for st in self.steps if kind in st.outputs for r in st.distribute_to)
        )

    @property
    def last_step(self) -> int:
        return len(self.steps)

    def role_label(self, role: str) -> str:
        found = self.roles.get(role)
        return found.label if found else role

    def per_office_roles(self) -> tuple[str, ...]:
        return tuple(r for r, spec in self.roles.items() if spec.per_office)

    def signs(self, role: str) -> bool:
        found = self.roles.get(role)
        return bool(found and found.signs)

    def overseeing_roles(self) -> tuple[str, ...]:
        return tuple(r for r, spec in self.roles.items() if spec.oversees)

    def panel_roles(self) -> tuple[str, ...]:
        return tuple(r for r, spec in self.roles.items() if spec.has_lead)


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
            name = entry.get("key", loc[1] + 1) if isinstance(entry, dict) else loc[1] + 1
            field = ".".join(str(p) for p in loc[2:]) or "(step)"
            where = f"step {name}, field {field}: "
        elif len(loc) >= 2 and loc[0] == "documents":
            field = ".".join(str(p) for p in loc[2:]) or "(document)"
            where = f"document {loc[1]}, field {field}: "
        elif loc:
            where = f"field {'.'.join(str(p) for p in loc)}: "
        raise SopError(f"SOP file {path}: {where}{err['msg']}") from None


def parse_sop(text: str, origin: str) -> Sop:
    """Validate a SOP from its text (a stored snapshot); `origin` names it in errors."""
    try:
        return Sop.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise SopError(f"SOP {origin}: {exc}") from None
