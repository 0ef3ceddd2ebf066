"""The demo world's campaigns: the Covid-19 Wellbeing campaign from the seed
report ("We reached 11,000 people over 11 days"), closed; an active one; a planned one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Campaign, CampaignGoal, CampaignLead, Portfolio, ReachEntry, User

# 1 to 11 July 2020, adding up to 11,000 people.
WELLBEING_REACH = [
    (1, "social_media", 1800, 5200, "Launch post on Instagram"),
    (2, "social_media", 1400, 3900, ""),
    (3, "social_media", 1100, 3100, ""),
    (4, "social_media", 900, 2500, ""),
    (5, "social_media", 700, 2000, ""),
    (6, "school_assembly", 650, None, "Online assembly for Year 9"),
    (7, "social_media", 1050, 2900, "Video from the Chair"),
    (8, "social_media", 850, 2300, ""),
    (9, "event", 500, None, "Virtual wellbeing drop-in"),
    (10, "social_media", 950, 2600, ""),
    (11, "social_media", 1100, 3000, "Closing post"),
]

WELLBEING_BODY = """Lockdown has been hard on everyone's wellbeing. For eleven days we shared advice, written by young people for young people, on looking after your mental health while schools are closed.

- *Stay connected*: video calls, games and messages with friends
- *Keep a routine*: get up, get dressed, get outside once a day
- *Talk to someone*: a friend, a family member, a teacher, or [Childline](https://www.childline.org.uk)

Thank you to everyone who shared our posts."""


def _person(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load_campaigns() -> int:
    if db.session.scalar(select(Campaign.id).limit(1)) is not None:
        return 0
    chair, aisha, tom = _person("chair@demo.example"), _person("member@demo.example"), _person("tom.w@demo.example")
    if not (chair and aisha and tom):
        return 0
    portfolios = {p.name: p.id for p in db.session.scalars(select(Portfolio))}
    published = datetime(2020, 6, 30, 12, tzinfo=UTC)
    wellbeing = Campaign(
        slug="covid-19-wellbeing",
        title="Covid-19 Wellbeing",
        status="closed",
        published_at=published,
        summary="Advice on looking after your mental health during lockdown, by young people for young people.",
        body=WELLBEING_BODY,
        starts_on=date(2020, 7, 1),
        ends_on=date(2020, 7, 11),
        portfolio_id=portfolios.get("Children and Young People"),
        created_by_id=chair.id,
    )
    buses = Campaign(
        slug="fair-fares-for-young-people",
        title="Fair fares for young people",
        status="active",
        published_at=published,
        summary="Cheaper bus travel for everyone under 19, so that getting to school, college and work does not cost the earth.",
        body="Many young people in West Sussex spend more on buses than on anything else.\n\nWe are collecting stories and asking the council and the bus companies for a young person's fare.",
        starts_on=date(2020, 9, 1),
        portfolio_id=portfolios.get("Highways and Infrastructure"),
        created_by_id=tom.id,
        # Tom's latest changes wait for the Chair's or an officer's approval (#13.5).
        pending={
            "title": "Fair fares for young people",
            "summary": "Cheaper bus travel for everyone under 19, so that getting to school, college and work does "
            "not cost the earth.",
            "body": "Many young people in West Sussex spend more on buses than on anything else.\n\nWe are "
            "collecting stories and asking the council and the bus companies for a young person's fare. Over 200 "
            "of you have sent us your story so far: thank you!",
            "status": "active",
            "starts_on": "2020-09-01",
            "ends_on": None,
            "portfolio_id": portfolios.get("Highways and Infrastructure"),
            "goal": 5_000,
            "leads": None,
        },
        pending_by_id=tom.id,
        pending_at=datetime(2020, 9, 22, 18, tzinfo=UTC),
    )
    green = Campaign(
        slug="greener-schools",
        title="Greener schools",
        status="planned",
        summary="Every school with a recycling plan and a wildlife garden.",
        body="Planned for the spring term.",
        starts_on=date(2021, 3, 1),
        portfolio_id=portfolios.get("Environment"),
        created_by_id=tom.id,
    )
    db.session.add_all([wellbeing, buses, green])
    db.session.flush()
    db.session.add_all(
        [
            CampaignLead(campaign_id=wellbeing.id, user_id=chair.id),
            CampaignLead(campaign_id=wellbeing.id, user_id=aisha.id),
            CampaignLead(campaign_id=buses.id, user_id=tom.id),
            CampaignLead(campaign_id=green.id, user_id=tom.id),
            CampaignGoal(campaign_id=wellbeing.id, target_people=10_000),
            CampaignGoal(campaign_id=buses.id, target_people=5_000),
        ]
    )
    for day, channel, people, impressions, note in WELLBEING_REACH:
        db.session.add(
            ReachEntry(
                campaign_id=wellbeing.id,
                on=date(2020, 7, day),
                channel=channel,
                people=people,
                impressions=impressions,
                note=note,
                author_id=chair.id,
            )
        )
    for day, people in ((7, 320), (14, 540), (21, 410)):
        db.session.add(
            ReachEntry(
                campaign_id=buses.id, on=date(2020, 9, day), channel="social_media", people=people, author_id=tom.id
            )
        )
    db.session.commit()
    return 3
