"""A spreadsheet of a consultation's responses, made by a background job
(#16.1): its progress while it is made, then the file, kept for a day."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from portal.models.base import Base, UTCDateTime, enum_column, utcnow


class ExportStatus(StrEnum):
    WAITING = "waiting"  # queued, no worker has started it
    MAKING = "making"
    READY = "ready"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            "waiting": "waiting to start",
            "making": "being made",
            "ready": "ready to download",
            "failed": "something went wrong",
        }[self.value]


# A spreadsheet not finished this long after it was asked for has failed for
# good (its job gave up, or its worker stopped): a new one can be asked for.
STALE_AFTER = timedelta(minutes=30)


class ExportFile(Base):
    __tablename__ = "export_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    # Only who asked may download it: an export is a copy of everyone's answers.
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = enum_column(ExportStatus, ExportStatus.WAITING)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    size: Mapped[int] = mapped_column(default=0)  # bytes, once ready
    filename: Mapped[str] = mapped_column(String(100), default="")
    # Loaded only by the download itself, never with the progress.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def state(self) -> ExportStatus:
        """Its status as people should read it: one still unfinished long after
        it was asked for has failed."""
        status = ExportStatus(self.status)
        if status in (ExportStatus.WAITING, ExportStatus.MAKING) and self.created_at < utcnow() - STALE_AFTER:
            return ExportStatus.FAILED
        return status
