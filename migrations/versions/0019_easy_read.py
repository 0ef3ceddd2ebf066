"""Easy Read versions of consultations (#17.3): an Easy Read introduction on
the consultation, Easy Read wording and an optional picture (with the
words describing it) on each question, and which version
each response was answered in.

Reviewed by hand: new columns only. The wording is empty for every existing
consultation (no Easy Read version yet); every existing response was
answered in the standard version, so it gets 'standard', and its counters
(consultation_tally) gain the matching 'version' counter so the results'
per-version figures add up to the responses already counted.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation") as batch:
        batch.add_column(sa.Column("easy_intro", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("consultation_question") as batch:
        batch.add_column(sa.Column("easy_prompt", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("easy_help", sa.String(length=300), nullable=False, server_default=""))
        batch.add_column(sa.Column("easy_image_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("easy_image_alt", sa.String(length=250), nullable=False, server_default=""))
        batch.create_foreign_key(
            "fk_consultation_question_easy_image_id_image", "image", ["easy_image_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("consultation_response") as batch:
        batch.add_column(sa.Column("version", sa.String(length=20), nullable=False, server_default="standard"))
    # The responses counted so far were all answered in the standard version.
    op.execute(
        sa.text(
            "INSERT INTO consultation_tally (consultation_id, question_id, option, number, dimension, value, count) "
            "SELECT consultation_id, 0, -1, -1, 'version', 'standard', count FROM consultation_tally "
            "WHERE question_id = 0 AND option = -1 AND number = -1 AND dimension = '' AND value = '' AND count > 0"
        )
    )


def downgrade():
    op.execute(sa.text("DELETE FROM consultation_tally WHERE dimension = 'version'"))
    with op.batch_alter_table("consultation_response") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("consultation_question") as batch:
        batch.drop_constraint("fk_consultation_question_easy_image_id_image", type_="foreignkey")
        batch.drop_column("easy_image_alt")
        batch.drop_column("easy_image_id")
        batch.drop_column("easy_help")
        batch.drop_column("easy_prompt")
    with op.batch_alter_table("consultation") as batch:
        batch.drop_column("easy_intro")
