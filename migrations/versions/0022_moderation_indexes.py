"""Indexes for the moderation queue and the decided answers at a county's
scale (#16): each list reads its page of written answers in order, and the
waiting count stops at a cap, instead of sorting and counting every answer.

Reviewed by hand: three new indexes, partial (written answers only: the
option and rating rows, most of the table, stay out of them); no data changes.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

WRITTEN = sa.text("text IS NOT NULL")


def upgrade():
    op.create_index(
        "ix_consultation_answer_waiting",
        "consultation_answer",
        ["moderation", "flags", "id"],
        sqlite_where=WRITTEN,
        postgresql_where=WRITTEN,
    )
    op.create_index(
        "ix_consultation_answer_decided",
        "consultation_answer",
        ["moderation", "moderated_at", "id"],
        sqlite_where=WRITTEN,
        postgresql_where=WRITTEN,
    )
    op.create_index(
        "ix_consultation_answer_decided_all",
        "consultation_answer",
        ["moderated_at", "id"],
        sqlite_where=WRITTEN,
        postgresql_where=WRITTEN,
    )


def downgrade():
    op.drop_index("ix_consultation_answer_decided_all", table_name="consultation_answer")
    op.drop_index("ix_consultation_answer_decided", table_name="consultation_answer")
    op.drop_index("ix_consultation_answer_waiting", table_name="consultation_answer")
