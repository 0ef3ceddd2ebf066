"""Pictures in questions and options (#17.4): the image table (the checked,
re-encoded picture kept in the database, so backups hold it), a question's
picture with its alt text, and the pictures of its options.

Reviewed by hand: one new table, each row deleted with its consultation
(CASCADE); the uploader is set to NULL when their account goes. Questions
gain image_id (SET NULL: a question outlives its picture), image_alt
(empty) and option_images (an empty list: no option has a picture).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name="fk_image_consultation_id_consultation",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user.id"], name="fk_image_uploaded_by_id_user", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_image"),
    )
    op.create_index("ix_image_consultation_id", "image", ["consultation_id"])
    with op.batch_alter_table("consultation_question") as batch:
        batch.add_column(sa.Column("image_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("image_alt", sa.String(250), nullable=False, server_default=""))
        batch.add_column(sa.Column("option_images", sa.JSON(), nullable=False, server_default="[]"))
        batch.create_foreign_key(
            "fk_consultation_question_image_id_image", "image", ["image_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("consultation_question") as batch:
        batch.drop_constraint("fk_consultation_question_image_id_image", type_="foreignkey")
        batch.drop_column("option_images")
        batch.drop_column("image_alt")
        batch.drop_column("image_id")
    op.drop_index("ix_image_consultation_id", table_name="image")
    op.drop_table("image")
