"""The Chair's monthly statement, its revisions and its review."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.user import User


class StatementStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "submitted": "Submitted",
            "changes_requested": "Changes asked for",
            "accepted": "Accepted",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "draft": "govuk-tag--grey",
            "submitted": "govuk-tag--blue",
            "changes_requested": "govuk-tag--orange",
            "accepted": "govuk-tag--green",
        }[self.value]

    @property
    def chair_can_edit(self) -> bool:
        return self in (StatementStatus.DRAFT, StatementStatus.CHANGES_REQUESTED)


class ChairStatement(Base):
    """One statement per month. ``version`` rises with every save: a save
    based on an older version is a conflict, never an overwrite."""

    __tablename__ = "chair_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month
    text: Mapped[str] = mapped_column(Text, default="")
    # The facts from the portal in the text, each with its source, kept beside
    # the text: [{"key", "sentence", "link", "link_text"}] (portal/statements/sources.py).
    sources: Mapped[list[dict]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = enum_column(StatementStatus, StatementStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id], lazy="raise")

    @property
    def state(self) -> StatementStatus:
        return StatementStatus(self.status)

    @property
    def slug(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def month_label(self) -> str:
        return self.month.strftime("%B %Y")


class StatementRevision(Base):
    """A saved text. Autosaves by the same person within a few minutes fold
    into one revision (``saved_at`` moves on, ``created_at`` stays)."""

    __tablename__ = "statement_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("chair_statement.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]  # the statement's version this text became
    text: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[dict]] = mapped_column(JSON, default=list)  # the facts' sources with this text
    kind: Mapped[str] = mapped_column(String(20), default="autosave")  # autosave, save, restore, conflict
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise")


class StatementReview(Base):
    """One step of the review: submitted, changes requested, accepted, reopened."""

    __tablename__ = "statement_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("chair_statement.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="raise")
