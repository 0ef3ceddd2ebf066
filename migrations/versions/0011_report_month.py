"""The month a published update reports on (#14.13): the archive files a
November report under November, even when it is read at a December meeting.

Reviewed by hand: the column is added empty, filled for every published
version from its update's period (first day of the period's month) or, with
no period, its meeting date's month, then made NOT NULL. The downgrade drops
it (the archive then files by meeting again).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("update_version") as batch:
        batch.add_column(sa.Column("report_month", sa.Date(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT v.id, u.period_start, u.period_end, v.meeting_date "
            "FROM update_version v JOIN cabinet_update u ON u.id = v.update_id"
        )
    ).all()
    for version_id, period_start, period_end, meeting_date in rows:
        day = period_start or period_end or meeting_date
        if isinstance(day, str):  # SQLite hands dates back as text
            day = date.fromisoformat(day)
        connection.execute(
            sa.text("UPDATE update_version SET report_month = :month WHERE id = :id"),
            {"month": day.replace(day=1), "id": version_id},
        )
    with op.batch_alter_table("update_version") as batch:
        batch.alter_column("report_month", existing_type=sa.Date(), nullable=False)
        batch.create_index(batch.f("ix_update_version_report_month"), ["report_month"], unique=False)


def downgrade():
    with op.batch_alter_table("update_version") as batch:
        batch.drop_index(batch.f("ix_update_version_report_month"))
        batch.drop_column("report_month")
