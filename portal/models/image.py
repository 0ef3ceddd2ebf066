"""Pictures in consultations: an uploaded image, checked and re-encoded
(portal/images/upload.py), kept in the database beside the consultation it
belongs to, so a backup of the database holds every picture too."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow


class Image(Base):
    """One picture. ``data`` is the re-encoded file (no metadata), never the
    bytes as uploaded; it is loaded only when the picture is served. The
    uploaded file's name is not kept anywhere."""

    __tablename__ = "image"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    content_type: Mapped[str] = mapped_column(String(20))  # image/png, image/jpeg or image/webp
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]  # bytes of ``data``
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
