"""Plan items can be cancelled with a reason (#14.4): they stay on the plan,
crossed out, with why.

Reviewed by hand: new columns only, empty for every existing item (nothing is
cancelled); who cancelled may later be deleted (SET NULL).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_item") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cancel_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_plan_item_cancelled_by_id_user", "user", ["cancelled_by_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("plan_item") as batch:
        batch.drop_constraint("fk_plan_item_cancelled_by_id_user", type_="foreignkey")
        batch.drop_column("cancelled_by_id")
        batch.drop_column("cancel_reason")
        batch.drop_column("cancelled_at")
