"""Campaign rules. Each operation checks its rule, records it and commits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, case, delete, false, func, or_, select
from sqlalchemy import update as sql_update

from portal.audit import record
from portal.campaigns import access
from portal.clashes import again_if_it_clashes
from portal.extensions import db
from portal.lookup import rows_changed
from portal.models import Campaign, CampaignGoal, CampaignLead, ReachEntry, User
from portal.models.base import utcnow
from portal.models.campaign import CHANNELS, CampaignStatus
from portal.notifications import deliver, notify
from portal.roles import Role
from portal.rules import RuleError
from portal.templating import local_today, long_date

# One entry above this asks "are you sure?"; above ABSURD it is refused.
CONFIRM_ABOVE = 50_000
ABSURD = 10_000_000


class CampaignError(RuleError):
    """A change to a campaign or its reach log that the rules refuse."""


class StaleCampaign(Exception):
    """Someone else saved the campaign since this form was opened."""


@dataclass(frozen=True)
class Reach:
    people: int
    first: date | None
    last: date | None
    entries: int
    impressions: int = 0  # social media impressions: how often posts were seen

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1 if self.first and self.last else 0

    @property
    def sentence(self) -> str:
        """The outcome in plain words: "reached 11,000 people over 11 days"."""
        if not self.entries:
            return ""
        people = "1 person" if self.people == 1 else f"{self.people:,} people"
        days = "in 1 day" if self.days == 1 else f"over {self.days:,} days"
        return f"reached {people} {days}"

    @property
    def impressions_sentence(self) -> str:
        """The social media impressions, in plain words, or nothing when none were logged."""
        if not self.impressions:
            return ""
        times = "once" if self.impressions == 1 else f"{self.impressions:,} times"
        return f"Its posts were seen {times} on social media."


NO_REACH = Reach(0, None, None, 0)


def reach_for(campaign_ids: list[int]) -> dict[int, Reach]:
    """People reached, first and last day, per campaign: one aggregate query."""
    if not campaign_ids:
        return {}
    rows = db.session.execute(
        select(
            ReachEntry.campaign_id,
            func.sum(ReachEntry.people),
            func.min(ReachEntry.on),
            func.max(ReachEntry.on),
            func.count(ReachEntry.id),
            func.sum(ReachEntry.impressions),
        )
        .where(ReachEntry.campaign_id.in_(campaign_ids))
        .group_by(ReachEntry.campaign_id)
    )
    return {
        cid: Reach(int(people or 0), first, last, count, int(seen or 0))
        for cid, people, first, last, count, seen in rows
    }


def reach_by_day(campaign_id: int) -> list[tuple[date, int, int]]:
    """(day, people reached, impressions) for each day with an entry."""
    rows = db.session.execute(
        select(ReachEntry.on, func.sum(ReachEntry.people), func.sum(ReachEntry.impressions))
        .where(ReachEntry.campaign_id == campaign_id)
        .group_by(ReachEntry.on)
        .order_by(ReachEntry.on)
    )
    return [(day, int(people), int(seen or 0)) for day, people, seen in rows]


# A long campaign's table and chart add up its reach by week, then by month (#16.4),
# so that they stay a readable length: at most about 60 rows by day, 26 by week.
BY_DAY_UP_TO = 60  # days from the first entry to the last
BY_WEEK_UP_TO = 182


@dataclass(frozen=True)
class ReachOverTime:
    """People reached and impressions, added up by ``unit`` ("day", "week" or
    "month"): each row is (the first day of the period, people, impressions)."""

    unit: str
    rows: list[tuple[date, int, int]]

    @property
    def header(self) -> str:
        """The first column's heading (a phone shows it beside each row's label)."""
        return {"week": "Week starting", "month": "Month"}.get(self.unit, "Day")

    def label(self, start: date) -> str:
        return start.strftime("%B %Y") if self.unit == "month" else long_date(start)

    def short_label(self, start: date) -> str:
        """The chart's label: with its year when the rows cross into another year."""
        if self.unit == "month":
            return start.strftime("%b %Y")
        crosses = bool(self.rows) and self.rows[0][0].year != self.rows[-1][0].year
        return start.strftime("%-d %b %Y" if crosses else "%-d %b")


def reach_over_time(campaign_id: int) -> ReachOverTime:
    """The reach by day for a campaign of up to BY_DAY_UP_TO days, by week (from
    Monday) up to BY_WEEK_UP_TO, else by month; one query either way."""
    by_day = reach_by_day(campaign_id)
    span = (by_day[-1][0] - by_day[0][0]).days if by_day else 0
    if span <= BY_DAY_UP_TO:
        return ReachOverTime("day", by_day)
    unit = "week" if span <= BY_WEEK_UP_TO else "month"
    totals: dict[date, tuple[int, int]] = {}
    for day, people, seen in by_day:
        start = day - timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)
        before = totals.get(start, (0, 0))
        totals[start] = (before[0] + people, before[1] + seen)
    return ReachOverTime(unit, [(start, people, seen) for start, (people, seen) in totals.items()])


