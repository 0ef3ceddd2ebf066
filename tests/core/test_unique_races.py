"""#15 item 8: a unique constraint met by requests racing each other (a double
click, tabs, two people at the same moment) gives the form's message or the
answer the person expects, never a server error.

Every test sends 20 requests at the same moment on threads, against a database
of its own with real commits: SQLite, or PostgreSQL when PORTAL_DATABASE_URL
is set. Each then checks that there was no 500, that exactly the right rows
were stored, and what the requests that came second were told.
"""

from __future__ import annotations

import html
import itertools
import re
import sqlite3
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.test import TestResponse

from portal.clashes import TRIES, again_if_it_clashes
from portal.extensions import db
from portal.models import (
    CabinetUpdate,
    Campaign,
    CampaignLead,
    ChairStatement,
    Pairing,
    Portfolio,
    Preference,
    PreferenceAnswer,
    PreferenceRound,
    Response,
    SafeguardingReport,
    UpdateVersion,
    User,
)
from portal.safeguarding import operations as safeguarding
from portal.statements.operations import current_month
from tests.conftest import Person, PortalClient, add_person, at_the_same_moment
from tests.factories import (
    CabinetUpdateFactory,
    CampaignFactory,
    CampaignLeadFactory,
    ConsultationFactory,
    PortfolioFactory,
    PreferenceAnswerFactory,
    PreferenceRoundFactory,
    QuestionFactory,
    UpdateParagraphFactory,
    UpdateSectionFactory,
)

pytestmark = pytest.mark.commits

RACERS = 20


class Tabs:
    """``RACERS`` tabs of one browser: test clients sharing its session cookie
    (signed in as ``email``, or a visitor) and its CSRF token."""

    def __init__(self, app, email: str | None = None) -> None:
        app.test_client_class = PortalClient
        browser = app.test_client()
        if email is not None:
            assert browser.sign_in(email).status_code == 303
        self.token = browser.csrf_token()
        cookie = browser.get_cookie("session")
        self.clients = []
        for _ in range(RACERS):
            tab = app.test_client()
            tab.set_cookie("session", cookie.value)
            self.clients.append(tab)

    def post(self, path: str | Callable[[int], str], data: dict | Callable[[int], dict]) -> list[TestResponse]:
        """Each tab posts at the same moment; ``path`` and ``data`` may depend on the tab's number."""
        sends = []
        for n, tab in enumerate(self.clients):
            url = path(n) if callable(path) else path
            form = {**(data(n) if callable(data) else data), "csrf_token": self.token}
            sends.append(lambda tab=tab, url=url, form=form: tab.post(url, data=form))
        return at_once(sends)

    def page(self, n: int, path: str) -> str:
        """What tab ``n`` sees at ``path`` now (its flashed messages among it)."""
        return text_of(self.clients[n].get(path))


def at_once(sends: list[Callable[[], TestResponse]]) -> list[TestResponse]:
    """The answers to ``sends`` sent at the same moment; none of them is a server error."""
    answers: list[TestResponse] = []

    def keep(send: Callable[[], TestResponse]) -> TestResponse:
        answer = send()
        answers.append(answer)
        return answer

    statuses = at_the_same_moment([lambda send=send: keep(send) for send in sends])
    assert 500 not in statuses, statuses
    return answers


