"""'Youth voice in numbers': measures of young people's involvement for an
update's period, each beside the period before it and linked to its source.
A feature adds its measure to ``MEASURES``; each is one SQL aggregate, so the
table costs a fixed number of queries whatever the amount of data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import func, select

from portal.extensions import db
from portal.figures.period import Period
from portal.models import (
    Consultation,
    ConsultationStatus,
    Pairing,
    PlanItem,
    PreferenceRound,
    ReachEntry,
    Response,
    ResponseStatus,
    RoundStatus,
    User,
)
from portal.permissions import is_public
from portal.roles import Role


@dataclass(frozen=True)
class Measure:
    label: str
    source_endpoint: str
    source_label: str
    count: Callable[[Period], int]
    # The source page's address for the period (default: the endpoint's page).
    source_for: Callable[[Period], str] | None = None

    def source(self, period: Period) -> str:
        return self.source_for(period) if self.source_for else url_for(self.source_endpoint)


def campaign_reach(period: Period) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(ReachEntry.people), 0)).where(ReachEntry.on.between(period.start, period.end))
        )
        or 0
    )


def campaign_reach_by_campaign(period: Period, campaign_ids: list[int]) -> dict[int, int]:
    """People reached in the period, per campaign (one query): the same count
    as ``campaign_reach``, so a fact and the numbers table agree (#14.12)."""
    if not campaign_ids:
        return {}
    return {
        campaign_id: int(people or 0)
        for campaign_id, people in db.session.execute(
            select(ReachEntry.campaign_id, func.sum(ReachEntry.people))
            .where(ReachEntry.campaign_id.in_(campaign_ids), ReachEntry.on.between(period.start, period.end))
            .group_by(ReachEntry.campaign_id)
        )
    }


def meetings_and_events(period: Period) -> int:
    return int(
        db.session.scalar(
            select(func.count(PlanItem.id)).where(
                PlanItem.kind.in_(["meeting", "event"]), PlanItem.on.between(period.start, period.end)
            )
        )
        or 0
    )


def active_pairings(period: Period) -> int:
    """Pairings confirmed by the end of the period (the latest confirmed round's stand)."""
    _, end = period.moments()
    return int(
        db.session.scalar(
            select(func.count(Pairing.id))
            .join(PreferenceRound, PreferenceRound.id == Pairing.round_id)
            .where(PreferenceRound.status == RoundStatus.CONFIRMED.value, PreferenceRound.confirmed_at < end)
            .where(
                PreferenceRound.confirmed_at
                == select(func.max(PreferenceRound.confirmed_at))
                .where(PreferenceRound.status == RoundStatus.CONFIRMED.value, PreferenceRound.confirmed_at < end)
                .scalar_subquery()
            )
        )
        or 0
    )


def new_members(period: Period) -> int:
    """Accounts made in the period (joining is a fact of the period, even if they left since)."""
    start, end = period.moments()
    return int(
        db.session.scalar(
            select(func.count(User.id)).where(
                User.role.in_([Role.YOUTH_MEMBER.value, Role.CHAIR.value]),
                User.created_at >= start,
                User.created_at < end,
            )
        )
        or 0
    )


def consultations_run(period: Period) -> int:
    """Approved consultations open on at least one day of the period."""
    return int(
        db.session.scalar(
            select(func.count(Consultation.id)).where(
                Consultation.status == ConsultationStatus.APPROVED.value,
                Consultation.opens_on <= period.end,
                Consultation.closes_on >= period.start,
            )
        )
        or 0
    )


def _submitted_in(period: Period):
    start, end = period.moments()
    return (
        Response.status == ResponseStatus.SUBMITTED.value,
        Response.submitted_at >= start,
        Response.submitted_at < end,
    )


def responses_received(period: Period) -> int:
    return int(db.session.scalar(select(func.count(Response.id)).where(*_submitted_in(period))) or 0)


def young_people_responding(period: Period) -> int:
    """People with an account counted once however many consultations they
    answered; each visitor's response counts as one person."""
    people, visitors = db.session.execute(
        select(
            func.count(func.distinct(Response.respondent_id)),
            func.count(Response.id).filter(Response.respondent_id.is_(None)),
        ).where(*_submitted_in(period))
    ).one()
    return int(people or 0) + int(visitors or 0)


def _consultations_of(period: Period) -> str:
    """The consultations archive, for the year the period ends in: each
    consultation's page, with its results and "You said, we did"."""
    return url_for("consultations.index", year=period.end.year) + "#archive"


MEASURES: list[Measure] = [
    Measure(
        "Consultations open to young people",
        "consultations.index",
        "Consultations",
        consultations_run,
        _consultations_of,
    ),
    Measure(
        "Responses to consultations", "consultations.index", "Consultations", responses_received, _consultations_of
    ),
    Measure(
        "Young people who responded", "consultations.index", "Consultations", young_people_responding, _consultations_of
    ),
    Measure("People reached by Youth Cabinet campaigns", "campaigns.index", "Campaigns", campaign_reach),
    Measure("Youth Cabinet meetings and events", "plan.index", "The Youth Cabinet's plan", meetings_and_events),
    Measure("Area of Interest pairings active", "aoi.index", "Area of Interest programme", active_pairings),
    Measure("Young people who joined the Youth Cabinet", "main.youth_cabinet", "Youth Cabinet members", new_members),
]


def youth_voice(period: Period) -> dict:
    """The table as plain data (it is frozen into the published version as it is)."""
    previous = period.previous()
    rows = []
    for measure in MEASURES:
        rows.append(
            {
                "label": measure.label,
                "value": f"{measure.count(period):,}",
                "previous": f"{measure.count(previous):,}",
                # A visitor reads the published update: no link to a page that asks them to sign in.
                "source": measure.source(period) if is_public(measure.source_endpoint) else "",
                "source_label": measure.source_label,
            }
        )
    return {
        "heading": "Youth voice in numbers",
        "period_label": period.label,
        "previous_label": previous.label,
        "rows": rows,
    }
