"""What each person's home (the dashboard) shows first: what they can do now.

Young people see the consultations open to them and where they are up to,
then what came of the ones they answered. Youth Cabinet members and the Chair
also see their campaigns, their Area of Interest pairing and what waits for
them; adults see what waits for them. Each part is a fixed number of queries
whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.aoi import operations as aoi_ops
from portal.consultations import access as consultation_access
from portal.consultations import yours
from portal.consultations.results import moderation
from portal.extensions import db
from portal.models import (
    Campaign,
    CampaignLead,
    ChairStatement,
    Consultation,
    ConsultationStatus,
    Pairing,
    Portfolio,
    User,
)
from portal.models.statement import StatementStatus
from portal.permissions import can
from portal.roles import Role
from portal.safeguarding import operations as safeguarding
from portal.statements.operations import current_month


@dataclass
class Task:
    """One thing waiting for this person, as a sentence with a link."""

    text: str
    link: str
    link_text: str


@dataclass
class Home:
    open_now: list[yours.OpenToYou] = field(default_factory=list)
    answered: list[Consultation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    pairing: Pairing | None = None
    answers_consultations: bool = False
    leads_campaigns: bool = False


def home_for(user: User, today: date) -> Home:
    home = Home(answers_consultations=consultation_access.answers_consultations(user))
    if home.answers_consultations:
        home.open_now = yours.open_to(user, today)
        home.answered = yours.answered_by(user, today)
    if user.role in (Role.YOUTH_MEMBER, Role.CHAIR):
        home.leads_campaigns = True
        home.campaigns = _campaigns_led_by(user)
        home.pairing = _pairing_of(user)
        home.tasks += _area_of_interest_tasks(user)
    if user.role == Role.CHAIR:
        home.tasks += _statement_tasks(today, writer=True)
    if user.role == Role.CABINET_MEMBER:
        home.tasks += _statement_tasks(today, writer=False)
    if consultation_access.is_staff(user):
        home.tasks += _review_tasks(user)
        home.tasks += _approval_tasks(user)
    if can(user, "safeguarding.handle"):
        home.tasks += _safeguarding_tasks()
    if user.role == Role.PARTNER:
        home.tasks += _partner_tasks(user)
    return home


def _campaigns_led_by(user: User) -> list[Campaign]:
    return list(
        db.session.scalars(
            select(Campaign)
            .join(CampaignLead, CampaignLead.campaign_id == Campaign.id)
            .where(CampaignLead.user_id == user.id)
            .order_by(Campaign.title)
        )
    )


def _pairing_of(user: User) -> Pairing | None:
    return db.session.scalar(
        select(Pairing)
        .options(joinedload(Pairing.portfolio).joinedload(Portfolio.cabinet_member))
        .where(Pairing.member_id == user.id, Pairing.round_id == aoi_ops.current_round_id())
    )


def _area_of_interest_tasks(user: User) -> list[Task]:
    latest = aoi_ops.latest_round()
    if latest is None or not aoi_ops.is_open_for_choices(latest) or aoi_ops.answer_of(latest.id, user.id):
        return []
    return [
        Task(
            f"Choose the portfolios you would like to work on, before the end of {latest.closes_on:%-d %B %Y}.",
            url_for("aoi.choices", round_id=latest.id),
            "Choose your Area of Interest",
        )
    ]


def _statement_tasks(today: date, *, writer: bool) -> list[Task]:
    month = current_month()
    statement = db.session.scalar(select(ChairStatement).where(ChairStatement.month == month))
    status = StatementStatus(statement.status) if statement else None
    link = url_for("statements.show", month=month) if statement else url_for("statements.index")
    if writer and status in (None, StatementStatus.DRAFT):
        return [Task(f"Your statement for {month:%B %Y} is not sent yet.", link, "Write this month’s statement")]
    if writer and status == StatementStatus.CHANGES_REQUESTED:
        return [Task(f"Changes were asked for in your statement for {month:%B %Y}.", link, "Read the comments")]
    if not writer and status == StatementStatus.SUBMITTED:
        return [Task(f"The Chair’s statement for {month:%B %Y} waits for you.", link, "Read the statement")]
    return []


def _review_tasks(user: User) -> list[Task]:
    """Requests waiting for approval and, for moderators, answers waiting to be read."""
    waiting = db.session.scalar(
        select(func.count(Consultation.id)).where(Consultation.status == ConsultationStatus.SUBMITTED.value)
    )
    tasks = []
    if waiting:
        tasks.append(
            Task(
                f"{waiting} consultation request{'s' if waiting != 1 else ''} waiting for approval.",
                url_for("consultations.index") + "#waiting",
                "Review requests",
            )
        )
    if can(user, "consultation.moderate"):
        unread = moderation.waiting_count()
        if unread:
            tasks.append(
                Task(
                    # "More than 500 ...": the count stops there (moderation.WAITING_COUNTED).
                    f"{str(unread).capitalize()} written answer{'s' if unread != 1 else ''} waiting to be read "
                    "before they can be quoted.",
                    url_for("consultations.moderation"),
                    "Open the moderation queue",
                )
            )
    return tasks


# Items of one kind listed on a home before "and N more" (the lists are on their own pages).
LISTED = 5


def _approval_tasks(user: User) -> list[Task]:
    """What young people and partners want to make public, waiting for this
    person's approval (#13.5): leads' campaign changes (the Chair and officers)
    and partners' "You said, we did" (officers)."""
    tasks = [
        Task(
            f"Changes to the campaign “{title}” wait for your approval.",
            url_for("campaigns.show", slug=slug) + "#changes",
            "Read the changes",
        )
        for title, slug in db.session.execute(
            select(Campaign.title, Campaign.slug)
            .where(Campaign.pending_at.is_not(None), Campaign.pending_comment == "")
            .order_by(Campaign.pending_at)
            .limit(LISTED)
        )
    ]
    if can(user, "consultation.approve_feedback"):
        tasks += [
            Task(
                f"“You said, we did” for “{title}” waits for your approval.",
                url_for("consultations.feedback", consultation_id=consultation_id),
                "Read it",
            )
            for consultation_id, title in db.session.execute(
                select(Consultation.id, Consultation.title)
                .where(Consultation.feedback_pending != "", Consultation.feedback_review_comment == "")
                .order_by(Consultation.feedback_submitted_at)
                .limit(LISTED)
            )
        ]
    return tasks


def _safeguarding_tasks() -> list[Task]:
    """Reports no officer has picked up yet (#13.6)."""
    waiting = safeguarding.waiting_count()
    if not waiting:
        return []
    return [
        Task(
            f"{waiting} safeguarding report{'s' if waiting != 1 else ''} "
            f"{'wait' if waiting != 1 else 'waits'} for an officer.",
            url_for("safeguarding.queue"),
            "Open the safeguarding reports",
        )
    ]


def _partner_tasks(user: User) -> list[Task]:
    returned = db.session.scalar(
        select(func.count(Consultation.id)).where(
            Consultation.partner_id == user.id, Consultation.status == ConsultationStatus.RETURNED.value
        )
    )
    if not returned:
        return []
    return [
        Task(
            f"{returned} of your requests {'was' if returned == 1 else 'were'} returned with comments.",
            url_for("consultations.index") + "#yours",
            "Read the comments",
        )
    ]
