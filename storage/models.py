"""SQLAlchemy 2 typed models. ORM objects never leave `storage/`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, stored as naive UTC on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Office(Base):
    """An OPD: a dinas, badan, kecamatan, kelurahan, puskesmas, RSUD or BUMD with its own PPID."""

    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Official(Base):
    __tablename__ = "officials"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(32), default="")
    pangkat: Mapped[str] = mapped_column(String(100), default="")
    jabatan: Mapped[str] = mapped_column(String(200), default="")
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class RoleAssignment(Base):
    """A role held by an official; `acting_for_id` + dates make a Plh./Plt. delegation."""

    __tablename__ = "role_assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"), index=True)
    role: Mapped[str] = mapped_column(String(32), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    acting_for_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(32), default="")
    pangkat: Mapped[str] = mapped_column(String(100), default="")
    jabatan: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))


class Cycle(Base):
    """One run of the SOP, e.g. the yearly DIK 2026 or a supplementary one."""

    __tablename__ = "cycles"
    id: Mapped[int] = mapped_column(primary_key=True)
    sop_key: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # The SOP version the cycle started with: it runs to the end on it (see sop_versions).
    sop_version: Mapped[int] = mapped_column(Integer, default=1)
    current_step: Mapped[int] = mapped_column(Integer, default=1)  # shown to people
    current_step_key: Mapped[str] = mapped_column(String(48), default="")
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    published_url: Mapped[str | None] = mapped_column(String(500))
    collect_deadline: Mapped[datetime | None]
    # A Tim UK member the ketua assigned to record the test (step 7), besides the ketua.
    tester_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))


class SopVersion(Base):
    """The text of every SOP version a cycle was started on, so that a cycle runs to its end on
    the version it started with after the office installs a revised SOP file."""

    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("sop_key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sop_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime]


class StepRun(Base):
    """One holder's turn at one phase of one step; a rejection opens a new run."""

    __tablename__ = "step_runs"
    __table_args__ = (Index("ix_step_runs_status_due", "status", "due_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    step_key: Mapped[str] = mapped_column(String(48))  # what the engine reads
    step_no: Mapped[int] = mapped_column(Integer)  # its number in the cycle's SOP, for display
    phase: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    holder_role: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    assigned_at: Mapped[datetime]
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Set when the run is one office's alone (a collect step reopened for it by a verify step).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))


class Proposal(Base):
    """An OPD's answer to step 3: rows, or nihil. Drafts become submitted; nothing is deleted."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    nihil: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    submitted_at: Mapped[datetime | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    agenda_no: Mapped[int | None] = mapped_column(Integer)


class ProposalRow(Base):
    __tablename__ = "proposal_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    informasi: Mapped[str] = mapped_column(Text)
    dasar_hukum: Mapped[str] = mapped_column(Text)
    bases: Mapped[str] = mapped_column(String(200))
    other_law: Mapped[str | None] = mapped_column(Text)
    konsekuensi_dibuka: Mapped[str] = mapped_column(Text, default="")
    konsekuensi_ditutup: Mapped[str] = mapped_column(Text, default="")
    jangka_waktu: Mapped[str] = mapped_column(Text)
    source_row: Mapped[int | None] = mapped_column(Integer)


class Decision(Base):
    """The Tim Uji Konsekuensi's decision on one proposal row; a later one supersedes."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    proposal_row_id: Mapped[int] = mapped_column(ForeignKey("proposal_rows.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    blacked_out: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    decided_at: Mapped[datetime]
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    # The consequence test as recorded by the Tim UK (may differ from the OPD's proposal).
    bases: Mapped[str | None] = mapped_column(String(200))
    other_law: Mapped[str | None] = mapped_column(Text)
    konsekuensi_dibuka: Mapped[str | None] = mapped_column(Text)
    konsekuensi_ditutup: Mapped[str | None] = mapped_column(Text)
    jangka_waktu: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="chat", server_default="chat")
    # Why the Tim declared the item "terbuka" (required for that decision, else None).
    open_reason: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    """Every version of every file, generated or uploaded; never overwritten."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("cycle_id", "kind", "office_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    step_no: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    filename: Mapped[str] = mapped_column(String(200))
    #: An upload's name as it was sent (never used as a file name; see bot.documents.names).
    original_filename: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    # loaded only when asked for (get_document): listing documents does not read the files
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True, deferred_raiseload=True)
    letter_number: Mapped[str | None] = mapped_column(String(100))
    uploaded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))


class RenderJob(Base):
    """A document to render after the act that created its row: the maker's renderer and a
    snapshot of everything the document shows, taken in the act (JSON). The worker writes
    only the document's content and the job's result; a job left pending by a crash is
    picked up again at start-up."""

    __tablename__ = "render_jobs"
    __table_args__ = (Index("ix_render_jobs_due", "done_at", "next_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    renderer: Mapped[str] = mapped_column(String(48))
    snapshot: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime]
    next_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]


class SignatureCheck(Base):
    """What the verification of an uploaded PDF's electronic signatures found (one per file).

    ``sha256`` is that of the bytes that were checked (the document's own); ``status`` is one of
    bot.signatures.STATUSES; ``signer`` and ``signed_at`` are those of the signature that sets the
    status; ``detail`` keeps every signature in pyHanko's words."""

    __tablename__ = "signature_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    signer: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[datetime | None]
    time_source: Mapped[str] = mapped_column(String(16), default="")  # timestamp / claimed
    reason: Mapped[str] = mapped_column(String(16), default="")
    signatures: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="")
    checked_at: Mapped[datetime]


class LetterCounter(Base):
    __tablename__ = "letter_counters"
    pattern: Mapped[str] = mapped_column(String(120), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Append-only log of every act and every refused attempt."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    step_run_id: Mapped[int | None] = mapped_column(ForeignKey("step_runs.id"))
    action: Mapped[str] = mapped_column(String(48))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")


class OutboxMessage(Base):
    """A message owed to an official, written in the same transaction as the act behind it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    ack_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    acknowledged_at: Mapped[datetime | None]


class Nudge(Base):
    """A reminder owed for a step run; recorded before it is sent, at most once per key."""

    __tablename__ = "nudges"
    __table_args__ = (UniqueConstraint("step_run_id", "official_id", "kind", "work_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    step_run_id: Mapped[int] = mapped_column(ForeignKey("step_runs.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    kind: Mapped[str] = mapped_column(String(32))
    work_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))


class ExtraDay(Base):
    """An admin's calendar override: an extra holiday, or a listed holiday worked anyway."""

    __tablename__ = "extra_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(200))


class PtbState(Base):
    """PTB persistence: conversations and user data, as JSON."""

    __tablename__ = "ptb_state"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class Meeting(Base):
    """The Tim Uji Konsekuensi's meeting (step 6's Surat Undangan); the newest one counts."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(300))
    agenda: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    created_at: Mapped[datetime]


class Attendance(Base):
    """A member's answer to the invitation (Hadir / Tidak hadir); the last answer counts."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "official_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    present: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime]


class ItemView(Base):
    """A Tim UK member's view on one item, recorded for the lembar."""

    __tablename__ = "item_views"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    proposal_row_id: Mapped[int] = mapped_column(ForeignKey("proposal_rows.id"))
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class LembarApproval(Base):
    """A present member's approval of one version of the Lembar Pengujian Konsekuensi."""

    __tablename__ = "lembar_approvals"
    __table_args__ = (UniqueConstraint("cycle_id", "official_id", "lembar_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    lembar_version: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[datetime]


class DipEntry(Base):
    """One item of an OPD's Daftar Informasi Publik. The DIP in force is every entry not
    superseded; a new list supersedes the old one (kept, with the cycle that set each)."""

    __tablename__ = "dip_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ringkasan: Mapped[str] = mapped_column(Text)
    pejabat: Mapped[str] = mapped_column(Text)
    penanggung_jawab: Mapped[str] = mapped_column(Text)
    waktu_tempat: Mapped[str] = mapped_column(Text)
    bentuk: Mapped[str] = mapped_column(String(32))  # "cetak", "elektronik", "cetak,elektronik"
    retensi: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(String(16))  # berkala, serta_merta, setiap_saat
    set_in_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    valid_from: Mapped[datetime]
    superseded_at: Mapped[datetime | None]


class DipSubmission(Base):
    """An OPD's answer in a DIP cycle: rows, or "tidak ada perubahan"; reviewed by the petugas
    (accepted, or returned with notes, after which the OPD sends a new attempt)."""

    __tablename__ = "dip_submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    unchanged: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))
    submitted_at: Mapped[datetime | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    review_notes: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"))


class DipSubmissionRow(Base):
    __tablename__ = "dip_submission_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("dip_submissions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(32), default="")
    ringkasan: Mapped[str] = mapped_column(Text)
    pejabat: Mapped[str] = mapped_column(Text)
    penanggung_jawab: Mapped[str] = mapped_column(Text)
    waktu_tempat: Mapped[str] = mapped_column(Text)
    bentuk: Mapped[str] = mapped_column(String(32))
    retensi: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(String(16))
    source_row: Mapped[int | None] = mapped_column(Integer)


class StateVersion(Base):
    """A stamp per area of what the hot views read (people, runs), set anew by every
    transaction that writes one of the area's tables (storage/versions.py), in that
    transaction: a process's in-memory read model is valid while the stamps it was read at
    are still the stored ones."""

    __tablename__ = "state_version"
    area: Mapped[str] = mapped_column(String(16), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)
