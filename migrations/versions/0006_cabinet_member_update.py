"""The Cabinet Member's update: sections, numbered paragraphs, saved texts, published versions.

Reviewed by hand: sections, paragraphs and revisions go with their update
(ON DELETE CASCADE); a published version can never be deleted with its update
(RESTRICT: what is published stays readable); an author with updates cannot be
deleted (RESTRICT), only deactivated. Paragraph numbers are not stored: they
are the paragraph's place in the document.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)

def upgrade():
    op.create_table('cabinet_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('statement_month', sa.Date(), nullable=True),
    sa.Column('include_numbers', sa.Boolean(), nullable=False),
    sa.Column('closing', sa.String(length=500), nullable=False),
    sa.Column('sign_off_label', sa.String(length=100), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_role', sa.String(length=200), nullable=False),
    sa.Column('contact_officer', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'correcting')", name=op.f('ck_cabinet_update_status_known')),
    sa.CheckConstraint('period_end IS NULL OR period_start IS NULL OR period_end >= period_start', name=op.f('ck_cabinet_update_period_in_order')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_cabinet_update_author_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_cabinet_update_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cabinet_update')),
    sa.UniqueConstraint('author_id', 'meeting_date', name='uq_cabinet_update_author_meeting')
    )
    op.create_index(op.f('ix_cabinet_update_author_id'), 'cabinet_update', ['author_id'])

    op.create_table('update_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['cabinet_update.id'], name=op.f('fk_update_section_update_id_cabinet_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_section'))
    )
    op.create_index(op.f('ix_update_section_update_id'), 'update_section', ['update_id'])

    op.create_table('update_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('published_at', Timestamp, nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('is_latest', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_update_version_published_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['cabinet_update.id'], name=op.f('fk_update_version_update_id_cabinet_update'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_version')),
    sa.UniqueConstraint('update_id', 'number', name='uq_update_version_number')
    )
    op.create_index(op.f('ix_update_version_is_latest'), 'update_version', ['is_latest'])
    op.create_index(op.f('ix_update_version_meeting_date'), 'update_version', ['meeting_date'])
    op.create_index(op.f('ix_update_version_published_at'), 'update_version', ['published_at'])
    op.create_index(op.f('ix_update_version_update_id'), 'update_version', ['update_id'])

    op.create_table('update_paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', Timestamp, nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['update_section.id'], name=op.f('fk_update_paragraph_section_id_update_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['cabinet_update.id'], name=op.f('fk_update_paragraph_update_id_cabinet_update'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_update_paragraph_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_paragraph'))
    )
    op.create_index(op.f('ix_update_paragraph_section_id'), 'update_paragraph', ['section_id'])
    op.create_index(op.f('ix_update_paragraph_update_id'), 'update_paragraph', ['update_id'])

    op.create_table('update_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', Timestamp, nullable=False),
    sa.Column('saved_at', Timestamp, nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_update_revision_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['update_paragraph.id'], name=op.f('fk_update_revision_paragraph_id_update_paragraph'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['cabinet_update.id'], name=op.f('fk_update_revision_update_id_cabinet_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_revision'))
    )
    op.create_index(op.f('ix_update_revision_paragraph_id'), 'update_revision', ['paragraph_id'])
    op.create_index(op.f('ix_update_revision_update_id'), 'update_revision', ['update_id'])



def downgrade():
    op.drop_index(op.f('ix_update_revision_update_id'), table_name='update_revision')
    op.drop_index(op.f('ix_update_revision_paragraph_id'), table_name='update_revision')

    op.drop_table('update_revision')
    op.drop_index(op.f('ix_update_paragraph_update_id'), table_name='update_paragraph')
    op.drop_index(op.f('ix_update_paragraph_section_id'), table_name='update_paragraph')

    op.drop_table('update_paragraph')
    op.drop_index(op.f('ix_update_version_update_id'), table_name='update_version')
    op.drop_index(op.f('ix_update_version_published_at'), table_name='update_version')
    op.drop_index(op.f('ix_update_version_meeting_date'), table_name='update_version')
    op.drop_index(op.f('ix_update_version_is_latest'), table_name='update_version')

    op.drop_table('update_version')
    op.drop_index(op.f('ix_update_section_update_id'), table_name='update_section')

    op.drop_table('update_section')
    op.drop_index(op.f('ix_cabinet_update_author_id'), table_name='cabinet_update')

    op.drop_table('cabinet_update')
