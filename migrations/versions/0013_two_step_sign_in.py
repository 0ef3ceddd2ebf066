"""Two-step sign-in for adults (#15): the authenticator app's secret on the
user, single-use recovery codes, and remembered devices.

Reviewed by hand: new nullable columns (nobody has two-step sign-in yet) and
two new tables, each row deleted with its person (CASCADE).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("two_step_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("two_step_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("two_step_last_step", sa.BigInteger(), nullable=True))
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_recovery_code_user_id_user", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_code"),
        sa.UniqueConstraint("code_hash", name="uq_recovery_code_code_hash"),
    )
    op.create_index("ix_recovery_code_user_id", "recovery_code", ["user_id"])
    op.create_table(
        "remembered_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_remembered_device_user_id_user", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_remembered_device"),
        sa.UniqueConstraint("token_hash", name="uq_remembered_device_token_hash"),
    )
    op.create_index("ix_remembered_device_user_id", "remembered_device", ["user_id"])


def downgrade():
    op.drop_index("ix_remembered_device_user_id", table_name="remembered_device")
    op.drop_table("remembered_device")
    op.drop_index("ix_recovery_code_user_id", table_name="recovery_code")
    op.drop_table("recovery_code")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("two_step_last_step")
        batch.drop_column("two_step_enabled_at")
        batch.drop_column("two_step_secret")
