"""The Daftar Informasi Publik: the DIP in force per OPD, and the OPDs' submissions.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _fields() -> list[sa.Column[object]]:
    return [
        sa.Column("ringkasan", sa.Text(), nullable=False),
        sa.Column("pejabat", sa.Text(), nullable=False),
        sa.Column("penanggung_jawab", sa.Text(), nullable=False),
        sa.Column("waktu_tempat", sa.Text(), nullable=False),
        sa.Column("bentuk", sa.String(32), nullable=False),
        sa.Column("retensi", sa.Text(), nullable=False),
        sa.Column("jenis", sa.String(16), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "dip_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_fields(),
        sa.Column("set_in_cycle_id", sa.Integer(), sa.ForeignKey("cycles.id"), nullable=True),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_dip_entries_office_id", "dip_entries", ["office_id"])
    op.create_table(
        "dip_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cycle_id", sa.Integer(), sa.ForeignKey("cycles.id"), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("unchanged", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("officials.id"), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("review_notes", sa.Text(), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("officials.id"), nullable=True),
    )
    op.create_index("ix_dip_submissions_cycle_id", "dip_submissions", ["cycle_id"])
    op.create_table(
        "dip_submission_rows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "submission_id", sa.Integer(), sa.ForeignKey("dip_submissions.id"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(32), nullable=False),
        *_fields(),
        sa.Column("source_row", sa.Integer(), nullable=True),
    )
    op.create_index(
        "ix_dip_submission_rows_submission_id", "dip_submission_rows", ["submission_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_dip_submission_rows_submission_id", "dip_submission_rows")
    op.drop_table("dip_submission_rows")
    op.drop_index("ix_dip_submissions_cycle_id", "dip_submissions")
    op.drop_table("dip_submissions")
    op.drop_index("ix_dip_entries_office_id", "dip_entries")
    op.drop_table("dip_entries")
