"""Account operations. Each states its rule, writes its audit entry and commits."""

from __future__ import annotations

import logging

from flask import current_app, url_for
from sqlalchemy import func, select

from portal.audit import record
from portal.auth.passwords import hash_password, password_problem, verify_password
from portal.auth.tokens import INVITATION, RESET, make_link_token, max_age
from portal.background import after_response
from portal.extensions import db
from portal.mail import send_mail, send_mail_later
from portal.models import User
from portal.models.base import utcnow
from portal.notifications import notify
from portal.security_log import security_event

log = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The person whose email and password these are, if active. Unknown
    emails cost the same time as wrong passwords. Every refusal goes to the
    security log (the account's id when there is one, never the email)."""
    user = find_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        security_event("account.sign_in_failed", user=user, reason=_why_not(user))
        return None
    if user is None or not user.active:
        security_event("account.sign_in_failed", user=user, reason="deactivated")
        return None
    return user


def _why_not(user: User | None) -> str:
    """Why a password did not match, for the security log."""
    if user is None:
        return "unknown_account"
    return "wrong_password" if user.has_password else "no_password_yet"


def record_sign_in(user: User) -> None:
    user_id = user.id  # read before the commit, which expires the row (#16: no second load)
    user.last_signed_in_at = utcnow()
    record(user, "account.signed_in", "user", user_id)
    db.session.commit()
    security_event("account.signed_in", user=user_id)


def end_sessions(user: User, reason: str) -> None:
    """End every session the person has (this one included)."""
    user.session_version += 1
    record(user, f"account.{reason}", "user", user.id)
    db.session.commit()
    security_event(f"account.{reason}", user=user)


def set_password(user: User, password: str, action: str) -> None:
    """Set a new password (invitation accepted, reset or change): ends all other sessions."""
    problem = password_problem(password, user.email)
    if problem:
        raise ValueError(problem)
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.last_signed_in_at = utcnow()
    record(user, action, "user", user.id)
    db.session.commit()
    security_event(action, user=user)


def change_password(user: User, current: str, new: str) -> bool:
    """Change a password after checking the current one. False when it was wrong."""
    if not verify_password(user.password_hash, current):
        security_event("account.password_change_failed", user=user, reason="wrong_current_password")
        return False
    set_password(user, new, "account.password_changed")
    return True


def link_for(user: User, purpose: str) -> str:
    endpoint = "auth.accept_invitation" if purpose == INVITATION else "auth.reset_password"
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + url_for(endpoint, token=make_link_token(user, purpose))


def send_invitation(user: User, invited_by: User | None) -> None:
    """Email the invitation link once the page has answered (portal/background.py),
    so the page takes as long whatever the address and however slow the mail
    server is. The caller has already committed ``invited_at``."""
    after_response(_mail_invitation, user.id, invited_by.id if invited_by else None)


def _mail_invitation(user_id: int, invited_by_id: int | None) -> None:
    """The invitation mail, after the answer. If it could not be sent, the
    officer who sent it finds a note on their dashboard saying so."""
    user = db.session.get(User, user_id)
    invited_by = db.session.get(User, invited_by_id) if invited_by_id else None
    if user is None:
        return
    config = current_app.config
    days = max_age(INVITATION).days
    who = invited_by.display_name if invited_by else "The council"
    body = (
        f"Hello {user.display_name},\n\n"
        f"{who} has invited you to the {config['YOUTH_CABINET_NAME']} portal "
        f"as: {user.role_label}.\n\n"
        f"To accept, open this link and choose a password:\n{link_for(user, INVITATION)}\n\n"
        f"The link works once and stops working after {days} days.\n"
        "If you were not expecting this email, you can ignore it.\n\n"
        f"{config['COUNCIL_NAME']}\n"
    )
    if send_mail(user.email, f"You are invited to the {config['YOUTH_CABINET_NAME']} portal", body):
        return
    if invited_by is not None:
        # A note only: the mail server has just refused a mail, so no email about it.
        notify(
            [invited_by],
            f"The invitation to {user.display_name} could not be sent. "
            "Open their page and choose 'Send the invitation again'.",
            url_for("people.person", user_id=user.id),
            "An invitation could not be sent",
        )
        db.session.commit()


def request_password_reset(email: str) -> None:
    """Send a reset link if the email belongs to an active account with a
    password. Says nothing either way: the page shows the same message, and
    takes as long, because the lookup, the audit entry and the mail all
    happen once the page has answered (portal/background.py)."""
    after_response(_mail_reset_link, normalise_email(email))


def _mail_reset_link(email: str) -> None:
    user = find_by_email(email)
    if user is None or not user.active or not user.has_password:
        security_event("account.reset_requested", user=user, sent="no")
        return
    config = current_app.config
    hours = int(max_age(RESET).total_seconds() // 3600)
    body = (
        f"Hello {user.display_name},\n\n"
        "Someone asked to reset the password for your account on the "
        f"{config['YOUTH_CABINET_NAME']} portal. To choose a new password, open this link:\n"
        f"{link_for(user, RESET)}\n\n"
        f"The link works once and stops working after {hours} hours.\n"
        "If you did not ask for this, you can ignore this email: your password has not changed.\n\n"
        f"{config['COUNCIL_NAME']}\n"
    )
    record(user, "account.reset_requested", "user", user.id)
    db.session.commit()
    security_event("account.reset_requested", user=user, sent="yes")
    try:
        send_mail_later(user.email, "Reset your password", body)  # tried again if the server is away
    except Exception:  # the queue away: not this job's retry, which would audit and mail twice
        log.exception("The reset link's mail could not be queued")
