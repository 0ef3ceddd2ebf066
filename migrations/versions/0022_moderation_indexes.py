"""Indexes for the moderation queue and the decided answers at a county's
scale (#16): each list reads its page of written answers in order, and the
waiting count stops at a cap, instead of sorting and counting every answer.

Reviewed by hand: three new indexes, partial (written answers only: the
option and rating rows, most of the table, stay out of them); no data changes.
On PostgreSQL they are built CONCURRENTLY (outside a transaction), so answers
can still be saved while a county's table is indexed.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30
"""

from contextlib import nullcontext

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

WRITTEN = sa.text("text IS NOT NULL")


INDEXES = {
    "ix_consultation_answer_waiting": ["moderation", "flags", "id"],
    "ix_consultation_answer_decided": ["moderation", "moderated_at", "id"],
    "ix_consultation_answer_decided_all": ["moderated_at", "id"],
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    concurrently = _postgresql()
    with op.get_context().autocommit_block() if concurrently else nullcontext():
        for name, columns in INDEXES.items():
            op.create_index(
                name,
                "consultation_answer",
                columns,
                sqlite_where=WRITTEN,
                postgresql_where=WRITTEN,
                postgresql_concurrently=concurrently,
            )


def downgrade():
    concurrently = _postgresql()
    with op.get_context().autocommit_block() if concurrently else nullcontext():
        for name in reversed(INDEXES):
            op.drop_index(name, table_name="consultation_answer", postgresql_concurrently=concurrently)
