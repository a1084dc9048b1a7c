"""Durable render jobs: a document's row is written by the act, its content after it.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "render_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("renderer", sa.String(length=48), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("next_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("done_at", storage.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_render_jobs_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_render_jobs")),
        sa.UniqueConstraint("document_id", name=op.f("uq_render_jobs_document_id")),
    )
    op.create_index("ix_render_jobs_due", "render_jobs", ["done_at", "next_at"])


def downgrade() -> None:
    op.drop_index("ix_render_jobs_due", table_name="render_jobs")
    op.drop_table("render_jobs")
