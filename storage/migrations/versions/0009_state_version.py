"""A stamp per area (people, runs) that every writing transaction sets: the read model's key.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "state_version",
        sa.Column("area", sa.String(length=16), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("area", name=op.f("pk_state_version")),
    )
    op.bulk_insert(table, [{"area": "people", "stamp": 0}, {"area": "runs", "stamp": 0}])


def downgrade() -> None:
    op.drop_table("state_version")
