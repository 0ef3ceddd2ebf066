"""The Youth Cabinet's offices and annual plan, with the history of moved items.

Reviewed by hand: an office ends on or after it starts; a plan item's moves
go with it (ON DELETE CASCADE); an item may point at a campaign (SET NULL).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_office_ends_after_start')),
    sa.ForeignKeyConstraint(['holder_id'], ['user.id'], name=op.f('fk_office_holder_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office'))
    )
    op.create_index(op.f('ix_office_holder_id'), 'office', ['holder_id'])

    op.create_table('plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.CheckConstraint("kind IN ('meeting', 'event', 'campaign', 'deadline', 'consultation')", name=op.f('ck_plan_item_kind_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_plan_item_campaign_id_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_plan_item_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_item'))
    )
    op.create_index(op.f('ix_plan_item_on'), 'plan_item', ['on'])

    op.create_table('plan_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('to_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.Column('at', Timestamp, nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_plan_move_item_id_plan_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moved_by_id'], ['user.id'], name=op.f('fk_plan_move_moved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_move'))
    )
    op.create_index(op.f('ix_plan_move_item_id'), 'plan_move', ['item_id'])



def downgrade():
    op.drop_index(op.f('ix_plan_move_item_id'), table_name='plan_move')

    op.drop_table('plan_move')
    op.drop_index(op.f('ix_plan_item_on'), table_name='plan_item')

    op.drop_table('plan_item')
    op.drop_index(op.f('ix_office_holder_id'), table_name='office')

    op.drop_table('office')
