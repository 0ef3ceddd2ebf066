"""Factories for the rows tests need, so a test states only what matters to it.

Each factory adds its row to the portal's ``db.session`` (call it inside an app
context) and flushes, so the row has its id; the test decides when to commit.

A row's parent is given as the object (``QuestionFactory(consultation=c)``) or
its id (``consultation_id=3``); a parent that can be made without an account is
made when neither is given. People are given the same way (``partner=people["partner"]``
or ``partner_id=...``) and are never made here: accounts come from
``tests.conftest.add_person``, which sets a real password.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import scoped_session

from portal.extensions import db
from portal.models import (
    Answer,
    CabinetUpdate,
    Campaign,
    CampaignLead,
    ChairStatement,
    Consultation,
    Office,
    Pairing,
    PairingLogEntry,
    PlanItem,
    PlanMove,
    Portfolio,
    PreferenceAnswer,
    PreferenceRound,
    Question,
    ReachEntry,
    Response,
    StatementReview,
    StatementRevision,
    Tally,
    UpdateParagraph,
    UpdateSection,
    UpdateVersion,
)
from portal.models.base import utcnow
from portal.statements.operations import current_month
from portal.templating import local_today, long_date


class HasId(Protocol):
    """A saved row, or a ``tests.conftest.Person``."""

    id: int


def _session() -> scoped_session:
    """Looked up on every use: the tests replace ``db.session`` (tests/database.py)."""
    return db.session


class _Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = _session
        sqlalchemy_session_persistence = "flush"


def _parent(name: str, make: Callable[[], HasId] | None = None) -> factory.LazyAttribute:
    """The ``<name>_id`` column: the id of the ``name`` parameter, else of a row
    ``make`` creates. Without ``make`` the parent must be given (an account,
    or a parent that needs one)."""

    def resolve(params: Any) -> int:
        given = getattr(params, name)
        if given is None:
            if make is None:
                raise TypeError(f"give {name}= or {name}_id=")
            given = make()
        return given.id

    return factory.LazyAttribute(resolve)


def _optional(name: str) -> factory.LazyAttribute:
    """An optional ``<name>_id`` column (a person, a portfolio): the id of the
    ``name`` parameter, or None."""

    def resolve(params: Any) -> int | None:
        given = getattr(params, name)
        return None if given is None else given.id

    return factory.LazyAttribute(resolve)


def _days_from_today(days: int) -> date:
    return local_today() + timedelta(days=days)


# Consultations --------------------------------------------------------------------------------


class ConsultationFactory(_Factory):
    """An approved consultation for registered young people, open from
    yesterday (``opens``, days from today) for 30 days (``closes``)."""

    class Meta:
        model = Consultation

    class Params:
        opens = -1
        closes = 30
        partner = None
        created_by = None

    title = factory.Sequence(lambda n: f"Consultation {n}")
    organisation = "A service"
    why = "To learn."
    what_happens = "We change."
    audience = "young_people"
    status = "approved"
    opens_on = factory.LazyAttribute(lambda o: _days_from_today(o.opens))
    closes_on = factory.LazyAttribute(lambda o: _days_from_today(o.closes))
    approved_at = factory.LazyAttribute(lambda o: utcnow() if o.status == "approved" else None)
    partner_id = _optional("partner")
    created_by_id = _optional("created_by")


class QuestionFactory(_Factory):
    """A short text question, after the questions made before it."""

    class Meta:
        model = Question

    class Params:
        consultation = None

    consultation_id = _parent("consultation", ConsultationFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "short_text"
    prompt = factory.Sequence(lambda n: f"Question {n}")


class ResponseFactory(_Factory):
    """A response in progress; ``submitted=True`` for one that was sent."""

    class Meta:
        model = Response

    class Params:
        consultation = None
        respondent = None
        submitted = factory.Trait(status="submitted", submitted_at=factory.LazyFunction(utcnow))

    consultation_id = _parent("consultation", ConsultationFactory)
    respondent_id = _optional("respondent")


class AnswerFactory(_Factory):
    """One answer row of a response: give ``text``, ``option`` and/or ``number``."""

    class Meta:
        model = Answer

    class Params:
        response = None
        question = None

    response_id = _parent("response")
    question_id = _parent("question")


class TallyFactory(_Factory):
    """A results counter; the model's defaults mean "everyone, whole responses"."""

    class Meta:
        model = Tally

    class Params:
        consultation = None

    consultation_id = _parent("consultation", ConsultationFactory)


# The Area of Interest programme ---------------------------------------------------------------


class PortfolioFactory(_Factory):
    class Meta:
        model = Portfolio

    class Params:
        cabinet_member = None

    name = factory.Sequence(lambda n: f"Portfolio {n}")
    cabinet_member_id = _optional("cabinet_member")


class PreferenceRoundFactory(_Factory):
    """An open round that closes in a week."""

    class Meta:
        model = PreferenceRound

    title = factory.Sequence(lambda n: f"Round {n}")
    closes_on = factory.LazyFunction(lambda: _days_from_today(7))


class PreferenceAnswerFactory(_Factory):
    class Meta:
        model = PreferenceAnswer

    class Params:
        round = None
        member = None

    round_id = _parent("round", PreferenceRoundFactory)
    member_id = _parent("member")


class PairingFactory(_Factory):
    class Meta:
        model = Pairing

    class Params:
        round = None
        member = None
        portfolio = None

    round_id = _parent("round", PreferenceRoundFactory)
    member_id = _parent("member")
    portfolio_id = _parent("portfolio", PortfolioFactory)


