"""Whose update is whose (the object rules behind the permission table).

A Cabinet Member writes and publishes their own updates; officers, who
support them, may prepare any update but only its author publishes. Another
Cabinet Member's update is refused (403): its existence is public once
published, and drafts are not secret between Cabinet Members, only not theirs
to change."""

from __future__ import annotations

from portal.models import CabinetUpdate, User
from portal.roles import Role


def can_edit(user: User, update: CabinetUpdate) -> bool:
    return user.role == Role.OFFICER or (user.role == Role.CABINET_MEMBER and update.author_id == user.id)


def can_publish(user: User, update: CabinetUpdate) -> bool:
    return user.role == Role.CABINET_MEMBER and update.author_id == user.id


def sees_every_update(user: User) -> bool:
    """Officers help prepare every Cabinet Member's updates; a Cabinet Member sees their own."""
    return user.role == Role.OFFICER
