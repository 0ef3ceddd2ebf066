"""The rules for committees' recommendations, and the reads the pages share.
Each operation checks its rule, records itself in the audit log and commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.audit import record
from portal.extensions import db
from portal.figures.period import Period
from portal.models import CommitteeMeeting, Recommendation, RecommendationResponse, RecommendationStatus, User
from portal.models.base import utcnow
from portal.models.recommendation import AddressedTo
from portal.roles import Role
from portal.rules import RuleError
from portal.templating import local_today, long_date

ADDRESSED_LABELS = {
    AddressedTo.CABINET_MEMBER.value: "A Cabinet Member",
    AddressedTo.OFFICER_POST.value: "A council officer's post",
    AddressedTo.YOUTH_CABINET.value: "The Youth Cabinet",
}


class RecommendationError(RuleError):
    """A step with a recommendation that the rules refuse."""


def _same(text: str) -> str:
    """How two names are compared: any case, spaces squeezed."""
    return " ".join(text.split()).casefold()


# ---------------------------------------------------------------- people to choose from


def cabinet_members() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == Role.CABINET_MEMBER.value, User.active).order_by(User.display_name)
        )
    )


def possible_owners() -> list[User]:
    """Who can own a recommendation: Cabinet Members and officers, the people who answer for it."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.CABINET_MEMBER.value, Role.OFFICER.value]), User.active)
            .order_by(User.display_name)
        )
    )


# ---------------------------------------------------------------- recording


def record_meeting(actor: User, *, committee: str, held_on: date, minute: str) -> CommitteeMeeting:
    """A committee's meeting, by its minute. A minute is recorded once for
    each committee; a meeting that has not happened yet resolved nothing."""
    committee, minute = " ".join(committee.split()), " ".join(minute.split())
    if not committee:
        raise RecommendationError("Enter the committee's name", "committee")
    if not minute:
        raise RecommendationError("Enter the minute number, for example 67.5", "minute")
    if held_on > local_today():
        raise RecommendationError("The meeting date is in the future. Enter the date the committee met", "held_on")
    taken = db.session.execute(
        select(CommitteeMeeting.committee, CommitteeMeeting.minute).where(
            func.lower(CommitteeMeeting.minute) == minute.lower()
        )
    ).all()
    if any(_same(name) == _same(committee) for name, _ in taken):
        raise RecommendationError(
            f"Minute {minute} of this committee is recorded already. Check the number, or add to that meeting",
            "minute",
        )
    meeting = CommitteeMeeting(committee=committee, held_on=held_on, minute=minute, created_by_id=actor.id)
    db.session.add(meeting)
    try:
        db.session.flush()
    except IntegrityError:  # recorded at the same moment elsewhere
        db.session.rollback()
        raise RecommendationError(
            f"Minute {minute} of this committee is recorded already. Check the number, or add to that meeting",
            "minute",
        ) from None
    record(actor, "recommendation.meeting_recorded", "committee_meeting", meeting.id, f"{committee}, minute {minute}")
    db.session.commit()
    return meeting


def next_number(meeting: CommitteeMeeting) -> int:
    highest = db.session.scalar(select(func.max(Recommendation.number)).where(Recommendation.meeting_id == meeting.id))
    return (highest or 0) + 1


def _addressee(kind: str, cabinet_member_id: int | None, post: str) -> tuple[int | None, str]:
    if kind == AddressedTo.CABINET_MEMBER:
        member = db.session.get(User, cabinet_member_id) if cabinet_member_id else None
        if member is None or not member.active or member.role != Role.CABINET_MEMBER:
            raise RecommendationError("Choose the Cabinet Member it is addressed to", "cabinet_member")
        return member.id, ""
    if kind == AddressedTo.OFFICER_POST:
        if not post.strip():
            raise RecommendationError("Enter the officer's job, for example Senior Improvement Lead", "officer_post")
        return None, " ".join(post.split())
    if kind == AddressedTo.YOUTH_CABINET:
        return None, ""
    raise RecommendationError("Choose who the recommendation is addressed to", "addressed")


