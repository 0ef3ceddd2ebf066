"""The Youth Cabinet's offices and its annual plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, utcnow
from portal.models.campaign import Campaign
from portal.models.user import User

PLAN_KINDS = {
    "meeting": "Meeting",
    "event": "Event",
    "campaign": "Campaign",
    "deadline": "Deadline",
    "consultation": "Consultation",
}


class Office(Base):
    """An office such as Chair or Vice-Chair, held by a member for a period."""

    __tablename__ = "office"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    holder_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    holder: Mapped[User] = relationship(lazy="raise")


class PlanItem(Base):
    """Something on the Youth Cabinet's plan for the year."""

    __tablename__ = "plan_item"
    __table_args__ = (
        CheckConstraint("kind IN ('meeting', 'event', 'campaign', 'deadline', 'consultation')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Called off (#14.4): it stays on the plan, struck through, with the reason.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign | None] = relationship(lazy="raise")


class PlanMove(Base):
    """A plan item moved to another date, and why ("pushed forward because...")."""

    __tablename__ = "plan_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    moved_by: Mapped[User | None] = relationship(lazy="raise")
