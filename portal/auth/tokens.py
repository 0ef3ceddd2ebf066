"""Signed links for invitations and password resets.

A link carries the person's id and a fingerprint of their account: the
password hash, when they were invited and when they last signed in. Using the
link changes one of those, so a link works once; resending an invitation
changes ``invited_at``, so only the newest invitation works. No table needed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.extensions import db
from portal.models import User

INVITATION = "invitation"
RESET = "reset"


class LinkProblem(Exception):
    """A link that cannot be used; ``message`` says why in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal-{purpose}")


def _fingerprint(user: User) -> str:
    parts = [
        user.password_hash or "",
        user.invited_at.isoformat() if user.invited_at else "",
        user.last_signed_in_at.isoformat() if user.last_signed_in_at else "",
        str(user.active),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def max_age(purpose: str) -> timedelta:
    if purpose == INVITATION:
        return timedelta(days=int(current_app.config["INVITATION_MAX_AGE_DAYS"]))
    return timedelta(hours=int(current_app.config["RESET_MAX_AGE_HOURS"]))


def make_link_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_link_token(token: str, purpose: str) -> User:
    """The person a link is for, or LinkProblem."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age(purpose).total_seconds()))
    except SignatureExpired:
        raise LinkProblem("This link has run out of time. Ask for a new one.") from None
    except BadSignature:
        raise LinkProblem("This link is not complete or has been changed. Check you copied all of it.") from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkProblem("This link is not complete or has been changed. Check you copied all of it.")
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        raise LinkProblem("This link no longer works. Ask a council officer for help.")
    if data.get("f") != _fingerprint(user):
        raise LinkProblem(
            "This link has already been used, or a newer one was sent. Use the newest link, or ask for a new one."
        )
    return user
