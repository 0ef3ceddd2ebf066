"""Changing sent answers on a copy: the sent answers keep counting until the
changed ones are sent (#12.3).

Reviewed by hand: two flags, false for every existing row, so every response
and answer stored today keeps its meaning (sent answers stay sent; nothing is
being changed).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation_response') as batch:
        batch.add_column(sa.Column('changing', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('consultation_answer') as batch:
        batch.add_column(sa.Column('draft', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    # Draft copies are not answers anyone sent: they go with the flags.
    op.execute(sa.text("DELETE FROM consultation_answer WHERE draft"))
    with op.batch_alter_table('consultation_answer') as batch:
        batch.drop_column('draft')
    with op.batch_alter_table('consultation_response') as batch:
        batch.drop_column('changing')
