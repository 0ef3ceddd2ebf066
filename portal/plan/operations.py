"""The plan's and the offices' rules. Each operation records itself and commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.audit import record
from portal.extensions import db
from portal.models import Campaign, Office, PlanItem, PlanMove, User
from portal.models.base import utcnow
from portal.models.plan import PLAN_KINDS
from portal.roles import Role
from portal.rules import RuleError
from portal.templating import local_today


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
    if item.cancelled_at is not None:
        raise PlanError("This has been cancelled, so it cannot move. Add it again if it is back on", "to_date")
    if not reason.strip():
        raise PlanError('Say why it is moving, for example "pushed forward because of Covid-19"', "reason")
    if to_date == item.on:
        raise PlanError("Choose a different date from the one it has now", "to_date")
    db.session.add(PlanMove(item_id=item.id, from_date=item.on, to_date=to_date, reason=reason, moved_by_id=actor.id))
    record(actor, "plan.item_moved", "plan_item", item.id, f"{item.on} to {to_date}: {reason[:150]}")
    item.on = to_date
    db.session.commit()


def cancel_item(actor: User, item: PlanItem, reason: str) -> None:
    """Call an item off: it stays on the plan, struck through, with why (the
    seed's "tough calls regarding events")."""
    if item.cancelled_at is not None:
        raise PlanError("This was cancelled already, perhaps in another tab", "reason")
    if not reason.strip():
        raise PlanError('Say why it is cancelled, for example "cancelled because of Covid-19"', "reason")
    item.cancelled_at = utcnow()
    item.cancel_reason = reason
    item.cancelled_by_id = actor.id
    record(actor, "plan.item_cancelled", "plan_item", item.id, f"{item.title}: {reason[:150]}")
    db.session.commit()


# The office that makes its holder the Chair. The office is the source of
# truth: giving it gives the chair role (the Chair's statement, publishing
# campaigns, the plan), ending it takes the role away, and there is one at a time.
CHAIR_OFFICE = "Chair"


def is_chair_office(title: str) -> bool:
    return title.strip().casefold() == CHAIR_OFFICE.casefold()


def add_office(actor: User, *, title: str, holder_id: int, starts_on: date, ends_on: date | None) -> Office:
    holder = db.session.get(User, holder_id)
    if holder is None or not holder.active or holder.role not in (Role.YOUTH_MEMBER, Role.CHAIR):
        raise PlanError("Choose a Youth Cabinet member from the list", "holder")
    if ends_on is not None and ends_on < starts_on:
        raise PlanError("The end date must be on or after the start date", "ends_on")
    today = local_today()
    if is_chair_office(title):
        # Still held after today (one ended today can be handed over the same day).
        current = next(
            (
                o
                for o in current_offices(today)
                if is_chair_office(o.title) and (o.ends_on is None or o.ends_on > today)
            ),
            None,
        )
        if current is not None:
            raise PlanError(
                f"{current.holder.display_name} holds the Chair office. End it before giving it to someone else",
                "title",
            )
    office = Office(title=title, holder_id=holder.id, starts_on=starts_on, ends_on=ends_on)
    db.session.add(office)
    db.session.flush()
    record(actor, "office.added", "office", office.id, f"{title}: {holder.display_name}")
    if is_chair_office(title) and starts_on <= today:
        for user in db.session.scalars(select(User).where(User.role == Role.CHAIR.value, User.id != holder.id)):
            _set_role(actor, user, Role.YOUTH_MEMBER)
        _set_role(actor, holder, Role.CHAIR)
    db.session.commit()
    return office


def end_office(actor: User, office: Office, on: date) -> None:
    if office.ends_on is not None and office.ends_on <= on:
        raise PlanError("This office has already ended")
    if on < office.starts_on:
        raise PlanError("An office cannot end before it starts")
    office.ends_on = on
    record(actor, "office.ended", "office", office.id, office.title)
    holder = db.session.get(User, office.holder_id)
    if is_chair_office(office.title) and holder is not None and holder.role == Role.CHAIR:
        _set_role(actor, holder, Role.YOUTH_MEMBER)
    db.session.commit()


def _set_role(actor: User, user: User, role: Role) -> None:
    """The role that comes with (or goes with) the Chair office; the sessions
    that had the old permissions end."""
    if user.role == role:
        return
    before = user.role_label
    user.role = role.value
    user.session_version += 1
    record(actor, "people.role_changed", "user", user.id, f"{before} to {user.role_label} (the Chair office)")


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
