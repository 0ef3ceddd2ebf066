"""Loading the signed-in person on each request, and ending old sessions."""

from __future__ import annotations

from portal.extensions import db
from portal.models import User


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader. The id is "<id>:<session version>"; an older
    version means the person signed out elsewhere, changed their password or
    was deactivated, so this session ends."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        ident, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, ident)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
