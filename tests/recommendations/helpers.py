"""What the recommendation tests share: a meeting with recommendations, made
through the operations (as an officer would)."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import CommitteeMeeting, Recommendation, User
from portal.recommendations import operations as ops

COMMITTEE = "Children and Young People's Services Scrutiny Committee"
HELD_ON = date(2020, 3, 5)
FUTURE = date(2099, 9, 16)
SEED_TEXTS = [
    "The Senior Improvement Lead considers how to facilitate member involvement in practice week.",
    "The Cabinet Member for Children and Young People invite CYPSSC members to a future meeting of the "
    "Corporate Parenting Panel.",
    "It receives an update on the experience and outcomes of practice week, and,",
    "It would like to see more child-focussed measures in future reports.",
]


def user(person) -> User:
    found = db.session.get(User, person.id)
    assert found is not None
    return found


def meeting(officer, minute: str = "67.5", committee: str = COMMITTEE) -> CommitteeMeeting:
    return ops.record_meeting(user(officer), committee=committee, held_on=HELD_ON, minute=minute)


def add(
    officer, found: CommitteeMeeting, number: int, *, cabinet_member=None, text: str = "", **kwargs
) -> Recommendation:
    addressed = "cabinet_member" if cabinet_member is not None else "youth_cabinet"
    values = dict(
        number=number,
        text=text or f"Recommendation {number}.",
        addressed=addressed,
        cabinet_member_id=cabinet_member.id if cabinet_member is not None else None,
        officer_post="",
        owner_id=(cabinet_member or officer).id,
        due_on=FUTURE,
    )
    values.update(kwargs)
    return ops.add_recommendation(user(officer), found, **values)
