"""Campaigns: campaigns, their leads and goals, and the reach log.

Reviewed by hand: unique titles and slugs; counts of people are never
negative (check constraints); a campaign's leads, goals and reach entries go
with it (ON DELETE CASCADE).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('portfolio_id', sa.Integer(), nullable=True),
    sa.Column('published_at', Timestamp, nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.CheckConstraint("status IN ('planned', 'active', 'paused', 'closed')", name=op.f('ck_campaign_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_campaign_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolio.id'], name=op.f('fk_campaign_portfolio_id_portfolio'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign')),
    sa.UniqueConstraint('slug', name=op.f('uq_campaign_slug')),
    sa.UniqueConstraint('title', name=op.f('uq_campaign_title'))
    )
    op.create_index(op.f('ix_campaign_portfolio_id'), 'campaign', ['portfolio_id'])

    op.create_table('campaign_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('target_people', sa.Integer(), nullable=False),
    sa.CheckConstraint('target_people > 0', name=op.f('ck_campaign_goal_target_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_goal_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_goal'))
    )
    op.create_index(op.f('ix_campaign_goal_campaign_id'), 'campaign_goal', ['campaign_id'])

    op.create_table('campaign_lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_lead_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_campaign_lead_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_lead')),
    sa.UniqueConstraint('campaign_id', 'user_id', name='uq_campaign_lead_campaign_user')
    )
    op.create_index(op.f('ix_campaign_lead_campaign_id'), 'campaign_lead', ['campaign_id'])
    op.create_index(op.f('ix_campaign_lead_user_id'), 'campaign_lead', ['user_id'])

    op.create_table('reach_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('impressions', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.CheckConstraint("channel IN ('social_media', 'school_assembly', 'event', 'other')", name=op.f('ck_reach_entry_channel_known')),
    sa.CheckConstraint('impressions IS NULL OR impressions >= 0', name=op.f('ck_reach_entry_impressions_not_negative')),
    sa.CheckConstraint('people >= 0', name=op.f('ck_reach_entry_people_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_reach_entry_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_reach_entry_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reach_entry'))
    )
    op.create_index(op.f('ix_reach_entry_campaign_id'), 'reach_entry', ['campaign_id'])



def downgrade():
    op.drop_index(op.f('ix_reach_entry_campaign_id'), table_name='reach_entry')

    op.drop_table('reach_entry')
    op.drop_index(op.f('ix_campaign_lead_user_id'), table_name='campaign_lead')
    op.drop_index(op.f('ix_campaign_lead_campaign_id'), table_name='campaign_lead')

    op.drop_table('campaign_lead')
    op.drop_index(op.f('ix_campaign_goal_campaign_id'), table_name='campaign_goal')

    op.drop_table('campaign_goal')
    op.drop_index(op.f('ix_campaign_portfolio_id'), table_name='campaign')

    op.drop_table('campaign')
