"""The Cabinet Member's monthly update: the working copy (sections and
numbered paragraphs) and the frozen versions it is published as."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.user import User


class UpdateStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CORRECTING = "correcting"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "published": "Published", "correcting": "Correction in progress"}[self.value]

    @property
    def tag_class(self) -> str:
        return {"draft": "govuk-tag--grey", "published": "govuk-tag--green", "correcting": "govuk-tag--orange"}[
            self.value
        ]

    @property
    def editable(self) -> bool:
        return self is not UpdateStatus.PUBLISHED


class CabinetUpdate(Base):
    """One update per council meeting. ``details_version`` rises with every
    change to the details and ``sign_off_version`` with every change to the
    sign-off, so a save from an older page is a conflict only when that same
    form changed since (#14.15)."""

    __tablename__ = "cabinet_update"
    __table_args__ = (
        CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start", name="period_in_order"
        ),
        # One update per council meeting (per Cabinet Member).
        UniqueConstraint("author_id", "meeting_date", name="uq_cabinet_update_author_meeting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    meeting_date: Mapped[date | None] = mapped_column(Date)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    statement_month: Mapped[date | None] = mapped_column(Date)  # the Chair's statement appended
    include_numbers: Mapped[bool] = mapped_column(default=True)
    closing: Mapped[str] = mapped_column(String(500), default="")
    sign_off_label: Mapped[str] = mapped_column(String(100), default="For information")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    contact_officer: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = enum_column(UpdateStatus, UpdateStatus.DRAFT)
    details_version: Mapped[int] = mapped_column(default=1)
    sign_off_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")

    @property
    def state(self) -> UpdateStatus:
        return UpdateStatus(self.status)

    @property
    def display_title(self) -> str:
        return self.title or "Untitled update"


class UpdateSection(Base):
    __tablename__ = "update_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("cabinet_update.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    heading: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)


class UpdateParagraph(Base):
    """A numbered paragraph. Its number is not stored: it is its place in the
    whole document (sections in order, paragraphs in order), worked out when
    the document is shown, so moving one renumbers all at once."""

    __tablename__ = "update_paragraph"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("cabinet_update.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("update_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class UpdateRevision(Base):
    """Saved paragraph texts, and the texts refused in a clash (kind 'conflict'),
    so nothing typed is lost."""

    __tablename__ = "update_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("cabinet_update.id", ondelete="CASCADE"), index=True)
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("update_paragraph.id", ondelete="SET NULL"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # autosave, save, conflict
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UpdateVersion(Base):
    """A published version, frozen: ``content`` holds the whole document as it
    was published (numbers, Chair's statement and figures included) and
    ``html`` its page. Neither is ever changed; a correction is a new row."""

    __tablename__ = "update_version"
    __table_args__ = (UniqueConstraint("update_id", "number", name="uq_update_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("cabinet_update.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    # The month the report covers (its first day): where the archive files it
    # (a November report read at a December meeting is November's, #14.13).
    report_month: Mapped[date] = mapped_column(Date, index=True)
    author_name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")  # what a correction changed
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_latest: Mapped[bool] = mapped_column(default=True, index=True)

    @property
    def slug(self) -> str:
        return f"v{self.number}"


class UpdateDocument(Base):
    """A published version's PDF or Word file, rendered once from its frozen
    ``content`` (portal/updates/stored.py) and served from here: the version
    never changes, so neither do its files. A correction's version has its own."""

    __tablename__ = "update_document"
    __table_args__ = (
        UniqueConstraint("version_id", "kind", name="uq_update_document_version_kind"),
        CheckConstraint("kind IN ('pdf', 'docx')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint's index starts with version_id, so it serves look-ups by version too.
    version_id: Mapped[int] = mapped_column(ForeignKey("update_version.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # pdf, docx
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))  # of content: the download's ETag
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
