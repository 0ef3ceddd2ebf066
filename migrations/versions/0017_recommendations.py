"""A committee's recommendations (#17.1): the meeting (committee, date,
minute), its recommendations (addressed to, owner, due meeting, status) and
their dated responses.

Reviewed by hand: new tables only. A minute is recorded once per committee
(unique); a recommendation's number once per meeting (unique); a meeting's
recommendations and a recommendation's responses go with it (CASCADE); an
owner cannot be deleted from under a recommendation (RESTRICT: erasure keeps
the user row, anonymous); other links to people become empty (SET NULL).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)
STATUS_CHECK = "status IN ('open', 'in_progress', 'done', 'not_accepted')"


def upgrade():
    op.create_table(
        "committee_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minute", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_committee_meeting_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meeting")),
        sa.UniqueConstraint("committee", "minute", name="uq_committee_meeting_committee_minute"),
    )

    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("addressed_kind", sa.String(length=20), nullable=False),
        sa.Column("addressed_to_id", sa.Integer(), nullable=True),
        sa.Column("addressed_post", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.CheckConstraint(
            "addressed_kind IN ('cabinet_member', 'officer_post', 'youth_cabinet')",
            name=op.f("ck_recommendation_addressed_kind_known"),
        ),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_recommendation_status_known")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meeting.id"],
            name=op.f("fk_recommendation_meeting_id_committee_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["addressed_to_id"], ["user.id"], name=op.f("fk_recommendation_addressed_to_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_recommendation_owner_id_user"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_recommendation_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation")),
        sa.UniqueConstraint("meeting_id", "number", name="uq_recommendation_meeting_number"),
    )
    op.create_index(op.f("ix_recommendation_meeting_id"), "recommendation", ["meeting_id"])
    op.create_index(op.f("ix_recommendation_addressed_to_id"), "recommendation", ["addressed_to_id"])
    op.create_index(op.f("ix_recommendation_owner_id"), "recommendation", ["owner_id"])

    op.create_table(
        "recommendation_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_recommendation_response_status_known")),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_response_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_recommendation_response_author_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_response")),
    )
    op.create_index(
        op.f("ix_recommendation_response_recommendation_id"), "recommendation_response", ["recommendation_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_recommendation_response_recommendation_id"), table_name="recommendation_response")
    op.drop_table("recommendation_response")
    op.drop_index(op.f("ix_recommendation_owner_id"), table_name="recommendation")
    op.drop_index(op.f("ix_recommendation_addressed_to_id"), table_name="recommendation")
    op.drop_index(op.f("ix_recommendation_meeting_id"), table_name="recommendation")
    op.drop_table("recommendation")
    op.drop_table("committee_meeting")
