"""What a young person's home and the consultations archive show about
consultations: the ones open to them with where they are up to, the ones they
answered with what came of them, and the archive of every consultation that
has opened. A fixed number of queries whatever the number of consultations or
responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Select, extract, func, select

from portal.consultations import access
from portal.extensions import db
from portal.models import Consultation, ConsultationStatus, Question, Response, ResponseStatus

# About a minute a question; never "about 0 minutes".
MINUTES_PER_QUESTION = 1
MINUTES_AT_LEAST = 2
# The answered consultations a home lists (the archive has the rest).
ANSWERED_ON_HOME = 6


class Stage(StrEnum):
    """Where a consultation is, in the words the archive filters by."""

    OPEN = "open"
    CLOSED = "closed"  # closed, "You said, we did" still to come
    FEEDBACK = "feedback"  # "You said, we did" published

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed: results coming", "feedback": "You said, we did"}[self.value]


def stage_of(consultation: Consultation, today: date) -> Stage:
    if consultation.feedback_published_at is not None:
        return Stage.FEEDBACK
    return Stage.OPEN if consultation.is_open(today) else Stage.CLOSED


class Progress(StrEnum):
    """A person's own response to one consultation."""

    NEW = "new"
    STARTED = "started"
    SENT = "sent"
    CHANGING = "changing"  # sent, changes not sent yet (the sent answers count)


@dataclass
class OpenToYou:
    consultation: Consultation
    questions: int
    progress: Progress

    @property
    def minutes(self) -> int:
        return max(MINUTES_AT_LEAST, self.questions * MINUTES_PER_QUESTION)


def _progress(status: str | None, changing: bool) -> Progress:
    if status is None:
        return Progress.NEW
    if status == ResponseStatus.IN_PROGRESS.value:
        return Progress.STARTED
    return Progress.CHANGING if changing else Progress.SENT


def _responses_of(user, consultation_ids: list[int]) -> dict[int, Progress]:
    if not user.is_authenticated or not consultation_ids:
        return {}
    rows = db.session.execute(
        select(Response.consultation_id, Response.status, Response.changing).where(
            Response.respondent_id == user.id, Response.consultation_id.in_(consultation_ids)
        )
    ).all()
    return {consultation_id: _progress(status, changing) for consultation_id, status, changing in rows}


def open_to(user, today: date) -> list[OpenToYou]:
    """The consultations open today that this person may answer, closing
    soonest first, each with its number of questions and their progress."""
    audiences = access.audiences_for(user)
    if not audiences:
        return []
    questions = select(func.count(Question.id)).where(Question.consultation_id == Consultation.id).scalar_subquery()
    rows = db.session.execute(
        select(Consultation, questions)
        .where(
            Consultation.status == ConsultationStatus.APPROVED.value,
            Consultation.opens_on <= today,
            Consultation.closes_on >= today,
            Consultation.audience.in_(audiences),
        )
        .order_by(Consultation.closes_on, Consultation.id)
    ).all()
    progress = _responses_of(user, [consultation.id for consultation, _ in rows])
    return [
        OpenToYou(consultation, count or 0, progress.get(consultation.id, Progress.NEW)) for consultation, count in rows
    ]


def answered_by(user, today: date) -> list[Consultation]:
    """The closed consultations this person sent answers to, latest first:
    where they find the results and "You said, we did"."""
    if not user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(Consultation)
            .join(Response, Response.consultation_id == Consultation.id)
            .where(
                Response.respondent_id == user.id,
                Response.status == ResponseStatus.SUBMITTED.value,
                Consultation.status == ConsultationStatus.APPROVED.value,
                Consultation.closes_on < today,
            )
            .order_by(Consultation.closes_on.desc(), Consultation.id.desc())
            .limit(ANSWERED_ON_HOME)
        )
    )


# The archive ---------------------------------------------------------------------


def archive_query(today: date, stage: str = "", year: int | None = None) -> Select:
    """Every consultation that has opened (its page is public once approved),
    latest closing first, filtered by stage and by the year it closed."""
    query = select(Consultation).where(
        Consultation.status == ConsultationStatus.APPROVED.value, Consultation.opens_on <= today
    )
    if stage == Stage.OPEN:
        query = query.where(Consultation.closes_on >= today, Consultation.feedback_published_at.is_(None))
    elif stage == Stage.CLOSED:
        query = query.where(Consultation.closes_on < today, Consultation.feedback_published_at.is_(None))
    elif stage == Stage.FEEDBACK:
        query = query.where(Consultation.feedback_published_at.is_not(None))
    if year is not None:
        query = query.where(extract("year", Consultation.closes_on) == year)
    return query.order_by(Consultation.closes_on.desc(), Consultation.id.desc())


def archive_years(today: date) -> list[int]:
    """The years consultations closed (or will close) in, latest first: the year filter's choices."""
    year = extract("year", Consultation.closes_on)
    return [
        int(value)
        for value in db.session.scalars(
            select(year)
            .where(Consultation.status == ConsultationStatus.APPROVED.value, Consultation.opens_on <= today)
            .group_by(year)
            .order_by(year.desc())
        )
        if value is not None
    ]


def progress_in(user, consultations: list[Consultation]) -> dict[int, Progress]:
    """This person's progress in each listed consultation (one query)."""
    return _responses_of(user, [consultation.id for consultation in consultations])
