""" "You said, we did": the partner's account of what they did with the
answers, published on the consultation's page once an officer approves it
(an officer's own is published at once); respondents who asked to be told
get an email the first time."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from portal.audit import record
from portal.extensions import db
from portal.models import Consultation, Response, ResponseStatus, User
from portal.models.base import utcnow
from portal.notifications import deliver, notify
from portal.roles import Role
from portal.rules import RuleError

FEEDBACK_MAX_CHARS = 10_000


class FeedbackError(RuleError):
    """A refusal of "You said, we did"."""


def _check(consultation: Consultation, text: str, today: date) -> None:
    if not consultation.is_closed(today):
        raise FeedbackError("You can say what you did once the consultation has closed")
    if not text.strip():
        raise FeedbackError("Write what you did with the answers", "text")
    if len(text) > FEEDBACK_MAX_CHARS:
        raise FeedbackError(f"Keep it to {FEEDBACK_MAX_CHARS:,} characters or fewer (you wrote {len(text):,})", "text")


def needs_approval(user: User) -> bool:
    """A partner's "You said, we did" is checked by an officer before young
    people read it (#13.5); an officer's own is published at once."""
    return user.role == Role.PARTNER


def send(actor: User, consultation: Consultation, text: str, today: date) -> str:
    """The partner's or officer's "You said, we did": an officer's is published
    ("published", or "told" when respondents were emailed); a partner's waits
    for an officer ("waiting"). The published text stays on the page meanwhile."""
    _check(consultation, text, today)
    if not needs_approval(actor):
        consultation.feedback_pending = ""
        consultation.feedback_submitted_at = None
        consultation.feedback_review_comment = ""
        return "told" if _publish(actor, consultation, text) else "published"
    consultation.feedback_pending = text
    consultation.feedback_submitted_at = utcnow()
    consultation.feedback_review_comment = ""
    consultation.updated_at = utcnow()
    record(actor, "consultation.feedback_submitted", "consultation", consultation.id, consultation.title[:200])
    mails = notify(
        db.session.scalars(select(User).where(User.active, User.role == Role.OFFICER.value)).all(),
        f"{consultation.organisation or 'A partner'} wrote “You said, we did” for “{consultation.title}”. "
        "It waits for your approval.",
        url_for("consultations.feedback", consultation_id=consultation.id),
        subject="“You said, we did” to approve",
    )
    db.session.commit()
    deliver(mails)
    return "waiting"


def version_of(consultation: Consultation) -> str:
    """Which sending of the partner's text an officer is reading (it changes each time they send it)."""
    sent = consultation.feedback_submitted_at
    return sent.isoformat() if sent else ""


def approve(actor: User, consultation: Consultation, seen: str) -> bool:
    """An officer publishes the partner's text as they read it (``seen``, its
    ``version_of``: if the partner sent it again since, nothing is published).
    Returns whether respondents were emailed."""
    if actor.role != Role.OFFICER:
        raise FeedbackError("Only an officer can approve “You said, we did”")
    text = consultation.feedback_pending
    if not text:
        raise FeedbackError("Nothing is waiting for approval. Someone may have dealt with it already.")
    if seen != version_of(consultation):
        raise FeedbackError("The partner changed it after you opened this page. Read it again below.")
    consultation.feedback_pending = ""
    consultation.feedback_submitted_at = None
    consultation.feedback_review_comment = ""
    partner = db.session.get(User, consultation.partner_id) if consultation.partner_id else None
    if partner is not None and partner.active:
        deliver(
            notify(
                [partner],
                f"Your “You said, we did” for “{consultation.title}” is published.",
                url_for("consultations.show", consultation_id=consultation.id) + "#you-said-we-did",
                subject="“You said, we did” is published",
            )
        )
    return _publish(actor, consultation, text)


def send_back(actor: User, consultation: Consultation, comment: str) -> None:
    """An officer returns the partner's text with a comment; it stays unpublished for them to change."""
    if actor.role != Role.OFFICER:
        raise FeedbackError("Only an officer can return “You said, we did”")
    if not consultation.feedback_pending:
        raise FeedbackError("Nothing is waiting for approval. Someone may have dealt with it already.")
    comment = comment.strip()
    if not comment:
        raise FeedbackError("Say what needs to change, so the partner knows what to do", "comment")
    if len(comment) > 1000:
        raise FeedbackError("Keep the comment to 1,000 characters or fewer", "comment")
    consultation.feedback_review_comment = comment
    record(actor, "consultation.feedback_returned", "consultation", consultation.id, consultation.title[:200])
    partner = db.session.get(User, consultation.partner_id) if consultation.partner_id else None
    mails = notify(
        [partner] if partner is not None and partner.active else [],
        f"Your “You said, we did” for “{consultation.title}” needs another look before it is published.",
        url_for("consultations.feedback", consultation_id=consultation.id),
        subject="“You said, we did” was returned",
    )
    db.session.commit()
    deliver(mails)


def _publish(actor: User, consultation: Consultation, text: str) -> bool:
    """Publish (or correct) the feedback. The first time, respondents who asked
    are told by email; returns whether they were."""
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
