"""Who may respond to which recommendation (the object rule behind
``recommendation.respond``)."""

from __future__ import annotations

from portal.models import Recommendation
from portal.roles import Role


def can_respond(user, recommendation: Recommendation) -> bool:
    """Officers respond to any; a Cabinet Member to those addressed to them or
    that they own."""
    if not user.is_authenticated:
        return False
    if user.role == Role.OFFICER:
        return True
    return user.role == Role.CABINET_MEMBER and user.id in (recommendation.addressed_to_id, recommendation.owner_id)
