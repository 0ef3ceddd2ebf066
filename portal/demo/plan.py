"""The demo world's offices and 2020 plan ("much of our annual plan has been pushed forward")."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Campaign, Office, PlanItem, PlanMove, User


def _person(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load_plan() -> int:
    if db.session.scalar(select(PlanItem.id).limit(1)) is not None:
        return 0
    chair, aisha, tom = _person("chair@demo.example"), _person("member@demo.example"), _person("tom.w@demo.example")
    if not (chair and aisha and tom):
        return 0
    db.session.add_all(
        [
            Office(title="Chair", holder_id=chair.id, starts_on=date(2019, 9, 1)),
            Office(title="Vice-Chair", holder_id=aisha.id, starts_on=date(2019, 9, 1)),
            Office(title="Campaigns lead", holder_id=tom.id, starts_on=date(2020, 7, 1)),
        ]
    )
    campaigns = {c.slug: c.id for c in db.session.scalars(select(Campaign))}
    for month in range(1, 13):
        db.session.add(
            PlanItem(title="Youth Cabinet meeting", kind="meeting", on=date(2020, month, 7), created_by_id=chair.id)
        )
    db.session.add_all(
        [
            PlanItem(
                title="Covid-19 Wellbeing campaign",
                kind="campaign",
                on=date(2020, 7, 1),
                campaign_id=campaigns.get("covid-19-wellbeing"),
                created_by_id=chair.id,
            ),
            PlanItem(
                title="Area of Interest choices close", kind="deadline", on=date(2020, 7, 20), created_by_id=chair.id
            ),
            PlanItem(
                title="Fair fares campaign launch",
                kind="campaign",
                on=date(2020, 9, 1),
                campaign_id=campaigns.get("fair-fares-for-young-people"),
                created_by_id=tom.id,
            ),
        ]
    )
    festival = PlanItem(
        title="Youth festival stall",
        kind="event",
        on=date(2020, 9, 12),
        note="Meeting young people at the county youth festival.",
        created_by_id=chair.id,
    )
    db.session.add(festival)
    db.session.flush()
    db.session.add(
        PlanMove(
            item_id=festival.id,
            from_date=date(2020, 6, 20),
            to_date=date(2020, 9, 12),
            reason="Pushed forward because of Covid-19: the festival cannot go ahead in June.",
            moved_by_id=chair.id,
            at=datetime(2020, 5, 28, 10, tzinfo=UTC),
        )
    )
    db.session.commit()
    return 1
