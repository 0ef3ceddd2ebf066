"""The Cabinet's portfolios, each held by a Cabinet Member."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base
from portal.models.user import User


class Portfolio(Base):
    __tablename__ = "portfolio"
    __table_args__ = (CheckConstraint("youth_capacity >= 0", name="capacity_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    cabinet_member_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # How many Youth Cabinet members the Area of Interest programme can pair with it.
    youth_capacity: Mapped[int] = mapped_column(default=2)
    active: Mapped[bool] = mapped_column(default=True)

    cabinet_member: Mapped[User | None] = relationship(lazy="raise")
