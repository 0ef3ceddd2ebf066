"""Facts in the Chair's statement keep their sources (#17.5): the facts from
the portal that the Chair put in the text, each with the link to where it
comes from, kept beside the text of the statement and of each revision.

Reviewed by hand: two JSON columns, an empty list for every existing row
(statements written before this revision name no sources).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("chair_statement") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("statement_revision") as batch:
        batch.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default="[]"))


def downgrade():
    with op.batch_alter_table("statement_revision") as batch:
        batch.drop_column("sources")
    with op.batch_alter_table("chair_statement") as batch:
        batch.drop_column("sources")
