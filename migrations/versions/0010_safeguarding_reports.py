"""Safeguarding reports (#13.6, #13.5): "Report a concern" and "Report this",
and the officers' queue.

Reviewed by hand: one new table, nothing existing changes. A reporter or
the officer who handled a report may be deleted: the report stays, unnamed
(SET NULL), because safeguarding records are kept. The reference people are
given is unique. Kind, status and reason are CHECKed; a report about
something on the portal must say what and why.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "safeguarding_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("what", sa.String(length=60), nullable=True),
        sa.Column("what_label", sa.String(length=400), nullable=False),
        sa.Column("what_link", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", Timestamp, nullable=True),
        sa.Column("officer_note", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('concern', 'content')", name=op.f("ck_safeguarding_report_kind_known")),
        sa.CheckConstraint("status IN ('new', 'in_hand', 'closed')", name=op.f("ck_safeguarding_report_status_known")),
        sa.CheckConstraint(
            "reason IS NULL OR reason IN ('unkind', 'personal_details', 'not_true', 'something_else')",
            name=op.f("ck_safeguarding_report_reason_known"),
        ),
        sa.CheckConstraint(
            "kind = 'concern' OR (what IS NOT NULL AND reason IS NOT NULL)",
            name=op.f("ck_safeguarding_report_content_names_what"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["user.id"], name=op.f("fk_safeguarding_report_reporter_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"],
            ["user.id"],
            name=op.f("fk_safeguarding_report_handled_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_report")),
        sa.UniqueConstraint("reference", name=op.f("uq_safeguarding_report_reference")),
    )
    op.create_index(op.f("ix_safeguarding_report_created_at"), "safeguarding_report", ["created_at"])
    op.create_index(op.f("ix_safeguarding_report_reporter_id"), "safeguarding_report", ["reporter_id"])
    op.create_index(op.f("ix_safeguarding_report_status"), "safeguarding_report", ["status"])


def downgrade():
    op.drop_index(op.f("ix_safeguarding_report_status"), table_name="safeguarding_report")
    op.drop_index(op.f("ix_safeguarding_report_reporter_id"), table_name="safeguarding_report")
    op.drop_index(op.f("ix_safeguarding_report_created_at"), table_name="safeguarding_report")
    op.drop_table("safeguarding_report")
