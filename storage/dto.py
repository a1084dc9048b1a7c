"""Plain data the repositories return; the ORM stays inside `storage/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class OfficeDTO:
    id: int
    code: str
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class RoleDTO:
    role: str
    office_id: int | None
    is_lead: bool
    acting_for_id: int | None
    acting_for_name: str | None
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True, slots=True)
class PersonDTO:
    id: int
    name: str
    nip: str
    pangkat: str
    jabatan: str
    telegram_user_id: int | None
    office_id: int | None
    office_name: str | None
    roles: tuple[RoleDTO, ...] = ()

    def has(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)

    @property
    def role_keys(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)

    def is_lead(self, role: str) -> bool:
        return any(r.role == role and r.is_lead for r in self.roles)


@dataclass(frozen=True, slots=True)
class InviteDTO:
    id: int
    token: str
    role: str
    office_id: int | None
    name: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class CycleDTO:
    id: int
    sop_key: str
    year: int
    title: str
    status: str
    current_step: int
    started_at: datetime
    finished_at: datetime | None
    published_url: str | None
    collect_deadline: datetime | None = None
    sop_version: int = 1
    current_step_key: str = ""


@dataclass(frozen=True, slots=True)
class StepRunDTO:
    id: int
    cycle_id: int
    step_no: int
    phase: str
    attempt: int
    holder_role: str
    status: str
    assigned_at: datetime
    due_at: datetime
    done_at: datetime | None
    outcome: str | None
    actor_id: int | None
    reason: str | None
    version: int
    step_key: str = ""
    office_id: int | None = None  # a run that is one office's alone


@dataclass(frozen=True, slots=True)
class RowDTO:
    id: int
    proposal_id: int
    position: int
    informasi: str
    dasar_hukum: str
    bases: str
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str


@dataclass(frozen=True, slots=True)
class ProposalDTO:
    id: int
    cycle_id: int
    office_id: int
    office_name: str
    status: str
    nihil: bool
    source: str
    created_at: datetime
    submitted_at: datetime | None
    agenda_no: int | None
    rows: tuple[RowDTO, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class DecisionDTO:
    id: int
    proposal_row_id: int
    decision: str
    blacked_out: str | None
    decided_by_id: int | None
    decided_at: datetime
    bases: str | None = None
    other_law: str | None = None
    konsekuensi_dibuka: str | None = None
    konsekuensi_ditutup: str | None = None
    jangka_waktu: str | None = None
    source: str = "chat"
    open_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentDTO:
    id: int
    cycle_id: int | None
    step_no: int | None
    kind: str
    office_id: int | None
    version: int
    filename: str
    mime_type: str
    sha256: str
    size: int
    letter_number: str | None
    uploaded: bool
    created_at: datetime
    original_filename: str | None = None


@dataclass(frozen=True, slots=True)
class SignatureCheckDTO:
    """The recorded verification of one uploaded file's electronic signatures."""

    document_id: int
    sha256: str
    status: str
    signer: str | None
    signed_at: datetime | None
    time_source: str  # "timestamp" (a TSA's token), "claimed" (the signer's clock) or ""
    reason: str
    signatures: int
    detail: str
    checked_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxDTO:
    id: int
    official_id: int
    chat_id: int
    text: str
    buttons: list[list[list[str]]]
    document_id: int | None
    attempts: int


@dataclass(frozen=True, slots=True)
class DipFieldsDTO:
    """The fields of one DIP item (an entry in force or a submitted row)."""

    ringkasan: str
    pejabat: str
    penanggung_jawab: str
    waktu_tempat: str
    bentuk: tuple[str, ...]
    retensi: str
    jenis: str


@dataclass(frozen=True, slots=True)
class DipEntryDTO:
    id: int
    office_id: int
    office_code: str
    office_name: str
    position: int
    fields: DipFieldsDTO
    set_in_cycle_id: int | None
    valid_from: datetime

    @property
    def ref(self) -> str:
        """The Kode printed in the pre-filled Form DIP."""
        return f"DIP-{self.id}"


@dataclass(frozen=True, slots=True)
class DipSubmissionRowDTO:
    position: int
    ref: str
    fields: DipFieldsDTO
    source_row: int | None


@dataclass(frozen=True, slots=True)
class DipSubmissionDTO:
    id: int
    cycle_id: int
    office_id: int
    office_code: str
    office_name: str
    attempt: int
    status: str  # draft, submitted, returned, accepted
    unchanged: bool
    source: str
    created_at: datetime
    submitted_at: datetime | None
    document_id: int | None
    review_notes: str | None
    reviewed_at: datetime | None
    rows: tuple[DipSubmissionRowDTO, ...] = ()