def add_recommendation(
    actor: User,
    meeting: CommitteeMeeting,
    *,
    number: int,
    text: str,
    addressed: str,
    cabinet_member_id: int | None,
    officer_post: str,
    owner_id: int | None,
    due_on: date,
    today: date | None = None,
) -> Recommendation:
    """One recommendation of the meeting. It needs its own number, the words,
    whom it is addressed to, an owner (a Cabinet Member or an officer who
    answers for it) and a due meeting that is not in the past."""
    if not text.strip():
        raise RecommendationError("Enter what the committee recommends", "text")
    if number < 1:
        raise RecommendationError("Enter the recommendation's number, like 1, 2 or 3", "number")
    addressed_to_id, post = _addressee(addressed, cabinet_member_id, officer_post)
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner is None or not owner.active or owner.role not in (Role.CABINET_MEMBER, Role.OFFICER):
        raise RecommendationError(
            "Choose who owns it: the Cabinet Member or officer who makes sure it gets done", "owner"
        )
    today = today or local_today()
    if due_on < today:
        raise RecommendationError(
            f"The due meeting is in the past. Enter the date of a meeting from {long_date(today)} on", "due_on"
        )
    if due_on < meeting.held_on:
        raise RecommendationError("The due meeting must be after the meeting that made the recommendation", "due_on")
    taken = db.session.scalar(
        select(Recommendation.id).where(Recommendation.meeting_id == meeting.id, Recommendation.number == number)
    )
    if taken is not None:
        raise RecommendationError(
            f"Recommendation {number} of this minute is recorded already. Use the next number", "number"
        )
    recommendation = Recommendation(
        meeting_id=meeting.id,
        number=number,
        text=text.strip(),
        addressed_kind=addressed,
        addressed_to_id=addressed_to_id,
        addressed_post=post,
        owner_id=owner.id,
        due_on=due_on,
        created_by_id=actor.id,
    )
    db.session.add(recommendation)
    try:
        db.session.flush()
    except IntegrityError:  # the same number at the same moment elsewhere
        db.session.rollback()
        raise RecommendationError(
            f"Recommendation {number} of this minute is recorded already. Use the next number", "number"
        ) from None
    record(
        actor,
        "recommendation.added",
        "recommendation",
        recommendation.id,
        f"{meeting.committee}, minute {meeting.minute}, recommendation {number}",
    )
    db.session.commit()
    return recommendation


def respond(
    actor: User,
    recommendation: Recommendation,
    *,
    on: date,
    text: str,
    status: str,
    today: date | None = None,
) -> RecommendationResponse:
    """A dated response that sets the status. Earlier responses are kept:
    the history is the record of what was done."""
    if status not in RecommendationStatus.__members__.values():
        raise RecommendationError("Choose where it has got to", "status")
    if not text.strip():
        raise RecommendationError("Say what has been done or decided", "text")
    if on > (today or local_today()):
        raise RecommendationError("The date is in the future. Enter today's date or an earlier one", "on")
    response = RecommendationResponse(
        recommendation_id=recommendation.id, on=on, text=text.strip(), status=status, author_id=actor.id
    )
    db.session.add(response)
    db.session.flush()
    # The status is the latest response's (by its date, then as recorded): a
    # forgotten earlier one, entered late, does not undo a later decision.
    recommendation.status = (
        db.session.scalar(
            select(RecommendationResponse.status)
            .where(RecommendationResponse.recommendation_id == recommendation.id)
            .order_by(RecommendationResponse.on.desc(), RecommendationResponse.id.desc())
            .limit(1)
        )
        or status
    )
    recommendation.updated_at = utcnow()
    db.session.flush()
    record(
        actor,
        "recommendation.responded",
        "recommendation",
        recommendation.id,
        f"{RecommendationStatus(status).label}: {text.strip()[:150]}",
    )
    db.session.commit()
    return response


# ---------------------------------------------------------------- reading


def with_people() -> Select:
    """Recommendations with their meeting and people, loaded in the same query."""
    return select(Recommendation).options(
        joinedload(Recommendation.meeting), joinedload(Recommendation.addressed_to), joinedload(Recommendation.owner)
    )


def public_list(status: str | None) -> Select:
    """The newest meetings first, each meeting's recommendations in order."""
    query = with_people().join(Recommendation.meeting)
    if status:
        query = query.where(Recommendation.status == status)
    return query.order_by(
        CommitteeMeeting.held_on.desc(), CommitteeMeeting.id.desc(), Recommendation.number, Recommendation.id
    )


def latest_responses(ids: Iterable[int]) -> dict[int, RecommendationResponse]:
    """Each recommendation's latest response (by its date, then as recorded), in one query."""
    # Run even for no ids: the page's query count does not depend on the data.
    ranked = (
        select(
            RecommendationResponse.id,
            func.row_number()
            .over(
                partition_by=RecommendationResponse.recommendation_id,
                order_by=(RecommendationResponse.on.desc(), RecommendationResponse.id.desc()),
            )
            .label("place"),
        )
        .where(RecommendationResponse.recommendation_id.in_(list(ids)))
        .subquery()
    )
    latest = db.session.scalars(
        select(RecommendationResponse).join(ranked, ranked.c.id == RecommendationResponse.id).where(ranked.c.place == 1)
    )
    return {response.recommendation_id: response for response in latest}


