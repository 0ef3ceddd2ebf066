"""Campaigns the Youth Cabinet runs, and the reach each one achieved."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.portfolio import Portfolio
from portal.models.user import User


class CampaignStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


CHANNELS = {
    "social_media": "Social media",
    "school_assembly": "School assemblies",
    "event": "Events",
    "other": "Other",
}


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    summary: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # a small Markdown subset, sanitised when shown
    status: Mapped[str] = enum_column(CampaignStatus, CampaignStatus.PLANNED)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    portfolio_id: Mapped[int | None] = mapped_column(ForeignKey("portfolio.id", ondelete="SET NULL"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Rises with every edit: a save based on an older version is refused, not overwritten.
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A lead's changes to a published campaign wait here for the Chair's or an
    # officer's approval; the public page keeps the approved version meanwhile.
    pending: Mapped[dict | None] = mapped_column(JSON)
    pending_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    pending_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pending_comment: Mapped[str] = mapped_column(Text, default="")  # why the changes were sent back

    portfolio: Mapped[Portfolio | None] = relationship(lazy="raise")

    @property
    def state(self) -> CampaignStatus:
        return CampaignStatus(self.status)


class CampaignLead(Base):
    __tablename__ = "campaign_lead"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", name="uq_campaign_lead_campaign_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(lazy="raise")


class CampaignGoal(Base):
    """A target such as "reach 10,000 people"."""

    __tablename__ = "campaign_goal"
    __table_args__ = (CheckConstraint("target_people > 0", name="target_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    target_people: Mapped[int]


class ReachEntry(Base):
    __tablename__ = "reach_entry"
    __table_args__ = (
        CheckConstraint("people >= 0", name="people_not_negative"),
        CheckConstraint("impressions IS NULL OR impressions >= 0", name="impressions_not_negative"),
        CheckConstraint("channel IN ('social_media', 'school_assembly', 'event', 'other')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    people: Mapped[int]
    impressions: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
