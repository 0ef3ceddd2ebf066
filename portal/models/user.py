"""People who sign in. Minimal data: no date of birth, no photo, no address."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, UTCDateTime, utcnow
from portal.roles import ROLE_LABELS, Role

EMAIL_MAX = 254
NAME_MAX = 60
ORGANISATION_MAX = 120


class User(UserMixin, Base):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(
            "role IN ('young_person', 'youth_member', 'chair', 'cabinet_member', 'partner', 'officer')",
            name="role_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_MAX))
    role: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(10))
    district: Mapped[str | None] = mapped_column(String(60))
    organisation: Mapped[str | None] = mapped_column(String(ORGANISATION_MAX))
    # Adults only: shown in sign-off blocks ("Business Manager").
    job_title: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised at sign-out, password change and deactivation: every session that
    # carries an older number is ended on its next request.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Two-step sign-in (portal/auth/two_step.py): the authenticator app's shared
    # secret (base32), when it was set up, and the last time step whose code was
    # used, so that a code seen over a shoulder cannot be used again.
    two_step_secret: Mapped[str | None] = mapped_column(String(64))
    two_step_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    two_step_last_step: Mapped[int | None] = mapped_column(BigInteger)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # Flask-Login: the id carries the session version, so that raising the
    # version signs out every session at once.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_authenticated(self) -> bool:
        """Always: a visitor is Flask-Login's anonymous user, never a User, and
        an inactive account is never loaded (portal/auth/sessions.py). Flask-Login's
        own reads ``active``, which after an operation's commit costs a query
        to load the row again (#16)."""
        return True

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def has_two_step(self) -> bool:
        return self.two_step_enabled_at is not None

    @property
    def status(self) -> str:
        if not self.active:
            return "Deactivated"
        if not self.has_password:
            return "Invited"
        return "Active"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