def slug_for(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:100]
    return slug or "campaign"


def _unique_slug(title: str, campaign_id: int | None) -> str:
    base = slug_for(title)
    slug, n = base, 1
    while True:
        existing = db.session.scalar(select(Campaign.id).where(Campaign.slug == slug))
        if existing is None or existing == campaign_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


@dataclass
class CampaignDetails:
    title: str
    summary: str
    body: str
    status: str
    starts_on: date | None
    ends_on: date | None
    portfolio_id: int | None
    goal: int | None
    leads: list[int] | None = None  # None: leave the leads as they are


def _check(details: CampaignDetails, campaign_id: int | None) -> None:
    if details.status not in {s.value for s in CampaignStatus}:
        raise CampaignError("Choose a status from the list", "status")
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        raise CampaignError("The end date must be on or after the start date", "ends_on")
    clash = db.session.scalar(select(Campaign.id).where(func.lower(Campaign.title) == details.title.lower()))
    if clash is not None and clash != campaign_id:
        raise CampaignError(TITLE_TAKEN, "title")
    if details.goal is not None and not 0 < details.goal <= ABSURD:
        raise CampaignError(f"The goal must be between 1 and {ABSURD:,} people", "goal")


# The leads picker lists at most this many members found by name (#16.4),
# besides the leads already chosen: never every member as a checkbox.
LEADS_FOUND = 20


def _may_lead():
    return and_(User.active, User.role.in_([Role.YOUTH_MEMBER.value, Role.CHAIR.value]))


def lead_candidates(chosen: list[int], find: str) -> tuple[list[User], int]:
    """The checkboxes of the leads picker, in one query: the ``chosen`` leads
    (always shown, first), then up to LEADS_FOUND other Youth Cabinet members
    whose name contains ``find`` (none when nothing is typed); and how many of
    those were found."""
    chosen = sorted(set(chosen))
    picked = User.id.in_(chosen) if chosen else false()
    find = find.strip()
    if find:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", find.lower()) + "%"
        wanted = or_(picked, func.lower(User.display_name).like(pattern, escape="\\"))
    else:
        wanted = picked
    members = list(
        db.session.scalars(
            select(User)
            .where(_may_lead(), wanted)
            .order_by(case((picked, 0), else_=1), User.display_name, User.id)
            .limit(len(chosen) + LEADS_FOUND)
        )
    )
    return members, sum(1 for m in members if m.id not in chosen)


def lead_names(ids: list[int]) -> dict[int, str]:
    """The names of those of ``ids`` who may lead a campaign (one query, however many members there are)."""
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids), _may_lead()))
    return {user_id: name for user_id, name in rows}


def _check_leads(actor: User, leads: list[int]) -> set[int]:
    """Leads are Youth Cabinet members. A youth member cannot take themselves off
    (they would lose the campaign); the chair or an officer can change anyone."""
    members = set(db.session.scalars(select(User.id).where(User.id.in_(leads), _may_lead()))) if leads else set()
    if members != set(leads):
        raise CampaignError("Choose leads from the list of Youth Cabinet members", "leads")
    if actor.role == Role.YOUTH_MEMBER and actor.id not in members:
        raise CampaignError("You cannot take yourself off as a lead. Ask the Chair or an officer", "leads")
    return members


def _set_leads(actor: User, campaign: Campaign, leads: list[int]) -> None:
    members = _check_leads(actor, leads)
    db.session.execute(delete(CampaignLead).where(CampaignLead.campaign_id == campaign.id))
    db.session.flush()
    for user_id in sorted(members):
        db.session.add(CampaignLead(campaign_id=campaign.id, user_id=user_id))


def _apply(campaign: Campaign, details: CampaignDetails) -> None:
    campaign.title = details.title
    campaign.slug = _unique_slug(details.title, campaign.id)
    campaign.summary = details.summary
    campaign.body = details.body
    campaign.status = details.status
    campaign.starts_on = details.starts_on
    campaign.ends_on = details.ends_on
    campaign.portfolio_id = details.portfolio_id
    campaign.updated_at = utcnow()
    db.session.execute(delete(CampaignGoal).where(CampaignGoal.campaign_id == campaign.id))
    if details.goal:
        db.session.add(CampaignGoal(campaign_id=campaign.id, target_people=details.goal))


