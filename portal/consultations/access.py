"""Who may see, change, answer and read the results of which consultation
(the object rules behind the permission table)."""

from __future__ import annotations

from portal.models import Consultation, ConsultationStatus
from portal.roles import Role

YOUTH_CABINET_ROLES = (Role.YOUTH_MEMBER, Role.CHAIR)
YOUNG_ROLES = (Role.YOUNG_PERSON, Role.YOUTH_MEMBER, Role.CHAIR)


def is_staff(user) -> bool:
    """Officers and the chair review requests and read every result."""
    return user.is_authenticated and user.role in (Role.OFFICER, Role.CHAIR)


def owns(user, consultation: Consultation) -> bool:
    """The partner who asked, or an officer (who may draft for them)."""
    if not user.is_authenticated:
        return False
    return user.role == Role.OFFICER or (user.role == Role.PARTNER and consultation.partner_id == user.id)


def can_see_request(user, consultation: Consultation) -> bool:
    """Drafts and requests waiting for approval: their partner, officers and the chair."""
    if consultation.state == ConsultationStatus.APPROVED:
        return True
    return owns(user, consultation) or is_staff(user)


def can_edit_request(user, consultation: Consultation) -> bool:
    return owns(user, consultation) and consultation.state.editable


def in_audience(user, consultation: Consultation) -> bool:
    """Whether this person (or a visitor) may answer, by the consultation's audience."""
    if consultation.audience == "public":
        return not user.is_authenticated or user.role in YOUNG_ROLES
    if not user.is_authenticated:
        return False
    if consultation.audience == "youth_cabinet":
        return user.role in YOUTH_CABINET_ROLES
    return user.role in YOUNG_ROLES


def audiences_for(user) -> list[str]:
    """The audiences whose consultations this person (or a visitor) may answer:
    ``in_audience`` as a list, for a query."""
    if not user.is_authenticated:
        return ["public"]
    if user.role in YOUTH_CABINET_ROLES:
        return ["youth_cabinet", "young_people", "public"]
    if user.role in YOUNG_ROLES:
        return ["young_people", "public"]
    return []


def can_read_results(user, consultation: Consultation) -> bool:
    """Live for officers and the chair; for the partner once released."""
    if consultation.state != ConsultationStatus.APPROVED:
        return False
    if is_staff(user):
        return True
    return (
        user.is_authenticated
        and user.role == Role.PARTNER
        and consultation.partner_id == user.id
        and consultation.results_released_at is not None
    )


def audience_message(consultation: Consultation, user) -> str:
    """Why this person cannot answer, in plain words: signed out, they are told
    who it is for and to sign in; signed in, who it is for and that their
    account is not one of those (never "sign in", which they already are)."""
    if consultation.audience == "youth_cabinet":
        return "This consultation is only for members of the Youth Cabinet."
    if consultation.audience == "young_people" and not user.is_authenticated:
        return (
            "This consultation is for young people registered with the portal. Sign in with your account to answer it."
        )
    if consultation.audience == "young_people":
        return "This consultation is for young people registered with the portal. Your account is not a young person's, so you cannot answer it."
    return "This consultation is for young people and the public. Staff and partner accounts cannot answer it."


def is_its_partner(user, consultation: Consultation) -> bool:
    """The partner organisation the consultation is for."""
    return user.is_authenticated and user.role == Role.PARTNER and consultation.partner_id == user.id


def may_open_results(user, consultation: Consultation) -> bool:
    """The results page: officers and the chair, and its partner (who is told
    there when the results are not released yet)."""
    return is_staff(user) or is_its_partner(user, consultation)


def drafts_for_partners(user) -> bool:
    """Officers draft requests on a partner's behalf and choose the partner."""
    return user.is_authenticated and user.role == Role.OFFICER


def answers_consultations(user) -> bool:
    """Young people, Youth Cabinet members and the Chair answer consultations."""
    return user.is_authenticated and user.role in YOUNG_ROLES
