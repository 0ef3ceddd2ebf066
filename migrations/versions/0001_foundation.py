"""Foundation: accounts, the audit log and the Cabinet's portfolios.

Reviewed by hand: timestamps are timezone-aware (the models' UTCDateTime reads
them back in UTC on SQLite and PostgreSQL alike); constraint names follow the
naming convention in portal/models/base.py so later migrations can drop them.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("age_band", sa.String(length=10), nullable=True),
        sa.Column("district", sa.String(length=60), nullable=True),
        sa.Column("organisation", sa.String(length=120), nullable=True),
        sa.Column("job_title", sa.String(length=120), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("invited_at", Timestamp, nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("last_signed_in_at", Timestamp, nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.CheckConstraint(
            "role IN ('young_person', 'youth_member', 'chair', 'cabinet_member', 'partner', 'officer')",
            name=op.f("ck_user_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["user.id"], name=op.f("fk_user_invited_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("email", name=op.f("uq_user_email")),
    )

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name=op.f("fk_audit_entry_actor_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_actor_id"), "audit_entry", ["actor_id"])
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"])

    op.create_table(
        "portfolio",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cabinet_member_id", sa.Integer(), nullable=True),
        sa.Column("youth_capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("youth_capacity >= 0", name=op.f("ck_portfolio_capacity_not_negative")),
        sa.ForeignKeyConstraint(
            ["cabinet_member_id"], ["user.id"], name=op.f("fk_portfolio_cabinet_member_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio")),
        sa.UniqueConstraint("name", name=op.f("uq_portfolio_name")),
    )
    op.create_index(op.f("ix_portfolio_cabinet_member_id"), "portfolio", ["cabinet_member_id"])


def downgrade():
    op.drop_index(op.f("ix_portfolio_cabinet_member_id"), table_name="portfolio")
    op.drop_table("portfolio")
    op.drop_index(op.f("ix_audit_entry_at"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_actor_id"), table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_table("user")
