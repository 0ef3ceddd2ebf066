"""Safeguarding reports: a concern anyone can raise, or "Report this" on
something public a young person or partner wrote; and the officers' handling."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.user import User

REFERENCE_MAX = 12  # "YC-7K3P-Q9"
DETAILS_MAX = 2000
CONTACT_MAX = 200
WHAT_MAX = 60  # "consultation_feedback:12"


class ReportKind(StrEnum):
    CONCERN = "concern"  # "Report a concern": about someone, not about a page
    CONTENT = "content"  # "Report this" on something public

    @property
    def label(self) -> str:
        return {"concern": "Concern", "content": "Something on the portal"}[self.value]


class ReportStatus(StrEnum):
    NEW = "new"
    IN_HAND = "in_hand"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"new": "New", "in_hand": "In hand", "closed": "Closed"}[self.value]


# Why something public was reported: the key stored, the words shown.
REASONS = {
    "unkind": "Unkind or bullying",
    "personal_details": "Personal details about someone",
    "not_true": "Not true",
    "something_else": "Something else",
}


class SafeguardingReport(Base):
    """One report. ``what``, ``what_label`` and ``what_link`` say which public
    item a content report is about, as it was when reported (the item may
    change or go later). ``details`` are stored exactly as typed."""

    __tablename__ = "safeguarding_report"
    __table_args__ = (
        CheckConstraint(
            "reason IS NULL OR reason IN ('unkind', 'personal_details', 'not_true', 'something_else')",
            name="reason_known",
        ),
        CheckConstraint("kind = 'concern' OR (what IS NOT NULL AND reason IS NOT NULL)", name="content_names_what"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX), unique=True)
    kind: Mapped[str] = enum_column(ReportKind, ReportKind.CONCERN, check="kind_known")
    what: Mapped[str | None] = mapped_column(String(WHAT_MAX))
    what_label: Mapped[str] = mapped_column(String(400), default="")
    what_link: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str | None] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(CONTACT_MAX), default="")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    status: Mapped[str] = enum_column(ReportStatus, ReportStatus.NEW, index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    officer_note: Mapped[str] = mapped_column(Text, default="")

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id], lazy="raise")
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id], lazy="raise")

    @property
    def state(self) -> ReportStatus:
        return ReportStatus(self.status)

    @property
    def kind_label(self) -> str:
        return ReportKind(self.kind).label

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason or "", "")
