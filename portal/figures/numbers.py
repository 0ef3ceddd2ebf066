"""'Youth voice in numbers': measures of young people's involvement for an
update's period, each beside the period before it and linked to its source.
A feature adds its measure to ``MEASURES``; each is one SQL aggregate, so the
table costs a fixed number of queries whatever the amount of data.

Every source is a page a visitor can open without signing in (#17.2): a
figure about one consultation or campaign links to it; a figure from records
that are not public (the plan, the Area of Interest programme, membership)
links to the public "Youth voice in numbers" page, which shows it for the
period (portal/figures/routes.py). Responses by age band and by district come
with small-number suppression (``SUPPRESSION_RULE``)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import Date, Float, cast, func, literal, select

from portal.consultations.results.summary import SMALL, hidden_cells
from portal.extensions import db
from portal.figures.period import Period
from portal.models import (
    Campaign,
    CommitteeMeeting,
    Consultation,
    ConsultationStatus,
    Pairing,
    PairingLogEntry,
    PlanItem,
    PreferenceRound,
    ReachEntry,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
    Response,
    ResponseStatus,
    RoundStatus,
    User,
)
from portal.models.recommendation import STATUS_LABELS, AddressedTo
from portal.permissions import is_public
from portal.roles import AGE_BANDS, Role

PUBLIC_PAGE = "figures.youth_voice_page"

SUPPRESSION_RULE = (
    f"To keep young people from being identified, a group with fewer than {SMALL} responses is shown as "
    f"“fewer than {SMALL}”. When only one group in a column is hidden, the next smallest is hidden too "
    "(shown as “not shown”), so the hidden number cannot be worked out from the total."
)


@dataclass(frozen=True)
class Figure:
    """A measure's value, and the public page of the one thing it is about
    when it is about one consultation or campaign (else the measure's page)."""

    value: int | None  # None: nothing to count (an average of nothing)
    link: str = ""
    link_text: str = ""
    unit: str = ""  # "days"

    @property
    def shown(self) -> str:
        if self.value is None:
            return "none"
        return f"{self.value:,}{' ' + self.unit if self.unit else ''}"


@dataclass(frozen=True)
class Measure:
    label: str
    source_endpoint: str
    source_label: str
    count: Callable[[Period], int | Figure]
    # The source page's address for the period (default: the endpoint's page).
    source_for: Callable[[Period], str] | None = None

    def source(self, period: Period) -> str:
        return self.source_for(period) if self.source_for else url_for(self.source_endpoint)


def public_page(period: Period, part: str = "") -> str:
    """The public "Youth voice in numbers" page for the period, at ``part``."""
    return url_for(PUBLIC_PAGE, start=period.start.isoformat(), end=period.end.isoformat()) + (
        f"#{part}" if part else ""
    )


def _one_consultation(count: int, consultation_id: int | None, title: str | None) -> Figure:
    """A count of consultations, linked to the consultation's page when it is about one only."""
    if count == 1 and consultation_id is not None:
        return Figure(count, url_for("consultations.show", consultation_id=consultation_id), title or "")
    return Figure(count)


def campaign_reach(period: Period) -> int:
    return campaign_reach_figure(period).value or 0


def campaign_reach_figure(period: Period) -> Figure:
    """People reached by the campaigns in the period; linked to the campaign
    when one (published) campaign reached them all."""
    people, campaigns, slug, title, published = db.session.execute(
        select(
            func.coalesce(func.sum(ReachEntry.people), 0),
            func.count(func.distinct(ReachEntry.campaign_id)),
            func.min(Campaign.slug),
            func.min(Campaign.title),
            func.min(Campaign.published_at),
        )
        .join(Campaign, Campaign.id == ReachEntry.campaign_id)
        .where(ReachEntry.on.between(period.start, period.end))
    ).one()
    if campaigns == 1 and slug and published is not None:  # a draft's page is not public
        return Figure(int(people or 0), url_for("campaigns.show", slug=slug), title or "")
    return Figure(int(people or 0))


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


def pairing_meetings(period: Period) -> int:
    """Meetings of a young person with their Cabinet Member in the period, as
    the programme records them: each meeting written in a pairing's shared log
    (there is no separate meeting record)."""
    return int(
        db.session.scalar(
            select(func.count(PairingLogEntry.id)).where(
                PairingLogEntry.kind == "meeting", PairingLogEntry.on.between(period.start, period.end)
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


def consultations_run(period: Period) -> Figure:
    """Approved consultations open on at least one day of the period."""
    count, first, title = db.session.execute(
        select(func.count(Consultation.id), func.min(Consultation.id), func.min(Consultation.title)).where(
            Consultation.status == ConsultationStatus.APPROVED.value,
            Consultation.opens_on <= period.end,
            Consultation.closes_on >= period.start,
        )
    ).one()
    return _one_consultation(int(count or 0), first, title)


def _submitted_in(period: Period):
    """Sent in the period: a range of ix_consultation_response_sent, which also
    holds every column the counts read, so they never read the table (#16)."""
    start, end = period.moments()
    return (
        Response.status == ResponseStatus.SUBMITTED.value,
        Response.submitted_at >= start,
        Response.submitted_at < end,
    )


@dataclass(frozen=True)
class _Sent:
    """The responses sent in a period: how many, from how many people, and
    the consultation they answered when it is one only (to link to)."""

    responses: int
    people: int
    first: int | None
    last: int | None
    title: str | None

    def figure(self, value: int) -> Figure:
        """A figure from these responses links to their consultation when they answered one only."""
        if self.first is not None and self.first == self.last:
            return Figure(value, url_for("consultations.show", consultation_id=self.first), self.title or "")
        return Figure(value)


# While youth_voice() runs: each period's _Sent, so its two measures and the breakdowns' totals share one query.
_sent_counted: ContextVar[dict[Period, _Sent] | None] = ContextVar("sent_counted", default=None)


def _sent_in(period: Period) -> _Sent:
    """One query: the counts over the index, then the one consultation's title
    (not a join per response)."""
    counted = _sent_counted.get()
    if counted is not None and period in counted:
        return counted[period]
    sent = (
        select(
            func.count().label("responses"),
            # People with an account counted once however many consultations
            # they answered; each visitor's response counts as one person.
            func.count(func.distinct(Response.respondent_id)).label("people"),
            func.count().filter(Response.respondent_id.is_(None)).label("visitors"),
            # One consultation when the first is the last (no count of distinct ones to sort).
            func.min(Response.consultation_id).label("first"),
            func.max(Response.consultation_id).label("last"),
        )
        .where(*_submitted_in(period))
        .subquery()
    )
    row = db.session.execute(
        select(sent, Consultation.title).outerjoin(Consultation, Consultation.id == sent.c.first)
    ).one()
    found = _Sent(
        responses=int(row.responses or 0),
        people=int(row.people or 0) + int(row.visitors or 0),
        first=row.first,
        last=row.last,
        title=row.title,
    )
    if counted is not None:
        counted[period] = found
    return found


def responses_received(period: Period) -> Figure:
    sent = _sent_in(period)
    return sent.figure(sent.responses)


def young_people_responding(period: Period) -> Figure:
    """People with an account counted once however many consultations they
    answered; each visitor's response counts as one person."""
    sent = _sent_in(period)
    return sent.figure(sent.people)


def _feedback_in(period: Period):
    start, end = period.moments()
    return (
        Consultation.status == ConsultationStatus.APPROVED.value,
        Consultation.feedback_published_at >= start,
        Consultation.feedback_published_at < end,
    )


def _days_after_closing():
    """Days from a consultation's closing date to publishing its "You said, we did"."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(cast(Consultation.feedback_published_at, Date) - Consultation.closes_on, Float)
    return func.julianday(func.date(Consultation.feedback_published_at)) - func.julianday(Consultation.closes_on)


def feedback_published(period: Period) -> Figure:
    """Consultations that published "You said, we did" in the period."""
    count, first, title = db.session.execute(
        select(func.count(Consultation.id), func.min(Consultation.id), func.min(Consultation.title)).where(
            *_feedback_in(period)
        )
    ).one()
    return _one_consultation(int(count or 0), first, title)


def feedback_days(period: Period) -> Figure:
    """On average, how many days after closing those consultations published it
    (the average, not the median: one aggregate that SQLite and PostgreSQL share)."""
    count, first, title, days = db.session.execute(
        select(
            func.count(Consultation.id),
            func.min(Consultation.id),
            func.min(Consultation.title),
            func.avg(_days_after_closing()),
        ).where(*_feedback_in(period), Consultation.closes_on.is_not(None))
    ).one()
    if not count:
        return Figure(None)
    shown = max(0, round(float(days)))
    if count == 1:
        return Figure(shown, url_for("consultations.show", consultation_id=first), title or "", unit="days")
    return Figure(shown, unit="days")


def _consultations_of(period: Period) -> str:
    """The consultations archive, for the year the period ends in: each
    consultation's page, with its results and "You said, we did"."""
    return url_for("consultations.index", year=period.end.year) + "#archive"


def _public_part(part: str) -> Callable[[Period], str]:
    return lambda period: public_page(period, part)


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
    Measure(
        "Consultations that published “You said, we did”",
        "consultations.index",
        "Consultations",
        feedback_published,
        _consultations_of,
    ),
    Measure(
        "Days from closing to “You said, we did”, on average",
        "consultations.index",
        "Consultations",
        feedback_days,
        _consultations_of,
    ),
    Measure("People reached by Youth Cabinet campaigns", "campaigns.index", "Campaigns", campaign_reach_figure),
    # The plan, the Area of Interest programme and the members' list are not
    # public: the public numbers page shows these figures for the period.
    Measure(
        "Youth Cabinet meetings and events",
        PUBLIC_PAGE,
        "Youth Cabinet activity",
        meetings_and_events,
        _public_part("youth-cabinet"),
    ),
    Measure(
        "Area of Interest pairings active",
        PUBLIC_PAGE,
        "Area of Interest programme",
        active_pairings,
        _public_part("area-of-interest"),
    ),
    Measure(
        "Area of Interest meetings held",
        PUBLIC_PAGE,
        "Area of Interest programme",
        pairing_meetings,
        _public_part("area-of-interest"),
    ),
    Measure(
        "Young people who joined the Youth Cabinet",
        PUBLIC_PAGE,
        "Youth Cabinet activity",
        new_members,
        _public_part("youth-cabinet"),
    ),
]


# ---------------------------------------------------------------- breakdowns


def _breakdown_counts(column, keys: list[str], period: Period, previous: Period) -> dict[str, tuple[int, int]]:
    """Responses sent in each period for each of ``keys`` (``column``'s known
    values): one grouped aggregate for both periods, read from the index on
    (status, ``column``, submitted_at) a known value at a time, in order, so
    nothing is sorted (#16). Other values are "not given": the rest of the total."""
    start, end = period.moments()
    before, _ = previous.moments()
    rows = db.session.execute(
        select(
            column,
            func.count().filter(Response.submitted_at >= start),
            func.count().filter(Response.submitted_at < start),
        )
        .where(
            Response.status == ResponseStatus.SUBMITTED.value,
            column.in_(keys),
            Response.submitted_at >= before,
            Response.submitted_at < end,
        )
        .group_by(column)
    )
    return {str(value): (int(now or 0), int(then or 0)) for value, now, then in rows}


def _suppressed(counts: list[int]) -> list[str]:
    """Counts as shown: fewer than SMALL hidden, and the next smallest beside a lone hidden one."""
    hidden = hidden_cells(counts)
    return [
        (f"fewer than {SMALL}" if 0 < n < SMALL else "not shown") if i in hidden else f"{n:,}"
        for i, n in enumerate(counts)
    ]


def _breakdown(
    part: str,
    heading: str,
    group: str,
    groups: list[tuple[str, str]],
    counts: dict[str, tuple[int, int]],
    totals: tuple[int, int],
) -> dict:
    """One table: each group's responses in this period and the one before,
    suppressed per column; "Not given" is what the groups leave of the totals."""
    rows = [(label, counts.get(key, (0, 0))) for key, label in groups]
    not_given = tuple(max(0, total - sum(row[i] for _, row in rows)) for i, total in enumerate(totals))
    rows.append(("Not given", (not_given[0], not_given[1])))
    now = _suppressed([n for _, (n, _) in rows])
    then = _suppressed([t for _, (_, t) in rows])
    return {
        "id": part,
        "heading": heading,
        "group": group,
        "rows": [
            {"label": label, "value": value, "previous": previous}
            for (label, _), value, previous in zip(rows, now, then, strict=True)
        ],
    }


def responses_by_group(period: Period) -> list[dict]:
    """Responses by age band and by district (two queries, and the periods'
    totals, which the response measures share), with small numbers suppressed."""
    previous = period.previous()
    totals = (_sent_in(period).responses, _sent_in(previous).responses)
    bands = [(key, f"Aged {label}") for key, label in AGE_BANDS.items()]
    districts = [(name, name) for name in current_app.config["DISTRICTS"]]
    return [
        _breakdown(
            "age-bands",
            "Responses by age band",
            "Age band",
            bands,
            _breakdown_counts(Response.age_band, [key for key, _ in bands], period, previous),
            totals,
        ),
        _breakdown(
            "districts",
            "Responses by district",
            "District",
            districts,
            _breakdown_counts(Response.district, [key for key, _ in districts], period, previous),
            totals,
        ),
    ]


def recommendations_to_young_people(period: Period) -> dict:
    """The committees' recommendations addressed to the Youth Cabinet (#17.1),
    by their status at the end of each period (the latest response on or
    before it; open until the first): one grouped aggregate for both periods."""
    previous = period.previous()

    def status_on(day):
        return func.coalesce(
            select(RecommendationResponse.status)
            .where(RecommendationResponse.recommendation_id == Recommendation.id, RecommendationResponse.on <= day)
            .order_by(RecommendationResponse.on.desc(), RecommendationResponse.id.desc())
            .limit(1)
            .scalar_subquery(),
            literal(RecommendationStatus.OPEN.value),
        )

    made = (
        select(
            Recommendation.id,
            (CommitteeMeeting.held_on <= previous.end).label("made_before"),
            status_on(period.end).label("now"),
            status_on(previous.end).label("then"),
        )
        .join(CommitteeMeeting, CommitteeMeeting.id == Recommendation.meeting_id)
        .where(Recommendation.addressed_kind == AddressedTo.YOUTH_CABINET.value, CommitteeMeeting.held_on <= period.end)
        .subquery()
    )
    now_counts: dict[str, int] = {}
    then_counts: dict[str, int] = {}
    for now, then, made_before, count in db.session.execute(
        select(made.c.now, made.c.then, made.c.made_before, func.count(made.c.id)).group_by(
            made.c.now, made.c.then, made.c.made_before
        )
    ):
        now_counts[now] = now_counts.get(now, 0) + count
        if made_before:  # made by the end of the period before: counted there by its status then
            then_counts[then] = then_counts.get(then, 0) + count
    return {
        "id": "recommendations",
        "heading": "Recommendations to the Youth Cabinet, by outcome",
        "group": "Outcome",
        "rows": [
            {
                "label": label,
                "value": f"{now_counts.get(status.value, 0):,}",
                "previous": f"{then_counts.get(status.value, 0):,}",
            }
            for status, label in STATUS_LABELS.items()
        ],
    }


def _recommendations_source(period: Period) -> tuple[str, str]:
    if is_public("recommendations.index"):
        return url_for("recommendations.index"), "Committees' recommendations"
    return public_page(period, "recommendations"), "Youth voice in numbers"


def youth_voice(period: Period) -> dict:
    """The table as plain data (it is frozen into the published version as it
    is), with the breakdowns after it and the rule that hides small numbers."""
    counted = _sent_counted.set({})
    try:
        return _youth_voice(period)
    finally:
        _sent_counted.reset(counted)


def _youth_voice(period: Period) -> dict:
    previous = period.previous()
    rows = []
    for measure in MEASURES:
        now, then = _figure(measure.count(period)), _figure(measure.count(previous))
        # A visitor reads the published update: no link to a page that asks them to sign in.
        source = now.link or (measure.source(period) if is_public(measure.source_endpoint) else "")
        rows.append(
            {
                "label": measure.label,
                "value": now.shown,
                "previous": then.shown,
                "source": source,
                "source_label": now.link_text or measure.source_label,
            }
        )
    breakdowns = responses_by_group(period)
    for table in breakdowns:
        table["source"], table["source_label"] = public_page(period, table["id"]), "Youth voice in numbers"
    recommendations = recommendations_to_young_people(period)
    recommendations["source"], recommendations["source_label"] = _recommendations_source(period)
    return {
        "heading": "Youth voice in numbers",
        "period_label": period.label,
        "previous_label": previous.label,
        "rows": rows,
        "breakdowns": [*breakdowns, recommendations],
        "rule": SUPPRESSION_RULE,
    }


def _figure(value: int | Figure) -> Figure:
    return value if isinstance(value, Figure) else Figure(value)
