"""The Chair's monthly statement: statements, revisions, review steps; and notifications.

Reviewed by hand: one statement per month (unique month); revisions and review
steps go with their statement (ON DELETE CASCADE); authors may leave (SET NULL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('chair_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.Column('submitted_at', Timestamp, nullable=True),
    sa.Column('accepted_at', Timestamp, nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'changes_requested', 'accepted')", name=op.f('ck_chair_statement_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_chair_statement_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_chair_statement_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chair_statement')),
    sa.UniqueConstraint('month', name=op.f('uq_chair_statement_month'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('read_at', Timestamp, nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    op.create_index(op.f('ix_notification_user_id'), 'notification', ['user_id'])

    op.create_table('statement_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', Timestamp, nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_statement_review_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['chair_statement.id'], name=op.f('fk_statement_review_statement_id_chair_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_review'))
    )
    op.create_index(op.f('ix_statement_review_statement_id'), 'statement_review', ['statement_id'])

    op.create_table('statement_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('saved_at', Timestamp, nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_statement_revision_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['chair_statement.id'], name=op.f('fk_statement_revision_statement_id_chair_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_revision'))
    )
    op.create_index(op.f('ix_statement_revision_statement_id'), 'statement_revision', ['statement_id'])



def downgrade():
    op.drop_index(op.f('ix_statement_revision_statement_id'), table_name='statement_revision')

    op.drop_table('statement_revision')
    op.drop_index(op.f('ix_statement_review_statement_id'), table_name='statement_review')

    op.drop_table('statement_review')
    op.drop_index(op.f('ix_notification_user_id'), table_name='notification')

    op.drop_table('notification')
    op.drop_table('chair_statement')