@again_if_it_clashes
def create(actor: User, details: CampaignDetails) -> Campaign:
    """A youth member (or the chair, or an officer) starts a campaign; a youth member leads it.
    Two people saving one title at the same moment: the second is told it is taken
    (and two near-identical titles get web addresses of their own)."""
    _check(details, None)
    campaign = Campaign(title=details.title, slug=_unique_slug(details.title, None), created_by_id=actor.id)
    db.session.add(campaign)
    db.session.flush()
    _apply(campaign, details)
    leads = list(details.leads or [])
    if actor.role in (Role.YOUTH_MEMBER, Role.CHAIR) and actor.id not in leads:
        leads.append(actor.id)
    _set_leads(actor, campaign, leads)
    record(actor, "campaign.created", "campaign", campaign.id, details.title)
    db.session.commit()
    return campaign


TITLE_TAKEN = "There is already a campaign with this title. Choose another title"


@again_if_it_clashes
def update(actor: User, campaign: Campaign, details: CampaignDetails, base_version: int) -> bool:
    """Save changes unless someone else saved first (then StaleCampaign: nothing
    is overwritten). A lead's changes to a published campaign are kept aside for
    approval instead (returns False: not live yet); the Chair's and officers' go
    live (True)."""
    if base_version != campaign.version:
        raise StaleCampaign()
    _check(details, campaign.id)
    _move_version_on(campaign, base_version)
    if access.needs_approval(actor, campaign):
        if details.leads is not None:
            _check_leads(actor, details.leads)
        campaign.pending = _to_json(details)
        campaign.pending_by_id = actor.id
        campaign.pending_at = utcnow()
        campaign.pending_comment = ""
        record(actor, "campaign.changes_proposed", "campaign", campaign.id, details.title)
        mails = notify(
            db.session.scalars(
                select(User).where(User.active, User.role.in_([Role.CHAIR.value, Role.OFFICER.value]))
            ).all(),
            f"{actor.display_name} changed the campaign “{campaign.title}”. The changes wait for your approval.",
            url_for("campaigns.show", slug=campaign.slug) + "#changes",
            subject="Campaign changes to approve",
        )
        db.session.commit()
        deliver(mails)
        return False
    _apply(campaign, details)
    if details.leads is not None:
        _set_leads(actor, campaign, details.leads)
    record(actor, "campaign.changed", "campaign", campaign.id, details.title)
    db.session.commit()
    return True


def _move_version_on(campaign: Campaign, base_version: int) -> None:
    """Raise the version from ``base_version`` in one statement: of two saves
    from one page sent at the same moment, the second finds it raised already."""
    moved = rows_changed(
        sql_update(Campaign)
        .where(Campaign.id == campaign.id, Campaign.version == base_version)
        .values(version=base_version + 1)
    )
    if not moved:
        raise StaleCampaign()


def pending_details(campaign: Campaign) -> CampaignDetails | None:
    """The changes waiting for approval, as the form's details."""
    return _from_json(campaign.pending) if campaign.pending else None


@again_if_it_clashes
def approve_changes(actor: User, campaign: Campaign, base_version: int) -> None:
    """The Chair or an officer puts a lead's changes live, as they read them:
    if the lead changed them again since the page was opened, StaleCampaign."""
    if not access.approves_changes(actor):
        raise CampaignError("Only the Chair or an officer can approve changes")
    details = pending_details(campaign)
    if details is None:
        raise CampaignError("There are no changes waiting for approval. Someone may have dealt with them already.")
    if base_version != campaign.version:
        raise StaleCampaign()
    _check(details, campaign.id)
    proposer = db.session.get(User, campaign.pending_by_id) if campaign.pending_by_id else None
    _apply(campaign, details)
    if details.leads is not None:
        _set_leads(actor, campaign, details.leads)
    _clear_pending(campaign)
    campaign.version += 1
    record(actor, "campaign.changes_approved", "campaign", campaign.id, details.title)
    mails = notify(
        [proposer] if proposer and proposer.active else [],
        f"Your changes to “{campaign.title}” were approved. They are on the public page now.",
        url_for("campaigns.show", slug=campaign.slug),
        subject="Your campaign changes are live",
    )
    db.session.commit()
    deliver(mails)


COMMENT_MAX = 1000


