"""Steps are named by key, and every cycle runs on the SOP version it started with.

Adds `sop_versions` (the stored text of each SOP version a cycle started on), the cycle's
`sop_version` and `current_step_key`, and each step run's `step_key`. Existing cycles ran on the
first SOP file, which had no keys: its step numbers are mapped to the keys that file now gives
them (version 1 of `usulan_dik`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

import storage.models

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

#: The step keys of `usulan_dik` version 1, by the step numbers stored before keys existed.
USULAN_DIK_V1 = {
    1: "nota_dinas",
    2: "surat_permintaan",
    3: "usulan_opd",
    4: "surat_pengantar",
    5: "penyampaian_usulan",
    6: "disposisi_uji",
    7: "uji_konsekuensi",
    8: "rancangan_sk",
    9: "penandatanganan_sk",
    10: "publikasi",
}


def upgrade() -> None:
    op.create_table(
        'sop_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sop_key', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('installed_at', storage.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_versions')),
        sa.UniqueConstraint('sop_key', 'version', name=op.f('uq_sop_versions_sop_key')),
    )
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sop_version', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.add_column(
            sa.Column('current_step_key', sa.String(length=48), nullable=False, server_default='')
        )
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_key', sa.String(length=48), nullable=True))

    cycles = sa.table(
        'cycles',
        sa.column('id', sa.Integer),
        sa.column('sop_key', sa.String),
        sa.column('current_step', sa.Integer),
        sa.column('current_step_key', sa.String),
    )
    runs = sa.table(
        'step_runs',
        sa.column('cycle_id', sa.Integer),
        sa.column('step_no', sa.Integer),
        sa.column('step_key', sa.String),
    )
    conn = op.get_bind()
    dik = sa.select(cycles.c.id).where(cycles.c.sop_key == 'usulan_dik')
    for number, key in USULAN_DIK_V1.items():
        conn.execute(
            cycles.update()
            .where(cycles.c.sop_key == 'usulan_dik', cycles.c.current_step == number)
            .values(current_step_key=key)
        )
        conn.execute(
            runs.update()
            .where(runs.c.step_no == number, runs.c.cycle_id.in_(dik))
            .values(step_key=key)
        )
    # Offline (`migrate --dry-run` printing the SQL) there are no rows to check.
    offline = context.is_offline_mode()
    left = 0 if offline else conn.execute(
        sa.select(sa.func.count()).where(runs.c.step_key.is_(None))
    ).scalar()
    if left:
        raise RuntimeError(
            f"{left} step runs belong to a SOP other than usulan_dik v1 and cannot be given a key"
        )
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.alter_column('step_key', existing_type=sa.String(length=48), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.drop_column('step_key')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('current_step_key')
        batch_op.drop_column('sop_version')
    op.drop_table('sop_versions')
