"""The Area of Interest programme: preference rounds, pairings and their shared log."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.portfolio import Portfolio
from portal.models.user import User

MAX_RANKS = 3


class RoundStatus(StrEnum):
    OPEN = "open"  # members rank portfolios
    CLOSED = "closed"  # no more rankings; the pairing can run
    PROPOSED = "proposed"  # a pairing has been run and can be changed by hand
    CONFIRMED = "confirmed"  # pairings are final; Cabinet Members accept theirs

    @property
    def label(self) -> str:
        return {
            "open": "Open for choices",
            "closed": "Closed, not paired yet",
            "proposed": "Pairing proposed",
            "confirmed": "Pairings confirmed",
        }[self.value]


class PreferenceRound(Base):
    __tablename__ = "preference_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = enum_column(RoundStatus, RoundStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def state(self) -> RoundStatus:
        return RoundStatus(self.status)


class PreferenceAnswer(Base):
    """One Youth Cabinet member's answer in a round: up to three ranked portfolios and why."""

    __tablename__ = "preference_answer"
    __table_args__ = (UniqueConstraint("round_id", "member_id", name="uq_preference_answer_round_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("preference_round.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Seen by officers and the Cabinet Member concerned, nobody else.
    reason: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[User] = relationship(lazy="raise")
    choices: Mapped[list[Preference]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="Preference.rank"
    )


class Preference(Base):
    __tablename__ = "preference"
    __table_args__ = (
        UniqueConstraint("answer_id", "rank", name="uq_preference_answer_rank"),
        UniqueConstraint("answer_id", "portfolio_id", name="uq_preference_answer_portfolio"),
        CheckConstraint("rank BETWEEN 1 AND 3", name="rank_one_to_three"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("preference_answer.id", ondelete="CASCADE"), index=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolio.id", ondelete="CASCADE"))
    rank: Mapped[int]


class Pairing(Base):
    """A Youth Cabinet member placed with a portfolio in a round."""

    __tablename__ = "pairing"
    __table_args__ = (UniqueConstraint("round_id", "member_id", name="uq_pairing_round_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("preference_round.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolio.id", ondelete="CASCADE"), index=True)
    # 1, 2 or 3 when the member ranked this portfolio; None otherwise.
    choice_rank: Mapped[int | None]
    changed_by_hand: Mapped[bool] = mapped_column(default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    member: Mapped[User] = relationship(foreign_keys=[member_id], lazy="raise")
    portfolio: Mapped[Portfolio] = relationship(lazy="raise")
    round: Mapped[PreferenceRound] = relationship(lazy="raise")


class PairingLogEntry(Base):
    """The shared log of a pairing: meetings and actions, visible to officers.
    There is no private channel between an adult and a young person."""

    __tablename__ = "pairing_log_entry"
    __table_args__ = (CheckConstraint("kind IN ('meeting', 'action')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    on: Mapped[date] = mapped_column(Date)  # the meeting's date, or when an action is due
    text: Mapped[str] = mapped_column(Text)  # what was discussed, or what to do
    who: Mapped[str] = mapped_column(String(120), default="")  # actions: who does it
    done: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="raise")