def return_changes(actor: User, campaign: Campaign, comment: str) -> None:
    """Send a lead's changes back with a comment: they stay waiting (not
    public) for the lead to change and send again."""
    if not access.approves_changes(actor):
        raise CampaignError("Only the Chair or an officer can return changes")
    if not campaign.pending:
        raise CampaignError("There are no changes waiting for approval. Someone may have dealt with them already.")
    comment = comment.strip()
    if not comment:
        raise CampaignError("Say what needs to change, so the lead knows what to do", "comment")
    if len(comment) > COMMENT_MAX:
        raise CampaignError(f"Keep the comment to {COMMENT_MAX:,} characters or fewer", "comment")
    campaign.pending_comment = comment
    campaign.version += 1
    proposer = db.session.get(User, campaign.pending_by_id) if campaign.pending_by_id else None
    record(actor, "campaign.changes_returned", "campaign", campaign.id, campaign.title)
    mails = notify(
        [proposer] if proposer and proposer.active else [],
        f"Your changes to “{campaign.title}” need another look before they go public.",
        url_for("campaigns.edit", slug=campaign.slug),
        subject="Your campaign changes were returned",
    )
    db.session.commit()
    deliver(mails)


def _clear_pending(campaign: Campaign) -> None:
    campaign.pending = None
    campaign.pending_by_id = None
    campaign.pending_at = None
    campaign.pending_comment = ""


def _to_json(details: CampaignDetails) -> dict:
    return {
        "title": details.title,
        "summary": details.summary,
        "body": details.body,
        "status": details.status,
        "starts_on": details.starts_on.isoformat() if details.starts_on else None,
        "ends_on": details.ends_on.isoformat() if details.ends_on else None,
        "portfolio_id": details.portfolio_id,
        "goal": details.goal,
        "leads": details.leads,
    }


def _from_json(data: dict) -> CampaignDetails:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return CampaignDetails(
        title=data.get("title", ""),
        summary=data.get("summary", ""),
        body=data.get("body", ""),
        status=data.get("status", CampaignStatus.PLANNED.value),
        starts_on=day(data.get("starts_on")),
        ends_on=day(data.get("ends_on")),
        portfolio_id=data.get("portfolio_id"),
        goal=data.get("goal"),
        leads=data.get("leads"),
    )


def publish(actor: User, campaign: Campaign) -> None:
    if campaign.published_at is not None:
        raise CampaignError("This campaign is already published")
    campaign.published_at = utcnow()
    record(actor, "campaign.published", "campaign", campaign.id, campaign.title)
    db.session.commit()


def _check_reach(
    campaign: Campaign, on: date, channel: str, people: int, impressions: int | None, confirmed: bool
) -> None:
    if on > local_today():
        raise CampaignError("The date cannot be in the future. Enter the day the people were reached", "on")
    if campaign.starts_on is not None and on < campaign.starts_on:
        raise CampaignError(
            f"The date must be on or after the day the campaign started, {long_date(campaign.starts_on)}", "on"
        )
    if channel not in CHANNELS:
        raise CampaignError("Choose where the people were reached", "channel")
    if people > ABSURD:
        raise CampaignError(f"That is more people than we can count in one entry: the most is {ABSURD:,}", "people")
    if impressions is not None and impressions > ABSURD * 100:
        raise CampaignError("That number of impressions is too big", "impressions")
    if people > CONFIRM_ABOVE and not confirmed:
        raise CampaignError(
            f"{people:,} people is a lot for one entry. Check the number, then tick the box to confirm it",
            "confirm_big",
        )


def add_reach(
    actor: User,
    campaign: Campaign,
    *,
    on: date,
    channel: str,
    people: int,
    impressions: int | None,
    note: str,
    confirmed: bool = False,
) -> ReachEntry:
    _check_reach(campaign, on, channel, people, impressions, confirmed)
    entry = ReachEntry(
        campaign_id=campaign.id,
        on=on,
        channel=channel,
        people=people,
        impressions=impressions,
        note=note,
        author_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    record(actor, "campaign.reach_added", "campaign", campaign.id, f"{people} people on {on}")
    db.session.commit()
    return entry


def change_reach(
    actor: User,
    entry: ReachEntry,
    *,
    on: date,
    channel: str,
    people: int,
    impressions: int | None,
    note: str,
    confirmed: bool = False,
) -> None:
    campaign = db.session.get(Campaign, entry.campaign_id)
    if campaign is None:
        raise CampaignError("This campaign is no longer there")
    _check_reach(campaign, on, channel, people, impressions, confirmed)
    entry.on, entry.channel, entry.people, entry.impressions, entry.note = on, channel, people, impressions, note
    record(actor, "campaign.reach_changed", "campaign", entry.campaign_id, f"{people} people on {on}")
    db.session.commit()


def remove_reach(actor: User, entry: ReachEntry) -> None:
    record(actor, "campaign.reach_removed", "campaign", entry.campaign_id, f"{entry.people} people on {entry.on}")
    db.session.delete(entry)
    db.session.commit()
