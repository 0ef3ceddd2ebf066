"""Indexes for "Youth voice in numbers" (#16): the responses sent in a
period, with the columns its measures count (consultation, person), and the
same by age band and by district, so a period's counts read ranges of these
indexes and not the whole table.

Reviewed by hand: three new indexes, no data changed.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_consultation_response_sent",
        "consultation_response",
        ["status", "submitted_at", "consultation_id", "respondent_id"],
    )
    op.create_index(
        "ix_consultation_response_sent_age_band", "consultation_response", ["status", "age_band", "submitted_at"]
    )
    op.create_index(
        "ix_consultation_response_sent_district", "consultation_response", ["status", "district", "submitted_at"]
    )


def downgrade():
    op.drop_index("ix_consultation_response_sent_district", table_name="consultation_response")
    op.drop_index("ix_consultation_response_sent_age_band", table_name="consultation_response")
    op.drop_index("ix_consultation_response_sent", table_name="consultation_response")
