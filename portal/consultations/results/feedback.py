""" "You said, we did": the partner's account of what they did with the
answers, published on the consultation's page; respondents who asked to be
told get an email."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from portal.audit import record
from portal.extensions import db
from portal.models import Consultation, Response, ResponseStatus, User
from portal.models.base import utcnow
from portal.notifications import deliver, notify
from portal.rules import RuleError

FEEDBACK_MAX_CHARS = 10_000


class FeedbackError(RuleError):
    """A refusal of "You said, we did"."""


def publish(actor: User, consultation: Consultation, text: str, today: date) -> bool:
    """Publish (or correct) the feedback. The first time, respondents who asked
    are told by email; returns whether they were."""
    if not consultation.is_closed(today):
        raise FeedbackError("You can say what you did once the consultation has closed")
    if not text.strip():
        raise FeedbackError("Write what you did with the answers", "text")
    if len(text) > FEEDBACK_MAX_CHARS:
        raise FeedbackError(f"Keep it to {FEEDBACK_MAX_CHARS:,} characters or fewer (you wrote {len(text):,})", "text")
    first = consultation.feedback_published_at is None
    consultation.feedback = text
    consultation.updated_at = utcnow()
    mails = []
    if first:
        consultation.feedback_published_at = utcnow()
        people = db.session.scalars(
            select(User)
            .join(Response, Response.respondent_id == User.id)
            .where(
                Response.consultation_id == consultation.id,
                Response.status == ResponseStatus.SUBMITTED.value,
                Response.tell_me,
                User.active,
            )
        ).all()
        mails = notify(
            people,
            f"{consultation.organisation or 'The people who asked'} have said what they did with the answers to "
            f"“{consultation.title}”.",
            url_for("consultations.show", consultation_id=consultation.id) + "#you-said-we-did",
            subject="You said, we did",
        )
    record(
        actor,
        "consultation.feedback_published" if first else "consultation.feedback_changed",
        "consultation",
        consultation.id,
        consultation.title[:200],
    )
    db.session.commit()
    deliver(mails)
    return bool(mails)
