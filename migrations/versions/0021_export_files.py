"""Spreadsheets of a consultation's responses made by a background job
(#16.1): progress while the worker makes it, then the file, deleted by the
retention rule a day later.

Reviewed by hand: one new table; its rows go with their consultation or with
the person who asked (CASCADE).

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "export_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'making', 'ready', 'failed')", name=op.f("ck_export_file_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name="fk_export_file_consultation_id_consultation",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["user.id"], name="fk_export_file_requested_by_id_user", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_export_file"),
    )
    op.create_index("ix_export_file_consultation_id", "export_file", ["consultation_id"])
    op.create_index("ix_export_file_requested_by_id", "export_file", ["requested_by_id"])
    op.create_index("ix_export_file_created_at", "export_file", ["created_at"])


def downgrade():
    op.drop_table("export_file")
