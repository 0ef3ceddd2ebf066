"""A published version's PDF and Word file, rendered once and stored (#16.1):
downloads are served from here instead of rendering on every request.

Reviewed by hand: one new table, each row deleted with its version (CASCADE).
Versions published before this revision have no rows: their first download
renders and stores them (portal/updates/stored.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "update_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('pdf', 'docx')", name=op.f("ck_update_document_kind_known")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["update_version.id"],
            name="fk_update_document_version_id_update_version",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_update_document"),
        sa.UniqueConstraint("version_id", "kind", name="uq_update_document_version_kind"),
    )


def downgrade():
    op.drop_table("update_document")
