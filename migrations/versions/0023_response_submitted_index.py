"""Indexes for "Youth voice in numbers" (#16): the responses sent in a
period, with the columns its measures count (consultation, person), and the
same by age band and by district, so a period's counts read ranges of these
indexes and not the whole table.

Reviewed by hand: three new indexes, no data changed. On PostgreSQL they are
built CONCURRENTLY (outside a transaction), so answers can still be sent while
a county's table is indexed.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

from contextlib import nullcontext

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


INDEXES = {
    "ix_consultation_response_sent": ["status", "submitted_at", "consultation_id", "respondent_id"],
    "ix_consultation_response_sent_age_band": ["status", "age_band", "submitted_at"],
    "ix_consultation_response_sent_district": ["status", "district", "submitted_at"],
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    concurrently = _postgresql()
    with op.get_context().autocommit_block() if concurrently else nullcontext():
        for name, columns in INDEXES.items():
            op.create_index(name, "consultation_response", columns, postgresql_concurrently=concurrently)


def downgrade():
    concurrently = _postgresql()
    with op.get_context().autocommit_block() if concurrently else nullcontext():
        for name in reversed(INDEXES):
            op.drop_index(name, table_name="consultation_response", postgresql_concurrently=concurrently)
