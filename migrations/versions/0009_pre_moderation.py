"""Pre-moderation of what young people and partners make public (#13.5): a
lead's changes to a published campaign wait for approval; so does a partner's
"You said, we did".

Reviewed by hand: new columns only, empty or NULL for every existing row, so
nothing stored today changes meaning (no changes are waiting). The person who
proposed changes may be deleted: their proposal stays, unnamed (SET NULL).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(sa.Column("pending", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("pending_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pending_at", Timestamp, nullable=True))
        batch.add_column(sa.Column("pending_comment", sa.Text(), nullable=False, server_default=""))
        batch.create_foreign_key(
            "fk_campaign_pending_by_id_user", "user", ["pending_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("consultation") as batch:
        batch.add_column(sa.Column("feedback_pending", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("feedback_submitted_at", Timestamp, nullable=True))
        batch.add_column(sa.Column("feedback_review_comment", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("consultation") as batch:
        batch.drop_column("feedback_review_comment")
        batch.drop_column("feedback_submitted_at")
        batch.drop_column("feedback_pending")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_constraint("fk_campaign_pending_by_id_user", type_="foreignkey")
        batch.drop_column("pending_comment")
        batch.drop_column("pending_at")
        batch.drop_column("pending_by_id")
        batch.drop_column("pending")
