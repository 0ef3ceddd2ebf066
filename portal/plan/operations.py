"""The plan's and the offices' rules. Each operation records itself and commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.audit import record
from portal.extensions import db
from portal.models import Campaign, Office, PlanItem, PlanMove, User
from portal.models.plan import PLAN_KINDS
from portal.roles import Role
from portal.rules import RuleError


class PlanError(RuleError):
    """A change to the plan or the offices that the rules refuse."""


def add_item(actor: User, *, title: str, kind: str, on: date, note: str, campaign_id: int | None) -> PlanItem:
    if kind not in PLAN_KINDS:
        raise PlanError("Choose what kind of item it is", "kind")
    if campaign_id is not None and db.session.get(Campaign, campaign_id) is None:
        raise PlanError("Choose a campaign from the list", "campaign")
    item = PlanItem(title=title, kind=kind, on=on, note=note, campaign_id=campaign_id, created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    record(actor, "plan.item_added", "plan_item", item.id, f"{title} on {on}")
    db.session.commit()
    return item


def move_item(actor: User, item: PlanItem, to_date: date, reason: str) -> None:
    """Move an item to another date, keeping where it was and why it moved."""
    if not reason.strip():
        raise PlanError('Say why it is moving, for example "pushed forward because of Covid-19"', "reason")
    if to_date == item.on:
        raise PlanError("Choose a different date from the one it has now", "to_date")
    db.session.add(PlanMove(item_id=item.id, from_date=item.on, to_date=to_date, reason=reason, moved_by_id=actor.id))
    record(actor, "plan.item_moved", "plan_item", item.id, f"{item.on} to {to_date}: {reason[:150]}")
    item.on = to_date
    db.session.commit()


def add_office(actor: User, *, title: str, holder_id: int, starts_on: date, ends_on: date | None) -> Office:
    holder = db.session.get(User, holder_id)
    if holder is None or not holder.active or holder.role not in (Role.YOUTH_MEMBER, Role.CHAIR):
        raise PlanError("Choose a Youth Cabinet member from the list", "holder")
    if ends_on is not None and ends_on < starts_on:
        raise PlanError("The end date must be on or after the start date", "ends_on")
    office = Office(title=title, holder_id=holder.id, starts_on=starts_on, ends_on=ends_on)
    db.session.add(office)
    db.session.flush()
    record(actor, "office.added", "office", office.id, f"{title}: {holder.display_name}")
    db.session.commit()
    return office


def end_office(actor: User, office: Office, on: date) -> None:
    if office.ends_on is not None and office.ends_on <= on:
        raise PlanError("This office has already ended")
    if on < office.starts_on:
        raise PlanError("An office cannot end before it starts")
    office.ends_on = on
    record(actor, "office.ended", "office", office.id, office.title)
    db.session.commit()


def current_offices(today: date) -> list[Office]:
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(Office)
            .options(joinedload(Office.holder))
            .where(Office.starts_on <= today, (Office.ends_on.is_(None)) | (Office.ends_on >= today))
            .order_by(Office.title, Office.id)
        )
    )