def text_of(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def told(response: TestResponse) -> str:
    """The start of what the page says, to show when a message is missing."""
    main = text_of(response).partition("<main")[2].partition("</main>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())[:600]


def statuses(answers: list[TestResponse]) -> list[int]:
    return sorted(answer.status_code for answer in answers)


def count(app, column, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(column)).where(*where)) or 0


def one_winner(answers: list[TestResponse], message: str, typed: str = "") -> None:
    """One request saved (303); every other was told ``message`` on the form
    (422), which still holds what was ``typed``."""
    assert statuses(answers) == [303] + [422] * (RACERS - 1), statuses(answers)
    for loser in (a for a in answers if a.status_code == 422):
        assert message in text_of(loser), told(loser)
        assert typed in text_of(loser)


# People -------------------------------------------------------------------------------------


def test_one_email_invited_twenty_times_at_once_makes_one_account(app, people):
    """Held already by portal/people/operations.py (invite); kept here with the others."""
    officer = Tabs(app, people["officer"].email)
    answers = officer.post(
        "/people/invite",
        {"display_name": "Sam K.", "email": "sam@test.example", "role": "youth_member", "age_band": "14-16"},
    )
    one_winner(answers, "Someone already has an account with this email address", typed='value="Sam K."')
    assert count(app, User.id, User.email == "sam@test.example") == 1


# The Area of Interest programme ---------------------------------------------------------------


def test_one_portfolio_name_added_twenty_times_at_once_makes_one_portfolio(app, people):
    officer = Tabs(app, people["officer"].email)
    answers = officer.post(
        "/area-of-interest/portfolios", {"name": "Health", "description": "Our health.", "capacity": "2", "active": "y"}
    )
    one_winner(answers, "There is already a portfolio with this name", typed="Our health.")
    assert count(app, Portfolio.id, Portfolio.name == "Health") == 1


def test_twenty_portfolios_renamed_to_one_name_at_once_leave_one_with_it(app, people):
    with app.app_context():
        ids = [PortfolioFactory(name=f"Portfolio {n}").id for n in range(RACERS)]
        db.session.commit()
    officer = Tabs(app, people["officer"].email)
    answers = officer.post(
        lambda n: f"/area-of-interest/portfolios/{ids[n]}", {"name": "Health", "capacity": "2", "active": "y"}
    )
    one_winner(answers, "There is already a portfolio with this name", typed='value="Health"')
    assert count(app, Portfolio.id, Portfolio.name == "Health") == 1
    assert count(app, Portfolio.id) == RACERS


@pytest.fixture
def round_world(app) -> dict:
    """Three active portfolios with room for everyone, and an open round."""
    with app.app_context():
        portfolios = [PortfolioFactory(name=name, youth_capacity=RACERS) for name in ("A", "B", "C")]
        round_ = PreferenceRoundFactory(title="Round 1")
        db.session.commit()
        return {"round": round_.id, "portfolios": [p.id for p in portfolios]}


def test_a_member_sending_choices_from_twenty_tabs_at_once_has_one_answer(app, people, round_world):
    """Each tab sends its own order of the three portfolios: the one saved last
    stands whole, as if the tabs had sent one after another."""
    member = Tabs(app, people["youth_member"].email)
    orders = list(itertools.permutations(round_world["portfolios"]))
    answers = member.post(
        f"/area-of-interest/rounds/{round_world['round']}/choices",
        lambda n: dict(zip(("first", "second", "third"), map(str, orders[n % len(orders)]), strict=True)),
    )
    assert statuses(answers) == [303] * RACERS
    assert "Your choices are saved" in member.page(0, "/area-of-interest")
    assert count(app, PreferenceAnswer.id) == 1
    with app.app_context():
        ranked = db.session.execute(select(Preference.portfolio_id, Preference.rank).order_by(Preference.rank)).all()
    assert [rank for _, rank in ranked] == [1, 2, 3]
    assert tuple(portfolio for portfolio, _ in ranked) in orders


def test_twenty_pairing_runs_at_once_pair_each_member_once(app, people, round_world):
    """Each run replaces the one before, as if the officer had clicked twenty times in a row."""
    with app.app_context():
        for n in range(5):
            member = add_person("youth_member", email=f"member{n}@test.example", name=f"Member {n}.")
            answer = PreferenceAnswerFactory(round_id=round_world["round"], member=member)
            db.session.add(Preference(answer_id=answer.id, portfolio_id=round_world["portfolios"][n % 3], rank=1))
        db.session.get(PreferenceRound, round_world["round"]).status = "closed"
        db.session.commit()
    members = count(app, User.id, User.active, User.role.in_(["youth_member", "chair"]))
    officer = Tabs(app, people["officer"].email)
    answers = officer.post(f"/area-of-interest/rounds/{round_world['round']}/pair", {})
    assert statuses(answers) == [303] * RACERS
    assert count(app, Pairing.id) == count(app, func.distinct(Pairing.member_id)) == members
    for n in range(RACERS):
        assert "The pairing has run" in officer.page(n, f"/area-of-interest/rounds/{round_world['round']}")


# The Cabinet Member's update ----------------------------------------------------------------


def test_twenty_updates_given_one_meeting_date_at_once_leave_one_with_it(app, people):
    with app.app_context():
        ids = [CabinetUpdateFactory(author=people["cabinet_member"], title=f"Draft {n}").id for n in range(RACERS)]
        db.session.commit()
    member = Tabs(app, people["cabinet_member"].email)
    answers = member.post(
        lambda n: f"/updates/{ids[n]}/details",
        lambda n: {
            "title": f"Draft {n} for July",
            "meeting_date": ["17", "7", "2020"],
            "period_start": ["", "", ""],
            "period_end": ["", "", ""],
            "statement_month": "",
            "base_version": "1",
        },
    )
    one_winner(answers, "There is already an update for the council meeting on 17 July 2020", typed=" for July")
    assert count(app, CabinetUpdate.id, CabinetUpdate.meeting_date == date(2020, 7, 17)) == 1


def test_publish_clicked_twenty_times_at_once_makes_one_version(app, people):
    """On SQLite a click that read the update before the first was published
    was asked for a correction note; it is now told it is already published."""
    with app.app_context():
        update = CabinetUpdateFactory(author=people["cabinet_member"], title="July", meeting_date=date(2020, 7, 17))
        UpdateParagraphFactory(section=UpdateSectionFactory(update=update, heading="Introduction"), text="One.")
        db.session.commit()
        update_id = update.id
    member = Tabs(app, people["cabinet_member"].email)
    answers = member.post(f"/updates/{update_id}/publish", {"without_statement": "y"})
    one_winner(answers, "This version is already published")
    assert count(app, UpdateVersion.id) == 1


# The Chair's statement ------------------------------------------------------------------------


def test_this_months_statement_started_twenty_times_at_once_is_one_statement(app, people):
    chair = Tabs(app, people["chair"].email)
    answers = chair.post("/statements/open", {})
    month = current_month()
    assert statuses(answers) == [303] * RACERS
    assert {a.headers["Location"] for a in answers} == {f"/statements/{month:%Y-%m}"}
    assert count(app, ChairStatement.id) == 1


# Campaigns --------------------------------------------------------------------------------------

CAMPAIGN = {
    "summary": "Talk about it.",
    "body": "",
    "status": "active",
    "starts_on": ["", "", ""],
    "ends_on": ["", "", ""],
    "portfolio": "",
    "goal": "",
}


def test_twenty_near_identical_titles_at_once_make_twenty_campaigns(app, people):
    """Titles that differ only in their punctuation make the same web address:
    each campaign gets its own ("mind-matters", "mind-matters-2", ...)."""
    chair = Tabs(app, people["chair"].email)
    answers = chair.post("/campaigns/new", lambda n: {**CAMPAIGN, "title": "Mind matters" + "!" * (n + 1)})
    assert statuses(answers) == [303] * RACERS
    with app.app_context():
        slugs = set(db.session.scalars(select(Campaign.slug)))
    assert len(slugs) == RACERS and "mind-matters" in slugs
    assert {a.headers["Location"] for a in answers} == {f"/campaigns/{slug}" for slug in slugs}


def test_a_campaigns_leads_changed_from_twenty_tabs_at_once_are_listed_once(app, people):
    """Twenty saves from one page: the first goes live; the others were made
    from a version that is no longer the latest, so they are shown the
    "someone else changed this campaign" page with their words kept (409),
    as one tab after another would be."""
    with app.app_context():
        others = [add_person("youth_member", email=f"lead{n}@test.example", name=f"Lead {n}.") for n in range(3)]
        campaign = CampaignFactory(title="Mind matters", slug="mind-matters")
        CampaignLeadFactory(campaign=campaign, user=people["youth_member"])
        db.session.commit()
    leads: list[Person] = [people["youth_member"], *others]
    chair = Tabs(app, people["chair"].email)
    answers = chair.post(
        "/campaigns/mind-matters/edit",
        {**CAMPAIGN, "title": "Mind matters", "leads": [str(p.id) for p in leads], "base_version": "1"},
    )
    assert statuses(answers) == [303] + [409] * (RACERS - 1), statuses(answers)
    for loser in (a for a in answers if a.status_code == 409):
        assert "Someone else changed this campaign" in text_of(loser), told(loser)
    with app.app_context():
        stored = set(db.session.scalars(select(CampaignLead.user_id)))
    assert stored == {p.id for p in leads}
    assert count(app, CampaignLead.id) == len(leads)


# Consultations ------------------------------------------------------------------------------------


def test_a_young_person_starting_from_twenty_tabs_at_once_has_one_response(app, people):
    """Held already by portal/consultations/responding/operations.py (start); kept here with the others."""
    with app.app_context():
        consultation = ConsultationFactory(title="Parks")
        question = QuestionFactory(consultation=consultation, prompt="Which park?")
        db.session.commit()
        path, first = f"/consultations/{consultation.id}/respond", question.id
    young = Tabs(app, people["young_person"].email)
    answers = young.post(path, {})
    assert statuses(answers) == [303] * RACERS
    assert {a.headers["Location"] for a in answers} == {f"{path}/{first}"}
    assert count(app, Response.id) == 1


# Safeguarding ------------------------------------------------------------------------------------


def test_twenty_reports_drawing_one_reference_at_once_are_all_kept(app, monkeypatch):
    """References are random; should two reports sent at the same moment draw
    the same one, the second draws again: no report is lost."""
    drawn = itertools.count()
    unlucky = safeguarding.random_reference
    monkeypatch.setattr(safeguarding, "random_reference", lambda: "YC-AAAA-AA" if next(drawn) < RACERS else unlucky())
    visitor = Tabs(app)
    answers = visitor.post("/report-a-concern", lambda n: {"details": f"Concern number {n}.", "contact": ""})
    assert statuses(answers) == [303] * RACERS
    assert count(app, SafeguardingReport.id) == RACERS
    with app.app_context():
        details = set(db.session.scalars(select(SafeguardingReport.details)))
        references = set(db.session.scalars(select(SafeguardingReport.reference)))
    assert details == {f"Concern number {n}." for n in range(RACERS)}
    assert len(references) == RACERS


# The shared rule ----------------------------------------------------------------------------------


def test_only_a_duplicate_is_run_again_and_not_for_ever(app):
    """A missing parent row is not mended by running again: raised at once.
    A duplicate the operation's own check cannot see is raised after TRIES runs."""
    runs: list[str] = []

    def refused(why: str, saved_on_run: int = 0):
        @again_if_it_clashes
        def operation() -> str:
            runs.append(why)
            if len(runs) == saved_on_run:
                return "saved"
            raise IntegrityError("INSERT", {}, sqlite3.IntegrityError(why))

        return operation

    duplicate = "UNIQUE constraint failed: portfolio.name"
    with app.app_context():
        assert refused(duplicate, saved_on_run=2)() == "saved" and len(runs) == 2
        runs.clear()
        with pytest.raises(IntegrityError):
            refused("FOREIGN KEY constraint failed")()
        assert len(runs) == 1
        runs.clear()
        with pytest.raises(IntegrityError):
            refused(duplicate)()
        assert len(runs) == TRIES
