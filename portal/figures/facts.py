"""'This month in the portal': sentences from the portal's own data, each with
a link to where it comes from: a page a visitor can open, because the link
goes into the published update with the sentence (#17.5). A feature adds its source to ``SOURCES``; a
source that has not been built yet simply adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cachelib import SimpleCache
from flask import current_app, url_for
from sqlalchemy import func, select

from portal.extensions import db
from portal.figures import numbers
from portal.figures.period import Period, next_month
from portal.models import Campaign, Consultation, Pairing, PlanItem, PreferenceRound, Tally
from portal.templating import long_date


@dataclass(frozen=True)
class Fact:
    key: str  # stable, so a button can name the fact
    source: str
    sentence: str
    link: str
    link_text: str


def new_members(month: date) -> list[Fact]:
    """Who joined the Youth Cabinet this month: the same count as the update's numbers."""
    joined = numbers.new_members(Period.month(month))
    if not joined:
        return []
    people = "young person" if joined == 1 else "young people"
    return [
        Fact(
            key="new-members",
            source="Youth Cabinet",
            sentence=f"{joined} {people} joined the Youth Cabinet this month.",
            # The list of members is not public; the public numbers page shows who joined (#17.5).
            link=numbers.public_page(Period.month(month), "youth-cabinet"),
            link_text="Youth voice in numbers",
        )
    ]


def new_pairings(month: date) -> list[Fact]:
    """Area of Interest pairings confirmed this month."""
    start, end = Period.month(month).moments()
    paired = db.session.scalar(
        select(func.count(Pairing.id))
        .join(PreferenceRound, Pairing.round_id == PreferenceRound.id)
        .where(PreferenceRound.confirmed_at >= start, PreferenceRound.confirmed_at < end)
    )
    if not paired:
        return []
    members = "Youth Cabinet member was" if paired == 1 else "Youth Cabinet members were"
    return [
        Fact(
            key="new-pairings",
            source="Area of Interest",
            sentence=f"Through our Area of Interest programme, {paired} {members} paired with a Cabinet Member this month.",
            link=numbers.public_page(Period.month(month), "area-of-interest"),
            link_text="Youth voice in numbers",
        )
    ]


def _campaign(title: str) -> str:
    """ "the Mind matters campaign", but "the Mission check campaign", not "... campaign campaign"."""
    return title if title.rstrip().lower().endswith("campaign") else f"{title} campaign"


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def campaign_outcomes(month: date) -> list[Fact]:
    """Published campaigns that ran this month, with their outcome in plain words."""
    from portal.campaigns.operations import reach_for

    start, end = Period.month(month).moments()
    last_day = end.date()
    campaigns = db.session.scalars(
        select(Campaign)
        .where(
            Campaign.published_at.is_not(None),
            Campaign.status.in_(["active", "closed"]),
            (Campaign.starts_on.is_(None)) | (Campaign.starts_on < last_day),
            (Campaign.ends_on.is_(None)) | (Campaign.ends_on >= month),
        )
        .order_by(Campaign.title)
    ).all()
    reach = reach_for([c.id for c in campaigns])
    # This month's reach comes from the numbers table's own count, so the two agree.
    this_month = numbers.campaign_reach_by_campaign(Period.month(month), [c.id for c in campaigns])
    facts = []
    for campaign in campaigns:
        outcome = reach.get(campaign.id)
        ended = campaign.status == "closed" and campaign.ends_on is not None and campaign.ends_on < last_day
        name = _campaign(campaign.title)
        if outcome and outcome.entries and ended:
            sentence = f"Our {name} came to a close this month: it {outcome.sentence}."
        elif outcome and outcome.entries:
            people = this_month.get(campaign.id, 0)
            if people == outcome.people:
                sentence = f"Our {name} has {outcome.sentence} so far, all of them this month."
            elif people:
                sentence = (
                    f"Our {name} reached {_people(people)} this month, and has {outcome.sentence} since it started."
                )
            else:
                sentence = f"Our {name} is running this month. It has {outcome.sentence} since it started."
        else:
            sentence = f"Our {name} {'came to a close' if ended else 'is running'} this month."
        if outcome and outcome.impressions:
            sentence += " " + outcome.impressions_sentence
        facts.append(
            Fact(
                key=f"campaign-{campaign.id}",
                source="Campaigns",
                sentence=sentence,
                link=url_for("campaigns.show", slug=campaign.slug),
                link_text=campaign.title,
            )
        )
    return facts


