"""A committee's recommendations (#17.1): the meeting that resolved them, each
recommendation with whom it is addressed to, its owner and due meeting, and
the dated responses that move its status (kept, never overwritten)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.user import User

COMMITTEE_MAX = 200
MINUTE_MAX = 20
POST_MAX = 200
TEXT_MAX = 2000
RESPONSE_MAX = 4000


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_ACCEPTED = "not_accepted"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def tag_class(self) -> str:
        return {
            "open": "govuk-tag--grey",
            "in_progress": "govuk-tag--blue",
            "done": "govuk-tag--green",
            "not_accepted": "govuk-tag--red",
        }[self.value]

    @property
    def is_open(self) -> bool:
        """Still waiting on someone: shown in the Cabinet Member's editor."""
        return self in (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


STATUS_LABELS = {
    RecommendationStatus.OPEN: "Open",
    RecommendationStatus.IN_PROGRESS: "In progress",
    RecommendationStatus.DONE: "Done",
    RecommendationStatus.NOT_ACCEPTED: "Not accepted",
}


class AddressedTo(StrEnum):
    CABINET_MEMBER = "cabinet_member"
    OFFICER_POST = "officer_post"
    YOUTH_CABINET = "youth_cabinet"


class CommitteeMeeting(Base):
    """A committee's meeting, by its minute: "CYPSSC, 5 March 2020, minute 67.5"."""

    __tablename__ = "committee_meeting"
    __table_args__ = (UniqueConstraint("committee", "minute", name="uq_committee_meeting_committee_minute"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee: Mapped[str] = mapped_column(String(COMMITTEE_MAX))
    held_on: Mapped[date] = mapped_column(Date)
    minute: Mapped[str] = mapped_column(String(MINUTE_MAX))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Recommendation(Base):
    """One numbered recommendation of a meeting. ``status`` is the latest
    response's (open until the first)."""

    __tablename__ = "recommendation"
    __table_args__ = (
        UniqueConstraint("meeting_id", "number", name="uq_recommendation_meeting_number"),
        CheckConstraint(
            "addressed_kind IN ('cabinet_member', 'officer_post', 'youth_cabinet')", name="addressed_kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("committee_meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    addressed_kind: Mapped[str] = mapped_column(String(20))
    # The Cabinet Member it is addressed to (addressed_kind "cabinet_member").
    addressed_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # The officer's post, such as "Senior Improvement Lead" (addressed_kind "officer_post").
    addressed_post: Mapped[str] = mapped_column(String(POST_MAX), default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = enum_column(RecommendationStatus, RecommendationStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meeting: Mapped[CommitteeMeeting] = relationship(lazy="raise")
    addressed_to: Mapped[User | None] = relationship(foreign_keys=[addressed_to_id], lazy="raise")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="raise")

    @property
    def state(self) -> RecommendationStatus:
        return RecommendationStatus(self.status)

    @property
    def addressed_label(self) -> str:
        """Whom it is addressed to, in words (needs ``addressed_to`` loaded)."""
        if self.addressed_kind == AddressedTo.CABINET_MEMBER:
            return self.addressed_to.display_name if self.addressed_to else "A Cabinet Member"
        if self.addressed_kind == AddressedTo.OFFICER_POST:
            return self.addressed_post or "A council officer"
        return "The Youth Cabinet"


class RecommendationResponse(Base):
    """A dated response: what was done or decided, and the status it set."""

    __tablename__ = "recommendation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = enum_column(RecommendationStatus, RecommendationStatus.OPEN)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise")

    @property
    def state(self) -> RecommendationStatus:
        return RecommendationStatus(self.status)