class PairingLogEntryFactory(_Factory):
    """A meeting today on a pairing's shared log."""

    class Meta:
        model = PairingLogEntry

    class Params:
        pairing = None
        author = None

    pairing_id = _parent("pairing")
    kind = "meeting"
    on = factory.LazyFunction(local_today)
    text = "We met."
    author_id = _optional("author")


# Campaigns and the plan -----------------------------------------------------------------------


class CampaignFactory(_Factory):
    """A draft campaign; ``published=True`` for one the public sees."""

    class Meta:
        model = Campaign

    class Params:
        portfolio = None
        published = factory.Trait(published_at=factory.LazyFunction(utcnow))

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    title = factory.Sequence(lambda n: f"Campaign {n}")
    portfolio_id = _optional("portfolio")


class CampaignLeadFactory(_Factory):
    class Meta:
        model = CampaignLead

    class Params:
        campaign = None
        user = None

    campaign_id = _parent("campaign", CampaignFactory)
    user_id = _parent("user")


class ReachEntryFactory(_Factory):
    """Ten people reached at an event today."""

    class Meta:
        model = ReachEntry

    class Params:
        campaign = None

    campaign_id = _parent("campaign", CampaignFactory)
    on = factory.LazyFunction(local_today)
    channel = "event"
    people = 10


class PlanItemFactory(_Factory):
    class Meta:
        model = PlanItem

    title = factory.Sequence(lambda n: f"Plan item {n}")
    kind = "meeting"
    on = factory.LazyFunction(local_today)


class PlanMoveFactory(_Factory):
    """A plan item moved from today to next week."""

    class Meta:
        model = PlanMove

    class Params:
        item = None

    item_id = _parent("item", PlanItemFactory)
    from_date = factory.LazyFunction(local_today)
    to_date = factory.LazyFunction(lambda: _days_from_today(7))
    reason = "It clashed."


class OfficeFactory(_Factory):
    """An office held from today with no end."""

    class Meta:
        model = Office

    class Params:
        holder = None

    title = "Vice-Chair"
    holder_id = _parent("holder")
    starts_on = factory.LazyFunction(local_today)


# The Chair's statement ------------------------------------------------------------------------


class ChairStatementFactory(_Factory):
    """This month's statement, a draft. In a later ``status`` it was submitted
    (and, once accepted, accepted) just now."""

    class Meta:
        model = ChairStatement

    class Params:
        created_by = None

    month = factory.LazyFunction(current_month)
    text = "The statement."
    status = "draft"
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == "draft" else utcnow())
    accepted_at = factory.LazyAttribute(lambda o: utcnow() if o.status == "accepted" else None)
    created_by_id = _optional("created_by")


class StatementRevisionFactory(_Factory):
    class Meta:
        model = StatementRevision

    class Params:
        statement = None
        author = None

    statement_id = _parent("statement", ChairStatementFactory)
    version = 1
    text = "An older text."
    author_id = _optional("author")


class StatementReviewFactory(_Factory):
    class Meta:
        model = StatementReview

    class Params:
        statement = None
        actor = None

    statement_id = _parent("statement", ChairStatementFactory)
    action = "submitted"
    actor_id = _optional("actor")


# The Cabinet Member's update ------------------------------------------------------------------


class CabinetUpdateFactory(_Factory):
    """A draft update; its author (a Cabinet Member) must be given."""

    class Meta:
        model = CabinetUpdate

    class Params:
        author = None

    author_id = _parent("author")
    title = factory.Sequence(lambda n: f"Update {n}")


class UpdateSectionFactory(_Factory):
    class Meta:
        model = UpdateSection

    class Params:
        update = None

    update_id = _parent("update")
    heading = factory.Sequence(lambda n: f"Section {n}")


def _update_of_section(params: Any) -> int:
    """A paragraph belongs to its section's update."""
    if params.section is None:
        raise TypeError("give section= (or both section_id= and update_id=)")
    return params.section.update_id


class UpdateParagraphFactory(_Factory):
    """A paragraph at the end of its section (and so of the section's update)."""

    class Meta:
        model = UpdateParagraph

    class Params:
        section = None

    section_id = _parent("section")
    update_id = factory.LazyAttribute(_update_of_section)
    text = factory.Sequence(lambda n: f"Paragraph {n}.")


def _one_paragraph_document(version: Any) -> dict[str, Any]:
    """The frozen content of a published version: one section, one paragraph."""
    runs = [{"text": version.paragraph, "bold": False, "italic": False, "href": None}]
    return {
        "format": 1,
        "title": version.title,
        "council_name": "The council",
        "meeting_label": long_date(version.meeting_date),
        "period_label": "",
        "version": version.number,
        "published_label": long_date(local_today()),
        "note": "",
        "sections": [
            {"heading": "Introduction", "paragraphs": [{"number": 1, "blocks": [{"type": "text", "runs": runs}]}]}
        ],
        "sign_off": {"closing": "", "label": "", "name": version.author_name, "role": "Cabinet Member", "contact": ""},
        "chair_statement": None,
        "numbers": None,
    }


class UpdateVersionFactory(_Factory):
    """Version 1 of a published update, one paragraph long, with the update's
    title and meeting date; give the update."""

    class Meta:
        model = UpdateVersion

    class Params:
        update = None
        paragraph = "The statement."

    update_id = _parent("update")
    number = 1
    title = factory.LazyAttribute(lambda o: o.update.title if o.update is not None else "An update")
    meeting_date = factory.LazyAttribute(
        lambda o: (o.update.meeting_date if o.update is not None else None) or local_today()
    )
    report_month = factory.LazyAttribute(lambda o: o.meeting_date.replace(day=1))
    author_name = "A Cabinet Member"
    content = factory.LazyAttribute(_one_paragraph_document)
    html = factory.LazyAttribute(lambda o: f"<p>{o.paragraph}</p>")
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.paragraph}")
