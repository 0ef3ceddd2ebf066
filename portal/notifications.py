"""Telling people: a note on their dashboard and an email.

Operations call ``notify`` before they commit (the notes are part of the
change) and ``deliver`` after (no email about a change that was not stored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update

from portal.extensions import db
from portal.mail import send_mail_later
from portal.models import Notification, User
from portal.models.base import utcnow

DASHBOARD_LIMIT = 5


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def notify(people: Iterable[User], message: str, link: str, subject: str) -> list[Mail]:
    mails = []
    base = current_app.config["BASE_URL"].rstrip("/")
    for person in people:
        if not person.active:
            continue
        db.session.add(Notification(user_id=person.id, message=message[:500], link=link))
        body = f"Hello {person.display_name},\n\n{message}\n\nSee it here: {base}{link}\n\n{current_app.config['YOUTH_CABINET_NAME']} portal\n"
        mails.append(Mail(person.email, subject, body))
    return mails


def deliver(mails: Iterable[Mail]) -> None:
    """On the queue (portal/tasks.py): the page does not wait for the mail
    server, and a refused mail is tried again."""
    for mail in mails:
        send_mail_later(mail.to, mail.subject, mail.body)


def recent_for(user: User) -> tuple[list[Notification], int]:
    """The newest notes for the dashboard, and how many are unread."""
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(DASHBOARD_LIMIT)
    ).all()
    unread = db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return list(notes), unread or 0


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