def meetings_and_events(month: date) -> list[Fact]:
    """Youth Cabinet meetings and events on the plan this month."""
    following = next_month(month)
    held = db.session.scalar(
        select(func.count(PlanItem.id)).where(
            PlanItem.kind.in_(["meeting", "event"]), PlanItem.on >= month, PlanItem.on < following
        )
    )
    if not held:
        return []
    things = "meeting or event" if held == 1 else "meetings and events"
    return [
        Fact(
            key="meetings-and-events",
            source="The plan",
            sentence=f"The Youth Cabinet had {held} {things} on its plan this month.",
            # The plan is for members only; the public numbers page shows the count.
            link=numbers.public_page(Period.month(month), "youth-cabinet"),
            link_text="Youth voice in numbers",
        )
    ]


def consultations(month: date) -> list[Fact]:
    """Consultations that closed this month, with how many answered; those that opened and are still open."""
    following = next_month(month)
    rows = db.session.execute(
        select(Consultation, Tally.count)
        .outerjoin(
            Tally, (Tally.consultation_id == Consultation.id) & (Tally.question_id == 0) & (Tally.dimension == "")
        )
        .where(
            Consultation.status == "approved",
            ((Consultation.closes_on >= month) & (Consultation.closes_on < following))
            | ((Consultation.opens_on >= month) & (Consultation.opens_on < following)),
        )
        .order_by(Consultation.opens_on, Consultation.id)
    ).all()
    facts = []
    for consultation, answered in rows:
        asker = consultation.organisation or "An organisation"
        if consultation.closes_on is not None and consultation.closes_on < following:
            people = "person" if answered == 1 else "people"
            sentence = (
                f"{asker} asked young people for their views on “{consultation.title}” this month, "
                f"and {answered or 0:,} {people} answered."
            )
        else:
            sentence = (
                f"{asker} opened a consultation, “{consultation.title}”, which young people can answer "
                f"until {long_date(consultation.closes_on)}."
            )
        facts.append(
            Fact(
                key=f"consultation-{consultation.id}",
                source="Consultations",
                sentence=sentence,
                link=url_for("consultations.show", consultation_id=consultation.id),
                link_text=consultation.title,
            )
        )
    return facts


SOURCES: list[Callable[[date], list[Fact]]] = [
    campaign_outcomes,
    consultations,
    new_members,
    new_pairings,
    meetings_and_events,
]


# Each worker keeps a month's facts for FACTS_CACHE_SECONDS (#16): the Chair's
# editor and every autosave read them, they take a dozen queries to make, and
# a figure a minute old is as good in a monthly statement.
_kept = SimpleCache(threshold=64)


def facts_for(month: date) -> list[Fact]:
    seconds = int(current_app.config["FACTS_CACHE_SECONDS"])
    if seconds <= 0:
        return _make_facts(month)
    key = f"{id(current_app._get_current_object())}:{month.isoformat()}"  # type: ignore[attr-defined]
    facts = _kept.get(key)
    if facts is None:
        facts = _make_facts(month)
        _kept.set(key, facts, timeout=seconds)
    return list(facts)


def _make_facts(month: date) -> list[Fact]:
    return [fact for source in SOURCES for fact in source(month)]


def fact_by_key(month: date, key: str) -> Fact | None:
    return next((fact for fact in facts_for(month) if fact.key == key), None)
