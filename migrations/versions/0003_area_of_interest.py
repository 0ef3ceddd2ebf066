"""The Area of Interest programme: preference rounds, answers, ranked choices, pairings, shared logs.

Reviewed by hand: one answer and one pairing per member per round; a portfolio
ranked once per answer, one portfolio per rank, ranks 1 to 3; everything of a
round goes with it (ON DELETE CASCADE).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('preference_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('confirmed_at', Timestamp, nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed', 'proposed', 'confirmed')", name=op.f('ck_preference_round_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_preference_round_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preference_round'))
    )
    op.create_table('pairing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('choice_rank', sa.Integer(), nullable=True),
    sa.Column('changed_by_hand', sa.Boolean(), nullable=False),
    sa.Column('accepted_at', Timestamp, nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user.id'], name=op.f('fk_pairing_accepted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['user.id'], name=op.f('fk_pairing_member_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolio.id'], name=op.f('fk_pairing_portfolio_id_portfolio'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['preference_round.id'], name=op.f('fk_pairing_round_id_preference_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing')),
    sa.UniqueConstraint('round_id', 'member_id', name='uq_pairing_round_member')
    )
    op.create_index(op.f('ix_pairing_member_id'), 'pairing', ['member_id'])
    op.create_index(op.f('ix_pairing_portfolio_id'), 'pairing', ['portfolio_id'])
    op.create_index(op.f('ix_pairing_round_id'), 'pairing', ['round_id'])

    op.create_table('preference_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['user.id'], name=op.f('fk_preference_answer_member_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['preference_round.id'], name=op.f('fk_preference_answer_round_id_preference_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preference_answer')),
    sa.UniqueConstraint('round_id', 'member_id', name='uq_preference_answer_round_member')
    )
    op.create_index(op.f('ix_preference_answer_member_id'), 'preference_answer', ['member_id'])
    op.create_index(op.f('ix_preference_answer_round_id'), 'preference_answer', ['round_id'])

    op.create_table('pairing_log_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('who', sa.String(length=120), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.CheckConstraint("kind IN ('meeting', 'action')", name=op.f('ck_pairing_log_entry_kind_known')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_pairing_log_entry_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairing.id'], name=op.f('fk_pairing_log_entry_pairing_id_pairing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_log_entry'))
    )
    op.create_index(op.f('ix_pairing_log_entry_pairing_id'), 'pairing_log_entry', ['pairing_id'])

    op.create_table('preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.CheckConstraint('rank BETWEEN 1 AND 3', name=op.f('ck_preference_rank_one_to_three')),
    sa.ForeignKeyConstraint(['answer_id'], ['preference_answer.id'], name=op.f('fk_preference_answer_id_preference_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolio.id'], name=op.f('fk_preference_portfolio_id_portfolio'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preference')),
    sa.UniqueConstraint('answer_id', 'portfolio_id', name='uq_preference_answer_portfolio'),
    sa.UniqueConstraint('answer_id', 'rank', name='uq_preference_answer_rank')
    )
    op.create_index(op.f('ix_preference_answer_id'), 'preference', ['answer_id'])



def downgrade():
    op.drop_index(op.f('ix_preference_answer_id'), table_name='preference')

    op.drop_table('preference')
    op.drop_index(op.f('ix_pairing_log_entry_pairing_id'), table_name='pairing_log_entry')

    op.drop_table('pairing_log_entry')
    op.drop_index(op.f('ix_preference_answer_round_id'), table_name='preference_answer')
    op.drop_index(op.f('ix_preference_answer_member_id'), table_name='preference_answer')

    op.drop_table('preference_answer')
    op.drop_index(op.f('ix_pairing_round_id'), table_name='pairing')
    op.drop_index(op.f('ix_pairing_portfolio_id'), table_name='pairing')
    op.drop_index(op.f('ix_pairing_member_id'), table_name='pairing')

    op.drop_table('pairing')
    op.drop_table('preference_round')