def responses_of(recommendation: Recommendation) -> list[RecommendationResponse]:
    """Every response, the newest first."""
    return list(
        db.session.scalars(
            select(RecommendationResponse)
            .options(joinedload(RecommendationResponse.author))
            .where(RecommendationResponse.recommendation_id == recommendation.id)
            .order_by(RecommendationResponse.on.desc(), RecommendationResponse.id.desc())
        )
    )


def of_meeting(meeting: CommitteeMeeting) -> list[Recommendation]:
    return list(
        db.session.scalars(with_people().where(Recommendation.meeting_id == meeting.id).order_by(Recommendation.number))
    )


def meetings_without_recommendations(limit: int = 20) -> list[CommitteeMeeting]:
    """Meetings recorded with nothing added yet, newest first: the officer's
    way back to one (the public list shows meetings through their recommendations)."""
    empty = ~select(Recommendation.id).where(Recommendation.meeting_id == CommitteeMeeting.id).exists()
    return list(
        db.session.scalars(
            select(CommitteeMeeting)
            .where(empty)
            .order_by(CommitteeMeeting.held_on.desc(), CommitteeMeeting.id.desc())
            .limit(limit)
        )
    )


def _addressed_to(user_id: int):
    return (Recommendation.addressed_kind == AddressedTo.CABINET_MEMBER.value) & (
        Recommendation.addressed_to_id == user_id
    )


OPEN_STATUSES = [RecommendationStatus.OPEN.value, RecommendationStatus.IN_PROGRESS.value]


def open_to(user_id: int) -> Select:
    """The open and in-progress recommendations addressed to a Cabinet Member,
    the soonest due first (a query: the update editor shows a page of it)."""
    return (
        with_people()
        .where(_addressed_to(user_id), Recommendation.status.in_(OPEN_STATUSES))
        .order_by(Recommendation.due_on, Recommendation.id)
    )


def open_for(user_id: int) -> list[tuple[Recommendation, RecommendationResponse | None]]:
    """Those recommendations, each with its latest response (two queries)."""
    found = list(db.session.scalars(open_to(user_id)))
    latest = latest_responses(r.id for r in found)
    return [(r, latest.get(r.id)) for r in found]


# An update lists at most this many of the recommendations still open (#16: at
# a county's scale a Cabinet Member can have hundreds), from the oldest
# meetings, and says how many more there are, with a link to them all. Every
# one answered in its period is listed: the responses are the update's record.
UPDATE_OPEN_SHOWN = 20


def for_update(user_id: int, period: Period | None) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """What a Cabinet Member's update says about the recommendations addressed
    to them, as plain data frozen with the version: every one with a response
    dated in the update's period, and those still open (at most
    UPDATE_OPEN_SHOWN, from the oldest meeting); and, when more are open, how
    many and where they are all listed (else None). Four queries, whatever the number."""
    in_order = (CommitteeMeeting.held_on, CommitteeMeeting.id, Recommendation.number)
    mine = with_people().join(Recommendation.meeting).where(_addressed_to(user_id))
    still_open = mine.where(Recommendation.status.in_(OPEN_STATUSES))
    answered: list[Recommendation] = []
    if period is not None:
        responded = select(RecommendationResponse.recommendation_id).where(
            RecommendationResponse.on.between(period.start, period.end)
        )
        answered = list(db.session.scalars(mine.where(Recommendation.id.in_(responded)).order_by(*in_order)))
        still_open = still_open.where(Recommendation.id.not_in(responded))
    shown = list(db.session.scalars(still_open.order_by(*in_order).limit(UPDATE_OPEN_SHOWN)))
    # Counted whether or not the list was cut: the same queries whatever the data.
    total = db.session.scalar(select(func.count()).select_from(still_open.order_by(None).subquery())) or 0
    more = {"count": total - len(shown), "href": url_for("recommendations.index")} if total > len(shown) else None
    shown = [*answered, *shown]
    found = sorted(shown, key=lambda r: (r.meeting.held_on, r.meeting.id, r.number))
    latest = latest_responses(r.id for r in found)
    entries = []
    for recommendation in found:
        meeting = recommendation.meeting
        response = latest.get(recommendation.id)
        entries.append(
            {
                "committee": meeting.committee,
                "meeting_label": long_date(meeting.held_on),
                "minute": meeting.minute,
                "number": recommendation.number,
                "text": recommendation.text,
                "addressed": recommendation.addressed_label,
                "due_label": long_date(recommendation.due_on),
                "status": recommendation.status,
                "status_label": recommendation.state.label,
                "response": (
                    {"on_label": long_date(response.on), "text": response.text} if response is not None else None
                ),
                "href": url_for("recommendations.show", recommendation_id=recommendation.id),
            }
        )
    return entries, more
