"""The update's details and its sign-off each have their own version (#14.15):
saving one from an older page is refused only when that same form changed.

Reviewed by hand: ``version`` (shared by both forms) becomes
``details_version``, keeping its value; ``sign_off_version`` is added with the
same value, so a page opened before the upgrade still saves either form. The
downgrade keeps the higher of the two in ``version``, so a page opened since
is still seen as older than the data when it is.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cabinet_update") as batch:
        batch.alter_column(
            "version", new_column_name="details_version", existing_type=sa.Integer(), existing_nullable=False
        )
        batch.add_column(sa.Column("sign_off_version", sa.Integer(), nullable=False, server_default="1"))
    op.execute(sa.text("UPDATE cabinet_update SET sign_off_version = details_version"))


def downgrade():
    op.execute(
        sa.text("UPDATE cabinet_update SET details_version = sign_off_version WHERE sign_off_version > details_version")
    )
    with op.batch_alter_table("cabinet_update") as batch:
        batch.drop_column("sign_off_version")
        batch.alter_column(
            "details_version", new_column_name="version", existing_type=sa.Integer(), existing_nullable=False
        )
