"""Consultations that outside bodies bring to young people: the request and its
questions, responses and their answers, moderation of free text, and the
"You said, we did" feedback."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ColumnElement, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, UTCDateTime, enum_column, utcnow
from portal.models.user import User


class ConsultationStatus(StrEnum):
    DRAFT = "draft"  # the partner (or an officer for them) is writing it
    SUBMITTED = "submitted"  # waiting for an officer or the chair
    RETURNED = "returned"  # sent back with comments; the partner can edit again
    APPROVED = "approved"  # opens on its opening date, closes on its closing date

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "submitted": "Waiting for approval",
            "returned": "Returned with comments",
            "approved": "Approved",
        }[self.value]

    @property
    def editable(self) -> bool:
        return self in (ConsultationStatus.DRAFT, ConsultationStatus.RETURNED)


AUDIENCES = {
    "youth_cabinet": "Youth Cabinet members only",
    "young_people": "Registered young people",
    "public": "Anyone (the public, no account needed)",
}

QUESTION_KINDS = {
    "short_text": "Short text",
    "long_text": "Long text",
    "single": "One choice from a list",
    "multiple": "Several choices from a list",
    "rating": "A rating scale",
    "ranking": "Put options in order",
}
OPTION_KINDS = ("single", "multiple", "ranking")


class Consultation(Base):
    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint("audience IN ('youth_cabinet', 'young_people', 'public')", name="audience_known"),
        CheckConstraint("closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    why: Mapped[str] = mapped_column(Text, default="")  # why they ask
    what_happens: Mapped[str] = mapped_column(Text, default="")  # what will happen with the answers
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date, index=True)
    audience: Mapped[str] = mapped_column(String(20), default="young_people")
    anonymous_to_partner: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = enum_column(ConsultationStatus, ConsultationStatus.DRAFT, index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feedback: Mapped[str] = mapped_column(Text, default="")  # "You said, we did"
    feedback_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A partner's "You said, we did" waits here for an officer's approval before it is published.
    feedback_pending: Mapped[str] = mapped_column(Text, default="")
    feedback_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feedback_review_comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Easy Read (#17.3): "What is this about?" in a few short sentences; '' while there is no Easy Read version.
    easy_intro: Mapped[str] = mapped_column(Text, default="")

    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id], lazy="raise")

    @property
    def state(self) -> ConsultationStatus:
        return ConsultationStatus(self.status)

    def is_open(self, today: date) -> bool:
        return (
            self.state == ConsultationStatus.APPROVED
            and self.opens_on is not None
            and self.closes_on is not None
            and self.opens_on <= today <= self.closes_on
        )

    def is_closed(self, today: date) -> bool:
        return self.state == ConsultationStatus.APPROVED and self.closes_on is not None and today > self.closes_on


class Question(Base):
    __tablename__ = "consultation_question"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('short_text', 'long_text', 'single', 'multiple', 'rating', 'ranking')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(String(500), default="")
    help: Mapped[str] = mapped_column(String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)  # choices and ranking
    scale_max: Mapped[int] = mapped_column(default=5)  # rating: 1..scale_max
    low_label: Mapped[str] = mapped_column(String(100), default="")
    high_label: Mapped[str] = mapped_column(String(100), default="")
    # Easy Read (#17.3): the question in short, plain words, and an optional short hint.
    easy_prompt: Mapped[str] = mapped_column(String(200), default="")
    easy_help: Mapped[str] = mapped_column(String(300), default="")
    # Its Easy Read picture and the words describing it; none: the question's own picture, if any.
    easy_image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    easy_image_alt: Mapped[str] = mapped_column(String(250), default="")
    # A picture shown with the question, and the words that describe it (its alt text).
    image_id: Mapped[int | None] = mapped_column(ForeignKey("image.id", ondelete="SET NULL"))
    image_alt: Mapped[str] = mapped_column(String(250), default="")
    # Beside ``options``, one entry per option: None, or {"image": image id, "alt": its alt text}.
    option_images: Mapped[list[dict | None]] = mapped_column(JSON, default=list)

    def option_image(self, index: int) -> dict | None:
        """The picture of option ``index`` ({"image": id, "alt": words}), or None."""
        pictures = self.option_images or []
        return pictures[index] if 0 <= index < len(pictures) else None

    def picture_for(self, option: str) -> dict | None:
        """The picture of the option with these words, as saved (the editor's form may order them otherwise)."""
        key = " ".join(option.split()).casefold()
        return next(
            (self.option_image(i) for i, words in enumerate(self.options or []) if words.casefold() == key), None
        )


# The versions of a consultation a response can be answered in (#17.3).
VERSIONS = {"standard": "Standard", "easy_read": "Easy Read"}


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Response(Base):
    """One person's response. Signed-in people have one per consultation (the
    unique constraint); a visitor's has no account, only the optional age band
    and district they chose to give. A sent response being changed keeps its
    sent answers (counted) beside the draft copy being changed."""

    __tablename__ = "consultation_response"
    __table_args__ = (
        UniqueConstraint("consultation_id", "respondent_id", name="uq_consultation_response_person"),
        Index("ix_consultation_response_submitted", "consultation_id", "status"),
        # "Youth voice in numbers" counts a period's sent responses (#16) from
        # ranges of these: all of them, with what the measures count; and each
        # known age band's and district's, in order (portal/figures/numbers.py).
        Index("ix_consultation_response_sent", "status", "submitted_at", "consultation_id", "respondent_id"),
        Index("ix_consultation_response_sent_age_band", "status", "age_band", "submitted_at"),
        Index("ix_consultation_response_sent_district", "status", "district", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    visitor_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # a visitor's way back to their answers
    age_band: Mapped[str] = mapped_column(String(20), default="")
    district: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = enum_column(ResponseStatus, ResponseStatus.IN_PROGRESS)
    tell_me: Mapped[bool] = mapped_column(default=False)  # email me when feedback is published
    # Sent, and being changed: the changes are draft answers; the sent ones count until the changes are sent.
    changing: Mapped[bool] = mapped_column(default=False)
    # Which version was answered (VERSIONS): the one its answers were last saved in while in progress.
    version: Mapped[str] = mapped_column(String(20), default="standard")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Moderation(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"


# The condition of the moderation indexes: a written answer. Without a bound
# value, so SQLite and PostgreSQL match it to the queries' own `text IS NOT NULL`.
WRITTEN = sql_text("text IS NOT NULL")


class Answer(Base):
    """One answer, in the shape SQL can count: a text; or one row per chosen
    option (``option``: its index); a rating (``number``); or one row per
    ranked option (``option`` with its ``number``, the rank).

    Results read only answers with ``draft`` false (``Answer.sent()``)."""

    __tablename__ = "consultation_answer"
    __table_args__ = (
        Index("ix_consultation_answer_question_option", "question_id", "option"),
        # Quotes: a question's approved answers, oldest first (portal/consultations/results/summary.py).
        Index("ix_consultation_answer_quotes", "question_id", "moderation", "id"),
        # The moderation queue and the decided answers read only written answers
        # (partial: the many option and rating rows stay out), in the order they
        # are listed, so a page reads its rows and not all of them (#16).
        Index(
            "ix_consultation_answer_waiting",
            "moderation",
            "flags",
            "id",
            sqlite_where=WRITTEN,
            postgresql_where=WRITTEN,
        ),
        Index(
            "ix_consultation_answer_decided",
            "moderation",
            "moderated_at",
            "id",
            sqlite_where=WRITTEN,
            postgresql_where=WRITTEN,
        ),
        Index(
            "ix_consultation_answer_decided_all", "moderated_at", "id", sqlite_where=WRITTEN, postgresql_where=WRITTEN
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("consultation_question.id", ondelete="CASCADE"))
    option: Mapped[int | None]
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    moderation: Mapped[str] = enum_column(Moderation, Moderation.PENDING, check="moderation_known")
    flags: Mapped[str] = mapped_column(String(200), default="")  # why it was flagged automatically
    moderation_reason: Mapped[str] = mapped_column(String(500), default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)  # tags an officer adds
    # A copy being changed after the response was sent: never counted, read or moderated until sent.
    draft: Mapped[bool] = mapped_column(default=False)

    @classmethod
    def sent(cls) -> ColumnElement[bool]:
        """The answers that count: not a copy being changed."""
        return cls.draft.is_(False)


class Tally(Base):
    """Counters kept as responses are submitted (and taken back when a
    response is changed), so results cost the same whatever the number of
    responses. ``question_id`` 0 counts whole responses; ``option``/``number``
    -1 mean "not used"; ``dimension`` '' is everyone, else 'age_band' or
    'district' with its ``value``."""

    __tablename__ = "consultation_tally"
    __table_args__ = (
        UniqueConstraint(
            "consultation_id", "question_id", "option", "number", "dimension", "value", name="uq_consultation_tally_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(default=0)
    option: Mapped[int] = mapped_column(default=-1)
    number: Mapped[int] = mapped_column(default=-1)
    dimension: Mapped[str] = mapped_column(String(20), default="")
    value: Mapped[str] = mapped_column(String(60), default="")
    count: Mapped[int] = mapped_column(default=0)
