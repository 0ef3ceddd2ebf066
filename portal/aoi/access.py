"""Who may see and act on which pairing (the object rules behind the permission table).

There is no private channel between an adult and a young person: every
pairing page is visible to officers."""

from __future__ import annotations

from portal.models import Pairing, User
from portal.roles import Role


def can_see_pairing(user: User, pairing: Pairing) -> bool:
    return (
        user.role == Role.OFFICER
        or pairing.member_id == user.id
        or (user.role == Role.CABINET_MEMBER and pairing.portfolio.cabinet_member_id == user.id)
    )


def can_accept(user: User, pairing: Pairing) -> bool:
    return user.role == Role.OFFICER or (
        user.role == Role.CABINET_MEMBER and pairing.portfolio.cabinet_member_id == user.id
    )


def sees_reasons(user: User) -> bool:
    """Members' reasons: officers, and Cabinet Members for their own portfolio only."""
    return user.role in (Role.OFFICER, Role.CABINET_MEMBER)
