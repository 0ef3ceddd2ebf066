"""Who may see and change which campaign (the object rules behind the permission table).

Published campaigns are public. A draft is seen only by its leads, the Chair
and officers (404 for anyone else); leads change their own campaign, the Chair
and officers any campaign."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from portal.extensions import db
from portal.models import Campaign, CampaignLead, User
from portal.roles import Role


def is_lead(user: User, campaign: Campaign) -> bool:
    return (
        db.session.scalar(
            select(CampaignLead.id).where(CampaignLead.campaign_id == campaign.id, CampaignLead.user_id == user.id)
        )
        is not None
    )


def can_edit(user: User, campaign: Campaign) -> bool:
    if not user.is_authenticated:
        return False
    return user.role in (Role.CHAIR, Role.OFFICER) or (user.role == Role.YOUTH_MEMBER and is_lead(user, campaign))


def approves_changes(user: User) -> bool:
    """The Chair and officers approve what goes public (and their own changes go live at once)."""
    return user.is_authenticated and user.role in (Role.CHAIR, Role.OFFICER)


def needs_approval(user: User, campaign: Campaign) -> bool:
    """A lead's changes to a published campaign wait for the Chair or an
    officer (#13.5): the public keeps the approved version meanwhile."""
    return campaign.published_at is not None and not approves_changes(user)


def can_see(user: User, campaign: Campaign) -> bool:
    return campaign.published_at is not None or can_edit(user, campaign)


def visible_to(user: User) -> ColumnElement[bool]:
    """The campaigns ``user`` may see in a list, as a condition for the query."""
    published: ColumnElement[bool] = Campaign.published_at.is_not(None)
    if user.is_authenticated and user.role in (Role.CHAIR, Role.OFFICER):
        return true()
    if user.is_authenticated and user.role == Role.YOUTH_MEMBER:
        led = select(CampaignLead.campaign_id).where(CampaignLead.user_id == user.id)
        return or_(published, Campaign.id.in_(led))
    return published


def leads_campaigns(user: User) -> bool:
    """Youth Cabinet members and the Chair lead campaigns (a new one starts with them as lead)."""
    return user.is_authenticated and user.role in (Role.YOUTH_MEMBER, Role.CHAIR)
