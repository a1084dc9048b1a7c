"""A step run may belong to one office: a collect step reopened for the office whose answer a
verify step returned (only that office answers again, on its own clock).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("step_runs") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_step_runs_office_id", "offices", ["office_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("step_runs") as batch:
        batch.drop_constraint("fk_step_runs_office_id", type_="foreignkey")
        batch.drop_column("office_id")
