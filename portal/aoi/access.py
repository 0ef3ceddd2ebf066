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


def sees_reasons(user: User, cabinet_member_id: int | None) -> bool:
    """Members' reasons: officers, and a Cabinet Member for their own portfolio
    only. ``cabinet_member_id`` is the portfolio's Cabinet Member, or None on a
    page about every portfolio (officers only)."""
    if user.role == Role.OFFICER:
        return True
    return user.role == Role.CABINET_MEMBER and cabinet_member_id is not None and cabinet_member_id == user.id


def is_cabinet_member(user: User) -> bool:
    """Cabinet Members see the members paired with their portfolios."""
    return user.role == Role.CABINET_MEMBER
