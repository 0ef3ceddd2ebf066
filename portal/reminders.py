"""Reminders on a schedule (#16.1; every morning, portal/tasks.py, or
``flask reminders send``): a note on the dashboard and an email to the adults
and the Chair whose work is due. Young people who are not the Chair are never
reminded of anything.

- "You said, we did": a consultation closed ``FEEDBACK_REMINDER_DAYS`` ago
  (or more) with no "You said, we did" published or waiting: its partner and
  the officers are reminded once.
- The Chair's statement: from day ``STATEMENT_REMINDER_DAY`` of a month, if
  that month's statement has not been sent to the Cabinet Member (or was sent
  back with changes asked for): the Chair is reminded once a month.

Each reminder is written in the audit log, which is also how a second run
knows it was sent (the schedule may run twice, or late)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import exists, select

from portal.audit import record
from portal.extensions import db
from portal.models import AuditEntry, ChairStatement, Consultation, ConsultationStatus, StatementStatus, User
from portal.notifications import deliver, notify
from portal.roles import Role
from portal.templating import LOCAL_ZONE, long_date

FEEDBACK_ACTION = "reminder.feedback_due"
# "You said, we did" is asked for while it is at most this many days late.
REMINDER_WINDOW_DAYS = 60
STATEMENT_ACTION = "reminder.statement_due"


def _reminded(action: str, subject_type: str, subject_id):
    """Whether the audit log has this reminder (``subject_id`` may be a column)."""
    return exists().where(
        AuditEntry.action == action,
        AuditEntry.subject_type == subject_type,
        AuditEntry.subject_id == subject_id,
    )


def feedback_due(today: date) -> int:
    """Remind the partner and the officers of each consultation whose "You
    said, we did" is late. How many consultations were reminded of."""
    days = int(current_app.config["FEEDBACK_REMINDER_DAYS"])
    late = db.session.scalars(
        select(Consultation)
        .where(
            Consultation.status == ConsultationStatus.APPROVED.value,
            Consultation.closes_on <= today - timedelta(days=days),
            # Not every consultation ever closed, on the first morning after an upgrade.
            Consultation.closes_on > today - timedelta(days=days + REMINDER_WINDOW_DAYS),
            Consultation.feedback_published_at.is_(None),
            Consultation.feedback_submitted_at.is_(None),
            ~_reminded(FEEDBACK_ACTION, "consultation", Consultation.id),
        )
        .order_by(Consultation.closes_on, Consultation.id)
    ).all()
    if not late:
        return 0
    officers = db.session.scalars(select(User).where(User.active, User.role == Role.OFFICER.value)).all()
    partner_ids = {c.partner_id for c in late if c.partner_id}
    partners = {p.id: p for p in db.session.scalars(select(User).where(User.id.in_(partner_ids), User.active)).all()}
    mails = []
    for consultation in late:
        people = [*officers, *([partners[consultation.partner_id]] if consultation.partner_id in partners else [])]
        mails += notify(
            people,
            f"“{consultation.title}” closed on {long_date(consultation.closes_on)}. The young people who "
            "answered are waiting to hear what happened: write its “You said, we did”.",
            url_for("consultations.feedback", consultation_id=consultation.id),
            subject="“You said, we did” is due",
        )
        record(None, FEEDBACK_ACTION, "consultation", consultation.id, consultation.title[:200])
    db.session.commit()
    deliver(mails)
    return len(late)


def statement_due(today: date) -> int:
    """Remind the Chair when this month's statement is not yet with the
    Cabinet Member. 1 if reminded, else 0."""
    if today.day < int(current_app.config["STATEMENT_REMINDER_DAY"]):
        return 0
    month = today.replace(day=1)
    key = month.year * 100 + month.month  # the audit entry's subject: 202611
    if db.session.scalar(select(_reminded(STATEMENT_ACTION, "statement_month", key))):
        return 0
    status = db.session.scalar(select(ChairStatement.status).where(ChairStatement.month == month))
    if status in (StatementStatus.SUBMITTED.value, StatementStatus.ACCEPTED.value):
        return 0
    chairs = db.session.scalars(select(User).where(User.active, User.role == Role.CHAIR.value)).all()
    if not chairs:
        return 0
    what = "asks for changes" if status == StatementStatus.CHANGES_REQUESTED.value else "is not written yet"
    mails = notify(
        chairs,
        f"Your statement for {month:%B %Y} {what}. Send it to the Cabinet Member before the month ends, "
        "so that it goes into their update.",
        url_for("statements.show", month=month),
        subject="Your monthly statement is due",
    )
    record(None, STATEMENT_ACTION, "statement_month", key, f"{month:%B %Y}")
    db.session.commit()
    deliver(mails)
    return 1


def send_due(today: date | None = None) -> dict[str, int]:
    """Every reminder due today (in the council's time zone)."""
    from portal.models.base import utcnow

    today = today or utcnow().astimezone(LOCAL_ZONE).date()
    return {"feedback": feedback_due(today), "statement": statement_due(today)}
