"""Electronic signatures of uploaded signed letters: what the verification found, per file.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signature_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('signer', sa.String(length=200), nullable=True),
    sa.Column('signed_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('time_source', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('signatures', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('checked_at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_signature_checks_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature_checks')),
    sa.UniqueConstraint('document_id', name=op.f('uq_signature_checks_document_id'))
    )


def downgrade() -> None:
    op.drop_table('signature_checks')
