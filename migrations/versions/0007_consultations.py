"""Consultations: requests and their questions, responses, answers (with
moderation), and the counters results are read from.

Reviewed by hand: questions, responses, answers and counters go with their
consultation (ON DELETE CASCADE); answers with their response; a deleted
account leaves its answers without a name (SET NULL). One response per
signed-in person and consultation (unique; visitors have no account, so
NULLs do not clash). Counters are unique per key so two submissions add to
the same row.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)

def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('what_happens', sa.Text(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('anonymous_to_partner', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', Timestamp, nullable=True),
    sa.Column('results_released_at', Timestamp, nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('feedback_published_at', Timestamp, nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.CheckConstraint("audience IN ('youth_cabinet', 'young_people', 'public')", name=op.f('ck_consultation_audience_known')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'approved')", name=op.f('ck_consultation_status_known')),
    sa.CheckConstraint('closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on', name=op.f('ck_consultation_closes_after_opening')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_consultation_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['user.id'], name=op.f('fk_consultation_partner_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_consultation_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    op.create_index(op.f('ix_consultation_closes_on'), 'consultation', ['closes_on'])
    op.create_index(op.f('ix_consultation_partner_id'), 'consultation', ['partner_id'])
    op.create_index(op.f('ix_consultation_status'), 'consultation', ['status'])

    op.create_table('consultation_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('prompt', sa.String(length=500), nullable=False),
    sa.Column('help', sa.String(length=1000), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('low_label', sa.String(length=100), nullable=False),
    sa.Column('high_label', sa.String(length=100), nullable=False),
    sa.CheckConstraint("kind IN ('short_text', 'long_text', 'single', 'multiple', 'rating', 'ranking')", name=op.f('ck_consultation_question_kind_known')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_question_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_question'))
    )
    op.create_index(op.f('ix_consultation_question_consultation_id'), 'consultation_question', ['consultation_id'])

    op.create_table('consultation_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=True),
    sa.Column('visitor_token', sa.String(length=64), nullable=True),
    sa.Column('age_band', sa.String(length=20), nullable=False),
    sa.Column('district', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('tell_me', sa.Boolean(), nullable=False),
    sa.Column('started_at', Timestamp, nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.Column('submitted_at', Timestamp, nullable=True),
    sa.CheckConstraint("status IN ('in_progress', 'submitted')", name=op.f('ck_consultation_response_status_known')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_response_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['respondent_id'], ['user.id'], name=op.f('fk_consultation_response_respondent_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_response')),
    sa.UniqueConstraint('consultation_id', 'respondent_id', name='uq_consultation_response_person'),
    sa.UniqueConstraint('visitor_token', name=op.f('uq_consultation_response_visitor_token'))
    )
    op.create_index('ix_consultation_response_submitted', 'consultation_response', ['consultation_id', 'status'])

    op.create_table('consultation_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_consultation_tally_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_tally')),
    sa.UniqueConstraint('consultation_id', 'question_id', 'option', 'number', 'dimension', 'value', name='uq_consultation_tally_key')
    )
    op.create_table('consultation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('moderation', sa.String(length=20), nullable=False),
    sa.Column('flags', sa.String(length=200), nullable=False),
    sa.Column('moderation_reason', sa.String(length=500), nullable=False),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', Timestamp, nullable=True),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.CheckConstraint("moderation IN ('pending', 'approved', 'hidden')", name=op.f('ck_consultation_answer_moderation_known')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['user.id'], name=op.f('fk_consultation_answer_moderated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_question.id'], name=op.f('fk_consultation_answer_question_id_consultation_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_response.id'], name=op.f('fk_consultation_answer_response_id_consultation_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answer'))
    )
    op.create_index('ix_consultation_answer_question_option', 'consultation_answer', ['question_id', 'option'])
    op.create_index('ix_consultation_answer_quotes', 'consultation_answer', ['question_id', 'moderation', 'id'])
    op.create_index(op.f('ix_consultation_answer_response_id'), 'consultation_answer', ['response_id'])



def downgrade():
    op.drop_index(op.f('ix_consultation_answer_response_id'), table_name='consultation_answer')
    op.drop_index('ix_consultation_answer_quotes', table_name='consultation_answer')
    op.drop_index('ix_consultation_answer_question_option', table_name='consultation_answer')

    op.drop_table('consultation_answer')
    op.drop_table('consultation_tally')
    op.drop_index('ix_consultation_response_submitted', table_name='consultation_response')

    op.drop_table('consultation_response')
    op.drop_index(op.f('ix_consultation_question_consultation_id'), table_name='consultation_question')

    op.drop_table('consultation_question')
    op.drop_index(op.f('ix_consultation_status'), table_name='consultation')
    op.drop_index(op.f('ix_consultation_partner_id'), table_name='consultation')
    op.drop_index(op.f('ix_consultation_closes_on'), table_name='consultation')

    op.drop_table('consultation')
